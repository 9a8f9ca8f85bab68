#include "tender_core/tender_machine.h"

#include <array>
#include <limits>
#include <string>

namespace sunbid::core {

std::string_view to_string(TenderStatus s) {
  switch (s) {
    case TenderStatus::draft:
      return "draft";
    case TenderStatus::published:
      return "published";
    case TenderStatus::bidding_closed:
      return "bidding_closed";
    case TenderStatus::reveal:
      return "reveal";
    case TenderStatus::opened:
      return "opened";
    case TenderStatus::reviewing:
      return "reviewing";
    case TenderStatus::candidates_publicized:
      return "candidates_publicized";
    case TenderStatus::deciding:
      return "deciding";
    case TenderStatus::award_publicized:
      return "award_publicized";
    case TenderStatus::awarded:
      return "awarded";
    case TenderStatus::suspended:
      return "suspended";
    case TenderStatus::cancelled:
      return "cancelled";
    case TenderStatus::failed:
      return "failed";
  }
  return "unknown";
}

std::string_view to_string(TenderAction a) {
  switch (a) {
    case TenderAction::edit_draft:
      return "edit_draft";
    case TenderAction::publish:
      return "publish";
    case TenderAction::amend:
      return "amend";
    case TenderAction::submit_bid:
      return "submit_bid";
    case TenderAction::withdraw_bid:
      return "withdraw_bid";
    case TenderAction::close_bidding:
      return "close_bidding";
    case TenderAction::open_reveal:
      return "open_reveal";
    case TenderAction::reveal_bid:
      return "reveal_bid";
    case TenderAction::extend_reveal:
      return "extend_reveal";
    case TenderAction::close_reveal:
      return "close_reveal";
    case TenderAction::start_review:
      return "start_review";
    case TenderAction::conclude_review:
      return "conclude_review";
    case TenderAction::end_candidate_publicity:
      return "end_candidate_publicity";
    case TenderAction::decide:
      return "decide";
    case TenderAction::end_award_publicity:
      return "end_award_publicity";
    case TenderAction::suspend:
      return "suspend";
    case TenderAction::resume:
      return "resume";
    case TenderAction::cancel:
      return "cancel";
    case TenderAction::fail:
      return "fail";
  }
  return "unknown";
}

namespace {

using S = TenderStatus;
using A = TenderAction;

// THE transition table. Every live state (published .. award_publicized) may
// be suspended and every pre-award state (all but awarded, cancelled,
// failed) cancelled; award_publicized counts as pre-award because an upheld
// objection in the award publicity can still stop the award.
constexpr std::array kTable = {
    TransitionRule{S::draft, A::edit_draft, S::draft, false},
    TransitionRule{S::draft, A::publish, S::published, false},
    TransitionRule{S::draft, A::cancel, S::cancelled, false},

    TransitionRule{S::published, A::publish, S::published, true},
    TransitionRule{S::published, A::amend, S::published, false},
    TransitionRule{S::published, A::submit_bid, S::published, false},
    TransitionRule{S::published, A::withdraw_bid, S::published, false},
    TransitionRule{S::published, A::close_bidding, S::bidding_closed, false},
    TransitionRule{S::published, A::suspend, S::suspended, false},
    TransitionRule{S::published, A::cancel, S::cancelled, false},

    TransitionRule{S::bidding_closed, A::open_reveal, S::reveal, false},
    TransitionRule{S::bidding_closed, A::fail, S::failed, false},  // no bid at all
    TransitionRule{S::bidding_closed, A::suspend, S::suspended, false},
    TransitionRule{S::bidding_closed, A::cancel, S::cancelled, false},

    TransitionRule{S::reveal, A::reveal_bid, S::reveal, false},
    TransitionRule{S::reveal, A::extend_reveal, S::reveal, false},
    TransitionRule{S::reveal, A::close_reveal, S::opened, false},
    TransitionRule{S::reveal, A::suspend, S::suspended, false},
    TransitionRule{S::reveal, A::cancel, S::cancelled, false},

    TransitionRule{S::opened, A::start_review, S::reviewing, false},
    TransitionRule{S::opened, A::fail, S::failed, false},  // too few valid bids
    TransitionRule{S::opened, A::suspend, S::suspended, false},
    TransitionRule{S::opened, A::cancel, S::cancelled, false},

    TransitionRule{S::reviewing, A::conclude_review, S::candidates_publicized, false},
    TransitionRule{S::reviewing, A::fail, S::failed, false},  // too few qualified
    TransitionRule{S::reviewing, A::suspend, S::suspended, false},
    TransitionRule{S::reviewing, A::cancel, S::cancelled, false},

    TransitionRule{S::candidates_publicized, A::end_candidate_publicity, S::deciding, false},
    TransitionRule{S::candidates_publicized, A::fail, S::failed, false},  // upheld objections
    TransitionRule{S::candidates_publicized, A::suspend, S::suspended, false},
    TransitionRule{S::candidates_publicized, A::cancel, S::cancelled, false},

    TransitionRule{S::deciding, A::decide, S::award_publicized, false},
    TransitionRule{S::deciding, A::fail, S::failed, false},  // quorum missed, no winner
    TransitionRule{S::deciding, A::suspend, S::suspended, false},
    TransitionRule{S::deciding, A::cancel, S::cancelled, false},

    TransitionRule{S::award_publicized, A::end_award_publicity, S::awarded, false},
    TransitionRule{S::award_publicized, A::suspend, S::suspended, false},
    TransitionRule{S::award_publicized, A::cancel, S::cancelled, false},

    TransitionRule{S::suspended, A::resume, S::suspended, false},  // to: see resume
    TransitionRule{S::suspended, A::cancel, S::cancelled, false},
};

const TransitionRule* find_rule(S from, A action) {
  for (const auto& r : kTable) {
    if (r.from == from && r.action == action) return &r;
  }
  return nullptr;
}

bool is_after_deadline(S s) {
  return s != S::draft && s != S::published && s != S::suspended && s != S::cancelled &&
         s != S::failed && s != S::awarded;
}

Error refusal(S from, A action, std::string code, std::string message) {
  boost::json::object d;
  d["status"] = std::string(to_string(from));
  d["action"] = std::string(to_string(action));
  return make_error(std::move(code), std::move(message), std::move(d));
}

Error refusal_for(S from, A action) {
  switch (from) {
    case S::cancelled:
      return refusal(from, action, "tender_cancelled", "招标已取消 / the tender was cancelled");
    case S::failed:
      return refusal(from, action, "tender_failed", "招标已流标 / the tender has failed");
    case S::awarded:
      return refusal(from, action, "tender_awarded", "招标已定标 / the tender has been awarded");
    case S::suspended:
      return refusal(from, action, "tender_suspended", "招标已暂停 / the tender is suspended");
    default:
      break;
  }
  if (action == A::resume) {
    return refusal(from, action, "tender_not_suspended",
                   "招标未暂停 / the tender is not suspended");
  }
  if (action == A::edit_draft || action == A::publish) {
    return refusal(from, action, "tender_not_draft",
                   "招标已发布，不能修改草稿 / the tender is no longer a draft");
  }
  if (from == S::draft) {
    return refusal(from, action, "tender_not_published",
                   "招标尚未发布 / the tender is not published");
  }
  if ((action == A::submit_bid || action == A::withdraw_bid) && is_after_deadline(from)) {
    return refusal(from, action, "bid_after_deadline",
                   "投标截止时间已过 / the bid deadline has passed");
  }
  if (action == A::reveal_bid || action == A::extend_reveal) {
    return refusal(from, action, "not_in_reveal_window",
                   "不在解密（揭示）期内 / outside the reveal window");
  }
  return refusal(from, action, "action_not_allowed",
                 "当前状态" + std::string(to_string(from)) + "下不允许" +
                     std::string(to_string(action)) + " / " + std::string(to_string(action)) +
                     " is not allowed in status " + std::string(to_string(from)));
}

constexpr std::int64_t kMsPerS = 1000;

// The instant at which `duration_ms` of unsuspended time has passed since
// `origin_ms`. Suspensions that end at or before the origin do not count; a
// suspension starting exactly at the running instant does not delay it (the
// instant arrived as the suspension began).
std::optional<std::int64_t> after_active_time(const std::vector<Suspension>& suspensions,
                                              std::int64_t origin_ms, std::int64_t duration_ms) {
  std::int64_t at = origin_ms + duration_ms;
  for (const auto& s : suspensions) {
    if (s.end_ms && *s.end_ms <= origin_ms) continue;
    if (s.start_ms >= at) break;
    if (!s.end_ms) return std::nullopt;  // paused now; the instant is not yet known
    at += *s.end_ms - std::max(s.start_ms, origin_ms);
  }
  return at;
}

// The deadline is an absolute instant fixed at publication: every suspension
// before it moves it.
constexpr std::int64_t kBeforeEverything = std::numeric_limits<std::int64_t>::min() / 4;

}  // namespace

std::span<const TransitionRule> transition_table() {
  return kTable;
}

bool allowed(TenderStatus from, TenderAction action) {
  return find_rule(from, action) != nullptr;
}

Result<TenderStatus> next_status(TenderStatus from, TenderAction action,
                                 std::optional<TenderStatus> suspended_from) {
  const TransitionRule* rule = find_rule(from, action);
  if (rule == nullptr) return refusal_for(from, action);
  if (action == A::resume) {
    if (!suspended_from || *suspended_from == S::suspended ||
        !allowed(*suspended_from, A::suspend)) {
      return refusal(from, action, "action_not_allowed",
                     "恢复的目标状态无效 / the status to resume to is not a live status");
    }
    return *suspended_from;
  }
  return rule->to;
}

std::optional<std::int64_t> effective_deadline_ms(const TenderTimeline& t) {
  return after_active_time(t.suspensions, kBeforeEverything, t.bid_deadline_ms - kBeforeEverything);
}

std::optional<std::int64_t> reveal_close_ms(const TenderTimeline& t) {
  const std::int64_t window = (t.reveal_window_s + t.reveal_extensions_s) * kMsPerS;
  return after_active_time(t.suspensions, kBeforeEverything,
                           t.bid_deadline_ms - kBeforeEverything + window);
}

namespace {

std::optional<std::int64_t> publicity_end(const TenderTimeline& t, std::int64_t opened_ms,
                                          std::int64_t days) {
  static const CalendarHistory kDefault;
  return granted_period_end_ms(t.calendar ? *t.calendar : kDefault, opened_ms, days, t.suspensions);
}

}  // namespace

std::optional<std::int64_t> candidate_publicity_end_ms(const TenderTimeline& t) {
  if (!t.candidates_publicized_at_ms) return std::nullopt;
  return publicity_end(t, *t.candidates_publicized_at_ms, t.candidate_publicity_days);
}

std::optional<std::int64_t> award_publicity_end_ms(const TenderTimeline& t) {
  if (!t.award_publicized_at_ms) return std::nullopt;
  return publicity_end(t, *t.award_publicized_at_ms, t.award_publicity_days);
}

std::vector<DueTransition> due_transitions(const TenderTimeline& t, std::int64_t now_ms) {
  std::vector<DueTransition> due;
  S status = t.status;
  auto step = [&](A action, std::optional<std::int64_t> at) {
    if (!at || *at > now_ms) return false;
    const TransitionRule* rule = find_rule(status, action);
    if (rule == nullptr) return false;
    due.push_back(DueTransition{status, action, rule->to, *at});
    status = rule->to;
    return true;
  };
  switch (status) {
    case S::published:
      if (t.deadline_held) break;  // 条例 22: the deadline waits for the answer
      if (!step(A::close_bidding, effective_deadline_ms(t))) break;
      [[fallthrough]];
    case S::bidding_closed:
      if (!step(A::open_reveal, effective_deadline_ms(t))) break;
      [[fallthrough]];
    case S::reveal:
      step(A::close_reveal, reveal_close_ms(t));
      break;
    case S::candidates_publicized:
      if (!t.objection_pending) step(A::end_candidate_publicity, candidate_publicity_end_ms(t));
      break;
    case S::award_publicized:
      if (!t.objection_pending) step(A::end_award_publicity, award_publicity_end_ms(t));
      break;
    default:
      break;  // no clock-driven transition (or suspended: every window paused)
  }
  return due;
}

Status check_bid_time(const TenderTimeline& t, std::int64_t now_ms) {
  if (t.status == S::suspended) {
    return make_error("tender_suspended", "招标已暂停 / the tender is suspended");
  }
  if (t.status == S::published && t.deadline_held) return ok_status();
  const auto deadline = effective_deadline_ms(t);
  if (!deadline || now_ms >= *deadline) {
    boost::json::object d;
    if (deadline) d["deadline_ms"] = *deadline;
    return make_error("bid_after_deadline", "投标截止时间已过 / the bid deadline has passed",
                      std::move(d));
  }
  return ok_status();
}

Status check_reveal_time(const TenderTimeline& t, std::int64_t now_ms) {
  if (t.status == S::suspended) {
    return make_error("tender_suspended", "招标已暂停 / the tender is suspended");
  }
  const auto open = effective_deadline_ms(t);
  const auto close = reveal_close_ms(t);
  if (!open || !close || now_ms < *open || now_ms >= *close) {
    return make_error("not_in_reveal_window", "不在解密（揭示）期内 / outside the reveal window");
  }
  return ok_status();
}

}  // namespace sunbid::core
