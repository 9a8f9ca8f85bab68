#include "documents/tender_amended.h"

#include <string>

#include "documents/renderer.h"

namespace sunbid::documents {

namespace {

TextStyle body(double after_mm = 1.5) {
  TextStyle s;
  s.size_pt = 12.0;
  s.space_after_mm = after_mm;
  return s;
}

}  // namespace

Result<std::string> render_tender_amended(const TenderAmendedInput& n) {
  Document doc(DocumentInfo{"补遗公告 " + n.title, n.event_time_ms,
                            "tender amendment notice " + n.tender_id});
  doc.title("补遗/更正公告");
  TextStyle sub = body(4.0);
  sub.align = Align::center;
  sub.size_pt = 13.0;
  doc.paragraph(n.title + "（第 " + std::to_string(n.amendment) + " 号补遗）", sub);

  doc.heading("一、项目概况");
  doc.key_value("项目名称", n.title)
      .key_value("项目编号", n.tender_id)
      .key_value("物业名称", n.community_name)
      .key_value("招标人", n.tenderer_name);
  if (!n.published_on.empty()) doc.key_value("招标公告发布", n.published_on);

  doc.heading("二、补遗内容");
  doc.paragraph(n.text, body());

  doc.heading("三、投标截止时间");
  if (n.old_deadline == n.new_deadline) {
    doc.key_value("投标截止", n.new_deadline + "（不变）");
  } else {
    doc.key_value("原投标截止", n.old_deadline).key_value("变更为", n.new_deadline);
  }
  doc.paragraph(
      "本补遗为招标文件的组成部分，与招标公告具有同等效力；投标截止前已提交的密封投标可替换或撤回。"
      " This amendment forms part of the tender documents.",
      body());

  TextStyle sign = body(1.0);
  sign.align = Align::right;
  sign.space_before_mm = 8.0;
  doc.paragraph(n.tenderer_name, sign);
  sign.space_before_mm = 0.0;
  doc.paragraph(n.issued_on, sign);

  if (n.verification) {
    doc.footer(verification_footer_hook(*n.verification), kVerificationFooterHeightMm);
  }
  return doc.render_pdf();
}

}  // namespace sunbid::documents
