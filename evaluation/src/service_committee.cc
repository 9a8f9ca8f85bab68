// EvaluationService: the expert pool, the committee draw, declarations and
// replacements (补抽), the clearing report and the committee readers.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <set>

#include "eval_store.h"
#include "evaluation/committee_draw.h"
#include "evaluation/draw.h"
#include "evaluation/service.h"
#include "tender_core/tender_hooks.h"

namespace sunbid::eval {

using audit::Statement;
using audit::WriteTxn;
using detail::refusal;

namespace {

bool has_line_break_or_empty(std::string_view s) {
  return s.empty() || s.find('\n') != std::string_view::npos;
}

Result<std::vector<Expert>> read_pool(audit::Database& db) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT account, specialties, employer_uscc, related_usccs FROM eval_experts "
                "ORDER BY account"));
  std::vector<Expert> pool;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    Expert e;
    e.account = std::string(st->column_text(0));
    auto spec = detail::parse_json(st->column_text(1));
    auto rel = detail::parse_json(st->column_text(3));
    if (!spec.ok() || !rel.ok()) {
      st->reset();
      return make_error(audit::kStorageError, "专家记录损坏 / an expert record is corrupt");
    }
    e.specialties = detail::strings_of(*spec);
    e.employer_uscc = std::string(st->column_text(2));
    e.related_usccs = detail::strings_of(*rel);
    pool.push_back(std::move(e));
  }
  st->reset();
  return pool;
}

// The pool as the sampler saw it: sorted by account, each list sorted and
// distinct (add_expert stores them so), exactly the fields of the digest.
boost::json::array pool_json(std::vector<Expert> pool) {
  std::sort(pool.begin(), pool.end(),
            [](const Expert& a, const Expert& b) { return a.account < b.account; });
  boost::json::array out;
  out.reserve(pool.size());
  for (const auto& e : pool) {
    out.push_back({{"account", e.account},
                   {"employer_uscc", e.employer_uscc},
                   {"related_usccs", detail::string_array(e.related_usccs)},
                   {"specialties", detail::string_array(e.specialties)}});
  }
  return out;
}

Result<std::vector<std::string>> all_bidders(audit::Database& db, std::string_view tender) {
  return db.query_strings(
      "SELECT DISTINCT bidder_uscc FROM opening_rows WHERE tender_id = ? ORDER BY bidder_uscc",
      {tender});
}

Result<ClearingReport> compute_clearing(audit::Database& db, const detail::TenderInfo& t) {
  SUNBID_ASSIGN_OR_RETURN(auto opened, core::opened_bids(db, t.view.id));
  std::vector<ClearingBid> bids;
  for (auto& b : opened) {
    ClearingBid c{b.bid_id, b.bid, b.rating_at_deadline, ""};
    SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT source_digest FROM bids WHERE "
                                                      "tender_id = ? AND id = ?"));
    st->bind(1, t.view.id).bind(2, b.bid_id);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (row && !st->column_is_null(0)) c.source_digest = std::string(st->column_text(0));
    st->reset();
    bids.push_back(std::move(c));
  }
  return clearing_report(bids, t.tier, t.rules.min_credit_grade, t.rules.min_star_rating,
                         core::CreditScale::default_scale());
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

// The next reserve takes a seat: returns it, or nullopt when none is left.
Result<std::optional<std::string>> promote_reserve(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> first,
                          db.query_strings("SELECT account FROM eval_committee WHERE tender_id = ? "
                                           "AND status = 'reserve' ORDER BY draw_order LIMIT 1",
                                           {tender}));
  std::optional<std::string> next;
  if (!first.empty()) next = std::move(first.front());
  if (next) SUNBID_TRY(set_member_status(db, tender, *next, "member"));
  return next;
}

Status require_member(const std::optional<MemberRow>& m, std::string_view account) {
  if (m && m->status == "member") return {};
  return refusal("not_a_committee_member", "不是本项目评标委员会的在任成员",
                 "not an active member of this tender's committee", {{"account", account}});
}

}  // namespace

Result<std::uint64_t> EvaluationService::add_expert(const core::Actor& admin,
                                                    const ExpertInput& in) {
  SUNBID_TRY(detail::require_role(admin, "admin"));
  if (has_line_break_or_empty(in.account)) {
    return refusal("expert_invalid", "专家账号无效", "the expert account is empty or invalid",
                   {{"field", "account_username"}});
  }
  std::set<std::string> related(in.related_usccs.begin(), in.related_usccs.end());
  for (const auto& u : related) {
    if (u.empty()) {
      return refusal("expert_invalid", "关联单位代码为空", "a related USCC is empty",
                     {{"field", "related_usccs"}});
    }
  }
  std::set<std::string> specialties(in.specialties.begin(), in.specialties.end());
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(Statement * find,
                            db.cached("SELECT 1 FROM eval_experts WHERE account = ?"));
    find->bind(1, in.account);
    SUNBID_ASSIGN_OR_RETURN(bool exists, find->step());
    find->reset();
    if (exists) {
      return refusal("expert_exists", "该账号已在专家库中", "the account is already in the pool",
                     {{"account", in.account}});
    }
    const auto spec = detail::string_array({specialties.begin(), specialties.end()});
    const auto rel = detail::string_array({related.begin(), related.end()});
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO eval_experts(account, specialties, employer_uscc, related_usccs, "
                  "added_ms) VALUES (?, ?, ?, ?, ?)"));
    ins->bind(1, in.account).bind(2, detail::serialize(spec));
    ins->bind(3, in.employer_uscc.value_or("")).bind(4, detail::serialize(rel));
    ins->bind(5, txn.now_ms());
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d, detail::draft_for(txn, admin, "expert.added", ""));
    d.payload = {{"account", in.account},
                 {"specialties", spec},
                 {"employer_uscc", in.employer_uscc.value_or("")},
                 {"related_usccs", rel}};
    return txn.append(d);
  });
}

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
    if (!t.opening_index) {
      return make_error(audit::kStorageError, "开标记录缺失 / the opening record is missing");
    }
    SUNBID_ASSIGN_OR_RETURN(std::vector<Expert> pool, read_pool(db));
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> bidders, all_bidders(db, tender));
    // 评定分离: the accounts that close or take part in the decision never evaluate.
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> excluded,
                            tenderer_accounts_(db, t.view.community_id));
    SUNBID_ASSIGN_OR_RETURN(
        detail::DrawBasis basis,
        detail::draw_basis(txn, tender, draw_purpose::kCommittee,
                           static_cast<std::uint64_t>(*t.opening_index), beacon, beacon_date));
    const auto size = static_cast<std::size_t>(t.rules.committee_size);
    SUNBID_ASSIGN_OR_RETURN(CommitteeDraw drawn,
                            eval::draw_committee(pool, bidders, excluded, size, size, basis.seed));
    std::int64_t order = 0;
    for (const auto* list : {&drawn.members, &drawn.reserves}) {
      for (const auto& account : *list) {
        SUNBID_ASSIGN_OR_RETURN(
            Statement * ins,
            db.cached("INSERT INTO eval_committee(tender_id, account, draw_order, status) "
                      "VALUES (?, ?, ?, ?)"));
        ins->bind(1, tender).bind(2, account).bind(3, order++);
        ins->bind(4, list == &drawn.members ? "member" : "reserve");
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
    for (const auto& e : drawn.exclusions) {
      exclusions.push_back(
          {{"account", e.account}, {"reason", e.reason}, {"bidder_uscc", e.bidder_uscc}});
    }
    boost::json::object payload;
    // Version 2 lists the pool itself (docs/committee-draw.md), so a trail
    // alone rechecks the pool digest, the exclusions and the sampling.
    payload["payload_version"] = kCommitteeDrawnPayloadVersion;
    payload["tender_id"] = tender;
    payload["draw"] = basis.json;
    payload["pool"] = pool_json(pool);
    payload["inputs"] = {{"pool_size", drawn.pool_size},
                         {"pool_digest", hex_encode(drawn.pool_digest)},
                         {"bidder_usccs", detail::string_array(drawn.bidder_usccs)},
                         {"excluded_accounts", detail::string_array(drawn.excluded_accounts)},
                         {"committee_size", drawn.committee_size},
                         {"reserve_size", drawn.reserve_size}};
    payload["exclusions"] = std::move(exclusions);
    payload["eligible_count"] = drawn.eligible_count;
    // The sorted eligible accounts the sampler indexes: with the seed they
    // make the result recomputable from the entry alone.
    std::set<std::string> excluded_set;
    for (const auto& e : drawn.exclusions) excluded_set.insert(e.account);
    std::vector<std::string> eligible;
    for (const auto& e : pool) {
      if (!excluded_set.count(e.account)) eligible.push_back(e.account);
    }
    std::sort(eligible.begin(), eligible.end());
    payload["eligible"] = detail::string_array(eligible);
    payload["members"] = detail::string_array(drawn.members);
    payload["reserves"] = detail::string_array(drawn.reserves);
    // The report itself is for the committee and supervisors; the log fixes it by digest.
    payload["clearing_sha256"] = hex_encode(sha256(clearing_json));
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, supervisor, "committee.drawn", tender));
    d.payload = payload;
    detail::withhold_until_decision(d);
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(d));
    CommitteeDrawn out;
    out.log_index = idx;
    out.members = drawn.members;
    out.reserves = drawn.reserves;
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
      SUNBID_ASSIGN_OR_RETURN(out.successor, promote_reserve(db, tender));
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
    SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> next, promote_reserve(db, tender));
    if (!next) {
      return refusal("no_reserve_left", "备选专家已用尽", "no reserve expert is left");
    }
    SUNBID_TRY(set_member_status(db, tender, member, "replaced"));
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
                 {"successor", *next},
                 {"voided_reviews", voided_count}};
    detail::withhold_until_decision(d);
    SeatChange out;
    out.successor = next;
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
    return out;
  });
}

Result<CommitteeView> EvaluationService::committee(audit::Database& db, std::string_view tender) {
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
  return v;
}

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
  return committee(db, tender);
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
