// 业主共同决定: the owners' vote tally under 民法典 art. 278, exact integers.
//
// Weights: each owner (owner_key) carries its total exclusive area in
// 0.01 m² and counts one head, however many units it holds; the developer's
// unsold units together are one owner (最高人民法院建筑物区分所有权解释 art. 9).
// owner_weights_from_units() aggregates a roster of units into such weights.
//
// Rules, all as integer comparisons (no rounding anywhere):
//   participation = every ballot, abstentions included;
//   valid (双三分之二)   iff 3·part_area ≥ 2·total_area AND 3·part_heads ≥ 2·total_heads
//                        ("以上" includes the bound, 民法典 art. 1259);
//   winner (双过半)      iff 2·cand_area > part_area AND 2·cand_heads > part_heads
//                        ("过半数" excludes exactly half);
//   or, for the matters of 民法典 art. 278 (六)(七)(八) (Approval::kThreeQuarters,
//   owners' assembly motions, assembly/motion.h):
//                        4·cand_area ≥ 3·part_area AND 4·cand_heads ≥ 3·part_heads
//                        ("四分之三以上" includes the bound);
//   no winner, quorum met: run-off between the two candidates with the most
//                        participating area; a tie at that boundary goes to a
//                        draw (purpose runoff_tie), which the caller makes with
//                        resolve_cutoff().
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "evaluation/cutoff.h"

namespace sunbid::eval {

// One unit of the roster snapshot (API.md: PUT /communities/{id}/roster).
struct RosterUnit {
  std::string unit;
  std::int64_t area_centi_m2 = 0;
  std::string owner_key;  // all unsold units carry the developer's key
  bool unsold = false;
};

struct OwnerWeight {
  std::string owner_key;
  std::int64_t area_centi_m2 = 0;  // total exclusive area of the owner
};

struct RosterWeights {
  std::vector<OwnerWeight> owners;  // sorted by owner_key; one head each
  std::int64_t total_area_centi_m2 = 0;
  std::int64_t total_heads = 0;
};

// Errors: `invalid_roster` (empty unit id or owner key, area ≤ 0, a unit id
// twice, unsold units under more than one owner key, totals beyond 2^53).
// The developer's key may also hold sold units (sold but undelivered, SPC
// art. 9): still one owner, as tender_core's roster importer accepts.
Result<RosterWeights> owner_weights_from_units(const std::vector<RosterUnit>& units);

struct Ballot {
  std::string owner_key;
  std::optional<std::string> candidate_bid_id;  // nullopt: abstain (弃权)
};

// Ballots as found in the log (a later one from the same owner replaces the
// earlier): the last per owner_key, in the order of those last ballots.
std::vector<Ballot> last_ballot_per_owner(const std::vector<Ballot>& in_log_order);

// The approval rule of a decision (民法典 art. 278 par. 2), over the
// PARTICIPATING area and headcount: kMajority "过半数" (more than half),
// kThreeQuarters "四分之三以上" (at least three quarters).
enum class Approval { kMajority, kThreeQuarters };

// Whether `area` and `heads` approve under `rule` against the participation.
// REQUIRES: all operands in [0, 2^53].
bool approves(Approval rule, std::int64_t area, std::int64_t heads, std::int64_t part_area,
              std::int64_t part_heads);

struct OwnersVoteInput {
  std::vector<OwnerWeight> owners;  // the roster snapshot, one entry per owner_key
  std::int64_t total_area_centi_m2 = 0;
  std::int64_t total_heads = 0;
  std::vector<std::string> candidates;      // candidate bid ids
  std::vector<Ballot> ballots;              // one per owner_key (see last_ballot_per_owner)
  Approval approval = Approval::kMajority;  // the decision vote's; motions by matter item
};

struct CandidateTally {
  std::string bid_id;
  std::int64_t area_centi_m2 = 0;
  std::int64_t heads = 0;
};

enum class OwnersVoteOutcome {
  kQuorumNotMet,  // participation below 2/3 of area or of heads: the decision fails
  kWinner,
  kRunoff,  // quorum met, nobody has both majorities
};

struct OwnersVoteResult {
  // Tally (the inputs stay with the caller's record: roster digest, ballots).
  std::int64_t total_area_centi_m2 = 0;
  std::int64_t total_heads = 0;
  std::int64_t participating_area_centi_m2 = 0;
  std::int64_t participating_heads = 0;
  std::int64_t abstain_area_centi_m2 = 0;
  std::int64_t abstain_heads = 0;
  std::vector<CandidateTally> candidates;  // sorted by bid id, zero-vote candidates included
  bool area_quorum = false;
  bool head_quorum = false;
  OwnersVoteOutcome outcome = OwnersVoteOutcome::kQuorumNotMet;
  std::string winner;  // kWinner only
  // kRunoff only: the two by participating area. If runoff.needs_draw(), the
  // tied candidates compete for runoff.draw_count places by the draw.
  Cutoff runoff;
};

// Errors: `invalid_roster` (duplicate or empty owner key, area ≤ 0, owner
// areas or count not matching the totals), `invalid_candidates` (none, or a
// bid id twice), `ballot_not_on_roster`, `duplicate_ballot`,
// `unknown_candidate`.
Result<OwnersVoteResult> tally_owners_vote(const OwnersVoteInput& input);

}  // namespace sunbid::eval
