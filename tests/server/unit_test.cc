// The policy table, the throttle and the configuration (password hashing is
// tested with the accounts module, tests/accounts/password_test.cc).
#include <algorithm>
#include <catch2/catch.hpp>

#include "server/config.h"
#include "server/login_throttle.h"
#include "server/policy.h"

using namespace sunbid;
using namespace sunbid::server;

TEST_CASE("policy: every action has a rule, roles and loopback", "[policy]") {
  for (Action a :
       {Action::kReadHealth, Action::kReadMetrics, Action::kCreateSession, Action::kDeleteSession,
        Action::kCreateAccount, Action::kReadAudit, Action::kAdvanceDevClock,
        Action::kManageRegistry, Action::kReadRegistry, Action::kManageTender,
        Action::kSuperviseTender, Action::kCancelTender, Action::kReadTender, Action::kBid,
        Action::kFileObjection, Action::kAnswerObjection}) {
    CHECK_FALSE(action_name(a).empty());
  }
  // Each new action's row: who may (and that the rest may not).
  auto only = [](Action a, std::vector<accounts::Role> allowed) {
    for (accounts::Role r :
         {accounts::Role::kAdmin, accounts::Role::kTenderer, accounts::Role::kEnterprise,
          accounts::Role::kEvaluator, accounts::Role::kOwner, accounts::Role::kSupervisor}) {
      bool expected = std::find(allowed.begin(), allowed.end(), r) != allowed.end();
      CHECK(authorize(a, {r, false}).ok() == expected);
    }
    CHECK_FALSE(authorize(a, {std::nullopt, true}).ok());
  };
  only(Action::kManageRegistry, {accounts::Role::kAdmin});
  only(Action::kManageTender, {accounts::Role::kTenderer});
  only(Action::kSuperviseTender, {accounts::Role::kSupervisor});
  only(Action::kCancelTender, {accounts::Role::kTenderer, accounts::Role::kSupervisor});
  only(Action::kBid, {accounts::Role::kEnterprise});
  only(Action::kFileObjection, {accounts::Role::kEnterprise, accounts::Role::kOwner});
  only(Action::kAnswerObjection, {accounts::Role::kTenderer});
  // Issue 11: the dev clock and account management are the admin's; an
  // approval of a shared binding is a supervisor's.
  only(Action::kAdvanceDevClock, {accounts::Role::kAdmin});
  only(Action::kManageAccounts, {accounts::Role::kAdmin});
  only(Action::kApproveAccount, {accounts::Role::kSupervisor});
  CHECK(authorize(Action::kReadTender, {std::nullopt, false}).ok());
  CHECK(authorize(Action::kReadRegistry, {std::nullopt, false}).ok());
  CHECK(action_name(Action::kCreateAccount) == "create_account");
  CHECK(action_name(Action::kAdvanceDevClock) == "advance_dev_clock");
  CHECK(authorize(Action::kCreateAccount, {accounts::Role::kAdmin, false}).ok());
  for (accounts::Role r :
       {accounts::Role::kTenderer, accounts::Role::kEnterprise, accounts::Role::kEvaluator,
        accounts::Role::kOwner, accounts::Role::kSupervisor}) {
    auto st = authorize(Action::kCreateAccount, {r, true});
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "forbidden");
  }
  auto anon = authorize(Action::kCreateAccount, {std::nullopt, true});
  REQUIRE_FALSE(anon.ok());
  CHECK(anon.error().code == "unauthenticated");
  CHECK(authorize(Action::kReadMetrics, {std::nullopt, true}).ok());
  CHECK_FALSE(authorize(Action::kReadMetrics, {std::nullopt, false}).ok());
  CHECK(authorize(Action::kReadMetrics, {accounts::Role::kOwner, true}).ok());
  CHECK_FALSE(authorize(Action::kReadMetrics, {accounts::Role::kOwner, false}).ok());
  CHECK_FALSE(authorize(Action::kDeleteSession, {std::nullopt, true}).ok());
  CHECK(authorize(Action::kReadAudit, {std::nullopt, false}).ok());
  for (auto name : {"admin", "tenderer", "enterprise", "evaluator", "owner", "supervisor"}) {
    auto r = accounts::parse_role(name);
    REQUIRE(r);
    CHECK(accounts::role_name(*r) == name);
  }
  CHECK_FALSE(accounts::parse_role("Admin"));
  CHECK_FALSE(accounts::parse_role("system"));
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
  // The OCDS ocid prefix: "ocds-" + six lowercase letters or digits + "-".
  auto p = parse_serve_config(R"({"ocds_prefix":"ocds-abc123-"})");
  REQUIRE(p.ok());
  CHECK(*p->ocds_prefix == "ocds-abc123-");
  for (const char* bad :
       {"ocds-abc12-", "ocds-ABC123-", "ocds-abc123", "xocds-abc123-", "ocds-abc1234-"}) {
    INFO(bad);
    auto b = parse_serve_config(std::string(R"({"ocds_prefix":")") + bad + "\"}");
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().details.at("field").as_string() == "/ocds_prefix");
  }

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

TEST_CASE("policy: the tenderer kind column (issue 13 §3): a community office casts no "
          "committee vote",
          "[policy][kinds]") {
  using accounts::Role;
  using accounts::TendererKind;
  for (auto k : {TendererKind::kOwnersCommittee, TendererKind::kProvisionalCommittee}) {
    CHECK(authorize(Action::kCommitteeVote, {Role::kTenderer, false, k}).ok());
  }
  auto st = authorize(Action::kCommitteeVote,
                      {Role::kTenderer, false, TendererKind::kCommunityOffice});
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "forbidden");
  CHECK(st.error().details.at("tenderer_kind").as_string() == "community_office");
  // Every other tenderer action admits the three kinds.
  for (Action a : {Action::kManageTender, Action::kManageMotion, Action::kDecide,
                   Action::kAnswerObjection, Action::kIssueActivationCodes}) {
    CHECK(authorize(a, {Role::kTenderer, false, TendererKind::kCommunityOffice}).ok());
    CHECK(authorize(a, {Role::kTenderer, false, TendererKind::kProvisionalCommittee}).ok());
  }
  // The kind column never admits a role the row refuses.
  CHECK_FALSE(authorize(Action::kCommitteeVote, {Role::kOwner, false, std::nullopt}).ok());
}
