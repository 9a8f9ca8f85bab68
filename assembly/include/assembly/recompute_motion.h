// Recomputation of an owners' assembly motion from its verified trail
// (GET /motions/{id}/trail; docs/motions.md "Trail"): the tally and the
// outcome of `motion.closed` recomputed from the `motion.ballot_cast`
// entries (the last per owner digest, in log order) and the counted paper
// ballots (motion.paper_ballot_entered / _resolved with status counted, for
// owners without an electronic ballot), the roster totals of
// `motion.opened` and the threshold its matter item implies — the same
// function the platform tallied with (tally_motion). Used by
// `sunbid-verify trail` beside the tender recomputation; no storage.
//
// What the trail cannot show: that the roster behind the opened entry's
// digest is the community's (the digest covers salted owner digests and
// areas), and that each ballot's area is its owner's on that roster.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <vector>

#include "audit_log/trail.h"
#include "evaluation/recompute.h"

namespace sunbid::assembly {

// One line per motion.closed in the trail (none for a trail without one).
// REQUIRES: `trail` came from audit::verify_trail.
std::vector<eval::RecomputeLine> recompute_motion_trail(const audit::VerifiedTrail& trail);

}  // namespace sunbid::assembly
