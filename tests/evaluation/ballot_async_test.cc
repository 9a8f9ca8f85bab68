// cast_ballot_async: the same command as cast_ballot, answered from the
// ledger's completion (the HTTP route batches ballots like bids).
#include <catch2/catch.hpp>
#include <future>

#include "trail_fixture.h"

namespace sunbid::testing {
namespace {

constexpr const char* kOwnersRoster =
    "unit,area_centi_m2,owner_key,owner_name,status\n"
    "1-101,1000,O1,甲,sold\n2-101,1500,O2,乙,sold\n";

Result<eval::BallotCast> cast_async(EvalFixture& f, const core::Actor& owner,
                                    const std::string& tender,
                                    std::optional<std::string> candidate) {
  std::promise<Result<eval::BallotCast>> p;
  auto answer = p.get_future();
  f.eval->cast_ballot_async(owner, tender, std::move(candidate),
                            [&p](Result<eval::BallotCast> r) { p.set_value(std::move(r)); });
  return answer.get();
}

TEST_CASE("cast_ballot_async records the ballot and answers from the completion", "[ballot]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220}, [](boost::json::object& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  const auto community = d.t.market.tenderer.community_id;
  REQUIRE(f.registry->import_roster(f.admin, community, kOwnersRoster).ok());
  auto o1 = CoreFixture::actor("owner-O1", "owner", community);
  o1.owner_key = "O1";
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));
  REQUIRE(f.eval->catch_up(d.t.id).ok());

  auto first = cast_async(f, o1, d.t.id, d.candidates[0]);
  REQUIRE(first.ok());
  CHECK_FALSE(first->replaced);
  CHECK(first->round == 1);
  auto again = cast_async(f, o1, d.t.id, std::nullopt);
  REQUIRE(again.ok());
  CHECK(again->replaced);
  CHECK(again->log_index == first->log_index + 1);

  // A refusal changes nothing and reaches `done` too.
  auto before = f.eval_snapshot();
  auto stranger = CoreFixture::actor("owner-x", "owner", community);
  stranger.owner_key = "NOPE";
  auto refused = cast_async(f, stranger, d.t.id, d.candidates[0]);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "owner_not_on_roster");
  auto not_owner = cast_async(f, d.t.market.tenderer, d.t.id, d.candidates[0]);
  REQUIRE_FALSE(not_owner.ok());
  CHECK(not_owner.error().code == "not_owner");
  CHECK(f.eval_snapshot() == before);
}

}  // namespace
}  // namespace sunbid::testing
