#include "documents/stage_notices.h"

#include <string>
#include <utility>

#include "documents/renderer.h"
#include "notice_parts.h"

namespace sunbid::documents {

namespace {

constexpr const char* kPriceUnit = "元/m²·月";

Document start(const StageNoticeHeader& n, const char* title, const char* english) {
  Document doc(DocumentInfo{std::string(title) + " " + n.title, n.event_time_ms,
                            std::string(english) + " " + n.tender_id});
  detail::notice_title(doc, title, n.title);
  detail::project_overview(doc, n.title, n.tender_id, n.community_name, n.community_address,
                           n.tenderer_name);
  return doc;
}

// "阳光物业服务有限公司\n91350200MA2XXXXXX1": the name over its USCC.
std::string bidder_cell(const BidderLine& b) {
  return b.name.empty() ? b.uscc : b.name + "\n" + b.uscc;
}

std::string price_cell(const BidderLine& b) {
  return b.price.empty() ? "—" : b.price;
}

void publicity_section(Document& doc, const char* number, const PublicityTerms& p) {
  doc.heading(std::string(number) + "、公示期");
  doc.key_value("公示开始", p.from);
  doc.key_value("公示截止", p.until);
  doc.key_value("公示期限", std::to_string(p.days) + " 日（日历日，遇法定节假日顺延）");
}

void objection_section(Document& doc, const char* number, const PublicityTerms& p) {
  doc.heading(std::string(number) + "、异议方式");
  for (const auto& line : p.objecting) doc.paragraph(line, detail::body_text());
}

}  // namespace

Result<std::string> render_opening_record(const OpeningRecordInput& r) {
  Document doc = start(r.notice, "开标记录表", "opening record");
  doc.key_value("投标截止", r.bid_deadline);
  doc.key_value("开标时间", r.opened_at + "（报价揭示期结束）");
  doc.key_value("最高投标限价", r.price_ceiling.empty()
                                    ? "本招标未设最高投标限价 none"
                                    : r.price_ceiling + "（高于此价的报价无效）");
  doc.key_value("有效投标", std::to_string(r.valid_bids) + " 个（本招标要求至少 " +
                                std::to_string(r.min_valid_bids) + " 个）");

  doc.heading("二、开标记录 Opening record");
  Table t;
  t.font_pt = 10.0;
  t.columns = {{"序号", 11.0, Align::center},
               {"投标人 / 统一社会信用代码", 66.0},
               {std::string("报价（") + kPriceUnit + "）", 29.0, Align::right, true},
               {"开标结论", 60.0}};
  int i = 1;
  for (const auto& row : r.rows) {
    t.rows.push_back(
        {std::to_string(i++), bidder_cell(row.bidder), price_cell(row.bidder), row.conclusion});
  }
  doc.table(std::move(t));
  doc.paragraph(
      "报价为投标人在报价揭示期内揭示、经平台核对承诺值的报价，以元/平方米·月计，由整数分精确换算。"
      "未揭示报价的投标视为撤销；投标截止时资格不符的投标无效，不进入评审。 Prices are those "
      "revealed in the reveal window and checked against the sealed commitments, in yuan per m² "
      "per month, exact from integer fen.",
      detail::body_text(3.0));

  doc.heading("三、投标文件摘要 Document digests (SHA-256)");
  Table d;
  d.font_pt = 9.0;
  d.columns = {
      {"序号", 11.0, Align::center}, {"文件", 43.0}, {"SHA-256", 112.0, Align::left, true}};
  i = 1;
  bool any = false;
  for (const auto& row : r.rows) {
    for (const auto& f : row.documents) {
      d.rows.push_back({std::to_string(i), f.name, f.sha256_hex});
      any = true;
    }
    ++i;
  }
  if (any) {
    doc.table(std::move(d));
  } else {
    doc.paragraph("无有效投标文件。 No valid bid documents.", detail::body_text());
  }
  doc.paragraph(
      "序号对应上表的投标人。任何人可计算所持投标文件的 SHA-256 并与此核对。 The numbers refer to "
      "the bidders above; anyone may hash a copy of a bid document and compare.",
      detail::body_text());
  return detail::sign_and_render(doc, r.notice.tenderer_name, r.notice.issued_on,
                                 r.notice.verification);
}

Result<std::string> render_evaluation_report(const EvaluationReportInput& n) {
  const bool named = !n.members.empty();
  Document doc =
      start(n.notice, "评标报告", named ? "evaluation report (named)" : "evaluation report");
  doc.key_value("评标委员会", std::to_string(n.seats) + " 席（定性评审，逐项合格/不合格）");
  doc.key_value("版本", named ? "定标后署名版（成员姓名公开） named, after the decision"
                              : "评审结论版（以席位编号代替成员姓名） by seat, until the decision");
  int section = 2;
  static constexpr const char* kNumerals[] = {"一", "二", "三", "四"};
  if (named) {
    doc.heading(std::string(kNumerals[section++ - 1]) + "、评标委员会成员 Committee");
    Table t;
    t.font_pt = 11.0;
    t.columns = {{"席位", 20.0, Align::center}, {"姓名", 146.0}};
    for (std::size_t i = 0; i < n.members.size(); ++i) {
      t.rows.push_back({std::to_string(i + 1), n.members[i]});
    }
    doc.table(std::move(t));
  }
  doc.heading(std::string(kNumerals[section - 1]) +
              "、评审情况（不打分、不排名）Review by criterion, no score, no rank");
  TextStyle bidder_style = detail::body_text(1.5);
  bidder_style.bold = true;
  bidder_style.space_before_mm = 2.0;
  bidder_style.keep_with_next_mm = 30.0;
  int i = 1;
  for (const auto& b : n.bids) {
    const std::string who =
        b.bidder.name.empty() ? b.bidder.uscc : b.bidder.name + "（" + b.bidder.uscc + "）";
    doc.paragraph("（" + std::to_string(i++) + "）" + who + "　评审结论：" +
                      (b.qualified ? "合格 passed" : "不合格 failed"),
                  bidder_style);
    Table t;
    t.font_pt = 10.0;
    t.columns = {{"评审标准", 36.0}, {"结论", 44.0, Align::center}, {"不合格理由（按席位）", 86.0}};
    for (const auto& c : b.criteria) {
      std::string reasons;
      for (const auto& r : c.reasons) reasons += (reasons.empty() ? "" : "\n") + r;
      t.rows.push_back({c.title,
                        std::string(c.failed ? "不合格" : "合格") + "\n合格 " +
                            std::to_string(c.pass_seats) + " 席 / 不合格 " +
                            std::to_string(c.fail_seats) + " 席",
                        reasons.empty() ? "—" : reasons});
    }
    doc.table(std::move(t));
    for (const auto& r : b.remarks) doc.paragraph(r, detail::body_text(1.0));
  }
  return detail::sign_and_render(doc, n.notice.tenderer_name, n.notice.issued_on,
                                 n.notice.verification);
}

Result<std::string> render_candidate_publicity(const CandidatePublicityInput& n) {
  Document doc = start(n.notice, "中标候选人公示", "candidate publicity");
  doc.key_value("评定方式", n.decision_method);
  doc.key_value("评标委员会", std::to_string(n.seats) + " 席（定性评审，逐项合格/不合格）");

  doc.heading("二、中标候选人（排名不分先后）Candidates, unranked");
  Table t;
  t.font_pt = 10.0;
  t.columns = {{"序号", 11.0, Align::center},
               {"中标候选人 / 统一社会信用代码", 62.0},
               {std::string("报价（") + kPriceUnit + "）", 29.0, Align::right, true},
               {"评审情况", 64.0}};
  int i = 1;
  for (const auto& c : n.candidates) {
    std::string review;
    for (const auto& line : c.review) {
      if (!review.empty()) review += "\n";
      review += line;
    }
    t.rows.push_back({std::to_string(i++), bidder_cell(c.bidder), price_cell(c.bidder),
                      review.empty() ? "评审合格" : review});
  }
  doc.table(std::move(t));
  doc.paragraph(
      "评审情况为评标委员会各席位对每项评审标准的合格/不合格结论（合格席位数/委员会席位数），"
      "不打分、不排名；评标报告按席位编号公开。 The review summary gives, per criterion, how "
      "many seats marked the bid as passing: no score and no rank.",
      detail::body_text(3.0));

  publicity_section(doc, "三", n.publicity);
  objection_section(doc, "四", n.publicity);
  return detail::sign_and_render(doc, n.notice.tenderer_name, n.notice.issued_on,
                                 n.notice.verification);
}

Result<std::string> render_award_publicity(const AwardPublicityInput& n) {
  Document doc = start(n.notice, "中标结果公示", "award publicity");
  doc.key_value("评定方式", n.decision_method);
  doc.key_value("定标时间", n.decided_at);

  doc.heading("二、中标人 Winner");
  doc.key_value("中标人", n.winner.name.empty() ? n.winner.uscc : n.winner.name);
  doc.key_value("信用代码", n.winner.uscc);
  doc.key_value("中标价格", price_cell(n.winner) + " " + kPriceUnit);

  doc.heading("三、中标候选人（排名不分先后）Candidates, unranked");
  Table t;
  t.font_pt = 10.0;
  t.columns = {{"序号", 11.0, Align::center},
               {"中标候选人 / 统一社会信用代码", 90.0},
               {std::string("报价（") + kPriceUnit + "）", 35.0, Align::right, true},
               {"结果", 30.0, Align::center}};
  int i = 1;
  for (const auto& c : n.candidates) {
    t.rows.push_back({std::to_string(i++), bidder_cell(c), price_cell(c),
                      c.uscc == n.winner.uscc ? "中标" : "—"});
  }
  doc.table(std::move(t));

  publicity_section(doc, "四", n.publicity);
  objection_section(doc, "五", n.publicity);
  doc.heading("六、后续安排");
  doc.paragraph(
      "公示期满无异议或异议已答复后，招标人向中标人发出中标通知书，并将结果告知其他投标人；"
      "双方应自中标通知书发出之日起30日内订立书面物业服务合同（招标投标法第46条）。 After the "
      "publicity, the tenderer issues the award notice; the contract is to be signed within 30 "
      "days.",
      detail::body_text());
  return detail::sign_and_render(doc, n.notice.tenderer_name, n.notice.issued_on,
                                 n.notice.verification);
}

}  // namespace sunbid::documents
