#include "tender_core/tender_rules.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>

using namespace sunbid::core;
namespace json = boost::json;

namespace {
const char* kValid = R"({
  "service_tier": "T2", "area_centi_m2": 12345600,
  "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
  "criteria": [{"code": "staffing", "title": "人员配置"}, {"code": "plan", "title": "服务方案"}],
  "committee_size": 5, "min_valid_bids": 3, "candidate_cap": 3,
  "candidate_cap_method": "lowest_price",
  "decision": {"method": "owners_vote", "allow_runoff": true},
  "beacon_source": "上证综指首个交易日收盘值", "bid_deadline": "2025-08-01T10:00:00+08:00",
  "reveal_window_s": 86400, "candidate_publicity_days": 3,
  "vote_window_days": 7, "award_publicity_days": 3})";

json::object base() {
  return json::parse(kValid).as_object();
}

std::pair<std::string, std::string> refusal(const json::object& o) {
  auto r = tender_rules_from_json(o);
  if (r.ok()) return {"ok", ""};
  const auto& d = r.error().details;
  return {r.error().code, d.contains("field") ? std::string(d.at("field").as_string()) : ""};
}
}  // namespace

TEST_CASE("tender rules from JSON", "[tender_rules]") {
  auto r = tender_rules_from_json(base());
  REQUIRE(r.ok());
  CHECK(r->service_tier == "T2");
  CHECK(r->area_centi_m2 == 12345600);
  CHECK(r->min_credit_grade == "A");
  CHECK(r->min_star_rating == 3);
  REQUIRE(r->criteria.size() == 2);
  CHECK(r->criteria[1].title == "服务方案");
  CHECK(r->decision.method == DecisionMethod::owners_vote);
  REQUIRE(r->decision.owners_vote);
  CHECK(r->decision.owners_vote->allow_runoff);
  CHECK(r->bid_deadline_ms == 1754013600000);  // 2025-08-01T02:00:00Z (Python)
  CHECK(r->vote_window_days == 7);
  CHECK(r->vote_window_s == 0);
  CHECK(r->candidate_publicity_days == 3);
}

TEST_CASE("tender rules JSON round trip", "[tender_rules]") {
  auto r = tender_rules_from_json(base());
  REQUIRE(r.ok());
  const auto j = to_json(*r);
  CHECK(j.at("bid_deadline").as_string() == "2025-08-01T02:00:00.000Z");
  auto again = tender_rules_from_json(j);
  REQUIRE(again.ok());
  CHECK(*again == *r);

  auto o = base();
  o["decision"] = json::parse(
      R"({"method":"composite_score","weights_bp":{"price":6000,"credit":2500,"star":1500},"benchmark":"lowest","k_above":100,"k_below":50})");
  o["vote_window_days"] = 0;
  auto c = tender_rules_from_json(o);
  REQUIRE(c.ok());
  REQUIRE(c->decision.composite_score);
  CHECK(c->decision.composite_score->weight_price_bp == 6000);
  CHECK(c->decision.composite_score->benchmark == PriceBenchmark::lowest);
  CHECK(*tender_rules_from_json(to_json(*c)) == *c);
}

TEST_CASE("defaults: min_valid_bids 3, vote windows 0", "[tender_rules]") {
  auto o = base();
  o.erase("min_valid_bids");
  o.erase("vote_window_days");
  o["decision"] = json::parse(R"({"method":"lowest_price"})");
  auto r = tender_rules_from_json(o);
  REQUIRE(r.ok());
  CHECK(r->min_valid_bids == 3);
  CHECK(r->vote_window_s == 0);
  CHECK(r->vote_window_days == 0);
}

TEST_CASE("min_bidders: default 3, or min_valid_bids when larger, frozen in to_json",
          "[tender_rules][gate]") {
  auto o = base();
  auto r = tender_rules_from_json(o);
  REQUIRE(r.ok());
  CHECK(r->min_bidders == 3);
  CHECK(to_json(*r).at("min_bidders").as_int64() == 3);
  o["min_bidders"] = 5;
  auto five = tender_rules_from_json(o);
  REQUIRE(five.ok());
  CHECK(five->min_bidders == 5);
  CHECK(*tender_rules_from_json(to_json(*five)) == *five);
  // Rules frozen before min_bidders existed, with min_valid_bids 5, still read.
  o.erase("min_bidders");
  o["min_valid_bids"] = 5;
  auto old = tender_rules_from_json(o);
  REQUIRE(old.ok());
  CHECK(old->min_bidders == 5);
  o["min_bidders"] = "3";
  CHECK(refusal(o).first == "rules_wrong_type");
}

TEST_CASE("unknown fields and wrong types name the field", "[tender_rules]") {
  using P = std::pair<std::string, std::string>;
  auto o = base();
  o["title"] = "x";
  CHECK(refusal(o) == P{"rules_unknown_field", "title"});
  o = base();
  o["qualification"].as_object()["max"] = 1;
  CHECK(refusal(o) == P{"rules_unknown_field", "qualification.max"});
  o = base();
  o["decision"].as_object()["shortlist_size"] = 2;
  CHECK(refusal(o) == P{"rules_unknown_field", "decision.shortlist_size"});
  o = base();
  o["criteria"].as_array()[1].as_object()["weight"] = 1;
  CHECK(refusal(o) == P{"rules_unknown_field", "criteria[1].weight"});
  o = base();
  o["committee_size"] = "5";
  CHECK(refusal(o) == P{"rules_wrong_type", "committee_size"});
  o = base();
  o["area_centi_m2"] = 100.0;
  CHECK(refusal(o) == P{"rules_wrong_type", "area_centi_m2"});
  o = base();
  o["decision"].as_object()["allow_runoff"] = 1;
  CHECK(refusal(o) == P{"rules_wrong_type", "decision.allow_runoff"});
  o = base();
  o["criteria"] = json::object{};
  CHECK(refusal(o) == P{"rules_wrong_type", "criteria"});
  o = base();
  o["criteria"].as_array()[0] = "staffing";
  CHECK(refusal(o) == P{"rules_wrong_type", "criteria[0]"});
  o = base();
  o.erase("beacon_source");
  CHECK(refusal(o) == P{"rules_missing_field", "beacon_source"});
  o = base();
  o["decision"].as_object().erase("allow_runoff");
  CHECK(refusal(o) == P{"rules_missing_field", "decision.allow_runoff"});
  o = base();
  o["reveal_window_s"] = json::value(std::uint64_t{18446744073709551615ULL});
  CHECK(refusal(o) == P{"rules_invalid_value", "reveal_window_s"});
}

TEST_CASE("value rules at their bounds", "[tender_rules]") {
  using P = std::pair<std::string, std::string>;
  auto with = [](const char* key, json::value v) {
    auto o = base();
    o[key] = std::move(v);
    return refusal(o);
  };
  CHECK(with("committee_size", 4) == P{"rules_invalid_value", "committee_size"});
  CHECK(with("committee_size", 6) == P{"rules_invalid_value", "committee_size"});
  CHECK(with("committee_size", 3) == P{"rules_invalid_value", "committee_size"});
  CHECK(with("committee_size", 7).first == "ok");
  CHECK(with("min_valid_bids", 0) == P{"rules_invalid_value", "min_valid_bids"});
  CHECK(with("min_valid_bids", 1).first == "ok");
  // 条例 44: fewer than three bidders are never opened; a tender may ask for
  // more (issue 11). min_valid_bids may not exceed it.
  CHECK(with("min_bidders", 2) == P{"rules_invalid_value", "min_bidders"});
  CHECK(with("min_bidders", 3).first == "ok");
  CHECK(with("min_bidders", 1000).first == "ok");
  CHECK(with("min_bidders", 1001) == P{"rules_invalid_value", "min_bidders"});
  {
    auto o = base();
    o["min_bidders"] = 3;
    o["min_valid_bids"] = 4;
    CHECK(refusal(o) == P{"rules_invalid_value", "min_valid_bids"});
  }
  {
    auto o = base();
    o["min_bidders"] = 4;
    o["min_valid_bids"] = 4;
    CHECK(refusal(o).first == "ok");
  }
  CHECK(with("candidate_cap", 0) == P{"rules_invalid_value", "candidate_cap"});
  CHECK(with("candidate_cap_method", "random") == P{"rules_invalid_value", "candidate_cap_method"});
  CHECK(with("candidate_cap_method", "lottery").first == "ok");
  // Publicity: at least 3 calendar days (docs/periods.md); the old
  // seconds fields are gone.
  CHECK(with("candidate_publicity_days", 2) ==
        P{"rules_invalid_value", "candidate_publicity_days"});
  CHECK(with("award_publicity_days", 2) == P{"rules_invalid_value", "award_publicity_days"});
  CHECK(with("award_publicity_days", 3).first == "ok");
  CHECK(with("candidate_publicity_s", 259200) == P{"rules_unknown_field", "candidate_publicity_s"});
  CHECK(with("vote_window_days", 0) == P{"rules_invalid_value", "vote_window_days"});
  CHECK(with("vote_window_s", 604800) == P{"rules_invalid_value", "vote_window_s"});
  CHECK(with("reveal_window_s", 0) == P{"rules_invalid_value", "reveal_window_s"});
  CHECK(with("beacon_source", "") == P{"rules_invalid_value", "beacon_source"});
  CHECK(with("area_centi_m2", 0) == P{"rules_invalid_value", "area_centi_m2"});
  CHECK(with("bid_deadline", "2025-08-01") == P{"rules_invalid_value", "bid_deadline"});
  CHECK(with("criteria", json::array{}) == P{"rules_invalid_value", "criteria"});
  CHECK(with("criteria", json::parse(R"([{"code":"a","title":"x"},{"code":"a","title":"y"}])")) ==
        P{"rules_invalid_value", "criteria[1].code"});

  auto o = base();
  o["qualification"].as_object()["min_credit_grade"] = "AAAA";
  CHECK(refusal(o) == P{"rules_invalid_value", "qualification.min_credit_grade"});
  o = base();
  o["qualification"].as_object()["min_star_rating"] = 6;
  CHECK(refusal(o) == P{"rules_invalid_value", "qualification.min_star_rating"});

  auto decision = [](const char* d, std::int64_t vote_window) {
    auto o = base();
    o["decision"] = json::parse(d);
    o["vote_window_days"] = 0;
    o["vote_window_s"] = vote_window;
    return refusal(o);
  };
  CHECK(decision(R"({"method":"lottery"})", 0).first == "ok");
  CHECK(decision(R"({"method":"lottery"})", 60) == P{"rules_invalid_value", "vote_window_s"});
  CHECK(decision(R"({"method":"committee_vote"})", 0) == P{"rules_invalid_value", "vote_window_s"});
  CHECK(decision(R"({"method":"coin_toss"})", 0) == P{"rules_invalid_value", "decision.method"});
  CHECK(decision(R"({"method":"vote_then_lottery","shortlist_size":1})", 60) ==
        P{"rules_invalid_value", "decision.shortlist_size"});
  CHECK(decision(R"({"method":"vote_then_lottery","shortlist_size":4})", 60) ==
        P{"rules_invalid_value", "decision.shortlist_size"});  // > candidate_cap 3
  CHECK(decision(R"({"method":"vote_then_lottery","shortlist_size":3})", 60).first == "ok");
  const char* cs =
      R"({"method":"composite_score","weights_bp":{"price":6000,"credit":2500,"star":1499},"benchmark":"mean","k_above":0,"k_below":10000})";
  CHECK(decision(cs, 0) == P{"rules_invalid_value", "decision.weights_bp"});
  CHECK(
      decision(
          R"({"method":"composite_score","weights_bp":{"price":10001,"credit":-1,"star":0},"benchmark":"mean","k_above":0,"k_below":0})",
          0) == P{"rules_invalid_value", "decision.weights_bp.price"});
  CHECK(
      decision(
          R"({"method":"composite_score","weights_bp":{"price":10000,"credit":0,"star":0},"benchmark":"mean","k_above":10001,"k_below":0})",
          0) == P{"rules_invalid_value", "decision.k_above"});
  CHECK(
      decision(
          R"({"method":"composite_score","weights_bp":{"price":10000,"credit":0,"star":0},"benchmark":"median","k_above":1,"k_below":0})",
          0) == P{"rules_invalid_value", "decision.benchmark"});
  CHECK(
      decision(
          R"({"method":"composite_score","weights_bp":{"price":10000,"credit":0,"star":0},"benchmark":"mean","k_above":10000,"k_below":0})",
          0)
          .first == "ok");
}
