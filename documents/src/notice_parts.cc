#include "notice_parts.h"

#include <utility>

namespace sunbid::documents::detail {

TextStyle body_text(double after_mm) {
  TextStyle s;
  s.size_pt = 12.0;
  s.space_after_mm = after_mm;
  return s;
}

void notice_title(Document& doc, std::string title, std::string subtitle) {
  doc.title(std::move(title));
  TextStyle sub = body_text(4.0);
  sub.align = Align::center;
  sub.size_pt = 13.0;
  doc.paragraph(std::move(subtitle), sub);
}

void project_overview(Document& doc, const std::string& title, const std::string& tender_id,
                      const std::string& community_name, const std::string& community_address,
                      const std::string& tenderer_name) {
  doc.heading("一、项目概况");
  doc.key_value("项目名称", title)
      .key_value("项目编号", tender_id)
      .key_value("物业名称", community_name);
  if (!community_address.empty()) doc.key_value("物业地址", community_address);
  doc.key_value("招标人", tenderer_name);
}

Result<std::string> sign_and_render(Document& doc, std::string tenderer_name, std::string issued_on,
                                    const std::optional<VerificationFooter>& verification) {
  TextStyle sign = body_text(1.0);
  sign.align = Align::right;
  sign.space_before_mm = 8.0;
  doc.paragraph(std::move(tenderer_name), sign);
  sign.space_before_mm = 0.0;
  doc.paragraph(std::move(issued_on), sign);
  if (verification) {
    doc.footer(verification_footer_hook(*verification), kVerificationFooterHeightMm);
  }
  return doc.render_pdf();
}

}  // namespace sunbid::documents::detail
