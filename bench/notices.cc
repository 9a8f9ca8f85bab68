// Benchmark (issue 14 §1): the official notices the document worker renders,
// each under 200 ms. The 招标公告 of a tender sized for 30 bids (a 1,200-unit
// community, the full timeline, five criteria), the 流标公告, and for a 30-bid
// tender the 开标记录表 (30 bidders, two document digests per valid bid), the
// 中标候选人公示 (three candidates, five criteria), the 中标结果公示 and the
// 评标报告 by seat (27 reviewed bids, five criteria, seven seats), the
// 中标通知书 and the 中标结果通知书 (29 other bidders), and the 投票结果公告
// (three candidates, with its chart), each
// with the verification footer, as the worker renders them. A warm-up render first
// pays the per-thread font scan once, as the worker's thread does at its
// first document. Prints each kind's median of N runs (wall and CPU).
// Run from a release build: ./build/release/bench/bench_notices [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "documents/award_letters.h"
#include "documents/stage_notices.h"
#include "documents/tender_failed.h"
#include "documents/tender_notice.h"
#include "documents/vote_result.h"

namespace {

using namespace sunbid::documents;

VerificationFooter footer() {
  VerificationFooter f;
  f.log_index = 123'457;
  f.checkpoint_size = 123'460;
  f.checkpoint_root_hex = std::string(64, 'a');
  f.source_sha256_hex = std::string(64, 'b');
  f.verifier_key_id = "sunbid.example.cn/log+1a2b3c4d";
  f.public_base_url = "https://sunbid.example.cn";
  return f;
}

TenderNoticeInput notice() {
  TenderNoticeInput n;
  n.tender_id = "T1024";
  n.title = "海沧区阳光花园物业服务选聘（2027—2030）";
  n.tenderer_name = "阳光花园业主委员会";
  n.tenderer_kind = "业主委员会 owners' committee";
  n.community_name = "阳光花园";
  n.community_address = "厦门市海沧区海沧街道滨湖北路 88 号";
  n.total_area_centi_m2 = 12'345'678;
  n.units = 1'200;
  n.service_tier = "二级服务（T2）";
  n.reference_min_fen_per_m2_month = 150;
  n.reference_max_fen_per_m2_month = 300;
  n.decision_method = "业主大会表决（定性评审，评定分离） owners' vote";
  n.qualifications = {"依法登记的物业服务企业，持有统一社会信用代码", "投标截止时信用等级不低于 A",
                      "投标截止时物业服务质量星级不低于 3 星", "未被列入物业服务企业黑名单",
                      "投标人少于 3 家时不开标，本次招标失败（流标）"};
  n.timeline = {{"公告发布 published", "2027-03-01 10:00（北京时间）"},
                {"招标文件异议截止 objections to the documents", "2027-03-21 24:00（北京时间）"},
                {"投标截止 bid deadline", "2027-04-01 10:00（北京时间）"},
                {"报价揭示期 reveal window", "投标截止后 24 小时"},
                {"中标候选人公示 candidate publicity", "3 日"},
                {"业主表决 owners' vote", "7 日"},
                {"中标结果公示 award publicity", "3 日"}};
  n.how_to_bid = {
      "投标人以企业账户登录本平台，在投标截止前提交密封投标（承诺值）；截止前可替换或撤回。"
      "投标截止后，投标人在报价揭示期内揭示报价与盐值，平台核对承诺值；未揭示的投标视为撤销。",
      "评审标准（定性评审，逐项合格/"
      "不合格）：服务方案；人员配置；设施设备管理；应急预案；收费测算。",
      "本公告登记于平台透明日志，可扫描页脚二维码核验。"};
  n.issued_on = "2027年3月1日";
  n.event_time_ms = 1'803'434'400'000;
  n.verification = footer();
  return n;
}

TenderFailedInput failed() {
  TenderFailedInput n;
  n.tender_id = "T1024";
  n.title = "海沧区阳光花园物业服务选聘（2027—2030）";
  n.tenderer_name = "阳光花园业主委员会";
  n.community_name = "阳光花园";
  n.community_address = "厦门市海沧区海沧街道滨湖北路 88 号";
  n.published_on = "2027年3月1日";
  n.failed_at = "2027-04-01 10:00（北京时间）";
  n.reason =
      "投标人少于3个，依法不予开标，招标失败 / fewer than three bidders: the bids are not "
      "opened and the tender has failed";
  n.issued_on = "2027年4月1日";
  n.event_time_ms = 1'806'026'400'000;
  n.verification = footer();
  return n;
}

StageNoticeHeader header(std::int64_t event_ms, const char* issued_on) {
  return {"T1024",
          "海沧区阳光花园物业服务选聘（2027—2030）",
          "阳光花园业主委员会",
          "阳光花园",
          "厦门市海沧区海沧街道滨湖北路 88 号",
          issued_on,
          event_ms,
          footer()};
}

BidderLine bidder(int i, bool priced) {
  char uscc[19];
  std::snprintf(uscc, sizeof uscc, "91350205MA%08d", 31 * i);
  return {"厦门市海沧区第" + std::to_string(i) + "物业管理有限公司", uscc,
          priced ? format_centi(180 + 3 * i) : ""};
}

// 30 bidders: two not revealed, one not qualified, 27 valid.
OpeningRecordInput opening() {
  OpeningRecordInput r;
  r.notice = header(1'806'112'800'000, "2027年4月2日");
  r.bid_deadline = "2027-04-01 10:00（北京时间）";
  r.opened_at = "2027-04-02 10:00（北京时间）";
  r.min_valid_bids = 3;
  for (int i = 1; i <= 30; ++i) {
    OpeningRecordInput::Row row;
    row.bidder = bidder(i, i % 10 != 0 && i != 17);
    row.valid = !row.bidder.price.empty();
    row.conclusion = row.valid ? "有效 valid"
                     : i == 17
                         ? "无效：投标截止时资格不符（信用等级低于要求） invalid: not qualified"
                         : "无效：未在报价揭示期内揭示报价，视为撤销 invalid: not revealed";
    if (row.valid) {
      row.documents = {{"服务方案.pdf", std::string(64, static_cast<char>('a' + i % 6))},
                       {"人员配置表.pdf", std::string(64, static_cast<char>('0' + i % 10))}};
      ++r.valid_bids;
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

PublicityTerms terms() {
  return {"2027-04-20 10:00（北京时间）",
          "2027-04-23 24:00（北京时间）",
          3,
          {"投标人、本小区业主及其他利害关系人对评标结果有异议的，应当在公示期内在本平台提出。",
           "Objections are made on the platform within the publicity window."}};
}

CandidatePublicityInput candidates() {
  CandidatePublicityInput n;
  n.notice = header(1'807'581'600'000, "2027年4月20日");
  n.decision_method = "业主大会表决（定性评审，评定分离） owners' vote";
  n.seats = 7;
  for (int i : {3, 8, 21}) {
    CandidatePublicityInput::Candidate c{bidder(i, true), {}};
    for (const char* k : {"服务方案", "人员配置", "设施设备管理", "应急预案", "收费测算"}) {
      c.review.push_back(std::string(k) + "：合格（6/7 席合格）");
    }
    n.candidates.push_back(std::move(c));
  }
  n.publicity = terms();
  return n;
}

AwardPublicityInput award() {
  AwardPublicityInput n;
  n.notice = header(1'808'964'000'000, "2027年5月6日");
  n.decision_method = "业主大会表决（定性评审，评定分离） owners' vote";
  n.decided_at = "2027-05-06 10:00（北京时间）";
  n.winner = bidder(8, true);
  for (int i : {3, 8, 21}) n.candidates.push_back(bidder(i, true));
  n.publicity = terms();
  return n;
}

// The 中标通知书 / 中标结果通知书 of the 30-bid tender: bidder 8 won.
AwardLetterInput letter() {
  AwardLetterInput n;
  n.notice = header(1'809'400'000'000, "2027年5月11日");
  n.decision_method = "业主大会表决（定性评审，评定分离） owners' vote";
  n.award_publicity = "2027-05-06 10:00（北京时间） 至 2027-05-09 24:00（北京时间）";
  n.winner = bidder(8, true);
  n.issued_at = "2027-05-11 09:00（北京时间）";
  n.contract_due = "2027-06-10 24:00（北京时间）";
  for (int i = 1; i <= 30; ++i) {
    if (i != 8) n.other_bidders.push_back(bidder(i, false));
  }
  return n;
}

// The 投票结果公告 of its owners' vote: 1,200 owners, three candidates.
VoteResultInput vote() {
  VoteResultInput n;
  n.title = "投票结果公告";
  n.subject_title = "海沧区阳光花园物业服务选聘（2027—2030）";
  n.overview = {{"项目编号", "T1024"}, {"物业名称", "阳光花园"}, {"表决轮次", "第 1 轮"}};
  n.total_area_centi_m2 = 12'345'678;
  n.total_heads = 1'200;
  n.participating_area_centi_m2 = 9'012'345;
  n.participating_heads = 903;
  n.abstain_area_centi_m2 = 234'567;
  n.abstain_heads = 21;
  n.area_quorum = n.head_quorum = true;
  for (int i : {3, 8, 21}) {
    const BidderLine b = bidder(i, false);
    n.options.push_back(
        {b.name + "\n" + b.uscc, i == 8 ? 5'012'345 : 1'800'000, i == 8 ? 500 : 180, i == 8});
  }
  n.conclusion = "厦门市海沧区第8物业管理有限公司 获双过半同意，为中标人。";
  n.signer = "阳光花园业主委员会";
  n.issued_on = "2027年5月6日";
  n.event_time_ms = 1'808'964'000'000;
  n.verification = footer();
  return n;
}

// The seat-numbered 评标报告 of a 30-bid tender: 27 reviewed bids, five
// criteria, seven seats, one remark per seat and bid, two bids failing a
// criterion with reasons.
EvaluationReportInput report() {
  EvaluationReportInput n;
  n.notice = header(1'807'581'600'000, "2027年4月20日");
  n.seats = 7;
  for (int i = 1; i <= 27; ++i) {
    EvaluationReportInput::Bid b{bidder(i, false), i % 13 != 0, {}, {}};
    for (const char* k : {"服务方案", "人员配置", "设施设备管理", "应急预案", "收费测算"}) {
      EvaluationReportInput::Criterion c{k, 7, 0, false, {}};
      if (i % 13 == 0 && std::string(k) == "人员配置") {
        c = {k, 2, 5, true, {}};
        for (int seat = 1; seat <= 5; ++seat) {
          c.reasons.push_back("席位 " + std::to_string(seat) +
                              "：秩序维护人员配置低于服务等级要求");
        }
      }
      b.criteria.push_back(std::move(c));
    }
    for (int seat = 1; seat <= 7; ++seat) {
      b.remarks.push_back(
          "席位 " + std::to_string(seat) +
          " 优势：服务方案完整，响应时限明确；不足：绿化养护频次偏低；风险：人员流动");
    }
    n.bids.push_back(std::move(b));
  }
  return n;
}

int measure(const char* name, int runs,
            const std::function<sunbid::Result<std::string>()>& render) {
  std::vector<double> ms, cpu_ms;
  std::size_t bytes = 0;
  for (int r = 0; r < runs; ++r) {
    const std::clock_t c0 = std::clock();
    const auto t0 = std::chrono::steady_clock::now();
    auto pdf = render();
    const auto t1 = std::chrono::steady_clock::now();
    const std::clock_t c1 = std::clock();
    if (!pdf.ok()) {
      std::fprintf(stderr, "%s: render failed: %s\n", name, pdf.error().to_string().c_str());
      return 1;
    }
    bytes = pdf->size();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    cpu_ms.push_back(1000.0 * static_cast<double>(c1 - c0) / CLOCKS_PER_SEC);
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu_ms.begin(), cpu_ms.end());
  std::printf(
      "%s (%zu bytes): median %.1f ms wall (min %.1f, max %.1f), %.1f ms CPU, of %d runs "
      "(target < 200 ms): %s\n",
      name, bytes, ms[ms.size() / 2], ms.front(), ms.back(), cpu_ms[cpu_ms.size() / 2], runs,
      ms[ms.size() / 2] < 200.0 ? "ok" : "OVER");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 21;
  {
    const auto w0 = std::chrono::steady_clock::now();
    auto warm = render_tender_notice(notice());
    std::printf(
        "first render on this thread (font scan + 1 notice): %.1f ms\n",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count());
    if (!warm.ok()) {
      std::fprintf(stderr, "render failed: %s\n", warm.error().to_string().c_str());
      return 1;
    }
  }
  const auto n = notice();
  const auto f = failed();
  int rc = measure("招标公告 tender notice", runs, [&] { return render_tender_notice(n); });
  rc |= measure("流标公告 tender failed", runs, [&] { return render_tender_failed(f); });
  const auto o = opening();
  const auto c = candidates();
  const auto a = award();
  rc |= measure("开标记录表 opening record (30 bids)", runs,
                [&] { return render_opening_record(o); });
  rc |= measure("中标候选人公示 candidate publicity", runs,
                [&] { return render_candidate_publicity(c); });
  rc |= measure("中标结果公示 award publicity", runs, [&] { return render_award_publicity(a); });
  const auto e = report();
  rc |= measure("评标报告 evaluation report (27 bids, 7 seats)", runs,
                [&] { return render_evaluation_report(e); });
  const auto l = letter();
  rc |= measure("中标通知书 award notice", runs, [&] { return render_award_notice(l); });
  rc |= measure("中标结果通知书 award result notice (29 bidders)", runs,
                [&] { return render_award_result_notice(l); });
  const auto v = vote();
  rc |= measure("投票结果公告 vote result (3 candidates, chart)", runs,
                [&] { return render_vote_result(v); });
  return rc;
}
