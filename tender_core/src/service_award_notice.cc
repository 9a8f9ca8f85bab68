// The award notice (中标通知书, 招标投标法 art. 45): once the award publicity
// is over and the winner final (status awarded), the community's tenderer
// issues it: a logged action, after which the contract's 30 days (art. 46)
// run. The same command publishes the notice to the winner and the result
// notice to the other bidders (docs/documents.md). Issuing is idempotent:
// a repeat answers the first issue and appends nothing.
#include <boost/json/parse.hpp>
#include <string>

#include "audit_log/error_codes.h"
#include "audit_log/rows.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/award_notice.h"
#include "tender_core/calendar.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"
#include "tender_core/time.h"

namespace sunbid::core {

using audit::Statement;
using audit::WriteTxn;

namespace {

// The notice is kept where its documents are: the 中标通知书's stored source
// names the issue instant, the contract's end and the winner, its
// document.published entry directly follows award_notice.issued (one
// command), and the 中标结果通知书's follows it. No table of its own.
Result<std::optional<AwardNoticeRecord>> load_notice(audit::Database& db,
                                                     std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT n.log_index, n.source_json, r.log_index FROM tender_documents n "
                "JOIN tender_documents r ON r.tender_id = n.tender_id AND r.kind = ? "
                "WHERE n.tender_id = ? AND n.kind = ? ORDER BY n.log_index LIMIT 1"));
  st->bind(1, kAwardResultNoticeKind).bind(2, tender_id).bind(3, kAwardNoticeKind);
  std::optional<AwardNoticeRecord> out;
  bool corrupt = false;
  SUNBID_TRY(audit::each_row(*st, [&](Statement& row) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(row.column_text(1), ec);
    const auto* o = v.if_object();
    const auto* winner = o ? o->if_contains("winner") : nullptr;
    if (ec || o == nullptr || winner == nullptr || !winner->is_object() ||
        !o->contains("issued_ms") || !o->contains("contract_due_ms")) {
      corrupt = true;
      return;
    }
    AwardNoticeRecord r;
    r.tender_id = std::string(tender_id);
    r.awarded_bid_id = std::string(winner->at("bid_id").as_string());
    r.issued_ms = o->at("issued_ms").as_int64();
    r.contract_due_ms = o->at("contract_due_ms").as_int64();
    r.notice_index = static_cast<std::uint64_t>(row.column_int64(0));
    r.log_index = r.notice_index - 1;
    r.result_index = static_cast<std::uint64_t>(row.column_int64(2));
    out = std::move(r);
  }));
  if (corrupt) {
    return make_error(audit::kStorageError,
                      "中标通知书源数据损坏 / a stored award notice is corrupt");
  }
  return out;
}

}  // namespace

Result<AwardNoticeRecord> issue_award_notice(TenderService& tenders, audit::Ledger& ledger,
                                             const Actor& actor, std::string_view tender_id) {
  SUNBID_TRY(tenders.catch_up(tender_id));
  const std::int64_t contract_days = tenders.settings().contract_days;
  return ledger.run<AwardNoticeRecord>([&](WriteTxn& txn) -> Result<AwardNoticeRecord> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_TRY(detail::require_tenderer(actor, row));
    SUNBID_ASSIGN_OR_RETURN(std::optional<AwardNoticeRecord> existing, load_notice(db, tender_id));
    if (existing) {
      existing->repeated = true;
      return *existing;
    }
    if (row.status != TenderStatus::awarded || !row.awarded_bid_id) {
      return make_error("award_notice_not_allowed",
                        "只有已定标（中标结果公示期满且无未答复异议）的招标可以发出中标通知书 / "
                        "the award notice can be issued only for an awarded tender (the award "
                        "publicity over, no objection pending)",
                        {{"status", to_string(row.status)}});
    }
    const std::int64_t now = txn.now_ms();
    SUNBID_ASSIGN_OR_RETURN(CalendarHistory history, detail::load_calendar_history(db));
    const std::optional<std::int64_t> due = granted_period_end_ms(history, now, contract_days);
    if (!due) {
      return make_error(audit::kStorageError,
                        "合同期限无法计算 / the contract period cannot be computed");
    }
    AwardNoticeRecord r;
    r.tender_id = std::string(tender_id);
    r.awarded_bid_id = *row.awarded_bid_id;
    r.issued_ms = now;
    r.contract_due_ms = *due;

    SUNBID_ASSIGN_OR_RETURN(auto draft,
                            detail::draft_for(txn, actor, "award_notice.issued", tender_id));
    draft.tender = std::string(tender_id);
    draft.payload["tender_id"] = tender_id;
    draft.payload["awarded_bid_id"] = r.awarded_bid_id;
    draft.payload["issued_at"] = format_rfc3339_ms(now);
    draft.payload["contract_due_at"] = format_rfc3339_ms(*due);
    SUNBID_ASSIGN_OR_RETURN(r.log_index, txn.append(draft));
    SUNBID_ASSIGN_OR_RETURN(
        auto indices, detail::publish_award_letters(txn, actor, row, now, *due, contract_days));
    r.notice_index = indices.first;
    r.result_index = indices.second;
    return r;
  });
}

Result<std::optional<AwardNoticeRecord>> award_notice(audit::Database& db,
                                                      std::string_view tender_id) {
  return load_notice(db, tender_id);
}

}  // namespace sunbid::core
