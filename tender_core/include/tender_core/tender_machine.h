// The tender lifecycle (DESIGN.md "The tender lifecycle") as a closed enum
// and ONE transition table held as data, plus the time-driven part: which
// transitions have become due at a given instant, and exactly when.
//
//   draft -> published (-> amended, still published) -> bidding_closed -> reveal
//     -> opened -> reviewing -> candidates_publicized -> deciding
//     -> award_publicized -> awarded
//   live state -> suspended -> (resume) the state it was suspended from
//   pre-award state -> cancelled;  too few bids / qualified / failed decision -> failed
//
// Time rules:
// - At exactly the bid deadline bidding is closed: a bid at t == deadline is
//   refused (bid_after_deadline). The reveal window opens at the deadline and
//   closes at deadline + reveal_window_s + extensions (a reveal at the close
//   instant is refused).
// - A suspension pauses every window. The deadline and the hour windows
//   (reveal) move out by the exact time spent suspended; the publicity
//   windows, counted in calendar days (calendar.h), gain every counted China
//   date a suspension touched. An instant that falls exactly on a
//   suspension's start has already arrived (it is due at that instant, not
//   paused).
// - While an objection is unanswered the publicity windows do not end (the
//   tender "cannot move on"). While an objection to the tender documents is
//   unanswered the deadline cannot pass (条例 22): bids are still accepted
//   and bidding does not close (deadline_held).
//
// Thread-safety: pure functions over values; safe for concurrent use.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "tender_core/calendar.h"

namespace sunbid::core {

enum class TenderStatus {
  draft,
  published,
  bidding_closed,
  reveal,
  opened,
  reviewing,
  candidates_publicized,
  deciding,
  award_publicized,
  awarded,
  suspended,
  cancelled,
  failed,
};

// Commands (by a person) and time events (by the clock).
enum class TenderAction {
  edit_draft,               // PATCH, tenderer
  publish,                  // tenderer; repeating it on a published tender is a no-op
  amend,                    // 补遗, tenderer, before the deadline
  submit_bid,               // enterprise, before the deadline (also replaces a bid)
  withdraw_bid,             // enterprise, before the deadline
  close_bidding,            // clock: the deadline has arrived
  open_reveal,              // clock: the reveal window opens at the deadline
  reveal_bid,               // enterprise, inside the reveal window
  extend_reveal,            // supervisor, inside the reveal window
  close_reveal,             // clock: the reveal window has closed -> opening record
  start_review,             // committee drawn
  conclude_review,          // every member marked every valid bid -> candidates
  end_candidate_publicity,  // clock
  decide,                   // tenderer runs the decision method
  end_award_publicity,      // clock
  suspend,                  // supervisor
  resume,                   // supervisor
  cancel,                   // tenderer
  fail,                     // 流标: too few bids, too few qualified, decision failed
};

std::string_view to_string(TenderStatus s);
std::string_view to_string(TenderAction a);

// One row of the transition table.
struct TransitionRule {
  TenderStatus from;
  TenderAction action;
  TenderStatus to;  // for resume: ignored, the tender returns to where it was suspended
  bool no_op;       // true when the action is accepted but changes nothing (idempotent publish)
};

// The whole table, the single source of truth for allowed().
std::span<const TransitionRule> transition_table();

bool allowed(TenderStatus from, TenderAction action);

// The status after `action`, or a refusal with a stable code:
// tender_not_draft, tender_not_published, bid_after_deadline,
// not_in_reveal_window, tender_suspended, tender_not_suspended,
// tender_cancelled, tender_failed, tender_awarded, action_not_allowed.
// REQUIRES: suspended_from is set when from == suspended and action == resume.
Result<TenderStatus> next_status(TenderStatus from, TenderAction action,
                                 std::optional<TenderStatus> suspended_from = std::nullopt);

// A suspension of the tender; end_ms empty while it lasts.
// Invariant (within a timeline): sorted by start, non-overlapping, only the
// last may be open.
using Suspension = Pause;

// What the clock needs to know about one tender.
struct TenderTimeline {
  TenderStatus status = TenderStatus::draft;
  std::int64_t bid_deadline_ms = 0;  // as fixed (or amended) — before any suspension
  std::int64_t reveal_window_s = 0;
  std::int64_t reveal_extensions_s = 0;  // sum of supervisor extensions
  std::optional<std::int64_t> candidates_publicized_at_ms;
  std::int64_t candidate_publicity_days = 0;  // calendar days
  std::optional<std::int64_t> award_publicized_at_ms;
  std::int64_t award_publicity_days = 0;  // calendar days
  bool objection_pending = false;         // of the current publicity stage
  bool deadline_held = false;             // a document objection is unanswered
  std::vector<Suspension> suspensions;
  // The holiday calendar's versions (rest days roll the publicity ends);
  // null: the default calendar (weekends) only.
  std::shared_ptr<const CalendarHistory> calendar;
};

struct DueTransition {
  TenderStatus from;
  TenderAction action;
  TenderStatus to;
  std::int64_t at_ms;  // the exact instant it became due

  bool operator==(const DueTransition&) const = default;
};

// Effective instants with suspensions applied; nullopt while paused by an
// open suspension (or when the window has not started).
std::optional<std::int64_t> effective_deadline_ms(const TenderTimeline& t);
std::optional<std::int64_t> reveal_close_ms(const TenderTimeline& t);
std::optional<std::int64_t> candidate_publicity_end_ms(const TenderTimeline& t);
std::optional<std::int64_t> award_publicity_end_ms(const TenderTimeline& t);

// Every time-driven transition from t.status that is due at now_ms, in order
// (e.g. published -> bidding_closed -> reveal -> opened when the whole reveal
// window has passed). Empty while suspended.
std::vector<DueTransition> due_transitions(const TenderTimeline& t, std::int64_t now_ms);

// Time gates of the bidder's commands, independent of the status table:
// bid_after_deadline when now_ms >= effective deadline (never while the
// deadline is held); not_in_reveal_window
// outside [deadline, reveal close); tender_suspended during a suspension.
Status check_bid_time(const TenderTimeline& t, std::int64_t now_ms);
Status check_reveal_time(const TenderTimeline& t, std::int64_t now_ms);

}  // namespace sunbid::core
