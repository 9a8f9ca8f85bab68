#include "documents/tender_amended.h"

#include <string>

#include "documents/renderer.h"
#include "notice_parts.h"

namespace sunbid::documents {

Result<std::string> render_tender_amended(const TenderAmendedInput& n) {
  Document doc(DocumentInfo{"补遗公告 " + n.title, n.event_time_ms,
                            "tender amendment notice " + n.tender_id});
  detail::notice_title(doc, "补遗/更正公告", n.title + "（第 " + std::to_string(n.amendment) + " 号补遗）");

  doc.heading("一、项目概况");
  doc.key_value("项目名称", n.title)
      .key_value("项目编号", n.tender_id)
      .key_value("物业名称", n.community_name)
      .key_value("招标人", n.tenderer_name);
  if (!n.published_on.empty()) doc.key_value("招标公告发布", n.published_on);

  doc.heading("二、补遗内容");
  doc.paragraph(n.text, detail::body_text());

  doc.heading("三、投标截止时间");
  if (n.old_deadline == n.new_deadline) {
    doc.key_value("投标截止", n.new_deadline + "（不变）");
  } else {
    doc.key_value("原投标截止", n.old_deadline).key_value("变更为", n.new_deadline);
  }
  doc.paragraph(
      "本补遗为招标文件的组成部分，与招标公告具有同等效力；投标截止前已提交的密封投标可替换或撤回。"
      " This amendment forms part of the tender documents.",
      detail::body_text());

  return detail::sign_and_render(doc, n.tenderer_name, n.issued_on, n.verification);
}

}  // namespace sunbid::documents
