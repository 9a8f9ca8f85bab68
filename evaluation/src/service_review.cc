// EvaluationService: the qualitative review (定性评审), its conclusion into
// the unranked candidate list, the candidate-cap draw and enter_beacon.
#include <algorithm>
#include <map>
#include <set>

#include "audit_log/canonical_json.h"
#include "decision_steps.h"
#include "eval_store.h"
#include "evaluation/draw.h"
#include "evaluation/review.h"
#include "evaluation/service.h"
#include "redraw.h"
#include "tender_core/tender_hooks.h"

namespace sunbid::eval {

using audit::Statement;
using audit::WriteTxn;
using detail::refusal;

namespace {

struct StoredReview {
  std::string member;
  std::string bid_id;
  boost::json::object marks;  // {bid_id, marks, strengths, weaknesses, risks}
};

Result<std::vector<StoredReview>> stored_reviews(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT member, bid_id, marks_json FROM eval_reviews WHERE "
                                    "tender_id = ? AND void = 0 ORDER BY member, bid_id"));
  st->bind(1, tender);
  std::vector<StoredReview> out;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    StoredReview r{std::string(st->column_text(0)), std::string(st->column_text(1)), {}};
    auto v = detail::parse_json(st->column_text(2));
    if (!v.ok() || !v->is_object()) {
      st->reset();
      return make_error(audit::kStorageError, "评审记录损坏 / a stored review is corrupt");
    }
    r.marks = v->get_object();
    out.push_back(std::move(r));
  }
  st->reset();
  return out;
}

ReviewSubmission to_submission(const StoredReview& r) {
  ReviewSubmission s{r.member, r.bid_id, {}};
  for (const auto& m : r.marks.at("marks").as_array()) {
    const auto& o = m.as_object();
    s.marks.push_back({std::string(o.at("criterion").as_string()), o.at("pass").as_bool(),
                       std::string(o.at("reason").as_string())});
  }
  return s;
}

CapMethod cap_method(const core::TenderRules& rules) {
  return rules.candidate_cap_method == core::CandidateCapMethod::lottery ? CapMethod::kLottery
                                                                         : CapMethod::kLowestPrice;
}

boost::json::array qualified_json(const std::vector<QualifiedBid>& q) {
  boost::json::array a;
  for (const auto& b : q) a.push_back({{"bid_id", b.bid_id}, {"price_fen", b.price_fen}});
  return a;
}

// Publicizes the narrowed list or leaves a pending candidate_cap draw.
Status apply_candidates(WriteTxn& txn, const detail::TenderInfo& t, const CandidateList& list,
                        StageResult& out, boost::json::object& payload) {
  payload["cap"] = list.cap;
  payload["cap_method"] = core::to_string(t.rules.candidate_cap_method);
  payload["qualified_prices"] = qualified_json(list.qualified);
  payload["cutoff"] = {{"certain", detail::string_array(list.cutoff.certain)},
                       {"tied", detail::string_array(list.cutoff.tied)},
                       {"draw_count", list.cutoff.draw_count}};
  if (list.candidates) {
    SUNBID_ASSIGN_OR_RETURN(core::PublicityWindow w,
                            core::publicize_candidates(txn, t.view.id, *list.candidates));
    payload["candidates"] = detail::string_array(*list.candidates);
    payload["publicity"] = core::to_json(w);
    out.next = "candidates_publicized";
    out.candidates = *list.candidates;
    return {};
  }
  boost::json::object ctx{{"qualified", qualified_json(list.qualified)}};
  SUNBID_TRY(detail::set_pending_draw(txn.db(), t.view.id, draw_purpose::kCandidateCap,
                                      txn.log_size(), ctx));
  payload["pending_draw"] = draw_purpose::kCandidateCap;
  out.next = "draw:candidate_cap";
  return {};
}

// The 中标候选人公示 of a stage that publicized the candidates: each
// candidate's review summary — per criterion, how many seats marked it 合格
// (the public review.concluded report's counts; no score, no rank).
Status publish_candidates_if_publicized(WriteTxn& txn, const detail::TenderInfo& t,
                                        const StageResult& out) {
  if (out.next != "candidates_publicized" || !out.candidates) return {};
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(auto stored, stored_reviews(db, t.view.id));
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> seats, detail::active_members(db, t.view.id));
  std::vector<core::CandidateReview> reviews;
  for (const auto& bid_id : *out.candidates) {
    core::CandidateReview c{bid_id, {}};
    for (const auto& k : t.rules.criteria) {
      std::int64_t passed = 0;
      for (const auto& r : stored) {
        if (r.bid_id != bid_id || std::find(seats.begin(), seats.end(), r.member) == seats.end()) {
          continue;
        }
        for (const auto& m : to_submission(r).marks) {
          if (m.criterion == k.code && m.pass) ++passed;
        }
      }
      c.criteria.push_back({k.title, passed});
    }
    reviews.push_back(std::move(c));
  }
  return core::publish_candidate_notice(txn, t.view.id, static_cast<std::int64_t>(seats.size()),
                                        reviews);
}

// The review is complete: aggregate, log the evaluation report, narrow. The
// report names seats, not members: seat k is members[k - 1] (the active
// members in draw order), a mapping only the withheld review.submitted
// entries carry, so the committee stays confidential until the decision.
Status conclude(WriteTxn& txn, const detail::TenderInfo& t, const std::vector<std::string>& members,
                const std::vector<detail::ValidBid>& bids, StageResult& out,
                boost::json::object& payload) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(auto stored, stored_reviews(db, t.view.id));
  std::vector<ReviewSubmission> subs;
  for (const auto& r : stored) subs.push_back(to_submission(r));
  std::vector<std::string> bid_ids, criteria;
  for (const auto& b : bids) bid_ids.push_back(b.bid_id);
  for (const auto& c : t.rules.criteria) criteria.push_back(c.code);
  SUNBID_ASSIGN_OR_RETURN(ReviewOutcome outcome,
                          aggregate_review(members, bid_ids, criteria, subs));
  std::map<std::string, std::int64_t> seat_of;
  for (std::size_t i = 0; i < members.size(); ++i) {
    seat_of[members[i]] = static_cast<std::int64_t>(i) + 1;
  }
  const auto by_seat = [](const boost::json::value& a, const boost::json::value& b) {
    return a.at("seat").as_int64() < b.at("seat").as_int64();
  };
  boost::json::array report;
  for (const auto& b : outcome.bids) {
    boost::json::array crit;
    for (const auto& c : b.criteria) {
      boost::json::array reasons;
      for (const auto& r : c.reasons)
        reasons.push_back({{"seat", seat_of.at(r.member)}, {"reason", r.reason}});
      std::sort(reasons.begin(), reasons.end(), by_seat);
      crit.push_back({{"criterion", c.criterion},
                      {"pass_count", c.pass_count},
                      {"fail_count", c.fail_count},
                      {"failed", c.failed},
                      {"reasons", std::move(reasons)}});
    }
    boost::json::array remarks;
    for (const auto& r : stored) {
      if (r.bid_id != b.bid_id) continue;
      remarks.push_back({{"seat", seat_of.at(r.member)},
                         {"strengths", r.marks.at("strengths")},
                         {"weaknesses", r.marks.at("weaknesses")},
                         {"risks", r.marks.at("risks")}});
    }
    std::sort(remarks.begin(), remarks.end(), by_seat);
    report.push_back({{"bid_id", b.bid_id},
                      {"qualified", b.qualified},
                      {"criteria", std::move(crit)},
                      {"remarks", std::move(remarks)}});
  }
  payload["report"] = {{"seats", static_cast<std::int64_t>(members.size())},
                       {"criteria", detail::string_array(outcome.criteria)},
                       {"bids", std::move(report)}};
  payload["qualified"] = detail::string_array(outcome.qualified);
  payload["min_valid_bids"] = t.rules.min_valid_bids;
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("INSERT INTO eval_review_state(tender_id, concluded_ms, concluded_idx, "
                "qualified_json) VALUES (?, ?, ?, ?)"));
  st->bind(1, t.view.id).bind(2, txn.now_ms()).bind(3, static_cast<std::int64_t>(txn.log_size()));
  st->bind(4, detail::serialize(detail::string_array(outcome.qualified)));
  SUNBID_TRY(st->run());
  if (static_cast<std::int64_t>(outcome.qualified.size()) < t.rules.min_valid_bids) {
    SUNBID_TRY(core::fail_in_txn(txn, t.view.id, "too_few_qualified"));
    SUNBID_TRY(detail::release_committee_entries(txn, t.view.id));
    payload["result"] = "failed";
    out.next = "failed";
    return {};
  }
  std::vector<QualifiedBid> q;
  for (const auto& b : bids) {
    if (std::binary_search(outcome.qualified.begin(), outcome.qualified.end(), b.bid_id)) {
      q.push_back({b.bid_id, b.price_fen});
    }
  }
  SUNBID_ASSIGN_OR_RETURN(CandidateList list,
                          narrow_candidates(q, static_cast<std::size_t>(t.rules.candidate_cap),
                                            cap_method(t.rules), std::nullopt));
  return apply_candidates(txn, t, list, out, payload);
}

}  // namespace

Result<StageResult> EvaluationService::submit_review(const core::Actor& evaluator,
                                                     std::string_view tender,
                                                     const ReviewInput& in) {
  SUNBID_TRY(detail::require_role(evaluator, "evaluator"));
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<StageResult>([&](WriteTxn& txn) -> Result<StageResult> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    SUNBID_ASSIGN_OR_RETURN(bool closed, detail::review_concluded(db, tender));
    if (closed || t.view.status != core::TenderStatus::reviewing) {
      return refusal("review_closed", "评审不在进行中", "the review is not open",
                     {{"status", core::to_string(t.view.status)}});
    }
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> members, detail::active_members(db, tender));
    if (std::find(members.begin(), members.end(), evaluator.account) == members.end()) {
      return refusal("not_a_committee_member", "不是本项目评标委员会的在任成员",
                     "not an active member of this tender's committee");
    }
    SUNBID_ASSIGN_OR_RETURN(Statement * dec,
                            db.cached("SELECT declared FROM eval_committee WHERE tender_id = ? "
                                      "AND account = ?"));
    dec->bind(1, tender).bind(2, evaluator.account);
    SUNBID_ASSIGN_OR_RETURN(bool drow, dec->step());
    const bool declared = drow && dec->column_int64(0) != 0;
    dec->reset();
    if (!declared) {
      return refusal("not_declared", "须先声明无利害关系", "declare no conflict first");
    }
    SUNBID_ASSIGN_OR_RETURN(std::vector<detail::ValidBid> bids, detail::valid_bids(db, tender));
    SUNBID_ASSIGN_OR_RETURN(Statement * prior,
                            db.cached("SELECT 1 FROM eval_reviews WHERE tender_id = ? AND "
                                      "member = ? AND bid_id = ? AND void = 0"));
    prior->bind(1, tender).bind(2, evaluator.account).bind(3, in.bid_id);
    SUNBID_ASSIGN_OR_RETURN(bool done, prior->step());
    prior->reset();
    if (done) {
      return refusal("already_submitted", "评审意见一经提交不可更改",
                     "marks are final once submitted", {{"bid_id", in.bid_id}});
    }
    ReviewSubmission sub{evaluator.account, in.bid_id, {}};
    for (const auto& m : in.marks)
      sub.marks.push_back({m.criterion, m.pass, m.reason.value_or("")});
    std::vector<std::string> bid_ids, criteria;
    for (const auto& b : bids) bid_ids.push_back(b.bid_id);
    for (const auto& c : t.rules.criteria) criteria.push_back(c.code);
    SUNBID_TRY(validate_review_submission(members, bid_ids, criteria, sub));
    // The marks in the tender's criteria order, a reason kept for fails only:
    // the form the evaluation report reproduces, so its digest binds the
    // report to what was submitted (recompute.h checks it).
    boost::json::array marks;
    for (const auto& code : criteria) {
      for (const auto& m : in.marks) {
        if (m.criterion != code) continue;
        marks.push_back({{"criterion", code},
                         {"pass", m.pass},
                         {"reason", m.pass ? std::string() : m.reason.value_or("")}});
      }
    }
    boost::json::object stored{{"bid_id", in.bid_id},
                               {"marks", std::move(marks)},
                               {"strengths", in.strengths.value_or("")},
                               {"weaknesses", in.weaknesses.value_or("")},
                               {"risks", in.risks.value_or("")}};
    const std::string stored_text = detail::serialize(stored);
    SUNBID_ASSIGN_OR_RETURN(std::string canonical, audit::to_canonical_json(stored));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT OR REPLACE INTO eval_reviews(tender_id, member, bid_id, marks_json, "
                  "strengths, weaknesses, risks, submitted_ms, void) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)"));
    ins->bind(1, tender).bind(2, evaluator.account).bind(3, in.bid_id).bind(4, stored_text);
    ins->bind(5, in.strengths.value_or("")).bind(6, in.weaknesses.value_or(""));
    ins->bind(7, in.risks.value_or("")).bind(8, txn.now_ms());
    SUNBID_TRY(ins->run());

    // Complete when every active member has a non-void review of every valid bid.
    SUNBID_ASSIGN_OR_RETURN(
        Statement * cnt,
        db.cached("SELECT COUNT(*) FROM eval_reviews r JOIN eval_committee c ON "
                  "c.tender_id = r.tender_id AND c.account = r.member WHERE r.tender_id = ? AND "
                  "r.void = 0 AND c.status = 'member'"));
    cnt->bind(1, tender);
    SUNBID_ASSIGN_OR_RETURN(bool crow, cnt->step());
    const std::int64_t have = crow ? cnt->column_int64(0) : 0;
    cnt->reset();
    const auto need = static_cast<std::int64_t>(members.size() * bids.size());
    const bool seats_full = static_cast<std::int32_t>(members.size()) == t.rules.committee_size;

    StageResult out;
    out.next = "reviewing";
    const bool completes = seats_full && have == need;
    boost::json::object submitted{{"tender_id", tender},
                                  {"member", evaluator.account},
                                  {"bid_id", in.bid_id},
                                  // The marks enter the log only as a digest.
                                  {"marks_sha256", hex_encode(sha256(canonical))}};
    // The completing submission maps the report's seats to the members.
    if (completes) submitted["seats"] = detail::string_array(members);
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, evaluator, "review.submitted", tender));
    d.payload = submitted;
    detail::withhold_until_decision(d);  // names a member: public after the decision
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
    out.record = std::move(submitted);
    if (!completes) return out;
    // The conclusion is its own public entry, by the system: the evaluation
    // report by seat, the qualified bids and the candidates.
    boost::json::object payload{{"tender_id", tender},
                                {"payload_version", kReviewConcludedPayloadVersion}};
    SUNBID_TRY(conclude(txn, t, members, bids, out, payload));
    audit::EntryDraft c;
    c.type = "review.concluded";
    c.tender = std::string(tender);
    c.payload = payload;
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(c));
    // 流标公告 or 中标候选人公示 after the conclusion (docs/documents.md).
    if (out.next == "failed") {
      SUNBID_TRY(core::publish_failure_notice(txn, tender, "too_few_qualified"));
    }
    SUNBID_TRY(publish_candidates_if_publicized(txn, t, out));
    // 评标报告 by seat: withheld until the decision, unless the review ended
    // the tender (the committee is public then, and so are the names).
    boost::json::object report = payload.at("report").as_object();
    boost::json::object titles;
    for (const auto& k : t.rules.criteria) titles[k.code] = k.title;
    report["criteria_titles"] = std::move(titles);
    SUNBID_TRY(core::publish_evaluation_report(txn, tender, report, out.next != "failed"));
    if (out.next == "failed") SUNBID_TRY(detail::publish_named_report(txn, tender));
    out.record = std::move(payload);
    return out;
  });
}

Result<StageResult> EvaluationService::enter_beacon(const core::Actor& supervisor,
                                                    std::string_view tender,
                                                    std::string_view purpose,
                                                    std::string_view beacon,
                                                    std::string_view beacon_date) {
  SUNBID_TRY(detail::require_role(supervisor, "supervisor"));
  SUNBID_TRY(detail::check_beacon(beacon, beacon_date));
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<StageResult>([&](WriteTxn& txn) -> Result<StageResult> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> pending,
                            detail::pending_draw(db, tender));
    if (!pending || pending->purpose != purpose) {
      return refusal("no_pending_draw", "没有等待该信标的抽取",
                     "no draw of this purpose is pending",
                     {{"purpose", purpose},
                      {"pending", pending ? boost::json::value(pending->purpose)
                                          : boost::json::value(nullptr)}});
    }
    if (detail::is_replacement_purpose(purpose)) {
      return detail::replacement_draw(txn, supervisor, t, *pending, beacon, beacon_date,
                                      is_rest_day_);
    }
    SUNBID_ASSIGN_OR_RETURN(detail::DrawBasis basis,
                            detail::draw_basis(txn, tender, purpose, pending->fixed_index, beacon,
                                               beacon_date, is_rest_day_));
    SUNBID_TRY(detail::clear_pending_draw(db, tender));
    SUNBID_TRY(detail::record_draw(txn, tender, basis, purpose, beacon, beacon_date));
    StageResult out;
    boost::json::object payload{{"tender_id", tender}, {"draw", basis.json}};
    if (purpose == draw_purpose::kCandidateCap) {
      if (t.view.status != core::TenderStatus::reviewing) {
        return detail::require_status(t, core::TenderStatus::reviewing).error();
      }
      std::vector<QualifiedBid> q;
      for (const auto& b : pending->context.at("qualified").as_array()) {
        q.push_back({std::string(b.at("bid_id").as_string()), b.at("price_fen").as_int64()});
      }
      SUNBID_ASSIGN_OR_RETURN(CandidateList list,
                              narrow_candidates(q, static_cast<std::size_t>(t.rules.candidate_cap),
                                                cap_method(t.rules), basis.seed));
      SUNBID_TRY(apply_candidates(txn, t, list, out, payload));
    } else {
      SUNBID_TRY(detail::resume_decision_draw(txn, t, *pending, basis, out, payload));
    }
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, supervisor, "draw.made", tender));
    d.payload = payload;
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
    if (purpose != draw_purpose::kCandidateCap) {
      SUNBID_TRY(detail::record_decision_index(db, tender, out.log_index));
    }
    // The notice of what the draw made public, after its entry (docs/documents.md).
    SUNBID_TRY(publish_candidates_if_publicized(txn, t, out));
    if (out.next == "award_publicized") SUNBID_TRY(core::publish_award_notice(txn, tender));
    if (out.next == "award_publicized" || out.next == "failed") {
      SUNBID_TRY(detail::publish_named_report(txn, tender));  // the committee is public
    }
    out.record = std::move(payload);
    return out;
  });
}

Result<std::vector<MarksView>> EvaluationService::marks_visible_to(audit::Database& db,
                                                                   std::string_view tender,
                                                                   const core::Actor& viewer) {
  SUNBID_ASSIGN_OR_RETURN(auto stored, stored_reviews(db, tender));
  SUNBID_ASSIGN_OR_RETURN(bool concluded, detail::review_concluded(db, tender));
  SUNBID_ASSIGN_OR_RETURN(bool names_public, detail::committee_public(db, tender));
  SUNBID_ASSIGN_OR_RETURN(std::vector<detail::ValidBid> bids, detail::valid_bids(db, tender));
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> seats, detail::active_members(db, tender));
  bool drawn = false;
  if (viewer.role == "evaluator") {
    SUNBID_ASSIGN_OR_RETURN(
        std::vector<std::string> row,
        db.query_strings("SELECT account FROM eval_committee WHERE tender_id = ? AND account = ?",
                         {tender, viewer.account}));
    drawn = !row.empty();
  }
  // Before the decision only supervisors and the drawn evaluators see who
  // marked what; everybody else sees the seat (as in the evaluation report).
  const bool named = names_public || viewer.role == "supervisor" || drawn;
  std::map<std::string, std::size_t> per_member;
  for (const auto& r : stored) ++per_member[r.member];
  const auto complete = [&](const std::string& m) { return per_member[m] == bids.size(); };
  std::vector<MarksView> out;
  for (const auto& r : stored) {
    // Supervisors see progress (review_progress), not marks, until the
    // review concludes (security A8).
    bool visible = concluded;
    if (viewer.role == "evaluator") {
      // Independence: another's marks only once both have marked every bid.
      visible =
          visible || r.member == viewer.account || (complete(r.member) && complete(viewer.account));
    }
    if (!visible) continue;
    std::string who = r.member;
    if (!named) {
      const auto it = std::find(seats.begin(), seats.end(), r.member);
      who = std::to_string(it - seats.begin() + 1);
    }
    out.push_back({std::move(who), r.bid_id, r.marks});
  }
  return out;
}

Result<std::vector<ReviewProgress>> EvaluationService::review_progress(audit::Database& db,
                                                                       std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<detail::ValidBid> bids, detail::valid_bids(db, tender));
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> seats, detail::active_members(db, tender));
  SUNBID_ASSIGN_OR_RETURN(auto stored, stored_reviews(db, tender));
  std::vector<ReviewProgress> out;
  for (const auto& m : seats) {
    ReviewProgress p{m, 0, bids.size()};
    for (const auto& r : stored) p.submitted += r.member == m ? 1 : 0;
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<std::string>> EvaluationService::candidates(audit::Database& db,
                                                               std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> out, core::candidate_bid_ids(db, tender));
  if (out.empty()) {
    return refusal("candidates_not_public", "候选人尚未公示", "the candidates are not publicized");
  }
  return out;
}

}  // namespace sunbid::eval
