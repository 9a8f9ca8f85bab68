// Periods counted in calendar days, China time (民法典 arts. 200–204;
// LAW.md §10; docs/periods.md gives a worked example of every rule).
//
// - China dates: Asia/Shanghai is UTC+8 with no daylight saving time (none
//   since 1991), so a China date is a plain day number and converting an
//   instant needs no time-zone database.
// - The platform holiday calendar (节假日安排): rest days are Saturdays and
//   Sundays by default, plus the holidays the admin enters (法定休假日), minus
//   the working weekends the admin enters (调休). Each change is a new
//   version, a public logged entry (Registry::replace_calendar), and
//   `GET /calendar` shows the current one.
// - Three ways of counting (the decision "Counting"):
//   * minimum periods (招标投标法 24: 20 days of bidding; 条例 21: 15 days
//     after an amendment) are met when the deadline's China date is at least
//     N days after the start's China date; rest days do not extend them
//     (meets_minimum_period);
//   * periods granted to others (publicity, objection answers, the owners'
//     vote window) do not count the day they start in (art. 201), end at
//     24:00 China time of day N, and move to the end of the next day that is
//     not a rest day when day N is one (art. 203) (granted_period_end_ms);
//   * "截止时间10日前" (条例 22, document objections): the last day to
//     object is the deadline's China date − 11, without any roll
//     (days_before_cutoff_ms);
// - a suspension (or a hold) during a granted period adds every counted
//   China date it touched; windows counted in hours (the reveal window) are
//   extended by the exact duration elsewhere (tender_machine.h);
// - a granted period's end is computed when it opens, with the calendar in
//   force then; a later calendar change may extend an open period, never
//   shorten it (CalendarHistory).
//
// Thread-safety: values and pure functions; safe for concurrent use.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::core {

// A China civil date: days since 1970-01-01 (a Thursday).
using ChinaDate = std::int64_t;

inline constexpr std::int64_t kChinaOffsetMs = 8LL * 3'600'000;  // UTC+8
inline constexpr std::int64_t kMsPerDay = 86'400'000;

// The China date of an instant (UTC ms since the epoch).
ChinaDate china_date(std::int64_t utc_ms);
// 00:00 China time on `d`, as UTC ms. 24:00 of `d` is china_midnight_ms(d + 1).
std::int64_t china_midnight_ms(ChinaDate d);
// `utc_ms`'s China time of day moved to the date `d`.
std::int64_t same_time_on(ChinaDate d, std::int64_t utc_ms);
// 0 = Sunday … 6 = Saturday.
int weekday(ChinaDate d);
bool is_weekend(ChinaDate d);

// "YYYY-MM-DD" (calendar-checked, years 2000–2199) <-> ChinaDate.
// Refusal code: calendar_invalid (details.field when `field` is given).
Result<ChinaDate> parse_china_date(std::string_view text, std::string_view field = "");
std::string format_china_date(ChinaDate d);

// One version of the platform holiday calendar.
// Invariant (after validate_calendar): no date is both a holiday and a
// working day; every working day is a Saturday or a Sunday.
struct HolidayCalendar {
  std::int64_t version = 0;          // 0: the default, weekends only
  std::set<ChinaDate> holidays;      // rest days on any day (法定休假日)
  std::set<ChinaDate> working_days;  // weekend days worked (调休)

  // A rest day: a holiday, or a weekend day that is not a working day.
  bool is_rest_day(ChinaDate d) const;
  // A trading day (for beacons): Monday to Friday and not a rest day. A
  // working weekend is not a trading day (the exchanges are closed).
  bool is_trading_day(ChinaDate d) const;
  // The first trading day strictly after `d`.
  ChinaDate first_trading_day_after(ChinaDate d) const;
  // `d` itself when it is not a rest day, else the first later day that is
  // not (民法典 203).
  ChinaDate roll_past_rest_days(ChinaDate d) const;

  bool operator==(const HolidayCalendar&) const = default;
};

inline constexpr std::size_t kMaxCalendarDates = 4096;

// The admin's input: {"holidays": ["2026-10-01", …], "working_days":
// ["2026-09-27", …]} (both required; repeated dates refused). Refusal
// code: calendar_invalid with details.field.
Result<HolidayCalendar> calendar_from_json(const boost::json::object& json);
Status validate_calendar(const HolidayCalendar& c);
// {"version", "holidays": [...], "working_days": [...]} (dates ascending).
boost::json::object to_json(const HolidayCalendar& c);

// Every version of the calendar with the instant it came into force.
// Invariant: versions ascending from 0 (the default, in force from the
// beginning of time), set_ms non-decreasing.
class CalendarHistory {
 public:
  struct Version {
    HolidayCalendar calendar;
    std::int64_t set_ms = 0;
  };

  CalendarHistory();  // only the default version 0
  // REQUIRES: versions ascending from 1, set_ms non-decreasing.
  explicit CalendarHistory(std::vector<Version> later_versions);

  const HolidayCalendar& current() const { return versions_.back().calendar; }
  // The version in force at `ms`: the latest set at or before it.
  const HolidayCalendar& in_force_at(std::int64_t ms) const;
  std::span<const Version> versions() const { return versions_; }

 private:
  std::vector<Version> versions_;
};

// A pause of a period: a suspension, or a hold; end empty while it lasts.
struct Pause {
  std::int64_t start_ms = 0;
  std::optional<std::int64_t> end_ms;

  bool operator==(const Pause&) const = default;
};

// Minimum periods: china_date(deadline) − china_date(start) >= days.
bool meets_minimum_period(std::int64_t start_ms, std::int64_t deadline_ms, std::int64_t days);
// The earliest deadline with the time of day of `deadline_ms` that keeps
// `days` after `start_ms`: `deadline_ms` itself when it already does.
std::int64_t keep_minimum_period(std::int64_t start_ms, std::int64_t deadline_ms,
                                 std::int64_t days);

// "N日前": the first instant at which the period before `deadline_ms` has
// begun, i.e. 00:00 China time of (deadline's date − days). The last day to
// act is the deadline's date − (days + 1); nothing rolls.
std::int64_t days_before_cutoff_ms(std::int64_t deadline_ms, std::int64_t days);

// A period of `days` granted from `opened_ms`: the exclusive end instant,
// 24:00 China time of its last day. Day 1 is the day after the opening's
// date; day `days` is moved past rest days of `calendar`; then every
// counted date (after the opening's date) touched by a pause that began
// before the period ended is added, and the result is moved past rest days
// again. nullopt while a pause that began before the end still lasts (the
// end is not yet known).
// REQUIRES: days >= 1; pauses sorted by start, non-overlapping.
std::optional<std::int64_t> granted_period_end_ms(const HolidayCalendar& calendar,
                                                  std::int64_t opened_ms, std::int64_t days,
                                                  std::span<const Pause> pauses = {});

// The same with the calendar's history: computed with the version in force
// at `opened_ms`, then each later version set while the period was still
// open may move the end later (never earlier).
std::optional<std::int64_t> granted_period_end_ms(const CalendarHistory& history,
                                                  std::int64_t opened_ms, std::int64_t days,
                                                  std::span<const Pause> pauses = {});

}  // namespace sunbid::core
