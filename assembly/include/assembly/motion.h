// 业主大会议题: an owners' assembly motion and its pure rules — what a motion
// request may say, the approval rule its 民法典 art. 278 matter item implies,
// the notice and window periods, and the tally at its close
// (docs/motions.md).
//
// - Matter items (`matter_item`, art. 278 par. 1 (一)–(九)): items 6, 7 and
//   8 (raising or using the maintenance fund; rebuilding; changing the use
//   of common parts or running business with them) need at least 3/4 of the
//   participating area and headcount; every other item more than 1/2. The
//   tenderer does not choose the threshold. A selection plan (选聘方案,
//   hiring a property company) is item 4.
// - Participation (quorum) is 2/3 of the area AND of the headcount of the
//   roster frozen when the window opens, abstentions included — the same
//   rules and the same exact arithmetic as the owners' decision vote
//   (evaluation/owners_vote.h tally_owners_vote, which this calls).
// - Options: "for"/"against" (default) or a list of choices; "abstain" is
//   always allowed and counts in the participation only.
// - Notice (物业管理条例 art. 12; issue 13 decisions): the window opens no
//   earlier than 00:00 China time of the 16th China day after the notice's
//   day — the 15 calendar days are days 1–15 after it (民法典 art. 201: the
//   notice's own day does not count). The window lasts `window_days` (≥ 7)
//   calendar days granted from its opening (core::granted_period_end_ms:
//   ends 24:00 China time, rolled past rest days).
//
// Thread-safety: values and pure functions; safe for concurrent use.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "evaluation/owners_vote.h"

namespace sunbid::assembly {

inline constexpr std::int64_t kMinWindowDays = 7;
inline constexpr std::int64_t kMaxWindowDays = 90;
inline constexpr std::int64_t kNoticeDays = 15;
inline constexpr std::size_t kMaxOptions = 20;
inline constexpr std::size_t kMaxTitleBytes = 200;
inline constexpr std::size_t kMaxTextBytes = 20000;
inline constexpr std::string_view kAbstain = "abstain";
// Paper ballots (书面投票, docs/motions.md): papers stamped before the window
// ends may be entered for this many calendar days after it; the tally waits.
inline constexpr std::int64_t kPaperLateDays = 3;

enum class MotionKind { general, selection_plan };
std::string_view to_string(MotionKind k);

// Closed: the transitions are MotionService's commands (docs/motions.md).
enum class MotionStatus { draft, noticed, open, passed, rejected, failed_quorum, cancelled };
std::string_view to_string(MotionStatus s);
std::optional<MotionStatus> motion_status_from(std::string_view s);

// ReqMotion of the OpenAPI.
struct MotionInput {
  std::string title;
  std::string text;
  MotionKind kind = MotionKind::general;
  int matter_item = 0;                              // 1–9
  std::optional<std::vector<std::string>> options;  // absent: for / against
  std::int64_t window_days = 0;
  std::optional<boost::json::object> plan;  // selection_plan only: selection_plan.h
  // Paper ballots accepted (双录 double entry); the tally then waits
  // kPaperLateDays after the window's end.
  bool paper_ballots = false;
};

// Refuses motion_invalid (details.field: title, text, matter_item, options,
// plan or plan.<member> — a selection plan is read by selection_plan_from_json —, kind), motion_window_too_short (window_days < 7; details.minimum),
// motion_window_too_long (> 90).
Status validate(const MotionInput& in);

// The options a ballot may name besides "abstain".
std::vector<std::string> effective_options(const MotionInput& in);

// Items 6–8: 3/4; the others: more than half.
eval::Approval approval_for(int matter_item);
std::string_view approval_name(eval::Approval a);  // "more_than_half" | "at_least_three_quarters"

// The earliest instant the window may open after a notice at `notice_ms`:
// 00:00 China time of china_date(notice_ms) + 16.
std::int64_t earliest_opening_ms(std::int64_t notice_ms);

struct MotionBallot {
  std::string owner;   // the owner key (service) or its salted digest (verifier)
  std::string choice;  // an option or "abstain"
};

struct MotionTally {
  eval::OwnersVoteResult vote;                         // participation, per option, quorum flags
  MotionStatus outcome = MotionStatus::failed_quorum;  // passed | rejected | failed_quorum
  std::string winner;  // the option that reached the threshold, if any
};

// The tally at the close. `owners` is the frozen roster (one entry per
// owner, as tally_owners_vote wants); `ballots` the last ballot per owner.
// A for/against motion passes when "for" reaches the threshold; a list of
// choices passes with the choice that reaches it; otherwise, quorum met,
// it is rejected. Errors: those of tally_owners_vote.
Result<MotionTally> tally_motion(std::vector<eval::OwnerWeight> owners,
                                 std::int64_t total_area_centi_m2, std::int64_t total_heads,
                                 const std::vector<std::string>& options, int matter_item,
                                 const std::vector<MotionBallot>& ballots);

// {participating_area_centi_m2, participating_heads, abstain_*, options:
// [{option, area_centi_m2, heads}], area_quorum, head_quorum, total_*}.
boost::json::object tally_json(const eval::OwnersVoteResult& r);

}  // namespace sunbid::assembly
