#include "documents/tender_notice.h"

#include <string>
#include <utility>

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

Result<std::string> render_tender_notice(const TenderNoticeInput& n) {
  Document doc(
      DocumentInfo{"招标公告 " + n.title, n.event_time_ms, "tender notice " + n.tender_id});
  doc.title("招标公告");
  TextStyle sub = body(4.0);
  sub.align = Align::center;
  sub.size_pt = 13.0;
  doc.paragraph(n.title, sub);

  // Sections are numbered as printed: an empty optional section takes no number.
  static constexpr const char* kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八"};
  int section = 0;
  auto heading = [&](const char* name) {
    doc.heading(std::string(kNumerals[section++]) + "、" + name);
  };

  heading("项目概况");
  doc.key_value("项目名称", n.title)
      .key_value("项目编号", n.tender_id)
      .key_value("物业名称", n.community_name);
  if (!n.community_address.empty()) doc.key_value("物业地址", n.community_address);
  doc.key_value("专有部分总面积",
                format_centi(n.total_area_centi_m2) + " m²，共 " + std::to_string(n.units) + " 户");
  doc.key_value("服务等级", n.service_tier);

  heading("招标人");
  doc.key_value("招标人", n.tenderer_name).key_value("类型", n.tenderer_kind);

  heading("选聘方案");
  if (n.budget_min_fen_per_m2_month != 0 || n.budget_max_fen_per_m2_month != 0) {
    doc.key_value("预算", format_centi(n.budget_min_fen_per_m2_month) + " – " +
                              format_centi(n.budget_max_fen_per_m2_month) + " 元/m²·月");
    doc.key_value("最高投标限价",
                  format_centi(n.budget_max_fen_per_m2_month) + " 元/m²·月（高于此价的报价无效）");
  }
  if (n.reference_min_fen_per_m2_month != 0 || n.reference_max_fen_per_m2_month != 0) {
    doc.key_value("参考价格", format_centi(n.reference_min_fen_per_m2_month) + " – " +
                                  format_centi(n.reference_max_fen_per_m2_month) +
                                  " 元/m²·月（服务等级参考价，超出者清标时标注质价不符）");
  }
  if (n.contract_term_months > 0) {
    doc.key_value("合同期限", std::to_string(n.contract_term_months) + " 个月");
  }
  doc.key_value("评定方式", n.decision_method);
  if (!n.selection_plan_ref.empty()) doc.key_value("选聘方案", n.selection_plan_ref);

  if (!n.qualifications.empty()) {
    heading("投标人资格要求");
    int i = 1;
    for (const auto& q : n.qualifications) {
      doc.paragraph("（" + std::to_string(i++) + "）" + q, body(1.0));
    }
  }

  if (!n.timeline.empty()) {
    heading("时间安排");
    Table t;
    t.columns = {{"事项", 86.0}, {"时间", 80.0}};
    t.font_pt = 12.0;
    for (const auto& m : n.timeline) t.rows.push_back({m.what, m.when});
    doc.table(std::move(t));
  }

  if (!n.how_to_bid.empty()) {
    heading("投标方式");
    for (const auto& p : n.how_to_bid) doc.paragraph(p, body());
  }
  if (!n.contact.empty()) {
    heading("联系方式");
    doc.paragraph(n.contact, body());
  }

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
