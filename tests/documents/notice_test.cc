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
#include "documents/tender_notice.h"
#include "documents/verification_footer.h"

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

// Writes a notice to $SUNBID_DOCUMENTS_SAMPLE (for looking at the layout by hand).
TEST_CASE("sample tender notice for inspection", "[.notice_sample]") {
  auto pdf = render_tender_notice(sample_notice());
  REQUIRE(pdf.ok());
  const char* path = std::getenv("SUNBID_DOCUMENTS_SAMPLE");
  REQUIRE(path != nullptr);
  std::ofstream(path, std::ios::binary)
      .write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
}
