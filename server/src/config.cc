#include "server/config.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "audit_log/strict_json.h"
#include "json_fields.h"

namespace sunbid::server {

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
