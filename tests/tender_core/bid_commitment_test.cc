// The bid commitment against the worked example of docs/bid-commitment.md,
// whose values were computed independently with Python's json and hashlib.
#include "tender_core/bid_commitment.h"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <numeric>

#include "vectors.h"

using namespace sunbid;
using namespace sunbid::core;

namespace {

// The worked example, from tests/vectors/bid-commitment.json (shared with
// web/tests/unit/commitment.test.ts).
const boost::json::object& example() {
  static const boost::json::value doc = sunbid::testing::read_vectors("bid-commitment.json");
  return doc.at("vectors").as_array().at(0).as_object();
}

}  // namespace

TEST_CASE("bid commitment: the documented worked example") {
  const auto& ex = example();
  auto bid = bid_from_json(ex.at("bid"));
  REQUIRE(bid.ok());
  auto canon = canonical_bid(*bid);
  REQUIRE(canon.ok());
  CHECK(*canon == ex.at("canonical").as_string());
  CHECK(canon->size() == 411);
  CHECK(static_cast<std::int64_t>(canon->size()) == ex.at("canonical_bytes").as_int64());
  auto salt = parse_salt_hex(std::string(ex.at("salt_hex").as_string()));
  REQUIRE(salt.ok());
  CHECK(hex_encode(bid_commitment(*salt, *canon)) == ex.at("commitment_hex").as_string());
  CHECK(ex.at("commitment_hex").as_string() ==
        "8e9bdab62aa52424bffbd847f7e2c1d880d6306ca4465f46df56123c9b8a7c8b");
}

TEST_CASE("bid commitment: a different salt or one changed byte gives another commitment") {
  auto bid = bid_from_json(example().at("bid"));
  REQUIRE(bid.ok());
  std::array<std::uint8_t, 32> salt{};
  std::iota(salt.begin(), salt.end(), 0);
  const Hash base = bid_commitment(salt, *canonical_bid(*bid));
  salt[31] ^= 1;
  CHECK(bid_commitment(salt, *canonical_bid(*bid)) != base);
  salt[31] ^= 1;
  bid->price_fen_per_m2_month = 251;
  CHECK(bid_commitment(salt, *canonical_bid(*bid)) != base);
}

TEST_CASE("bid object is strict") {
  auto code = [](const char* json) {
    auto r = bid_from_json(boost::json::parse(json));
    return r.ok() ? std::string("ok")
                  : r.error().code + ":" + std::string(r.error().details.at("field").as_string());
  };
  const std::string docs = R"("documents":[])";
  CHECK(
      code(
          R"({"tender_id":"T1","bidder_uscc":"X","price_fen_per_m2_month":1,"staffing":{},"service_plan":"",)"
          R"("documents":[]})") == "ok");
  CHECK(
      code(
          R"({"tender_id":"T1","bidder_uscc":"X","price_fen_per_m2_month":1.5,"staffing":{},"service_plan":"","documents":[]})") ==
      "bid_invalid:price_fen_per_m2_month");
  CHECK(
      code(
          R"({"tender_id":"T1","bidder_uscc":"X","price_fen_per_m2_month":0,"staffing":{},"service_plan":"","documents":[]})") ==
      "bid_invalid:price_fen_per_m2_month");
  CHECK(
      code(
          R"({"tender_id":"T1","bidder_uscc":"X","price_fen_per_m2_month":1,"staffing":{"a":-1},"service_plan":"","documents":[]})") ==
      "bid_invalid:staffing.a");
  CHECK(
      code(
          R"({"tender_id":"T1","bidder_uscc":"X","price_fen_per_m2_month":1,"staffing":{},"service_plan":"","documents":[],"extra":1})") ==
      "bid_invalid:extra");
  CHECK(
      code(
          R"({"tender_id":"T1","bidder_uscc":"X","price_fen_per_m2_month":1,"staffing":{},"service_plan":"","documents":[{"name":"a","sha256_hex":"ABCD"}]})") ==
      "bid_invalid:documents[0].sha256_hex");
  CHECK(
      code(
          R"({"bidder_uscc":"X","price_fen_per_m2_month":1,"staffing":{},"service_plan":"","documents":[]})") ==
      "bid_invalid:tender_id");
  CHECK_FALSE(parse_salt_hex("00").ok());
  CHECK_FALSE(parse_salt_hex(std::string(64, 'A')).ok());
  CHECK(parse_commitment_hex(std::string(63, '0')).error().code == "commitment_invalid");
}
