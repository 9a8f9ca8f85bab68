// Canonical JSON against the golden vectors shared with the web app
// (tests/vectors/canonical-json.json; web/tests/unit/canonical.test.ts reads
// the same file).
#include <catch2/catch.hpp>

#include "audit_log/canonical_json.h"
#include "audit_log/strict_json.h"
#include "vectors.h"

using namespace sunbid;
using namespace sunbid::audit;

TEST_CASE("canonical JSON: the shared golden vectors", "[vectors]") {
  auto doc = sunbid::testing::read_vectors("canonical-json.json");
  const auto& vectors = doc.at("vectors").as_array();
  REQUIRE(vectors.size() >= 10);
  for (const auto& v : vectors) {
    const std::string name(v.at("name").as_string());
    INFO(name);
    auto parsed = parse_strict_json(std::string(v.at("input").as_string()));
    REQUIRE(parsed.ok());
    auto canon = to_canonical_json(*parsed);
    REQUIRE(canon.ok());
    const std::string expected = sunbid::testing::from_hex(v.at("canonical_hex").as_string());
    CHECK(*canon == expected);
    CHECK(check_canonical(expected).ok());
  }
  for (const auto& v : doc.at("refused").as_array()) {
    const std::string name(v.at("name").as_string());
    INFO(name);
    auto parsed = parse_strict_json(std::string(v.at("input").as_string()));
    if (!parsed.ok()) continue;  // refused by the parser already
    CHECK_FALSE(to_canonical_json(*parsed).ok());
  }
}
