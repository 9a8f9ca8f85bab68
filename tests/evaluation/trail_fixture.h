// Shared by the recompute tests: the nine-unit roster, the stage lengths of
// rules_json, the decision rules of each method, and a loop that satisfies
// every pending draw with a fresh beacon.
#pragma once

#include <string>

#include "eval_fixture.h"

namespace sunbid::testing {

// Candidate and award publicity last 3 calendar days, an owners' vote 7
// (days_end gives their ends with the default calendar).

// O1 owns three units (3000, one head), O2 1500, O3 1500, O4 1001, O5 999,
// the developer two unsold units (1000, one head): 9000 centi-m², 6 heads.
inline const char* const kNineUnitRoster =
    "unit,area_centi_m2,owner_key,owner_name,status\n"
    "1-101,1000,O1,甲,sold\n1-102,1000,O1,甲,sold\n1-103,1000,O1,甲,sold\n"
    "2-101,1500,O2,乙,sold\n2-102,1500,O3,丙,sold\n3-101,1001,O4,丁,sold\n"
    "3-102,999,O5,戊,sold\n4-101,500,DEV,开发商,unsold\n4-102,500,DEV,开发商,unsold\n";

// Sets `decision` (and a zero vote window for methods without a vote).
inline void set_decision_rules(boost::json::object& r, const std::string& method,
                               const std::string& benchmark = "lowest", std::int64_t k_below = 0,
                               bool allow_runoff = true) {
  if (method == "composite_score") {
    r["decision"] = {{"method", method},
                     {"weights_bp", {{"price", 5000}, {"credit", 3000}, {"star", 2000}}},
                     {"benchmark", benchmark},
                     {"k_above", 200},
                     {"k_below", k_below}};
  } else if (method == "owners_vote") {
    r["decision"] = {{"method", method}, {"allow_runoff", allow_runoff}};
  } else if (method == "vote_then_lottery") {
    r["decision"] = {{"method", method}, {"shortlist_size", 2}};
  } else {
    r["decision"] = {{"method", method}};
  }
  if (method == "lowest_price" || method == "lottery" || method == "composite_score") {
    r["vote_window_s"] = 0;
  }
}

// A committee_vote tender of `voters` tenderer accounts (tenderer-1..n)
// whose first vote window has just opened.
struct CommitteeVoting {
  Deciding d;
  std::vector<core::Actor> voters;
};

inline CommitteeVoting committee_voting(EvalFixture& f, int voters) {
  CommitteeVoting c;
  c.d = to_candidates(f, {200, 210, 220, 230}, [](boost::json::object& r) {
    r["decision"] = {{"method", "committee_vote"}};
  });
  const auto community = c.d.t.market.tenderer.community_id;
  // The deciding committee was frozen at publication (open_tender: five
  // accounts tenderer-1..5, legal M7); `voters` must match it.
  REQUIRE(voters == 5);
  for (int i = 1; i <= voters; ++i) {
    const std::string account = "tenderer-" + std::to_string(i);
    c.voters.push_back(CoreFixture::actor(account, "tenderer", community));
  }
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  REQUIRE(f.eval->catch_up(c.d.t.id).ok());
  return c;
}

// Satisfies every pending draw with beacons beacon, beacon + 1, ...
inline void satisfy_draws(EvalFixture& f, const std::string& tender, eval::StageResult r,
                          int& beacon) {
  while (r.next.rfind("draw:", 0) == 0) {
    REQUIRE(f.ledger->publish_checkpoint().ok());
    const std::string purpose = r.next.substr(5);
    auto next =
        f.eval->enter_beacon(f.supervisor, tender, purpose, std::to_string(beacon++) + ".00",
                             beacon_date_for(f, tender, purpose));
    if (!next.ok()) FAIL(next.error().to_string());
    r = *next;
  }
}

}  // namespace sunbid::testing
