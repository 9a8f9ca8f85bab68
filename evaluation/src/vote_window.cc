#include "evaluation/vote_window.h"

namespace sunbid::eval {

std::int64_t extended_close_ms(std::int64_t opens_ms, std::int64_t closes_ms,
                               std::span<const core::Suspension> suspensions) {
  for (const auto& s : suspensions) {
    if (!s.end_ms || s.start_ms < opens_ms) continue;
    if (s.start_ms >= closes_ms) break;
    closes_ms += suspension_extension_ms(s);
  }
  return closes_ms;
}

std::optional<std::int64_t> day_window_close_ms(const core::CalendarHistory& history,
                                                std::int64_t opens_ms, std::int64_t days,
                                                std::span<const core::Suspension> suspensions) {
  return core::granted_period_end_ms(history, opens_ms, days, suspensions);
}

}  // namespace sunbid::eval
