// The bid commitment against the worked example of docs/bid-commitment.md,
// whose values were computed independently with Python's json and hashlib.
#include "tender_core/bid_commitment.h"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <numeric>

using namespace sunbid;
using namespace sunbid::core;

namespace {

const char* kExampleBid =
    R"({"tender_id":"T1","bidder_uscc":"91350200776049653A","price_fen_per_m2_month":250,)"
    R"("staffing":{"客服":2,"保安":6,"保洁":4},"service_plan":"24小时门岗，每日两次清扫",)"
    R"("documents":[{"name":"服务方案.pdf","sha256_hex":"64879f7d6b960a01909762d911a32d4582c20010c5641ee90278b644a9e3b525"},)"
    R"({"name":"营业执照.pdf","sha256_hex":"8178ac72b28d77fcb851fcd301583182bd05d9663ed2ec8131e60f057c2795f7"}]})";

const char* kExampleCanonical =
    R"({"bidder_uscc":"91350200776049653A","documents":[{"name":"服务方案.pdf","sha256_hex":"64879f7d6b960a01909762d911a32d4582c20010c5641ee90278b644a9e3b525"},{"name":"营业执照.pdf","sha256_hex":"8178ac72b28d77fcb851fcd301583182bd05d9663ed2ec8131e60f057c2795f7"}],"price_fen_per_m2_month":250,"service_plan":"24小时门岗，每日两次清扫","staffing":{"保安":6,"保洁":4,"客服":2},"tender_id":"T1"})";

}  // namespace

TEST_CASE("bid commitment: the documented worked example") {
  auto bid = bid_from_json(boost::json::parse(kExampleBid));
  REQUIRE(bid.ok());
  auto canon = canonical_bid(*bid);
  REQUIRE(canon.ok());
  CHECK(*canon == kExampleCanonical);
  CHECK(canon->size() == 411);
  auto salt = parse_salt_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  REQUIRE(salt.ok());
  CHECK(hex_encode(bid_commitment(*salt, *canon)) ==
        "8e9bdab62aa52424bffbd847f7e2c1d880d6306ca4465f46df56123c9b8a7c8b");
}

TEST_CASE("bid commitment: a different salt or one changed byte gives another commitment") {
  auto bid = bid_from_json(boost::json::parse(kExampleBid));
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
