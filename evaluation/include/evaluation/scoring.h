// 定标方法: the decision methods other than the owners' vote, as pure,
// recomputable functions over the candidates — composite_score (综合评分择优),
// lowest_price (价格竞争), lottery (抽签), committee_vote (票决, by rounds) and
// vote_then_lottery (票决抽签).
//
// Every function takes the seed(s) its draws need. A tie-break seed is
// optional: without it a tie yields Decision::kNeedsDraw naming the tied
// candidates (the caller obtains the beacon, derives the seed with
// draw_seed(draw_purpose::kTieBreak, ...) and calls again). A draw among ids
// is draw_among() (cutoff.h): ids sorted by byte order, then the sampler.
// Results carry their inputs so a log entry holding them is self-contained.
// All arithmetic is exact integers; the composite formula is in
// docs/composite-score.md with a worked example.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"
#include "evaluation/cutoff.h"

namespace sunbid::eval {

// 128-bit intermediate for k × |P − B| × 100 (up to 10^20).
__extension__ typedef unsigned __int128 Uint128;

// round_half_up(a / b) for a ≥ 0, b > 0, exactly: floor((2a + b) / 2b).
// REQUIRES: b > 0 and a / b < 2^64 − 1.
std::uint64_t round_half_up(Uint128 a, Uint128 b);

// The outcome of one decision.
// Invariant: kWinner ⇒ winner non-empty; kNeedsDraw ⇒ tied.size() ≥ 2;
// by_draw ⇒ kWinner and winner ∈ tied.
struct Decision {
  enum class Kind { kWinner, kNeedsDraw, kFailed };
  Kind kind = Kind::kFailed;
  std::string winner;
  std::vector<std::string> tied;  // sorted by id: those the draw is (or was) among
  bool by_draw = false;
  std::optional<Hash> seed;  // the seed used, if by_draw
};

// One winner out of `best` (the candidates sharing the best value): the only
// one, or a draw with `seed`, or kNeedsDraw when there is no seed.
Decision decide_among(std::vector<std::string> best, const std::optional<Hash>& seed);

// ---- 综合评分择优 -------------------------------------------------------

struct CompositeParams {
  // Weights in basis points, each ≥ 0, summing to 10,000.
  std::int64_t weight_price_bp = 0;
  std::int64_t weight_credit_bp = 0;
  std::int64_t weight_star_bp = 0;
  enum class Benchmark { kMean, kLowest };
  Benchmark benchmark = Benchmark::kMean;
  // Hundredths of a point deducted per 1 % deviation from the benchmark,
  // 0 ≤ k ≤ 1,000,000.
  std::int64_t k_above = 0;
  std::int64_t k_below = 0;
};

struct CompositeCandidate {
  std::string bid_id;
  std::int64_t price_fen = 0;     // > 0, ≤ 10^12 (fen per m²·month)
  std::int64_t credit_score = 0;  // snapshotted registry score, 0–10,000 (hundredths)
  std::int64_t stars = 0;         // snapshotted star rating, 0–5
};

struct CompositeScore {
  std::string bid_id;
  std::int64_t price_score = 0;   // hundredths, 0–10,000
  std::int64_t credit_score = 0;  // hundredths, 0–10,000
  std::int64_t star_score = 0;    // stars × 2,000
  std::int64_t total = 0;         // hundredths, 0–10,000
};

struct CompositeResult {
  CompositeParams params;
  std::vector<CompositeCandidate> candidates;  // inputs, sorted by bid id
  std::int64_t benchmark_fen = 0;
  std::vector<CompositeScore> scores;  // sorted by bid id
  Decision decision;                   // highest total; ties → draw
};

// price score = max(0, 10,000 − round_half_up(k × |P − B| × 100 / B)),
//   k = k_above if P > B else k_below;
// B = round_half_up(Σ P / n) (mean) or min P (lowest);
// total = round_half_up((w_p·price + w_c·credit + w_s·star) / 10,000).
// Errors: `invalid_parameters`, `invalid_candidates`.
Result<CompositeResult> composite_score(const CompositeParams& params,
                                        const std::vector<CompositeCandidate>& candidates,
                                        const std::optional<Hash>& tie_seed);

// ---- 价格竞争 and 抽签 --------------------------------------------------

struct PricedCandidate {
  std::string bid_id;
  std::int64_t price_fen = 0;  // > 0
};

struct LowestPriceResult {
  std::vector<PricedCandidate> candidates;  // inputs, sorted by bid id
  std::int64_t lowest_price_fen = 0;
  Decision decision;
};

// Lowest price wins; equal lowest prices → draw. Errors: `invalid_candidates`.
Result<LowestPriceResult> lowest_price(const std::vector<PricedCandidate>& candidates,
                                       const std::optional<Hash>& tie_seed);

// One drawn from the candidates sorted by id: ids[uniform(n)].
// Errors: `invalid_candidates` (none, empty or repeated id).
Result<Decision> lottery(const std::vector<std::string>& candidate_ids, const Hash& seed);

// ---- 票决 ---------------------------------------------------------------

struct MemberVote {
  std::string member;  // a tenderer account of the decision committee
  std::string bid_id;
};

struct VoteCount {
  std::string bid_id;
  std::int64_t votes = 0;
};

// One round of committee_vote. A candidate with more than half of ALL
// members' votes (2·votes > members, absent members count) wins. Otherwise
// the candidate with the fewest votes (zero-vote candidates included) is
// eliminated; a tie for fewest → draw (purpose elimination_tie). A single
// remaining candidate that still lacks a majority means the decision fails.
struct CommitteeRound {
  enum class Kind { kWinner, kEliminated, kNeedsDraw, kFailed };
  std::vector<std::string> members;    // inputs, sorted
  std::vector<std::string> remaining;  // inputs, sorted
  std::vector<MemberVote> votes;       // inputs, sorted by member
  std::vector<VoteCount> tally;        // sorted by bid id, every remaining candidate
  Kind kind = Kind::kFailed;
  std::string winner;               // kWinner
  std::string eliminated;           // kEliminated
  std::vector<std::string> fewest;  // tied for fewest (sorted), when ≥ 2
  std::optional<Hash> seed;         // used for the elimination draw
  // The candidates of the next round (kEliminated only), sorted.
  std::vector<std::string> next_round;
};

// Errors: `invalid_members` (none, empty or repeated), `invalid_candidates`,
// `vote_by_non_member`, `duplicate_vote` (a member twice in one round),
// `vote_for_non_candidate`.
Result<CommitteeRound> committee_vote_round(const std::vector<std::string>& members,
                                            const std::vector<std::string>& remaining,
                                            const std::vector<MemberVote>& votes,
                                            const std::optional<Hash>& elimination_seed);

// 票决抽签: the members' votes pick a shortlist of `shortlist_size` (most
// votes; a tie straddling the boundary → draw with shortlist_seed, purpose
// shortlist_tie), then a draw with lottery_seed (purpose lottery) among the
// shortlist sorted by id picks the winner.
struct VoteThenLotteryResult {
  std::vector<std::string> members;  // inputs, sorted
  std::vector<MemberVote> votes;     // inputs, sorted by member
  std::size_t shortlist_size = 0;
  std::vector<VoteCount> tally;  // sorted by bid id, every candidate
  Cutoff shortlist_cutoff;
  // Known once the cutoff needs no draw or shortlist_seed was given; sorted.
  std::optional<std::vector<std::string>> shortlist;
  // kNeedsDraw with tied = the cutoff's tied ids while the shortlist waits for
  // its seed; kNeedsDraw with tied = the shortlist while the lottery waits;
  // kWinner (by_draw) once both seeds are given.
  Decision decision;
  bool waiting_for_shortlist_draw = false;
};

// Errors as committee_vote_round, plus `invalid_parameters` (shortlist_size 0).
Result<VoteThenLotteryResult> vote_then_lottery(const std::vector<std::string>& members,
                                                const std::vector<std::string>& candidates,
                                                const std::vector<MemberVote>& votes,
                                                std::size_t shortlist_size,
                                                const std::optional<Hash>& shortlist_seed,
                                                const std::optional<Hash>& lottery_seed);

}  // namespace sunbid::eval
