// TenderService's objections (异议) to the tender document, the candidates and
// the award, and the tenderer's answers.
#include "audit_log/sha256.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/calendar.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

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

// The answer to a document objection (条例 22): one objection fewer holds
// the deadline, and the deadline moves to its own time of day on the date
// that keeps the calendar days it had left when the objection was filed
// (and, when the answer amends the documents, at least 15 days: 条例 21).
// A move is an amendment notice: a tender_amendments row and a public
// `tender.amended` entry, appended by the same command as the answer. The
// document objection cutoff does not move. Answers nullopt when the
// deadline stays.
Result<std::optional<Amended>> resume_after_document_objection(
    WriteTxn& txn, const Actor& actor, const TenderRow& row, std::string_view objection_id,
    std::int64_t days_left, bool amends_documents, std::int64_t min_after_amendment_days) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(Statement * dec,
                          db.cached("UPDATE tenders SET document_objections_open = "
                                    "max(document_objections_open - 1, 0) WHERE id = ?"));
  dec->bind(1, row.id);
  SUNBID_TRY(dec->run());
  TenderRow now_row = row;
  now_row.document_objections_open = std::max<std::int64_t>(row.document_objections_open - 1, 0);
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, now_row));
  const std::int64_t now = txn.now_ms();
  const std::int64_t old_effective = *effective_deadline_ms(t);
  std::int64_t target = same_time_on(china_date(now) + days_left, old_effective);
  if (amends_documents) target = keep_minimum_period(now, target, min_after_amendment_days);
  std::optional<Amended> out;
  if (target > old_effective) {
    const std::int64_t new_base = row.bid_deadline_ms + (target - old_effective);
    SUNBID_ASSIGN_OR_RETURN(Statement * up,
                            db.cached("UPDATE tenders SET bid_deadline_ms = ? WHERE id = ?"));
    up->bind(1, new_base).bind(2, row.id);
    SUNBID_TRY(up->run());
    t.bid_deadline_ms = new_base;
    SUNBID_ASSIGN_OR_RETURN(
        auto seq, detail::query_int(
                      db, "SELECT count(*) FROM tender_amendments WHERE tender_id = ?", row.id));
    const std::string notice =
        "因答复对招标文件的异议，投标截止时间顺延 / the bid deadline moves after the answer to an "
        "objection to the tender documents";
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO tender_amendments(tender_id, seq, text, old_deadline_ms, "
                  "new_deadline_ms, at_ms) VALUES (?, ?, ?, ?, ?, ?)"));
    ins->bind(1, row.id).bind(2, seq.value_or(0) + 1).bind(3, notice).bind(4, old_effective);
    ins->bind(5, target).bind(6, now);
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, "tender.amended", row.id));
    draft.tender = row.id;
    draft.payload["tender_id"] = row.id;
    draft.payload["amendment"] = seq.value_or(0) + 1;
    draft.payload["text"] = notice;
    draft.payload["reason"] = "document_objection_answered";
    draft.payload["objection_id"] = objection_id;
    draft.payload["days_kept"] =
        amends_documents ? std::max(days_left, min_after_amendment_days) : days_left;
    draft.payload["old_deadline"] = format_rfc3339_ms(old_effective);
    draft.payload["new_deadline"] = format_rfc3339_ms(target);
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(draft));
    // The 更正公告 of the move (docs/documents.md), after its entry.
    SUNBID_ASSIGN_OR_RETURN(auto doc_draft,
                            detail::draft_for(txn, actor, "document.published", row.id));
    SUNBID_TRY(detail::publish_amendment_notice(txn, std::move(doc_draft), row, seq.value_or(0) + 1,
                                                notice, old_effective, target, now));
    out = Amended{idx, old_effective, target};
  }
  return out;
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
    std::optional<std::int64_t> days_left;
    if (row.status == TenderStatus::published) {
      // 条例 22 "截止时间10日前": the last day is the deadline's date − 11, the
      // deadline as the tenderer last set it (an objection's answer that
      // moved the deadline does not move the cutoff).
      TenderTimeline basis = t;
      basis.bid_deadline_ms = row.objection_cutoff_basis_ms.value_or(row.bid_deadline_ms);
      const std::int64_t cutoff = days_before_cutoff_ms(*effective_deadline_ms(basis),
                                                        settings_.document_objection_cutoff_days);
      if (now >= cutoff) return window_closed();
      if (actor.role != "enterprise" || actor.enterprise_uscc.empty()) return not_entitled();
      SUNBID_ASSIGN_OR_RETURN(
          auto exists,
          detail::query_int(db, "SELECT 1 FROM enterprises WHERE uscc = ?", actor.enterprise_uscc));
      if (!exists) return not_entitled();
      stage = "document";
      // The calendar days left to the deadline, which its answer restores.
      days_left = china_date(*effective_deadline_ms(t)) - china_date(now);
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
    // The answer is due at 24:00 China time of the third day after filing,
    // rolled past rest days, with the calendar in force now.
    SUNBID_ASSIGN_OR_RETURN(CalendarHistory history, detail::load_calendar_history(db));
    const HolidayCalendar& calendar = history.in_force_at(now);
    const std::int64_t answer_due =
        *granted_period_end_ms(calendar, now, settings_.objection_answer_days);
    SUNBID_ASSIGN_OR_RETURN(std::string objector,
                            txn.personal_digest("account", actor.account, tender_id));
    const std::uint64_t index = txn.log_size();
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO objections(id, tender_id, stage, objector_account, objector_role, "
                  "objector_digest, text, filed_ms, filed_index, days_left) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    ins->bind(1, id).bind(2, tender_id).bind(3, stage).bind(4, actor.account).bind(5, actor.role);
    ins->bind(6, objector).bind(7, text).bind(8, now).bind(9, static_cast<std::int64_t>(index));
    if (days_left) {
      ins->bind(10, *days_left);
    } else {
      ins->bind_null(10);
    }
    SUNBID_TRY(ins->run());
    if (stage == "document") {
      // 条例 22: tendering pauses until the answer. Bids are still accepted,
      // but the deadline cannot pass. (Bid entries wait for the reveal
      // window's opening whatever the deadline: nothing to move here.)
      SUNBID_ASSIGN_OR_RETURN(Statement * up,
                              db.cached("UPDATE tenders SET document_objections_open = "
                                        "document_objections_open + 1 WHERE id = ?"));
      up->bind(1, tender_id);
      SUNBID_TRY(up->run());
    }
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
    draft.payload["answer_due"] = format_rfc3339_ms(answer_due);
    draft.payload["calendar_version"] = calendar.version;
    if (stage == "document") draft.payload["deadline_held"] = true;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(draft));
    return ObjectionFiled{id, stage, idx, answer_due};
  });
}

Result<ObjectionAnswered> TenderService::answer_objection(const Actor& actor,
                                                          std::string_view tender_id,
                                                          std::string_view objection_id,
                                                          std::string_view text,
                                                          bool amends_documents) {
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
                            db.cached("SELECT filed_ms, answered_ms, stage, days_left FROM "
                                      "objections WHERE id = ? AND tender_id = ?"));
    q->bind(1, objection_id).bind(2, tender_id);
    SUNBID_ASSIGN_OR_RETURN(bool found, q->step());
    if (!found) {
      q->reset();
      return detail::not_found("objection_not_found", "异议", "objection", objection_id);
    }
    const std::int64_t filed = q->column_int64(0);
    const bool answered = !q->column_is_null(1);
    const std::string stage(q->column_text(2));
    const std::int64_t days_left = q->column_is_null(3) ? 0 : q->column_int64(3);
    q->reset();
    if (answered) {
      return make_error("objection_already_answered", "该异议已答复 / the objection was answered");
    }
    if (amends_documents && stage != "document") {
      return make_error("objection_invalid",
                        "只有对招标文件的异议答复可以修改招标文件 / only the answer to an "
                        "objection to the tender documents can amend them");
    }
    const std::int64_t now = txn.now_ms();
    SUNBID_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> due,
        detail::objection_answer_due_ms(db, tender_id, filed, settings_.objection_answer_days));
    const bool late = due && now >= *due;
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
    if (amends_documents) draft.payload["amends_documents"] = true;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(draft));
    ObjectionAnswered out{idx, late, std::nullopt};
    if (stage == "document") {
      SUNBID_ASSIGN_OR_RETURN(out.deadline_moved,
                              resume_after_document_objection(
                                  txn, actor, row, objection_id, days_left, amends_documents,
                                  settings_.min_period_after_amendment_days));
    }
    return out;
  });
}

}  // namespace sunbid::core
