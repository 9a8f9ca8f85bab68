// The verification footer and the 招标公告 layout (issue 14), read back with
// pdftotext.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "audit_log/sha256.h"
#include "documents/award_letters.h"
#include "documents/stage_notices.h"
#include "documents/tender_notice.h"
#include "documents/verification_footer.h"
#include "documents/vote_result.h"

using namespace sunbid::documents;
namespace fs = std::filesystem;

namespace {

VerificationFooter sample_footer() {
  VerificationFooter f;
  f.log_index = 4711;
  f.checkpoint_size = 4720;
  f.checkpoint_root_hex = sunbid::hex_encode(sunbid::sha256("root"));
  f.source_sha256_hex = sunbid::hex_encode(sunbid::sha256("source"));
  f.verifier_key_id = "sunbid.example.cn+5f0c1a2b";
  f.public_base_url = "https://sunbid.example.cn";
  return f;
}

TenderNoticeInput sample_notice() {
  TenderNoticeInput n;
  n.tender_id = "T-2026-0042";
  n.title = "阳光花园物业服务选聘";
  n.tenderer_name = "阳光花园业主委员会";
  n.tenderer_kind = "业主委员会 owners' committee";
  n.community_name = "海沧区阳光花园";
  n.community_address = "厦门市海沧区海沧街道滨湖北路 88 号";
  n.total_area_centi_m2 = 18'234'567;
  n.units = 1'650;
  n.service_tier = "二级";
  n.budget_min_fen_per_m2_month = 180;
  n.budget_max_fen_per_m2_month = 250;
  n.contract_term_months = 36;
  n.decision_method = "业主大会表决（定性评审，评定分离）";
  n.selection_plan_ref = "业主大会议题 12，2026-05-20 通过";
  for (int i = 1; i <= 6; ++i) {
    n.qualifications.push_back("具有独立法人资格的物业服务企业，第 " + std::to_string(i) +
                               " 项资格条件，近三年无重大违法记录。");
  }
  n.timeline = {{"公告发布 notice", "2026-06-01"},
                {"投标截止 bid deadline", "2026-06-22 17:00（北京时间）"},
                {"开标 opening", "2026-06-23 09:30"},
                {"候选人公示 candidate publicity", "2026-07-01 至 2026-07-07"}};
  n.how_to_bid = {"投标人在 sunbid 平台注册并通过审核后，于投标截止前提交加密投标文件。",
                  "投标文件的摘要在截止时间前登记于透明日志，开标时公开核验。"};
  n.contact = "阳光花园业主委员会办公室，电话 0592-0000000";
  n.issued_on = "2026年6月1日";
  n.event_time_ms = 1'780'300'000'000;
  n.verification = sample_footer();
  return n;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  REQUIRE(pclose(p) == 0);
  return out;
}

bool have_pdftotext() {
  return std::system("command -v pdftotext >/dev/null 2>&1") == 0;
}

std::string text_of(const std::string& pdf) {
  const fs::path path =
      fs::temp_directory_path() / ("sunbid-notice-" + std::to_string(getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary).write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
  const std::string text = run("pdftotext -layout '" + path.string() + "' -");
  fs::remove(path);
  return text;
}

// A hex digest may wrap in the footer: compare with whitespace removed.
std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\f') out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("the verification footer names the entry, checkpoint, digest and key", "[documents]") {
  const auto f = sample_footer();
  CHECK(verification_url(f) == "https://sunbid.example.cn/verify#index=4711");
  const Footer footer = verification_footer(f);
  CHECK(footer.qr_text == "https://sunbid.example.cn/verify#index=4711");
  std::string all;
  for (const auto& l : footer.lines) all += l + "\n";
  CHECK(all.find("4711") != std::string::npos);
  CHECK(all.find("4720") != std::string::npos);
  CHECK(all.find(f.checkpoint_root_hex) != std::string::npos);
  CHECK(all.find(f.source_sha256_hex) != std::string::npos);
  CHECK(all.find(f.verifier_key_id) != std::string::npos);
}

TEST_CASE("a tender notice prints its facts and the footer on every page", "[documents]") {
  auto n = sample_notice();
  // Enough qualification lines for a second page.
  for (int i = 7; i <= 30; ++i)
    n.qualifications.push_back("补充资格条件第 " + std::to_string(i) + " 项。");
  auto pdf = render_tender_notice(n);
  REQUIRE(pdf.ok());
  auto again = render_tender_notice(n);
  REQUIRE(again.ok());
  CHECK(*pdf == *again);
  auto changed = n;
  changed.budget_max_fen_per_m2_month = 251;
  auto other = render_tender_notice(changed);
  REQUIRE(other.ok());
  CHECK(sunbid::sha256(*other) != sunbid::sha256(*pdf));

  if (!have_pdftotext()) {
    WARN("pdftotext (poppler-utils) is not installed: the notice's text not checked");
    return;
  }
  const std::string text = text_of(*pdf);
  std::vector<std::string> pages;
  std::size_t start = 0;
  for (std::size_t ff; (ff = text.find('\f', start)) != std::string::npos; start = ff + 1) {
    pages.push_back(text.substr(start, ff - start));
  }
  REQUIRE(pages.size() >= 2);
  CHECK(text.find("招标公告") != std::string::npos);
  CHECK(text.find("T-2026-0042") != std::string::npos);
  CHECK(text.find("182345.67 m²") != std::string::npos);
  CHECK(text.find("1.80 – 2.50 元/m²·月") != std::string::npos);
  CHECK(text.find("36 个月") != std::string::npos);
  CHECK(text.find("2026-06-22 17:00") != std::string::npos);
  const auto f = sample_footer();
  for (std::size_t i = 0; i < pages.size(); ++i) {
    INFO("page " << i + 1 << ":\n" << pages[i]);
    const std::string flat = squeeze(pages[i]);
    CHECK(flat.find("透明日志第4711条") != std::string::npos);
    CHECK(flat.find(f.checkpoint_root_hex) != std::string::npos);
    CHECK(flat.find(f.source_sha256_hex) != std::string::npos);
    CHECK(flat.find(f.verifier_key_id) != std::string::npos);
    CHECK(flat.find("https://sunbid.example.cn/verify#index=4711") != std::string::npos);
  }
}

namespace {

StageNoticeHeader stage_header(std::int64_t event_ms, const char* issued_on) {
  StageNoticeHeader h;
  h.tender_id = "T-2026-0042";
  h.title = "阳光花园物业服务选聘";
  h.tenderer_name = "阳光花园业主委员会";
  h.community_name = "阳光花园";
  h.community_address = "厦门市海沧区海沧街道滨湖北路 88 号";
  h.issued_on = issued_on;
  h.event_time_ms = event_ms;
  h.verification = sample_footer();
  return h;
}

// USCC-like codes and names for bidder i (unranked: by USCC).
BidderLine bidder(int i, std::int64_t price_fen) {
  char uscc[19];
  std::snprintf(uscc, sizeof uscc, "91350200MA%08d", i);
  return {"厦门第" + std::to_string(i) + "物业服务有限公司", uscc,
          price_fen > 0 ? format_centi(price_fen) : ""};
}

PublicityTerms publicity() {
  return {"2026-07-01 10:00（北京时间）",
          "2026-07-03 24:00（北京时间）",
          3,
          {"投标人、本小区业主及其他利害关系人对评标结果有异议的，应当在公示期内在本平台提出。"}};
}

// An opening record of `bids` bidders: every fifth not revealed, every
// seventh not qualified, the rest valid with two documents.
OpeningRecordInput sample_opening(int bids) {
  OpeningRecordInput r;
  r.notice = stage_header(1'782'100'000'000, "2026年6月23日");
  r.bid_deadline = "2026-06-22 17:00（北京时间）";
  r.opened_at = "2026-06-23 17:00（北京时间）";
  r.min_valid_bids = 3;
  for (int i = 1; i <= bids; ++i) {
    OpeningRecordInput::Row row;
    if (i % 5 == 0) {
      row.bidder = bidder(i, 0);
      row.conclusion = "无效：未在报价揭示期内揭示报价，视为撤销 invalid: not revealed";
    } else if (i % 7 == 0) {
      row.bidder = bidder(i, 0);
      row.conclusion = "无效：投标截止时资格不符（信用等级低于要求） invalid: not qualified";
    } else {
      row.bidder = bidder(i, 200 + 7 * i);
      row.valid = true;
      row.conclusion = "有效 valid";
      ++r.valid_bids;
      row.documents = {
          {"服务方案.pdf", sunbid::hex_encode(sunbid::sha256("plan" + std::to_string(i)))},
          {"人员配置.pdf", sunbid::hex_encode(sunbid::sha256("staff" + std::to_string(i)))}};
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

CandidatePublicityInput sample_candidates() {
  CandidatePublicityInput n;
  n.notice = stage_header(1'782'900'000'000, "2026年7月1日");
  n.decision_method = "业主大会表决（定性评审，评定分离） owners' vote";
  n.seats = 5;
  for (int i : {1, 2, 3}) {
    n.candidates.push_back(
        {bidder(i, 200 + 7 * i), {"服务方案：合格（5/5 席合格）", "人员配置：合格（4/5 席合格）"}});
  }
  n.publicity = publicity();
  return n;
}

AwardPublicityInput sample_award() {
  AwardPublicityInput n;
  n.notice = stage_header(1'783'900'000'000, "2026年7月12日");
  n.decision_method = "业主大会表决（定性评审，评定分离） owners' vote";
  n.decided_at = "2026-07-12 10:00（北京时间）";
  n.winner = bidder(2, 214);
  for (int i : {1, 2, 3}) n.candidates.push_back(bidder(i, 200 + 7 * i));
  n.publicity = publicity();
  return n;
}

// Renders twice (same bytes), then once with `change` applied (another digest).
template <typename Input, typename Render, typename Change>
std::string check_stable(const Input& input, Render render, Change change) {
  auto pdf = render(input);
  REQUIRE(pdf.ok());
  auto again = render(input);
  REQUIRE(again.ok());
  CHECK(*pdf == *again);
  Input changed = input;
  change(changed);
  auto other = render(changed);
  REQUIRE(other.ok());
  CHECK(sunbid::sha256(*other) != sunbid::sha256(*pdf));
  return *pdf;
}

}  // namespace

TEST_CASE("an opening record lists every bidder, price, digest and conclusion", "[documents]") {
  const auto r = sample_opening(30);
  const std::string pdf = check_stable(r, render_opening_record, [](OpeningRecordInput& c) {
    c.rows[0].bidder.price = format_centi(208);  // one price, one fen more
  });
  if (!have_pdftotext()) {
    WARN("pdftotext (poppler-utils) is not installed: the record's text not checked");
    return;
  }
  const std::string text = text_of(pdf);
  const std::string flat = squeeze(text);
  CHECK(text.find("开标记录表") != std::string::npos);
  CHECK(text.find("本招标未设最高投标限价") != std::string::npos);
  for (const auto& row : r.rows) {
    INFO(row.bidder.uscc);
    CHECK(flat.find(squeeze(row.bidder.name)) != std::string::npos);
    CHECK(flat.find(row.bidder.uscc) != std::string::npos);
    if (row.valid) CHECK(flat.find(row.bidder.price) != std::string::npos);
    for (const auto& d : row.documents) CHECK(flat.find(d.sha256_hex) != std::string::npos);
  }
  CHECK(flat.find("视为撤销") != std::string::npos);
  CHECK(flat.find("资格不符") != std::string::npos);
  CHECK(flat.find("透明日志第4711条") != std::string::npos);
}

TEST_CASE("a candidate publicity lists candidates unranked with price and review", "[documents]") {
  const auto n = sample_candidates();
  const std::string pdf = check_stable(
      n, render_candidate_publicity,
      [](CandidatePublicityInput& c) { c.publicity.until = "2026-07-04 24:00（北京时间）"; });
  if (!have_pdftotext()) return;
  const std::string flat = squeeze(text_of(pdf));
  CHECK(flat.find("中标候选人公示") != std::string::npos);
  CHECK(flat.find("排名不分先后") != std::string::npos);
  for (const auto& c : n.candidates) {
    CHECK(flat.find(c.bidder.uscc) != std::string::npos);
    CHECK(flat.find(c.bidder.price) != std::string::npos);
  }
  CHECK(flat.find("人员配置：合格（4/5席合格）") != std::string::npos);
  CHECK(flat.find("2026-07-0324:00") != std::string::npos);
  CHECK(flat.find("异议") != std::string::npos);
  // No score and no rank anywhere.
  CHECK(flat.find("得分") == std::string::npos);
  CHECK(flat.find("排名第") == std::string::npos);
}

TEST_CASE("an award publicity names the winner and its price", "[documents]") {
  const auto n = sample_award();
  const std::string pdf = check_stable(n, render_award_publicity,
                                       [](AwardPublicityInput& c) { c.winner = bidder(3, 221); });
  if (!have_pdftotext()) return;
  const std::string flat = squeeze(text_of(pdf));
  CHECK(flat.find("中标结果公示") != std::string::npos);
  CHECK(flat.find("中标人" + squeeze(n.winner.name)) != std::string::npos);
  CHECK(flat.find("2.14元/m²·月") != std::string::npos);
  CHECK(flat.find("30日内") != std::string::npos);
}

namespace {

// A 评标报告 of 10 bids, 5 seats, two criteria; bid 3 fails one criterion.
EvaluationReportInput sample_report(bool named) {
  EvaluationReportInput n;
  n.notice = stage_header(1'782'700'000'000, "2026年6月29日");
  n.seats = 5;
  if (named) n.members = {"王建国", "李秀英", "张伟", "刘洋", "陈静"};
  const auto seat = [&](int k) {
    std::string s = "席位 " + std::to_string(k);
    return named ? s + "（" + n.members[static_cast<std::size_t>(k - 1)] + "）" : s;
  };
  for (int i = 1; i <= 10; ++i) {
    EvaluationReportInput::Bid b;
    b.bidder = bidder(i, 0);
    b.qualified = i != 3;
    b.criteria.push_back({"服务方案", 5, 0, false, {}});
    if (i == 3) {
      b.criteria.push_back({"人员配置",
                            1,
                            4,
                            true,
                            {seat(1) + "：项目经理无从业经历证明", seat(2) + "：保安人数不足"}});
    } else {
      b.criteria.push_back({"人员配置", 5, 0, false, {}});
    }
    b.remarks.push_back(seat(1) + " 优势：方案完整；不足：夜间巡查频次偏低；风险：人员流动");
    n.bids.push_back(std::move(b));
  }
  return n;
}

}  // namespace

TEST_CASE("an evaluation report gives pass/fail by seat, names only once named", "[documents]") {
  const auto by_seat = sample_report(false);
  const std::string pdf =
      check_stable(by_seat, render_evaluation_report,
                   [](EvaluationReportInput& c) { c.bids[2].qualified = true; });
  const auto named = sample_report(true);
  const std::string named_pdf = check_stable(
      named, render_evaluation_report, [](EvaluationReportInput& c) { c.members[4] = "陈晶"; });
  CHECK(sunbid::sha256(pdf) != sunbid::sha256(named_pdf));
  if (!have_pdftotext()) return;
  const std::string flat = squeeze(text_of(pdf));
  CHECK(flat.find("评标报告") != std::string::npos);
  CHECK(flat.find("不打分、不排名") != std::string::npos);
  CHECK(flat.find("席位1：项目经理无从业经历证明") != std::string::npos);
  CHECK(flat.find("合格1席/不合格4席") != std::string::npos);
  for (const auto& name : named.members) CHECK(flat.find(name) == std::string::npos);
  const std::string named_flat = squeeze(text_of(named_pdf));
  for (const auto& name : named.members) CHECK(named_flat.find(name) != std::string::npos);
  CHECK(named_flat.find("席位1（王建国）：项目经理无从业经历证明") != std::string::npos);
  CHECK(named_flat.find("得分") == std::string::npos);
}

namespace {

// The 中标通知书 / 中标结果通知书 of a 30-bid tender won by bidder 2.
AwardLetterInput sample_letter() {
  AwardLetterInput n;
  n.notice = stage_header(1'784'500'000'000, "2026年7月19日");
  n.decision_method = "业主大会表决（定性评审，评定分离） owners' vote";
  n.award_publicity = "2026-07-12 10:00（北京时间） 至 2026-07-15 24:00（北京时间）";
  n.winner = bidder(2, 214);
  n.issued_at = "2026-07-19 09:30（北京时间）";
  n.contract_days = 30;
  n.contract_due = "2026-08-18 24:00（北京时间）";
  for (int i = 1; i <= 30; ++i) {
    if (i != 2) n.other_bidders.push_back(bidder(i, 0));
  }
  return n;
}

// An owners' vote: 1,200 owners, 3 candidates; candidate 2 has both majorities.
VoteResultInput sample_vote() {
  VoteResultInput n;
  n.title = "投票结果公告";
  n.subject_title = "阳光花园物业服务选聘";
  n.overview = {{"项目编号", "T-2026-0042"}, {"表决轮次", "第 1 轮"}};
  n.approval_rule = "过半数 more than 1/2";
  n.total_area_centi_m2 = 12'000'000;
  n.total_heads = 1'200;
  n.participating_area_centi_m2 = 8'400'000;
  n.participating_heads = 850;
  n.abstain_area_centi_m2 = 400'000;
  n.abstain_heads = 40;
  n.area_quorum = true;
  n.head_quorum = true;
  n.options = {{bidder(1, 0).name, 1'500'000, 150, false},
               {bidder(2, 0).name, 5'000'000, 520, true},
               {bidder(3, 0).name, 1'500'000, 140, false}};
  n.conclusion = "厦门第2物业服务有限公司 获双过半同意，为中标人。";
  n.signer = "阳光花园业主委员会";
  n.issued_on = "2026年7月12日";
  n.english_subject = "vote result T-2026-0042";
  n.event_time_ms = 1'783'900'000'000;
  n.verification = sample_footer();
  return n;
}

}  // namespace

TEST_CASE("an award notice names the winner, its price and the contract's 30 days", "[documents]") {
  auto n = sample_letter();
  n.other_bidders.clear();
  const std::string pdf = check_stable(n, render_award_notice,
                                       [](AwardLetterInput& c) { c.contract_due = "2026-08-19"; });
  if (!have_pdftotext()) return;
  const std::string flat = squeeze(text_of(pdf));
  CHECK(flat.find("中标通知书") != std::string::npos);
  CHECK(flat.find("致：" + squeeze(n.winner.name)) != std::string::npos);
  CHECK(flat.find(n.winner.uscc) != std::string::npos);
  CHECK(flat.find("2.14元/m²·月") != std::string::npos);
  CHECK(flat.find("30日内") != std::string::npos);
  CHECK(flat.find("2026-08-1824:00") != std::string::npos);
  CHECK(flat.find("电子签名法") != std::string::npos);  // the known gap, stated
  CHECK(flat.find("透明日志第4711条") != std::string::npos);
}

TEST_CASE("an award result notice tells every other bidder who won", "[documents]") {
  const auto n = sample_letter();
  const std::string pdf = check_stable(n, render_award_result_notice,
                                       [](AwardLetterInput& c) { c.other_bidders.pop_back(); });
  if (!have_pdftotext()) return;
  const std::string flat = squeeze(text_of(pdf));
  CHECK(flat.find("中标结果通知书") != std::string::npos);
  CHECK(flat.find("中标人" + squeeze(n.winner.name)) != std::string::npos);
  CHECK(flat.find("2.14元/m²·月") != std::string::npos);
  for (const auto& b : n.other_bidders) {
    CHECK(flat.find(squeeze(b.name)) != std::string::npos);
    CHECK(flat.find(b.uscc) != std::string::npos);
  }
}

TEST_CASE("percentages are exact integer fractions rounded half up", "[documents]") {
  CHECK(format_percent(2, 3) == "66.67%");
  CHECK(format_percent(1, 2) == "50.00%");
  CHECK(format_percent(1, 3) == "33.33%");
  CHECK(format_percent(0, 7) == "0.00%");
  CHECK(format_percent(7, 7) == "100.00%");
  CHECK(format_percent(1, 20000) == "0.01%");  // 0.005% rounds half up
  CHECK(format_percent(1, 20001) == "0.00%");
  // Areas near 2^53 hundredths do not overflow.
  CHECK(format_percent(9'000'000'000'000'000, 9'000'000'000'000'000) == "100.00%");
}

TEST_CASE("a vote result prints participation and approval as fractions with a chart",
          "[documents]") {
  const auto n = sample_vote();
  const std::string pdf =
      check_stable(n, render_vote_result, [](VoteResultInput& c) { c.options[1].heads = 519; });
  // The chart changes with the figures even when no text does: a bar longer
  // by one head's share changes the bytes.
  auto moved = n;
  moved.participating_heads = 851;
  auto other = render_vote_result(moved);
  REQUIRE(other.ok());
  CHECK(sunbid::sha256(*other) != sunbid::sha256(pdf));
  if (!have_pdftotext()) return;
  const std::string flat = squeeze(text_of(pdf));
  CHECK(flat.find("投票结果公告") != std::string::npos);
  // Participation: 84000.00 of 120000.00 m² = 70.00%, 850 of 1200 = 70.83%.
  CHECK(flat.find("84000.00m²/120000.00m²=70.00%") != std::string::npos);
  CHECK(flat.find("850人/1200人=70.83%") != std::string::npos);
  CHECK(flat.find("≥2/3(66.67%)") != std::string::npos);
  // Candidate 2: 50000.00 of 84000.00 m² = 59.52%, 520 of 850 = 61.18%.
  CHECK(flat.find("50000.00m²/84000.00m²=59.52%") != std::string::npos);
  CHECK(flat.find("520人/850人=61.18%") != std::string::npos);
  CHECK(flat.find("门槛2/3") != std::string::npos);  // the chart's threshold labels
  CHECK(flat.find("门槛1/2") != std::string::npos);
  CHECK(flat.find("斜线条") != std::string::npos);  // the legend: not colour alone
  CHECK(flat.find("为中标人") != std::string::npos);
  auto three_quarters = n;
  three_quarters.three_quarters = true;
  auto tq = render_vote_result(three_quarters);
  REQUIRE(tq.ok());
  const std::string tq_flat = squeeze(text_of(*tq));
  CHECK(tq_flat.find("≥3/4(75.00%)") != std::string::npos);
  CHECK(tq_flat.find("门槛3/4") != std::string::npos);
}

// Writes the three stage notices to $SUNBID_DOCUMENTS_SAMPLE_DIR (by hand).
TEST_CASE("sample stage notices for inspection", "[.stage_sample]") {
  const char* dir = std::getenv("SUNBID_DOCUMENTS_SAMPLE_DIR");
  REQUIRE(dir != nullptr);
  const auto write = [&](const char* name, const sunbid::Result<std::string>& pdf) {
    REQUIRE(pdf.ok());
    std::ofstream(fs::path(dir) / name, std::ios::binary)
        .write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
  };
  write("opening.pdf", render_opening_record(sample_opening(30)));
  write("candidates.pdf", render_candidate_publicity(sample_candidates()));
  write("award.pdf", render_award_publicity(sample_award()));
  write("report.pdf", render_evaluation_report(sample_report(false)));
  write("report-named.pdf", render_evaluation_report(sample_report(true)));
  write("award-notice.pdf", render_award_notice(sample_letter()));
  write("award-result-notice.pdf", render_award_result_notice(sample_letter()));
  write("vote-result.pdf", render_vote_result(sample_vote()));
}

// Writes a notice to $SUNBID_DOCUMENTS_SAMPLE (for looking at the layout by hand).
TEST_CASE("sample tender notice for inspection", "[.notice_sample]") {
  auto pdf = render_tender_notice(sample_notice());
  REQUIRE(pdf.ok());
  const char* path = std::getenv("SUNBID_DOCUMENTS_SAMPLE");
  REQUIRE(path != nullptr);
  std::ofstream(path, std::ios::binary)
      .write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
}
