// Whether an owners' vote of a community is near: the rule behind the flag on
// activations and resets made shortly before a vote (issue 13, "Who holds
// credentials"; accounts/activation.h VoteProximity).
//
// A vote of a community is near `now` when
//   - a round of an `owners_vote` tender of the community is open at `now`
//     (opens_ms <= now < closes_ms, or paused), or opens at or before
//     `horizon` (eval_vote_rounds); or
//   - an `owners_vote` tender of the community is scheduled to vote: its
//     candidates are publicized (the vote opens when that publicity ends) or
//     it is deciding before its first round opened (also while suspended
//     from either). Such a vote's opening instant is not fixed yet (an
//     objection or a suspension moves it), so it counts as near whatever the
//     horizon: a flag too many costs a supervisor a look, a flag too few
//     hides a credential change on the eve of a vote.
// The owners' motions of issue 13 §2 join this rule here when they land.
//
// Thread-safety: a reader on the caller's connection.
#pragma once

#include <cstdint>
#include <string_view>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::eval {

Result<bool> owners_vote_near(audit::Database& db, std::string_view community_id,
                              std::int64_t now_ms, std::int64_t horizon_ms);

}  // namespace sunbid::eval
