#include "server/config.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "audit_log/strict_json.h"
#include "wire/json_fields.h"

namespace sunbid::server {

namespace {

// Each member of "limits": a positive integer within [1, max].
Result<limits::Settings> parse_limits(const boost::json::object& o) {
  limits::Settings s;
  JsonFields f(o, "/limits");
  auto positive = [&](std::string_view name, std::int64_t max, auto assign) -> Status {
    if (!o.contains(name)) return {};
    SUNBID_ASSIGN_OR_RETURN(std::int64_t v, f.required_int(name));
    if (v < 1 || v > max) {
      return make_error("invalid_field",
                        "限制须为正整数且不超过上限 / a limit must be a positive integer within "
                        "its range",
                        {{"field", "/limits/" + std::string(name)}, {"max", max}});
    }
    assign(v);
    return {};
  };
  constexpr std::int64_t kBig = std::int64_t{1} << 40;
  using std::chrono::seconds;
  SUNBID_TRY(positive("max_connections", 1 << 20,
                      [&](std::int64_t v) { s.max_connections = static_cast<std::size_t>(v); }));
  SUNBID_TRY(positive("max_connections_per_address", 1 << 20, [&](std::int64_t v) {
    s.max_connections_per_address = static_cast<std::size_t>(v);
  }));
  SUNBID_TRY(positive("max_anonymous_body_bytes", kBig, [&](std::int64_t v) {
    s.max_anonymous_body_bytes = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("max_body_bytes", kBig,
                      [&](std::int64_t v) { s.max_body_bytes = static_cast<std::uint64_t>(v); }));
  SUNBID_TRY(positive("max_roster_body_bytes", kBig, [&](std::int64_t v) {
    s.max_roster_body_bytes = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("login_threads", 64,
                      [&](std::int64_t v) { s.login_threads = static_cast<int>(v); }));
  SUNBID_TRY(positive("max_pending_logins", 1 << 20,
                      [&](std::int64_t v) { s.max_pending_logins = static_cast<int>(v); }));
  SUNBID_TRY(positive("max_login_failures", 1 << 20,
                      [&](std::int64_t v) { s.max_login_failures = static_cast<int>(v); }));
  SUNBID_TRY(positive("max_address_login_failures", 1 << 20,
                      [&](std::int64_t v) { s.max_address_login_failures = static_cast<int>(v); }));
  SUNBID_TRY(positive("login_backoff_base_s", 86400,
                      [&](std::int64_t v) { s.login_backoff_base = seconds(v); }));
  SUNBID_TRY(positive("login_backoff_max_s", 86400,
                      [&](std::int64_t v) { s.login_backoff_max = seconds(v); }));
  SUNBID_TRY(positive("login_failure_window_s", 86400,
                      [&](std::int64_t v) { s.login_failure_window = seconds(v); }));
  SUNBID_TRY(positive("max_throttle_keys", 1 << 24,
                      [&](std::int64_t v) { s.max_throttle_keys = static_cast<std::size_t>(v); }));
  SUNBID_TRY(positive("max_entries_per_page", 100000, [&](std::int64_t v) {
    s.max_entries_per_page = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("max_page_bytes", kBig,
                      [&](std::int64_t v) { s.max_page_bytes = static_cast<std::uint64_t>(v); }));
  SUNBID_TRY(positive("max_trail_entries_per_page", 100000, [&](std::int64_t v) {
    s.max_trail_entries_per_page = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("max_objection_text_bytes", kBig, [&](std::int64_t v) {
    s.max_objection_text_bytes = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("objections_per_page", 100000, [&](std::int64_t v) {
    s.objections_per_page = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("max_tender_title_bytes", kBig, [&](std::int64_t v) {
    s.max_tender_title_bytes = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("max_tender_rules_bytes", kBig, [&](std::int64_t v) {
    s.max_tender_rules_bytes = static_cast<std::uint64_t>(v);
  }));
  SUNBID_TRY(positive("max_replacements_per_window", 1 << 20, [&](std::int64_t v) {
    s.max_replacements_per_window = static_cast<int>(v);
  }));
  SUNBID_TRY(positive("replacement_window_s", 86400 * 30,
                      [&](std::int64_t v) { s.replacement_window = seconds(v); }));
  SUNBID_TRY(f.finish());
  if (s.login_backoff_max < s.login_backoff_base) {
    return make_error("invalid_field",
                      "login_backoff_max_s 不得小于 login_backoff_base_s / login_backoff_max_s "
                      "must not be below login_backoff_base_s",
                      {{"field", "/limits/login_backoff_max_s"}});
  }
  return s;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "::1" ||
         host.starts_with("::ffff:127.");
}

Result<std::string> parse_public_base_url(std::string_view text) {
  std::string_view url = text;
  while (url.ends_with('/')) url.remove_suffix(1);
  const bool scheme = url.starts_with("https://") || url.starts_with("http://");
  const std::size_t host_at = url.find("://") + 3;
  const bool ok = scheme && url.size() > host_at && url.size() <= 512 &&
                  url.find_first_of("?#\"\\ <>\t\r\n") == std::string_view::npos;
  if (!ok) {
    return make_error("invalid_field",
                      "public_base_url 须为 http(s):// 开头、不含查询或片段的地址 / "
                      "public_base_url must be an http(s):// URL without query or fragment",
                      {{"field", "/public_base_url"}});
  }
  return std::string(url);
}

Result<ServeConfig> parse_serve_config(std::string_view json_text) {
  SUNBID_ASSIGN_OR_RETURN(boost::json::value v, audit::parse_strict_json(json_text));
  if (!v.is_object()) {
    return make_error("invalid_field", "配置须为 JSON 对象 / the configuration must be an object",
                      {{"field", ""}});
  }
  JsonFields f(v.as_object());
  ServeConfig c;
  SUNBID_ASSIGN_OR_RETURN(c.listen, f.optional_string("listen"));
  if (c.listen) SUNBID_TRY(parse_listen_address(*c.listen));
  const boost::json::value* threads = v.as_object().if_contains("threads");
  if (threads && !threads->is_null()) {
    SUNBID_ASSIGN_OR_RETURN(std::int64_t t, f.required_int("threads"));
    if (t < 1 || t > 256) {
      return make_error("invalid_field", "线程数须为 1 至 256 / threads must be 1 to 256",
                        {{"field", "/threads"}});
    }
    c.threads = static_cast<int>(t);
  } else {
    SUNBID_TRY(f.optional_string("threads"));  // marks it taken (null)
  }
  SUNBID_ASSIGN_OR_RETURN(c.cert_file, f.optional_string("cert_file"));
  SUNBID_ASSIGN_OR_RETURN(c.key_file, f.optional_string("key_file"));
  if (c.cert_file.has_value() != c.key_file.has_value()) {
    return make_error("invalid_field", "证书与私钥须同时配置 / cert_file and key_file go together",
                      {{"field", c.cert_file ? "/key_file" : "/cert_file"}});
  }
  SUNBID_ASSIGN_OR_RETURN(c.trusted_proxies, f.optional_string_array("trusted_proxies"));
  SUNBID_ASSIGN_OR_RETURN(c.log_origin, f.optional_string("log_origin"));
  SUNBID_ASSIGN_OR_RETURN(c.ocds_prefix, f.optional_string("ocds_prefix"));
  if (c.ocds_prefix) {
    const std::string& p = *c.ocds_prefix;
    bool ok = p.size() == 12 && p.starts_with("ocds-") && p.back() == '-';
    for (std::size_t i = 5; ok && i < 11; ++i) {
      ok = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9');
    }
    if (!ok) {
      return make_error("invalid_field",
                        "ocds_prefix 须为 ocds- 加六位小写字母或数字再加 - / ocds_prefix must be "
                        "\"ocds-\" + six lowercase letters or digits + \"-\"",
                        {{"field", "/ocds_prefix"}});
    }
  }
  SUNBID_ASSIGN_OR_RETURN(c.web_root, f.optional_string("web_root"));
  SUNBID_ASSIGN_OR_RETURN(auto base_url, f.optional_string("public_base_url"));
  if (base_url) {
    SUNBID_ASSIGN_OR_RETURN(c.public_base_url, parse_public_base_url(*base_url));
  }
  if (const boost::json::value* l = v.as_object().if_contains("limits"); l && !l->is_null()) {
    SUNBID_ASSIGN_OR_RETURN(boost::json::value lv, f.required_value("limits"));
    if (!lv.is_object()) {
      return make_error("invalid_field", "limits 须为对象 / limits must be an object",
                        {{"field", "/limits"}});
    }
    SUNBID_ASSIGN_OR_RETURN(c.limits, parse_limits(lv.as_object()));
  } else {
    SUNBID_TRY(f.optional_string("limits"));  // marks it taken (null)
  }
  SUNBID_TRY(f.finish());
  return c;
}

Result<ServeConfig> load_serve_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return make_error("config_io", "无法读取配置文件 / cannot read the configuration file",
                      {{"file", file.string()}});
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_serve_config(ss.str());
}

Result<ListenAddress> parse_listen_address(std::string_view text) {
  auto bad = [&] {
    return make_error("invalid_field",
                      "监听地址须为 HOST:PORT / the listen address must be HOST:PORT",
                      {{"field", "listen"}, {"value", std::string(text)}});
  };
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad();
    host = host.substr(1, host.size() - 2);
  }
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || p != port.data() + port.size() || port.empty() || value > 65535) {
    return bad();
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(value)};
}

}  // namespace sunbid::server
