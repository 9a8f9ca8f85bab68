#include "documents/tender_failed.h"

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

Result<std::string> render_tender_failed(const TenderFailedInput& n) {
  Document doc(
      DocumentInfo{"流标公告 " + n.title, n.event_time_ms, "tender failed notice " + n.tender_id});
  doc.title("流标公告");
  TextStyle sub = body(4.0);
  sub.align = Align::center;
  sub.size_pt = 13.0;
  doc.paragraph(n.title, sub);

  doc.heading("一、项目概况");
  doc.key_value("项目名称", n.title)
      .key_value("项目编号", n.tender_id)
      .key_value("物业名称", n.community_name);
  if (!n.community_address.empty()) doc.key_value("物业地址", n.community_address);
  doc.key_value("招标人", n.tenderer_name);
  if (!n.published_on.empty()) doc.key_value("招标公告发布", n.published_on);
  doc.key_value("流标时间", n.failed_at);

  doc.heading("二、流标原因");
  doc.paragraph(n.reason, body());

  doc.heading("三、后续安排");
  doc.paragraph(
      "本次招标失败（流标）。招标人可依法重新组织招标，重新招标的公告将另行发布，并注明本项目编号。"
      " The tender has failed; the tenderer may tender again, and the new notice will name this "
      "tender.",
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
