// Golden instants computed independently with Python's datetime.
#include "tender_core/time.h"

#include <catch2/catch.hpp>

using sunbid::core::format_rfc3339_ms;
using sunbid::core::parse_rfc3339_ms;

namespace {
std::int64_t ms(std::string_view s) {
  auto r = parse_rfc3339_ms(s);
  INFO(std::string(s));
  REQUIRE(r.ok());
  return *r;
}
bool refused(std::string_view s) {
  auto r = parse_rfc3339_ms(s);
  return !r.ok() && r.error().code == "time_invalid";
}
}  // namespace

TEST_CASE("RFC 3339 parse", "[time]") {
  CHECK(ms("2025-07-01T02:00:00Z") == 1751335200000);
  CHECK(ms("2025-07-01T10:00:00+08:00") == 1751335200000);
  CHECK(ms("2025-07-01T02:00:00.120Z") == 1751335200120);
  CHECK(ms("2025-07-01T02:00:00.12Z") == 1751335200120);
  CHECK(ms("2025-07-01T02:00:00.1Z") == 1751335200100);
  CHECK(ms("2025-07-01T02:00:00.120000000Z") == 1751335200120);
  CHECK(ms("2024-02-29T23:59:59.999Z") == 1709251199999);
  CHECK(ms("1969-12-31T23:59:59.999Z") == -1);
  CHECK(ms("1970-01-01T00:00:00Z") == 0);
  CHECK(ms("2000-03-01T00:00:00-05:30") == 951888600000);
  CHECK(ms("2000-03-01T00:00:00-00:00") == 951868800000);
  CHECK(ms("0001-01-01T00:00:00Z") == -62135596800000);
  CHECK(ms("9999-12-31T23:59:59.999Z") == 253402300799999);
}

TEST_CASE("RFC 3339 refusals", "[time]") {
  CHECK(refused(""));
  CHECK(refused("2025-07-01"));
  CHECK(refused("2025-07-01T02:00:00"));   // no zone
  CHECK(refused("2025-07-01 02:00:00Z"));  // space
  CHECK(refused("2025-07-01t02:00:00z"));  // lowercase
  CHECK(refused("2025-02-29T00:00:00Z"));  // not a leap year
  CHECK(refused("2100-02-29T00:00:00Z"));  // century, not leap
  CHECK(refused("2025-04-31T00:00:00Z"));
  CHECK(refused("2025-13-01T00:00:00Z"));
  CHECK(refused("2025-00-01T00:00:00Z"));
  CHECK(refused("2025-01-00T00:00:00Z"));
  CHECK(refused("2025-01-01T24:00:00Z"));
  CHECK(refused("2025-01-01T23:60:00Z"));
  CHECK(refused("2016-12-31T23:59:60Z"));  // leap second
  CHECK(refused("2025-01-01T00:00:00.Z"));
  CHECK(refused("2025-01-01T00:00:00.1234Z"));  // sub-millisecond
  CHECK(refused("2025-01-01T00:00:00.0000000000Z"));
  CHECK(refused("2025-01-01T00:00:00+0800"));
  CHECK(refused("2025-01-01T00:00:00+24:00"));
  CHECK(refused("2025-01-01T00:00:00+08:60"));
  CHECK(refused("2025-01-01T00:00:00Z "));
  CHECK(refused("0000-01-01T00:00:00Z"));
  CHECK(refused("0001-01-01T00:00:00+00:01"));  // before year 1 in UTC
  CHECK(refused("+2025-01-01T00:00:00Z"));
  CHECK(refused("2025-1-01T00:00:00Z"));
}

TEST_CASE("RFC 3339 format", "[time]") {
  CHECK(format_rfc3339_ms(1751335200000) == "2025-07-01T02:00:00.000Z");
  CHECK(format_rfc3339_ms(1751335200120) == "2025-07-01T02:00:00.120Z");
  CHECK(format_rfc3339_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_rfc3339_ms(1709251199999) == "2024-02-29T23:59:59.999Z");
  CHECK(format_rfc3339_ms(-62135596800000) == "0001-01-01T00:00:00.000Z");
  CHECK(format_rfc3339_ms(253402300799999) == "9999-12-31T23:59:59.999Z");
  for (std::int64_t v : {0LL, 1LL, 999LL, 86399999LL, 1751335200120LL, -86400001LL}) {
    CHECK(*parse_rfc3339_ms(format_rfc3339_ms(v)) == v);
  }
}
