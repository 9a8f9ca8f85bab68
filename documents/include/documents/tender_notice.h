// 招标公告 (tender notice, issue 14 §1) as a PDF: a pure function of plain
// structs, for the publication worker. Sections in the usual order of Chinese
// e-tendering notices: 项目概况, 招标人, 选聘方案, 投标人资格要求, 时间安排,
// 投标方式, 联系方式, then the tenderer and date on the right. Every page
// carries the verification footer when one is given.
//
// Money is integer fen per m² per month, printed as yuan with two decimals
// (format_centi); area is integer centi-m². Texts are printed verbatim.
//
// Thread-safety: a pure function, safe for concurrent use (renderer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "documents/verification_footer.h"

namespace sunbid::documents {

struct TenderNoticeInput {
  std::string tender_id;       // 项目编号
  std::string title;           // 项目名称, e.g. "阳光花园物业服务选聘"
  std::string tenderer_name;   // 招标人, e.g. "阳光花园业主委员会"
  std::string tenderer_kind;   // e.g. "业主委员会 owners' committee"
  std::string community_name;  // 物业名称
  std::string community_address;
  std::int64_t total_area_centi_m2 = 0;  // 专有部分总面积 (the roster's exclusive area, SPC art. 8)
  std::int64_t units = 0;                // 户数 (roster units)
  std::string service_tier;              // 服务等级, as the frozen rules name it
  // The selection plan's budget; budget_max is also the price ceiling
  // (最高投标限价). Both 0: no budget printed (a tender without a plan's budget).
  std::int64_t budget_min_fen_per_m2_month = 0;
  std::int64_t budget_max_fen_per_m2_month = 0;
  // The service tier's reference price range (a price outside it is flagged
  // 质价不符 at clearing, not refused). Both 0: not printed.
  std::int64_t reference_min_fen_per_m2_month = 0;
  std::int64_t reference_max_fen_per_m2_month = 0;
  std::int64_t contract_term_months = 0;  // 0: not printed
  std::string decision_method;  // 评定方式, e.g. "业主大会表决（定性评审，评定分离）"
  std::string selection_plan_ref;  // e.g. "业主大会议题 12，2026-05-20 通过"; empty: not printed
  std::vector<std::string> qualifications;  // 投标人资格要求, one line each
  struct Milestone {
    std::string what;  // e.g. "投标截止 bid deadline"
    std::string when;  // e.g. "2026-06-20 17:00（北京时间）"
  };
  std::vector<Milestone> timeline;
  std::vector<std::string> how_to_bid;  // 投标方式, one paragraph each
  std::string contact;                  // 联系方式; empty: not printed
  std::string issued_on;           // the date printed under the tenderer, e.g. "2026年6月1日"
  std::int64_t event_time_ms = 0;  // the publishing event: the PDF's dates
  std::optional<VerificationFooter> verification;
};

Result<std::string> render_tender_notice(const TenderNoticeInput& notice);

}  // namespace sunbid::documents
