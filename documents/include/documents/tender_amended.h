// 补遗/更正公告 (amendment notice, issue 14 §1) as a PDF: a pure function of
// plain structs, for the publication worker. Sections: 项目概况, 补遗内容
// (the amendment's text, verbatim), 投标截止时间变更 (the deadline before and
// after), then the tenderer and date on the right. Every page carries the
// verification footer when one is given.
//
// Thread-safety: a pure function, safe for concurrent use (renderer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "audit_log/result.h"
#include "documents/verification_footer.h"

namespace sunbid::documents {

struct TenderAmendedInput {
  std::string tender_id;           // 项目编号
  std::string title;               // 项目名称
  std::string tenderer_name;       // 招标人
  std::string community_name;      // 物业名称
  std::string published_on;        // when the 招标公告 was published, e.g. "2026年6月1日"
  std::int64_t amendment = 1;      // 第 n 号补遗
  std::string text;                // the amendment, verbatim
  std::string old_deadline;        // e.g. "2026-06-20 17:00（北京时间）"
  std::string new_deadline;        // the same when the amendment kept the deadline
  std::string issued_on;           // the date under the tenderer
  std::int64_t event_time_ms = 0;  // the amendment: the PDF's dates
  std::optional<VerificationFooter> verification;
};

Result<std::string> render_tender_amended(const TenderAmendedInput& notice);

}  // namespace sunbid::documents
