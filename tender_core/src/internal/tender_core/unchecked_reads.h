// Unchecked readers of tender_core: every tender, drafts included, with no
// viewer to check. They are for callers inside the platform that enforce
// access themselves — evaluation's commands and the background tick — and
// for tests that inspect stored state.
//
// This header is private (issue 12, "Unchecked readers"): it lives under
// tender_core/src/, and only targets that link the CMake INTERFACE target
// `tender_core_internal` (evaluation, and the module tests) see its include
// directory. The server does not link it, so no server code can call an
// unchecked reader: it uses TenderService::view / list / opening with the
// request's viewer.
//
// Thread-safety: as TenderService's readers (the caller's own connection).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"
#include "tender_core/service.h"

namespace sunbid::core::detail {

// The tender as stored, drafts included.
Result<TenderView> unchecked_view(audit::Database& db, std::string_view tender_id);

// Every tender, drafts included, oldest first (created, then id), filtered by
// status and community when given.
Result<std::vector<TenderView>> unchecked_list(audit::Database& db,
                                               std::optional<TenderStatus> status,
                                               std::optional<std::string> community_id);

// The opening record of any tender; refuses opening_not_public until the
// reveal window has closed (the record is logged at that instant).
Result<std::vector<OpeningRow>> unchecked_opening_record(audit::Database& db,
                                                         std::string_view tender_id);

}  // namespace sunbid::core::detail
