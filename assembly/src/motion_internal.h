// The helpers motion_service.cc and paper_ballots.cc share (private to the
// assembly module): refusals, loading a motion row, entry drafts in the
// motion's subject, and who sees a draft.
//
// Thread-safety: free functions over the caller's connection or values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assembly/motion_service.h"

namespace sunbid::assembly::detail {

Error refusal(std::string code, std::string_view zh, std::string_view en,
              boost::json::object details = {});
Error not_found(std::string_view id);
Error wrong_status(MotionStatus s);
Status require_tenderer_of(const core::Actor& a, std::string_view community);
Result<std::optional<MotionView>> find(audit::Database& db, std::string_view id);
Result<MotionView> load(audit::Database& db, std::string_view id);
audit::EntryDraft draft(const core::Actor& actor, std::string_view type, std::string_view id);
audit::EntryDraft system_draft(std::string_view type, std::string_view id);
bool visible(const MotionView& m, const core::Actor& viewer);
Error window_closed();  // vote_window_closed
// motion_choice_invalid unless an option of the motion or "abstain".
Status check_choice(const MotionView& m, std::string_view choice);
// The owner's area on the motion's frozen roster; owner_not_on_roster.
Result<std::int64_t> roster_area(audit::Database& db, std::string_view motion_id,
                                 std::string_view owner_key);
// The tally's instant: the window's end, kPaperLateDays later with paper
// ballots.
std::int64_t tally_at(const MotionView& m);

// paper_ballots.cc. Appends the counted paper ballots to `ballots` and
// answers their counts by state (the motion.closed payload's paper_ballots).
Result<boost::json::object> counted_paper_ballots(audit::Database& db,
                                                  std::string_view motion_id,
                                                  std::vector<MotionBallot>& ballots);
// Marks the owner's paper ballot superseded (an electronic ballot was cast);
// whether there was one to mark.
Result<bool> supersede_paper_ballot(audit::Database& db, std::string_view motion_id,
                                    std::string_view owner_key);

}  // namespace sunbid::assembly::detail
