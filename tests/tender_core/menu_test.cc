// Menu services (菜单式服务, docs/tenderer-kinds.md): menu tiers, the rules'
// menu_items, per-item bid prices, the clearing flags, and what each
// tenderer kind may publish. Pure functions; expected values by hand.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "tender_core/bid_commitment.h"
#include "tender_core/registry.h"
#include "tender_core/tender_rules.h"
#include "tender_core/window_plan.h"

namespace sunbid::testing {
namespace {

namespace json = boost::json;

core::ServiceTier menu_tier() {
  auto t = core::service_tier_from_json(json::parse(R"({"code":"MENU","name":"菜单式服务",
    "min_fen_per_m2_month":100,"max_fen_per_m2_month":300,"required_items":[],
    "menu_items":[{"code":"security","name":"秩序维护","min_fen_per_m2_month":60,"max_fen_per_m2_month":100},
                  {"code":"cleaning","name":"保洁","min_fen_per_m2_month":40,"max_fen_per_m2_month":70},
                  {"code":"waste","name":"垃圾清运","min_fen_per_m2_month":10,"max_fen_per_m2_month":30}]})")
                                            .as_object());
  REQUIRE(t.ok());
  return *t;
}

std::string field_of(const Error& e) {
  return std::string(e.details.at("field").as_string());
}

TEST_CASE("a menu tier reads and writes its items, a bad item is named", "[menu]") {
  const auto tier = menu_tier();
  REQUIRE(tier.menu_items.size() == 3);
  CHECK(tier.menu_items[1] == core::MenuItem{"cleaning", "保洁", 40, 70});
  CHECK(core::find_menu_item(tier, "waste") != nullptr);
  CHECK(core::find_menu_item(tier, "spa") == nullptr);
  auto back = core::service_tier_from_json(core::to_json(tier));
  REQUIRE(back.ok());
  CHECK(*back == tier);
  // A tier without a menu writes no menu_items (its JSON is as before).
  core::ServiceTier plain{"T2", "二级", 150, 300, {"保洁"}, {}};
  CHECK_FALSE(core::to_json(plain).contains("menu_items"));
  for (auto [bad, field] :
       {std::pair{R"([{"code":"a","name":"x","min_fen_per_m2_month":5,"max_fen_per_m2_month":4}])",
                  "menu_items[0].max_fen_per_m2_month"},
        std::pair{R"([{"code":"a","name":"x","min_fen_per_m2_month":1,"max_fen_per_m2_month":4},
                      {"code":"a","name":"y","min_fen_per_m2_month":1,"max_fen_per_m2_month":4}])",
                  "menu_items[1].code"},
        std::pair{R"([{"code":"a","name":"x"}])", "menu_items[0]"}}) {
    auto o = core::to_json(plain);
    o["menu_items"] = json::parse(bad);
    auto t = core::service_tier_from_json(o);
    INFO(bad);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == "service_tier_invalid");
    CHECK(field_of(t.error()) == field);
  }
}

TEST_CASE("the rules' menu_items against the tier", "[menu]") {
  const auto tier = menu_tier();
  core::TenderRules r;
  r.service_tier = "MENU";
  r.menu_items = {"security", "waste"};
  CHECK(core::check_menu_rules(r, tier).ok());
  r.menu_items = {"security", "spa"};
  auto st = core::check_menu_rules(r, tier);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "menu_item_unknown");
  CHECK(field_of(st.error()) == "menu_items[1]");
  r.menu_items.clear();
  st = core::check_menu_rules(r, tier);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "menu_item_missing");
  core::ServiceTier plain{"T2", "二级", 150, 300, {"保洁"}, {}};
  CHECK(core::check_menu_rules(r, plain).ok());
  r.menu_items = {"security"};
  st = core::check_menu_rules(r, plain);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "menu_item_unknown");
  CHECK(field_of(st.error()) == "menu_items");
}

TEST_CASE("only a community office tenders menu services, it decides by no committee vote",
          "[menu][kinds]") {
  const auto tier = menu_tier();
  core::ServiceTier plain{"T2", "二级", 150, 300, {"保洁"}, {}};
  core::TenderRules r;
  r.decision.method = core::DecisionMethod::lowest_price;
  CHECK(core::check_tenderer_kind_rules("community_office", r, tier).ok());
  for (auto kind : {"owners_committee", "provisional_committee"}) {
    auto st = core::check_tenderer_kind_rules(kind, r, tier);
    INFO(kind);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "menu_not_allowed");
    CHECK(core::check_tenderer_kind_rules(kind, r, plain).ok());
  }
  for (auto m : {core::DecisionMethod::committee_vote, core::DecisionMethod::vote_then_lottery}) {
    r.decision.method = m;
    auto st = core::check_tenderer_kind_rules("community_office", r, plain);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "rules_invalid_value");
    CHECK(field_of(st.error()) == "decision.method");
    CHECK(core::check_tenderer_kind_rules("provisional_committee", r, plain).ok());
  }
}

TEST_CASE("menu_items in the rules: read, validated, written back only when given", "[menu]") {
  auto o = json::parse(R"({"service_tier":"MENU","area_centi_m2":100,
    "qualification":{"min_credit_grade":"A","min_star_rating":0},"criteria":[{"code":"plan","title":"方案"}],
    "committee_size":5,"candidate_cap":1,"candidate_cap_method":"lowest_price",
    "decision":{"method":"lowest_price"},"beacon_source":"b","bid_deadline":"2026-03-01T02:00:00Z",
    "reveal_window_s":86400,"candidate_publicity_days":3,"vote_window_days":0,"vote_window_s":0,
    "award_publicity_days":3,"menu_items":["security","waste"]})")
               .as_object();
  auto r = core::tender_rules_from_json(o);
  if (!r.ok()) FAIL(r.error().to_string());
  CHECK(r->menu_items == std::vector<std::string>{"security", "waste"});
  CHECK(core::to_json(*r).at("menu_items") == o.at("menu_items"));
  o["menu_items"] = json::parse(R"(["security","security"])");
  auto dup = core::tender_rules_from_json(o);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "rules_invalid_value");
  CHECK(field_of(dup.error()) == "menu_items[1]");
  o["menu_items"] = "security";
  auto wrong = core::tender_rules_from_json(o);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "rules_wrong_type");
  o.erase("menu_items");
  auto none = core::tender_rules_from_json(o);
  REQUIRE(none.ok());
  CHECK_FALSE(core::to_json(*none).contains("menu_items"));
}

TEST_CASE("a bid prices each item: the sum is its total, canonical form keeps the member",
          "[menu][bid]") {
  auto o = json::parse(R"({"tender_id":"T1","bidder_uscc":"91350200776049653A",
    "price_fen_per_m2_month":150,"staffing":{},"service_plan":"p","documents":[],
    "item_prices":{"security":90,"waste":20,"cleaning":40}})")
               .as_object();
  auto bid = core::bid_from_json(o);
  REQUIRE(bid.ok());
  REQUIRE(bid->item_prices.has_value());
  CHECK(bid->item_prices->at("security") == 90);
  auto canon = core::canonical_bid(*bid);
  REQUIRE(canon.ok());
  CHECK(canon->find(R"("documents":[],"item_prices":{"cleaning":40,"security":90,"waste":20},)"
                    R"("price_fen_per_m2_month":150)") != std::string::npos);
  auto expect = [&](json::object b, std::string_view field) {
    auto r = core::bid_from_json(b);
    INFO(field);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "bid_invalid");
    CHECK(field_of(r.error()) == field);
  };
  auto b = o;
  b["price_fen_per_m2_month"] = 151;
  expect(b, "item_prices");
  b = o;
  b["item_prices"] = json::object{};
  expect(b, "item_prices");
  b = o;
  b["item_prices"].as_object()["waste"] = 0;
  expect(b, "item_prices.waste");
  // Without the member a bid is as before (no item_prices in its canonical form).
  b = o;
  b.erase("item_prices");
  auto plain = core::bid_from_json(b);
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->item_prices.has_value());
  CHECK(core::canonical_bid(*plain)->find("item_prices") == std::string::npos);
}

TEST_CASE("clearing flags the items priced outside their reference range, in item order",
          "[menu]") {
  const auto tier = menu_tier();
  // security 60..100, cleaning 40..70, waste 10..30
  auto flags = core::menu_price_flags(tier, {{"security", 105}, {"cleaning", 40}, {"waste", 9}});
  REQUIRE(flags.size() == 2);
  CHECK(flags[0] == core::MenuPriceFlag{"security", 105, 60, 100});
  CHECK(flags[1] == core::MenuPriceFlag{"waste", 9, 10, 30});
  auto j = core::to_json(flags);
  CHECK(j.at(0).at("side").as_string() == "above");
  CHECK(j.at(1).at("side").as_string() == "below");
  CHECK(core::menu_price_flags(tier, {{"security", 60}, {"cleaning", 70}, {"waste", 30}}).empty());
}

}  // namespace
}  // namespace sunbid::testing
