// Information barriers enforced by EvaluationService's readers themselves,
// given the viewer: the committee, a member's marks, the clearing report,
// the decision, and the ballots / committee votes.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "trail_fixture.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

const char* kRoster =
    "unit,area_centi_m2,owner_key,owner_name,status\n"
    "1-101,1000,O1,甲,sold\n2-101,1500,O2,乙,sold\n2-102,1500,O3,丙,sold\n";

std::vector<std::string> voters_of(const std::vector<eval::VoteView>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.voter.value_or("?"));
  return out;
}

eval::ReviewInput all_pass(const std::string& bid) {
  eval::ReviewInput in;
  in.bid_id = bid;
  in.marks.push_back({"staffing", true, std::nullopt});
  return in;
}

}  // namespace

TEST_CASE("access: committee, marks and clearing report before and after the review") {
  EvalFixture f;
  add_pool(f, 12);
  auto t = open_tender(f, {200, 210, 220});
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  const auto& members = drawn->members;
  REQUIRE(members.size() == 5);
  REQUIRE(!drawn->reserves.empty());
  const auto tenderer = t.market.tenderer;
  const auto enterprise = t.market.enterprises[0];
  const auto stranger_tenderer = CoreFixture::actor("tenderer-x", "tenderer", "other-community");
  auto db = f.reader();

  // The committee: supervisors and drawn evaluators, others only after the review.
  CHECK(eval::EvaluationService::committee(db, t.id, f.supervisor).ok());
  CHECK(eval::EvaluationService::committee(db, t.id, evaluator(members[0])).ok());
  CHECK(eval::EvaluationService::committee(db, t.id, evaluator(drawn->reserves[0])).ok());
  for (const auto& who : {tenderer, enterprise, evaluator("expert-not-drawn")}) {
    if (std::find(members.begin(), members.end(), who.account) != members.end()) continue;
    auto r = eval::EvaluationService::committee(db, t.id, who);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "not_allowed");
  }

  // Clearing report: active members and supervisors; not a reserve, not a
  // member who declined, not the tenderer before the review, not bidders.
  const auto clearing = [&](const core::Actor& a) {
    return eval::EvaluationService::clearing_report(db, t.id, a);
  };
  CHECK(clearing(f.supervisor).ok());
  CHECK(clearing(evaluator(members[0])).ok());
  CHECK(clearing(evaluator(drawn->reserves[0])).error().code == "not_allowed");
  CHECK(clearing(tenderer).error().code == "not_allowed");
  CHECK(clearing(enterprise).error().code == "not_allowed");
  // members[2] declines: the first reserve takes the seat and the decliner loses access.
  auto seat = f.eval->declare(evaluator(members[2]), t.id, false, std::nullopt);
  REQUIRE(seat.ok());
  REQUIRE(seat->successor == drawn->reserves[0]);
  CHECK(clearing(evaluator(members[2])).error().code == "not_allowed");
  CHECK(clearing(evaluator(drawn->reserves[0])).ok());
  const std::vector<std::string> seated = {members[0], members[1], drawn->reserves[0], members[3],
                                           members[4]};
  for (const auto& m : seated) {
    REQUIRE(f.eval->declare(evaluator(m), t.id, true, std::nullopt).ok());
  }

  // Marks: seated[0] submits everything, seated[1] one bid only.
  for (const auto& b : t.bid_ids) {
    REQUIRE(f.eval->submit_review(evaluator(seated[0]), t.id, all_pass(b)).ok());
  }
  REQUIRE(f.eval->submit_review(evaluator(seated[1]), t.id, all_pass(t.bid_ids[0])).ok());
  const auto marks_of = [&](const core::Actor& a) {
    auto r = eval::EvaluationService::marks_visible_to(db, t.id, a);
    REQUIRE(r.ok());
    std::set<std::string> who;
    for (const auto& m : *r) who.insert(m.member);
    return who;
  };
  // Neither sees the other's yet: seated[1] has not submitted all of theirs.
  CHECK(marks_of(evaluator(seated[0])) == std::set<std::string>{seated[0]});
  CHECK(marks_of(evaluator(seated[1])) == std::set<std::string>{seated[1]});
  CHECK(marks_of(evaluator(seated[2])).empty());
  CHECK(marks_of(tenderer).empty());
  CHECK(marks_of(enterprise).empty());
  // Supervisors follow progress, not marks, until the review concludes
  // (security A8; this used to show them every mark at once).
  CHECK(marks_of(f.supervisor).empty());
  for (std::size_t i = 1; i < t.bid_ids.size(); ++i) {
    REQUIRE(f.eval->submit_review(evaluator(seated[1]), t.id, all_pass(t.bid_ids[i])).ok());
  }
  // Both complete: each sees the other's; the member still marking sees none.
  CHECK(marks_of(evaluator(seated[0])) == std::set<std::string>{seated[0], seated[1]});
  CHECK(marks_of(evaluator(seated[2])).empty());
  CHECK(marks_of(tenderer).empty());

  // Nothing of the decision for evaluators, at any stage.
  CHECK(eval::EvaluationService::decision(db, t.id, evaluator(seated[0])).error().code ==
        "not_allowed");
  CHECK(eval::EvaluationService::votes_visible_to(db, t.id, evaluator(seated[0]), 0).error().code ==
        "not_allowed");

  for (std::size_t m = 2; m < seated.size(); ++m) {
    for (const auto& b : t.bid_ids) {
      REQUIRE(f.eval->submit_review(evaluator(seated[m]), t.id, all_pass(b)).ok());
    }
  }
  // Concluded: the tenderer of the community reads the clearing report;
  // another community's tenderer and the bidders do not. The committee stays
  // confidential until the decision (招标投标法 art. 37): not even the
  // tenderer reads it, and the marks show seats, not members.
  CHECK(clearing(tenderer).ok());
  CHECK(clearing(stranger_tenderer).error().code == "not_allowed");
  CHECK(clearing(enterprise).error().code == "not_allowed");
  CHECK(eval::EvaluationService::committee(db, t.id, enterprise).error().code == "not_allowed");
  CHECK(eval::EvaluationService::committee(db, t.id, tenderer).error().code == "not_allowed");
  CHECK(marks_of(tenderer) == std::set<std::string>{"1", "2", "3", "4", "5"});
  CHECK(marks_of(evaluator(seated[0])).count(seated[0]) == 1);
  CHECK(eval::EvaluationService::decision(db, t.id, tenderer).ok());
  CHECK(eval::EvaluationService::decision(db, t.id, evaluator(seated[0])).error().code ==
        "not_allowed");
}

TEST_CASE("access: ballots are secret until the vote window closes") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](boost::json::object& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  const auto community = d.t.market.tenderer.community_id;
  REQUIRE(f.registry->import_roster(f.admin, community, kRoster).ok());
  std::map<std::string, core::Actor> owner;
  for (const char* k : {"O1", "O2", "O3"}) {
    auto a = CoreFixture::actor(std::string("owner-") + k, "owner", community);
    a.owner_key = k;
    owner[k] = a;
  }
  auto elsewhere = CoreFixture::actor("owner-elsewhere", "owner", "other-community");
  elsewhere.owner_key = "O1";  // the same key in another community is not O1 here
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  REQUIRE(f.eval->cast_ballot(owner["O1"], d.t.id, d.candidates[0]).ok());
  REQUIRE(f.eval->cast_ballot(owner["O2"], d.t.id, std::nullopt).ok());
  auto db = f.reader();
  const auto seen = [&](const core::Actor& a) {
    auto r = eval::EvaluationService::votes_visible_to(db, d.t.id, a, f.clock.now_ms());
    REQUIRE(r.ok());
    return *r;
  };
  // Window open: each owner sees only their own ballot; nobody else anything.
  auto mine = seen(owner["O1"]);
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].voter == std::optional<std::string>("O1"));
  CHECK(mine[0].choice == std::optional<std::string>(d.candidates[0]));
  CHECK(mine[0].area_centi_m2 == 1000);
  auto abstained = seen(owner["O2"]);
  REQUIRE(abstained.size() == 1);
  CHECK_FALSE(abstained[0].choice.has_value());
  CHECK(seen(owner["O3"]).empty());
  CHECK(seen(elsewhere).empty());
  CHECK(seen(f.supervisor).empty());
  CHECK(seen(d.t.market.tenderer).empty());
  CHECK(seen(d.t.market.enterprises[0]).empty());
  // One millisecond before the close still secret; at the close all visible.
  f.clock.set_ms(days_end(f.clock.now_ms(), 7) - 1);
  CHECK(seen(f.supervisor).empty());
  f.clock.advance_ms(1);
  CHECK(voters_of(seen(f.supervisor)) == std::vector<std::string>{"O1", "O2"});
  auto public_view = seen(d.t.market.enterprises[0]);
  REQUIRE(public_view.size() == 2);
  CHECK_FALSE(public_view[0].voter.has_value());  // owner keys stay with the owner
  CHECK(public_view[0].area_centi_m2 == 1000);
  CHECK(public_view[1].area_centi_m2 == 1500);
  CHECK(voters_of(seen(owner["O1"])) == std::vector<std::string>{"O1", "?"});
  CHECK(eval::EvaluationService::votes_visible_to(db, d.t.id, evaluator("expert-00"),
                                                  f.clock.now_ms())
            .error()
            .code == "not_allowed");
}

TEST_CASE("access: committee votes are secret until the round is decided") {
  EvalFixture f;
  auto voting = committee_voting(f, 5);
  auto& d = voting.d;
  const auto& voters = voting.voters;
  REQUIRE(f.eval->committee_vote(voters[0], d.t.id, d.candidates[0], 1).ok());
  REQUIRE(f.eval->committee_vote(voters[1], d.t.id, d.candidates[0], 1).ok());
  auto db = f.reader();
  const auto seen = [&](const core::Actor& a) {
    auto r = eval::EvaluationService::votes_visible_to(db, d.t.id, a, f.clock.now_ms());
    REQUIRE(r.ok());
    return voters_of(*r);
  };
  CHECK(seen(voters[0]) == std::vector<std::string>{"tenderer-1"});
  CHECK(seen(voters[2]).empty());
  CHECK(seen(f.supervisor).empty());
  for (int i = 2; i < 5; ++i) {
    REQUIRE(f.eval->committee_vote(voters[i], d.t.id, d.candidates[0], 1).ok());
  }
  // Every voter voted: the platform decides the round before its window
  // closes, and its votes are then visible to all but evaluators.
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK(seen(f.supervisor) == std::vector<std::string>{"tenderer-1", "tenderer-2", "tenderer-3",
                                                       "tenderer-4", "tenderer-5"});
  CHECK(seen(d.t.market.enterprises[0]).size() == 5);
}
