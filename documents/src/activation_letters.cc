#include "documents/activation_letters.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "documents/renderer.h"

namespace sunbid::documents {

namespace {

TextStyle style(double size_pt, bool bold = false, Align align = Align::left,
                double after_mm = 2.0) {
  TextStyle s;
  s.size_pt = size_pt;
  s.bold = bold;
  s.align = align;
  s.space_after_mm = after_mm;
  return s;
}

void add_letter(Document& doc, const LetterCommunity& community, const ActivationLetter& letter) {
  doc.title("业主账户激活通知书");
  doc.paragraph("Owner account activation letter", style(11.0, false, Align::center, 3.0));

  constexpr double kKeyMm = 46.0;
  constexpr double kSize = 14.0;
  doc.key_value("小区 Community", community.name, kKeyMm, kSize);
  std::string address = community.district;
  if (!community.address.empty()) address += (address.empty() ? "" : " ") + community.address;
  if (!address.empty()) doc.key_value("地址 Address", address, kKeyMm, kSize);
  doc.key_value("楼栋 Building", letter.building, kKeyMm, kSize);

  Table units;
  units.columns = {{"房号 Unit", 96.0, Align::left, false},
                   {"专有部分面积 Area (m²)", 70.0, Align::right, true}};
  units.font_pt = 13.0;
  units.space_after_mm = 1.5;
  for (const auto& u : letter.units) units.rows.push_back({u.unit, format_centi(u.area_centi_m2)});
  doc.spacer(1.0).table(std::move(units));
  doc.key_value("表决权重 Weight",
                "面积 area " + format_centi(letter.area_total_centi_m2) + " m²，人数 heads " +
                    std::to_string(letter.heads),
                kKeyMm, kSize);

  doc.rule(2.0);
  doc.paragraph("您的激活码 Your activation code", style(14.0, true, Align::center, 1.0));
  TextStyle code = style(30.0, true, Align::center, 2.0);
  code.mono = true;
  doc.paragraph(letter.code, code);

  TextStyle link = style(9.0, false, Align::left, 2.0);
  link.break_anywhere = true;
  link.mono = true;
  doc.qr_beside(
      letter.activation_link, 42.0,
      {{"用手机扫描右侧二维码，设置用户名和密码即可激活。", style(13.0, false, Align::left, 1.0)},
       {"Scan the QR code with a phone, then choose a username and password.",
        style(10.0, false, Align::left, 2.5)},
       {"或在浏览器中打开 / or open:", style(10.0, false, Align::left, 0.5)},
       {letter.activation_link, link},
       {"有效期至 Valid until: " + letter.expires_text, style(14.0, true, Align::left, 1.0)},
       {"激活码仅可使用一次。Single use.", style(11.0, false, Align::left, 0.0)}});

  doc.rule(1.5);
  doc.paragraph("账户用途 What the account is for", style(14.0, true, Align::left, 1.5));
  const std::pair<const char*, const char*> uses[] = {
      {"一、在业主大会关于物业服务选聘的表决中投票。",
       "Vote in the owners' decisions on selecting the property service."},
      {"二、查看招标公告和结果。", "See the tender notices and their results."},
      {"三、核对自己的投票回执。", "Check your own ballot receipt."},
  };
  for (const auto& [zh, en] : uses) {
    doc.paragraph(zh, style(13.0, false, Align::left, 0.0));
    TextStyle e = style(10.0, false, Align::left, 1.0);
    e.indent_mm = 7.0;
    doc.paragraph(en, e);
  }
  TextStyle note = style(9.0, false, Align::left, 0.0);
  note.space_before_mm = 1.0;
  doc.paragraph(
      "请妥善保管本通知书，勿将激活码告诉他人。遗失或过期请联系业主委员会或街道重新发放（旧码随即作"
      "废）。"
      " Keep this letter private. If it is lost or expired, ask for a new code; the old one then "
      "stops "
      "working.",
      note);
  if (!letter.owner_key.empty()) {
    doc.paragraph("业主编号 Owner key: " + letter.owner_key, style(9.0, false, Align::right, 0.0));
  }
  doc.page_break();
}

std::string_view first_unit(const ActivationLetter& l) {
  return l.units.empty() ? std::string_view() : std::string_view(l.units.front().unit);
}

}  // namespace

Result<std::string> render_activation_letters(const ActivationLettersInput& input) {
  Document doc(DocumentInfo{"业主账户激活通知书 " + input.community.name, input.event_time_ms,
                            "Owner account activation letters"});
  for (const auto& letter : input.letters) add_letter(doc, input.community, letter);
  if (input.letters.empty()) {
    doc.title("业主账户激活通知书").paragraph("（无 / none）", style(14.0, false, Align::center));
  }
  return doc.render_pdf();
}

std::string_view building_of_unit(std::string_view unit) {
  const auto dash = unit.find('-');
  return dash == std::string_view::npos ? unit : unit.substr(0, dash);
}

bool natural_less(std::string_view a, std::string_view b) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && is_digit(a[ie])) ++ie;
      while (je < b.size() && is_digit(b[je])) ++je;
      // Compare by value without overflow: strip leading zeros, then by length, then digits.
      std::size_t is = i, js = j;
      while (is + 1 < ie && a[is] == '0') ++is;
      while (js + 1 < je && b[js] == '0') ++js;
      const std::string_view da = a.substr(is, ie - is), db = b.substr(js, je - js);
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
      // Equal values ("01" vs "1"): the shorter spelling first, for a total order.
      if (ie - i != je - j) return ie - i < je - j;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

void order_letters_by_building(std::vector<ActivationLetter>& letters) {
  for (auto& l : letters) {
    l.building =
        l.units.empty() ? std::string() : std::string(building_of_unit(l.units.front().unit));
  }
  std::stable_sort(letters.begin(), letters.end(),
                   [](const ActivationLetter& x, const ActivationLetter& y) {
                     const std::string_view xu = first_unit(x);
                     const std::string_view yu = first_unit(y);
                     if (x.building != y.building) return natural_less(x.building, y.building);
                     if (xu != yu) return natural_less(xu, yu);
                     return natural_less(x.owner_key, y.owner_key);
                   });
}

}  // namespace sunbid::documents
