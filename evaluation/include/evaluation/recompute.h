// Recomputation of a tender's evaluation from its verified trail: every draw
// (seed from the logged checkpoint note — whose signature is checked against
// the pinned key — and beacon; result from the logged inputs), the review
// aggregation, the candidate narrowing and the decision (the owners' tally
// from the ballot entries themselves). Used by `sunbid-verify trail`; pure
// functions, no storage, no server.
//
// The committee draw (payload version 2, docs/committee-draw.md) is
// rechecked from the pool listed in its entry: the pool digest, the bidders
// against the opening record (`tender.opened`), the exclusions against the
// rules, the members and reserves against the sampler, and that no account
// taking part in the decision in this trail (a tenderer actor, a listed
// voter) was drawable. For a version-3 draw, each seat change (a declared
// conflict, a replacement) is rechecked against the succession rule
// (next_reserve), and each fresh draw (`committee.redrawn`, purpose
// replacement-N) against the vacancy that opened it: its public commitment,
// the exclusions as of its fixing entry, the removal of everyone already
// drawn, the seats and quota the seat changes left, and the positions.
// Each line names its entry.
//
// What the trail cannot show (and the lines say so where it matters): that
// the checkpoint a draw used was the FIRST one covering its fixing entry
// (the verifier only sees that it is signed and covers it); that the listed
// pool was the whole platform pool at the time (the `expert.added` entries
// are platform-wide, not in a tender's trail); and, for version-1 entries,
// the pool behind the pool digest.
//
// A trail exported before the decision lacks the entries withheld until then
// (committee.drawn, committee.declared, committee.replaced, committee.redrawn,
// review.submitted: they name the committee, confidential until the
// decision). The checks that need them are reported as `pending` lines,
// not as mismatches: the committee draw and the evaluation report against
// the submitted marks' digests (the report names seats; the seat-to-member
// mapping is in the withheld review.submitted entries). A trail exported
// after the decision holds them all and every check runs.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit_log/trail.h"

namespace sunbid::eval {

struct RecomputeLine {
  std::string what;  // e.g. "entry 42 committee.drawn: seed"
  bool matches = false;
  // Not checkable from this trail yet: the entries it needs are withheld
  // until the decision (matches is false; not a mismatch).
  bool pending = false;
  std::string detail;
};

// REQUIRES: `trail` came from audit::verify_trail; `verifier_key` is the
// pinned C2SP verifier key the draws' checkpoint notes must be signed by.
std::vector<RecomputeLine> recompute_trail(const audit::VerifiedTrail& trail,
                                           std::string_view verifier_key);

}  // namespace sunbid::eval
