#include "tender_core/calendar.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <limits>

namespace sunbid::core {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

Error calendar_invalid(std::string_view field, std::string_view why_zh, std::string_view why_en) {
  boost::json::object d;
  if (!field.empty()) d["field"] = field;
  const std::string at_zh = field.empty() ? "" : "（" + std::string(field) + "）";
  const std::string at_en = field.empty() ? "" : " (" + std::string(field) + ")";
  return make_error("calendar_invalid",
                    "节假日安排无效" + at_zh + "：" + std::string(why_zh) +
                        " / invalid holiday calendar" + at_en + ": " + std::string(why_en),
                    std::move(d));
}

}  // namespace

ChinaDate china_date(std::int64_t utc_ms) {
  return floor_div(utc_ms + kChinaOffsetMs, kMsPerDay);
}

std::int64_t china_midnight_ms(ChinaDate d) {
  return d * kMsPerDay - kChinaOffsetMs;
}

std::int64_t same_time_on(ChinaDate d, std::int64_t utc_ms) {
  return china_midnight_ms(d) + (utc_ms - china_midnight_ms(china_date(utc_ms)));
}

int weekday(ChinaDate d) {
  // 1970-01-01 was a Thursday (4).
  return static_cast<int>(((d % 7) + 7 + 4) % 7);
}

bool is_weekend(ChinaDate d) {
  const int w = weekday(d);
  return w == 0 || w == 6;
}

Result<ChinaDate> parse_china_date(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return calendar_invalid(field, "日期须为YYYY-MM-DD（2000至2199年）",
                            "a date must be YYYY-MM-DD (years 2000-2199)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < lens[i]; ++k) {
      const char c = text[starts[i] + k];
      if (c < '0' || c > '9') return bad();
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year{parts[0]},
                                        std::chrono::month{static_cast<unsigned>(parts[1])},
                                        std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (parts[0] < 2000 || parts[0] > 2199 || !ymd.ok()) return bad();
  return static_cast<ChinaDate>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

std::string format_china_date(ChinaDate d) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{d}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

bool HolidayCalendar::is_rest_day(ChinaDate d) const {
  if (holidays.contains(d)) return true;
  return is_weekend(d) && !working_days.contains(d);
}

bool HolidayCalendar::is_trading_day(ChinaDate d) const {
  return !is_weekend(d) && !is_rest_day(d);
}

ChinaDate HolidayCalendar::first_trading_day_after(ChinaDate d) const {
  // Terminates: holidays are finite, and weekdays come back every week.
  ChinaDate x = d + 1;
  while (!is_trading_day(x)) ++x;
  return x;
}

ChinaDate HolidayCalendar::roll_past_rest_days(ChinaDate d) const {
  while (is_rest_day(d)) ++d;
  return d;
}

Status validate_calendar(const HolidayCalendar& c) {
  if (c.holidays.size() + c.working_days.size() > kMaxCalendarDates) {
    return calendar_invalid("", "日期过多（至多4096个）", "too many dates (at most 4096)");
  }
  for (ChinaDate d : c.working_days) {
    if (!is_weekend(d)) {
      return calendar_invalid("working_days", format_china_date(d) + "不是周六或周日",
                              format_china_date(d) + " is not a Saturday or a Sunday");
    }
    if (c.holidays.contains(d)) {
      return calendar_invalid("working_days", format_china_date(d) + "同时是节假日",
                              format_china_date(d) + " is also a holiday");
    }
  }
  return ok_status();
}

Result<HolidayCalendar> calendar_from_json(const boost::json::object& json) {
  for (const auto& kv : json) {
    if (kv.key() != "holidays" && kv.key() != "working_days") {
      return calendar_invalid(kv.key(), "未知字段", "unknown field");
    }
  }
  HolidayCalendar c;
  for (std::string_view key : {"holidays", "working_days"}) {
    const auto it = json.find(key);
    if (it == json.end()) return calendar_invalid(key, "缺少字段", "missing field");
    if (!it->value().is_array()) return calendar_invalid(key, "须为数组", "must be an array");
    auto& into = key == "holidays" ? c.holidays : c.working_days;
    const auto& arr = it->value().get_array();
    if (arr.size() > kMaxCalendarDates) {
      return calendar_invalid(key, "日期过多（至多4096个）", "too many dates (at most 4096)");
    }
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
      if (!arr[i].is_string()) return calendar_invalid(field, "须为字符串", "must be a string");
      SUNBID_ASSIGN_OR_RETURN(ChinaDate d, parse_china_date(arr[i].get_string(), field));
      if (!into.insert(d).second) return calendar_invalid(field, "日期重复", "repeated date");
    }
  }
  SUNBID_TRY(validate_calendar(c));
  return c;
}

boost::json::object to_json(const HolidayCalendar& c) {
  boost::json::array holidays;
  for (ChinaDate d : c.holidays) holidays.emplace_back(format_china_date(d));
  boost::json::array working;
  for (ChinaDate d : c.working_days) working.emplace_back(format_china_date(d));
  return {{"version", c.version},
          {"holidays", std::move(holidays)},
          {"working_days", std::move(working)}};
}

CalendarHistory::CalendarHistory() {
  versions_.push_back(Version{HolidayCalendar{}, std::numeric_limits<std::int64_t>::min()});
}

CalendarHistory::CalendarHistory(std::vector<Version> later_versions) : CalendarHistory() {
  for (auto& v : later_versions) {
    assert(v.calendar.version == versions_.back().calendar.version + 1);
    assert(v.set_ms >= versions_.back().set_ms);
    versions_.push_back(std::move(v));
  }
}

const HolidayCalendar& CalendarHistory::in_force_at(std::int64_t ms) const {
  const HolidayCalendar* out = &versions_.front().calendar;
  for (const auto& v : versions_) {
    if (v.set_ms > ms) break;
    out = &v.calendar;
  }
  return *out;
}

bool meets_minimum_period(std::int64_t start_ms, std::int64_t deadline_ms, std::int64_t days) {
  return china_date(deadline_ms) - china_date(start_ms) >= days;
}

std::int64_t keep_minimum_period(std::int64_t start_ms, std::int64_t deadline_ms,
                                 std::int64_t days) {
  if (meets_minimum_period(start_ms, deadline_ms, days)) return deadline_ms;
  return same_time_on(china_date(start_ms) + days, deadline_ms);
}

std::int64_t days_before_cutoff_ms(std::int64_t deadline_ms, std::int64_t days) {
  return china_midnight_ms(china_date(deadline_ms) - days);
}

std::optional<std::int64_t> granted_period_end_ms(const HolidayCalendar& calendar,
                                                  std::int64_t opened_ms, std::int64_t days,
                                                  std::span<const Pause> pauses) {
  const ChinaDate first_counted = china_date(opened_ms) + 1;
  // Day N, moved past rest days (民法典 203): the end without pauses.
  const ChinaDate last = calendar.roll_past_rest_days(first_counted + days - 1);
  std::int64_t added = 0;                      // counted dates touched by pauses
  ChinaDate counted_upto = first_counted - 1;  // so that no date counts twice
  auto end_of = [&] { return china_midnight_ms(calendar.roll_past_rest_days(last + added) + 1); };
  for (const Pause& p : pauses) {
    if (p.end_ms && *p.end_ms <= opened_ms) continue;
    if (p.start_ms >= end_of()) break;  // the period had ended when it began
    if (!p.end_ms) return std::nullopt;
    const ChinaDate from = std::max({china_date(p.start_ms), first_counted, counted_upto + 1});
    const ChinaDate to = china_date(*p.end_ms - 1);  // the end instant itself is not paused
    if (to >= from) {
      added += to - from + 1;
      counted_upto = to;
    }
  }
  return end_of();
}

std::optional<std::int64_t> granted_period_end_ms(const CalendarHistory& history,
                                                  std::int64_t opened_ms, std::int64_t days,
                                                  std::span<const Pause> pauses) {
  auto end = granted_period_end_ms(history.in_force_at(opened_ms), opened_ms, days, pauses);
  if (!end) return end;
  for (const auto& v : history.versions()) {
    if (v.set_ms <= opened_ms) continue;
    if (v.set_ms >= *end) break;  // the period had ended: a closed window never reopens
    auto with = granted_period_end_ms(v.calendar, opened_ms, days, pauses);
    if (!with) return with;
    end = std::max(*end, *with);
  }
  return end;
}

}  // namespace sunbid::core
