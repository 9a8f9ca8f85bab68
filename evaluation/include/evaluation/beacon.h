// Beacons (信标): the public value a supervisor enters for a draw, and the
// date rule that keeps it from being ground (docs/draw.md "Beacon").
//
// A beacon value has ONE canonical form, `^[1-9][0-9]*\.[0-9]{2}$` (an index
// close in hundredths, e.g. "3380.21"), so nobody can try spellings of one
// value. It carries its date, a real calendar date `YYYY-MM-DD`, which goes
// into the seed (draw.h). The date must be the FIRST trading day strictly
// after the China (UTC+8) date of the entry that fixed the draw's inputs: a
// day Monday to Friday that is not a rest day of the platform calendar. Any
// other date is refused, so a value that existed when the inputs were fixed
// (or one of several later ones) cannot be chosen.
//
// The rest-day test is injected (RestDayTest): the platform holiday calendar
// lives in tender_core; without one, every weekday is a trading day.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::eval {

// A proleptic Gregorian calendar date.
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  auto operator<=>(const CivilDate&) const = default;
};

// "YYYY-MM-DD", zero-padded.
std::string to_string(const CivilDate& d);

// Strict: exactly `YYYY-MM-DD`, year 0001-9999, month 01-12, day within the
// month (leap years). Refuses beacon_invalid (field beacon_date).
Result<CivilDate> parse_beacon_date(std::string_view text);

// Refuses beacon_invalid (field beacon) unless `value` matches
// ^[1-9][0-9]*\.[0-9]{2}$ and has at most 20 characters.
Status check_beacon_value(std::string_view value);

// The Asia/Shanghai (UTC+8, no daylight saving) calendar date of an instant.
CivilDate china_date_of(std::int64_t unix_ms);

// 0 = Monday … 6 = Sunday.
int weekday(const CivilDate& d);
CivilDate next_day(const CivilDate& d);

// Whether a date (a weekday) is a rest day of the platform calendar (法定节假日).
// Runs with the caller's connection (on the writer thread inside a command).
using RestDayTest = std::function<Result<bool>(audit::Database&, const CivilDate&)>;

// The first day strictly after `after` that is Monday–Friday and, when
// `is_rest_day` is set, not a rest day. Gives up (storage_error) after 60
// days of rest days, which no calendar has.
Result<CivilDate> first_trading_day_after(audit::Database& db, const CivilDate& after,
                                          const RestDayTest& is_rest_day);

}  // namespace sunbid::eval
