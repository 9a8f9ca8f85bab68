#include "tender_core/roster.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "utf8.h"

namespace sunbid::core {
namespace {

constexpr std::string_view kHeader = "unit,area_centi_m2,owner_key,owner_name,status";
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kTailColumn = "certificate_tail";
constexpr std::size_t kFieldCount = 5;
// A certificate tail is a short secret (the last characters of a property
// certificate number); anything longer is a column mix-up.
constexpr std::size_t kMaxCertificateTailBytes = 64;

struct Problem {
  std::size_t line;
  std::string code;
  std::string message;
};

// Collects problems; keeps the first kMaxReportedProblems, counts all.
class Problems {
 public:
  void add(std::size_t line, std::string code, std::string message) {
    ++total_;
    if (kept_.size() < kMaxReportedProblems) {
      kept_.push_back(Problem{line, std::move(code), std::move(message)});
    }
  }
  bool empty() const { return total_ == 0; }

  Error to_error() const {
    boost::json::array list;
    list.reserve(kept_.size());
    for (const auto& p : kept_) {
      boost::json::object o;
      o["line"] = static_cast<std::int64_t>(p.line);
      o["code"] = p.code;
      o["message"] = p.message;
      list.push_back(std::move(o));
    }
    boost::json::object d;
    d["problems"] = std::move(list);
    d["problems_total"] = static_cast<std::int64_t>(total_);
    d["problems_omitted"] = static_cast<std::int64_t>(total_ - kept_.size());
    return make_error("roster_invalid",
                      "业主名册有" + std::to_string(total_) + "处错误，未导入 / the roster has " +
                          std::to_string(total_) + " problem(s) and was not imported",
                      std::move(d));
  }

 private:
  std::vector<Problem> kept_;
  std::size_t total_ = 0;
};

// One RFC 4180 record read from the input.
struct Record {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line where the record starts
  std::string syntax;    // non-empty: the record is malformed, why
};

// Reads CSV records one at a time. Quotes, commas, CR and LF are ASCII, so
// UTF-8 multi-byte sequences never confuse the scanner.
class CsvReader {
 public:
  explicit CsvReader(std::string_view in) : in_(in) {}

  bool at_end() const { return pos_ >= in_.size(); }

  // REQUIRES: !at_end()
  void next(Record& rec) {
    rec.fields.clear();
    rec.syntax.clear();
    rec.line = line_;
    std::string field;
    while (true) {
      field.clear();
      bool record_done = false;
      if (pos_ < in_.size() && in_[pos_] == '"') {
        ++pos_;
        bool closed = false;
        while (pos_ < in_.size()) {
          const char c = in_[pos_];
          if (c == '"') {
            if (pos_ + 1 < in_.size() && in_[pos_ + 1] == '"') {
              field.push_back('"');
              pos_ += 2;
              continue;
            }
            ++pos_;
            closed = true;
            break;
          }
          if (c == '\n') ++line_;
          field.push_back(c);
          ++pos_;
        }
        if (!closed) {
          rec.syntax = "引号未闭合 / unterminated quoted field";
          return;
        }
        // After a closing quote only a separator or a line end may follow.
        if (pos_ < in_.size() && in_[pos_] != ',' && in_[pos_] != '\n' && in_[pos_] != '\r') {
          rec.syntax = "引号后有多余字符 / characters after a closing quote";
          skip_line();
          return;
        }
      } else {
        const std::size_t start = pos_;
        while (pos_ < in_.size() && in_[pos_] != ',' && in_[pos_] != '\n' && in_[pos_] != '\r') {
          if (in_[pos_] == '"') {
            rec.syntax = "未加引号的字段中有引号 / quote inside an unquoted field";
            skip_line();
            return;
          }
          ++pos_;
        }
        field.assign(in_.substr(start, pos_ - start));
      }
      // Separator or end of record.
      if (pos_ >= in_.size()) {
        record_done = true;
      } else if (in_[pos_] == ',') {
        ++pos_;
      } else if (in_[pos_] == '\n') {
        ++pos_;
        ++line_;
        record_done = true;
      } else {  // '\r'
        if (pos_ + 1 < in_.size() && in_[pos_ + 1] == '\n') {
          pos_ += 2;
          ++line_;
          record_done = true;
        } else {
          rec.syntax = "孤立的回车符 / carriage return without line feed";
          ++pos_;
          skip_line();
          return;
        }
      }
      rec.fields.push_back(field);
      if (record_done) return;
    }
  }

 private:
  // Skips to just after the next LF (error recovery).
  void skip_line() {
    while (pos_ < in_.size() && in_[pos_] != '\n') ++pos_;
    if (pos_ < in_.size()) {
      ++pos_;
      ++line_;
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

std::string line_str(std::size_t line) {
  return std::to_string(line);
}

// Parses area_centi_m2; returns the problem code or empty on success.
std::string parse_area(std::string_view s, std::int64_t& out) {
  if (s.empty()) return "area_invalid";
  for (char c : s) {
    if (c < '0' || c > '9') return "area_invalid";
  }
  if (s == "0") return "area_not_positive";
  if (s[0] == '0') return "area_invalid";
  std::int64_t v = 0;
  for (char c : s) {
    v = v * 10 + (c - '0');
    if (v > kMaxUnitAreaCentiM2) return "area_overflow";
  }
  out = v;
  return {};
}

std::string area_message(const std::string& code) {
  if (code == "area_not_positive") return "专有部分面积必须大于0 / area_centi_m2 must be positive";
  if (code == "area_overflow") {
    return "专有部分面积超出上限 / area_centi_m2 exceeds " + std::to_string(kMaxUnitAreaCentiM2);
  }
  return "专有部分面积须为不带符号、小数点和前导零的整数（单位0.01平方米） / area_centi_m2 "
         "must be an integer in 0.01 m² without sign, decimal point or leading zero";
}

}  // namespace

Result<Roster> parse_roster_csv(std::string_view csv) {
  Problems problems;
  if (csv.substr(0, kBom.size()) == kBom) csv.remove_prefix(kBom.size());

  CsvReader reader(csv);
  Record rec;
  if (reader.at_end()) {
    problems.add(1, "header", "缺少表头 / missing header line: " + std::string(kHeader));
    return problems.to_error();
  }
  reader.next(rec);
  std::size_t field_count = kFieldCount;
  {
    const bool with_tail = rec.fields.size() == kFieldCount + 1;
    const bool header_ok = rec.syntax.empty() && (rec.fields.size() == kFieldCount || with_tail) &&
                           rec.fields[0] == "unit" && rec.fields[1] == "area_centi_m2" &&
                           rec.fields[2] == "owner_key" && rec.fields[3] == "owner_name" &&
                           rec.fields[4] == "status" &&
                           (!with_tail || rec.fields[5] == kTailColumn);
    if (header_ok) field_count = rec.fields.size();
    if (!header_ok) {
      problems.add(rec.line, "header",
                   "表头必须为 / the header must be exactly: " + std::string(kHeader) +
                       " (optionally followed by ,certificate_tail)");
    }
  }

  Roster roster;
  std::unordered_map<std::string, std::size_t> unit_line;      // unit -> first line
  std::unordered_map<std::string, std::string> owner_name_of;  // owner_key -> name
  std::size_t developer_line = 0;
  std::size_t rows = 0;

  while (!reader.at_end()) {
    reader.next(rec);
    ++rows;
    const std::size_t line = rec.line;
    if (rows > kMaxRosterRows) {
      problems.add(line, "too_many_rows",
                   "业主名册超过100000行，其余行未检查 / more than 100000 data rows; the rest "
                   "was not checked");
      break;
    }
    if (!rec.syntax.empty()) {
      problems.add(line, "csv_syntax", "CSV格式错误：" + rec.syntax);
      continue;
    }
    if (rec.fields.size() != field_count) {
      problems.add(line, "field_count",
                   "应有" + std::to_string(field_count) + "个字段，实有" +
                       std::to_string(rec.fields.size()) + "个 / expected " +
                       std::to_string(field_count) + " fields, found " +
                       std::to_string(rec.fields.size()));
      continue;
    }
    bool utf8_ok = true;
    for (const auto& f : rec.fields) utf8_ok = utf8_ok && internal::is_valid_utf8(f);
    if (!utf8_ok) {
      problems.add(line, "invalid_utf8", "含有无效的UTF-8字节 / contains invalid UTF-8");
      continue;
    }
    Unit u;
    u.line = line;
    u.unit = std::move(rec.fields[0]);
    u.owner_key = std::move(rec.fields[2]);
    u.owner_name = std::move(rec.fields[3]);
    bool row_ok = true;
    if (field_count > kFieldCount && !rec.fields[5].empty()) {
      // Never quoted back: the tail is a secret of the owner's.
      if (rec.fields[5].size() > kMaxCertificateTailBytes) {
        problems.add(line, "certificate_tail_invalid",
                     "产权证号尾号过长（最多64字节） / certificate_tail is longer than 64 bytes");
        row_ok = false;
      } else {
        u.certificate_tail = std::move(rec.fields[5]);
      }
    }

    if (u.unit.empty()) {
      problems.add(line, "empty_unit", "房号不能为空 / unit must not be empty");
      row_ok = false;
    } else {
      auto [it, inserted] = unit_line.emplace(u.unit, line);
      if (!inserted) {
        problems.add(line, "duplicate_unit",
                     "房号" + u.unit + "与第" + line_str(it->second) + "行重复 / unit " + u.unit +
                         " repeats line " + line_str(it->second));
        row_ok = false;
      }
    }
    const std::string area_problem = parse_area(rec.fields[1], u.area_centi_m2);
    if (!area_problem.empty()) {
      problems.add(line, area_problem, area_message(area_problem));
      row_ok = false;
    }
    if (u.owner_key.empty()) {
      problems.add(line, "empty_owner_key", "业主标识不能为空 / owner_key must not be empty");
      row_ok = false;
    } else {
      auto [it, inserted] = owner_name_of.emplace(u.owner_key, u.owner_name);
      if (!inserted && it->second != u.owner_name) {
        problems.add(line, "owner_name_conflict",
                     "同一业主标识对应不同的业主姓名 / owner_key " + u.owner_key +
                         " appears with a different owner_name");
        row_ok = false;
      }
    }
    const std::string& status = rec.fields[4];
    if (status == "sold") {
      u.status = UnitStatus::sold;
    } else if (status == "unsold") {
      u.status = UnitStatus::unsold;
      if (!u.owner_key.empty()) {
        if (!roster.developer_key) {
          roster.developer_key = u.owner_key;
          developer_line = line;
        } else if (*roster.developer_key != u.owner_key) {
          problems.add(line, "unsold_owner_conflict",
                       "未售房屋须属于同一建设单位，与第" + line_str(developer_line) +
                           "行的业主标识不同 / unsold units must share the developer's owner_key "
                           "of line " +
                           line_str(developer_line));
          row_ok = false;
        }
      }
    } else {
      problems.add(line, "status_unknown",
                   "状态只能是sold或unsold / status must be sold or unsold");
      row_ok = false;
    }
    if (row_ok && problems.empty()) roster.units.push_back(std::move(u));
  }
  if (rows == 0) {
    problems.add(1, "empty_roster", "业主名册没有数据行 / the roster has no data rows");
  }
  if (!problems.empty()) return problems.to_error();
  return roster;
}

RosterTotals totals(const Roster& roster) {
  RosterTotals t;
  t.units = static_cast<std::int64_t>(roster.units.size());
  std::unordered_map<std::string_view, bool> owners;
  owners.reserve(roster.units.size());
  for (const auto& u : roster.units) {
    t.total_area_centi_m2 += u.area_centi_m2;
    owners.emplace(u.owner_key, true);
  }
  t.owners_headcount = static_cast<std::int64_t>(owners.size());
  return t;
}

std::vector<OwnerWeight> owner_weights(const Roster& roster) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(roster.units.size());
  std::vector<OwnerWeight> out;
  for (const auto& u : roster.units) {
    auto [it, inserted] = index.emplace(u.owner_key, out.size());
    if (inserted) {
      OwnerWeight w;
      w.owner_key = u.owner_key;
      w.developer = roster.developer_key && *roster.developer_key == u.owner_key;
      out.push_back(std::move(w));
    }
    auto& w = out[it->second];
    w.area_centi_m2 += u.area_centi_m2;
    w.units += 1;
  }
  std::sort(out.begin(), out.end(),
            [](const OwnerWeight& a, const OwnerWeight& b) { return a.owner_key < b.owner_key; });
  return out;
}

}  // namespace sunbid::core
