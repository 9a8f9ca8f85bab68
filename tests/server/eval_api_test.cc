// The evaluation and decision endpoints without a socket: the expert pool,
// the committee draw, declarations, replacement, the clearing report, the
// review with its hidden marks, candidates, beacons, ballots, committee
// votes, the decision and the award. Every refusal changes no table and
// appends no entry; the information barriers hold over HTTP; and one
// end-to-end scenario per decision method ends with the tender trail
// verified against the pinned key and recomputed by evaluation/recompute.h.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <map>

#include "audit_log/trail.h"
#include "eval_world.h"
#include "evaluation/recompute.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

std::string str(const boost::json::value& v, std::string_view key) {
  return std::string(v.at(key).as_string());
}

std::vector<std::string> strings(const boost::json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

// The trail from GET /tenders/{id}/trail verifies against the pinned key,
// and every draw and the decision recompute from it.
void check_trail(EvalWorld& w, const std::string& id, const std::vector<std::string>& must_have) {
  REQUIRE(w.ledger->publish_checkpoint().ok());
  auto r = w.call("GET", "/api/v1/tenders/" + id + "/trail");
  REQUIRE(r.status == 200);
  auto verified = audit::verify_trail(r.body, w.ledger->verifier_key());
  if (!verified.ok()) FAIL(verified.error().to_string());
  std::vector<std::string> types;
  for (const auto& e : verified->entries) {
    types.emplace_back(boost::json::parse(e.entry).at("type").as_string());
  }
  for (const auto& t : must_have) {
    INFO("entry type " << t);
    CHECK(std::find(types.begin(), types.end(), t) != types.end());
  }
  auto lines = eval::recompute_trail(*verified, w.ledger->verifier_key());
  REQUIRE(lines.size() >= 3);
  for (const auto& l : lines) {
    INFO(l.what << ": " << l.detail);
    CHECK(l.matches);
  }
}

// From the opened tender to publicized candidates (every bid passes).
std::vector<std::string> to_candidates(EvalWorld& w, const std::string& id) {
  auto members = w.draw(id);
  REQUIRE(members.size() == 5);
  auto last = w.review_all(id, members);
  CHECK(str(last, "next") == "candidates_publicized");
  return strings(last.at("candidates"));
}

void award_is(EvalWorld& w, const std::string& id, const std::string& winner) {
  auto a = w.call("GET", "/api/v1/tenders/" + id + "/award");
  REQUIRE(a.status == 200);
  auto av = body_json(a);
  CHECK(str(av, "status") == "award_publicized");
  CHECK(str(av, "awarded_bid_id") == winner);
  CHECK(str(av.at("decision"), "state") != "not_started");
  // The winner by its registered name, with its price.
  CHECK(str(av.at("winner"), "bid_id") == winner);
  CHECK(!str(av.at("winner").at("bidder"), "name").empty());
  CHECK(av.at("winner").at("price_fen_per_m2_month").is_int64());
  // The tender's view carries the award publicity window.
  auto view = body_json(w.call("GET", "/api/v1/tenders/" + id));
  CHECK(view.at("award_publicity").is_object());
  CHECK(view.at("candidate_publicity").is_object());
}

}  // namespace

TEST_CASE("experts: the pool takes evaluator accounts only", "[api][eval]") {
  EvalWorld w;
  auto expert = [&](const std::string& username, const std::string& token,
                    const std::string& extra = R"(,"related_usccs":[])") {
    return w.call(
        "POST", "/api/v1/experts",
        R"({"account_username":")" + username + R"(","specialties":["物业管理"])" + extra + "}",
        token);
  };
  // expert1 is an evaluator account not yet in the pool. (The snapshot
  // sees the pool: refusals below are compared against a state that moves.)
  auto empty_pool = w.snapshot();
  auto ok = expert("expert1", w.admin, R"(,"related_usccs":[")" + kUsccs[3] + R"("])");
  REQUIRE(ok.status == 201);
  CHECK(str(body_json(ok), "account_id") == w.account_id("expert1"));
  CHECK(w.snapshot().first == empty_pool.first + 1);
  {
    // Only the evaluation tables changed: the digest of the pool moved.
    auto now = w.snapshot().second;
    CHECK(now.substr(now.size() - 64) != empty_pool.second.substr(empty_pool.second.size() - 64));
  }
  CHECK_REFUSED(w, expert("expert1", w.admin), 409, "expert_exists");
  CHECK_REFUSED(w, expert("yeweihui", w.admin), 422, "expert_not_evaluator");
  CHECK_REFUSED(w, expert("nobody", w.admin), 404, "account_not_found");
  CHECK_REFUSED(w, expert("expert1", w.admin, ""), 400, "missing_field");
  CHECK_REFUSED(w, expert("expert1", w.admin, R"(,"related_usccs":[],"phone":"1")"), 400,
                "unknown_field");
  CHECK_REFUSED(w, expert("pingshen0", w.supervisor), 403, "forbidden");
  CHECK_REFUSED(w, expert("pingshen0", ""), 401, "unauthenticated");
}

TEST_CASE("committee: draw, declarations, replacement, clearing report", "[api][eval]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "lowest_price"}}, 0);
  const std::string t = "/api/v1/tenders/" + id;
  const std::string beacon = w.committee_beacon(id);
  // Only a supervisor draws; a refused draw changes nothing.
  CHECK_REFUSED(w, w.call("POST", t + "/committee/draw", beacon, w.tenderer), 403, "forbidden");
  CHECK_REFUSED(w, w.call("POST", t + "/committee/draw", beacon, w.experts[0].token), 403,
                "forbidden");
  CHECK_REFUSED(w, w.call("POST", t + "/committee/draw", R"({"beacon":"1"})", w.supervisor), 400,
                "missing_field");
  CHECK_REFUSED(w, w.call("POST", "/api/v1/tenders/T404/committee/draw", beacon, w.supervisor), 404,
                "tender_not_found");
  // Nobody reads a clearing report before the draw made it.
  CHECK(w.call("GET", t + "/clearing-report", "", w.supervisor).status == 409);

  auto drawn = w.call("POST", t + "/committee/draw", beacon, w.supervisor);
  REQUIRE(drawn.status == 201);
  auto dv = body_json(drawn);
  auto members = strings(dv.at("members"));
  auto reserves = strings(dv.at("reserves"));
  CHECK(members.size() == 5);
  // Nine experts, one employed by a bidder (never drawn): 8 eligible.
  CHECK(reserves.size() == 3);
  for (const auto& m : members) CHECK(m != w.experts[8].id);
  for (const auto& m : reserves) CHECK(m != w.experts[8].id);
  CHECK(str(dv, "seed_hex").size() == 64);
  CHECK_REFUSED(w, w.call("POST", t + "/committee/draw", beacon, w.supervisor), 409,
                "tender_wrong_status");

  auto committee = w.call("GET", t + "/committee", "", w.supervisor);
  REQUIRE(committee.status == 200);
  CHECK(strings(body_json(committee).at("members")) == members);
  CHECK(body_json(committee).at("declared").as_array().empty());
  CHECK(w.call("GET", t + "/committee", "", w.owner).status == 403);
  CHECK(w.call("GET", t + "/committee").status == 401);

  // The clearing report: members and supervisors; the tenderer only after
  // the review; an evaluator who is not drawn never.
  auto report = w.call("GET", t + "/clearing-report", "", w.token_of(members[0]));
  REQUIRE(report.status == 200);
  CHECK(body_json(report).at("bids").as_array().size() == 3);
  CHECK(w.call("GET", t + "/clearing-report", "", w.supervisor).status == 200);
  CHECK(error_code(w.call("GET", t + "/clearing-report", "", w.tenderer)) == "not_allowed");
  CHECK(w.call("GET", t + "/clearing-report", "", w.token_of(reserves[0])).status == 403);
  CHECK(w.call("GET", t + "/clearing-report", "", w.experts[8].token).status == 403);
  CHECK(w.call("GET", t + "/clearing-report", "", w.enterprises[0]).status == 403);

  // Declarations: only a drawn member, once; `false` frees the seat for the
  // first reserve.
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/committee/declaration", R"({"no_conflict":true})", w.experts[8].token),
      403, "not_a_committee_member");
  CHECK_REFUSED(w,
                w.call("POST", t + "/committee/declaration", R"({"no_conflict":"yes"})",
                       w.token_of(members[0])),
                400, "invalid_field");
  CHECK_REFUSED(
      w, w.call("POST", t + "/committee/declaration", R"({"no_conflict":true})", w.supervisor), 403,
      "forbidden");
  REQUIRE(w.call("POST", t + "/committee/declaration", R"({"no_conflict":true})",
                 w.token_of(members[0]))
              .status == 200);
  CHECK_REFUSED(w,
                w.call("POST", t + "/committee/declaration", R"({"no_conflict":true})",
                       w.token_of(members[0])),
                409, "already_declared");
  auto declined =
      w.call("POST", t + "/committee/declaration",
             R"({"no_conflict":false,"detail":"曾在投标企业任职"})", w.token_of(members[1]));
  REQUIRE(declined.status == 200);
  CHECK(str(body_json(declined), "successor") == reserves[0]);
  // A member who has not declared may not review.
  CHECK_REFUSED(w,
                w.call("POST", t + "/reviews", w.review_body(w.bid_of[kUsccs[0]], true),
                       w.token_of(members[2])),
                409, "not_declared");

  // Replacement (补抽): supervisor only, with a reason; the next reserve.
  const std::string replace =
      R"({"member":")" + members[2] + R"(","reason":"联系不上 / did not respond"})";
  CHECK_REFUSED(w, w.call("POST", t + "/committee/replace", replace, w.tenderer), 403, "forbidden");
  CHECK_REFUSED(w,
                w.call("POST", t + "/committee/replace",
                       R"({"member":")" + members[2] + R"(","reason":""})", w.supervisor),
                422, "reason_required");
  CHECK_REFUSED(w,
                w.call("POST", t + "/committee/replace",
                       R"({"member":")" + w.experts[8].id + R"(","reason":"x"})", w.supervisor),
                403, "not_a_committee_member");
  auto replaced = w.call("POST", t + "/committee/replace", replace, w.supervisor);
  REQUIRE(replaced.status == 200);
  CHECK(str(body_json(replaced), "successor") == reserves[1]);
  auto after = body_json(w.call("GET", t + "/committee", "", w.supervisor));
  auto now_members = strings(after.at("members"));
  CHECK(std::find(now_members.begin(), now_members.end(), members[1]) == now_members.end());
  CHECK(std::find(now_members.begin(), now_members.end(), members[2]) == now_members.end());
  CHECK(strings(after.at("reserves")) == std::vector<std::string>{reserves[2]});
  CHECK(strings(after.at("declared")) == std::vector<std::string>{members[0]});
}

TEST_CASE("review: hidden marks, final submissions, refusals, candidates", "[api][eval]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "lowest_price"}}, 0);
  const std::string t = "/api/v1/tenders/" + id;
  auto members = w.draw(id);
  for (const auto& m : members) {
    REQUIRE(w.call("POST", t + "/committee/declaration", R"({"no_conflict":true})", w.token_of(m))
                .status == 200);
  }
  const std::string A = w.bid_of[kUsccs[0]], B = w.bid_of[kUsccs[1]], C = w.bid_of[kUsccs[2]];
  const std::string m0 = w.token_of(members[0]), m1 = w.token_of(members[1]);

  // Rule violations (422) and malformed marks (400), each changing nothing.
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/reviews",
             R"({"bid_id":")" + A + R"(","marks":[{"criterion":"staffing","pass":false}]})", m0),
      422, "fail_without_reason");
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/reviews",
             R"({"bid_id":")" + A + R"(","marks":[{"criterion":"price","pass":true}]})", m0),
      422, "unknown_criterion");
  CHECK_REFUSED(w, w.call("POST", t + "/reviews", w.review_body("B-none", true), m0), 422,
                "unknown_bid");
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/reviews",
             R"({"bid_id":")" + A + R"(","marks":[{"criterion":"staffing","pass":1}]})", m0),
      400, "invalid_field");
  CHECK(error_field(w.call("POST", t + "/reviews",
                           R"({"bid_id":")" + A + R"(","marks":[{"criterion":"staffing"}]})",
                           m0)) == "/marks/0/pass");
  CHECK_REFUSED(w, w.call("POST", t + "/reviews", w.review_body(A, true), w.tenderer), 403,
                "forbidden");
  CHECK_REFUSED(w, w.call("POST", t + "/reviews", w.review_body(A, true), w.experts[8].token), 403,
                "not_a_committee_member");
  // Candidates are not public during the review.
  CHECK(error_code(w.call("GET", t + "/candidates")) == "candidates_not_public");

  // Member 0 marks A (failing it) and B; member 1 marks A.
  REQUIRE(w.call("POST", t + "/reviews", w.review_body(A, false), m0).status == 201);
  CHECK_REFUSED(w, w.call("POST", t + "/reviews", w.review_body(A, true), m0), 409,
                "already_submitted");
  REQUIRE(w.call("POST", t + "/reviews", w.review_body(B, true), m0).status == 201);
  REQUIRE(w.call("POST", t + "/reviews", w.review_body(A, true), m1).status == 201);

  auto visible = [&](const std::string& token) {
    std::vector<std::pair<std::string, std::string>> out;
    auto r = w.call("GET", t + "/reviews", "", token);
    REQUIRE(r.status == 200);
    const auto list = body_json(r);
    for (const auto& i : list.at("items").as_array()) {
      out.emplace_back(str(i, "member"), str(i, "bid_id"));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  // Independence: each member sees only its own marks while either has not
  // marked every bid; the tenderer sees nothing before the review ends.
  CHECK(visible(m0).size() == 2);
  for (const auto& [member, bid] : visible(m0)) CHECK(member == members[0]);
  CHECK(visible(m1) == std::vector<std::pair<std::string, std::string>>{{members[1], A}});
  CHECK(visible(w.tenderer).empty());
  // The supervisor follows progress, not marks, until the review concludes
  // (issue 11, security A8; it used to see all 3 marks here).
  CHECK(visible(w.supervisor).empty());
  {
    auto progress = body_json(w.call("GET", t + "/reviews", "", w.supervisor)).at("progress");
    std::map<std::string, std::int64_t> submitted;
    for (const auto& p : progress.as_array()) {
      submitted[std::string(p.at("member").as_string())] = p.at("submitted").as_int64();
    }
    CHECK(submitted[members[0]] == 2);
    CHECK(submitted[members[1]] == 1);
    CHECK(body_json(w.call("GET", t + "/reviews", "", m0)).as_object().if_contains("progress") ==
          nullptr);
  }
  CHECK(w.call("GET", t + "/reviews", "", w.owner).status == 403);
  // Member 0 completes: member 1 still sees only its own (it has not).
  REQUIRE(w.call("POST", t + "/reviews", w.review_body(C, true), m0).status == 201);
  CHECK(visible(m1) == std::vector<std::pair<std::string, std::string>>{{members[1], A}});
  // Member 1 completes: both see each other's.
  REQUIRE(w.call("POST", t + "/reviews", w.review_body(B, true), m1).status == 201);
  REQUIRE(w.call("POST", t + "/reviews", w.review_body(C, true), m1).status == 201);
  CHECK(visible(m1).size() == 6);
  CHECK(visible(m0).size() == 6);
  // The marks a member sees are the ones submitted (fail reason included).
  {
    auto r = body_json(w.call("GET", t + "/reviews", "", m1));
    bool found = false;
    for (const auto& i : r.at("items").as_array()) {
      if (str(i, "member") != members[0] || str(i, "bid_id") != A) continue;
      const auto& mark = i.at("review").at("marks").as_array().at(0);
      CHECK(mark.at("pass").as_bool() == false);
      CHECK(str(mark, "reason") == "人员配置不足");
      found = true;
    }
    CHECK(found);
  }

  // The other three members pass everything: A fails on 1 of 5 (no
  // majority), so all three qualify.
  boost::json::value last;
  for (std::size_t i = 2; i < members.size(); ++i) {
    for (const auto& bid : {A, B, C}) {
      auto r = w.call("POST", t + "/reviews", w.review_body(bid, true), w.token_of(members[i]));
      REQUIRE(r.status == 201);
      last = body_json(r);
    }
  }
  CHECK(str(last, "next") == "candidates_publicized");
  CHECK_REFUSED(w, w.call("POST", t + "/reviews", w.review_body(A, true), m0), 409,
                "review_closed");
  auto cands = w.call("GET", t + "/candidates");
  REQUIRE(cands.status == 200);
  auto items = body_json(cands).at("items").as_array();
  REQUIRE(items.size() == 3);
  // Unranked: sorted by bid id, with bidders and prices from the opening.
  std::vector<std::string> ids;
  for (const auto& i : items) ids.push_back(str(i, "bid_id"));
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  for (const auto& i : items) {
    if (str(i, "bid_id") == A) CHECK(i.at("price_fen_per_m2_month").as_int64() == 200);
    // The review summary the 中标候选人公示 printed: per criterion, the
    // seats that marked it 合格.
    REQUIRE(i.as_object().contains("review"));
    CHECK(!i.at("review").as_array().empty());
    CHECK(i.at("review").as_array()[0].at("pass_seats").as_int64() >= 4);  // A: 4 of 5
  }
  CHECK(body_json(cands).at("review_seats").as_int64() == 5);
  // The tender's view: the candidate publicity window, its end in the future.
  auto view = body_json(w.call("GET", t));
  REQUIRE(view.at("candidate_publicity").is_object());
  CHECK(view.at("candidate_publicity").at("ends_at").is_string());
  CHECK(view.at("award_publicity").is_null());
  // Now the tenderer reads the clearing report.
  CHECK(w.call("GET", t + "/clearing-report", "", w.tenderer).status == 200);
  CHECK(w.call("GET", t + "/clearing-report", "", w.other_tenderer).status == 403);
}

TEST_CASE("barriers: evaluators read nothing of the decision, ballots stay hidden", "[api][eval]") {
  EvalWorld w;
  const std::string id =
      w.opened_tender({{"method", "owners_vote"}, {"allow_runoff", true}}, 604800);
  const std::string t = "/api/v1/tenders/" + id;
  auto cands = to_candidates(w, id);
  const std::string A = w.bid_of[kUsccs[0]];
  // Before the vote window opens: a ballot is refused.
  CHECK_REFUSED(w,
                w.call("POST", t + "/ballots", R"({"candidate_bid_id":")" + A + R"("})", w.owner),
                409, "vote_window_closed");
  w.at(days_end(w.clock.now_ms(), 15));
  w.settle(id);
  REQUIRE(
      w.call("POST", t + "/ballots", R"({"candidate_bid_id":")" + A + R"("})", w.owner).status ==
      201);
  // Nothing of a ballot before the window closes: no award, no tally, for
  // anyone; evaluators are refused outright.
  for (const std::string& token : {std::string(), w.tenderer, w.supervisor, w.owner, w.admin}) {
    auto a = w.call("GET", t + "/award", "", token);
    CHECK(a.status == 409);
    CHECK(error_code(a) == "award_not_public");
    CHECK(a.body.find(A) == std::string::npos);
  }
  for (const auto& e : w.experts) {
    auto a = w.call("GET", t + "/award", "", e.token);
    CHECK(a.status == 403);
  }
  CHECK(error_code(w.call("GET", t + "/award", "", w.experts[0].token)) == "forbidden");
  // Not even from the loopback interface.
  CHECK(w.call("GET", t + "/award", "", w.experts[0].token, "127.0.0.1").status == 403);
  // The deciding side cannot vote for another community or as an evaluator.
  CHECK_REFUSED(
      w, w.call("POST", t + "/ballots", R"({"candidate_bid_id":"abstain"})", w.experts[0].token),
      403, "forbidden");
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.experts[0].token), 403, "forbidden");
  CHECK_REFUSED(w, w.call("POST", t + "/ballots", R"({"candidate_bid_id":"B-none"})", w.owner), 422,
                "not_a_candidate");
  CHECK_REFUSED(w, w.call("POST", t + "/ballots", R"({})", w.owner), 400, "missing_field");
  // Deciding while the window is open is refused; another community's
  // tenderer is refused by relation.
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.tenderer), 409, "vote_window_open");
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.other_tenderer), 403,
                "not_tenderer_of_community");
  CHECK_REFUSED(w,
                w.call("POST", t + "/committee-votes",
                       R"({"candidate_bid_id":")" + A + R"(","round":1})", w.tenderer),
                409, "wrong_method");
  CHECK(cands.size() == 3);
}

// ---- one scenario per decision method, from the opened tender to the award ----

TEST_CASE("scenario owners_vote: two owners carry the vote", "[api][eval][scenario]") {
  EvalWorld w;
  const std::string id =
      w.opened_tender({{"method", "owners_vote"}, {"allow_runoff", true}}, 604800);
  const std::string t = "/api/v1/tenders/" + id;
  auto cands = to_candidates(w, id);
  REQUIRE(cands.size() == 3);
  const std::string A = w.bid_of[kUsccs[0]], B = w.bid_of[kUsccs[1]];
  w.at(days_end(w.clock.now_ms(), 15));
  w.settle(id);
  // Roster (TenderWorld): O-001 17900 (two units, one head), O-002 12030,
  // the developer 14400: total 44330, 3 heads. O-001 first votes B, then
  // replaces it with A; O-002 votes A. Participation 29930: 3·29930 = 89790
  // ≥ 2·44330 = 88660, heads 3·2 ≥ 2·3. A has all of it: more than half.
  auto first = w.call("POST", t + "/ballots", R"({"candidate_bid_id":")" + B + R"("})", w.owner);
  REQUIRE(first.status == 201);
  CHECK(body_json(first).at("replaced").as_bool() == false);
  auto second = w.call("POST", t + "/ballots", R"({"candidate_bid_id":")" + A + R"("})", w.owner);
  REQUIRE(second.status == 201);
  CHECK(body_json(second).at("replaced").as_bool() == true);
  REQUIRE(w.call("POST", t + "/ballots", R"({"candidate_bid_id":")" + A + R"("})", w.owner2.token)
              .status == 201);
  w.at(days_end(w.clock.now_ms(), 7));
  auto d = w.call("POST", t + "/decision", "", w.tenderer);
  REQUIRE(d.status == 200);
  auto dv = body_json(d);
  CHECK(str(dv, "method") == "owners_vote");
  CHECK(str(dv, "next") == "award_publicized");
  CHECK(str(dv, "winner") == A);
  CHECK(dv.as_object().contains("inputs"));
  award_is(w, id, A);
  check_trail(w, id,
              {"committee.drawn", "committee.declared", "review.concluded", "decision.vote_opened",
               "ballot.cast", "decision.made"});
}

TEST_CASE("scenario composite_score: the weighted scores pick B", "[api][eval][scenario]") {
  EvalWorld w;
  // Prices 200, 210, 220; every bidder credit 9000, 4 stars (star score
  // 8000). Benchmark = mean 210. Price scores: A 10000 − round(50·10·100/210
  // = 238.1) = 9762; B 10000; C 10000 − round(100·10·100/210 = 476.2) =
  // 9524. Totals (6000·p + 2500·9000 + 1500·8000)/10000: A 9307.2 → 9307,
  // B 9450, C 9164.4 → 9164.
  const std::string id =
      w.opened_tender({{"method", "composite_score"},
                       {"weights_bp", {{"price", 6000}, {"credit", 2500}, {"star", 1500}}},
                       {"benchmark", "mean"},
                       {"k_above", 100},
                       {"k_below", 50}},
                      0);
  to_candidates(w, id);
  w.at(days_end(w.clock.now_ms(), 3));
  w.settle(id);
  auto d = w.call("POST", "/api/v1/tenders/" + id + "/decision", "", w.tenderer);
  REQUIRE(d.status == 200);
  auto dv = body_json(d);
  CHECK(str(dv, "winner") == w.bid_of[kUsccs[1]]);
  std::map<std::string, std::int64_t> totals;
  for (const auto& s : dv.at("scores").as_array())
    totals[str(s, "bid_id")] = s.at("total").as_int64();
  CHECK(totals[w.bid_of[kUsccs[0]]] == 9307);
  CHECK(totals[w.bid_of[kUsccs[1]]] == 9450);
  CHECK(totals[w.bid_of[kUsccs[2]]] == 9164);
  award_is(w, id, w.bid_of[kUsccs[1]]);
  check_trail(w, id, {"committee.drawn", "review.concluded", "decision.made"});
}

TEST_CASE("scenario lowest_price: the lowest candidate wins at once", "[api][eval][scenario]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "lowest_price"}}, 0);
  const std::string t = "/api/v1/tenders/" + id;
  to_candidates(w, id);
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.tenderer), 409, "tender_wrong_status");
  w.at(days_end(w.clock.now_ms(), 3));
  w.settle(id);
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.supervisor), 403, "forbidden");
  CHECK_REFUSED(w, w.call("POST", t + "/decision", R"({"x":1})", w.tenderer), 400, "unknown_field");
  auto d = w.call("POST", t + "/decision", "", w.tenderer);
  REQUIRE(d.status == 200);
  CHECK(str(body_json(d), "winner") == w.bid_of[kUsccs[0]]);
  // Idempotent: a repeated decision answers the stored result, changing nothing.
  auto before = w.snapshot();
  auto again = w.call("POST", t + "/decision", "", w.tenderer);
  REQUIRE(again.status == 200);
  CHECK(body_json(again) == body_json(d));
  CHECK(w.snapshot() == before);
  award_is(w, id, w.bid_of[kUsccs[0]]);
  check_trail(w, id, {"committee.drawn", "review.concluded", "decision.made"});
}

TEST_CASE("scenario lottery: the supervisor's beacon draws the winner", "[api][eval][scenario]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "lottery"}}, 0);
  const std::string t = "/api/v1/tenders/" + id;
  auto cands = to_candidates(w, id);
  w.at(days_end(w.clock.now_ms(), 3));
  w.settle(id);
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/draws",
             R"({"purpose":"lottery","beacon":"712.33","beacon_date":"2026-02-03"})", w.supervisor),
      409, "no_pending_draw");
  auto d = w.call("POST", t + "/decision", "", w.tenderer);
  REQUIRE(d.status == 200);
  CHECK(str(body_json(d), "next") == "draw:lottery");
  const std::string beacon = R"({"purpose":"lottery","beacon":"712.33","beacon_date":")" +
                             w.beacon_date(id, "decision.made") + R"("})";
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.tenderer), 409, "decision_pending_draw");
  CHECK_REFUSED(w, w.call("POST", t + "/draws", beacon, w.tenderer), 403, "forbidden");
  CHECK_REFUSED(w,
                w.call("POST", t + "/draws", R"({"purpose":"lottery","beacon":"1"})", w.supervisor),
                400, "missing_field");
  REQUIRE(w.ledger->publish_checkpoint().ok());
  auto drawn = w.call("POST", t + "/draws", beacon, w.supervisor);
  REQUIRE(drawn.status == 201);
  const std::string winner = str(body_json(drawn), "winner");
  CHECK(std::find(cands.begin(), cands.end(), winner) != cands.end());
  award_is(w, id, winner);
  check_trail(w, id, {"committee.drawn", "review.concluded", "decision.made", "draw.made"});
}

TEST_CASE("scenario committee_vote: the community's tenderers vote", "[api][eval][scenario]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "committee_vote"}}, 604800);
  const std::string t = "/api/v1/tenders/" + id;
  to_candidates(w, id);
  w.at(days_end(w.clock.now_ms(), 3));
  w.settle(id);
  const std::string A = w.bid_of[kUsccs[0]], B = w.bid_of[kUsccs[1]];
  auto vote = [&](const std::string& token, const std::string& bid, int round) {
    return w.call("POST", t + "/committee-votes",
                  R"({"candidate_bid_id":")" + bid + R"(","round":)" + std::to_string(round) + "}",
                  token);
  };
  // The voters are the community's five tenderer accounts at publication
  // (the server's accounts table); another community's tenderer is not one.
  CHECK_REFUSED(w, vote(w.other_tenderer, A, 1), 403, "not_a_voter");
  CHECK_REFUSED(w, vote(w.tenderer, A, 2), 409, "wrong_round");
  CHECK_REFUSED(w, vote(w.owner, A, 1), 403, "forbidden");
  CHECK_REFUSED(w, vote(w.tenderer, A, 0), 400, "invalid_field");
  REQUIRE(vote(w.tenderer, A, 1).status == 201);
  CHECK_REFUSED(w, vote(w.tenderer, B, 1), 409, "already_voted");
  REQUIRE(vote(w.deciders[0].token, A, 1).status == 201);
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.tenderer), 409, "vote_window_open");
  REQUIRE(vote(w.deciders[1].token, B, 1).status == 201);
  REQUIRE(vote(w.deciders[2].token, B, 1).status == 201);
  // The tenderer cannot cancel once every vote is in.
  REQUIRE(vote(w.deciders[3].token, A, 1).status == 201);
  CHECK_REFUSED(w, w.call("POST", t + "/cancel", R"({"reason":"改用其他方式"})", w.tenderer), 409,
                "cancel_requires_supervisor");
  // Everyone voted: A has 3 of 5 members, a majority; the platform decided
  // (no need to wait), and POST /decision answers the stored result.
  auto d = w.call("POST", t + "/decision", "", w.tenderer);
  REQUIRE(d.status == 200);
  CHECK(str(body_json(d), "winner") == A);
  auto again = w.call("POST", t + "/decision", "", w.tenderer);
  REQUIRE(again.status == 200);
  CHECK(body_json(again) == body_json(d));
  award_is(w, id, A);
  check_trail(w, id, {"decision.vote_opened", "committee_vote.cast", "decision.made"});
}

TEST_CASE("scenario vote_then_lottery: votes make the shortlist, the draw picks",
          "[api][eval][scenario]") {
  EvalWorld w;
  const std::string id =
      w.opened_tender({{"method", "vote_then_lottery"}, {"shortlist_size", 2}}, 604800);
  const std::string t = "/api/v1/tenders/" + id;
  to_candidates(w, id);
  w.at(days_end(w.clock.now_ms(), 3));
  w.settle(id);
  const std::string A = w.bid_of[kUsccs[0]], B = w.bid_of[kUsccs[1]], C = w.bid_of[kUsccs[2]];
  for (const auto& [token, bid] :
       {std::pair{w.tenderer, A}, std::pair{w.deciders[0].token, A},
        std::pair{w.deciders[1].token, B}, std::pair{w.deciders[2].token, B},
        std::pair{w.deciders[3].token, C}}) {
    REQUIRE(w.call("POST", t + "/committee-votes",
                   R"({"candidate_bid_id":")" + bid + R"(","round":1})", token)
                .status == 201);
  }
  // Every vote is in: the platform shortlists and opens the draw (as the
  // tick would); the decision waits for the beacon.
  w.settle(id);
  CHECK_REFUSED(w, w.call("POST", t + "/decision", "", w.tenderer), 409, "decision_pending_draw");
  REQUIRE(w.ledger->publish_checkpoint().ok());
  const std::string date = w.beacon_date(id, "decision.made");  // may move the clock
  auto drawn = w.call("POST", t + "/draws",
                      R"({"purpose":"lottery","beacon":"2026.13","beacon_date":")" + date + R"("})",
                      w.supervisor);
  REQUIRE(drawn.status == 201);
  const std::string winner = str(body_json(drawn), "winner");
  CHECK((winner == A || winner == B));
  award_is(w, id, winner);
  check_trail(w, id, {"committee_vote.cast", "decision.made", "draw.made"});
}

TEST_CASE("service tiers: a missing name is 400 missing_field, the list has next_cursor",
          "[api][registry]") {
  TenderWorld w;
  auto r = w.call("PUT", "/api/v1/service-tiers",
                  R"({"items":[{"code":"T1","min_fen_per_m2_month":100,)"
                  R"("max_fen_per_m2_month":200,"required_items":[]}]})",
                  w.admin);
  CHECK(r.status == 400);
  CHECK(error_code(r) == "missing_field");
  CHECK(error_field(r) == "/items/0/name");
  auto before = w.snapshot();
  auto wrong = w.call("PUT", "/api/v1/service-tiers",
                      R"({"items":[{"code":"T1","name":"一级","min_fen_per_m2_month":"100",)"
                      R"("max_fen_per_m2_month":200,"required_items":[]}]})",
                      w.admin);
  CHECK(wrong.status == 400);
  CHECK(error_field(wrong) == "/items/0/min_fen_per_m2_month");
  CHECK(w.snapshot() == before);
  auto list = w.call("GET", "/api/v1/service-tiers");
  REQUIRE(list.status == 200);
  auto lv = body_json(list);
  CHECK(lv.at("items").as_array().size() == 1);
  CHECK(lv.at("next_cursor").is_null());
}
