// TenderService's objections (异议) to the tender document, the candidates and
// the award, and the tenderer's answers.
#include "audit_log/sha256.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/service.h"

namespace sunbid::core {

using audit::Statement;
using audit::WriteTxn;
using detail::TenderRow;

namespace {

Error window_closed() {
  return make_error("objection_window_closed",
                    "当前不在异议期内 / no objection window is open for this tender");
}

Error not_entitled() {
  return make_error("objection_not_entitled",
                    "无权对该阶段提出异议 / you may not object at this stage of this tender");
}

// May `actor` object to the candidates or the award: a bidder of the tender
// or an owner on the community's roster.
Result<bool> entitled_in_publicity(audit::Database& db, const Actor& actor, const TenderRow& row) {
  if (actor.role == "enterprise" && !actor.enterprise_uscc.empty()) {
    SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT 1 FROM bids WHERE tender_id = ? AND "
                                                      "bidder_uscc = ?"));
    st->bind(1, row.id).bind(2, actor.enterprise_uscc);
    SUNBID_ASSIGN_OR_RETURN(bool found, st->step());
    st->reset();
    return found;
  }
  if (actor.role == "owner" && actor.community_id == row.community_id && !actor.owner_key.empty()) {
    SUNBID_ASSIGN_OR_RETURN(Statement * st,
                            db.cached("SELECT 1 FROM roster_units WHERE community_id = ? AND "
                                      "owner_key = ? LIMIT 1"));
    st->bind(1, row.community_id).bind(2, actor.owner_key);
    SUNBID_ASSIGN_OR_RETURN(bool found, st->step());
    st->reset();
    return found;
  }
  return false;
}

}  // namespace

Result<ObjectionFiled> TenderService::file_objection(const Actor& actor, std::string_view tender_id,
                                                     std::string_view text) {
  SUNBID_TRY(detail::require_text(text, "objection_invalid", "异议内容", "the objection text"));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<ObjectionFiled>([&](WriteTxn& txn) -> Result<ObjectionFiled> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    if (row.status == TenderStatus::draft) {  // a draft does not exist to the public
      return detail::not_found("tender_not_found", "招标", "tender", tender_id);
    }
    if (row.status == TenderStatus::suspended) {
      return make_error("tender_suspended", "招标已暂停 / the tender is suspended");
    }
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    const std::int64_t now = txn.now_ms();
    std::string stage;
    if (row.status == TenderStatus::published) {
      const std::int64_t cutoff =
          *effective_deadline_ms(t) - settings_.document_objection_cutoff_s * 1000;
      if (now >= cutoff) return window_closed();
      if (actor.role != "enterprise" || actor.enterprise_uscc.empty()) return not_entitled();
      SUNBID_ASSIGN_OR_RETURN(
          auto exists,
          detail::query_int(db, "SELECT 1 FROM enterprises WHERE uscc = ?", actor.enterprise_uscc));
      if (!exists) return not_entitled();
      stage = "document";
    } else if (row.status == TenderStatus::candidates_publicized ||
               row.status == TenderStatus::award_publicized) {
      const bool candidates = row.status == TenderStatus::candidates_publicized;
      auto end = candidates ? candidate_publicity_end_ms(t) : award_publicity_end_ms(t);
      if (!end || now >= *end) return window_closed();
      SUNBID_ASSIGN_OR_RETURN(bool ok, entitled_in_publicity(db, actor, row));
      if (!ok) return not_entitled();
      stage = candidates ? "candidates" : "award";
    } else {
      return window_closed();
    }
    SUNBID_ASSIGN_OR_RETURN(std::string id, detail::next_id(txn, "objection", "O"));
    SUNBID_ASSIGN_OR_RETURN(std::string objector,
                            txn.personal_digest("account", actor.account, tender_id));
    const std::uint64_t index = txn.log_size();
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached(
            "INSERT INTO objections(id, tender_id, stage, objector_account, objector_role, "
            "objector_digest, text, filed_ms, filed_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    ins->bind(1, id).bind(2, tender_id).bind(3, stage).bind(4, actor.account).bind(5, actor.role);
    ins->bind(6, objector).bind(7, text).bind(8, now).bind(9, static_cast<std::int64_t>(index));
    SUNBID_TRY(ins->run());
    // The objector is shown only to the tenderer and supervisors: the entry
    // names it by a salted digest, and carries the text only as its hash.
    SUNBID_ASSIGN_OR_RETURN(auto draft,
                            detail::draft_for(txn, actor, "objection.filed", tender_id));
    draft.actor = objector;
    draft.tender = std::string(tender_id);
    draft.payload["tender_id"] = tender_id;
    draft.payload["objection_id"] = id;
    draft.payload["stage"] = stage;
    draft.payload["text_sha256"] = hex_encode(sha256(text));
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(draft));
    return ObjectionFiled{id, stage, idx};
  });
}

Result<ObjectionAnswered> TenderService::answer_objection(const Actor& actor,
                                                          std::string_view tender_id,
                                                          std::string_view objection_id,
                                                          std::string_view text) {
  SUNBID_TRY(detail::require_text(text, "objection_invalid", "答复内容", "the answer text"));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<ObjectionAnswered>([&](WriteTxn& txn) -> Result<ObjectionAnswered> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_TRY(detail::require_tenderer(actor, row));
    if (row.status == TenderStatus::suspended) {
      return make_error("tender_suspended", "招标已暂停 / the tender is suspended");
    }
    SUNBID_ASSIGN_OR_RETURN(Statement * q,
                            db.cached("SELECT filed_ms, answered_ms FROM objections WHERE id = ? "
                                      "AND tender_id = ?"));
    q->bind(1, objection_id).bind(2, tender_id);
    SUNBID_ASSIGN_OR_RETURN(bool found, q->step());
    if (!found) {
      q->reset();
      return detail::not_found("objection_not_found", "异议", "objection", objection_id);
    }
    const std::int64_t filed = q->column_int64(0);
    const bool answered = !q->column_is_null(1);
    q->reset();
    if (answered) {
      return make_error("objection_already_answered", "该异议已答复 / the objection was answered");
    }
    const std::int64_t now = txn.now_ms();
    const bool late = now > filed + settings_.objection_answer_s * 1000;
    SUNBID_ASSIGN_OR_RETURN(Statement * up,
                            db.cached("UPDATE objections SET answer_text = ?, answered_ms = ?, "
                                      "answered_late = ? WHERE id = ?"));
    up->bind(1, text).bind(2, now).bind(3, std::int64_t{late ? 1 : 0}).bind(4, objection_id);
    SUNBID_TRY(up->run());
    SUNBID_ASSIGN_OR_RETURN(auto draft,
                            detail::draft_for(txn, actor, "objection.answered", tender_id));
    draft.tender = std::string(tender_id);
    draft.payload["tender_id"] = tender_id;
    draft.payload["objection_id"] = objection_id;
    draft.payload["late"] = late;
    draft.payload["text_sha256"] = hex_encode(sha256(text));
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(draft));
    return ObjectionAnswered{idx, late};
  });
}

}  // namespace sunbid::core
