// RFC 3339 UTC timestamps with milliseconds, the only time form in audit
// entries and API output: "YYYY-MM-DDTHH:MM:SS.mmmZ".
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sunbid {

// REQUIRES: t_ms is within years 0000..9999.
std::string format_rfc3339_ms(std::int64_t t_ms);

// The inverse, for exactly the form above (checks the calendar: days per
// month, leap years, hours < 24). nullopt for anything else.
std::optional<std::int64_t> parse_rfc3339_ms_utc(std::string_view text);

}  // namespace sunbid
