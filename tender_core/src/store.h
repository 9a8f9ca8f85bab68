// Internal helpers shared by tender_core's commands and readers: id counters,
// entry drafts with the actor's digested source, refusals.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"
#include "tender_core/actor.h"

namespace sunbid::core::detail {

// The next id of a sequence: prefix + 1, 2, 3 ... (e.g. "T1").
Result<std::string> next_id(audit::WriteTxn& txn, std::string_view counter,
                            std::string_view prefix);

// An entry draft for `actor`, its network address digested within `scope`.
Result<audit::EntryDraft> draft_for(audit::WriteTxn& txn, const Actor& actor, std::string_view type,
                                    std::string_view scope);

// A draft by the system (time-driven transitions).
audit::EntryDraft system_draft(std::string_view type);

// The refusal of a missing thing, e.g. not_found("tender_not_found", "招标", "tender", id).
Error not_found(std::string code, std::string_view zh, std::string_view en, std::string_view id);

// Runs a single-row query with one text parameter; nullopt when no row.
Result<std::optional<std::int64_t>> query_int(audit::Database& db, std::string_view sql,
                                              std::string_view param);

// A digest of everything in `tables` (every row, every column, in primary key
// order) — used by tests and by nothing that decides an outcome.
Result<std::string> tables_digest(audit::Database& db);

}  // namespace sunbid::core::detail
