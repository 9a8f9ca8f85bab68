#include "evaluation/owners_vote.h"

#include <catch2/catch.hpp>

#include "evaluation/draw.h"

using namespace sunbid;
using namespace sunbid::eval;

namespace {

// A roster of owners with the given areas, keys o1, o2, …; totals summed here.
OwnersVoteInput roster(const std::vector<std::int64_t>& areas) {
  OwnersVoteInput in;
  for (std::size_t i = 0; i < areas.size(); ++i) {
    in.owners.push_back({"o" + std::to_string(i + 1), areas[i]});
    in.total_area_centi_m2 += areas[i];
  }
  in.total_heads = static_cast<std::int64_t>(areas.size());
  in.candidates = {"X", "Y", "Z"};
  return in;
}

Ballot vote(std::string key, std::string bid) {
  return Ballot{std::move(key), std::move(bid)};
}
Ballot abstain(std::string key) {
  return Ballot{std::move(key), std::nullopt};
}

const CandidateTally& tally_of(const OwnersVoteResult& r, const std::string& id) {
  for (const auto& c : r.candidates) {
    if (c.bid_id == id) return c;
  }
  FAIL("no candidate " << id);
  return r.candidates.front();
}

Hash seed_b() {
  Hash root{};
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = static_cast<std::uint8_t>(i);
  // uniform(2) = 1 on this seed (Python, see scoring_test.cc).
  return draw_seed_undated(draw_purpose::kLottery, "T-2026-0001", root,
                           "2026-04-01 lottery 07 12 33")
      .value();
}

}  // namespace

// Six owners of 1.00 m² each: total 600, 6 heads. Four take part: area 400,
// 3·400 = 1200 ≥ 2·600 = 1200 and 3·4 = 12 ≥ 2·6 = 12 — exactly 2/3: valid.
TEST_CASE("owners' vote: participation exactly 2/3 of area and heads is valid") {
  auto in = roster({100, 100, 100, 100, 100, 100});
  in.ballots = {vote("o1", "X"), vote("o2", "X"), vote("o3", "X"), abstain("o4")};
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK(r->participating_area_centi_m2 == 400);
  CHECK(r->participating_heads == 4);
  CHECK(r->area_quorum);
  CHECK(r->head_quorum);
  // X: 2·300 = 600 > 400 and 2·3 = 6 > 4: wins.
  CHECK(r->outcome == OwnersVoteOutcome::kWinner);
  CHECK(r->winner == "X");
}

// Same, but o6 has 1.01 m²: total 601; 3·400 = 1200 < 2·601 = 1202: one
// centi-m² short of 2/3 of the area (heads still 4 of 6).
TEST_CASE("owners' vote: one centi-m² under 2/3 of the area is invalid") {
  auto in = roster({100, 100, 100, 100, 100, 101});
  in.ballots = {vote("o1", "X"), vote("o2", "X"), vote("o3", "X"), abstain("o4")};
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK_FALSE(r->area_quorum);
  CHECK(r->head_quorum);
  CHECK(r->outcome == OwnersVoteOutcome::kQuorumNotMet);
  CHECK(r->winner.empty());
}

// Areas 240, 80, 80, 70, 70, 60 (total 600). o1..o3 take part: area 400,
// 3·400 = 1200 ≥ 1200 (area quorum met) but heads 3: 3·3 = 9 < 12 — one head
// short of 2/3: invalid.
TEST_CASE("owners' vote: one head under 2/3 of the headcount is invalid") {
  auto in = roster({240, 80, 80, 70, 70, 60});
  in.ballots = {vote("o1", "X"), vote("o2", "X"), vote("o3", "X")};
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK(r->area_quorum);
  CHECK_FALSE(r->head_quorum);
  CHECK(r->outcome == OwnersVoteOutcome::kQuorumNotMet);
}

// Everyone votes. X: o1 200 + o2 200 + o3 100 = 500 of 1000 (3 heads of 5);
// Y: o4 250 + o5 250 = 500 (2 heads). 2·500 = 1000 is not > 1000: exactly
// half loses; nobody wins -> run-off X and Y (Z has 0).
// With o1 = 201: X 501 of 1001, 2·501 = 1002 > 1001 and 2·3 = 6 > 5: X wins.
TEST_CASE("owners' vote: exactly half of the participating area loses, one centi-m² more wins") {
  auto half = roster({200, 200, 100, 250, 250});
  half.ballots = {vote("o1", "X"), vote("o2", "X"), vote("o3", "X"), vote("o4", "Y"),
                  vote("o5", "Y")};
  auto r = tally_owners_vote(half);
  REQUIRE(r.ok());
  CHECK(tally_of(*r, "X").area_centi_m2 == 500);
  CHECK(tally_of(*r, "X").heads == 3);
  CHECK(r->outcome == OwnersVoteOutcome::kRunoff);
  CHECK(r->runoff.certain == std::vector<std::string>{"X", "Y"});
  CHECK_FALSE(r->runoff.needs_draw());

  auto more = roster({201, 200, 100, 250, 250});
  more.ballots = half.ballots;
  auto w = tally_owners_vote(more);
  REQUIRE(w.ok());
  CHECK(w->outcome == OwnersVoteOutcome::kWinner);
  CHECK(w->winner == "X");
}

// o1 600 votes X; o2, o3, o4 (100 each) vote Y; o5 100 abstains. Total 1000,
// 5 heads, all take part. X: area 2·600 = 1200 > 1000 but heads 2·1 = 2 ≤ 5.
// Y: heads 2·3 = 6 > 5 but area 2·300 = 600 ≤ 1000. Nobody has both: run-off.
TEST_CASE("owners' vote: area and headcount majorities disagree") {
  auto in = roster({600, 100, 100, 100, 100});
  in.ballots = {vote("o1", "X"), vote("o2", "Y"), vote("o3", "Y"), vote("o4", "Y"), abstain("o5")};
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK(r->outcome == OwnersVoteOutcome::kRunoff);
  CHECK(r->runoff.certain == std::vector<std::string>{"X", "Y"});
  CHECK(r->abstain_area_centi_m2 == 100);
  CHECK(r->abstain_heads == 1);
}

// Four owners of 100; o1, o2 vote X, o3, o4 abstain. Participation 400, 4.
// X has every non-abstaining vote, yet 2·200 = 400 is not > 400: no winner.
TEST_CASE("owners' vote: abstentions count as participation") {
  auto in = roster({100, 100, 100, 100});
  in.ballots = {vote("o1", "X"), vote("o2", "X"), abstain("o3"), abstain("o4")};
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK(r->participating_area_centi_m2 == 400);
  CHECK(r->participating_heads == 4);
  CHECK(r->outcome == OwnersVoteOutcome::kRunoff);
}

// Units: k1 holds three units (89.50 + 100.00 + 120.50 = 310.00 m² = 31000),
// k2 one unit of 100.00 m², the developer's five unsold units (5 × 60.00 m²)
// under key "dev". Owners: k1 31000, k2 10000, dev 30000; total 71000, 3 heads.
// k1 and dev vote X: area 61000 (3·61000 ≥ 2·71000), heads 2 (6 ≥ 6).
// X: 2·61000 > 61000, 2·2 > 2: wins, with k1's three units counting one head.
TEST_CASE("owners' vote: an owner with three units and the developer's unsold units") {
  std::vector<RosterUnit> units{{"1-101", 8'950, "k1", false},  {"1-102", 10'000, "k1", false},
                                {"1-201", 12'050, "k1", false}, {"2-101", 10'000, "k2", false},
                                {"3-101", 6'000, "dev", true},  {"3-102", 6'000, "dev", true},
                                {"3-201", 6'000, "dev", true},  {"3-202", 6'000, "dev", true},
                                {"3-301", 6'000, "dev", true}};
  auto w = owner_weights_from_units(units);
  REQUIRE(w.ok());
  CHECK(w->total_heads == 3);
  CHECK(w->total_area_centi_m2 == 71'000);
  REQUIRE(w->owners.size() == 3);
  CHECK(w->owners[0].owner_key == "dev");
  CHECK(w->owners[0].area_centi_m2 == 30'000);
  CHECK(w->owners[1].owner_key == "k1");
  CHECK(w->owners[1].area_centi_m2 == 31'000);

  OwnersVoteInput in{w->owners,
                     w->total_area_centi_m2,
                     w->total_heads,
                     {"X", "Y"},
                     {vote("k1", "X"), vote("dev", "X")}};
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK(r->participating_heads == 2);
  CHECK(r->participating_area_centi_m2 == 61'000);
  CHECK(r->outcome == OwnersVoteOutcome::kWinner);
  CHECK(r->winner == "X");

  // Unsold units under two keys, a duplicate unit.
  units.push_back({"3-302", 6'000, "dev2", true});
  CHECK(owner_weights_from_units(units).error().code == "invalid_roster");
  units.back() = {"1-101", 1, "k9", false};
  CHECK(owner_weights_from_units(units).error().code == "invalid_roster");
  // A sold-but-undelivered unit under the developer's key (SPC art. 9) is
  // the developer's: still one head, its area added (the importer accepts
  // this roster, so the vote must too).
  units.back() = {"4-101", 1, "dev", false};
  auto with_sold = owner_weights_from_units(units);
  REQUIRE(with_sold.ok());
  CHECK(with_sold->total_heads == 3);
  CHECK(with_sold->owners[0].owner_key == "dev");
  CHECK(with_sold->owners[0].area_centi_m2 == 30'001);
  units.back() = {"4-101", 0, "k9", false};
  CHECK(owner_weights_from_units(units).error().code == "invalid_roster");
}

// Log order: o1 -> Y, o2 -> X, o1 -> X (replaces), o3 abstains, o3 -> Y
// (replaces). Kept: o2 X, o1 X, o3 Y. Roster of 3 × 100: X 200 of 300, 2 of 3
// heads: 400 > 300 and 4 > 3: X wins; had o1's first ballot counted, Y would
// have had o1 and o3.
TEST_CASE("owners' vote: a replaced ballot counts only in its last form") {
  const std::vector<Ballot> log{vote("o1", "Y"), vote("o2", "X"), vote("o1", "X"), abstain("o3"),
                                vote("o3", "Y")};
  const auto kept = last_ballot_per_owner(log);
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].owner_key == "o2");
  CHECK(kept[1].owner_key == "o1");
  CHECK(kept[1].candidate_bid_id == std::optional<std::string>("X"));
  CHECK(kept[2].owner_key == "o3");
  CHECK(kept[2].candidate_bid_id == std::optional<std::string>("Y"));

  auto in = roster({100, 100, 100});
  in.ballots = kept;
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK(r->winner == "X");
  // Passing the raw log is refused: two ballots for o1.
  in.ballots = log;
  CHECK(tally_owners_vote(in).error().code == "duplicate_ballot");
}

// Areas: X 400 (o1), Y 300 (o2), Z 300 (o3), all 1 head; total 1000, 3 heads.
// Nobody has > 500. Run-off: X certain, Y and Z tie for the second place ->
// draw 1 of [Y, Z]; seed_b: uniform(2) = 1 -> Z.
TEST_CASE("owners' vote: run-off selection with a tie at the boundary") {
  auto in = roster({400, 300, 300});
  in.ballots = {vote("o1", "X"), vote("o2", "Y"), vote("o3", "Z")};
  auto r = tally_owners_vote(in);
  REQUIRE(r.ok());
  CHECK(r->outcome == OwnersVoteOutcome::kRunoff);
  CHECK(r->runoff.certain == std::vector<std::string>{"X"});
  CHECK(r->runoff.tied == std::vector<std::string>{"Y", "Z"});
  CHECK(r->runoff.draw_count == 1);
  CHECK(resolve_cutoff(r->runoff, seed_b()) == std::vector<std::string>{"X", "Z"});

  // All three equal: two places drawn among three.
  auto eq = roster({300, 300, 300});
  eq.ballots = {vote("o1", "X"), vote("o2", "Y"), vote("o3", "Z")};
  auto e = tally_owners_vote(eq);
  REQUIRE(e.ok());
  CHECK(e->runoff.certain.empty());
  CHECK(e->runoff.tied.size() == 3);
  CHECK(e->runoff.draw_count == 2);
}

TEST_CASE("owners' vote refusals") {
  auto in = roster({100, 100, 100});
  in.ballots = {vote("stranger", "X")};
  CHECK(tally_owners_vote(in).error().code == "ballot_not_on_roster");
  in.ballots = {vote("o1", "W")};
  CHECK(tally_owners_vote(in).error().code == "unknown_candidate");
  in.ballots = {};
  in.total_heads = 4;
  CHECK(tally_owners_vote(in).error().code == "invalid_roster");
  in = roster({100, 100, 100});
  in.total_area_centi_m2 = 299;
  CHECK(tally_owners_vote(in).error().code == "invalid_roster");
  in = roster({100, 100});
  in.owners[1].owner_key = "o1";
  CHECK(tally_owners_vote(in).error().code == "invalid_roster");
  in = roster({100});
  in.candidates = {"X", "X"};
  CHECK(tally_owners_vote(in).error().code == "invalid_candidates");
}
