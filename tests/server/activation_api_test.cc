// Owner onboarding through the Api (no socket): issuing codes, activation,
// the activation throttle per client address, the public_base_url setting
// (docs/activation.md). The rules themselves: tests/accounts/activation_test.cc.
#include <catch2/catch.hpp>

#include "fixture.h"
#include "server/config.h"

namespace sunbid::server::testing {
namespace {

struct Onboarding : ApiFixture {
  Onboarding() {
    admin = login("root", "correct horse battery");
    auto r = call("POST", "/api/v1/communities",
                  R"({"name":"金山花园","district":"湖里区","street":"金山街道","address":"1号"})",
                  admin);
    REQUIRE(r.status == 201);
    community = std::string(body_json(r).at("id").as_string());
    Request csv;
    csv.method = "PUT";
    csv.target = "/api/v1/communities/" + community + "/roster";
    csv.content_type = "text/csv";
    csv.body =
        "unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n"
        "1-101,8950,K1,王芳,sold,\n1-102,10050,K2,李明,sold,0123\n";
    csv.authorization = "Bearer " + admin;
    csv.peer_address = "192.0.2.10";
    REQUIRE(api->handle(std::move(csv)).status == 200);
    r = call("POST", "/api/v1/accounts",
             R"({"username":"tender.one","password":"tenderer-pw-1","role":"tenderer",)"
             R"("display_name":"业委会","community_id":")" +
                 community + R"("})",
             admin);
    REQUIRE(r.status == 201);
    tenderer = login("tender.one", "tenderer-pw-1");
  }
  std::string admin, tenderer, community;
};

TEST_CASE("the issuing answer carries the codes and their links, activation binds the owner",
          "[activation][api]") {
  Onboarding f;
  auto r =
      f.call("POST", "/api/v1/communities/" + f.community + "/activation-codes", "", f.tenderer);
  REQUIRE(r.status == 201);
  auto batch = body_json(r).as_object();
  auto& codes = batch.at("codes").as_array();
  REQUIRE(codes.size() == 2);
  const std::string code(codes[0].at("code").as_string());
  CHECK(codes[0].at("owner_key").as_string() == "K1");
  CHECK(codes[0].at("building").as_string() == "1");
  CHECK(codes[0].at("activation_url").as_string() ==
        "https://127.0.0.1:8443/activate#code=" + code);
  bool no_store = false;
  for (const auto& [k, v] : r.headers)
    no_store = no_store || (k == "Cache-Control" && v == "no-store");
  CHECK(no_store);

  auto a = f.call("POST", "/api/v1/activate",
                  R"({"code":")" + code + R"(","username":"wang.fang","password":"owner-pw-1"})");
  REQUIRE(a.status == 201);
  CHECK(body_json(a).at("role").as_string() == "owner");
  CHECK(body_json(a).at("reset").as_bool() == false);
  f.login("wang.fang", "owner-pw-1");
  auto again =
      f.call("POST", "/api/v1/activate",
             R"({"code":")" + code + R"(","username":"wang.fang2","password":"owner-pw-1"})");
  CHECK(again.status == 409);
  CHECK(error_code(again) == "activation_code_used");
  CHECK(again.body.find(code) == std::string::npos);

  // The second owner's roster row carries a certificate tail.
  const std::string k2(codes[1].at("code").as_string());
  auto no_tail = f.call("POST", "/api/v1/activate",
                        R"({"code":")" + k2 + R"(","username":"li.ming","password":"owner-pw-2"})");
  CHECK(no_tail.status == 422);
  CHECK(error_code(no_tail) == "certificate_tail_required");
}

TEST_CASE("failed activations are throttled per client address", "[activation][api]") {
  Onboarding f;
  std::string guess = "ZZZZZZZZZZZZ";
  guess.push_back(accounts::check_symbol(guess));
  const std::string body =
      R"({"code":")" + guess + R"(","username":"g.g.g","password":"guess-pw-1"})";
  int refused = 0;
  Response last;
  for (int i = 0; i < 8; ++i) {
    last = f.call("POST", "/api/v1/activate", body, "", "198.51.100.7");
    if (last.status == 429) break;
    CHECK(last.status == 422);
    ++refused;
  }
  CHECK(refused >= 5);
  REQUIRE(last.status == 429);
  CHECK(error_code(last) == "too_many_activation_attempts");
  bool retry_after = false;
  for (const auto& [k, v] : last.headers) retry_after = retry_after || k == "Retry-After";
  CHECK(retry_after);
  // Another address is not held back by this one's guesses.
  auto other = f.call("POST", "/api/v1/activate", body, "", "198.51.100.8");
  CHECK(other.status == 422);
  CHECK(error_code(other) == "activation_code_unknown");
}

TEST_CASE("public_base_url: a serve setting, trailing slashes dropped", "[activation][config]") {
  auto d = parse_serve_config("{}");
  REQUIRE(d.ok());
  CHECK(d->public_base_url == "https://127.0.0.1:8443");
  auto c = parse_serve_config(R"({"public_base_url":"https://sunbid.example.org/"})");
  REQUIRE(c.ok());
  CHECK(c->public_base_url == "https://sunbid.example.org");
  for (const char* bad :
       {R"({"public_base_url":"ftp://x"})", R"({"public_base_url":"https://x/#a"})",
        R"({"public_base_url":"https://"})", R"({"public_base_url":7})"}) {
    auto r = parse_serve_config(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().details.at("field").as_string() == "/public_base_url");
  }
}

}  // namespace
}  // namespace sunbid::server::testing
