#include "audit_log/canonical_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

namespace sunbid::audit {
namespace {

using Byte = unsigned char;

constexpr char kHexDigits[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at p (p[0] >= 0x80), or 0 when
// it is invalid: a stray continuation byte, an overlong form, a surrogate,
// a code point above U+10FFFF, or a sequence cut short by `end`.
// RFC 3629, section 4 (the well-formed byte sequences table).
inline std::size_t utf8_sequence_length(const Byte* p, const Byte* end) {
  const Byte c = p[0];
  const std::size_t avail = static_cast<std::size_t>(end - p);
  auto cont = [](Byte b) { return (b & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) {
    return avail >= 2 && cont(p[1]) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 3) return 0;
    const Byte lo = c == 0xE0 ? 0xA0 : 0x80;  // E0: no overlong forms
    const Byte hi = c == 0xED ? 0x9F : 0xBF;  // ED: no surrogates
    return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 4) return 0;
    const Byte lo = c == 0xF0 ? 0x90 : 0x80;  // F0: no overlong forms
    const Byte hi = c == 0xF4 ? 0x8F : 0xBF;  // F4: nothing above U+10FFFF
    return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
  }
  return 0;
}

bool valid_utf8(std::string_view s) {
  const Byte* p = reinterpret_cast<const Byte*>(s.data());
  const Byte* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const std::size_t n = utf8_sequence_length(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

// REQUIRES: p starts a valid UTF-8 sequence.
inline std::uint32_t decode_code_point(const Byte* p) {
  const Byte c = p[0];
  if (c < 0x80) return c;
  if (c < 0xE0) return ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  if (c < 0xF0) return ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  return ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

// Position of a code point in UTF-16 code-unit order: U+E000..U+FFFF come
// after every supplementary character (whose first unit is a surrogate,
// 0xD800..0xDBFF); all other code points keep their numeric order.
inline std::uint32_t utf16_rank(std::uint32_t cp) {
  return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x110000 : cp;
}

void append_escaped_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const char* run = s.data();
  const char* end = s.data() + s.size();
  for (const char* p = run; p < end; ++p) {
    const Byte c = static_cast<Byte>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(run, p);
    run = p + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0xF]};
        out.append(esc, 6);
      }
    }
  }
  out.append(run, end);
  out.push_back('"');
}

Error encode_error(std::string code, const char* zh, const char* en) {
  return make_error(
      std::move(code),
      fmt::format("无法编码为规范 JSON：{} / cannot encode as canonical JSON: {}", zh, en));
}

Status encode(const boost::json::value& v, int depth, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out.append("null");
      return {};
    case boost::json::kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      return {};
    case boost::json::kind::int64: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_int64());
      out.append(buf, r.ptr);
      return {};
    }
    case boost::json::kind::uint64: {
      const std::uint64_t u = v.get_uint64();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return encode_error("integer_out_of_range", "整数超出 int64 范围",
                            "integer above INT64_MAX");
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, u);
      out.append(buf, r.ptr);
      return {};
    }
    case boost::json::kind::double_:
      return encode_error("non_integer_number", "只允许整数",
                          "only integers are allowed, got a double");
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      if (!valid_utf8(s))
        return encode_error("invalid_utf8", "字符串不是有效的 UTF-8", "string is not valid UTF-8");
      append_escaped_string(out, s);
      return {};
    }
    case boost::json::kind::array: {
      if (depth + 1 > kMaxCanonicalDepth)
        return encode_error("nesting_too_deep", "嵌套超过 64 层", "nesting deeper than 64");
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        SUNBID_TRY(encode(e, depth + 1, out));
      }
      out.push_back(']');
      return {};
    }
    case boost::json::kind::object: {
      if (depth + 1 > kMaxCanonicalDepth)
        return encode_error("nesting_too_deep", "嵌套超过 64 层", "nesting deeper than 64");
      const auto& obj = v.get_object();
      std::vector<const boost::json::key_value_pair*> members;
      members.reserve(obj.size());
      for (const auto& kv : obj) {
        if (!valid_utf8(kv.key()))
          return encode_error("invalid_utf8", "键不是有效的 UTF-8",
                              "object key is not valid UTF-8");
        members.push_back(&kv);
      }
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return compare_utf16(a->key(), b->key()) < 0; });
      for (std::size_t i = 1; i < members.size(); ++i) {
        if (members[i - 1]->key() == members[i]->key())
          return encode_error("duplicate_key", "对象含重复的键", "object holds a duplicate key");
      }
      out.push_back('{');
      bool first = true;
      for (const auto* kv : members) {
        if (!first) out.push_back(',');
        first = false;
        append_escaped_string(out, kv->key());
        out.push_back(':');
        SUNBID_TRY(encode(kv->value(), depth + 1, out));
      }
      out.push_back('}');
      return {};
    }
  }
  return encode_error("unexpected_kind", "未知的值类型", "unknown value kind");
}

// ---------------------------------------------------------------------------
// The checker.

// Byte classes for the string fast path: 1 = a byte that stands for itself
// inside a canonical string (printable ASCII other than '"' and '\').
struct PlainTable {
  bool plain[256];
  constexpr PlainTable() : plain() {
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  }
};
constexpr PlainTable kPlain;

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// True iff all 8 bytes of x are plain (see PlainTable). Exact, no false
// positives: the "has zero byte" / "has byte less than n" tricks report a
// match whenever one exists.
inline bool all_plain(std::uint64_t x) {
  const std::uint64_t below_space = (x - kOnes * 0x20) & ~x & kHighs;
  const std::uint64_t q = x ^ (kOnes * '"');
  const std::uint64_t quote = (q - kOnes) & ~q & kHighs;
  const std::uint64_t b = x ^ (kOnes * '\\');
  const std::uint64_t backslash = (b - kOnes) & ~b & kHighs;
  return ((below_space | quote | backslash | (x & kHighs))) == 0;
}

inline bool is_json_whitespace(Byte c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
inline bool is_digit(Byte c) {
  return c >= '0' && c <= '9';
}

// Unescapes the content of a string already accepted by the scanner.
void unescape_checked(std::string_view content, std::string& out) {
  out.clear();
  out.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    const char c = content[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    const char e = content[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        // Canonical \u escapes are always \u00xx with xx < 0x20.
        auto hex = [](char h) { return h <= '9' ? h - '0' : h - 'a' + 10; };
        out.push_back(static_cast<char>(hex(content[i + 3]) * 16 + hex(content[i + 4])));
        i += 4;
        break;
      }
      default:
        out.push_back(e);  // '"' or '\'
    }
  }
}

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : begin_(reinterpret_cast<const Byte*>(text.data())),
        p_(begin_),
        end_(begin_ + text.size()) {}

  // The whole text is one canonical value.
  bool document(TopLevelFields* fields) {
    if (p_ == end_) return fail(p_, "empty_input", "输入为空", "empty input");
    if (!value(0, fields)) return false;
    if (p_ != end_) {
      if (is_json_whitespace(*p_))
        return fail(p_, "whitespace", "有多余空白", "insignificant whitespace");
      return fail(p_, "trailing_bytes", "值之后有多余内容", "trailing bytes after the value");
    }
    return true;
  }

  // One string starting at the current '"'; sets *escaped when it holds an escape.
  bool string(bool* escaped) {
    ++p_;  // the opening quote
    *escaped = false;
    for (;;) {
      while (end_ - p_ >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p_, 8);
        if (!all_plain(word)) break;
        p_ += 8;
      }
      while (p_ < end_ && kPlain.plain[*p_]) ++p_;
      if (p_ == end_) return fail(p_, "unterminated", "字符串未结束", "unterminated string");
      const Byte c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\\') {
        *escaped = true;
        if (!escape()) return false;
        continue;
      }
      if (c < 0x20)
        return fail(p_, "control_character", "控制字符未转义", "unescaped control character");
      // Every ASCII byte is handled above, so c >= 0x80 here.
      const std::size_t n = utf8_sequence_length(p_, end_);
      if (n == 0) return fail(p_, "invalid_utf8", "UTF-8 编码无效", "invalid UTF-8");
      p_ += n;
    }
  }

  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }
  bool at_end() const { return p_ == end_; }

  Error error() const {
    boost::json::object details;
    details["offset"] = static_cast<std::int64_t>(error_offset_);
    details["reason"] = reason_;
    return make_error("non_canonical_json",
                      fmt::format("非规范 JSON：第 {} 字节处{} / non-canonical JSON: {} at byte {}",
                                  error_offset_, zh_, en_, error_offset_),
                      std::move(details));
  }

 private:
  bool fail(const Byte* at, const char* reason, const char* zh, const char* en) {
    error_offset_ = static_cast<std::size_t>(at - begin_);
    reason_ = reason;
    zh_ = zh;
    en_ = en;
    return false;
  }

  bool unexpected() {
    if (p_ == end_) return fail(p_, "unterminated", "输入意外结束", "unexpected end of input");
    if (is_json_whitespace(*p_))
      return fail(p_, "whitespace", "有多余空白", "insignificant whitespace");
    return fail(p_, "unexpected_byte", "出现意外字符", "unexpected byte");
  }

  // `depth` counts the containers around this value.
  bool value(int depth, TopLevelFields* fields) {
    if (p_ == end_) return unexpected();
    switch (*p_) {
      case '{':
        return object(depth + 1, fields);
      case '[':
        return array(depth + 1);
      case '"': {
        bool escaped;
        return string(&escaped);
      }
      case 't':
        return literal("true", 4);
      case 'f':
        return literal("false", 5);
      case 'n':
        return literal("null", 4);
      default:
        if (*p_ == '-' || is_digit(*p_)) return number();
        return unexpected();
    }
  }

  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0)
      return fail(p_, "unexpected_byte", "出现意外字符", "unexpected byte");
    p_ += n;
    return true;
  }

  bool number() {
    const Byte* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_) return unexpected();
    if (*p_ == '0') {
      ++p_;
      if (p_ < end_ && is_digit(*p_))
        return fail(start, "leading_zero", "数字有前导零", "leading zero");
      if (negative) return fail(start, "negative_zero", "出现 -0", "negative zero");
    } else if (is_digit(*p_)) {
      const Byte* digits = p_;
      while (p_ < end_ && is_digit(*p_)) ++p_;
      const std::size_t n = static_cast<std::size_t>(p_ - digits);
      if (n > 19 ||
          (n == 19 &&
           std::memcmp(digits, negative ? "9223372036854775808" : "9223372036854775807", 19) > 0))
        return fail(start, "integer_out_of_range", "整数超出 int64 范围", "integer outside int64");
    } else {
      return unexpected();
    }
    if (p_ < end_) {
      if (*p_ == '.')
        return fail(p_, "fraction", "数字有小数部分（只允许整数）", "fraction (integers only)");
      if (*p_ == 'e' || *p_ == 'E')
        return fail(p_, "exponent", "数字有指数（只允许整数）", "exponent (integers only)");
    }
    return true;
  }

  bool escape() {
    const Byte* at = p_;
    if (end_ - p_ < 2) return fail(at, "unterminated", "转义未结束", "unterminated escape");
    switch (p_[1]) {
      case '"':
      case '\\':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        p_ += 2;
        return true;
      case '/':
        return fail(at, "non_minimal_escape", "转义不是最简形式（\\/）", "non-minimal escape \\/");
      case 'u':
        break;
      default:
        return fail(at, "invalid_escape", "转义无效", "invalid escape");
    }
    if (end_ - p_ < 6) return fail(at, "unterminated", "转义未结束", "unterminated escape");
    unsigned v = 0;
    bool upper = false;
    for (int i = 2; i < 6; ++i) {
      const Byte h = p_[i];
      unsigned d;
      if (h >= '0' && h <= '9') {
        d = h - '0';
      } else if (h >= 'a' && h <= 'f') {
        d = h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        d = h - 'A' + 10;
        upper = true;
      } else {
        return fail(at, "invalid_escape", "\\u 转义含非十六进制字符",
                    "\\u escape with a non-hex digit");
      }
      v = v * 16 + d;
    }
    if (upper)
      return fail(at, "non_minimal_escape", "\\u 转义须用小写十六进制",
                  "\\u escape with uppercase hex");
    if (v >= 0x20)
      return fail(at, "non_minimal_escape", "该字符须直接写出，不得转义",
                  "\\u escape of a character that must be literal");
    if (v == '\b' || v == '\f' || v == '\n' || v == '\r' || v == '\t')
      return fail(at, "non_minimal_escape", "须使用短转义形式",
                  "\\u escape where a short form exists");
    p_ += 6;
    return true;
  }

  bool array(int depth) {
    if (depth > kMaxCanonicalDepth)
      return fail(p_, "too_deep", "嵌套超过 64 层", "nesting deeper than 64");
    ++p_;  // '['
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      if (!value(depth, nullptr)) return false;
      if (p_ == end_) return unexpected();
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      return unexpected();
    }
  }

  bool object(int depth, TopLevelFields* fields) {
    if (depth > kMaxCanonicalDepth)
      return fail(p_, "too_deep", "嵌套超过 64 层", "nesting deeper than 64");
    ++p_;  // '{'
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    std::string_view prev_key;
    bool prev_escaped = false;
    bool have_prev = false;
    for (;;) {
      if (p_ == end_ || *p_ != '"') return unexpected();
      const Byte* key_quote = p_;
      bool escaped;
      if (!string(&escaped)) return false;
      const std::string_view key(reinterpret_cast<const char*>(key_quote + 1),
                                 static_cast<std::size_t>(p_ - key_quote - 2));
      if (have_prev) {
        const int cmp = compare_keys(prev_key, prev_escaped, key, escaped);
        if (cmp == 0) return fail(key_quote, "duplicate_key", "键重复", "duplicate key");
        if (cmp > 0)
          return fail(key_quote, "unsorted_keys", "键未按 UTF-16 顺序排列",
                      "key not sorted after the previous key (UTF-16 order)");
      }
      prev_key = key;
      prev_escaped = escaped;
      have_prev = true;
      if (p_ == end_ || *p_ != ':') return unexpected();
      ++p_;
      const Byte* value_start = p_;
      if (!value(depth, nullptr)) return false;
      if (fields != nullptr)
        fields->add(key, std::string_view(reinterpret_cast<const char*>(value_start),
                                          static_cast<std::size_t>(p_ - value_start)));
      if (p_ == end_) return unexpected();
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      return unexpected();
    }
  }

  // Keys are compared by their unescaped values. Escapes in keys are rare
  // (control characters, '"', '\'), so only then do we allocate.
  int compare_keys(std::string_view a, bool a_escaped, std::string_view b, bool b_escaped) {
    if (!a_escaped && !b_escaped) return compare_utf16(a, b);
    std::string ua, ub;
    unescape_checked(a, ua);
    unescape_checked(b, ub);
    return compare_utf16(ua, ub);
  }

  const Byte* const begin_;
  const Byte* p_;
  const Byte* const end_;
  std::size_t error_offset_ = 0;
  const char* reason_ = "";
  const char* zh_ = "";
  const char* en_ = "";
};

}  // namespace

int compare_utf16(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
  // The shared prefix is valid UTF-8 in both, so i is inside a character in
  // one string iff it is in the other; back up to that character's start.
  while (i > 0 && (static_cast<Byte>(a[i]) & 0xC0) == 0x80) --i;
  const std::uint32_t ra =
      utf16_rank(decode_code_point(reinterpret_cast<const Byte*>(a.data()) + i));
  const std::uint32_t rb =
      utf16_rank(decode_code_point(reinterpret_cast<const Byte*>(b.data()) + i));
  return ra < rb ? -1 : (ra > rb ? 1 : 0);
}

Result<std::string> to_canonical_json(const boost::json::value& value) {
  std::string out;
  SUNBID_TRY(encode(value, 0, out));
  return out;
}

Status check_canonical(std::string_view bytes, TopLevelFields* fields) {
  if (fields != nullptr) fields->clear();
  Scanner scanner(bytes);
  if (!scanner.document(fields)) return scanner.error();
  return {};
}

Result<std::int64_t> raw_to_int64(std::string_view raw) {
  auto refuse = [&] {
    return make_error("invalid_integer",
                      fmt::format("不是规范的 int64 整数：{} / not a canonical int64 integer: {}",
                                  raw.substr(0, 32), raw.substr(0, 32)));
  };
  if (raw.empty()) return refuse();
  const std::size_t digits = raw[0] == '-' ? 1 : 0;
  if (raw.size() == digits) return refuse();
  if (raw[digits] == '0' && (raw.size() > digits + 1 || digits == 1)) return refuse();  // 01, -0
  for (std::size_t i = digits; i < raw.size(); ++i)
    if (!is_digit(static_cast<Byte>(raw[i]))) return refuse();
  std::int64_t v = 0;
  auto r = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (r.ec != std::errc() || r.ptr != raw.data() + raw.size()) return refuse();
  return v;
}

Result<std::string> raw_to_string(std::string_view raw) {
  Scanner scanner(raw);
  bool escaped = false;
  if (raw.size() < 2 || raw.front() != '"' || !scanner.string(&escaped) || !scanner.at_end())
    return make_error("invalid_string", "不是规范的 JSON 字符串 / not a canonical JSON string");
  std::string_view content = raw.substr(1, raw.size() - 2);
  if (!escaped) return std::string(content);
  std::string out;
  unescape_checked(content, out);
  return out;
}

}  // namespace sunbid::audit
