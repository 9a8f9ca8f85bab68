// `sunbid serve` configuration: a strict JSON file (unknown fields refused)
// merged under the command-line options.
//
//   {"listen": "127.0.0.1:8443", "threads": 4, "cert_file": "...",
//    "key_file": "...", "trusted_proxies": ["10.0.0.2"],
//    "log_origin": "example.org/sunbid"}
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

namespace sunbid::server {

struct ServeConfig {
  std::optional<std::string> listen;
  std::optional<int> threads;
  std::optional<std::string> cert_file;
  std::optional<std::string> key_file;
  std::vector<std::string> trusted_proxies;
  std::optional<std::string> log_origin;
};

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

}  // namespace sunbid::server
