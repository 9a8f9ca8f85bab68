// The route table against the contract (schemas/openapi.json): every /api/v1
// route has an operation with the same policy action and request schema and
// every operation a route; every request schema has its C++ decoder, and its
// examples and x-invalid-examples decode as the schema says.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "server/route_catalog.h"

namespace sunbid::server {
namespace {

boost::json::object openapi() {
  std::ifstream in(std::string(SUNBID_SOURCE_DIR) + "/schemas/openapi.json");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return boost::json::parse(ss.str()).as_object();
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The request body's schema name ("ReqX"), "text/csv", or "" without a body.
std::string request_body_of(const boost::json::object& op) {
  const auto* rb = op.if_contains("requestBody");
  if (!rb) return "";
  const auto& content = rb->at("content").as_object();
  if (content.contains("text/csv")) return "text/csv";
  const auto& schema = content.at("application/json").at("schema").as_object();
  std::string ref(schema.at("$ref").as_string());
  return ref.substr(ref.rfind('/') + 1);
}

TEST_CASE("every route has its OpenAPI operation with the same action and request schema",
          "[routes]") {
  const auto api = openapi();
  const auto& paths = api.at("paths").as_object();
  const auto routes = route_catalog(true);
  REQUIRE(routes.size() >= 50);
  std::set<std::pair<std::string, std::string>> seen;
  for (const RouteInfo& r : routes) {
    INFO(r.method << " " << r.pattern);
    CHECK(seen.insert({r.method, r.pattern}).second);  // one row per operation
    const auto* item = paths.if_contains(r.pattern);
    REQUIRE(item);
    const auto* op = item->as_object().if_contains(lower(r.method));
    REQUIRE(op);
    CHECK(std::string(op->at("x-sunbid-action").as_string()) == r.action);
    const std::string body = request_body_of(op->as_object());
    if (r.body == "csv_upload") {
      CHECK(body == "text/csv");
    } else if (!r.request_schema.empty()) {
      CHECK(body == r.request_schema);
    } else {
      // No request struct: no body, or an empty one (ReqEmpty).
      CHECK(body.empty());
      CHECK((r.body == "none" || r.body == "optional_json"));
    }
  }
  // And every operation of the contract has its row.
  for (const auto& [path, item] : paths) {
    for (const auto& [method, op] : item.as_object()) {
      if (!op.is_object() || !op.as_object().contains("x-sunbid-action")) continue;
      std::string m = std::string(method);
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      INFO(m << " " << std::string(path));
      CHECK(seen.contains({m, std::string(path)}));
    }
  }
}

TEST_CASE("every request schema's examples go through its decoder as the schema says", "[routes]") {
  const auto api = openapi();
  const auto& schemas = api.at("components").at("schemas").as_object();
  std::set<std::string> decoders;
  for (const auto& name : request_schemas()) {
    if (!name.empty()) decoders.insert(name);
  }
  std::set<std::string> in_contract;
  std::size_t valid = 0, invalid = 0;
  for (const auto& [key, value] : schemas) {
    const std::string name(key);
    if (!name.starts_with("Req")) continue;
    in_contract.insert(name);
    INFO(name);
    const auto& schema = value.as_object();
    if (const auto* examples = schema.if_contains("examples")) {
      for (const auto& ex : examples->as_array()) {
        INFO(boost::json::serialize(ex));
        REQUIRE(ex.is_object());
        auto st = decode_request(name, ex.as_object());
        REQUIRE(st.has_value());
        CHECK(st->ok());
        if (!st->ok()) FAIL_CHECK(st->error().to_string());
        ++valid;
      }
    }
    if (const auto* bad = schema.if_contains("x-invalid-examples")) {
      for (const auto& ex : bad->as_array()) {
        const auto& v = ex.at("value");
        const std::string code(ex.at("code").as_string());
        INFO(boost::json::serialize(v) << " -> " << code);
        Status st = decode_request_text(name, boost::json::serialize(v));
        REQUIRE_FALSE(st.ok());
        CHECK(st.error().code == code);
        ++invalid;
      }
    }
  }
  CHECK(decoders == in_contract);
  CHECK(valid >= in_contract.size() - 1);
  CHECK(invalid >= 20);
}

TEST_CASE("a decoder refuses an unknown member and names it", "[routes]") {
  auto st = decode_request("ReqAmendment", boost::json::object{{"text", "x"}, {"extra", 1}});
  REQUIRE(st.has_value());
  REQUIRE_FALSE(st->ok());
  CHECK(st->error().code == "unknown_field");
  CHECK(st->error().details.at("field").as_string() == "/extra");
  CHECK_FALSE(decode_request("NoSuchSchema", {}).has_value());
}

}  // namespace
}  // namespace sunbid::server
