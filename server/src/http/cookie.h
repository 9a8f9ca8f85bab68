// The browser's session cookie (issue 15): the session token in
// `__Host-sunbid_session`, HttpOnly (script cannot read it), Secure,
// SameSite=Strict, Path=/ and no Domain (the __Host- prefix requires both).
// A write authenticated by the cookie must carry an Origin equal to the
// server's own (https:// and the Host it was asked for): the second line of
// defence against cross-site requests after SameSite.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sunbid::server {

inline constexpr std::string_view kSessionCookie = "__Host-sunbid_session";

// The value of the session cookie in a Cookie header ("a=1; b=2"), or
// nullopt when it is absent. The first one wins.
std::optional<std::string_view> session_cookie_value(std::string_view cookie_header);

// The Set-Cookie value that stores `token` for `max_age_s` seconds.
std::string session_cookie(std::string_view token, std::int64_t max_age_s);

// The Set-Cookie value that removes it.
std::string cleared_session_cookie();

// Whether `origin` (the Origin header) is this server's own origin, the
// scheme https and the `host` the request named (its Host header).
bool is_own_origin(std::string_view origin, std::string_view host);

}  // namespace sunbid::server
