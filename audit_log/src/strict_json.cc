#include "audit_log/strict_json.h"

#include <fmt/format.h>

#include <boost/json/basic_parser_impl.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace sunbid::audit {
namespace {

// Appends one JSON Pointer (RFC 6901) reference token.
void append_pointer_token(std::string& path, std::string_view token) {
  path.push_back('/');
  for (char c : token) {
    if (c == '~') {
      path.append("~0");
    } else if (c == '/') {
      path.append("~1");
    } else {
      path.push_back(c);
    }
  }
}

// Builds the value while enforcing the rules basic_parser leaves to us:
// duplicate keys, integer range, integers only. Any refusal is kept in
// `error` and the parse is stopped by returning false.
class StrictHandler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  std::optional<Error> error;
  boost::json::value root;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }

  bool on_array_begin(boost::system::error_code&) {
    stack_.push_back(Frame{boost::json::value(boost::json::array_kind), {}, 0});
    return true;
  }
  bool on_array_end(std::size_t, boost::system::error_code& ec) { return close(ec); }

  bool on_object_begin(boost::system::error_code&) {
    stack_.push_back(Frame{boost::json::value(boost::json::object_kind), {}, 0});
    return true;
  }
  bool on_object_end(std::size_t, boost::system::error_code& ec) { return close(ec); }

  bool on_string_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::system::error_code& ec) {
    text_.append(s.data(), s.size());
    boost::json::value v = boost::json::string_view(text_);
    text_.clear();
    return add(std::move(v), ec);
  }

  bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code& ec) {
    text_.append(s.data(), s.size());
    Frame& top = stack_.back();
    top.key = text_;
    text_.clear();
    if (top.container.get_object().contains(top.key)) {
      boost::json::object details;
      details["field"] = current_path();
      return refuse(
          ec, "invalid_json",
          fmt::format("JSON 对象含重复的键 {} / duplicate key {}", current_path(), current_path()),
          std::move(details));
    }
    return true;
  }

  bool on_number_part(boost::json::string_view s, boost::system::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, boost::json::string_view, boost::system::error_code& ec) {
    number_.clear();
    return add(boost::json::value(i), ec);
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, boost::system::error_code& ec) {
    number_.clear();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return out_of_range(ec);
    return add(boost::json::value(static_cast<std::int64_t>(u)), ec);
  }
  bool on_double(double, boost::json::string_view s, boost::system::error_code& ec) {
    number_.append(s.data(), s.size());
    const bool integer_syntax = number_.find_first_of(".eE") == std::string::npos;
    number_.clear();
    // An integer too large even for uint64 reaches us as a double too.
    if (integer_syntax) return out_of_range(ec);
    boost::json::object details;
    details["field"] = current_path();
    return refuse(ec, "non_integer_number",
                  fmt::format("字段 {} 须为整数（不得有小数或指数）/ field {} must be an integer "
                              "(no fraction or exponent)",
                              current_path(), current_path()),
                  std::move(details));
  }

  bool on_bool(bool b, boost::system::error_code& ec) { return add(boost::json::value(b), ec); }
  bool on_null(boost::system::error_code& ec) { return add(boost::json::value(nullptr), ec); }

  // Comments are disabled in the parse options; these are never called.
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

 private:
  struct Frame {
    boost::json::value container;  // an array or an object
    std::string key;               // objects: the key whose value comes next
    std::size_t index;             // arrays: the index of the next element
  };

  // JSON Pointer of the value about to be added.
  std::string current_path() const {
    std::string path;
    for (const Frame& f : stack_) {
      if (f.container.is_object()) {
        append_pointer_token(path, f.key);
      } else {
        path.push_back('/');
        path.append(std::to_string(f.index));
      }
    }
    return path;
  }

  bool add(boost::json::value v, boost::system::error_code&) {
    if (stack_.empty()) {
      root = std::move(v);
      return true;
    }
    Frame& top = stack_.back();
    if (top.container.is_object()) {
      top.container.get_object().emplace(top.key, std::move(v));
    } else {
      top.container.get_array().push_back(std::move(v));
      ++top.index;
    }
    return true;
  }

  bool close(boost::system::error_code& ec) {
    boost::json::value v = std::move(stack_.back().container);
    stack_.pop_back();
    return add(std::move(v), ec);
  }

  bool out_of_range(boost::system::error_code& ec) {
    boost::json::object details;
    details["field"] = current_path();
    return refuse(
        ec, "invalid_json",
        fmt::format("字段 {} 的整数超出 int64 范围 / field {} holds an integer outside int64",
                    current_path(), current_path()),
        std::move(details));
  }

  bool refuse(boost::system::error_code& ec, const char* code, std::string message,
              boost::json::object details) {
    error = make_error(code, std::move(message), std::move(details));
    ec = boost::json::error::exception;  // any error: `error` says what it was
    return false;
  }

  std::vector<Frame> stack_;
  std::string text_;
  std::string number_;
};

Error malformed(std::size_t offset, std::string_view zh, std::string_view en) {
  boost::json::object details;
  details["offset"] = static_cast<std::int64_t>(offset);
  return make_error("invalid_json",
                    fmt::format("JSON 格式错误：第 {} 字节处{} / malformed JSON at byte {}: {}",
                                offset, zh, offset, en),
                    std::move(details));
}

}  // namespace

Result<boost::json::value> parse_strict_json(std::string_view body) {
  if (body.size() >= 3 && static_cast<unsigned char>(body[0]) == 0xEF &&
      static_cast<unsigned char>(body[1]) == 0xBB && static_cast<unsigned char>(body[2]) == 0xBF)
    return malformed(0, "不得有 UTF-8 字节顺序标记", "a UTF-8 byte-order mark is not allowed");

  boost::json::parse_options options;
  options.max_depth = kMaxStrictDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  boost::json::basic_parser<StrictHandler> parser(options);

  boost::system::error_code ec;
  const std::size_t consumed = parser.write_some(false, body.data(), body.size(), ec);
  if (parser.handler().error) return std::move(*parser.handler().error);
  if (ec) {
    if (ec == boost::json::error::too_deep)
      return malformed(consumed, "嵌套超过 64 层", "nesting deeper than 64");
    return malformed(consumed, "无法解析", ec.message());
  }
  if (consumed != body.size())
    return malformed(consumed, "值之后有多余内容", "trailing bytes after the value");
  return std::move(parser.handler().root);
}

}  // namespace sunbid::audit
