#include "evaluation/vote_window.h"

namespace sunbid::eval {

std::int64_t extended_close_ms(bool day_counted, std::int64_t opens_ms, std::int64_t closes_ms,
                               std::span<const core::Suspension> suspensions) {
  for (const auto& s : suspensions) {
    if (!s.end_ms || s.start_ms < opens_ms) continue;
    if (s.start_ms >= closes_ms) break;
    closes_ms += suspension_extension_ms(day_counted, s);
  }
  return closes_ms;
}

}  // namespace sunbid::eval
