// Activation letters (issue 13 §1): text read back with poppler's pdftotext,
// byte stability, pinned fonts, the building order, a 200-letter community.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "audit_log/sha256.h"
#include "documents/activation_letters.h"
#include "documents/renderer.h"

using namespace sunbid::documents;
namespace fs = std::filesystem;

namespace {

// A community of `n` owner keys, 4 units a floor, every 7th owner with a
// second unit in the next building.
ActivationLettersInput community(int n) {
  ActivationLettersInput in;
  in.community = {"海沧区阳光花园", "厦门市海沧区", "海沧街道滨湖北路 88 号"};
  in.event_time_ms = 1'780'000'000'000;  // 2026-05-28T20:26:40Z
  const char* alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (int i = 0; i < n; ++i) {
    ActivationLetter l;
    const int building = 1 + i / 80;
    const int floor = 1 + (i % 80) / 4;
    l.owner_key = "owner-" + std::to_string(i + 1);
    l.units.push_back({std::to_string(building) + "-1-" + std::to_string(floor * 100 + 1 + i % 4),
                       8'000 + 137 * (i % 50)});
    if (i % 7 == 3)
      l.units.push_back(
          {std::to_string(building + 1) + "-2-" + std::to_string(100 + i % 4 + 1), 4'505});
    for (const auto& u : l.units) l.area_total_centi_m2 += u.area_centi_m2;
    std::string code;
    for (int k = 0; k < 13; ++k) {
      if (k > 0 && k % 4 == 0) code += '-';
      code += alphabet[(i * 7 + k * 13 + k * k) % 32];
    }
    // Make each code unique by its first group: the owner's index in base 32.
    code[0] = alphabet[(i / 1024) % 32];
    code[1] = alphabet[(i / 32) % 32];
    code[2] = alphabet[i % 32];
    l.code = code;
    l.activation_link = "https://sunbid.example.cn/activate#code=" + code;
    l.expires_text = "2026-07-27";
    in.letters.push_back(l);
  }
  order_letters_by_building(in.letters);
  return in;
}

std::string sha_hex(const std::string& bytes) {
  return sunbid::hex_encode(sunbid::sha256(bytes));
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
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

fs::path write_temp(const std::string& bytes, const std::string& name) {
  const fs::path path = fs::temp_directory_path() /
                        ("sunbid-letters-" + std::to_string(getpid()) + "-" + name + ".pdf");
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

// pdftotext's pages, split at its form feeds.
std::vector<std::string> pages_of(const fs::path& pdf) {
  const std::string text = run("pdftotext -layout '" + pdf.string() + "' -");
  std::vector<std::string> pages;
  std::size_t start = 0;
  for (std::size_t ff; (ff = text.find('\f', start)) != std::string::npos; start = ff + 1) {
    pages.push_back(text.substr(start, ff - start));
  }
  return pages;
}

// pdftotext -layout spaces CJK text by its position: compare without spaces.
std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n') out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("building_of_unit is the part before the first dash", "[letters]") {
  CHECK(building_of_unit("3-2-1502") == "3");
  CHECK(building_of_unit("A座-1201") == "A座");
  CHECK(building_of_unit("商铺12") == "商铺12");
  CHECK(building_of_unit("-5") == "");
}

TEST_CASE("letters are ordered by building, numbers by value, an owner under its first unit",
          "[letters]") {
  std::vector<ActivationLetter> ls(4);
  ls[0].owner_key = "k1";
  ls[0].units = {{"10-1-101", 1}};
  ls[1].owner_key = "k2";
  ls[1].units = {{"2-1-1502", 1}, {"1-1-101", 1}};  // first unit in building 2
  ls[2].owner_key = "k3";
  ls[2].units = {{"2-1-901", 1}};
  ls[3].owner_key = "k4";
  ls[3].units = {{"1-3-101", 1}};
  order_letters_by_building(ls);
  REQUIRE(ls.size() == 4);
  CHECK(ls[0].owner_key == "k4");
  CHECK(ls[0].building == "1");
  CHECK(ls[1].owner_key == "k3");  // 2-1-901 before 2-1-1502
  CHECK(ls[2].owner_key == "k2");
  CHECK(ls[2].building == "2");
  CHECK(ls[3].owner_key == "k1");
  CHECK(ls[3].building == "10");
  CHECK(natural_less("9", "10"));
  CHECK_FALSE(natural_less("10", "9"));
  CHECK(natural_less("1", "01"));
  CHECK_FALSE(natural_less("01", "1"));
  CHECK(natural_less("B", "B1"));
}

TEST_CASE("each letter's code and units are on its own page", "[letters]") {
  if (!have("pdftotext")) {
    WARN("pdftotext (poppler-utils) is not installed: letters' text not checked");
    return;
  }
  const auto in = community(12);
  auto pdf = render_activation_letters(in);
  REQUIRE(pdf.ok());
  const fs::path path = write_temp(*pdf, "text");
  const auto pages = pages_of(path);
  fs::remove(path);
  REQUIRE(pages.size() == in.letters.size());
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const auto& l = in.letters[i];
    INFO("page " << i + 1 << ": " << pages[i]);
    CHECK(pages[i].find(l.code) != std::string::npos);
    CHECK(pages[i].find(in.community.name) != std::string::npos);
    CHECK(pages[i].find("有效期至") != std::string::npos);
    CHECK(squeeze(pages[i]).find("第" + std::to_string(i + 1) + "页共" +
                                 std::to_string(pages.size()) + "页") != std::string::npos);
    for (const auto& u : l.units) {
      CHECK(pages[i].find(u.unit) != std::string::npos);
      CHECK(pages[i].find(format_centi(u.area_centi_m2)) != std::string::npos);
    }
    CHECK(pages[i].find(format_centi(l.area_total_centi_m2) + " m²") != std::string::npos);
    // No other letter's code leaks onto this page.
    for (std::size_t j = 0; j < in.letters.size(); ++j) {
      if (j != i) CHECK(pages[i].find(in.letters[j].code) == std::string::npos);
    }
  }
}

TEST_CASE("letters re-render to the same bytes, one changed field changes the digest",
          "[letters]") {
  auto in = community(5);
  auto a = render_activation_letters(in);
  auto b = render_activation_letters(in);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(sha_hex(*a) == sha_hex(*b));

  auto changed = in;
  changed.letters[2].units[0].area_centi_m2 += 1;
  auto c = render_activation_letters(changed);
  REQUIRE(c.ok());
  CHECK(sha_hex(*c) != sha_hex(*a));

  changed = in;
  changed.event_time_ms += 1'000;
  auto d = render_activation_letters(changed);
  REQUIRE(d.ok());
  CHECK(sha_hex(*d) != sha_hex(*a));
}

// Prints the digest of a fixed letters PDF: run by the next test in a child process.
TEST_CASE("letters digest (child process)", "[.letters_digest]") {
  auto pdf = render_activation_letters(community(5));
  REQUIRE(pdf.ok());
  std::printf("digest=%s\n", sha_hex(*pdf).c_str());
}

TEST_CASE("another process renders the same bytes", "[letters]") {
  auto pdf = render_activation_letters(community(5));
  REQUIRE(pdf.ok());
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const std::string out = run("'" + self + "' '[.letters_digest]' 2>/dev/null");
  CHECK(out.find("digest=" + sha_hex(*pdf)) != std::string::npos);
}

TEST_CASE("only the pinned Noto CJK fonts are embedded", "[letters]") {
  if (!have("pdffonts")) {
    WARN("pdffonts (poppler-utils) is not installed: embedded fonts not checked");
    return;
  }
  auto pdf = render_activation_letters(community(2));
  REQUIRE(pdf.ok());
  const fs::path path = write_temp(*pdf, "fonts");
  const std::string listing = run("pdffonts '" + path.string() + "'");
  fs::remove(path);
  std::istringstream lines(listing);
  std::string line;
  int fonts = 0;
  std::getline(lines, line);  // header
  std::getline(lines, line);  // dashes
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++fonts;
    INFO(line);
    const std::string name = line.substr(0, line.find(' '));
    // Subset tag, then the PostScript name of a face in the pinned .ttc files.
    const auto plus = name.find('+');
    REQUIRE(plus == 6);
    const std::string face = name.substr(plus + 1);
    CHECK((face == "NotoSansCJKsc-Regular" || face == "NotoSansCJKsc-Bold" ||
           face == "NotoSansMonoCJKsc-Regular" || face == "NotoSansMonoCJKsc-Bold"));
    CHECK(line.find(" yes yes ") != std::string::npos);  // embedded, subset
  }
  CHECK(fonts >= 2);
}

TEST_CASE("a 200-unit community's letters render", "[letters]") {
  const auto in = community(200);
  auto pdf = render_activation_letters(in);
  REQUIRE(pdf.ok());
  CHECK(pdf->size() > 10'000);
  if (!have("pdfinfo")) return;
  const fs::path path = write_temp(*pdf, "200");
  const std::string info = run("pdfinfo '" + path.string() + "'");
  fs::remove(path);
  CHECK(info.find("Pages:           " + std::to_string(in.letters.size())) != std::string::npos);
}

// Writes letters to $SUNBID_DOCUMENTS_SAMPLE (for looking at the layout by hand).
TEST_CASE("sample letters for inspection", "[.letters_sample]") {
  auto pdf = render_activation_letters(community(8));
  REQUIRE(pdf.ok());
  const char* path = std::getenv("SUNBID_DOCUMENTS_SAMPLE");
  REQUIRE(path != nullptr);
  std::ofstream(path, std::ios::binary)
      .write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
}

TEST_CASE("an owner with many units runs onto a second page, nothing lost", "[letters]") {
  auto in = community(1);
  auto& l = in.letters[0];
  l.units.clear();
  l.area_total_centi_m2 = 0;
  for (int i = 1; i <= 12; ++i) {
    l.units.push_back({"1-1-" + std::to_string(100 + i), 10'000 + i});
    l.area_total_centi_m2 += 10'000 + i;
  }
  auto pdf = render_activation_letters(in);
  REQUIRE(pdf.ok());
  if (!have("pdftotext")) return;
  const fs::path path = write_temp(*pdf, "many");
  const auto pages = pages_of(path);
  fs::remove(path);
  REQUIRE(pages.size() == 2);
  const std::string all = pages[0] + pages[1];
  for (const auto& u : l.units) CHECK(all.find(u.unit) != std::string::npos);
  CHECK(all.find(l.code) != std::string::npos);
  CHECK(squeeze(pages[1]).find("第2页共2页") != std::string::npos);
}

TEST_CASE("no letters still renders one page", "[letters]") {
  ActivationLettersInput in;
  in.community = {"空小区", "", ""};
  auto pdf = render_activation_letters(in);
  REQUIRE(pdf.ok());
  CHECK(pdf->substr(0, 5) == "%PDF-");
}
