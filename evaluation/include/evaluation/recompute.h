// Recomputation of a tender's evaluation from its verified trail: every draw
// (seed from the logged checkpoint note — whose signature is checked against
// the pinned key — and beacon; result from the logged inputs), the review
// aggregation, the candidate narrowing and the decision (the owners' tally
// from the ballot entries themselves). Used by `sunbid-verify trail`; pure
// functions, no storage, no server.
//
// What the trail cannot show (and the lines say so where it matters): that
// the checkpoint a draw used was the FIRST one covering its fixing entry
// (the verifier only sees that it is signed and covers it), and the expert
// pool behind a committee draw's pool digest.
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
  std::string detail;
};

// REQUIRES: `trail` came from audit::verify_trail; `verifier_key` is the
// pinned C2SP verifier key the draws' checkpoint notes must be signed by.
std::vector<RecomputeLine> recompute_trail(const audit::VerifiedTrail& trail,
                                           std::string_view verifier_key);

}  // namespace sunbid::eval
