#include "http/cookie.h"

#include <boost/beast/core/string.hpp>

#include "http/text.h"

namespace sunbid::server {

namespace {

constexpr std::string_view kAttributes = "; HttpOnly; Secure; SameSite=Strict; Path=/";

}  // namespace

std::optional<std::string_view> session_cookie_value(std::string_view header) {
  while (!header.empty()) {
    std::size_t semi = header.find(';');
    std::string_view pair = trim_ows(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim_ows(pair.substr(0, eq)) != kSessionCookie) continue;
    std::string_view value = trim_ows(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

std::string session_cookie(std::string_view token, std::int64_t max_age_s) {
  std::string c(kSessionCookie);
  c += '=';
  c += token;
  c += kAttributes;
  c += "; Max-Age=";
  c += std::to_string(max_age_s);
  return c;
}

std::string cleared_session_cookie() {
  std::string c(kSessionCookie);
  c += '=';
  c += kAttributes;
  c += "; Max-Age=0";
  return c;
}

bool is_own_origin(std::string_view origin, std::string_view host) {
  constexpr std::string_view kScheme = "https://";
  if (host.empty() || origin.size() != kScheme.size() + host.size()) return false;
  if (!origin.starts_with(kScheme)) return false;
  // Host names compare without case; the port is part of both.
  return boost::beast::iequals(origin.substr(kScheme.size()), host);
}

}  // namespace sunbid::server
