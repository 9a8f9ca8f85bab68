#include "evaluation/scoring.h"

#include <catch2/catch.hpp>

#include "evaluation/draw.h"

using namespace sunbid;
using namespace sunbid::eval;

namespace {

Hash example_root() {
  Hash root{};
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = static_cast<std::uint8_t>(i);
  return root;
}

// docs/draw.md example seed: first word 15934378204642725328
// (mod 2 = 0, mod 3 = 1, mod 4 = 0; Python).
Hash seed_a() {
  return draw_seed_undated(draw_purpose::kCommittee, "T-2026-0001", example_root(),
                           "2026-03-02 SSE Composite Index close 3345.67")
      .value();
}

// 475ea049…3f74; uniform(2) = 1, uniform(3) = 0, uniform(4) = 3 (Python).
Hash seed_b() {
  return draw_seed_undated(draw_purpose::kLottery, "T-2026-0001", example_root(),
                           "2026-04-01 lottery 07 12 33")
      .value();
}

CompositeParams example_params() {
  CompositeParams p;
  p.weight_price_bp = 6'000;
  p.weight_credit_bp = 3'000;
  p.weight_star_bp = 1'000;
  p.benchmark = CompositeParams::Benchmark::kMean;
  p.k_above = 200;
  p.k_below = 100;
  return p;
}

}  // namespace

TEST_CASE("lottery seed golden value") {
  CHECK(hex_encode(seed_b()) == "475ea0499ee69fbb534636dc911eb16c7b2615660a5e56a5d8434928147b3f74");
}

TEST_CASE("round_half_up is exact") {
  CHECK(round_half_up(5, 2) == 3);       // 2.5 -> 3
  CHECK(round_half_up(7, 2) == 4);       // 3.5 -> 4
  CHECK(round_half_up(1061, 4) == 265);  // 265.25
  CHECK(round_half_up(1062, 4) == 266);  // 265.5
  CHECK(round_half_up(0, 9) == 0);
  // A numerator past 64 bits: 10^20 (2^64 is about 1.8 × 10^19).
  const Uint128 big = Uint128{100'000'000'000ULL} * 1'000'000'000ULL;
  CHECK(round_half_up(big, 10) == 10'000'000'000'000'000'000ULL);
  CHECK(round_half_up(big + 4, 10) == 10'000'000'000'000'000'000ULL);
  CHECK(round_half_up(big + 5, 10) == 10'000'000'000'000'000'001ULL);
}

// docs/composite-score.md, worked by hand:
//   B = round_half_up(1061 / 4) = 265
//   A 251: 100×14×100/265 = 528.30 -> 528 -> 9472; 6000·9472+3000·9250+1000·8000 = 92,582,000 ->
//   9258 B 280: 200×15×100/265 = 1132.07 -> 1132 -> 8868; 53,208,000+29,400,000+10,000,000 -> 9261
//   C 300: 200×35×100/265 = 2641.50 -> 2642 -> 7358; 44,148,000+26,400,000+6,000,000 -> 7655
//   D 230: 100×35×100/265 = 1320.75 -> 1321 -> 8679; 52,074,000+27,000,000+8,000,000 -> 8707
TEST_CASE("composite score worked example") {
  auto r = composite_score(
      example_params(),
      {{"D", 230, 9'000, 4}, {"B", 280, 9'800, 5}, {"A", 251, 9'250, 4}, {"C", 300, 8'800, 3}},
      std::nullopt);
  REQUIRE(r.ok());
  CHECK(r->benchmark_fen == 265);
  REQUIRE(r->scores.size() == 4);
  struct Row {
    const char* id;
    std::int64_t price, credit, star, total;
  };
  const Row expected[] = {{"A", 9'472, 9'250, 8'000, 9'258},
                          {"B", 8'868, 9'800, 10'000, 9'261},
                          {"C", 7'358, 8'800, 6'000, 7'655},
                          {"D", 8'679, 9'000, 8'000, 8'707}};
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(expected[i].id);
    CHECK(r->scores[i].bid_id == expected[i].id);
    CHECK(r->scores[i].price_score == expected[i].price);
    CHECK(r->scores[i].credit_score == expected[i].credit);
    CHECK(r->scores[i].star_score == expected[i].star);
    CHECK(r->scores[i].total == expected[i].total);
  }
  CHECK(r->decision.kind == Decision::Kind::kWinner);
  CHECK(r->decision.winner == "B");
  CHECK_FALSE(r->decision.by_draw);
  CHECK(r->candidates.front().bid_id == "A");  // inputs carried, sorted
}

// Lowest benchmark B = 200. P = 300: 100×100×100/200 = 5000 -> 5000.
// P = 500 with k_above 100: 100×300×100/200 = 15000 ≥ 10000 -> clamped to 0.
TEST_CASE("composite score: lowest benchmark and clamping at zero") {
  CompositeParams p = example_params();
  p.benchmark = CompositeParams::Benchmark::kLowest;
  p.k_above = 100;
  p.weight_price_bp = 10'000;
  p.weight_credit_bp = 0;
  p.weight_star_bp = 0;
  auto r = composite_score(p, {{"low", 200, 0, 0}, {"mid", 300, 0, 0}, {"high", 500, 10'000, 5}},
                           std::nullopt);
  REQUIRE(r.ok());
  CHECK(r->benchmark_fen == 200);
  CHECK(r->scores[0].bid_id == "high");
  CHECK(r->scores[0].price_score == 0);
  CHECK(r->scores[0].total == 0);
  CHECK(r->scores[1].price_score == 10'000);
  CHECK(r->scores[2].price_score == 5'000);
  CHECK(r->decision.winner == "low");
}

TEST_CASE("composite score ties go to the draw") {
  std::vector<CompositeCandidate> same{
      {"X3", 250, 9'000, 4}, {"X1", 250, 9'000, 4}, {"X2", 250, 9'000, 4}};
  auto pending = composite_score(example_params(), same, std::nullopt);
  REQUIRE(pending.ok());
  CHECK(pending->decision.kind == Decision::Kind::kNeedsDraw);
  CHECK(pending->decision.tied == std::vector<std::string>{"X1", "X2", "X3"});
  // seed_a: uniform(3) = 15934378204642725328 mod 3 = 1 -> "X2".
  auto drawn = composite_score(example_params(), same, seed_a());
  REQUIRE(drawn.ok());
  CHECK(drawn->decision.kind == Decision::Kind::kWinner);
  CHECK(drawn->decision.winner == "X2");
  CHECK(drawn->decision.by_draw);
}

TEST_CASE("composite score refuses bad parameters and candidates") {
  CompositeParams p = example_params();
  p.weight_star_bp = 999;  // sum 9,999
  CHECK(composite_score(p, {{"A", 1, 0, 0}}, std::nullopt).error().code == "invalid_parameters");
  p = example_params();
  p.k_below = -1;
  CHECK(composite_score(p, {{"A", 1, 0, 0}}, std::nullopt).error().code == "invalid_parameters");
  CHECK(composite_score(example_params(), {{"A", 0, 0, 0}}, std::nullopt).error().code ==
        "invalid_candidates");
  CHECK(composite_score(example_params(), {{"A", 1, 10'001, 0}}, std::nullopt).error().code ==
        "invalid_candidates");
  CHECK(composite_score(example_params(), {{"A", 1, 0, 6}}, std::nullopt).error().code ==
        "invalid_candidates");
  CHECK(composite_score(example_params(), {{"A", 1, 0, 0}, {"A", 2, 0, 0}}, std::nullopt)
            .error()
            .code == "invalid_candidates");
  CHECK(composite_score(example_params(), {}, std::nullopt).error().code == "invalid_candidates");
}

TEST_CASE("lowest price: lowest wins, equal lowest go to the draw") {
  auto clear = lowest_price({{"A", 250}, {"B", 230}, {"C", 231}}, std::nullopt);
  REQUIRE(clear.ok());
  CHECK(clear->decision.winner == "B");
  CHECK(clear->lowest_price_fen == 230);

  auto tie = lowest_price({{"A", 250}, {"C", 230}, {"B", 230}}, std::nullopt);
  REQUIRE(tie.ok());
  CHECK(tie->decision.kind == Decision::Kind::kNeedsDraw);
  CHECK(tie->decision.tied == std::vector<std::string>{"B", "C"});
  // seed_b: uniform(2) = 1 -> "C".
  auto drawn = lowest_price({{"A", 250}, {"C", 230}, {"B", 230}}, seed_b());
  CHECK(drawn->decision.winner == "C");
}

TEST_CASE("lottery draws from the candidates sorted by id") {
  // seed_b: uniform(4) = 3 -> sorted [A, B, C, D][3] = "D".
  auto d = lottery({"C", "A", "D", "B"}, seed_b());
  REQUIRE(d.ok());
  CHECK(d->winner == "D");
  CHECK(d->tied == std::vector<std::string>{"A", "B", "C", "D"});
  CHECK(lottery({}, seed_b()).error().code == "invalid_candidates");
}

// 5 members m1..m5, candidates X, Y, Z.
// Round 1: X 2, Y 2, Z 1 — nobody has > 5/2 (i.e. 3); Z has the fewest -> out.
// Round 2: X 2, Y 2, m5 absent — no majority; X and Y tie for fewest -> draw;
//          seed_b: uniform(2) = 1 -> sorted [X, Y][1] = Y eliminated.
// Round 3: X alone; 3 votes > 2.5 -> X wins. With only 2 votes it would fail.
TEST_CASE("committee vote elimination rounds") {
  const std::vector<std::string> members{"m1", "m2", "m3", "m4", "m5"};
  auto r1 = committee_vote_round(members, {"X", "Y", "Z"},
                                 {{"m1", "X"}, {"m2", "X"}, {"m3", "Y"}, {"m4", "Y"}, {"m5", "Z"}},
                                 std::nullopt);
  REQUIRE(r1.ok());
  CHECK(r1->kind == CommitteeRound::Kind::kEliminated);
  CHECK(r1->eliminated == "Z");
  CHECK(r1->next_round == std::vector<std::string>{"X", "Y"});

  const std::vector<MemberVote> round2{{"m1", "X"}, {"m2", "X"}, {"m3", "Y"}, {"m4", "Y"}};
  auto r2 = committee_vote_round(members, r1->next_round, round2, std::nullopt);
  REQUIRE(r2.ok());
  CHECK(r2->kind == CommitteeRound::Kind::kNeedsDraw);
  CHECK(r2->fewest == std::vector<std::string>{"X", "Y"});
  auto r2d = committee_vote_round(members, r1->next_round, round2, seed_b());
  REQUIRE(r2d.ok());
  CHECK(r2d->kind == CommitteeRound::Kind::kEliminated);
  CHECK(r2d->eliminated == "Y");
  CHECK(r2d->next_round == std::vector<std::string>{"X"});

  auto r3 = committee_vote_round(members, r2d->next_round, {{"m1", "X"}, {"m2", "X"}, {"m5", "X"}},
                                 std::nullopt);
  REQUIRE(r3.ok());
  CHECK(r3->kind == CommitteeRound::Kind::kWinner);
  CHECK(r3->winner == "X");
  auto r3fail =
      committee_vote_round(members, r2d->next_round, {{"m1", "X"}, {"m2", "X"}}, std::nullopt);
  CHECK(r3fail->kind == CommitteeRound::Kind::kFailed);
}

TEST_CASE("committee vote: majority of ALL members, zero-vote candidates are fewest") {
  // 4 members, X 2 of 4: exactly half is not more than half.
  const std::vector<std::string> four{"a", "b", "c", "d"};
  auto half = committee_vote_round(four, {"X", "Y", "W"}, {{"a", "X"}, {"b", "X"}, {"c", "Y"}},
                                   std::nullopt);
  REQUIRE(half.ok());
  CHECK(half->kind == CommitteeRound::Kind::kEliminated);
  CHECK(half->eliminated == "W");  // zero votes
  // 3 of 4 wins.
  auto win = committee_vote_round(four, {"X", "Y"},
                                  {{"a", "X"}, {"b", "X"}, {"c", "X"}, {"d", "Y"}}, std::nullopt);
  CHECK(win->winner == "X");
  // Two zero-vote candidates tie for fewest.
  auto zeros = committee_vote_round(four, {"X", "V", "W"}, {{"a", "X"}}, std::nullopt);
  CHECK(zeros->kind == CommitteeRound::Kind::kNeedsDraw);
  CHECK(zeros->fewest == std::vector<std::string>{"V", "W"});
}

TEST_CASE("committee vote refusals") {
  const std::vector<std::string> m{"a", "b", "c"};
  CHECK(committee_vote_round(m, {"X"}, {{"z", "X"}}, std::nullopt).error().code ==
        "vote_by_non_member");
  CHECK(committee_vote_round(m, {"X"}, {{"a", "X"}, {"a", "X"}}, std::nullopt).error().code ==
        "duplicate_vote");
  CHECK(committee_vote_round(m, {"X"}, {{"a", "Q"}}, std::nullopt).error().code ==
        "vote_for_non_candidate");
  CHECK(committee_vote_round({}, {"X"}, {}, std::nullopt).error().code == "invalid_members");
  CHECK(committee_vote_round(m, {}, {}, std::nullopt).error().code == "invalid_candidates");
}

// 7 members; A 3, B 2, C 2, D 0; shortlist of 2: A certain, B and C tie for
// the last place -> draw with seed_b: uniform(2) = 1 -> [B, C][1] = C.
// Shortlist {A, C}; lottery with seed_a: uniform(2) = 0 -> A.
TEST_CASE("vote then lottery") {
  const std::vector<std::string> members{"t1", "t2", "t3", "t4", "t5", "t6", "t7"};
  const std::vector<MemberVote> votes{{"t1", "A"}, {"t2", "A"}, {"t3", "A"}, {"t4", "B"},
                                      {"t5", "B"}, {"t6", "C"}, {"t7", "C"}};
  const std::vector<std::string> candidates{"A", "B", "C", "D"};
  auto waiting = vote_then_lottery(members, candidates, votes, 2, std::nullopt, std::nullopt);
  REQUIRE(waiting.ok());
  CHECK(waiting->waiting_for_shortlist_draw);
  CHECK(waiting->decision.kind == Decision::Kind::kNeedsDraw);
  CHECK(waiting->decision.tied == std::vector<std::string>{"B", "C"});
  CHECK(waiting->shortlist_cutoff.certain == std::vector<std::string>{"A"});

  auto shortlisted = vote_then_lottery(members, candidates, votes, 2, seed_b(), std::nullopt);
  REQUIRE(shortlisted.ok());
  REQUIRE(shortlisted->shortlist);
  CHECK(*shortlisted->shortlist == std::vector<std::string>{"A", "C"});
  CHECK(shortlisted->decision.kind == Decision::Kind::kNeedsDraw);
  CHECK(shortlisted->decision.tied == std::vector<std::string>{"A", "C"});

  auto done = vote_then_lottery(members, candidates, votes, 2, seed_b(), seed_a());
  REQUIRE(done.ok());
  CHECK(done->decision.kind == Decision::Kind::kWinner);
  CHECK(done->decision.winner == "A");
  CHECK(done->decision.by_draw);

  // Shortlist of 3 needs no shortlist draw: A, B, C.
  auto three = vote_then_lottery(members, candidates, votes, 3, std::nullopt, std::nullopt);
  CHECK(*three->shortlist == std::vector<std::string>{"A", "B", "C"});
  CHECK(vote_then_lottery(members, candidates, votes, 0, std::nullopt, std::nullopt).error().code ==
        "invalid_parameters");
}
