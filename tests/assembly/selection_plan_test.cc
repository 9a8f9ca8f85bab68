// The selection plan (选聘方案): read with the tender rules' own parsers
// (every bad member named under plan.), and a tender's rules matched
// against it, the first mismatching field named.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "assembly/motion.h"
#include "assembly/selection_plan.h"
#include "tender_core/tender_rules.h"

namespace sunbid::testing {
namespace {

namespace json = boost::json;

json::object plan_json() {
  return json::parse(R"({"tier":"T2","budget_fen_per_m2_month":{"min":150,"max":300},
    "contract_term_months":36,"thresholds":{"min_credit_grade":"A","min_star_rating":3},
    "decision":{"method":"composite_score","weights_bp":{"price":6000,"credit":2500,"star":1500},
                "benchmark":"mean","k_above":100,"k_below":50}})")
      .as_object();
}

core::TenderRules rules_matching() {
  auto p = assembly::selection_plan_from_json(plan_json());
  REQUIRE(p.ok());
  core::TenderRules r;
  r.service_tier = "T2";
  r.budget = core::BudgetRange{180, 300};
  r.contract_term_months = 36;
  r.min_credit_grade = "AA";
  r.min_star_rating = 4;
  r.decision = p->decision;
  return r;
}

std::string field_of(const Error& e) {
  return std::string(e.details.at("field").as_string());
}

TEST_CASE("a plan is read strictly, each bad member named under plan.", "[plan]") {
  auto ok = assembly::selection_plan_from_json(plan_json());
  REQUIRE(ok.ok());
  CHECK(ok->budget.max_fen_per_m2_month == 300);
  CHECK(assembly::selection_plan_from_json(assembly::to_json(*ok)).value() == *ok);
  struct Case {
    const char* pointer;  // member to change
    json::value value;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"/tier", "", "plan.tier"},
      {"/budget_fen_per_m2_month", json::parse(R"({"min":0,"max":300})"),
       "plan.budget_fen_per_m2_month.min"},
      {"/budget_fen_per_m2_month", json::parse(R"({"min":200,"max":100})"),
       "plan.budget_fen_per_m2_month.max"},
      {"/budget_fen_per_m2_month", json::parse(R"({"min":"1","max":100})"),
       "plan.budget_fen_per_m2_month.min"},
      {"/contract_term_months", 0, "plan.contract_term_months"},
      {"/contract_term_months", 121, "plan.contract_term_months"},
      {"/thresholds", json::parse(R"({"min_credit_grade":"Z","min_star_rating":3})"),
       "plan.thresholds.min_credit_grade"},
      {"/thresholds", json::parse(R"({"min_credit_grade":"A","min_star_rating":6})"),
       "plan.thresholds.min_star_rating"},
      {"/decision", json::parse(R"({"method":"composite_score","weights_bp":{"price":6000,
         "credit":2500,"star":1000},"benchmark":"mean","k_above":100,"k_below":50})"),
       "plan.decision.weights_bp"},
      {"/decision", json::parse(R"({"method":"vote_then_lottery","shortlist_size":1})"),
       "plan.decision.shortlist_size"},
      {"/decision", json::parse(R"({"method":"coin"})"), "plan.decision.method"},
  };
  for (const auto& c : cases) {
    auto p = plan_json();
    p[std::string_view(c.pointer + 1)] = c.value;
    auto r = assembly::selection_plan_from_json(p);
    INFO(c.field);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "motion_invalid");
    CHECK(field_of(r.error()) == c.field);
  }
  auto extra = plan_json();
  extra["budget"] = 1;
  CHECK(field_of(assembly::selection_plan_from_json(extra).error()) == "plan.budget");
  auto missing = plan_json();
  missing.erase("decision");
  CHECK(field_of(assembly::selection_plan_from_json(missing).error()) == "plan.decision");
}

TEST_CASE("a selection-plan motion is refused with its plan's bad field", "[plan]") {
  assembly::MotionInput in;
  in.title = "选聘方案";
  in.text = "方案";
  in.kind = assembly::MotionKind::selection_plan;
  in.matter_item = 4;
  in.window_days = 7;
  in.plan = plan_json();
  CHECK(assembly::validate(in).ok());
  (*in.plan)["contract_term_months"] = 0;
  auto st = assembly::validate(in);
  REQUIRE_FALSE(st.ok());
  CHECK(field_of(st.error()) == "plan.contract_term_months");
}

TEST_CASE("the plan's tier must exist and frame its budget", "[plan]") {
  auto p = assembly::selection_plan_from_json(plan_json());
  REQUIRE(p.ok());
  core::ServiceTier tier{"T2", "二级", 150, 300, {}};
  CHECK(assembly::check_plan_tier(*p, &tier).ok());
  CHECK(field_of(assembly::check_plan_tier(*p, nullptr).error()) == "plan.tier");
  tier.max_fen_per_m2_month = 250;
  CHECK(field_of(assembly::check_plan_tier(*p, &tier).error()) ==
        "plan.budget_fen_per_m2_month.max");
  tier = {"T2", "二级", 160, 300, {}};
  CHECK(field_of(assembly::check_plan_tier(*p, &tier).error()) ==
        "plan.budget_fen_per_m2_month.min");
}

TEST_CASE("a tender matches its plan, or the first mismatch is named", "[plan]") {
  const auto plan = assembly::selection_plan_from_json(plan_json()).value();
  CHECK(assembly::check_plan_match(plan, rules_matching()).ok());
  auto expect = [&](const core::TenderRules& r, std::string_view field) {
    auto st = assembly::check_plan_match(plan, r);
    INFO(field);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "selection_plan_mismatch");
    CHECK(field_of(st.error()) == field);
  };
  auto r = rules_matching();
  r.service_tier = "T3";
  expect(r, "service_tier");
  r = rules_matching();
  r.budget.reset();
  expect(r, "budget_fen_per_m2_month");
  r = rules_matching();
  r.budget = core::BudgetRange{149, 300};
  expect(r, "budget_fen_per_m2_month.min");
  r.budget = core::BudgetRange{150, 301};
  expect(r, "budget_fen_per_m2_month.max");
  r = rules_matching();
  r.contract_term_months = 24;
  expect(r, "contract_term_months");
  r = rules_matching();
  r.min_credit_grade = "B";
  expect(r, "qualification.min_credit_grade");
  r = rules_matching();
  r.min_star_rating = 2;
  expect(r, "qualification.min_star_rating");
  r = rules_matching();
  r.decision.composite_score->k_below = 51;
  expect(r, "decision.k_below");
  r = rules_matching();
  r.decision.composite_score->weight_price_bp = 5000;
  r.decision.composite_score->weight_credit_bp = 3500;
  expect(r, "decision.weights_bp.price");
  r = rules_matching();
  r.decision.composite_score->benchmark = core::PriceBenchmark::lowest;
  expect(r, "decision.benchmark");
  r = rules_matching();
  r.decision = core::DecisionRule{core::DecisionMethod::lowest_price, {}, {}, {}};
  expect(r, "decision.method");
  // Equal thresholds and the plan's own budget match.
  r = rules_matching();
  r.min_credit_grade = "A";
  r.min_star_rating = 3;
  r.budget = plan.budget;
  CHECK(assembly::check_plan_match(plan, r).ok());
}

TEST_CASE("owners_vote and vote_then_lottery parameters must be equal", "[plan]") {
  auto pj = plan_json();
  pj["decision"] = json::parse(R"({"method":"owners_vote","allow_runoff":true})");
  const auto plan = assembly::selection_plan_from_json(pj).value();
  auto r = rules_matching();
  r.decision = plan.decision;
  CHECK(assembly::check_plan_match(plan, r).ok());
  r.decision.owners_vote->allow_runoff = false;
  CHECK(field_of(assembly::check_plan_match(plan, r).error()) == "decision.allow_runoff");
  pj["decision"] = json::parse(R"({"method":"vote_then_lottery","shortlist_size":3})");
  const auto vtl = assembly::selection_plan_from_json(pj).value();
  r.decision = vtl.decision;
  CHECK(assembly::check_plan_match(vtl, r).ok());
  r.decision.vote_then_lottery->shortlist_size = 2;
  CHECK(field_of(assembly::check_plan_match(vtl, r).error()) == "decision.shortlist_size");
}

TEST_CASE("a menu plan: packages as the motion's options, items on the tier's menu, the tender "
          "buys the chosen package", "[plan][menu]") {
  auto pj = plan_json();
  pj["tier"] = "MENU";
  pj["menu_packages"] = json::parse(R"({"基础包":["security","cleaning"],
                                        "全包":["security","cleaning","greening"]})");
  auto p = assembly::selection_plan_from_json(pj);
  REQUIRE(p.ok());
  CHECK(p->menu_packages.at("全包").size() == 3);
  auto back = assembly::selection_plan_from_json(assembly::to_json(*p));
  REQUIRE(back.ok());
  CHECK(*back == *p);

  // The motion's options are exactly the packages.
  assembly::MotionInput in;
  in.title = "菜单式服务选聘方案";
  in.text = "方案";
  in.kind = assembly::MotionKind::selection_plan;
  in.matter_item = 4;
  in.window_days = 7;
  in.plan = pj;
  auto st = assembly::validate(in);
  REQUIRE_FALSE(st.ok());
  CHECK(field_of(st.error()) == "options");
  in.options = std::vector<std::string>{"基础包", "其他"};
  CHECK(field_of(assembly::validate(in).error()) == "options");
  in.options = std::vector<std::string>{"全包", "基础包"};
  CHECK(assembly::validate(in).ok());

  // The tier's menu frames the packages; a plain tier takes none.
  core::ServiceTier tier{"MENU", "菜单式服务", 100, 300, {}, {}};
  CHECK(field_of(assembly::check_plan_tier(*p, &tier).error()) == "plan.menu_packages");
  tier.menu_items = {{"security", "秩序维护", 60, 100}, {"cleaning", "保洁", 40, 70}};
  st = assembly::check_plan_tier(*p, &tier);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "menu_item_unknown");
  CHECK(field_of(st.error()) == "plan.menu_packages.全包");
  tier.menu_items.push_back({"greening", "绿化", 20, 40});
  CHECK(assembly::check_plan_tier(*p, &tier).ok());

  // The tender's items equal the chosen package (as a set).
  auto r = rules_matching();
  r.service_tier = "MENU";
  r.menu_items = {"greening", "security", "cleaning"};
  CHECK(assembly::check_plan_match(*p, r, core::CreditScale::default_scale(), "全包").ok());
  st = assembly::check_plan_match(*p, r, core::CreditScale::default_scale(), "基础包");
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "selection_plan_mismatch");
  CHECK(field_of(st.error()) == "menu_items");
  CHECK(st.error().details.at("plan_value") == json::parse(R"(["cleaning","security"])"));
  // A plan without packages wants no items.
  auto plain = assembly::selection_plan_from_json(plan_json()).value();
  r.service_tier = "T2";
  CHECK(field_of(assembly::check_plan_match(plain, r).error()) == "menu_items");
}

}  // namespace
}  // namespace sunbid::testing
