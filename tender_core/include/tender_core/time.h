// RFC 3339 timestamps <-> milliseconds since the Unix epoch (UTC).
//
// Input (parse_rfc3339_ms): `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)`,
// uppercase `T` and `Z` only, years 0001-9999, calendar-checked dates (leap
// years), no leap second (SS = 60 is refused: the platform's clock is POSIX
// time, which has none). A fraction beyond milliseconds must be zeros
// (".123000" is fine, ".1234" is refused) so that no instant is silently
// truncated. Offsets are converted to UTC ("2025-07-01T10:00:00+08:00" ==
// "2025-07-01T02:00:00Z"). Refusal code: time_invalid.
//
// Output (format_rfc3339_ms): always `YYYY-MM-DDTHH:MM:SS.mmmZ`.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "audit_log/result.h"

namespace sunbid::core {

// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
inline constexpr std::int64_t kMinRfc3339Ms = -62135596800000;
inline constexpr std::int64_t kMaxRfc3339Ms = 253402300799999;

Result<std::int64_t> parse_rfc3339_ms(std::string_view text);

// REQUIRES: kMinRfc3339Ms <= ms <= kMaxRfc3339Ms
std::string format_rfc3339_ms(std::int64_t ms);

}  // namespace sunbid::core
