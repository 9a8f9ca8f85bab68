#include "documents/vote_result.h"

#include <string>
#include <utility>

#include "documents/renderer.h"
#include "notice_parts.h"

namespace sunbid::documents {

namespace {

std::string area_text(std::int64_t centi) {
  return format_centi(centi) + " m²";
}

// "2000.00 m² / 3000.00 m² = 66.67%": the exact fraction and its percentage.
std::string share(std::int64_t num, std::int64_t den, bool area) {
  const std::string n = area ? area_text(num) : std::to_string(num) + " 人";
  const std::string d = area ? area_text(den) : std::to_string(den) + " 人";
  return n + " / " + d + " = " + (den > 0 ? format_percent(num, den) : std::string("—"));
}

}  // namespace

std::string format_percent(std::int64_t num, std::int64_t den) {
  if (den <= 0) return "—";
  // Hundredths of a percent, half up: (num·20000/den + 1) / 2 in 128 bits.
  const unsigned __int128 twice =
      static_cast<unsigned __int128>(num) * 20000u / static_cast<unsigned __int128>(den);
  return format_centi(static_cast<std::int64_t>((twice + 1) / 2)) + "%";
}

Result<std::string> render_vote_result(const VoteResultInput& n) {
  Document doc(DocumentInfo{n.title + " " + n.subject_title, n.event_time_ms, n.english_subject});
  detail::notice_title(doc, n.title, n.subject_title);

  doc.heading("一、概况");
  for (const auto& [k, v] : n.overview) doc.key_value(k, v);

  const char* yes = "达到 met";
  const char* no = "未达到 not met";
  doc.heading("二、参与表决 Participation（民法典第278条第2款）");
  doc.paragraph(
      "由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决（弃权计入参与）。",
      detail::body_text());
  Table p;
  p.font_pt = 10.0;
  p.columns = {{"指标", 20.0},
               {"参与 / 总数 = 比例", 86.0, Align::left, true},
               {"门槛", 30.0, Align::center},
               {"结论", 30.0, Align::center}};
  p.rows.push_back({"专有部分面积",
                    share(n.participating_area_centi_m2, n.total_area_centi_m2, true),
                    "≥ 2/3 (66.67%)", n.area_quorum ? yes : no});
  p.rows.push_back({"业主人数", share(n.participating_heads, n.total_heads, false),
                    "≥ 2/3 (66.67%)", n.head_quorum ? yes : no});
  p.rows.push_back(
      {"其中弃权",
       area_text(n.abstain_area_centi_m2) + "，" + std::to_string(n.abstain_heads) + " 人", "—",
       "—"});
  doc.table(std::move(p));

  const std::string threshold = n.three_quarters ? "≥ 3/4 (75.00%)" : "> 1/2 (50.00%)";
  doc.heading("三、表决结果 Approval（经参与表决的专有部分面积和人数" +
              std::string(n.three_quarters ? "四分之三以上" : "过半数") + "同意）");
  Table a;
  a.font_pt = 10.0;
  a.columns = {{"选项", 44.0},
               {"同意 / 参与 = 比例（面积；人数）", 86.0, Align::left, true},
               {"结论", 36.0, Align::center}};
  for (const auto& o : n.options) {
    a.rows.push_back({o.label,
                      share(o.area_centi_m2, n.participating_area_centi_m2, true) + "\n" +
                          share(o.heads, n.participating_heads, false),
                      std::string(o.approved ? "通过 " : "未通过 ") + threshold});
  }
  doc.table(std::move(a));

  doc.heading("四、图示 Chart");
  BarChart chart;
  chart.groups.push_back({"参与表决 / 业主总数 participation",
                          {{"面积 area", n.participating_area_centi_m2, n.total_area_centi_m2, true,
                            format_percent(n.participating_area_centi_m2, n.total_area_centi_m2)},
                           {"人数 heads", n.participating_heads, n.total_heads, false,
                            format_percent(n.participating_heads, n.total_heads)}},
                          2,
                          3,
                          "门槛 2/3"});
  for (const auto& o : n.options) {
    const std::int64_t pa = n.participating_area_centi_m2 > 0 ? n.participating_area_centi_m2 : 1;
    const std::int64_t ph = n.participating_heads > 0 ? n.participating_heads : 1;
    std::string name = o.label;
    for (auto& ch : name) {
      if (ch == '\n') ch = ' ';
    }
    chart.groups.push_back(
        {name + " / 参与表决",
         {{"面积 area", o.area_centi_m2, pa, true, format_percent(o.area_centi_m2, pa)},
          {"人数 heads", o.heads, ph, false, format_percent(o.heads, ph)}},
         n.three_quarters ? 3 : 1,
         n.three_quarters ? 4 : 2,
         n.three_quarters ? "门槛 3/4" : "门槛 1/2"});
  }
  chart.legend =
      "斜线条：专有部分面积；灰色条：业主人数；虚线：法定门槛；外框为 100%。百分比四舍五入至 "
      "0.01%，"
      "结论以上表的精确分数比较为准。 Hatched: area; grey: heads; dashed: the threshold.";
  doc.bar_chart(std::move(chart));

  doc.heading("五、结论 Conclusion");
  TextStyle c = detail::body_text();
  c.bold = true;
  doc.paragraph(n.conclusion, c);
  doc.paragraph(
      "每张选票登记于平台透明日志，计票结束后公开；任何人可用 sunbid-verify 按日志重算本结果。 "
      "Every "
      "ballot is in the transparency log, public after the count; anyone can recompute this "
      "result from the log.",
      detail::body_text());
  return detail::sign_and_render(doc, n.signer, n.issued_on, n.verification);
}

}  // namespace sunbid::documents
