// The contract (合同) of an awarded tender: recorded once by the community's
// tenderer, logged, and flagged to supervisors when it was signed or recorded
// after the 30 days of 招标投标法 art. 46 (docs/contract.md).
#include <boost/json/array.hpp>
#include <string>

#include "audit_log/error_codes.h"
#include "audit_log/rows.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/award_notice.h"
#include "tender_core/calendar.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

namespace sunbid::core {

using audit::Statement;
using audit::WriteTxn;

namespace {

Error contract_invalid(std::string_view field, std::string_view message) {
  return make_error("contract_invalid", std::string(message), {{"field", field}});
}

bool lower_hex_64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// What needs no database: the shape of each member.
Result<ChinaDate> check_input(const ContractInput& in) {
  auto signed_on = parse_china_date(in.signed_on, "/signed_on");
  if (!signed_on.ok()) {
    return contract_invalid("/signed_on",
                            "签订日期须为 YYYY-MM-DD 格式的日期 / signed_on must be a date, "
                            "YYYY-MM-DD");
  }
  if (in.term_months < 1 || in.term_months > 120) {
    return contract_invalid("/term_months",
                            "合同期限须为 1 至 120 个月 / term_months must be 1 to 120");
  }
  if (!lower_hex_64(in.document_sha256_hex)) {
    return contract_invalid("/document_sha256_hex",
                            "合同文件摘要须为 64 位小写十六进制 SHA-256 / document_sha256_hex must "
                            "be a SHA-256 in 64 lowercase hex digits");
  }
  return *signed_on;
}

constexpr std::string_view kColumns =
    "c.tender_id, t.community_id, c.signed_on, c.term_months, c.document_sha256, "
    "c.awarded_bid_id, c.recorded_ms, c.award_notice_ms, c.due_ms, c.signed_late, "
    "c.recorded_late, c.log_index";

ContractRecord read_row(Statement& st) {
  ContractRecord r;
  r.tender_id = std::string(st.column_text(0));
  r.community_id = std::string(st.column_text(1));
  r.signed_on = std::string(st.column_text(2));
  r.term_months = st.column_int64(3);
  r.document_sha256_hex = std::string(st.column_text(4));
  r.awarded_bid_id = std::string(st.column_text(5));
  r.recorded_ms = st.column_int64(6);
  r.award_notice_ms = st.column_int64(7);
  r.due_ms = st.column_int64(8);
  r.signed_late = st.column_int64(9) != 0;
  r.recorded_late = st.column_int64(10) != 0;
  r.log_index = static_cast<std::uint64_t>(st.column_int64(11));
  return r;
}

}  // namespace

Result<ContractRecord> TenderService::record_contract(const Actor& actor,
                                                      std::string_view tender_id,
                                                      const ContractInput& input) {
  SUNBID_ASSIGN_OR_RETURN(const ChinaDate signed_on, check_input(input));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<ContractRecord>([&](WriteTxn& txn) -> Result<ContractRecord> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_TRY(detail::require_tenderer(actor, row));
    SUNBID_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> existing,
        detail::query_int(db, "SELECT log_index FROM tender_contracts WHERE tender_id = ?",
                          tender_id));
    if (existing) {
      return make_error("contract_already_recorded",
                        "该招标的合同已登记 / the contract of this tender is already recorded",
                        {{"log_index", *existing}});
    }
    if (row.status != TenderStatus::awarded || !row.awarded_bid_id) {
      return make_error("contract_not_allowed",
                        "只有已定标（中标结果公示期满）的招标可以登记合同 / a contract can be "
                        "recorded only for an awarded tender (after the award publicity)",
                        {{"status", to_string(row.status)}});
    }
    // The 30 days count from the 中标通知书 (award_notice.issued); without
    // one, from the end of the award publicity, the earliest instant a
    // notice could have been issued (docs/contract.md).
    SUNBID_ASSIGN_OR_RETURN(std::optional<AwardNoticeRecord> issued, award_notice(db, tender_id));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline timeline, detail::load_timeline(db, row));
    const std::optional<std::int64_t> notice =
        issued ? std::optional<std::int64_t>(issued->issued_ms) : award_publicity_end_ms(timeline);
    if (!notice) {
      return make_error(
          audit::kStorageError,
          "已定标的招标缺少中标结果公示期 / an awarded tender has no award publicity");
    }
    const std::int64_t now = txn.now_ms();
    if (signed_on < china_date(*notice)) {
      return contract_invalid("/signed_on",
                              "签订日期早于中标通知 / the contract cannot be signed before the "
                              "award notice");
    }
    if (signed_on > china_date(now)) {
      return contract_invalid("/signed_on",
                              "签订日期不能晚于今天 / the contract cannot be signed after today");
    }
    SUNBID_ASSIGN_OR_RETURN(CalendarHistory history, detail::load_calendar_history(db));
    const std::optional<std::int64_t> due =
        granted_period_end_ms(history, *notice, settings_.contract_days);
    if (!due) {
      return make_error(audit::kStorageError,
                        "合同期限无法计算 / the contract period cannot be computed");
    }
    ContractRecord r;
    r.tender_id = std::string(tender_id);
    r.community_id = row.community_id;
    r.signed_on = format_china_date(signed_on);
    r.term_months = input.term_months;
    r.document_sha256_hex = input.document_sha256_hex;
    r.awarded_bid_id = *row.awarded_bid_id;
    r.recorded_ms = now;
    r.award_notice_ms = *notice;
    r.due_ms = *due;
    r.signed_late = china_midnight_ms(signed_on) >= *due;
    r.recorded_late = now >= *due;

    SUNBID_ASSIGN_OR_RETURN(auto draft,
                            detail::draft_for(txn, actor, "contract.recorded", tender_id));
    draft.tender = std::string(tender_id);
    draft.payload["tender_id"] = tender_id;
    draft.payload["awarded_bid_id"] = r.awarded_bid_id;
    draft.payload["signed_on"] = r.signed_on;
    draft.payload["term_months"] = r.term_months;
    draft.payload["document_sha256"] = r.document_sha256_hex;
    draft.payload["award_notice_at"] = format_rfc3339_ms(r.award_notice_ms);
    draft.payload["due_at"] = format_rfc3339_ms(r.due_ms);
    boost::json::array late;
    if (r.signed_late) late.emplace_back("signed_late");
    if (r.recorded_late) late.emplace_back("recorded_late");
    draft.payload["late"] = std::move(late);
    SUNBID_ASSIGN_OR_RETURN(r.log_index, txn.append(draft));

    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO tender_contracts(tender_id, signed_on, term_months, "
                  "document_sha256, awarded_bid_id, recorded_ms, award_notice_ms, due_ms, "
                  "signed_late, recorded_late, log_index) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    ins->bind(1, tender_id).bind(2, r.signed_on).bind(3, r.term_months);
    ins->bind(4, r.document_sha256_hex).bind(5, r.awarded_bid_id).bind(6, r.recorded_ms);
    ins->bind(7, r.award_notice_ms).bind(8, r.due_ms);
    ins->bind(9, std::int64_t{r.signed_late ? 1 : 0})
        .bind(10, std::int64_t{r.recorded_late ? 1 : 0});
    ins->bind(11, static_cast<std::int64_t>(r.log_index));
    SUNBID_TRY(ins->run());
    return r;
  });
}

Result<ContractRecord> TenderService::contract(audit::Database& db, std::string_view tender_id,
                                               const Viewer& viewer) {
  SUNBID_TRY(view(db, tender_id, viewer));
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached(std::string("SELECT ") + std::string(kColumns) +
                                    " FROM tender_contracts c JOIN tenders t ON t.id = c.tender_id "
                                    "WHERE c.tender_id = ?"));
  st->bind(1, tender_id);
  std::optional<ContractRecord> r;
  SUNBID_TRY(audit::each_row(*st, [&](Statement& row) { r = read_row(row); }));
  if (!r) return detail::not_found("contract_not_found", "合同", "contract", tender_id);
  return *r;
}

Result<ContractFlagPage> TenderService::late_contracts(audit::Database& db,
                                                       std::optional<std::uint64_t> after,
                                                       std::size_t limit) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached(std::string("SELECT ") + std::string(kColumns) +
                " FROM tender_contracts c JOIN tenders t ON t.id = c.tender_id "
                "WHERE (c.signed_late = 1 OR c.recorded_late = 1) AND c.log_index > ? "
                "ORDER BY c.log_index LIMIT ?"));
  st->bind(1, after ? static_cast<std::int64_t>(*after) : std::int64_t{-1});
  st->bind(2, static_cast<std::int64_t>(limit) + 1);
  ContractFlagPage page;
  SUNBID_TRY(audit::each_row(*st, [&](Statement& row) { page.items.push_back(read_row(row)); }));
  if (page.items.size() > limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().log_index;
  }
  return page;
}

}  // namespace sunbid::core
