#include "tender_core/time.h"

#include "audit_log/time_format.h"

#include <cassert>
#include <chrono>
#include <cstdio>

namespace sunbid::core {
namespace {

Error invalid(std::string_view text, const std::string& why) {
  boost::json::object d;
  d["value"] = std::string(text.substr(0, 64));
  return make_error("time_invalid",
                    "时间格式无效（须为RFC 3339，如2025-07-01T02:00:00Z）：" + why +
                        " / invalid RFC 3339 time (e.g. 2025-07-01T02:00:00Z): " + why,
                    std::move(d));
}

// Reads exactly `n` digits at text[pos..); false if any is not a digit.
bool digits(std::string_view text, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<std::int64_t> parse_rfc3339_ms(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) || text[10] != 'T' ||
      !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) ||
      text[16] != ':' || !digits(text, 17, 2, second)) {
    return invalid(text, "format");
  }
  std::size_t pos = 19;
  int millis = 0;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      const std::size_t k = pos - start;
      if (k < 3) {
        millis = millis * 10 + (text[pos] - '0');
      } else if (text[pos] != '0') {
        return invalid(text, "sub-millisecond precision");
      }
      ++pos;
    }
    const std::size_t n = pos - start;
    if (n == 0 || n > 9) return invalid(text, "fraction");
    for (std::size_t k = n; k < 3; ++k) millis *= 10;
  }
  int offset_minutes = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '+' ? 1 : -1;
    int oh = 0, om = 0;
    if (!digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits(text, pos + 4, 2, om)) {
      return invalid(text, "offset");
    }
    if (oh > 23 || om > 59) return invalid(text, "offset out of range");
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return invalid(text, "missing Z or offset");
  }
  if (pos != text.size()) return invalid(text, "trailing characters");
  if (year < 1) return invalid(text, "year");
  if (hour > 23 || minute > 59 || second > 59) return invalid(text, "time of day out of range");
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return invalid(text, "no such calendar date");
  const std::int64_t days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  const std::int64_t local_s = days * 86400 + hour * 3600 + minute * 60 + second;
  const std::int64_t ms =
      (local_s - static_cast<std::int64_t>(offset_minutes) * 60) * 1000 + millis;
  if (ms < kMinRfc3339Ms || ms > kMaxRfc3339Ms) return invalid(text, "outside years 0001-9999 UTC");
  return ms;
}

std::string format_rfc3339_ms(std::int64_t ms) {
  assert(ms >= kMinRfc3339Ms && ms <= kMaxRfc3339Ms);
  // One definition of the output form, shared with the audit log's entries.
  return sunbid::format_rfc3339_ms(ms);
}

}  // namespace sunbid::core
