#include "documents/award_letters.h"

#include <string>
#include <utility>

#include "documents/renderer.h"
#include "notice_parts.h"

namespace sunbid::documents {

namespace {

constexpr const char* kPriceUnit = "元/m²·月";

std::string bidder_name(const BidderLine& b) {
  return b.name.empty() ? b.uscc : b.name;
}

Document start(const AwardLetterInput& n, const char* title, const char* english) {
  Document doc(DocumentInfo{std::string(title) + " " + n.notice.title, n.notice.event_time_ms,
                            std::string(english) + " " + n.notice.tender_id});
  detail::notice_title(doc, title, n.notice.title);
  return doc;
}

void award_facts(Document& doc, const AwardLetterInput& n) {
  doc.key_value("中标人", bidder_name(n.winner));
  doc.key_value("信用代码", n.winner.uscc);
  doc.key_value("中标价格",
                (n.winner.price.empty() ? std::string("—") : n.winner.price) + " " + kPriceUnit);
  doc.key_value("定标方式", n.decision_method);
  doc.key_value("结果公示", n.award_publicity);
  doc.key_value("通知发出", n.issued_at);
}

// To whom, what, the project and the award (一、二).
void letter_head(Document& doc, const AwardLetterInput& n, const std::string& to,
                 const std::string& text) {
  TextStyle bold = detail::body_text(3.0);
  bold.bold = true;
  doc.paragraph(to, bold);
  doc.paragraph(n.notice.tenderer_name + "就" + n.notice.community_name +
                    "物业服务项目（项目编号 " + n.notice.tender_id + "）" + text,
                detail::body_text(3.0));
  detail::project_overview(doc, n.notice.title, n.notice.tender_id, n.notice.community_name,
                           n.notice.community_address, n.notice.tenderer_name);
  doc.heading("二、中标结果 Award");
  award_facts(doc, n);
}

// The known gap (电子签名法) and how the letter is checked instead.
void record_note(Document& doc, const char* number) {
  doc.heading(std::string(number) + "、核验说明");
  doc.paragraph(
      "本通知书由招标人在本平台发出，发出行为（award_notice.issued）及本文件的源数据摘要登记于平台"
      "透明日志，可扫描页脚二维码核验。本通知书尚未加具《中华人民共和国电子签名法》规定的可靠电子签"
      "名，"
      "以透明日志中的记录为准。 Issued on the platform by the tenderer; the action and this "
      "document's source digest are in the transparency log (scan the code in the footer). Known "
      "gap: the notice carries no electronic signature under the Electronic Signature Law; the "
      "log entry is the record.",
      detail::body_text());
}

}  // namespace

Result<std::string> render_award_notice(const AwardLetterInput& n) {
  Document doc = start(n, "中标通知书", "award notice");
  letter_head(doc, n, "致：" + bidder_name(n.winner) + "（统一社会信用代码 " + n.winner.uscc + "）",
              "组织招标。经评标委员会定性评审、按招标文件规定的定标方式定标，并经中标结果公示期满，"
              "确定贵单位为中标人。特此通知。 You are the winner of this tender.");
  doc.heading("三、签订合同 Contract");
  doc.key_value("签约期限", n.contract_due + " 前");
  doc.paragraph("请贵单位自本通知书发出之日起" + std::to_string(n.contract_days) +
                    "日内，按照招标文件和贵单位的投标文件与招标人订立书面物业服务合同，"
                    "不得再行订立背离合同实质性内容的其他协议（招标投标法第46条）。合同签订后，"
                    "招标人在平台登记合同文件的摘要。 Sign the written contract within " +
                    std::to_string(n.contract_days) +
                    " days of this notice, on the terms of the tender and your bid.",
                detail::body_text());
  record_note(doc, "四");
  return detail::sign_and_render(doc, n.notice.tenderer_name, n.notice.issued_on,
                                 n.notice.verification);
}

Result<std::string> render_award_result_notice(const AwardLetterInput& n) {
  Document doc = start(n, "中标结果通知书", "award result notice");
  letter_head(doc, n, "致：本项目各未中标投标人（名单见第三部分）",
              "组织招标，中标结果公示已期满。现将中标结果通知如下（招标投标法第45条）。"
              "感谢贵单位参与投标。 The result of this tender, to every bidder that did not win.");
  doc.heading("三、未中标投标人 Bidders notified");
  if (n.other_bidders.empty()) {
    doc.paragraph("无。 None.", detail::body_text());
  } else {
    Table t;
    t.font_pt = 10.0;
    t.columns = {{"序号", 14.0, Align::center},
                 {"投标人", 92.0},
                 {"统一社会信用代码", 60.0, Align::left, true}};
    int i = 1;
    for (const auto& b : n.other_bidders) {
      t.rows.push_back({std::to_string(i++), b.name.empty() ? "—" : b.name, b.uscc});
    }
    doc.table(std::move(t));
  }
  doc.paragraph(
      "各投标人的投标情况见本项目的开标记录表与评标报告（平台公开）。 Each bid's opening and "
      "review are in the project's opening record and evaluation report.",
      detail::body_text());
  record_note(doc, "四");
  return detail::sign_and_render(doc, n.notice.tenderer_name, n.notice.issued_on,
                                 n.notice.verification);
}

}  // namespace sunbid::documents
