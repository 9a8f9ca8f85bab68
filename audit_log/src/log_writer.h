// Writer-side log operations, used only by the ledger on its writer thread
// inside a command's savepoint.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit_log/entry_format.h"
#include "audit_log/log_head.h"
#include "audit_log/log_store.h"
#include "audit_log/sqlite.h"

namespace sunbid::audit {

Result<LogHead> load_log_head(Database& db);

// Appends one entry at head.size, with its Merkle nodes; advances `head`
// only when every write succeeded. A withheld draft gets `payload.blind`;
// `source`, when given, is the entry's (per-entry) source digest.
Result<std::uint64_t> append_entry(Database& db, LogHead& head, const EntryDraft& draft,
                                   std::int64_t now_ms,
                                   std::optional<std::string_view> source = std::nullopt);

// SHA-256(16-byte salt ‖ value) as hex; the same (scope, kind, value) reuses
// its salt, so one owner's ballots in one tender link to each other.
Result<std::string> personal_digest(Database& db, std::string_view kind, std::string_view value,
                                    std::string_view scope);

Status store_checkpoint(Database& db, const StoredCheckpoint& c);

}  // namespace sunbid::audit
