// Password hashing, the policy table, the throttle and the configuration.
#include <algorithm>
#include <catch2/catch.hpp>

#include "audit_log/sha256.h"
#include "server/config.h"
#include "server/login_throttle.h"
#include "server/password.h"
#include "server/policy.h"

using namespace sunbid;
using namespace sunbid::server;

namespace {
std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}
}  // namespace

TEST_CASE("scrypt matches RFC 7914 test vectors", "[password]") {
  // RFC 7914 §12, second and third vectors.
  auto a = scrypt_derive("password", bytes("NaCl"), ScryptParams{1024, 8, 16}, 64);
  REQUIRE(a.ok());
  CHECK(hex_encode(*a) ==
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d"
        "9830dac727afb94a83ee6d8360cbdfa2cc0640");
  auto b = scrypt_derive("pleaseletmein", bytes("SodiumChloride"), ScryptParams{16384, 8, 1}, 64);
  REQUIRE(b.ok());
  CHECK(hex_encode(*b) ==
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d497052"
        "42a9af9e61e85dc0d651e40dfcf017b45575887");
}

TEST_CASE("production scrypt parameters: N=2^15, r=8, p=1, 16-byte salt, 32 bytes", "[password]") {
  ScryptParams p;
  CHECK(p == ScryptParams{32768, 8, 1});
  // Worked out with Python's hashlib.scrypt.
  std::vector<std::uint8_t> salt(16);
  for (int i = 0; i < 16; ++i) salt[i] = static_cast<std::uint8_t>(i);
  auto d = scrypt_derive("correct horse", salt, p, 32);
  REQUIRE(d.ok());
  CHECK(hex_encode(*d) == "5c662628ac4eb1068a287e2aa2a202ae248e98db04d61d3327e7342db6ec7097");
  auto h = hash_password("correct horse", p);
  REQUIRE(h.ok());
  CHECK(h->salt.size() == 16);
  CHECK(h->hash.size() == 32);
  CHECK(verify_password("correct horse", *h));
  CHECK_FALSE(verify_password("correct horsf", *h));
  auto h2 = hash_password("correct horse", p);
  REQUIRE(h2.ok());
  CHECK(h2->salt != h->salt);                                                // fresh salt each time
  CHECK_FALSE(scrypt_derive("x", salt, ScryptParams{1000, 8, 1}, 32).ok());  // N not 2^k
}

TEST_CASE("policy: every action has a rule; roles and loopback", "[policy]") {
  for (Action a :
       {Action::kReadHealth, Action::kReadMetrics, Action::kCreateSession, Action::kDeleteSession,
        Action::kCreateAccount, Action::kReadAudit, Action::kAdvanceDevClock,
        Action::kManageRegistry, Action::kReadRegistry, Action::kManageTender,
        Action::kSuperviseTender, Action::kCancelTender, Action::kReadTender, Action::kBid,
        Action::kFileObjection, Action::kAnswerObjection}) {
    CHECK_FALSE(action_name(a).empty());
  }
  // Each new action's row: who may (and that the rest may not).
  auto only = [](Action a, std::vector<Role> allowed) {
    for (Role r : {Role::kAdmin, Role::kTenderer, Role::kEnterprise, Role::kEvaluator, Role::kOwner,
                   Role::kSupervisor}) {
      bool expected = std::find(allowed.begin(), allowed.end(), r) != allowed.end();
      CHECK(authorize(a, {r, false}).ok() == expected);
    }
    CHECK_FALSE(authorize(a, {std::nullopt, true}).ok());
  };
  only(Action::kManageRegistry, {Role::kAdmin});
  only(Action::kManageTender, {Role::kTenderer});
  only(Action::kSuperviseTender, {Role::kSupervisor});
  only(Action::kCancelTender, {Role::kTenderer, Role::kSupervisor});
  only(Action::kBid, {Role::kEnterprise});
  only(Action::kFileObjection, {Role::kEnterprise, Role::kOwner});
  only(Action::kAnswerObjection, {Role::kTenderer});
  // Issue 11: the dev clock and account management are the admin's; an
  // approval of a shared binding is a supervisor's.
  only(Action::kAdvanceDevClock, {Role::kAdmin});
  only(Action::kManageAccounts, {Role::kAdmin});
  only(Action::kApproveAccount, {Role::kSupervisor});
  CHECK(authorize(Action::kReadTender, {std::nullopt, false}).ok());
  CHECK(authorize(Action::kReadRegistry, {std::nullopt, false}).ok());
  CHECK(action_name(Action::kCreateAccount) == "create_account");
  CHECK(action_name(Action::kAdvanceDevClock) == "advance_dev_clock");
  CHECK(authorize(Action::kCreateAccount, {Role::kAdmin, false}).ok());
  for (Role r :
       {Role::kTenderer, Role::kEnterprise, Role::kEvaluator, Role::kOwner, Role::kSupervisor}) {
    auto st = authorize(Action::kCreateAccount, {r, true});
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "forbidden");
  }
  auto anon = authorize(Action::kCreateAccount, {std::nullopt, true});
  REQUIRE_FALSE(anon.ok());
  CHECK(anon.error().code == "unauthenticated");
  CHECK(authorize(Action::kReadMetrics, {std::nullopt, true}).ok());
  CHECK_FALSE(authorize(Action::kReadMetrics, {std::nullopt, false}).ok());
  CHECK(authorize(Action::kReadMetrics, {Role::kOwner, true}).ok());
  CHECK_FALSE(authorize(Action::kReadMetrics, {Role::kOwner, false}).ok());
  CHECK_FALSE(authorize(Action::kDeleteSession, {std::nullopt, true}).ok());
  CHECK(authorize(Action::kReadAudit, {std::nullopt, false}).ok());
  for (auto name : {"admin", "tenderer", "enterprise", "evaluator", "owner", "supervisor"}) {
    auto r = parse_role(name);
    REQUIRE(r);
    CHECK(role_name(*r) == name);
  }
  CHECK_FALSE(parse_role("Admin"));
  CHECK_FALSE(parse_role("system"));
}

// Changed for issue 11 (security A9): failures count per (account, address)
// pair and per address; a success clears its pair and takes back its own
// provisional failure of the address.
TEST_CASE("throttle: a success clears its pair, and the address keeps the others' failures",
          "[throttle]") {
  LoginThrottle t;
  for (int i = 0; i < 4; ++i) CHECK_FALSE(t.begin("a", "1.1.1.1", 1000));
  CHECK_FALSE(t.begin("a", "2.2.2.2", 1000));  // another pair
  t.succeeded("a", "2.2.2.2");
  CHECK_FALSE(t.begin("a", "1.1.1.1", 2000));  // the pair's fifth: 1 s backoff
  auto w = t.begin("a", "1.1.1.1", 2000);
  REQUIRE(w);
  CHECK(*w == 1);
  CHECK(t.begin("a", "1.1.1.1", 2999));
  CHECK_FALSE(t.begin("a", "1.1.1.1", 3000));
  t.succeeded("a", "1.1.1.1");
  CHECK_FALSE(t.begin("a", "1.1.1.1", 3000));
}

TEST_CASE("serve configuration: strict, unknown fields refused", "[config]") {
  auto c = parse_serve_config(
      R"({"listen":"0.0.0.0:9443","threads":4,"cert_file":"/c.pem","key_file":"/k.pem",)"
      R"("trusted_proxies":["10.0.0.2"],"log_origin":"example.org/sunbid"})");
  REQUIRE(c.ok());
  CHECK(*c->listen == "0.0.0.0:9443");
  CHECK(*c->threads == 4);
  CHECK(c->trusted_proxies == std::vector<std::string>{"10.0.0.2"});
  CHECK(*c->log_origin == "example.org/sunbid");
  auto u = parse_serve_config(R"({"listen":"127.0.0.1:1","thread":2})");
  REQUIRE_FALSE(u.ok());
  CHECK(u.error().code == "unknown_field");
  CHECK(u.error().details.at("field").as_string() == "/thread");
  auto half = parse_serve_config(R"({"cert_file":"/c.pem"})");
  REQUIRE_FALSE(half.ok());
  CHECK(half.error().details.at("field").as_string() == "/key_file");
  CHECK_FALSE(parse_serve_config(R"({"threads":0})").ok());
  CHECK_FALSE(parse_serve_config(R"({"threads":2.0})").ok());

  auto a = parse_listen_address("127.0.0.1:8443");
  REQUIRE(a.ok());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 8443);
  auto v6 = parse_listen_address("[::1]:443");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK_FALSE(parse_listen_address("127.0.0.1").ok());
  CHECK_FALSE(parse_listen_address("127.0.0.1:65536").ok());
  CHECK_FALSE(parse_listen_address("127.0.0.1:8x").ok());
}
