// EvaluationService: the decision (定标) by the method frozen at publication
// — vote windows, ballots, committee votes, decide() and the decision's
// draws resumed by enter_beacon.
#include <algorithm>
#include <map>
#include <set>

#include "accounts/relations.h"
#include "audit_log/canonical_json.h"
#include "decision_steps.h"
#include "eval_store.h"
#include "evaluation/draw.h"
#include "evaluation/owners_vote.h"
#include "evaluation/scoring.h"
#include "evaluation/service.h"
#include "evaluation/vote_window.h"
#include "tender_core/document_kinds.h"
#include "tender_core/registry.h"
#include "tender_core/tender_hooks.h"
#include "tender_core/time.h"

namespace sunbid::eval {

using audit::Statement;
using audit::WriteTxn;
using core::DecisionMethod;
using detail::refusal;

namespace {

struct Round {
  int round = 1;
  std::int64_t opens_ms = 0;
  std::int64_t closes_ms = 0;
  std::vector<std::string> candidates;
  std::vector<std::string> voters;        // committee methods
  std::optional<std::int64_t> paused_ms;  // a suspension began inside the window and lasts
};

// The owners' vote counts its window in days (its run-off too); the
// committee's rounds count in hours.
bool day_counted(DecisionMethod m) {
  return m == DecisionMethod::owners_vote;
}

Result<std::optional<Round>> current_round(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT round, opens_ms, closes_ms, candidates_json, "
                                    "voters_json, paused_ms FROM eval_vote_rounds WHERE "
                                    "tender_id = ? ORDER BY round DESC LIMIT 1"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<Round> out;
  if (row) {
    Round r;
    r.round = static_cast<int>(st->column_int64(0));
    r.opens_ms = st->column_int64(1);
    r.closes_ms = st->column_int64(2);
    auto c = detail::parse_json(st->column_text(3));
    auto v = detail::parse_json(st->column_text(4));
    if (!st->column_is_null(5)) r.paused_ms = st->column_int64(5);
    st->reset();
    if (!c.ok() || !v.ok())
      return make_error(audit::kStorageError, "轮次损坏 / a round is corrupt");
    r.candidates = detail::strings_of(*c);
    r.voters = detail::strings_of(*v);
    out = std::move(r);
    return out;
  }
  st->reset();
  return out;
}

Status insert_round(audit::Database& db, std::string_view tender, const Round& r) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("INSERT INTO eval_vote_rounds(tender_id, round, opens_ms, closes_ms, "
                "candidates_json, voters_json) VALUES (?, ?, ?, ?, ?, ?)"));
  st->bind(1, tender).bind(2, std::int64_t{r.round}).bind(3, r.opens_ms).bind(4, r.closes_ms);
  st->bind(5, detail::serialize(detail::string_array(r.candidates)));
  st->bind(6, detail::serialize(detail::string_array(r.voters)));
  return st->run();
}

boost::json::object round_json(const Round& r) {
  return {{"round", r.round},
          {"opens_at", core::format_rfc3339_ms(r.opens_ms)},
          {"closes_at", core::format_rfc3339_ms(r.closes_ms)},
          {"candidates", detail::string_array(r.candidates)},
          {"voters", detail::string_array(r.voters)}};
}

Result<std::vector<std::string>> tender_candidates(audit::Database& db, std::string_view tender) {
  return core::candidate_bid_ids(db, tender);
}

Result<OwnersVoteInput> roster_input(audit::Database& db, std::string_view tender,
                                     const std::vector<std::string>& candidates) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT owner_key, area_centi_m2 FROM eval_roster_snapshot "
                                    "WHERE tender_id = ? ORDER BY owner_key"));
  st->bind(1, tender);
  OwnersVoteInput in;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    in.owners.push_back({std::string(st->column_text(0)), st->column_int64(1)});
    in.total_area_centi_m2 += st->column_int64(1);
    ++in.total_heads;
  }
  st->reset();
  in.candidates = candidates;
  return in;
}

Result<std::vector<Ballot>> round_ballots(audit::Database& db, std::string_view tender, int round) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT owner_key, choice FROM eval_ballots WHERE "
                                    "tender_id = ? AND round = ? ORDER BY owner_key"));
  st->bind(1, tender).bind(2, std::int64_t{round});
  std::vector<Ballot> out;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    Ballot b{std::string(st->column_text(0)), std::nullopt};
    if (!st->column_is_null(1)) b.candidate_bid_id = std::string(st->column_text(1));
    out.push_back(std::move(b));
  }
  st->reset();
  return out;
}

Result<std::vector<MemberVote>> round_votes(audit::Database& db, std::string_view tender,
                                            int round) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT member, bid_id FROM eval_committee_votes WHERE "
                                    "tender_id = ? AND round = ? ORDER BY member"));
  st->bind(1, tender).bind(2, std::int64_t{round});
  std::vector<MemberVote> out;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    out.push_back({std::string(st->column_text(0)), std::string(st->column_text(1))});
  }
  st->reset();
  return out;
}

boost::json::array votes_json(const std::vector<MemberVote>& votes) {
  boost::json::array a;
  for (const auto& v : votes) a.push_back({{"member", v.member}, {"bid_id", v.bid_id}});
  return a;
}

boost::json::array counts_json(const std::vector<VoteCount>& c) {
  boost::json::array a;
  for (const auto& v : c) a.push_back({{"bid_id", v.bid_id}, {"votes", v.votes}});
  return a;
}

boost::json::object decision_json(const Decision& d) {
  boost::json::object o;
  o["kind"] = d.kind == Decision::Kind::kWinner      ? "winner"
              : d.kind == Decision::Kind::kNeedsDraw ? "needs_draw"
                                                     : "failed";
  o["winner"] = d.winner;
  o["tied"] = detail::string_array(d.tied);
  o["by_draw"] = d.by_draw;
  return o;
}

Status set_decision_state(audit::Database& db, std::string_view tender, std::string_view state,
                          int round, const std::vector<std::string>& remaining,
                          const boost::json::object& result) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("INSERT OR REPLACE INTO eval_decisions(tender_id, state, round, remaining, "
                "result_json) VALUES (?, ?, ?, ?, ?)"));
  st->bind(1, tender).bind(2, state).bind(3, std::int64_t{round});
  st->bind(4, detail::serialize(detail::string_array(remaining)));
  st->bind(5, detail::serialize(result));
  return st->run();
}

// The award: tender -> award_publicized.
Status award(WriteTxn& txn, const detail::TenderInfo& t, const std::string& winner,
             StageResult& out, boost::json::object& payload) {
  SUNBID_ASSIGN_OR_RETURN(core::PublicityWindow w, core::record_award(txn, t.view.id, winner));
  SUNBID_TRY(detail::release_committee_entries(txn, t.view.id));
  payload["publicity"] = core::to_json(w);
  payload["result"] = "award";
  payload["winner"] = winner;
  out.next = "award_publicized";
  out.winner = winner;
  return set_decision_state(txn.db(), t.view.id, "awarded", 0, {winner}, payload);
}

Status fail_decision(WriteTxn& txn, const detail::TenderInfo& t, std::string_view reason,
                     StageResult& out, boost::json::object& payload) {
  SUNBID_TRY(core::fail_in_txn(txn, t.view.id, reason));
  SUNBID_TRY(detail::release_committee_entries(txn, t.view.id));
  payload["result"] = "failed";
  payload["reason"] = reason;
  out.next = "failed";
  return set_decision_state(txn.db(), t.view.id, "failed", 0, {}, payload);
}

Status pend(WriteTxn& txn, const detail::TenderInfo& t, std::string_view purpose,
            const boost::json::object& context, StageResult& out, boost::json::object& payload) {
  SUNBID_TRY(detail::set_pending_draw(txn.db(), t.view.id, purpose, txn.log_size(), context));
  payload["result"] = "pending_draw";
  payload["pending_draw"] = purpose;
  out.next = "draw:" + std::string(purpose);
  return {};
}

// A new voting round opens now (owners' run-off, committee_vote's next round).
Status open_round(WriteTxn& txn, const detail::TenderInfo& t, int round,
                  std::vector<std::string> candidates, std::vector<std::string> voters,
                  StageResult& out, boost::json::object& payload) {
  SUNBID_ASSIGN_OR_RETURN(core::HolidayCalendar calendar,
                          core::calendar_in_force(txn.db(), txn.now_ms()));
  Round r{round, txn.now_ms(), core::vote_window_close_ms(t.rules, calendar, txn.now_ms()),
          std::move(candidates), std::move(voters)};
  SUNBID_TRY(insert_round(txn.db(), t.view.id, r));
  payload["calendar_version"] = calendar.version;
  payload["result"] = round == 2 && t.rules.decision.method == DecisionMethod::owners_vote
                          ? "runoff"
                          : "next_round";
  payload["next_round"] = round_json(r);
  out.next = "vote_round";
  return {};
}

std::vector<PricedCandidate> priced(const std::vector<detail::ValidBid>& bids,
                                    const std::vector<std::string>& cands) {
  std::vector<PricedCandidate> out;
  for (const auto& b : bids) {
    if (std::binary_search(cands.begin(), cands.end(), b.bid_id)) {
      out.push_back({b.bid_id, b.price_fen});
    }
  }
  return out;
}

Result<std::vector<CompositeCandidate>> composite_inputs(audit::Database& db,
                                                         const detail::TenderInfo& t,
                                                         const std::vector<std::string>& cands) {
  SUNBID_ASSIGN_OR_RETURN(auto opened, core::opened_bids(db, t.view.id));
  std::vector<CompositeCandidate> out;
  for (const auto& b : opened) {
    if (!std::binary_search(cands.begin(), cands.end(), b.bid_id)) continue;
    CompositeCandidate c{b.bid_id, b.bid.price_fen_per_m2_month, 0, 0};
    if (b.rating_at_deadline) {
      c.credit_score = b.rating_at_deadline->credit_score;
      c.stars = b.rating_at_deadline->star_rating;
    }
    out.push_back(std::move(c));
  }
  return out;
}

CompositeParams composite_params(const core::TenderRules& rules) {
  const auto& p = *rules.decision.composite_score;
  CompositeParams c;
  c.weight_price_bp = p.weight_price_bp;
  c.weight_credit_bp = p.weight_credit_bp;
  c.weight_star_bp = p.weight_star_bp;
  c.benchmark = p.benchmark == core::PriceBenchmark::lowest ? CompositeParams::Benchmark::kLowest
                                                            : CompositeParams::Benchmark::kMean;
  c.k_above = p.k_above;
  c.k_below = p.k_below;
  return c;
}

boost::json::object tally_json(const OwnersVoteResult& r) {
  boost::json::array cands;
  for (const auto& c : r.candidates) {
    cands.push_back({{"bid_id", c.bid_id}, {"area_centi_m2", c.area_centi_m2}, {"heads", c.heads}});
  }
  return {{"total_area_centi_m2", r.total_area_centi_m2},
          {"total_heads", r.total_heads},
          {"participating_area_centi_m2", r.participating_area_centi_m2},
          {"participating_heads", r.participating_heads},
          {"abstain_area_centi_m2", r.abstain_area_centi_m2},
          {"abstain_heads", r.abstain_heads},
          {"area_quorum", r.area_quorum},
          {"head_quorum", r.head_quorum},
          {"candidates", std::move(cands)}};
}

Result<std::optional<Hash>> seed_from(const boost::json::object& ctx, std::string_view key) {
  std::optional<Hash> out;
  if (auto it = ctx.find(key); it != ctx.end() && it->value().is_string()) {
    auto h = hash_from_hex(std::string(it->value().get_string()));
    if (!h) return make_error(audit::kStorageError, "种子损坏 / a stored seed is corrupt");
    out = *h;
  }
  return out;
}

// committee_vote: one round's outcome.
Status apply_committee_round(WriteTxn& txn, const detail::TenderInfo& t, const Round& r,
                             const CommitteeRound& cr, StageResult& out,
                             boost::json::object& payload) {
  payload["round"] = r.round;
  payload["inputs"] = {{"members", detail::string_array(cr.members)},
                       {"remaining", detail::string_array(cr.remaining)},
                       {"votes", votes_json(cr.votes)}};
  payload["tally"] = counts_json(cr.tally);
  switch (cr.kind) {
    case CommitteeRound::Kind::kWinner:
      return award(txn, t, cr.winner, out, payload);
    case CommitteeRound::Kind::kFailed:
      return fail_decision(txn, t, "decision_failed_no_majority", out, payload);
    case CommitteeRound::Kind::kNeedsDraw:
      payload["fewest"] = detail::string_array(cr.fewest);
      return pend(txn, t, draw_purpose::kEliminationTie, {{"round", r.round}}, out, payload);
    case CommitteeRound::Kind::kEliminated:
      payload["eliminated"] = cr.eliminated;
      return open_round(txn, t, r.round + 1, cr.next_round, r.voters, out, payload);
  }
  return {};
}

// vote_then_lottery: the state after the votes and whatever seeds exist.
Status apply_vote_then_lottery(WriteTxn& txn, const detail::TenderInfo& t, const Round& r,
                               const VoteThenLotteryResult& v,
                               const std::optional<Hash>& shortlist_seed, StageResult& out,
                               boost::json::object& payload) {
  payload["inputs"] = {{"members", detail::string_array(v.members)},
                       {"votes", votes_json(v.votes)},
                       {"shortlist_size", v.shortlist_size},
                       {"candidates", detail::string_array(r.candidates)}};
  payload["tally"] = counts_json(v.tally);
  if (v.shortlist) payload["shortlist"] = detail::string_array(*v.shortlist);
  if (v.decision.kind == Decision::Kind::kWinner) {
    return award(txn, t, v.decision.winner, out, payload);
  }
  if (v.waiting_for_shortlist_draw) {
    return pend(txn, t, draw_purpose::kShortlistTie, {}, out, payload);
  }
  boost::json::object ctx;
  if (shortlist_seed) ctx["shortlist_seed"] = hex_encode(*shortlist_seed);
  return pend(txn, t, draw_purpose::kLottery, ctx, out, payload);
}

// The 投票结果公告's count (tender_core/document_kinds.h publish_vote_result):
// the tally with each candidate's approval and the round's outcome.
boost::json::object vote_result_json(const OwnersVoteResult& v, const Round& r,
                                     std::string_view outcome) {
  boost::json::object o = tally_json(v);
  boost::json::array cands;
  for (const auto& c : v.candidates) {
    cands.push_back({{"bid_id", c.bid_id},
                     {"area_centi_m2", c.area_centi_m2},
                     {"heads", c.heads},
                     {"approved", approves(Approval::kMajority, c.area_centi_m2, c.heads,
                                           v.participating_area_centi_m2, v.participating_heads)}});
  }
  o["candidates"] = std::move(cands);
  o["round"] = r.round;
  o["approval"] = "majority";
  o["outcome"] = outcome;
  o["winner"] = v.outcome == OwnersVoteOutcome::kWinner ? v.winner : std::string();
  o["opened_ms"] = r.opens_ms;
  o["closes_ms"] = r.closes_ms;
  return o;
}

// The decision (定标) by the method frozen at publication, over the state
// as it stands: by `actor` (the tenderer's click, for the methods without a
// vote) or, when `actor` is null, by the platform itself once a vote closed
// (民法典 278, 280: the owners' decision executes itself). Appends the one
// decision.made entry.
Result<StageResult> run_method(WriteTxn& txn, const detail::TenderInfo& t,
                               const core::Actor* actor) {
  auto& db = txn.db();
  const std::string_view tender = t.view.id;
  const auto method = t.rules.decision.method;
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> cands, tender_candidates(db, tender));
  SUNBID_ASSIGN_OR_RETURN(std::vector<detail::ValidBid> bids, detail::valid_bids(db, tender));
  StageResult out;
  boost::json::object payload{{"tender_id", tender},
                              {"method", core::to_string(method)},
                              {"candidates", detail::string_array(cands)}};
  std::optional<Round> r;
  std::optional<boost::json::object> vote_result;  // owners_vote: the 投票结果公告's count
  if (core::has_vote(method)) {
    SUNBID_ASSIGN_OR_RETURN(r, current_round(db, tender));
    if (!r) return refusal("vote_window_open", "表决尚未开始", "the vote has not opened");
    bool all_voted = false;
    if (method != DecisionMethod::owners_vote) {
      SUNBID_ASSIGN_OR_RETURN(auto votes, round_votes(db, tender, r->round));
      all_voted = votes.size() == r->voters.size();
    }
    if (txn.now_ms() < r->closes_ms && !all_voted) {
      return refusal("vote_window_open", "表决期尚未结束", "the vote window has not closed",
                     {{"closes_at", core::format_rfc3339_ms(r->closes_ms)}});
    }
    payload["round"] = r->round;
    // The round is decided now: its ballots or votes become public.
    SUNBID_TRY(audit::release_tender_entries(db, tender, r->closes_ms, txn.now_ms()));
  }
  switch (method) {
    case DecisionMethod::lowest_price: {
      SUNBID_ASSIGN_OR_RETURN(LowestPriceResult lp,
                              lowest_price(priced(bids, cands), std::nullopt));
      boost::json::array in;
      for (const auto& c : lp.candidates)
        in.push_back({{"bid_id", c.bid_id}, {"price_fen", c.price_fen}});
      payload["inputs"] = {{"prices", std::move(in)}};
      payload["decision"] = decision_json(lp.decision);
      if (lp.decision.kind == Decision::Kind::kWinner) {
        SUNBID_TRY(award(txn, t, lp.decision.winner, out, payload));
      } else {
        SUNBID_TRY(pend(txn, t, draw_purpose::kTieBreak, {}, out, payload));
      }
      break;
    }
    case DecisionMethod::composite_score: {
      SUNBID_ASSIGN_OR_RETURN(auto inputs, composite_inputs(db, t, cands));
      SUNBID_ASSIGN_OR_RETURN(CompositeResult cr,
                              composite_score(composite_params(t.rules), inputs, std::nullopt));
      boost::json::array in, scores;
      for (const auto& c : cr.candidates) {
        in.push_back({{"bid_id", c.bid_id},
                      {"price_fen", c.price_fen},
                      {"credit_score", c.credit_score},
                      {"stars", c.stars}});
      }
      for (const auto& s : cr.scores) {
        scores.push_back({{"bid_id", s.bid_id},
                          {"price_score", s.price_score},
                          {"credit_score", s.credit_score},
                          {"star_score", s.star_score},
                          {"total", s.total}});
      }
      payload["inputs"] = {{"candidates", std::move(in)},
                           {"params", core::to_json(t.rules).at("decision")}};
      payload["benchmark_fen"] = cr.benchmark_fen;
      payload["scores"] = std::move(scores);
      payload["decision"] = decision_json(cr.decision);
      if (cr.decision.kind == Decision::Kind::kWinner) {
        SUNBID_TRY(award(txn, t, cr.decision.winner, out, payload));
      } else {
        SUNBID_TRY(pend(txn, t, draw_purpose::kTieBreak, {}, out, payload));
      }
      break;
    }
    case DecisionMethod::lottery:
      SUNBID_TRY(pend(txn, t, draw_purpose::kLottery, {}, out, payload));
      break;
    case DecisionMethod::owners_vote: {
      SUNBID_ASSIGN_OR_RETURN(OwnersVoteInput in, roster_input(db, tender, r->candidates));
      SUNBID_ASSIGN_OR_RETURN(in.ballots, round_ballots(db, tender, r->round));
      SUNBID_ASSIGN_OR_RETURN(OwnersVoteResult v, tally_owners_vote(in));
      payload["tally"] = tally_json(v);
      payload["ballots"] = in.ballots.size();
      vote_result = vote_result_json(
          v, *r,
          v.outcome == OwnersVoteOutcome::kWinner                         ? "winner"
          : v.outcome == OwnersVoteOutcome::kQuorumNotMet                 ? "quorum_not_met"
          : (r->round > 1 || !t.rules.decision.owners_vote->allow_runoff) ? "no_winner"
                                                                          : "runoff");
      if (v.outcome == OwnersVoteOutcome::kWinner) {
        SUNBID_TRY(award(txn, t, v.winner, out, payload));
      } else if (v.outcome == OwnersVoteOutcome::kQuorumNotMet) {
        SUNBID_TRY(fail_decision(txn, t, "decision_failed_quorum", out, payload));
      } else if (r->round > 1 || !t.rules.decision.owners_vote->allow_runoff) {
        SUNBID_TRY(fail_decision(txn, t, "decision_failed_no_winner", out, payload));
      } else {
        payload["runoff_cutoff"] = {{"certain", detail::string_array(v.runoff.certain)},
                                    {"tied", detail::string_array(v.runoff.tied)},
                                    {"draw_count", v.runoff.draw_count}};
        if (v.runoff.needs_draw()) {
          boost::json::object ctx{{"certain", detail::string_array(v.runoff.certain)},
                                  {"tied", detail::string_array(v.runoff.tied)},
                                  {"draw_count", v.runoff.draw_count}};
          SUNBID_TRY(pend(txn, t, draw_purpose::kRunoffTie, ctx, out, payload));
        } else {
          SUNBID_TRY(open_round(txn, t, 2, v.runoff.certain, {}, out, payload));
        }
      }
      break;
    }
    case DecisionMethod::committee_vote: {
      SUNBID_ASSIGN_OR_RETURN(auto votes, round_votes(db, tender, r->round));
      SUNBID_ASSIGN_OR_RETURN(CommitteeRound cr,
                              committee_vote_round(r->voters, r->candidates, votes, std::nullopt));
      SUNBID_TRY(apply_committee_round(txn, t, *r, cr, out, payload));
      break;
    }
    case DecisionMethod::vote_then_lottery: {
      SUNBID_ASSIGN_OR_RETURN(auto votes, round_votes(db, tender, r->round));
      SUNBID_ASSIGN_OR_RETURN(
          VoteThenLotteryResult v,
          vote_then_lottery(
              r->voters, r->candidates, votes,
              static_cast<std::size_t>(t.rules.decision.vote_then_lottery->shortlist_size),
              std::nullopt, std::nullopt));
      SUNBID_TRY(apply_vote_then_lottery(txn, t, *r, v, std::nullopt, out, payload));
      break;
    }
  }
  if (out.next.rfind("draw:", 0) == 0 || out.next == "vote_round") {
    SUNBID_TRY(set_decision_state(db, tender, out.next, r ? r->round : 0, cands, payload));
  }
  audit::EntryDraft d;  // the platform itself decides a vote
  if (actor != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(d, detail::draft_for(txn, *actor, "decision.made", tender));
  } else {
    d.type = "decision.made";
    d.tender = std::string(tender);
  }
  d.payload = payload;
  SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
  SUNBID_TRY(detail::record_decision_index(db, tender, out.log_index));
  if (vote_result) {
    // 投票结果公告 right after the count's entry, before the notices that
    // follow from it (docs/documents.md).
    SUNBID_TRY(core::publish_vote_result(txn, tender, *vote_result));
  }
  if (out.next == "failed") {
    // 流标公告 after the decision (docs/documents.md).
    const auto* reason = payload.if_contains("reason");
    SUNBID_TRY(core::publish_failure_notice(
        txn, tender,
        reason && reason->is_string() ? std::string_view(reason->as_string()) : "failed"));
  }
  if (out.next == "award_publicized") {
    // 中标结果公示 after the decision (docs/documents.md).
    SUNBID_TRY(core::publish_award_notice(txn, tender));
  }
  if (out.next == "award_publicized" || out.next == "failed") {
    // The committee is public: the 评标报告 with its names.
    SUNBID_TRY(detail::publish_named_report(txn, tender));
  }
  out.record = std::move(payload);
  return out;
}

// The stored outcome of a decision already made (awarded or failed): what a
// repeated POST /decision answers. nullopt while none is final.
Result<std::optional<StageResult>> stored_decision(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT state, remaining, result_json, log_index FROM "
                                    "eval_decisions WHERE tender_id = ?"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<StageResult> out;
  if (!row) {
    st->reset();
    return out;
  }
  const std::string state(st->column_text(0));
  const std::string remaining(st->column_text(1));
  const std::string result(st->column_text(2));
  const std::optional<std::int64_t> index =
      st->column_is_null(3) ? std::nullopt : std::optional<std::int64_t>(st->column_int64(3));
  st->reset();
  if (state != "awarded" && state != "failed") return out;
  SUNBID_ASSIGN_OR_RETURN(boost::json::value record, detail::parse_json(result));
  SUNBID_ASSIGN_OR_RETURN(boost::json::value rest, detail::parse_json(remaining));
  StageResult r;
  r.log_index = static_cast<std::uint64_t>(index.value_or(0));
  r.next = state == "awarded" ? "award_publicized" : "failed";
  if (state == "awarded") {
    auto w = detail::strings_of(rest);
    if (!w.empty()) r.winner = w.front();
  }
  if (record.is_object()) r.record = std::move(record.get_object());
  out = std::move(r);
  return out;
}

}  // namespace

// ---- time: the vote window opens when the candidate publicity ends ----

Result<bool> EvaluationService::open_vote_if_due(std::string_view tender) {
  return ledger_.run<bool>([&](WriteTxn& txn) -> Result<bool> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    if (t.view.status != core::TenderStatus::deciding || !core::has_vote(t.rules.decision.method)) {
      return false;
    }
    SUNBID_ASSIGN_OR_RETURN(std::optional<Round> existing, current_round(db, tender));
    if (existing || !t.candidates_publicized_at_ms) return false;
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> cands, tender_candidates(db, tender));
    Round r;
    // The vote opens when the candidate publicity REALLY ended: the instant
    // of the transition to deciding (objections answered, suspensions over).
    // A tender that reached deciding before that instant was recorded falls
    // back to the effective end of its publicity.
    std::optional<std::int64_t> opens = t.candidate_publicity_ended_ms;
    if (!opens) {
      SUNBID_ASSIGN_OR_RETURN(opens, core::candidate_publicity_end(db, tender));
    }
    if (!opens) return false;
    r.opens_ms = *opens;
    // Its end: calendar days ending 24:00 China time rolled past rest days
    // (owners' vote) or exact seconds (committee round), with the calendar in
    // force when it opens (docs/periods.md).
    SUNBID_ASSIGN_OR_RETURN(core::CalendarHistory history, core::Registry::calendar_history(db));
    const core::HolidayCalendar& calendar = history.in_force_at(r.opens_ms);
    r.closes_ms = core::vote_window_close_ms(t.rules, calendar, r.opens_ms);
    // A suspension after the opening but before this command (the window
    // opens lazily) already extends it, and so does a calendar version set
    // since (never earlier).
    SUNBID_ASSIGN_OR_RETURN(std::vector<core::Suspension> paused, detail::suspensions(db, tender));
    if (day_counted(t.rules.decision.method)) {
      r.closes_ms = std::max(
          r.closes_ms, day_window_close_ms(history, r.opens_ms, t.rules.vote_window_days, paused)
                           .value_or(r.closes_ms));
    } else {
      r.closes_ms = extended_close_ms(r.opens_ms, r.closes_ms, paused);
    }
    r.candidates = cands;
    audit::EntryDraft d;
    d.type = "decision.vote_opened";
    d.tender = std::string(tender);
    d.payload = {{"tender_id", tender}, {"method", core::to_string(t.rules.decision.method)}};
    if (t.rules.decision.method == DecisionMethod::owners_vote) {
      // The roster snapshot (业主名册): weights per owner_key, developer's
      // unsold units as one owner. Logged only as a digest over the owners'
      // salted digests and areas.
      SUNBID_ASSIGN_OR_RETURN(Statement * st,
                              db.cached("SELECT unit, area_centi_m2, owner_key, status FROM "
                                        "roster_units WHERE community_id = ? ORDER BY unit"));
      st->bind(1, t.view.community_id);
      std::vector<RosterUnit> units;
      while (true) {
        SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
        if (!row) break;
        units.push_back({std::string(st->column_text(0)), st->column_int64(1),
                         std::string(st->column_text(2)), st->column_text(3) == "unsold"});
      }
      st->reset();
      SUNBID_ASSIGN_OR_RETURN(RosterWeights w, owner_weights_from_units(units));
      std::vector<std::pair<std::string, std::int64_t>> digested;
      for (const auto& o : w.owners) {
        SUNBID_ASSIGN_OR_RETURN(
            Statement * ins,
            db.cached("INSERT INTO eval_roster_snapshot(tender_id, owner_key, area_centi_m2) "
                      "VALUES (?, ?, ?)"));
        ins->bind(1, tender).bind(2, o.owner_key).bind(3, o.area_centi_m2);
        SUNBID_TRY(ins->run());
        SUNBID_ASSIGN_OR_RETURN(std::string dg,
                                txn.personal_digest("owner_key", o.owner_key, tender));
        digested.emplace_back(std::move(dg), o.area_centi_m2);
      }
      std::sort(digested.begin(), digested.end());
      boost::json::array lines;
      for (const auto& [dg, area] : digested) lines.push_back({dg, area});
      auto canon = audit::to_canonical_json(lines);
      if (!canon.ok()) return std::move(canon).error();
      d.payload["roster"] = {{"digest", hex_encode(sha256(*canon))},
                             {"owners", w.owners.size()},
                             {"total_area_centi_m2", w.total_area_centi_m2},
                             {"total_heads", w.total_heads}};
    } else {
      // The deciding committee as frozen at publication (legal M7); a
      // tender published before voters were frozen takes today's accounts.
      SUNBID_ASSIGN_OR_RETURN(r.voters, detail::frozen_voters(db, tender));
      if (r.voters.empty()) {
        SUNBID_ASSIGN_OR_RETURN(r.voters, accounts::tenderer_account_ids(db, t.view.community_id));
      }
      std::sort(r.voters.begin(), r.voters.end());
    }
    SUNBID_TRY(insert_round(db, tender, r));
    d.payload["window"] = round_json(r);
    d.payload["window"].as_object()["calendar_version"] = calendar.version;
    d.payload["due_at"] = core::format_rfc3339_ms(r.opens_ms);
    SUNBID_TRY(txn.append(d));
    return true;
  });
}

namespace {

// The ballot.cast command: refusals not_an_owner, wrong_method,
// vote_window_closed, not_a_candidate, owner_not_on_roster.
Result<BallotCast> ballot_command(WriteTxn& txn, const core::Actor& owner, std::string_view tender,
                                  const std::optional<std::string>& candidate) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
  if (owner.community_id != t.view.community_id || owner.owner_key.empty()) {
    return refusal("not_an_owner", "不是本小区业主", "not an owner of this community");
  }
  if (t.rules.decision.method != DecisionMethod::owners_vote) {
    return refusal("wrong_method", "本项目不由业主表决定标",
                   "this tender is not decided by the owners' vote");
  }
  SUNBID_ASSIGN_OR_RETURN(std::optional<Round> r, current_round(db, tender));
  const std::int64_t now = txn.now_ms();
  if (t.view.status != core::TenderStatus::deciding || !r || now < r->opens_ms ||
      now >= r->closes_ms) {
    return refusal("vote_window_closed", "不在表决期内", "the vote window is not open");
  }
  SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
  if (p) return refusal("vote_window_closed", "不在表决期内", "the vote window is not open");
  if (candidate &&
      std::find(r->candidates.begin(), r->candidates.end(), *candidate) == r->candidates.end()) {
    return refusal("not_a_candidate", "所选不是本轮候选人", "not a candidate of this round",
                   {{"bid_id", *candidate}});
  }
  SUNBID_ASSIGN_OR_RETURN(Statement * w,
                          db.cached("SELECT area_centi_m2 FROM eval_roster_snapshot WHERE "
                                    "tender_id = ? AND owner_key = ?"));
  w->bind(1, tender).bind(2, owner.owner_key);
  SUNBID_ASSIGN_OR_RETURN(bool on_roster, w->step());
  const std::int64_t area = on_roster ? w->column_int64(0) : 0;
  w->reset();
  if (!on_roster) {
    return refusal("owner_not_on_roster", "业主不在表决名册中",
                   "the owner is not on the roster snapshot");
  }
  SUNBID_ASSIGN_OR_RETURN(Statement * prior, db.cached("SELECT 1 FROM eval_ballots WHERE "
                                                       "tender_id = ? AND round = ? AND "
                                                       "owner_key = ?"));
  prior->bind(1, tender).bind(2, std::int64_t{r->round}).bind(3, owner.owner_key);
  SUNBID_ASSIGN_OR_RETURN(bool replaced, prior->step());
  prior->reset();
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT OR REPLACE INTO eval_ballots(tender_id, round, owner_key, choice, "
                "cast_ms) VALUES (?, ?, ?, ?, ?)"));
  ins->bind(1, tender).bind(2, std::int64_t{r->round}).bind(3, owner.owner_key);
  if (candidate) {
    ins->bind(4, *candidate);
  } else {
    ins->bind_null(4);
  }
  ins->bind(5, now);
  SUNBID_TRY(ins->run());
  SUNBID_ASSIGN_OR_RETURN(std::string owner_digest,
                          txn.personal_digest("owner_key", owner.owner_key, tender));
  SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                          detail::draft_for(txn, owner, "ballot.cast", tender));
  d.payload = {
      {"tender_id", tender},
      {"round", r->round},
      {"owner", owner_digest},
      {"area_centi_m2", area},
      {"heads", 1},
      {"choice", candidate ? boost::json::value(*candidate) : boost::json::value("abstain")},
      {"replaces_earlier", replaced}};
  // Ballot secrecy: public once the window closes (or the round is decided).
  d.release_at_ms = r->closes_ms;
  BallotCast out;
  out.replaced = replaced;
  out.round = r->round;
  SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
  SUNBID_ASSIGN_OR_RETURN(out.entry, audit::read_entry_bytes(txn.db(), out.log_index));
  return out;
}

}  // namespace

Result<BallotCast> EvaluationService::cast_ballot(const core::Actor& owner, std::string_view tender,
                                                  std::optional<std::string> candidate) {
  SUNBID_TRY(detail::require_role(owner, "owner"));
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<BallotCast>(
      [&](WriteTxn& txn) { return ballot_command(txn, owner, tender, candidate); });
}

void EvaluationService::cast_ballot_async(core::Actor owner, std::string tender,
                                          std::optional<std::string> candidate,
                                          std::function<void(Result<BallotCast>)> done) {
  if (auto st = detail::require_role(owner, "owner"); !st.ok()) return done(std::move(st).error());
  if (auto st = catch_up(tender); !st.ok()) return done(std::move(st).error());
  auto out = std::make_shared<BallotCast>();
  ledger_.submit(
      [owner = std::move(owner), tender = std::move(tender), candidate = std::move(candidate),
       out](WriteTxn& txn) -> Status {
        SUNBID_ASSIGN_OR_RETURN(*out, ballot_command(txn, owner, tender, candidate));
        return ok_status();
      },
      [out, done = std::move(done)](Status st) {
        if (!st.ok()) return done(std::move(st).error());
        done(std::move(*out));
      });
}

namespace {

// committee_vote and vote_then_lottery: the methods the deciding committee
// (业委会) votes in.
Status require_committee_method(const detail::TenderInfo& t) {
  const auto m = t.rules.decision.method;
  if (m != DecisionMethod::committee_vote && m != DecisionMethod::vote_then_lottery) {
    return refusal("wrong_method", "本项目不由业委会票决定标",
                   "this tender is not decided by the committee's vote");
  }
  return ok_status();
}

}  // namespace

Result<std::uint64_t> EvaluationService::committee_vote(const core::Actor& tenderer,
                                                        std::string_view tender,
                                                        std::string_view candidate, int round) {
  SUNBID_TRY(detail::require_role(tenderer, "tenderer"));
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    SUNBID_TRY(require_committee_method(t));
    SUNBID_ASSIGN_OR_RETURN(std::optional<Round> r, current_round(db, tender));
    SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
    const std::int64_t now = txn.now_ms();
    if (t.view.status != core::TenderStatus::deciding || !r || p || now < r->opens_ms ||
        now >= r->closes_ms) {
      return refusal("vote_window_closed", "不在表决期内", "the vote window is not open");
    }
    if (std::find(r->voters.begin(), r->voters.end(), tenderer.account) == r->voters.end() ||
        tenderer.community_id != t.view.community_id) {
      return refusal("not_a_voter", "不是本轮表决成员", "not a member of the deciding committee");
    }
    if (round != r->round) {
      return refusal("wrong_round", "轮次不符", "not the current round",
                     {{"current_round", r->round}});
    }
    if (std::find(r->candidates.begin(), r->candidates.end(), candidate) == r->candidates.end()) {
      return refusal("not_a_candidate", "所选不是本轮候选人", "not a candidate of this round",
                     {{"bid_id", candidate}});
    }
    SUNBID_ASSIGN_OR_RETURN(Statement * ins,
                            db.cached("INSERT OR IGNORE INTO eval_committee_votes(tender_id, "
                                      "round, member, bid_id) VALUES (?, ?, ?, ?)"));
    ins->bind(1, tender).bind(2, std::int64_t{round}).bind(3, tenderer.account).bind(4, candidate);
    SUNBID_TRY(ins->run());
    if (db.changes() == 0) {
      return refusal("already_voted", "本轮已投票", "already voted in this round");
    }
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, tenderer, "committee_vote.cast", tender));
    d.payload = {{"tender_id", tender},
                 {"round", round},
                 {"member", tenderer.account},
                 {"bid_id", candidate}};
    // Public once the window closes or the round is decided, whichever first.
    d.release_at_ms = r->closes_ms;
    return txn.append(d);
  });
}

Result<std::uint64_t> EvaluationService::declare_recusal(const core::Actor& tenderer,
                                                         std::string_view tender,
                                                         std::string_view reason) {
  SUNBID_TRY(detail::require_role(tenderer, "tenderer"));
  if (reason.empty()) return refusal("reason_required", "须说明回避理由", "a reason is required");
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    SUNBID_TRY(require_committee_method(t));
    // From publication until the decision (a suspension keeps its stage).
    auto status = t.view.status;
    if (status == core::TenderStatus::suspended && t.view.suspended_from) {
      status = *t.view.suspended_from;
    }
    using S = core::TenderStatus;
    if (status == S::draft || status == S::award_publicized || status == S::awarded ||
        status == S::cancelled || status == S::failed || status == S::suspended) {
      return refusal("tender_wrong_status", "招标所处阶段不允许回避声明",
                     "a recusal is declared between publication and the decision",
                     {{"status", core::to_string(t.view.status)}});
    }
    SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
    if (p) {
      return refusal("decision_pending_draw", "定标等待抽取信标",
                     "the decision waits for a draw's beacon", {{"purpose", p->purpose}});
    }
    SUNBID_ASSIGN_OR_RETURN(
        std::vector<std::string> frozen,
        db.query_strings("SELECT account FROM eval_decision_voters WHERE tender_id = ?", {tender}));
    if (std::find(frozen.begin(), frozen.end(), tenderer.account) == frozen.end() ||
        tenderer.community_id != t.view.community_id) {
      return refusal("not_a_voter", "不是本项目的表决成员",
                     "not a member of the deciding committee");
    }
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> remaining, detail::frozen_voters(db, tender));
    if (std::find(remaining.begin(), remaining.end(), tenderer.account) == remaining.end()) {
      return refusal("already_recused", "已声明回避", "already recused");
    }
    SUNBID_ASSIGN_OR_RETURN(std::optional<Round> r, current_round(db, tender));
    if (r) {
      SUNBID_ASSIGN_OR_RETURN(
          auto voted,
          db.query_strings("SELECT member FROM eval_committee_votes WHERE tender_id = ? "
                           "AND round = ? AND member = ?",
                           {tender, std::to_string(r->round), tenderer.account}));
      if (!voted.empty()) {
        return refusal("already_voted", "本轮已投票，不能再声明回避",
                       "already voted in this round: a recusal comes before the vote",
                       {{"round", r->round}});
      }
    }
    // More than half of the committee frozen at publication must remain.
    if (2 * (remaining.size() - 1) <= frozen.size()) {
      return refusal("recusal_quorum", "回避后表决成员将不足原委员会的半数以上",
                     "after this recusal no more than half of the deciding committee would "
                     "remain",
                     {{"members", frozen.size()}, {"remaining", remaining.size() - 1}});
    }
    const std::uint64_t index = txn.log_size();
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO eval_decision_recusals(tender_id, account, log_index) VALUES (?, ?, "
                  "?)"));
    ins->bind(1, tender).bind(2, tenderer.account).bind(3, static_cast<std::int64_t>(index));
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, tenderer, "decision.recused", tender));
    d.payload = {{"tender_id", tender}, {"member", tenderer.account}, {"reason", reason}};
    // The open round (its voters, hence its count and quorum) loses the member.
    if (r && std::find(r->voters.begin(), r->voters.end(), tenderer.account) != r->voters.end()) {
      r->voters.erase(std::find(r->voters.begin(), r->voters.end(), tenderer.account));
      SUNBID_ASSIGN_OR_RETURN(
          Statement * up,
          db.cached(
              "UPDATE eval_vote_rounds SET voters_json = ? WHERE tender_id = ? AND round = ?"));
      up->bind(1, detail::serialize(detail::string_array(r->voters)))
          .bind(2, tender)
          .bind(3, std::int64_t{r->round});
      SUNBID_TRY(up->run());
      d.payload["round"] = r->round;
    }
    return txn.append(d);
  });
}

Result<StageResult> EvaluationService::decide(const core::Actor& tenderer,
                                              std::string_view tender) {
  SUNBID_TRY(detail::require_role(tenderer, "tenderer"));
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<StageResult>([&](WriteTxn& txn) -> Result<StageResult> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    if (tenderer.community_id != t.view.community_id) {
      return refusal("not_tenderer_of_community", "不是本小区的招标人",
                     "not a tenderer of this community");
    }
    // Idempotent: a decision already made is answered as stored, nothing appended.
    SUNBID_ASSIGN_OR_RETURN(std::optional<StageResult> stored, stored_decision(db, tender));
    if (stored) return std::move(*stored);
    SUNBID_TRY(detail::require_status(t, core::TenderStatus::deciding));
    SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
    if (p) {
      return refusal("decision_pending_draw", "定标等待抽取信标",
                     "the decision waits for a draw's beacon", {{"purpose", p->purpose}});
    }
    if (core::has_vote(t.rules.decision.method)) {
      // The vote decides by itself when it closes (catch_up above): while
      // it is open nobody's click can decide it.
      SUNBID_ASSIGN_OR_RETURN(std::optional<Round> r, current_round(db, tender));
      boost::json::object details;
      if (r) details["closes_at"] = core::format_rfc3339_ms(r->closes_ms);
      return refusal("vote_window_open", "表决期尚未结束，表决结束后由平台自动定标",
                     "the vote window has not closed; the platform decides when it closes",
                     std::move(details));
    }
    return run_method(txn, t, &tenderer);
  });
}

Result<bool> EvaluationService::decide_if_due(std::string_view tender) {
  return ledger_.run<bool>([&](WriteTxn& txn) -> Result<bool> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    const auto method = t.rules.decision.method;
    if (t.view.status != core::TenderStatus::deciding || !core::has_vote(method)) return false;
    SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
    if (p) return false;  // waits for the beacon
    SUNBID_ASSIGN_OR_RETURN(std::optional<Round> r, current_round(db, tender));
    if (!r || r->paused_ms) return false;
    bool closed = txn.now_ms() >= r->closes_ms;
    if (!closed && method != DecisionMethod::owners_vote) {
      SUNBID_ASSIGN_OR_RETURN(auto votes, round_votes(db, tender, r->round));
      closed = votes.size() == r->voters.size();
    }
    if (!closed) return false;
    SUNBID_TRY(run_method(txn, t, nullptr));
    return true;
  });
}

Status detail::resume_decision_draw(WriteTxn& txn, const TenderInfo& t, const PendingDraw& pending,
                                    const DrawBasis& basis, StageResult& out,
                                    boost::json::object& payload) {
  auto& db = txn.db();
  SUNBID_TRY(require_status(t, core::TenderStatus::deciding));
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> cands, tender_candidates(db, t.view.id));
  SUNBID_ASSIGN_OR_RETURN(std::vector<ValidBid> bids, valid_bids(db, t.view.id));
  SUNBID_ASSIGN_OR_RETURN(std::optional<Round> r, current_round(db, t.view.id));
  const auto method = t.rules.decision.method;
  payload["method"] = core::to_string(method);
  const std::string& purpose = pending.purpose;
  if (purpose == draw_purpose::kTieBreak && method == DecisionMethod::lowest_price) {
    SUNBID_ASSIGN_OR_RETURN(LowestPriceResult lp, lowest_price(priced(bids, cands), basis.seed));
    boost::json::array in;
    for (const auto& c : lp.candidates) {
      in.push_back({{"bid_id", c.bid_id}, {"price_fen", c.price_fen}});
    }
    payload["inputs"] = {{"prices", std::move(in)}};
    payload["decision"] = decision_json(lp.decision);
    return award(txn, t, lp.decision.winner, out, payload);
  }
  if (purpose == draw_purpose::kTieBreak && method == DecisionMethod::composite_score) {
    SUNBID_ASSIGN_OR_RETURN(auto inputs, composite_inputs(db, t, cands));
    SUNBID_ASSIGN_OR_RETURN(CompositeResult cr,
                            composite_score(composite_params(t.rules), inputs, basis.seed));
    boost::json::array in;
    for (const auto& c : cr.candidates) {
      in.push_back({{"bid_id", c.bid_id},
                    {"price_fen", c.price_fen},
                    {"credit_score", c.credit_score},
                    {"stars", c.stars}});
    }
    payload["inputs"] = {{"candidates", std::move(in)},
                         {"params", core::to_json(t.rules).at("decision")}};
    payload["decision"] = decision_json(cr.decision);
    return award(txn, t, cr.decision.winner, out, payload);
  }
  if (purpose == draw_purpose::kLottery && method == DecisionMethod::lottery) {
    SUNBID_ASSIGN_OR_RETURN(Decision d, lottery(cands, basis.seed));
    payload["inputs"] = {{"candidates", string_array(cands)}};
    payload["decision"] = decision_json(d);
    return award(txn, t, d.winner, out, payload);
  }
  if (method == DecisionMethod::vote_then_lottery && r &&
      (purpose == draw_purpose::kShortlistTie || purpose == draw_purpose::kLottery)) {
    SUNBID_ASSIGN_OR_RETURN(auto votes, round_votes(db, t.view.id, r->round));
    std::optional<Hash> shortlist_seed, lottery_seed;
    if (purpose == draw_purpose::kShortlistTie) {
      shortlist_seed = basis.seed;
    } else {
      SUNBID_ASSIGN_OR_RETURN(shortlist_seed, seed_from(pending.context, "shortlist_seed"));
      lottery_seed = basis.seed;
    }
    SUNBID_ASSIGN_OR_RETURN(
        VoteThenLotteryResult v,
        vote_then_lottery(
            r->voters, r->candidates, votes,
            static_cast<std::size_t>(t.rules.decision.vote_then_lottery->shortlist_size),
            shortlist_seed, lottery_seed));
    if (shortlist_seed) payload["shortlist_seed"] = hex_encode(*shortlist_seed);
    payload["decision"] = decision_json(v.decision);
    return apply_vote_then_lottery(txn, t, *r, v, shortlist_seed, out, payload);
  }
  if (purpose == draw_purpose::kRunoffTie && method == DecisionMethod::owners_vote) {
    Cutoff c;
    c.certain = strings_of(pending.context.at("certain"));
    c.tied = strings_of(pending.context.at("tied"));
    c.draw_count = static_cast<std::size_t>(pending.context.at("draw_count").as_int64());
    auto two = resolve_cutoff(c, basis.seed);
    payload["inputs"] = pending.context;
    return open_round(txn, t, 2, std::move(two), {}, out, payload);
  }
  if (purpose == draw_purpose::kEliminationTie && method == DecisionMethod::committee_vote && r) {
    SUNBID_ASSIGN_OR_RETURN(auto votes, round_votes(db, t.view.id, r->round));
    SUNBID_ASSIGN_OR_RETURN(CommitteeRound cr,
                            committee_vote_round(r->voters, r->candidates, votes, basis.seed));
    return apply_committee_round(txn, t, *r, cr, out, payload);
  }
  return make_error(audit::kStorageError,
                    "待定抽取与定标方法不符 / the pending draw does not fit the method");
}

Result<boost::json::object> EvaluationService::decision(audit::Database& db,
                                                        std::string_view tender,
                                                        const core::Actor& viewer) {
  if (viewer.role == "evaluator") {
    return refusal("not_allowed", "评标专家不得查看定标信息",
                   "evaluators may not read the decision");
  }
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT state, round, result_json FROM eval_decisions WHERE "
                                    "tender_id = ?"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  boost::json::object out;
  if (!row) {
    st->reset();
    out["state"] = "not_started";
    return out;
  }
  out["state"] = std::string(st->column_text(0));
  out["round"] = st->column_int64(1);
  auto v = detail::parse_json(st->column_text(2));
  st->reset();
  if (!v.ok()) return std::move(v).error();
  out["result"] = *v;
  return out;
}

}  // namespace sunbid::eval

namespace sunbid::eval {

namespace {

// A round is closed once its window has closed or it has been decided (a
// committee round may be decided early once every voter voted).
Result<std::map<int, bool>> rounds_closed(audit::Database& db, std::string_view tender,
                                          std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(Statement * d, db.cached("SELECT state, round FROM eval_decisions "
                                                   "WHERE tender_id = ?"));
  d->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool decided_row, d->step());
  bool finished = false;
  std::int64_t decided_round = 0;
  if (decided_row) {
    const std::string_view state = d->column_text(0);
    finished = state == "awarded" || state == "failed";
    decided_round = d->column_int64(1);
  }
  d->reset();
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT round, closes_ms, paused_ms FROM "
                                                    "eval_vote_rounds WHERE tender_id = ?"));
  st->bind(1, tender);
  std::map<int, bool> out;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    const auto round = st->column_int64(0);
    // A round paused by a suspension is open, whatever the clock says.
    const bool paused = !st->column_is_null(2);
    out[static_cast<int>(round)] =
        finished || round <= decided_round || (!paused && now_ms >= st->column_int64(1));
  }
  st->reset();
  return out;
}

}  // namespace

Result<std::optional<EvaluationService::VoteRoundOpen>> EvaluationService::open_round(
    audit::Database& db, std::string_view tender, std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(auto closed, rounds_closed(db, tender, now_ms));
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT round, opens_ms, closes_ms FROM "
                                                    "eval_vote_rounds WHERE tender_id = ? "
                                                    "ORDER BY round DESC LIMIT 1"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<VoteRoundOpen> out;
  if (row) {
    VoteRoundOpen r{st->column_int64(0), st->column_int64(1), st->column_int64(2)};
    if (r.opens_ms <= now_ms && !closed[static_cast<int>(r.round)]) out = r;
  }
  st->reset();
  return out;
}

Result<std::vector<VoteView>> EvaluationService::votes_visible_to(audit::Database& db,
                                                                  std::string_view tender,
                                                                  const core::Actor& viewer,
                                                                  std::int64_t now_ms) {
  if (viewer.role == "evaluator") {
    return refusal("not_allowed", "评标专家不得查看定标信息",
                   "evaluators may not read the decision");
  }
  SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
  SUNBID_ASSIGN_OR_RETURN(auto closed, rounds_closed(db, tender, now_ms));
  const bool supervisor = viewer.role == "supervisor";
  std::vector<VoteView> out;
  SUNBID_ASSIGN_OR_RETURN(
      Statement * b,
      db.cached("SELECT b.round, b.owner_key, b.choice, s.area_centi_m2 FROM eval_ballots b "
                "LEFT JOIN eval_roster_snapshot s ON s.tender_id = b.tender_id AND "
                "s.owner_key = b.owner_key WHERE b.tender_id = ? ORDER BY b.round, b.owner_key"));
  b->bind(1, tender);
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, b->step());
    if (!row) break;
    const int round = static_cast<int>(b->column_int64(0));
    const std::string owner_key(b->column_text(1));
    const bool mine = viewer.role == "owner" && !viewer.owner_key.empty() &&
                      viewer.owner_key == owner_key && viewer.community_id == t.view.community_id;
    if (!mine && !closed[round]) continue;
    VoteView v;
    v.round = round;
    v.kind = "ballot";
    if (mine || supervisor) v.voter = owner_key;
    v.area_centi_m2 = b->column_int64(3);
    if (!b->column_is_null(2)) v.choice = std::string(b->column_text(2));
    out.push_back(std::move(v));
  }
  b->reset();
  SUNBID_ASSIGN_OR_RETURN(Statement * c,
                          db.cached("SELECT round, member, bid_id FROM eval_committee_votes "
                                    "WHERE tender_id = ? ORDER BY round, member"));
  c->bind(1, tender);
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, c->step());
    if (!row) break;
    const int round = static_cast<int>(c->column_int64(0));
    std::string member(c->column_text(1));
    const bool mine = viewer.role == "tenderer" && viewer.account == member;
    if (!mine && !closed[round]) continue;
    out.push_back({round, "committee_vote", std::move(member), 0, std::string(c->column_text(2))});
  }
  c->reset();
  return out;
}

}  // namespace sunbid::eval
