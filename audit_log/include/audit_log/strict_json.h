// Strict JSON input: how every HTTP request body becomes a boost::json::value.
//
// RFC 8259 JSON, further restricted so that what a client sends means one
// thing only:
//   - the body is UTF-8 without a byte-order mark, every string and key valid
//     UTF-8 (no lone surrogate escapes such as \ud800);
//   - no duplicate keys in any object;
//   - numbers are integers within int64: no fraction, no exponent;
//   - nesting at most kMaxStrictDepth levels; nothing but whitespace after
//     the value.
// Integers arrive as int64 values (never uint64 or double), so a parsed value
// always encodes with to_canonical_json() unless it nests too deeply there.
//
// Thread-safety: safe for concurrent use (no shared state).
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "audit_log/result.h"

namespace sunbid::audit {

inline constexpr int kMaxStrictDepth = 64;

// Parses `body`.
// Errors (the HTTP layer maps both to 400):
//   non_integer_number — a number with a fraction or exponent;
//     details {"field": "<JSON pointer of the value>"}.
//   invalid_json — anything else: malformed syntax, invalid UTF-8, a BOM,
//     trailing garbage, nesting deeper than 64 (details {"offset": <byte>}),
//     a duplicate key or an integer outside int64 (details {"field": ...}).
Result<boost::json::value> parse_strict_json(std::string_view body);

}  // namespace sunbid::audit
