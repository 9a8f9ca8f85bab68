// 定性评审: qualitative review. Each committee member marks every valid bid
// pass/fail on every criterion, with a reason for every fail; nobody scores,
// nobody ranks. This header validates one submission, aggregates a complete
// review, and narrows the qualified bids to the candidate cap.
//
// Rules:
//   - a bid fails a criterion when a strict majority of the committee's
//     (active) members fail it: 2·fails > members;
//   - a bid qualifies when it fails no criterion;
//   - narrowing to the cap (fixed at publication): `lowest_price` keeps the
//     lowest prices, a tie straddling the cap goes to the draw (purpose
//     candidate_cap); `lottery` samples cap of the qualified, sorted by bid id,
//     with the draw. Either way the output is UNRANKED: sorted by bid id.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"
#include "evaluation/cutoff.h"

namespace sunbid::eval {

// The `review.concluded` entry's payload version: 2 names seats 1..n in its
// evaluation report instead of member accounts (docs/evaluation-service.md).
inline constexpr int kReviewConcludedPayloadVersion = 2;

struct CriterionMark {
  std::string criterion;  // criterion code
  bool pass = false;
  std::string reason;  // REQUIRED (non-blank) when !pass
};

// One member's final marks for one bid (API.md: POST /tenders/{id}/reviews).
struct ReviewSubmission {
  std::string member;
  std::string bid_id;
  std::vector<CriterionMark> marks;
};

// Checks one submission on its own: the member is on the committee, the bid
// is valid, every criterion is marked exactly once, and every fail has a
// reason that is not blank (ASCII whitespace and U+3000 do not count).
// Errors: `not_a_committee_member`, `unknown_bid`, `unknown_criterion`,
// `criterion_marked_twice`, `criterion_not_marked`, `fail_without_reason`.
Status validate_review_submission(const std::vector<std::string>& members,
                                  const std::vector<std::string>& bids,
                                  const std::vector<std::string>& criteria,
                                  const ReviewSubmission& submission);

struct FailReason {
  std::string member;
  std::string reason;
};

struct CriterionOutcome {
  std::string criterion;
  std::int64_t pass_count = 0;
  std::int64_t fail_count = 0;
  bool failed = false;              // 2·fail_count > members
  std::vector<FailReason> reasons;  // every member's fail reason, sorted by member
};

struct BidReview {
  std::string bid_id;
  bool qualified = false;
  std::vector<CriterionOutcome> criteria;  // in the order of the tender's criteria
};

struct ReviewOutcome {
  std::vector<std::string> members;    // inputs, sorted
  std::vector<std::string> criteria;   // inputs, in the tender's order
  std::vector<BidReview> bids;         // sorted by bid id
  std::vector<std::string> qualified;  // sorted by bid id; unranked
};

// Aggregates a complete review: exactly one valid submission per (member,
// bid). Errors: those of validate_review_submission, `invalid_committee`
// (no member, or repeated), `invalid_bids`, `invalid_criteria`,
// `duplicate_submission`, `review_incomplete` (details: the first missing
// member and bid, and the number missing).
Result<ReviewOutcome> aggregate_review(const std::vector<std::string>& members,
                                       const std::vector<std::string>& bids,
                                       const std::vector<std::string>& criteria,
                                       const std::vector<ReviewSubmission>& submissions);

enum class CapMethod { kLowestPrice, kLottery };

struct QualifiedBid {
  std::string bid_id;
  std::int64_t price_fen = 0;  // > 0; used by kLowestPrice only
};

struct CandidateList {
  CapMethod method = CapMethod::kLowestPrice;
  std::size_t cap = 0;
  std::vector<QualifiedBid> qualified;  // inputs, sorted by bid id
  // kLowestPrice: the price cutoff. kLottery: certain = all when they fit
  // the cap; otherwise tied = all qualified and draw_count = cap.
  Cutoff cutoff;
  std::optional<Hash> seed;  // the draw's seed, when a draw was made
  // The candidates, sorted by bid id (NOT by price). Absent while the
  // cutoff needs a draw and no seed was given.
  std::optional<std::vector<std::string>> candidates;
};

// Errors: `invalid_parameters` (cap 0), `invalid_bids` (empty or repeated id,
// price ≤ 0 under kLowestPrice).
Result<CandidateList> narrow_candidates(const std::vector<QualifiedBid>& qualified, std::size_t cap,
                                        CapMethod method, const std::optional<Hash>& seed);

}  // namespace sunbid::eval
