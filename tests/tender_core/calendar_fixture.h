// China dates and the 2025 National Day calendar for the period tests
// (periods_test.cc, window_plan_test.cc).
#pragma once

#include <catch2/catch.hpp>
#include <string_view>

#include "tender_core/calendar.h"

namespace sunbid::testing {

inline core::ChinaDate date(std::string_view s) {
  auto d = core::parse_china_date(s);
  REQUIRE(d.ok());
  return *d;
}

// The National Day week of 2025: 1–8 October off, Sunday 28 September and
// Saturday 11 October worked (国务院办公厅 2024 notice).
inline core::HolidayCalendar national_day_2025() {
  core::HolidayCalendar c;
  for (const char* d :
       {"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"}) {
    c.holidays.insert(date(d));
  }
  c.working_days = {date("2025-09-28"), date("2025-10-11")};
  return c;
}

}  // namespace sunbid::testing
