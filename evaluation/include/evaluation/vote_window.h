// Vote windows and suspensions: how much a suspension that began inside an
// open window extends it (issue 11, "a suspension during any window extends
// that window").
//
// - A window counted in days (the owners' vote and its run-off: 民法典 arts.
//   200-204, LAW.md §10) is extended by the calendar days the suspension
//   touched, China time (UTC+8, no daylight saving): China date of the
//   resumption − China date of the suspension + 1 whole days. A suspension
//   from 23:59 to 00:01 the next day touched two days.
// - A window counted in hours (a committee-vote round) is extended by the
//   exact duration of the suspension.
// - Only a suspension that began inside the window counts: at or after its
//   opening, strictly before its (already extended) close.
//
// NOTE: china_day is written locally on purpose; tender_core's calendar
// module (the holiday calendar, periods in days) is its eventual home.
//
// Thread-safety: pure functions; safe for concurrent use.
#pragma once

#include <cstdint>
#include <span>

#include "tender_core/tender_machine.h"

namespace sunbid::eval {

inline constexpr std::int64_t kDayMs = 86'400'000;
inline constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000;

// The China (UTC+8) calendar date of an instant, as days since 1970-01-01.
constexpr std::int64_t china_day(std::int64_t ms) {
  const std::int64_t shifted = ms + kChinaOffsetMs;
  return shifted >= 0 ? shifted / kDayMs : -((-shifted + kDayMs - 1) / kDayMs);
}

// How far one ended suspension [start, end) extends a window.
// REQUIRES: s.end_ms is set and >= s.start_ms.
constexpr std::int64_t suspension_extension_ms(bool day_counted, const core::Suspension& s) {
  if (!day_counted) return *s.end_ms - s.start_ms;
  return (china_day(*s.end_ms) - china_day(s.start_ms) + 1) * kDayMs;
}

// The close of a window [opens_ms, closes_ms) after every ended suspension
// that began inside it (in order, each seeing the close the earlier ones
// made). Suspensions still open are ignored (the caller is not deciding).
// REQUIRES: `suspensions` sorted by start.
std::int64_t extended_close_ms(bool day_counted, std::int64_t opens_ms, std::int64_t closes_ms,
                               std::span<const core::Suspension> suspensions);

}  // namespace sunbid::eval
