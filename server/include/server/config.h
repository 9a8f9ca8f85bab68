// `sunbid serve` configuration: a strict JSON file (unknown fields refused)
// merged under the command-line options.
//
//   {"listen": "127.0.0.1:8443", "threads": 4, "cert_file": "...",
//    "key_file": "...", "trusted_proxies": ["10.0.0.2"],
//    "log_origin": "example.org/sunbid", "ocds_prefix": "ocds-abc123-",
//    "web_root": "web/dist", "public_base_url": "https://sunbid.example.org",
//    "limits": {"max_connections_per_address": 64, ...}}
//
// "public_base_url" is where people reach the platform (default
// https://127.0.0.1:8443): the base of the links the platform prints, e.g.
// the activation letters' `{public_base_url}/activate#code=…`
// (docs/activation.md). An http(s) URL without query or fragment; trailing
// slashes are dropped.
//
// "limits" sets any of limits::Settings's members by name (seconds for the
// *_s members: login_backoff_base_s, login_backoff_max_s,
// login_failure_window_s, replacement_window_s); each is a positive
// integer. The defaults (limits.h, docs/server.md) protect a public
// deployment; an omitted member keeps its default.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "server/limits.h"

namespace sunbid::server {

struct ServeConfig {
  std::optional<std::string> listen;
  std::optional<int> threads;
  std::optional<std::string> cert_file;
  std::optional<std::string> key_file;
  std::vector<std::string> trusted_proxies;
  std::optional<std::string> log_origin;
  // The OCDS ocid prefix, "ocds-" + six lowercase letters or digits + "-"
  // (publication/ocds.h); absent: the development placeholder.
  std::optional<std::string> ocds_prefix;
  // The built web app served at `/` (static_site.h); "" serves none.
  std::optional<std::string> web_root;
  std::string public_base_url = "https://127.0.0.1:8443";
  limits::Settings limits;
};

// The public base URL as stored: trailing slashes dropped. Error
// `invalid_field` {"field": "/public_base_url"}.
Result<std::string> parse_public_base_url(std::string_view text);

// Errors: those of parse_strict_json, `unknown_field`, `invalid_field`
// (details.field names the member), `config_io`.
Result<ServeConfig> parse_serve_config(std::string_view json_text);
Result<ServeConfig> load_serve_config(const std::filesystem::path& file);

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
// "HOST:PORT" or "[IPv6]:PORT". Error `invalid_field` {"field": "listen"}.
Result<ListenAddress> parse_listen_address(std::string_view text);

// Whether a listen host or a client address is the loopback interface
// (127.0.0.0/8, ::1, an IPv4-mapped 127.x, "localhost").
bool is_loopback_host(std::string_view host);

}  // namespace sunbid::server
