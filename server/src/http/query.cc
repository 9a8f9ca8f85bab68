#include "http/query.h"

#include <charconv>

#include "server/limits.h"

namespace sunbid::server {

Result<std::optional<std::uint64_t>> query_uint(const Query& query, const std::string& name) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::optional<std::uint64_t>{};
  const std::string& s = it->second;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.size() > 19) {
    return make_error("invalid_query",
                      "查询参数须为非负整数 / the query parameter must be a non-negative integer",
                      {{"field", name}});
  }
  return std::optional<std::uint64_t>(v);
}

Result<std::uint64_t> query_limit(const Query& query, std::uint64_t most) {
  SUNBID_ASSIGN_OR_RETURN(auto limit, query_uint(query, "limit"));
  const std::uint64_t n = limit.value_or(most);
  if (n < 1 || n > most) {
    return make_error("invalid_query", "limit 超出范围 / limit is out of range",
                      {{"field", "limit"}, {"max", static_cast<std::int64_t>(most)}});
  }
  return n;
}

Result<std::uint64_t> list_limit(const Query& query) {
  SUNBID_ASSIGN_OR_RETURN(auto limit, query_uint(query, "limit"));
  const std::uint64_t n = limit.value_or(limits::kDefaultListLimit);
  if (n < 1 || n > limits::kMaxListLimit) {
    return make_error("invalid_query", "limit 须为 1 至 500 / limit must be 1 to 500",
                      {{"field", "limit"}});
  }
  return n;
}

std::string query_text(const Query& query, const std::string& name) {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    const bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~';
    if (keep) {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

}  // namespace sunbid::server
