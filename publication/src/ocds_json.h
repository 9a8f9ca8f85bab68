// The release serializer: JSON text of a release object in member order, in
// which every member named `amount` or `quantity` holds an exact decimal
// string ("2.35", "12000.5") and is written as a JSON number. Amounts are
// kept as integers (fen, centi-m²) until here and turned into decimal text
// by `decimal`, so that no value ever passes through a double.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "audit_log/result.h"

namespace sunbid::publication {

// `units` / 10^`scale` as the shortest exact decimal: decimal(235, 2) = "2.35",
// decimal(1200, 2) = "12", decimal(-5, 2) = "-0.05". REQUIRES: 0 <= scale <= 9.
std::string decimal(std::int64_t units, int scale);

// Error `ocds_invalid_amount` when an `amount`/`quantity` member is not a
// decimal string (a bug of the release builder, never of input).
Result<std::string> serialize_release(const boost::json::value& v);

}  // namespace sunbid::publication
