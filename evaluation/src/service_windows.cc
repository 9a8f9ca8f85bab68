// EvaluationService: what the decision adds to TenderService's commands
// (core::TenderHooks) — the deciding committee frozen at publication, the
// tenderer's cancel refused once the vote binds, and vote windows that a
// suspension pauses and extends, moving the release of their withheld
// ballots and committee votes with them.
#include <algorithm>

#include "accounts/relations.h"
#include "eval_store.h"
#include "evaluation/service.h"
#include "evaluation/vote_window.h"
#include "tender_core/registry.h"
#include "tender_core/time.h"

namespace sunbid::eval {

using audit::Statement;
using audit::WriteTxn;
using core::DecisionMethod;
using detail::refusal;

namespace {

// Ballots and committee votes of a paused window: withheld until the window
// closes again, an instant not known while the suspension lasts. Distinct
// from every real instant, from audit::kReleaseAtEvent and from tender_core's
// "deadline unknown".
constexpr std::int64_t kReleasePaused = audit::kReleaseAtEvent - 1;

// The deciding committee of committee_vote and vote_then_lottery (legal M7;
// 业委会 5-11 members, odd).
constexpr std::size_t kMinDecisionCommittee = 5;

bool committee_method(DecisionMethod m) {
  return m == DecisionMethod::committee_vote || m == DecisionMethod::vote_then_lottery;
}

struct OpenRound {
  std::int64_t round = 0;
  std::int64_t opens_ms = 0;
  std::int64_t closes_ms = 0;
  std::optional<std::int64_t> paused_ms;
  std::size_t voters = 0;
};

Result<std::optional<OpenRound>> last_round(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT round, opens_ms, closes_ms, paused_ms, voters_json "
                                    "FROM eval_vote_rounds WHERE tender_id = ? ORDER BY round "
                                    "DESC LIMIT 1"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<OpenRound> out;
  if (row) {
    OpenRound r;
    r.round = st->column_int64(0);
    r.opens_ms = st->column_int64(1);
    r.closes_ms = st->column_int64(2);
    if (!st->column_is_null(3)) r.paused_ms = st->column_int64(3);
    auto v = detail::parse_json(st->column_text(4));
    st->reset();
    if (!v.ok()) return make_error(audit::kStorageError, "轮次损坏 / a round is corrupt");
    r.voters = detail::strings_of(*v).size();
    out = r;
    return out;
  }
  st->reset();
  return out;
}

// Whether the decision has recorded anything (a decided round, a pending
// draw, the outcome).
Result<bool> decision_started(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(auto rows, db.query_strings("SELECT state FROM eval_decisions WHERE "
                                                      "tender_id = ?",
                                                      {tender}));
  return !rows.empty();
}

Result<std::size_t> votes_in(audit::Database& db, std::string_view tender, std::int64_t round) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT count(*) FROM eval_committee_votes WHERE tender_id = ? AND round = ?"));
  st->bind(1, tender).bind(2, round);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  const std::size_t n = row ? static_cast<std::size_t>(st->column_int64(0)) : 0;
  st->reset();
  return n;
}

Status update_round(audit::Database& db, std::string_view tender, std::int64_t round,
                    std::int64_t closes_ms, std::optional<std::int64_t> paused_ms) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("UPDATE eval_vote_rounds SET closes_ms = ?, paused_ms = ? "
                                    "WHERE tender_id = ? AND round = ?"));
  st->bind(1, closes_ms);
  if (paused_ms) {
    st->bind(2, *paused_ms);
  } else {
    st->bind_null(2);
  }
  st->bind(3, tender).bind(4, round);
  return st->run();
}

}  // namespace

core::TenderHooks EvaluationService::tender_hooks() {
  core::TenderHooks h;

  // Publication freezes the deciding committee: the community's tenderer
  // accounts then, an odd number of at least 5.
  h.published = [this](WriteTxn& txn, std::string_view tender, std::string_view community,
                       const core::TenderRules& rules, boost::json::object& payload) -> Status {
    if (!committee_method(rules.decision.method)) return {};
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> voters,
                            accounts::tenderer_account_ids(db, community));
    std::sort(voters.begin(), voters.end());
    voters.erase(std::unique(voters.begin(), voters.end()), voters.end());
    if (voters.size() < kMinDecisionCommittee || voters.size() % 2 == 0) {
      return refusal("decision_committee_invalid",
                     "票决成员（本小区招标人账户）须为不少于5人的单数",
                     "the deciding committee (the community's tenderer accounts) must be an odd "
                     "number of at least 5",
                     {{"members", voters.size()}});
    }
    for (const auto& v : voters) {
      SUNBID_ASSIGN_OR_RETURN(
          Statement * ins,
          db.cached("INSERT INTO eval_decision_voters(tender_id, account) VALUES (?, ?)"));
      ins->bind(1, tender).bind(2, v);
      SUNBID_TRY(ins->run());
    }
    payload["decision_committee"] = detail::string_array(voters);
    return {};
  };

  // 民法典 278, 280: once the owners' vote has opened (the candidate
  // publicity ended), and for the committee methods once every vote is in
  // or the window has closed, the decision binds the tenderer.
  h.tenderer_cancels = [](WriteTxn& txn, std::string_view tender,
                          const core::TenderRules& rules) -> Status {
    const auto method = rules.decision.method;
    if (!core::has_vote(method)) return {};
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    auto status = t.view.status;
    if (status == core::TenderStatus::suspended && t.view.suspended_from) {
      status = *t.view.suspended_from;
    }
    bool binds = status == core::TenderStatus::award_publicized;
    if (status == core::TenderStatus::deciding) {
      if (method == DecisionMethod::owners_vote) {
        binds = true;
      } else {
        SUNBID_ASSIGN_OR_RETURN(binds, decision_started(db, tender));
        SUNBID_ASSIGN_OR_RETURN(std::optional<OpenRound> r, last_round(db, tender));
        if (!binds && r) {
          SUNBID_ASSIGN_OR_RETURN(std::size_t in, votes_in(db, tender, r->round));
          binds = in == r->voters || (!r->paused_ms && txn.now_ms() >= r->closes_ms);
        }
      }
    }
    if (!binds) return {};
    return refusal("cancel_requires_supervisor",
                   "表决已开始，业主（委员会）的决定对招标人具有约束力，只有监管部门可以取消，"
                   "并须指明所违反的规定",
                   "the vote has opened and its decision binds the tenderer: only a supervisor "
                   "may cancel, citing the rule violated (物业管理条例 art. 19)",
                   {{"status", std::string(core::to_string(status))}});
  };

  // A suspension that begins inside an open window pauses it: the window
  // stays open (votes_visible_to) and its ballots and votes stay withheld
  // until the resumption fixes the new close.
  h.suspended = [](WriteTxn& txn, std::string_view tender, std::int64_t start_ms,
                   boost::json::object& payload) -> Status {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    // Runs after the status changed: the tender was suspended from deciding.
    if (t.view.suspended_from != core::TenderStatus::deciding) return {};
    SUNBID_ASSIGN_OR_RETURN(std::optional<OpenRound> r, last_round(db, tender));
    if (!r || r->paused_ms || start_ms < r->opens_ms || start_ms >= r->closes_ms) return {};
    SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
    if (p) return {};
    SUNBID_TRY(update_round(db, tender, r->round, r->closes_ms, start_ms));
    SUNBID_TRY(audit::retime_tender_entries(db, tender, r->closes_ms, kReleasePaused));
    payload["vote_window_paused"] = {{"round", r->round},
                                     {"closes_at", core::format_rfc3339_ms(r->closes_ms)}};
    return {};
  };

  // The resumption extends the paused window (days touched for the owners'
  // vote, the exact duration for a committee round) and moves the release
  // of its ballots and votes to the new close.
  h.resumed = [](WriteTxn& txn, std::string_view tender, const core::Suspension& ended,
                 boost::json::object& payload) -> Status {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(std::optional<OpenRound> r, last_round(db, tender));
    if (!r || !r->paused_ms) return {};
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    const bool days = t.rules.decision.method == DecisionMethod::owners_vote;
    std::int64_t closes = r->closes_ms + suspension_extension_ms(ended);
    std::int64_t calendar_version = 0;
    if (days) {
      // Recomputed from the opening with every suspension of the tender:
      // the counted dates they touched, rolled past rest days, with the
      // calendar of the opening (and later versions that only extend).
      SUNBID_ASSIGN_OR_RETURN(core::CalendarHistory history, core::Registry::calendar_history(db));
      SUNBID_ASSIGN_OR_RETURN(std::vector<core::Suspension> paused,
                              detail::suspensions(db, tender));
      const auto end = day_window_close_ms(history, r->opens_ms, t.rules.vote_window_days, paused);
      closes = std::max(r->closes_ms, end.value_or(r->closes_ms));
      calendar_version = history.in_force_at(r->opens_ms).version;
    }
    const std::int64_t by = closes - r->closes_ms;
    SUNBID_TRY(update_round(db, tender, r->round, closes, std::nullopt));
    SUNBID_TRY(audit::retime_tender_entries(db, tender, kReleasePaused, closes));
    boost::json::object w{{"round", r->round},
                          {"old_closes_at", core::format_rfc3339_ms(r->closes_ms)},
                          {"closes_at", core::format_rfc3339_ms(closes)}};
    if (days) {
      w["extended_days"] = by / kDayMs;
      w["calendar_version"] = calendar_version;
    } else {
      w["extended_ms"] = by;
    }
    payload["vote_window"] = std::move(w);
    return {};
  };
  return h;
}

core::Registry::CalendarHook EvaluationService::calendar_hook() {
  return [](WriteTxn& txn, const core::CalendarSet& set) -> Status {
    auto& db = txn.db();
    // The last round of each tender, open now and not paused.
    SUNBID_ASSIGN_OR_RETURN(
        std::vector<std::string> tenders,
        db.query_strings("SELECT r.tender_id FROM eval_vote_rounds r WHERE r.paused_ms IS NULL "
                         "AND r.closes_ms > CAST(? AS INTEGER) AND r.round = (SELECT max(x.round) "
                         "FROM eval_vote_rounds x WHERE x.tender_id = r.tender_id) "
                         "ORDER BY r.tender_id",
                         {std::to_string(txn.now_ms())}));
    if (tenders.empty()) return {};
    SUNBID_ASSIGN_OR_RETURN(core::CalendarHistory history, core::Registry::calendar_history(db));
    for (const auto& tender : tenders) {
      SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
      if (t.rules.decision.method != DecisionMethod::owners_vote ||
          t.view.status != core::TenderStatus::deciding) {
        continue;
      }
      SUNBID_ASSIGN_OR_RETURN(std::optional<OpenRound> r, last_round(db, tender));
      if (!r || r->paused_ms) continue;
      SUNBID_ASSIGN_OR_RETURN(std::vector<core::Suspension> paused,
                              detail::suspensions(db, tender));
      const auto end = day_window_close_ms(history, r->opens_ms, t.rules.vote_window_days, paused);
      if (!end || *end <= r->closes_ms) continue;  // never earlier
      SUNBID_TRY(update_round(db, tender, r->round, *end, std::nullopt));
      SUNBID_TRY(audit::retime_tender_entries(db, tender, r->closes_ms, *end));
      audit::EntryDraft d;
      d.type = "decision.vote_extended";
      d.tender = tender;
      d.payload = {{"tender_id", tender},
                   {"round", r->round},
                   {"old_closes_at", core::format_rfc3339_ms(r->closes_ms)},
                   {"closes_at", core::format_rfc3339_ms(*end)},
                   {"calendar_version", set.version}};
      SUNBID_TRY(txn.append(d));
    }
    return {};
  };
}

}  // namespace sunbid::eval
