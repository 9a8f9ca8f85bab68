#include "documents/tender_failed.h"

#include <string>

#include "documents/renderer.h"
#include "notice_parts.h"

namespace sunbid::documents {

Result<std::string> render_tender_failed(const TenderFailedInput& n) {
  Document doc(
      DocumentInfo{"流标公告 " + n.title, n.event_time_ms, "tender failed notice " + n.tender_id});
  detail::notice_title(doc, "流标公告", n.title);

  detail::project_overview(doc, n.title, n.tender_id, n.community_name, n.community_address,
                           n.tenderer_name);
  if (!n.published_on.empty()) doc.key_value("招标公告发布", n.published_on);
  doc.key_value("流标时间", n.failed_at);

  doc.heading("二、流标原因");
  doc.paragraph(n.reason, detail::body_text());

  doc.heading("三、后续安排");
  doc.paragraph(
      "本次招标失败（流标）。招标人可依法重新组织招标，重新招标的公告将另行发布，并注明本项目编号。"
      " The tender has failed; the tenderer may tender again, and the new notice will name this "
      "tender.",
      detail::body_text());

  return detail::sign_and_render(doc, n.tenderer_name, n.issued_on, n.verification);
}

}  // namespace sunbid::documents
