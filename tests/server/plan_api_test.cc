// The selection plan gates the tender (issue 13 §2, docs/motions.md):
// through the API, every refusal of the gate at publication (and at the
// windows' preview) changes nothing; the matching tender publishes and its
// entry cites the plan; one live tender per plan, a re-tender after a
// cancellation may follow it again; a revealed price above the budget's
// maximum (最高投标限价) is invalid in the opening record.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <functional>

#include "audit_log/log_store.h"
#include "eval_world.h"

namespace sunbid::server::testing {
namespace {

namespace json = boost::json;

// The payloads of the log's entries of `type` about tender `tender`.
std::vector<json::object> payloads(TenderWorld& w, std::string_view type,
                                   const std::string& tender) {
  auto db = w.ledger->open_reader();
  REQUIRE(db.ok());
  auto indices = audit::tender_entry_indices(*db, tender);
  REQUIRE(indices.ok());
  std::vector<json::object> out;
  for (auto i : *indices) {
    auto e = audit::read_entries(*db, i, i + 1);
    REQUIRE(e.ok());
    auto o = json::parse((*e)[0].bytes).as_object();
    if (o.at("type").as_string() == type) out.push_back(o.at("payload").as_object());
  }
  return out;
}

json::object rules_of(const TenderWorld& w) {
  return json::parse(rules_body(w.community, kDeadline)).as_object();
}

std::string draft(TenderWorld& w, const json::object& rules, const std::string& token) {
  auto d = w.call("POST", "/api/v1/tenders", json::serialize(rules), token);
  INFO(d.body);
  REQUIRE(d.status == 201);
  return std::string(body_json(d).at("id").as_string());
}

std::string field_of(const Response& r) {
  const auto doc = body_json(r);
  const auto* f = doc.at("error").at("details").as_object().if_contains("field");
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

Response publish(TenderWorld& w, const std::string& id, const std::string& token) {
  return w.call("POST", "/api/v1/tenders/" + id + "/publish", "", token);
}

TEST_CASE("publication without a passed plan of the community is refused", "[api][plan]") {
  TenderWorld w;
  auto rules = rules_of(w);
  rules.erase("selection_plan_motion");
  const std::string none = draft(w, rules, w.tenderer);
  CHECK_REFUSED(w, publish(w, none, w.tenderer), 422, "selection_plan_required");
  CHECK(field_of(publish(w, none, w.tenderer)) == "selection_plan_motion");

  rules["selection_plan_motion"] = "M99";
  const std::string unknown = draft(w, rules, w.tenderer);
  CHECK_REFUSED(w, publish(w, unknown, w.tenderer), 422, "selection_plan_not_passed");

  // A motion of the community that has not passed (a draft).
  json::object m{{"title", "选聘方案"}, {"text", "方案"},    {"kind", "selection_plan"},
                 {"matter_item", 4},    {"window_days", 7}, {"plan", plan_of(rules.at("decision").as_object())}};
  auto created = w.call("POST", "/api/v1/communities/" + w.community + "/motions",
                        json::serialize(m), w.tenderer);
  REQUIRE(created.status == 201);
  rules["selection_plan_motion"] = body_json(created).at("id");
  const std::string unpassed = draft(w, rules, w.tenderer);
  CHECK_REFUSED(w, publish(w, unpassed, w.tenderer), 422, "selection_plan_not_passed");

  // Another community's passed plan: the same answer as no plan at all.
  auto other = rules_of(w);
  other["community_id"] = w.other_community;
  other["decision"] = json::object{{"method", "lowest_price"}};
  other["vote_window_days"] = 0;
  other["candidate_publicity_days"] = 3;
  other["selection_plan_motion"] = plan_motion_of(other.at("decision").as_object());
  const std::string foreign = draft(w, other, w.other_tenderer);
  auto refused = publish(w, foreign, w.other_tenderer);
  CHECK(refused.status == 422);
  CHECK(error_code(refused) == "selection_plan_not_passed");
}

TEST_CASE("a tender that contradicts its plan is refused with the field named", "[api][plan]") {
  TenderWorld w;
  struct Case {
    std::function<void(json::object&)> change;
    std::string code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](json::object& r) { r["contract_term_months"] = 24; }, "selection_plan_mismatch",
       "contract_term_months"},
      {[](json::object& r) { r["budget_fen_per_m2_month"] = {{"min", 100}, {"max", 300}}; },
       "rules_invalid_value", "budget_fen_per_m2_month.min"},
      {[](json::object& r) {
         r["qualification"] = {{"min_credit_grade", "A"}, {"min_star_rating", 2}};
       },
       "selection_plan_mismatch", "qualification.min_star_rating"},
      {[](json::object& r) {
         r["qualification"] = {{"min_credit_grade", "B"}, {"min_star_rating", 3}};
       },
       "selection_plan_mismatch", "qualification.min_credit_grade"},
      {[](json::object& r) { r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}}; },
       "selection_plan_mismatch", "decision.allow_runoff"},
      {[](json::object& r) {
         r["decision"] = {{"method", "lowest_price"}};
         r["vote_window_days"] = 0;
       },
       "selection_plan_mismatch", "decision.method"},
      {[](json::object& r) { r.erase("budget_fen_per_m2_month"); }, "selection_plan_mismatch",
       "budget_fen_per_m2_month"},
  };
  for (const auto& c : cases) {
    auto rules = rules_of(w);
    c.change(rules);
    INFO(c.field);
    const std::string id = draft(w, rules, w.tenderer);
    auto r = publish(w, id, w.tenderer);
    CHECK_REFUSED(w, publish(w, id, w.tenderer), 422, c.code);
    CHECK(field_of(r) == c.field);
    // The windows' preview reports the same refusal.
    rules.erase("community_id");
    rules.erase("title");
    auto p = w.call("POST", "/api/v1/tenders/preview-windows",
                    json::serialize(json::object{{"rules", rules}}), w.tenderer);
    CHECK(p.status == 422);
    CHECK(error_code(p) == c.code);
    CHECK(field_of(p) == c.field);
  }
  // Higher thresholds and a narrower budget than the plan's still match.
  auto rules = rules_of(w);
  rules["qualification"] = {{"min_credit_grade", "AA"}, {"min_star_rating", 4}};
  rules["budget_fen_per_m2_month"] = {{"min", 180}, {"max", 260}};
  const std::string id = draft(w, rules, w.tenderer);
  auto ok = publish(w, id, w.tenderer);
  INFO(ok.body);
  REQUIRE(ok.status == 200);
  // The frozen rules carry the plan's fields; the entry cites the plan.
  auto view = body_json(w.call("GET", "/api/v1/tenders/" + id, "", w.tenderer));
  CHECK(view.at("rules").at("selection_plan_motion").as_string() == rules.at("selection_plan_motion").as_string());
  CHECK(view.at("rules").at("budget_fen_per_m2_month").at("max").as_int64() == 260);
  CHECK(view.at("rules").at("contract_term_months").as_int64() == kPlanTermMonths);
  const auto published = payloads(w, "tender.published", id);
  REQUIRE(published.size() == 1);
  const auto& plan = published[0].at("selection_plan");
  CHECK(plan.at("motion_id") == rules.at("selection_plan_motion"));
  CHECK(plan.at("passed_index").as_int64() > 0);
}

TEST_CASE("one live tender per plan, a re-tender after a cancellation may follow it",
          "[api][plan]") {
  TenderWorld w;
  const std::string first = w.published_tender();  // the first owners_vote plan, M1
  auto rules = rules_of(w);
  rules["selection_plan_motion"] = plan_motion_of(rules.at("decision").as_object());
  const std::string second = draft(w, rules, w.tenderer);
  CHECK_REFUSED(w, publish(w, second, w.tenderer), 409, "selection_plan_in_use");
  REQUIRE(w.call("POST", "/api/v1/tenders/" + first + "/cancel", R"({"reason":"重新招标"})",
                 w.tenderer)
              .status == 200);
  auto ok = publish(w, second, w.tenderer);
  INFO(ok.body);
  CHECK(ok.status == 200);
}

TEST_CASE("a selection-plan motion with a bad plan is refused", "[api][plan]") {
  TenderWorld w;
  auto plan = plan_of(json::object{{"method", "owners_vote"}, {"allow_runoff", true}});
  auto post = [&](const json::object& p) {
    json::object m{{"title", "选聘方案"}, {"text", "方案"},    {"kind", "selection_plan"},
                   {"matter_item", 4},    {"window_days", 7}, {"plan", p}};
    return w.call("POST", "/api/v1/communities/" + w.community + "/motions", json::serialize(m),
                  w.tenderer);
  };
  auto bad = plan;
  bad["decision"] = {{"method", "coin"}};
  CHECK_REFUSED(w, post(bad), 422, "motion_invalid");
  CHECK(field_of(post(bad)) == "plan.decision.method");
  bad = plan;
  bad["tier"] = "T9";
  CHECK_REFUSED(w, post(bad), 422, "motion_invalid");
  CHECK(field_of(post(bad)) == "plan.tier");
  bad = plan;
  bad["budget_fen_per_m2_month"] = {{"min", 150}, {"max", 400}};
  CHECK(field_of(post(bad)) == "plan.budget_fen_per_m2_month.max");
  CHECK(post(plan).status == 201);
}

TEST_CASE("a revealed price above the budget's maximum is invalid in the opening record",
          "[api][plan]") {
  EvalWorld w;
  // Bids at 200, 210, 220 fen; the ceiling 210.
  const std::string id =
      w.opened_tender({{"method", "lowest_price"}}, 0,
                      {{"budget_fen_per_m2_month", {{"min", 150}, {"max", 210}}},
                       {"min_valid_bids", 1}});
  auto opening = body_json(w.call("GET", "/api/v1/tenders/" + id + "/opening"));
  int above = 0;
  int valid = 0;
  for (const auto& row : opening.at("items").as_array()) {
    if (row.at("valid").as_bool()) {
      ++valid;
    } else {
      CHECK(row.at("reason").as_string() == "price_above_ceiling");
      ++above;
    }
  }
  CHECK(valid == 2);
  CHECK(above == 1);
  const auto opened = payloads(w, "tender.opened", id);
  REQUIRE(opened.size() == 1);
  bool found = false;
  for (const auto& row : opened[0].at("record").as_array()) {
    if (row.as_object().contains("ceiling_fen_per_m2_month")) {
      found = true;
      CHECK(row.at("price_fen_per_m2_month").as_int64() == 220);
      CHECK(row.at("ceiling_fen_per_m2_month").as_int64() == 210);
    }
  }
  CHECK(found);
}

}  // namespace
}  // namespace sunbid::server::testing
