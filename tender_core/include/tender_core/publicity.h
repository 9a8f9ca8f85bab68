// The publicity windows (公示期) of a tender once they have started: the
// candidates' and the award's, each its start and its effective end as the
// clock applies it (tender_machine.h: rest days roll the end, suspensions
// extend it; nullopt while a suspension lasts). The web app shows them with a
// countdown and opens the objection form inside them; nothing is counted in
// the page.
//
// Thread-safety: as the Database it reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::core {

struct PublicityWindow {
  std::int64_t start_ms = 0;
  std::optional<std::int64_t> end_ms;  // exclusive; nullopt while suspended
};

struct PublicityWindows {
  std::optional<PublicityWindow> candidates;  // from candidates_publicized on
  std::optional<PublicityWindow> award;       // from award_publicized on
};

// No visibility check: call it for a tender the viewer may see
// (TenderService::view). tender_not_found for an unknown id.
Result<PublicityWindows> publicity_windows(audit::Database& db, std::string_view tender_id);

}  // namespace sunbid::core
