#include "server/error_response.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "audit_log/error_codes.h"

namespace sunbid::server {

namespace {

// RFC 3629 UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

// The answer's Chinese and English texts: the two halves of a
// "中文 / English" message, else the registry's default texts of the code.
std::pair<std::string, std::string> bilingual(const Error& error, bool internal) {
  const ErrorCodeInfo* info = find_error_code(error.code);
  if (internal) return {"服务器内部错误", "internal server error"};
  constexpr std::string_view kSep = " / ";
  const std::string& m = error.message;
  if (std::size_t at = m.find(kSep);
      at != std::string::npos && at > 0 && at + kSep.size() < m.size()) {
    return {m.substr(0, at), m.substr(at + kSep.size())};
  }
  if (info) return {std::string(info->zh), std::string(info->en)};
  return {m, m};
}

}  // namespace

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return 400;
    case ErrorKind::unauthenticated:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::method_not_allowed:
      return 405;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::too_large:
      return 413;
    case ErrorKind::unsupported_media_type:
      return 415;
    case ErrorKind::unprocessable:
      return 422;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::header_too_large:
      return 431;
    case ErrorKind::internal:
      return 500;
    case ErrorKind::unavailable:
      return 503;
  }
  return 500;
}

Response error_response(const Error& error) {
  Response r;
  r.status = http_status(error.kind);
  boost::json::object inner;
  inner["code"] = error.code;
  auto [zh, en] = bilingual(error, r.status == 500);
  if (r.status == 500) {
    // Storage and internal failures are logged by the caller; the client
    // learns only that the fault is ours, not the SQL or the path.
    inner["message"] = "服务器内部错误 / internal server error";
    inner["details"] = boost::json::object{};
  } else {
    inner["message"] = error.message;
    inner["details"] = error.details;
  }
  inner["message_zh"] = std::move(zh);
  inner["message_en"] = std::move(en);
  boost::json::object outer;
  outer["error"] = std::move(inner);
  r.body = boost::json::serialize(outer);
  if (!is_valid_utf8(r.body)) {
    // Details may echo client bytes (a header, a percent-decoded query
    // name); an answer must still be valid JSON, so they are dropped.
    outer["error"].as_object()["details"] = boost::json::object{};
    r.body = boost::json::serialize(outer);
  }
  if (r.status == 429) {
    if (auto* v = error.details.if_contains("retry_after_s"); v && v->is_int64()) {
      r.headers.emplace_back("Retry-After", std::to_string(v->as_int64()));
    }
  }
  return r;
}

}  // namespace sunbid::server
