#include "documents/tender_notice.h"

#include <string>
#include <utility>

#include "documents/renderer.h"
#include "notice_parts.h"

namespace sunbid::documents {

Result<std::string> render_tender_notice(const TenderNoticeInput& n) {
  Document doc(
      DocumentInfo{"招标公告 " + n.title, n.event_time_ms, "tender notice " + n.tender_id});
  detail::notice_title(doc, "招标公告", n.title);

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
      doc.paragraph("（" + std::to_string(i++) + "）" + q, detail::body_text(1.0));
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
    for (const auto& p : n.how_to_bid) doc.paragraph(p, detail::body_text());
  }
  if (!n.contact.empty()) {
    heading("联系方式");
    doc.paragraph(n.contact, detail::body_text());
  }

  return detail::sign_and_render(doc, n.tenderer_name, n.issued_on, n.verification);
}

}  // namespace sunbid::documents
