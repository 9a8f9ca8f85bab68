// The vote-proximity rule behind the flag on activations and resets made
// shortly before an owners' vote (evaluation/vote_proximity.h).
#include "evaluation/vote_proximity.h"

#include <catch2/catch.hpp>

#include "eval_fixture.h"

namespace sunbid::testing {
namespace {

constexpr std::int64_t kHorizon = 15 * kDayMs;

bool near(EvalFixture& f, const std::string& community) {
  auto db = f.reader();
  auto r = eval::owners_vote_near(db, community, f.clock.now_ms(), f.clock.now_ms() + kHorizon);
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("an owners' vote is near from the candidates' publicity to the vote's close",
          "[activation][vote]") {
  EvalFixture f;
  auto t = open_tender(f, {200, 210, 220}, [](boost::json::object& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  const auto community = t.market.tenderer.community_id;
  CHECK_FALSE(near(f, community));  // opened, not reviewed: no vote scheduled yet
}

TEST_CASE("a scheduled and an open owners' vote are near, a closed one is not",
          "[activation][vote]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220}, [](boost::json::object& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  const auto community = d.t.market.tenderer.community_id;
  CHECK(near(f, community));  // candidates publicized: the vote is scheduled
  CHECK_FALSE(near(f, "C999"));
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK(near(f, community));  // the round is open
  f.clock.advance_ms(30 * kDayMs);
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK_FALSE(near(f, community));  // closed and decided
}

}  // namespace
}  // namespace sunbid::testing
