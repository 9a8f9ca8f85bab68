// Canonical JSON: the byte form of every audit-log entry and bid commitment.
//
// RFC 8785 (JCS) restricted to integers. For a given value there is exactly
// one canonical text:
//   - no insignificant whitespace anywhere;
//   - object members sorted by their keys compared as sequences of UTF-16
//     code units (this differs from UTF-8 byte order only for characters
//     above U+FFFF, which sort before U+E000..U+FFFF); no duplicate keys;
//   - strings are UTF-8; only '"', '\' and U+0000..U+001F are escaped, as
//     \" \\ \b \f \n \r \t, the other controls as \u00xx with lowercase hex;
//     everything else (U+007F, U+2028, any non-ASCII) is written literally;
//   - numbers are integers in [-2^63, 2^63-1], no sign on zero, no leading
//     zeros, no fraction, no exponent;
//   - literals true, false, null; nesting at most kMaxCanonicalDepth deep.
// docs/canonical-json.md gives the rules byte for byte with examples.
//
// to_canonical_json() encodes a boost::json::value; check_canonical() is a
// single-pass validating scanner accepting exactly the texts the encoder can
// produce (it allocates nothing on the common path: keys without escapes).
//
// Thread-safety: all functions are pure and safe for concurrent use; a
// TopLevelFields object is used by one thread at a time.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::audit {

// Arrays and objects may nest this deep, counting the outermost as 1.
inline constexpr int kMaxCanonicalDepth = 64;

// Encodes `value` canonically.
// Errors: non_integer_number (a double), integer_out_of_range (uint64 above
// INT64_MAX), invalid_utf8 (a string or key), duplicate_key (an object
// holding the same key twice), nesting_too_deep (more than 64 levels).
Result<std::string> to_canonical_json(const boost::json::value& value);

// The raw bytes of each member of a top-level object, as check_canonical()
// saw them. Reuse one object across many checks: clear() keeps its capacity,
// so a verifier walking a million entries allocates only once.
//
// Invariant: entries appear in document order, i.e. sorted by key; every
// string_view points into the checked text and is valid only while it is.
class TopLevelFields {
 public:
  struct Field {
    std::string_view key;  // raw key bytes between the quotes, still escaped
    std::string_view raw;  // the value's exact bytes (a string keeps its quotes)
  };

  void clear() { fields_.clear(); }
  void add(std::string_view key, std::string_view raw) { fields_.push_back({key, raw}); }

  // The raw value of `key`, or an empty view when absent. `key` is compared
  // with the raw (escaped) key bytes, which equal the key itself whenever it
  // has no '"', '\' or control characters — true of every audit-entry key.
  std::string_view find(std::string_view key) const {
    for (const Field& f : fields_)
      if (f.key == key) return f.raw;
    return {};
  }
  bool contains(std::string_view key) const {
    for (const Field& f : fields_)
      if (f.key == key) return true;
    return false;
  }

  std::size_t size() const { return fields_.size(); }
  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

// Accepts `bytes` iff it is the canonical encoding of some value.
// Error: non_canonical_json, the message naming what is wrong and the byte
// offset; details {"offset": <int>, "reason": "<snake_case class>"} where
// reason is one of: empty_input, whitespace, unexpected_byte, trailing_bytes,
// unterminated, too_deep, unsorted_keys, duplicate_key, non_minimal_escape,
// invalid_escape, control_character, invalid_utf8, leading_zero,
// negative_zero, fraction, exponent, integer_out_of_range.
// When `fields` is not null it is cleared, and if the text is a top-level
// object it receives one entry per member (on failure its content is
// unspecified).
Status check_canonical(std::string_view bytes, TopLevelFields* fields = nullptr);

// Reads a raw canonical integer (e.g. TopLevelFields::find("index")).
// Error: invalid_integer when `raw` is not a canonical int64.
Result<std::int64_t> raw_to_int64(std::string_view raw);

// Unescapes a raw canonical string slice including its quotes.
// Error: invalid_string when `raw` is not a canonical JSON string.
Result<std::string> raw_to_string(std::string_view raw);

// Compares two valid UTF-8 strings as sequences of UTF-16 code units
// (<0, 0, >0). REQUIRES: both are valid UTF-8.
int compare_utf16(std::string_view a, std::string_view b);

}  // namespace sunbid::audit
