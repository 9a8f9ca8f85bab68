#include "audit_log/strict_json.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <limits>
#include <string>

using namespace sunbid;
using namespace sunbid::audit;

namespace {

Error refusal(std::string_view body) {
  auto r = parse_strict_json(body);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

std::string field_of(const Error& e) {
  REQUIRE(e.details.contains("field"));
  return std::string(e.details.at("field").as_string());
}

}  // namespace

TEST_CASE("strict parse accepts ordinary JSON and yields int64 integers") {
  auto r = parse_strict_json(
      R"( {"name": "物业", "n": [1, -2, 9223372036854775807], "ok": true, "x": null} )");
  REQUIRE(r.ok());
  const auto& o = r->as_object();
  CHECK(o.at("name").as_string() == "物业");
  CHECK(o.at("n").as_array().at(2).is_int64());
  CHECK(o.at("n").as_array().at(2).as_int64() == std::numeric_limits<std::int64_t>::max());
  CHECK(o.at("ok").as_bool());
  CHECK(o.at("x").is_null());
  auto min = parse_strict_json("-9223372036854775808");
  REQUIRE(min.ok());
  CHECK(min->as_int64() == std::numeric_limits<std::int64_t>::min());
  CHECK(parse_strict_json(R"("\ud83d\ude00")").value().as_string() == "\xF0\x9F\x98\x80");
  CHECK(parse_strict_json(R"("a\u0000b")").value().as_string().size() == 3);
}

TEST_CASE("strict parse refuses duplicate keys naming the JSON pointer") {
  Error e = refusal(R"({"a":1,"a":2})");
  CHECK(e.code == "invalid_json");
  CHECK(field_of(e) == "/a");
  e = refusal(R"({"bids":[{"price":1},{"price":2,"price":3}]})");
  CHECK(field_of(e) == "/bids/1/price");
  e = refusal(R"({"a/b~c":{"k":1,"k":1}})");
  CHECK(field_of(e) == "/a~1b~0c/k");
  // Same key in different objects is fine.
  CHECK(parse_strict_json(R"({"a":{"k":1},"b":{"k":1}})").ok());
}

TEST_CASE("strict parse refuses fractions and exponents as non_integer_number") {
  Error e = refusal(R"({"price":{"fen":12.5}})");
  CHECK(e.code == "non_integer_number");
  CHECK(field_of(e) == "/price/fen");
  CHECK(refusal("1.0").code == "non_integer_number");
  CHECK(field_of(refusal("1.0")) == "");
  CHECK(refusal("[1e2]").code == "non_integer_number");
  CHECK(field_of(refusal("[0,1E-2]")) == "/1");
  CHECK(refusal("-0.0").code == "non_integer_number");
}

TEST_CASE("strict parse refuses integers outside int64") {
  Error e = refusal(R"({"a":[9223372036854775808]})");
  CHECK(e.code == "invalid_json");
  CHECK(field_of(e) == "/a/0");
  CHECK(refusal("18446744073709551615").code == "invalid_json");  // uint64 max
  CHECK(refusal("18446744073709551616").code == "invalid_json");  // beyond uint64
  CHECK(refusal("-9223372036854775809").code == "invalid_json");  // below int64
  CHECK(refusal("123456789012345678901234567890").code == "invalid_json");
  CHECK(field_of(refusal(R"({"n":-9223372036854775809})")) == "/n");
}

TEST_CASE(
    "strict parse refuses malformed input, BOM, bad UTF-8, lone surrogates, trailing garbage") {
  for (std::string_view bad :
       {std::string_view(""), std::string_view("{"), std::string_view("[1,]"),
        std::string_view("{\"a\":1,}"), std::string_view("'a'"), std::string_view("\xEF\xBB\xBF{}"),
        std::string_view("\"\xC0\xAF\""), std::string_view("\"\xED\xA0\x80\""),
        std::string_view("\"\\ud800\""), std::string_view("\"\\udc00\""),
        std::string_view("\"\\ud800x\""), std::string_view("[1] x"), std::string_view("{}{}"),
        std::string_view("/* c */ 1"), std::string_view("NaN"), std::string_view("\"\t\""),
        std::string_view("[01]"), std::string_view("{\"a\" 1}")}) {
    INFO(bad);
    Error e = refusal(bad);
    CHECK(e.code == "invalid_json");
    CHECK(e.details.contains("offset"));
  }
  CHECK(refusal("\xEF\xBB\xBF{}").message.find("byte-order mark") != std::string::npos);
  CHECK(refusal("[1] x").details.at("offset").as_int64() == 4);
}

TEST_CASE("strict parse allows 64 levels of nesting and refuses 65") {
  const auto nest = [](int n) { return std::string(n, '[') + std::string(n, ']'); };
  CHECK(parse_strict_json(nest(64)).ok());
  Error e = refusal(nest(65));
  CHECK(e.code == "invalid_json");
  CHECK(e.message.find("64") != std::string::npos);
  CHECK(refusal(nest(100000)).code == "invalid_json");  // no stack overflow
}
