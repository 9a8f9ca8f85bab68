// Internal helpers of TenderService's commands (service*.cc).
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "audit_log/ledger.h"
#include "tender_core/actor.h"
#include "tender_store.h"

namespace sunbid::core::detail {

// The release instant of bid entries while the deadline is unknown (paused).
inline constexpr std::int64_t kReleaseUnknown = std::numeric_limits<std::int64_t>::max();

Status require_tenderer(const Actor& actor, const TenderRow& row);
Status require_supervisor(const Actor& actor);
Status require_text(std::string_view text, std::string_view code, std::string_view what_zh,
                    std::string_view what_en);

// Moves the release instant of every bid entry of the tender.
Status set_bid_release(audit::WriteTxn& txn, std::string_view tender_id, std::int64_t release_ms);

// Refuses when a time-driven transition of the tender is due at the
// command's instant (the caller's catch-up raced with the clock); the caller
// retries after another catch-up.
Status require_no_due(const TenderTimeline& t, std::int64_t now_ms);

}  // namespace sunbid::core::detail
