#include "documents/renderer.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "audit_log/sha256.h"

using namespace sunbid::documents;

TEST_CASE("format_centi writes hundredths exactly", "[documents]") {
  CHECK(format_centi(0) == "0.00");
  CHECK(format_centi(5) == "0.05");
  CHECK(format_centi(12345) == "123.45");
  CHECK(format_centi(-5) == "-0.05");
  CHECK(format_centi(INT64_MIN) == "-92233720368547758.08");
}

TEST_CASE("a small document renders", "[documents]") {
  Document d(DocumentInfo{"测试", 1'780'000'000'000, ""});
  d.title("招标公告").paragraph("厦门市思明区某小区业主委员会 物业服务选聘。");
  auto pdf = d.render_pdf();
  REQUIRE(pdf.ok());
  CHECK(pdf->substr(0, 5) == "%PDF-");
}

TEST_CASE("re-rendering a document gives the same bytes", "[documents]") {
  auto make = [] {
    Document d(DocumentInfo{"开标记录表", 1'780'000'000'000, "tender 7"});
    d.title("开标记录表").heading("一、投标人").key_value("招标项目", "某小区物业服务选聘");
    Table t;
    t.columns = {{"序号", 20}, {"投标人", 90}, {"报价（元/m²·月）", 56, Align::right, true}};
    for (int i = 1; i <= 60; ++i) {
      t.rows.push_back({std::to_string(i),
                        "厦门某某物业管理有限公司第 " + std::to_string(i) + " 号",
                        format_centi(200 + i)});
    }
    d.table(t).qr("https://sunbid.example/verify#index=42", 30, Align::right, "扫码核验");
    d.footer(
        [](int n, int m) {
          return Footer{
              {"日志索引 42 / log index 42", "第 " + std::to_string(n) + "/" + std::to_string(m)},
              "https://sunbid.example/verify#index=42"};
        },
        18);
    return d.render_pdf();
  };
  auto a = make();
  auto b = make();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a == *b);
}

// Writes a sample to $SUNBID_DOCUMENTS_SAMPLE (for looking at the layout by hand).
TEST_CASE("sample document for inspection", "[.sample]") {
  Document d(DocumentInfo{"招标公告", 1'780'000'000'000, ""});
  d.title("招标公告")
      .heading("一、项目概况")
      .paragraph(
          "本项目为厦门市思明区某某小区物业服务选聘。业主大会依照《中华人民共和国民法典》第二百七十"
          "八条"
          "表决通过选聘方案。The owners' assembly approved the selection plan.");
  d.key_value("招标人", "某某小区业主委员会").key_value("服务期限", "36 个月");
  Table t;
  t.columns = {{"序号", 20}, {"投标人", 90}, {"报价（元/m²·月）", 56, Align::right, true}};
  for (int i = 1; i <= 70; ++i) {
    t.rows.push_back({std::to_string(i), "厦门某某物业管理有限公司第 " + std::to_string(i) + " 号",
                      format_centi(200 + i)});
  }
  d.table(t).qr("https://sunbid.example/verify#index=42", 30, Align::right, "扫码核验");
  d.footer(
      [](int, int) {
        return Footer{{"日志索引 42 · 检查点 大小 57 根哈希 ab12…", "源数据 SHA-256 0f3c…"},
                      "https://sunbid.example/verify#index=42"};
      },
      18);
  auto pdf = d.render_pdf();
  REQUIRE(pdf.ok());
  const char* path = std::getenv("SUNBID_DOCUMENTS_SAMPLE");
  REQUIRE(path != nullptr);
  std::FILE* f = std::fopen(path, "wb");
  std::fwrite(pdf->data(), 1, pdf->size(), f);
  std::fclose(f);
}

TEST_CASE("concurrent renders on several threads give the same bytes", "[documents]") {
  auto make = [] {
    Document d(DocumentInfo{"并发", 1'780'000'000'000, ""});
    d.title("物业服务选聘结果公示").paragraph("并发渲染：每个线程有自己的字体映射。");
    Table t;
    t.columns = {{"序号", 20}, {"内容", 146}};
    for (int i = 0; i < 40; ++i)
      t.rows.push_back({std::to_string(i), "第 " + std::to_string(i) + " 行"});
    d.table(t).qr("https://sunbid.example/verify#index=7", 25);
    return d.render_pdf();
  };
  auto reference = make();
  REQUIRE(reference.ok());
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 2; ++k) {
        auto r = make();
        outputs[i] = r.ok() ? *r : std::string("error");
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& o : outputs) CHECK(o == *reference);
}

TEST_CASE("a QR text too long to encode fails the render", "[documents]") {
  Document d(DocumentInfo{"x", 0, ""});
  d.qr(std::string(5000, 'x'), 30);
  auto r = d.render_pdf();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "document_render_failed");
}
