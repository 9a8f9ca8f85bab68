// EvaluationService: the expert pool, the committee draw, declarations and
// replacements (补抽), the clearing report and the committee readers.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <limits>
#include <map>
#include <set>

#include "eval_store.h"
#include "evaluation/committee_draw.h"
#include "evaluation/draw.h"
#include "evaluation/service.h"
#include "redraw.h"
#include "tender_core/calendar.h"
#include "tender_core/tender_hooks.h"

namespace sunbid::eval {

using audit::Statement;
using audit::WriteTxn;
using detail::refusal;

namespace {

Result<ClearingReport> compute_clearing(audit::Database& db, const detail::TenderInfo& t) {
  SUNBID_ASSIGN_OR_RETURN(auto opened, core::opened_bids(db, t.view.id));
  std::vector<ClearingBid> bids;
  for (auto& b : opened) {
    ClearingBid c{b.bid_id, b.bid, ""};
    SUNBID_ASSIGN_OR_RETURN(auto digest, core::bid_address_digest(db, t.view.id, b.bid_id));
    if (digest) c.source_digest = std::move(*digest);
    bids.push_back(std::move(c));
  }
  return clearing_report(bids, t.tier);
}

struct MemberRow {
  std::string status;
  bool declared = false;
};

Result<std::optional<MemberRow>> member_row(audit::Database& db, std::string_view tender,
                                            std::string_view account) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT status, declared FROM eval_committee "
                                                    "WHERE tender_id = ? AND account = ?"));
  st->bind(1, tender).bind(2, account);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<MemberRow> out;
  if (row) out = MemberRow{std::string(st->column_text(0)), st->column_int64(1) != 0};
  st->reset();
  return out;
}

Status set_member_status(audit::Database& db, std::string_view tender, std::string_view account,
                         std::string_view status) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("UPDATE eval_committee SET status = ? WHERE "
                                                    "tender_id = ? AND account = ?"));
  st->bind(1, status).bind(2, tender).bind(3, account);
  return st->run();
}

// The next reserve takes a seat (succession, next_reserve in
// docs/committee-draw.md): a specialty minimum the departure left unmet goes
// to the first reserve holding it, otherwise the first reserve. Called once
// the leaving member is no longer 'member'. Returns the successor, or
// nullopt when no reserve is left or none holds an unmet minimum (the seat
// then goes to a fresh draw, open_replacement_if_vacant).
Result<std::optional<std::string>> promote_reserve(audit::Database& db,
                                                   const detail::TenderInfo& t) {
  const std::string& tender = t.view.id;
  SUNBID_ASSIGN_OR_RETURN(detail::SeatState s, detail::seat_state(db, tender));
  std::vector<std::vector<std::string>> reserve_s;
  for (const auto& a : s.reserves) reserve_s.push_back(s.specialties[a]);
  const auto i = next_reserve(detail::counted_seated(s), reserve_s, detail::tender_quotas(t));
  std::optional<std::string> next;
  if (i) next = s.reserves[*i];
  if (next) SUNBID_TRY(set_member_status(db, tender, *next, "member"));
  return next;
}

Status require_member(const std::optional<MemberRow>& m, std::string_view account) {
  if (m && m->status == "member") return {};
  return refusal("not_a_committee_member", "不是本项目评标委员会的在任成员",
                 "not an active member of this tender's committee", {{"account", account}});
}

}  // namespace

Result<CommitteeDrawn> EvaluationService::draw_committee(const core::Actor& supervisor,
                                                         std::string_view tender,
                                                         std::string_view beacon,
                                                         std::string_view beacon_date) {
  SUNBID_TRY(detail::require_role(supervisor, "supervisor"));
  SUNBID_TRY(detail::check_beacon(beacon, beacon_date));
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<CommitteeDrawn>([&](WriteTxn& txn) -> Result<CommitteeDrawn> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    SUNBID_TRY(detail::require_status(t, core::TenderStatus::opened));
    // The list committed after the bid closing (commit_pool_if_due, run by
    // catch_up): its positions are what the draw samples.
    SUNBID_ASSIGN_OR_RETURN(Statement * st,
                            db.cached("SELECT log_index, fixed_index, list_json FROM "
                                      "eval_pool_commitments WHERE tender_id = ? AND purpose = ?"));
    st->bind(1, tender).bind(2, draw_purpose::kCommittee);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) {
      st->reset();
      return refusal("pool_not_committed", "专家名单尚未承诺（投标截止后生成）",
                     "the expert list is not committed yet (it is, once bidding has closed)");
    }
    const auto commitment_index = static_cast<std::uint64_t>(st->column_int64(0));
    const auto fixed_index = static_cast<std::uint64_t>(st->column_int64(1));
    std::string list_text(st->column_text(2));
    st->reset();
    SUNBID_ASSIGN_OR_RETURN(boost::json::value committed, detail::parse_json(list_text));
    const auto& c = committed.as_object();
    std::vector<Expert> pool;
    for (const auto& v : c.at("pool").as_array()) pool.push_back(detail::expert_of(v.as_object()));
    const auto bidders = detail::strings_of(c.at("bidder_usccs"));
    const auto excluded = detail::strings_of(c.at("excluded_accounts"));
    std::map<std::string, const Expert*> by_account;
    for (const auto& e : pool) by_account[e.account] = &e;
    std::vector<Expert> list;
    for (const auto& v : c.at("list").as_array()) {
      list.push_back(*by_account.at(std::string(v.at("account").as_string())));
    }
    SUNBID_ASSIGN_OR_RETURN(PoolSplit split, split_pool(pool, bidders, excluded));
    SUNBID_ASSIGN_OR_RETURN(
        detail::DrawBasis basis,
        detail::draw_basis(txn, tender, draw_purpose::kCommittee, fixed_index, beacon, beacon_date,
                           is_rest_day_, commitment_index));
    const auto size = static_cast<std::size_t>(t.rules.committee_size);
    std::vector<SpecialtyQuota> quotas;
    boost::json::array quota_json;
    for (const auto& q : t.rules.committee_specialties) {
      quotas.push_back({q.specialty, static_cast<std::size_t>(q.min)});
      quota_json.push_back({{"specialty", q.specialty}, {"min", q.min}});
    }
    SUNBID_ASSIGN_OR_RETURN(PositionDraw drawn,
                            draw_positions(list, quotas, size, size, basis.seed));
    CommitteeDrawn out;
    for (const auto p : drawn.members) out.members.push_back(list[p].account);
    for (const auto p : drawn.reserves) out.reserves.push_back(list[p].account);
    std::int64_t order = 0;
    for (const auto* accounts : {&out.members, &out.reserves}) {
      for (const auto& account : *accounts) {
        SUNBID_ASSIGN_OR_RETURN(
            Statement * ins,
            db.cached("INSERT INTO eval_committee(tender_id, account, draw_order, status) "
                      "VALUES (?, ?, ?, ?)"));
        ins->bind(1, tender).bind(2, account).bind(3, order++);
        ins->bind(4, accounts == &out.members ? "member" : "reserve");
        SUNBID_TRY(ins->run());
      }
    }
    SUNBID_ASSIGN_OR_RETURN(ClearingReport clearing, compute_clearing(db, t));
    const std::string clearing_json = detail::serialize(to_json(clearing));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * cl,
        db.cached("INSERT INTO eval_clearing(tender_id, report_json) VALUES (?, ?)"));
    cl->bind(1, tender).bind(2, clearing_json);
    SUNBID_TRY(cl->run());
    SUNBID_TRY(
        detail::record_draw(txn, tender, basis, draw_purpose::kCommittee, beacon, beacon_date));
    SUNBID_TRY(core::mark_reviewing(txn, tender));

    boost::json::array exclusions;
    for (const auto& e : split.exclusions) {
      exclusions.push_back(
          {{"account", e.account}, {"reason", e.reason}, {"bidder_uscc", e.bidder_uscc}});
    }
    boost::json::array pool_json;
    for (const auto& e : pool) pool_json.push_back(detail::expert_json(e));
    boost::json::array positions;
    for (const auto* ps : {&drawn.members, &drawn.reserves}) {
      for (const auto p : *ps) positions.emplace_back(p);
    }
    boost::json::object payload;
    // Version 3 (docs/committee-draw.md): the opening of the committed list
    // (salts, order) and the pool as of the bid closing; released with the
    // decision, so the trail rechecks commitments, exclusions, quota and
    // positions.
    payload["payload_version"] = kCommitteeDrawnPoolListVersion;
    payload["tender_id"] = tender;
    payload["draw"] = basis.json;
    payload["commitment_index"] = commitment_index;
    payload["pool"] = std::move(pool_json);
    payload["list"] = c.at("list");
    payload["inputs"] = {{"pool_size", pool.size()},
                         {"pool_digest", hex_encode(expert_pool_digest(pool))},
                         {"bidder_usccs", detail::string_array(bidders)},
                         {"excluded_accounts", detail::string_array(excluded)},
                         {"committee_size", size},
                         {"reserve_size", size},
                         {"committee_specialties", std::move(quota_json)}};
    payload["exclusions"] = std::move(exclusions);
    payload["eligible_count"] = list.size();
    payload["positions"] = std::move(positions);
    payload["members"] = detail::string_array(out.members);
    payload["reserves"] = detail::string_array(out.reserves);
    // The report itself is for the committee and supervisors; the log fixes it by digest.
    payload["clearing_sha256"] = hex_encode(sha256(clearing_json));
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, supervisor, "committee.drawn", tender));
    d.payload = payload;
    detail::withhold_until_decision(d);
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
    out.seed_hex = hex_encode(basis.seed);
    out.checkpoint_size = basis.checkpoint.tree_size;
    out.checkpoint_root_hex = hex_encode(basis.checkpoint.root);
    out.record = std::move(payload);
    return out;
  });
}

Result<SeatChange> EvaluationService::declare(const core::Actor& evaluator, std::string_view tender,
                                              bool no_conflict,
                                              std::optional<std::string> detail_text) {
  SUNBID_TRY(detail::require_role(evaluator, "evaluator"));
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<SeatChange>([&](WriteTxn& txn) -> Result<SeatChange> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    SUNBID_TRY(detail::require_status(t, core::TenderStatus::reviewing));
    SUNBID_ASSIGN_OR_RETURN(auto m, member_row(db, tender, evaluator.account));
    SUNBID_TRY(require_member(m, evaluator.account));
    if (m->declared) {
      return refusal("already_declared", "已作出声明", "the member has already declared");
    }
    SeatChange out;
    if (no_conflict) {
      SUNBID_ASSIGN_OR_RETURN(Statement * up,
                              db.cached("UPDATE eval_committee SET declared = 1 WHERE "
                                        "tender_id = ? AND account = ?"));
      up->bind(1, tender).bind(2, evaluator.account);
      SUNBID_TRY(up->run());
    } else {
      SUNBID_TRY(set_member_status(db, tender, evaluator.account, "declined"));
      SUNBID_ASSIGN_OR_RETURN(out.successor, promote_reserve(db, t));
    }
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, evaluator, "committee.declared", tender));
    d.payload = {
        {"tender_id", tender}, {"member", evaluator.account}, {"no_conflict", no_conflict}};
    // The free text may name people: only its digest enters the log.
    if (detail_text) d.payload["detail_sha256"] = hex_encode(sha256(*detail_text));
    detail::withhold_until_decision(d);
    if (!no_conflict) {
      if (out.successor) {
        d.payload["successor"] = *out.successor;
      } else {
        d.payload["successor"] = nullptr;
      }
    }
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
    if (!no_conflict && !out.successor) {
      // No reserve can take the seat: a fresh draw (replacement-N).
      SUNBID_ASSIGN_OR_RETURN(out.replacement_draw,
                              detail::open_replacement_if_vacant(txn, t, out.log_index));
    }
    return out;
  });
}

Result<SeatChange> EvaluationService::replace_member(const core::Actor& supervisor,
                                                     std::string_view tender,
                                                     std::string_view member,
                                                     std::string_view reason) {
  SUNBID_TRY(detail::require_role(supervisor, "supervisor"));
  if (reason.empty()) return refusal("reason_required", "须说明理由", "a reason is required");
  SUNBID_TRY(catch_up(tender));
  return ledger_.run<SeatChange>([&](WriteTxn& txn) -> Result<SeatChange> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
    SUNBID_TRY(detail::require_status(t, core::TenderStatus::reviewing));
    SUNBID_ASSIGN_OR_RETURN(auto m, member_row(db, tender, member));
    SUNBID_TRY(require_member(m, member));
    // DESIGN: replacement is for a member who declares a conflict or does
    // not respond. One who has submitted marks has responded: replacing it
    // would void marks the supervisor may dislike (security A8).
    SUNBID_ASSIGN_OR_RETURN(
        std::vector<std::string> submitted,
        db.query_strings("SELECT bid_id FROM eval_reviews WHERE tender_id = ? AND member = ? AND "
                         "void = 0 LIMIT 1",
                         {tender, member}));
    if (!submitted.empty()) {
      return make_error("member_has_submitted",
                        "该评委已提交评审意见，不得更换 / the member has submitted marks and "
                        "cannot be replaced",
                        {{"member", std::string(member)}});
    }
    // The leaving member no longer counts for the minimums; a refusal below
    // rolls the transaction back, so it changes nothing.
    SUNBID_TRY(set_member_status(db, tender, member, "replaced"));
    // No reserve can take the seat: it stays vacant and goes to a fresh
    // draw (replacement-N, opened below) instead of refusing.
    SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> next, promote_reserve(db, t));
    SUNBID_ASSIGN_OR_RETURN(Statement * voided,
                            db.cached("UPDATE eval_reviews SET void = 1 WHERE tender_id = ? AND "
                                      "member = ? AND void = 0"));
    voided->bind(1, tender).bind(2, member);
    SUNBID_TRY(voided->run());
    const int voided_count = db.changes();
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, supervisor, "committee.replaced", tender));
    d.payload = {{"tender_id", tender},
                 {"member", member},
                 {"reason", reason},
                 {"successor", next ? boost::json::value(*next) : boost::json::value(nullptr)},
                 {"voided_reviews", voided_count}};
    detail::withhold_until_decision(d);
    SeatChange out;
    out.successor = next;
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
    if (!next) {
      SUNBID_ASSIGN_OR_RETURN(out.replacement_draw,
                              detail::open_replacement_if_vacant(txn, t, out.log_index));
    }
    return out;
  });
}

namespace {

// The committee as stored, for every reader: unchecked, so it stays here;
// callers outside go through the viewer-checked overload (issue 12).
Result<CommitteeView> stored_committee(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT account, status, declared FROM eval_committee WHERE "
                                    "tender_id = ? ORDER BY draw_order"));
  st->bind(1, tender);
  CommitteeView v;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    std::string account(st->column_text(0));
    std::string_view status = st->column_text(1);
    if (status == "member") {
      if (st->column_int64(2) != 0) v.declared.push_back(account);
      v.members.push_back(std::move(account));
    } else if (status == "reserve") {
      v.reserves.push_back(std::move(account));
    }
  }
  st->reset();
  if (v.members.empty() && v.reserves.empty()) return v;  // not drawn yet
  SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
  const auto size = static_cast<std::size_t>(t.rules.committee_size);
  v.vacant_seats = v.members.size() < size ? size - v.members.size() : 0;
  SUNBID_ASSIGN_OR_RETURN(std::optional<detail::PendingDraw> p, detail::pending_draw(db, tender));
  if (p && detail::is_replacement_purpose(p->purpose)) v.pending_draw = p->purpose;
  return v;
}

}  // namespace

Result<CommitteeView> EvaluationService::committee(audit::Database& db, std::string_view tender,
                                                   const core::Actor& viewer) {
  bool allowed = viewer.role == "supervisor";
  if (!allowed && viewer.role == "evaluator") {
    SUNBID_ASSIGN_OR_RETURN(auto m, member_row(db, tender, viewer.account));
    allowed = m.has_value();
  }
  if (!allowed) {
    // 招标投标法 art. 37: the list stays confidential until the decision.
    SUNBID_ASSIGN_OR_RETURN(allowed, detail::committee_public(db, tender));
  }
  if (!allowed) {
    return refusal("not_allowed", "定标前无权查看评标委员会名单",
                   "not allowed to read the committee before the decision");
  }
  return stored_committee(db, tender);
}

Result<ClearingReport> EvaluationService::clearing_report(audit::Database& db,
                                                          std::string_view tender,
                                                          const core::Actor& viewer) {
  SUNBID_ASSIGN_OR_RETURN(detail::TenderInfo t, detail::load_tender(db, tender));
  bool allowed = viewer.role == "supervisor";
  if (viewer.role == "evaluator") {
    SUNBID_ASSIGN_OR_RETURN(auto m, member_row(db, tender, viewer.account));
    allowed = m && m->status == "member";
  }
  if (viewer.role == "tenderer" && viewer.community_id == t.view.community_id) {
    SUNBID_ASSIGN_OR_RETURN(allowed, detail::review_concluded(db, tender));
  }
  if (!allowed) {
    return refusal("not_allowed", "无权查看清标报告", "not allowed to read the clearing report");
  }
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT report_json FROM eval_clearing WHERE tender_id = ?"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return refusal("clearing_not_ready", "清标报告尚未生成", "the clearing report is not ready");
  }
  auto parsed = detail::parse_json(st->column_text(0));
  st->reset();
  if (!parsed.ok()) return std::move(parsed).error();
  ClearingReport r;
  for (const auto& b : parsed->at("bids").as_array()) {
    ClearingBidReport br;
    br.bid_id = std::string(b.at("bid_id").as_string());
    br.bidder_uscc = std::string(b.at("bidder_uscc").as_string());
    for (const auto& f : b.at("flags").as_array()) {
      br.flags.push_back(
          {std::string(f.at("code").as_string()), std::string(f.at("detail").as_string())});
    }
    r.bids.push_back(std::move(br));
  }
  return r;
}

}  // namespace sunbid::eval

namespace sunbid::eval {

RestDayTest EvaluationService::platform_rest_days() {
  return [](audit::Database& db, const CivilDate& d) -> Result<bool> {
    SUNBID_ASSIGN_OR_RETURN(core::HolidayCalendar calendar,
                            core::calendar_in_force(db, std::numeric_limits<std::int64_t>::max()));
    // Days since 1970-01-01 of the proleptic Gregorian date (H. Hinnant's
    // days_from_civil), the calendar's ChinaDate.
    const int y = d.year - (d.month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const core::ChinaDate day = static_cast<core::ChinaDate>(era) * 146097 + doe - 719468;
    return calendar.is_rest_day(day);
  };
}

}  // namespace sunbid::eval
