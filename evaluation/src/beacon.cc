#include "evaluation/beacon.h"

#include <cstdio>

namespace sunbid::eval {

namespace {

Error beacon_invalid(std::string_view field, std::string_view zh, std::string_view en) {
  return make_error("beacon_invalid", std::string(zh) + " / " + std::string(en),
                    {{"field", std::string(field)}});
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(const CivilDate& d) {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const auto mp = static_cast<unsigned>(d.month + (d.month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

}  // namespace

std::string to_string(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Result<CivilDate> parse_beacon_date(std::string_view t) {
  bool shape = t.size() == 10 && t[4] == '-' && t[7] == '-';
  for (std::size_t i = 0; shape && i < t.size(); ++i) {
    if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9')) shape = false;
  }
  if (!shape) {
    return beacon_invalid("beacon_date", "信标日期须为 YYYY-MM-DD",
                          "the beacon date must be YYYY-MM-DD");
  }
  const auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  CivilDate d{num(0, 4), num(5, 2), num(8, 2)};
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > days_in_month(d.year, d.month)) {
    return beacon_invalid("beacon_date", "信标日期不是有效的日历日期",
                          "the beacon date is not a calendar date");
  }
  return d;
}

Status check_beacon_value(std::string_view v) {
  const auto dot = v.find('.');
  bool ok = v.size() <= 20 && dot != std::string_view::npos && dot >= 1 && v[0] != '0' &&
            v.size() - dot - 1 == 2;
  for (std::size_t i = 0; ok && i < v.size(); ++i) {
    if (i != dot && (v[i] < '0' || v[i] > '9')) ok = false;
  }
  if (!ok) {
    return beacon_invalid("beacon", "信标值须为规范形式（如 3380.21：无前导零，两位小数）",
                          "the beacon must be in canonical form, e.g. 3380.21 (no leading "
                          "zero, two decimals)");
  }
  return ok_status();
}

CivilDate china_date_of(std::int64_t unix_ms) {
  constexpr std::int64_t kDayMs = 86'400'000;
  constexpr std::int64_t kOffsetMs = 8 * 3'600'000;
  std::int64_t t = unix_ms + kOffsetMs;
  std::int64_t days = t / kDayMs;
  if (t % kDayMs < 0) --days;
  return civil_from_days(days);
}

int weekday(const CivilDate& d) {
  // 1970-01-01 was a Thursday (3 when Monday = 0).
  const std::int64_t z = days_from_civil(d);
  return static_cast<int>(((z % 7) + 7 + 3) % 7);
}

CivilDate next_day(const CivilDate& d) {
  return civil_from_days(days_from_civil(d) + 1);
}

Result<CivilDate> first_trading_day_after(audit::Database& db, const CivilDate& after,
                                          const RestDayTest& is_rest_day) {
  CivilDate d = next_day(after);
  for (int i = 0; i < 60; ++i, d = next_day(d)) {
    if (weekday(d) >= 5) continue;
    if (is_rest_day) {
      SUNBID_ASSIGN_OR_RETURN(bool rest, is_rest_day(db, d));
      if (rest) continue;
    }
    return d;
  }
  return make_error(audit::kStorageError,
                    "日历中连续 60 天均为休息日 / the calendar has 60 rest days in a row");
}

}  // namespace sunbid::eval
