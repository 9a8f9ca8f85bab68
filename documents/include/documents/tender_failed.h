// 流标公告 (tender failed notice, issue 14 §1) as a PDF: a pure function of
// plain structs, for the publication worker. Sections: 项目概况 (the tender,
// the community, when its 招标公告 was published), 流标原因 (the reason as
// given: for a tender that failed unopened, "fewer than three bidders" —
// the floor, never how many bid), 后续安排, then the tenderer and date on
// the right. Every page carries the verification footer when one is given.
//
// Thread-safety: a pure function, safe for concurrent use (renderer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "audit_log/result.h"
#include "documents/verification_footer.h"

namespace sunbid::documents {

struct TenderFailedInput {
  std::string tender_id;       // 项目编号
  std::string title;           // 项目名称
  std::string tenderer_name;   // 招标人
  std::string community_name;  // 物业名称
  std::string community_address;
  std::string published_on;        // when the 招标公告 was published, e.g. "2026年6月1日"
  std::string failed_at;           // e.g. "2026-06-20 17:00（北京时间）"
  std::string reason;              // printed verbatim (Chinese first)
  std::string issued_on;           // the date under the tenderer
  std::int64_t event_time_ms = 0;  // the failure: the PDF's dates
  std::optional<VerificationFooter> verification;
};

Result<std::string> render_tender_failed(const TenderFailedInput& notice);

}  // namespace sunbid::documents
