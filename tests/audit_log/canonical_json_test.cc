#include "audit_log/canonical_json.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "audit_log/strict_json.h"

using namespace sunbid;
using namespace sunbid::audit;

namespace {

std::string encode(const boost::json::value& v) {
  auto r = to_canonical_json(v);
  REQUIRE(r.ok());
  return *r;
}

std::string encode_error_code(const boost::json::value& v) {
  auto r = to_canonical_json(v);
  REQUIRE_FALSE(r.ok());
  return r.error().code;
}

// The reason class of a refusal, or "ok".
std::string check_reason(std::string_view text) {
  Status s = check_canonical(text);
  if (s.ok()) return "ok";
  CHECK(s.error().code == "non_canonical_json");
  return std::string(s.error().details.at("reason").as_string());
}

std::int64_t check_offset(std::string_view text) {
  Status s = check_canonical(text);
  REQUIRE_FALSE(s.ok());
  return s.error().details.at("offset").as_int64();
}

std::string nested_arrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

// Independent oracle for UTF-16 ordering: convert to UTF-16 code units.
std::u16string to_utf16(const std::u32string& cps) {
  std::u16string out;
  for (char32_t c : cps) {
    if (c < 0x10000) {
      out.push_back(static_cast<char16_t>(c));
    } else {
      c -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (c >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (c & 0x3FF)));
    }
  }
  return out;
}

std::string to_utf8(const std::u32string& cps) {
  std::string out;
  for (char32_t c : cps) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

char32_t random_code_point(std::mt19937_64& rng) {
  // Weighted towards the classes that matter: controls, escapes, ASCII,
  // two/three-byte, the U+E000..U+FFFF block and supplementary characters.
  switch (rng() % 8) {
    case 0:
      return static_cast<char32_t>(rng() % 0x20);
    case 1: {
      const char32_t specials[] = {'"', '\\', '/', 0x7F, 0x2028, 0x2029, 0xFEFF, 0xFFFF};
      return specials[rng() % 8];
    }
    case 2:
    case 3:
      return static_cast<char32_t>(0x20 + rng() % 0x60);
    case 4:
      return static_cast<char32_t>(0x80 + rng() % (0x800 - 0x80));
    case 5: {
      char32_t c = static_cast<char32_t>(0x800 + rng() % (0x10000 - 0x800));
      return (c >= 0xD800 && c <= 0xDFFF) ? c + 0x800 : c;  // skip surrogates
    }
    case 6:
      return static_cast<char32_t>(0xE000 + rng() % 0x2000);
    default:
      return static_cast<char32_t>(0x10000 + rng() % (0x110000 - 0x10000));
  }
}

std::u32string random_code_points(std::mt19937_64& rng, std::size_t max_len) {
  std::u32string s;
  const std::size_t n = rng() % (max_len + 1);
  for (std::size_t i = 0; i < n; ++i) s.push_back(random_code_point(rng));
  return s;
}

std::int64_t random_int(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      return std::numeric_limits<std::int64_t>::min() + static_cast<std::int64_t>(rng() % 3);
    case 1:
      return std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(rng() % 3);
    case 2:
      return static_cast<std::int64_t>(rng() % 2001) - 1000;
    default:
      return static_cast<std::int64_t>(rng());
  }
}

boost::json::value random_value(std::mt19937_64& rng, int depth) {
  const int kinds = depth >= 6 ? 5 : 7;
  switch (rng() % kinds) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return random_int(rng);
    case 3:
    case 4:
      return boost::json::string_view(to_utf8(random_code_points(rng, 12)));
    case 5: {
      boost::json::array a;
      const std::size_t n = rng() % 5;
      for (std::size_t i = 0; i < n; ++i) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      boost::json::object o;
      const std::size_t n = rng() % 6;
      for (std::size_t i = 0; i < n; ++i)
        o[to_utf8(random_code_points(rng, 4))] = random_value(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace

TEST_CASE("encoder sorts keys by UTF-16 code units, not by bytes") {
  // "" < "a" < "z" < U+00E9 < U+1F600 (D83D DE00) < U+E000 < U+FF61.
  // In UTF-8 byte order U+1F600 (F0 ..) would come last.
  boost::json::object o;
  o["z"] = 2;
  o["\xC3\xA9"] = 3;          // é
  o["\xF0\x9F\x98\x80"] = 4;  // 😀 U+1F600
  o["\xEF\xBD\xA1"] = 5;      // ｡ U+FF61
  o["a"] = 1;
  o[""] = 0;
  o["\xEE\x80\x80"] = 6;  // U+E000
  const std::string expected =
      "{\"\":0,\"a\":1,\"z\":2,\"\xC3\xA9\":3,\"\xF0\x9F\x98\x80\":4,\"\xEE\x80\x80\":6,"
      "\"\xEF\xBD\xA1\":5}";
  CHECK(encode(o) == expected);
  CHECK(check_canonical(expected).ok());
  // Byte order (U+E000, U+FF61 before U+1F600) is refused.
  CHECK(check_reason("{\"\xEF\xBD\xA1\":1,\"\xF0\x9F\x98\x80\":2}") == "unsorted_keys");
  CHECK(check_reason("{\"\xF0\x9F\x98\x80\":2,\"\xEF\xBD\xA1\":1}") == "ok");
}

TEST_CASE("encoder escapes only quote, backslash and controls, minimally") {
  const std::string input = std::string("\x00\x01\b\t\n\x0b\f\r\x1f\x1e\"\\/\x7f", 14) +
                            "\xE2\x80\xA8\xC3\xA9\xF0\x9F\x98\x80";
  const std::string expected =
      "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\u001e\\\"\\\\/"
      "\x7f\xE2\x80\xA8\xC3\xA9\xF0\x9F\x98\x80\"";
  CHECK(encode(boost::json::string_view(input)) == expected);
  CHECK(check_canonical(expected).ok());
  auto back = raw_to_string(expected);
  REQUIRE(back.ok());
  CHECK(*back == input);
}

TEST_CASE("encoder writes integers, literals and nested values") {
  CHECK(encode(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
  CHECK(encode(std::numeric_limits<std::int64_t>::max()) == "9223372036854775807");
  CHECK(encode(std::uint64_t{9223372036854775807ULL}) == "9223372036854775807");
  CHECK(encode(0) == "0");
  CHECK(encode(-1) == "-1");
  CHECK(encode(nullptr) == "null");
  CHECK(encode(true) == "true");
  CHECK(encode(false) == "false");
  CHECK(encode(boost::json::array{}) == "[]");
  CHECK(encode(boost::json::object{}) == "{}");
  boost::json::value v = boost::json::parse(R"({"b":[1,{"d":null,"c":true}],"a":"x"})");
  CHECK(encode(v) == R"({"a":"x","b":[1,{"c":true,"d":null}]})");
}

TEST_CASE("encoder refuses what has no canonical form") {
  CHECK(encode_error_code(std::uint64_t{9223372036854775808ULL}) == "integer_out_of_range");
  CHECK(encode_error_code(1.5) == "non_integer_number");
  CHECK(encode_error_code(1.0) == "non_integer_number");
  CHECK(encode_error_code(boost::json::string_view("a\xC0\xAF")) == "invalid_utf8");
  CHECK(encode_error_code(boost::json::string_view("\xED\xA0\x80")) == "invalid_utf8");
  boost::json::object bad_key;
  bad_key["\xFF"] = 1;
  CHECK(encode_error_code(bad_key) == "invalid_utf8");
  boost::json::array nested_double{boost::json::object{{"x", 0.5}}};
  CHECK(encode_error_code(nested_double) == "non_integer_number");
}

TEST_CASE("encoder and checker agree on the 64-level nesting limit") {
  boost::json::value v = boost::json::array{};
  for (int i = 1; i < kMaxCanonicalDepth; ++i) v = boost::json::array{v};
  CHECK(encode(v) == nested_arrays(64));
  CHECK(check_canonical(nested_arrays(64)).ok());
  boost::json::value deeper = boost::json::array{v};
  CHECK(encode_error_code(deeper) == "nesting_too_deep");
  CHECK(check_reason(nested_arrays(65)) == "too_deep");
  boost::json::value obj = boost::json::object{};
  for (int i = 1; i < kMaxCanonicalDepth; ++i) obj = boost::json::object{{"k", obj}};
  CHECK(check_canonical(encode(obj)).ok());
  CHECK(encode_error_code(boost::json::object{{"k", obj}}) == "nesting_too_deep");
}

TEST_CASE("keys with escapes are ordered by their unescaped values") {
  // "\n" (0x0A) < "\"" (0x22) < "A" (0x41) < "\\" (0x5C).
  boost::json::object o;
  o["\\"] = 4;
  o["A"] = 3;
  o["\""] = 2;
  o["\n"] = 1;
  const std::string expected = R"({"\n":1,"\"":2,"A":3,"\\":4})";
  CHECK(encode(o) == expected);
  CHECK(check_canonical(expected).ok());
  // The raw bytes `\"` < `\n` but the values are 0x22 > 0x0A.
  CHECK(check_reason(R"({"\"":1,"\n":2})") == "unsorted_keys");
  CHECK(check_reason(R"({"\u001f":1,"\u001f":2})") == "duplicate_key");
}

TEST_CASE("checker accepts canonical texts of every kind") {
  for (const char* t : {"0", "-1", "9223372036854775807", "-9223372036854775808", "true", "false",
                        "null", "\"\"", "[]", "{}", "[[],{}]", R"({"a":{"b":[1,-2,"c"]},"b":null})",
                        "\"\x7f\"", "\"\\u001f\\b\"", "\"\xE4\xB8\xAD\xE6\x96\x87\""}) {
    INFO(t);
    CHECK(check_reason(t) == "ok");
  }
}

TEST_CASE("checker refuses whitespace") {
  CHECK(check_reason(R"({"a": 1})") == "whitespace");
  CHECK(check_offset(R"({"a": 1})") == 5);
  CHECK(check_reason(" 1") == "whitespace");
  CHECK(check_reason("1\n") == "whitespace");
  CHECK(check_reason("[1, 2]") == "whitespace");
  CHECK(check_reason("{ }") == "whitespace");
}

TEST_CASE("checker refuses unsorted and duplicate keys") {
  CHECK(check_reason(R"({"b":1,"a":2})") == "unsorted_keys");
  CHECK(check_offset(R"({"b":1,"a":2})") == 7);
  CHECK(check_reason(R"({"a":1,"a":2})") == "duplicate_key");
  CHECK(check_reason(R"({"ab":1,"a":2})") == "unsorted_keys");
  CHECK(check_reason(R"({"a":{"y":1,"x":2}})") == "unsorted_keys");
}

TEST_CASE("checker refuses non-minimal escapes") {
  CHECK(check_reason(R"("\/")") == "non_minimal_escape");
  CHECK(check_reason(R"("\u0041")") == "non_minimal_escape");
  CHECK(check_reason(R"("\u001F")") == "non_minimal_escape");
  CHECK(check_reason(R"("\u0008")") == "non_minimal_escape");
  CHECK(check_reason(R"("\u000a")") == "non_minimal_escape");
  CHECK(check_reason(R"("\u00e9")") == "non_minimal_escape");
  CHECK(check_reason(R"("\u007f")") == "non_minimal_escape");
  CHECK(check_reason(R"("\ud83d\ude00")") == "non_minimal_escape");
  CHECK(check_offset(R"("ab\/")") == 3);
  CHECK(check_reason(R"("\x")") == "invalid_escape");
  CHECK(check_reason(R"("\u00g0")") == "invalid_escape");
  CHECK(check_reason(R"("\u00)") == "unterminated");
}

TEST_CASE("checker refuses non-canonical numbers") {
  CHECK(check_reason("01") == "leading_zero");
  CHECK(check_reason("[00]") == "leading_zero");
  CHECK(check_reason("-01") == "leading_zero");
  CHECK(check_reason("-0") == "negative_zero");
  CHECK(check_reason("1.0") == "fraction");
  CHECK(check_reason("0.5") == "fraction");
  CHECK(check_offset("10.5") == 2);
  CHECK(check_reason("1e2") == "exponent");
  CHECK(check_reason("1E2") == "exponent");
  CHECK(check_reason("0e0") == "exponent");
  CHECK(check_reason("9223372036854775808") == "integer_out_of_range");
  CHECK(check_reason("-9223372036854775809") == "integer_out_of_range");
  CHECK(check_reason("12345678901234567890") == "integer_out_of_range");
  CHECK(check_reason("+1") == "unexpected_byte");
  CHECK(check_reason("-") == "unterminated");
  CHECK(check_reason("-a") == "unexpected_byte");
}

TEST_CASE("checker refuses invalid UTF-8") {
  CHECK(check_reason("\"\xC0\xAF\"") == "invalid_utf8");          // overlong '/'
  CHECK(check_reason("\"\xC1\xBF\"") == "invalid_utf8");          // overlong
  CHECK(check_reason("\"\xE0\x80\xAF\"") == "invalid_utf8");      // overlong, 3 bytes
  CHECK(check_reason("\"\xF0\x80\x80\xAF\"") == "invalid_utf8");  // overlong, 4 bytes
  CHECK(check_reason("\"\xED\xA0\x80\"") == "invalid_utf8");      // surrogate U+D800
  CHECK(check_reason("\"\xED\xBF\xBF\"") == "invalid_utf8");      // surrogate U+DFFF
  CHECK(check_reason("\"\xF4\x90\x80\x80\"") == "invalid_utf8");  // U+110000
  CHECK(check_reason("\"\xF5\x80\x80\x80\"") == "invalid_utf8");
  CHECK(check_reason("\"\xE4\xB8\"") == "invalid_utf8");  // truncated
  CHECK(check_reason("\"\xE4\xB8") == "invalid_utf8");    // truncated at the end
  CHECK(check_reason("\"\x80\"") == "invalid_utf8");      // stray continuation
  CHECK(check_reason("\"\xFF\"") == "invalid_utf8");
  CHECK(check_offset("\"abcdefghij\xFF\"") == 11);  // past the 8-byte fast path
  CHECK(check_reason("\"\xED\x9F\xBF\xEE\x80\x80\xF4\x8F\xBF\xBF\"") ==
        "ok");                                                // U+D7FF U+E000 U+10FFFF
  CHECK(check_reason("{\"\xC0\xAF\":1}") == "invalid_utf8");  // in a key
}

TEST_CASE("checker refuses control characters, trailing bytes, truncation, empty input") {
  CHECK(check_reason(std::string_view("\"a\x01\"", 4)) == "control_character");
  CHECK(check_reason(std::string_view("\"\0\"", 3)) == "control_character");
  CHECK(check_reason("\"\t\"") == "control_character");
  CHECK(check_reason("\"0123456789abcdef\x1f\"") == "control_character");
  CHECK(check_reason("1x") == "trailing_bytes");
  CHECK(check_reason("{}{}") == "trailing_bytes");
  CHECK(check_reason("\"abc") == "unterminated");
  CHECK(check_reason("[1,") == "unterminated");
  CHECK(check_reason("{\"a\":1") == "unterminated");
  CHECK(check_reason("tru") == "unexpected_byte");
  CHECK(check_reason("") == "empty_input");
  CHECK(check_reason("[1,]") == "unexpected_byte");
  CHECK(check_reason("{,}") == "unexpected_byte");
  CHECK(check_reason("{\"a\"}") == "unexpected_byte");
  CHECK(check_reason("'a'") == "unexpected_byte");
  CHECK(check_reason("True") == "unexpected_byte");
  CHECK(check_reason("{1:2}") == "unexpected_byte");
}

TEST_CASE("error messages are Chinese then English and name the offset") {
  Status s = check_canonical(R"({"a":1,"a":2})");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message ==
        "非规范 JSON：第 7 字节处键重复 / non-canonical JSON: duplicate key at byte 7");
}

TEST_CASE("top-level fields give the raw value bytes") {
  const std::string entry =
      R"({"index":42,"payload":{"x":[1,2],"y":"\n"},"prev":"ab12","type":"tender.create"})";
  TopLevelFields fields;
  REQUIRE(check_canonical(entry, &fields).ok());
  CHECK(fields.size() == 4);
  CHECK(fields.find("index") == "42");
  CHECK(fields.find("payload") == R"({"x":[1,2],"y":"\n"})");
  CHECK(fields.find("prev") == "\"ab12\"");
  CHECK(fields.find("missing").empty());
  CHECK_FALSE(fields.contains("missing"));
  CHECK(fields.contains("type"));
  CHECK(raw_to_int64(fields.find("index")).value() == 42);
  CHECK(raw_to_string(fields.find("prev")).value() == "ab12");
  CHECK(raw_to_string(fields.find("type")).value() == "tender.create");
  // Reuse clears; a non-object top level records nothing.
  REQUIRE(check_canonical("[1,2]", &fields).ok());
  CHECK(fields.size() == 0);
  REQUIRE(check_canonical(R"({"a":1})", &fields).ok());
  CHECK(fields.size() == 1);
}

TEST_CASE("raw_to_int64 and raw_to_string refuse non-canonical slices") {
  CHECK(raw_to_int64("-9223372036854775808").value() == std::numeric_limits<std::int64_t>::min());
  CHECK(raw_to_int64("9223372036854775807").value() == std::numeric_limits<std::int64_t>::max());
  CHECK(raw_to_int64("0").value() == 0);
  for (const char* bad : {"9223372036854775808", "-9223372036854775809", "01", "-0", "", "-", "1a",
                          "+1", " 1", "1.0", "\"1\""}) {
    INFO(bad);
    auto r = raw_to_int64(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_integer");
  }
  CHECK(raw_to_string(R"("a\nb\u001f\"\\")").value() == "a\nb\x1f\"\\");
  for (const char* bad : {"\"abc", "abc", "\"a\"b\"", "\"", "", R"("\/")", "\"\xFF\""}) {
    INFO(bad);
    auto r = raw_to_string(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_string");
  }
}

TEST_CASE("compare_utf16 matches an independent UTF-16 comparison") {
  std::mt19937_64 rng(20261128);
  for (int i = 0; i < 20000; ++i) {
    std::u32string a = random_code_points(rng, 4);
    std::u32string b =
        rng() % 3 == 0 ? a.substr(0, rng() % (a.size() + 1)) : random_code_points(rng, 4);
    if (rng() % 4 == 0 && !b.empty()) {  // long shared prefix
      std::u32string joined = a;
      joined += b.substr(1);
      b = joined;
    }
    const std::u16string ua = to_utf16(a), ub = to_utf16(b);
    const int expected = ua < ub ? -1 : (ub < ua ? 1 : 0);
    const int got = compare_utf16(to_utf8(a), to_utf8(b));
    REQUIRE(got == expected);
  }
}

TEST_CASE(
    "round trip: random values encode to texts the checker accepts and re-encode identically") {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 3000; ++i) {
    const boost::json::value v = random_value(rng, 0);
    const std::string text = encode(v);
    INFO(text);
    REQUIRE(check_canonical(text).ok());
    auto parsed = parse_strict_json(text);
    REQUIRE(parsed.ok());
    CHECK(*parsed == v);
    REQUIRE(encode(*parsed) == text);
  }
}

TEST_CASE("mutations: the checker accepts a text iff it is the encoding of its own parse") {
  std::mt19937_64 rng(7);
  const unsigned char interesting[] = {' ',  '"',  '\\', ',',  ':',  '{',  '}',  '[',  ']',
                                       '0',  '1',  '-',  '.',  'e',  'u',  'a',  'z',  0x00,
                                       0x1f, 0x7f, 0x80, 0xC3, 0xE4, 0xED, 0xF0, 0xF4, 0xFF};
  int accepted_mutants = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = encode(random_value(rng, 0));
    for (int m = 0; m < 5; ++m) {
      std::string mutant = text;
      const std::size_t pos = rng() % mutant.size();
      mutant[pos] = static_cast<char>(rng() % 2 == 0 ? interesting[rng() % sizeof interesting]
                                                     : static_cast<unsigned char>(rng()));
      INFO(mutant);
      const bool checker_ok = check_canonical(mutant).ok();
      auto parsed = parse_strict_json(mutant);
      bool reencodes = false;
      if (parsed.ok()) {
        auto again = to_canonical_json(*parsed);
        reencodes = again.ok() && *again == mutant;
      }
      REQUIRE(checker_ok == reencodes);
      accepted_mutants += checker_ok ? 1 : 0;
    }
  }
  CHECK(accepted_mutants > 0);  // the property was exercised both ways
}
