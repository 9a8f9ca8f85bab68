// Vote windows and suspensions: how much a suspension that began inside an
// open window extends it (issue 11, "a suspension during any window extends
// that window"), and how a later holiday calendar moves it.
//
// - A window counted in days (the owners' vote and its run-off: 民法典 arts.
//   200-204, LAW.md §10) is a period granted to others (docs/periods.md):
//   it ends at 24:00 China time of its last day rolled past rest days, and a
//   suspension adds every counted China date it touched, the end rolled past
//   rest days again (core::granted_period_end_ms). Its end is computed with
//   the calendar version in force when it opened; a later version set while
//   it is open may move it later, never earlier (day_window_close_ms).
// - A window counted in hours (a committee-vote round) is extended by the
//   exact duration of the suspension (suspension_extension_ms).
// - Only a suspension that began inside the window counts: at or after its
//   opening, strictly before its (already extended) close.
//
// Thread-safety: pure functions; safe for concurrent use.
#pragma once

#include <cstdint>
#include <span>

#include "tender_core/calendar.h"
#include "tender_core/tender_machine.h"

namespace sunbid::eval {

inline constexpr std::int64_t kDayMs = 86'400'000;
inline constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000;

// The China (UTC+8) calendar date of an instant, as days since 1970-01-01.
constexpr std::int64_t china_day(std::int64_t ms) {
  const std::int64_t shifted = ms + kChinaOffsetMs;
  return shifted >= 0 ? shifted / kDayMs : -((-shifted + kDayMs - 1) / kDayMs);
}

// How far one ended suspension [start, end) extends a window counted in
// hours: its exact duration.
// REQUIRES: s.end_ms is set and >= s.start_ms.
constexpr std::int64_t suspension_extension_ms(const core::Suspension& s) {
  return *s.end_ms - s.start_ms;
}

// The close of a window counted in hours [opens_ms, closes_ms) after every
// ended suspension that began inside it (in order, each seeing the close the
// earlier ones made). Suspensions still open are ignored (the caller is not
// deciding).
// REQUIRES: `suspensions` sorted by start.
std::int64_t extended_close_ms(std::int64_t opens_ms, std::int64_t closes_ms,
                               std::span<const core::Suspension> suspensions);

// The close of a window of `days` calendar days opened at `opens_ms`:
// 24:00 China time of day `days` after the opening's date, rolled past rest
// days of the calendar version in force at `opens_ms`, plus every counted
// date touched by a suspension that began before the close, rolled again;
// each calendar version set later while the window was still open may only
// move it later. nullopt while such a suspension lasts (the close is not
// known).
// REQUIRES: days >= 1; `suspensions` sorted by start, non-overlapping.
std::optional<std::int64_t> day_window_close_ms(const core::CalendarHistory& history,
                                                std::int64_t opens_ms, std::int64_t days,
                                                std::span<const core::Suspension> suspensions);

}  // namespace sunbid::eval
