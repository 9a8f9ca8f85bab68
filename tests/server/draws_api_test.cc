// Issue 11 over HTTP: the committee is read through the checked reader
// (security review A1), beacons are canonical and dated (A3, legal D10),
// the expert record is updated by the admin (PATCH /experts/{id}, legal D9).
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "eval_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

std::vector<std::string> strings(const boost::json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace

TEST_CASE("committee: nobody but supervisors and its own evaluators reads it before the decision",
          "[api][draws]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "lowest_price"}}, 0);
  const std::string t = "/api/v1/tenders/" + id;
  auto drawn = w.call("POST", t + "/committee/draw", w.committee_beacon(id), w.supervisor);
  REQUIRE(drawn.status == 201);
  const auto members = strings(body_json(drawn).at("members"));
  const auto reserves = strings(body_json(drawn).at("reserves"));
  // experts[8] is employed by a bidder: never drawn.
  for (const auto& m : members) REQUIRE(m != w.experts[8].id);
  for (const auto& m : reserves) REQUIRE(m != w.experts[8].id);

  CHECK(w.call("GET", t + "/committee", "", w.supervisor).status == 200);
  CHECK(w.call("GET", t + "/committee", "", w.token_of(members[0])).status == 200);
  CHECK(w.call("GET", t + "/committee", "", w.token_of(reserves[0])).status == 200);
  // 招标投标法 art. 37: the tender's own tenderer, a tenderer of another
  // community and an evaluator who was not drawn get 403 before the decision.
  CHECK_REFUSED(w, w.call("GET", t + "/committee", "", w.tenderer), 403, "not_allowed");
  CHECK_REFUSED(w, w.call("GET", t + "/committee", "", w.other_tenderer), 403, "not_allowed");
  CHECK_REFUSED(w, w.call("GET", t + "/committee", "", w.experts[8].token), 403, "not_allowed");
  CHECK_REFUSED(w, w.call("GET", t + "/committee", "", w.evaluator), 403, "not_allowed");
  CHECK(w.call("GET", t + "/committee", "", w.owner).status == 403);
  CHECK(w.call("GET", t + "/committee").status == 401);
}

TEST_CASE("committee draw over HTTP: canonical beacon, a real date, the right date",
          "[api][draws]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "lowest_price"}}, 0);
  const std::string t = "/api/v1/tenders/" + id + "/committee/draw";
  const std::string date = w.beacon_date(id, "committee.pool_committed");
  const auto body = [](const std::string& beacon, const std::string& d) {
    return R"({"beacon":")" + beacon + R"(","beacon_date":")" + d + R"("})";
  };
  CHECK_REFUSED(w, w.call("POST", t, body("3301.250", date), w.supervisor), 422, "beacon_invalid");
  CHECK_REFUSED(w, w.call("POST", t, body("3,301.25", date), w.supervisor), 422, "beacon_invalid");
  CHECK_REFUSED(w, w.call("POST", t, body("3301.25", "2025-13-45"), w.supervisor), 422,
                "beacon_invalid");
  CHECK_REFUSED(w, w.call("POST", t, body("3301.25", "2020-01-01"), w.supervisor), 422,
                "beacon_date_not_allowed");
  // The refusal names the date it needs.
  auto wrong = w.call("POST", t, body("3301.25", "2020-01-01"), w.supervisor);
  CHECK(body_json(wrong).at("error").at("details").at("required").as_string() == date);
  CHECK(w.call("POST", t, body("3301.25", date), w.supervisor).status == 201);
}

TEST_CASE("PATCH /experts/{id}: the admin updates a record, effective-dated and logged",
          "[api][draws]") {
  EvalWorld w;
  const std::string e = "/api/v1/experts/" + w.experts[0].id;
  CHECK_REFUSED(w, w.call("PATCH", e, R"({"title":"高级工程师"})", w.supervisor), 403, "forbidden");
  CHECK_REFUSED(w, w.call("PATCH", e, R"({"title":"高级工程师"})"), 401, "unauthenticated");
  CHECK_REFUSED(w, w.call("PATCH", "/api/v1/experts/nobody", R"({"title":"x"})", w.admin), 404,
                "expert_not_found");
  CHECK_REFUSED(w, w.call("PATCH", e, R"({"employer_uscc":"9135020077604965"})", w.admin), 422,
                "expert_invalid");
  CHECK_REFUSED(w, w.call("PATCH", e, R"({"phone":"1"})", w.admin), 400, "unknown_field");
  CHECK_REFUSED(w, w.call("PATCH", e, "{}", w.admin), 400, "missing_field");
  CHECK_REFUSED(w, w.call("PATCH", e, R"({"title":"x","effective_from":"tomorrow"})", w.admin), 400,
                "invalid_field");
  // Lower case and spaces are normalised to the bidder's code.
  auto lower = kUsccs[1];
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto ok = w.call("PATCH", e,
                   R"({"employer_uscc":" )" + lower +
                       R"( ","specialties":["物业管理","财务"],)"
                       R"("title":"高级工程师"})",
                   w.admin);
  REQUIRE(ok.status == 200);
  CHECK(body_json(ok).at("account_id").as_string() == w.experts[0].id);
  auto feed = w.call("GET", "/api/v1/audit/entries?start=" +
                                std::to_string(body_json(ok).at("log_index").as_int64()));
  REQUIRE(feed.status == 200);
  CHECK(feed.body.find("expert.updated") != std::string::npos);
  CHECK(feed.body.find(kUsccs[1]) == std::string::npos);  // the record only as a digest
}
