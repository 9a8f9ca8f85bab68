// A ledger on a temp directory, a manual clock and an Api over them, with an
// admin account, for the server's tests.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>

#include "accounts/accounts.h"
#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "server/api.h"
#include "server/migrations.h"
#include "temp_dir.h"

namespace sunbid::server::testing {

// Cheap scrypt parameters so the suite stays fast; one test checks the
// production parameters separately.
inline constexpr accounts::ScryptParams kTestScrypt{1u << 10, 8, 1};

// 2026-01-01T00:00:00Z
inline constexpr std::int64_t kT0 = 1767225600000;

struct ApiFixture {
  explicit ApiFixture(bool dev_clock = false, std::vector<std::string> trusted = {},
                      limits::Settings settings = {},
                      std::shared_ptr<const StaticSite> web = nullptr,
                      std::int64_t start_ms = kT0) {
    clock.set_ms(start_ms);
    audit::LedgerOptions lo;
    lo.data_dir = dir.path();
    lo.migrations = all_migrations();
    lo.clock = &clock;
    auto l = audit::Ledger::open(std::move(lo));
    REQUIRE(l.ok());
    ledger = std::move(l).value();
    ApiOptions ao;
    ao.ledger = ledger.get();
    ao.clock = &clock;
    ao.scrypt = kTestScrypt;
    ao.trusted_proxies = std::move(trusted);
    ao.limits = settings;
    ao.web = std::move(web);
    if (dev_clock) ao.dev_clock = &dev;
    // Tests move time themselves; requests catch their tender up.
    ao.tick_interval = std::chrono::milliseconds(0);
    api = std::make_unique<Api>(std::move(ao));
    admin_id = add_account("root", accounts::Role::kAdmin, "correct horse battery");
  }

  std::string add_account(const std::string& username, accounts::Role role,
                          const std::string& password) {
    accounts::NewAccount a;
    a.username = username;
    a.role = role;
    a.display_name = "测试 " + username;
    if (role == accounts::Role::kTenderer || role == accounts::Role::kOwner) a.community_id = "c1";
    if (role == accounts::Role::kOwner) a.owner_key = "k-" + username;
    if (role == accounts::Role::kEnterprise) a.enterprise_uscc = "91110108MA01B2C344";
    auto hash = accounts::hash_password(password, kTestScrypt);
    REQUIRE(hash.ok());
    std::string id;
    Status st = ledger->execute([&](audit::WriteTxn& txn) -> Status {
      SUNBID_ASSIGN_OR_RETURN(id, accounts::create_account(txn, a, *hash, accounts::Actor{}));
      return {};
    });
    REQUIRE(st.ok());
    return id;
  }

  Response call(std::string method, std::string target, std::string body = "",
                std::string token = "", std::string peer = "192.0.2.10") {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    if (!token.empty()) r.authorization = "Bearer " + token;
    r.peer_address = std::move(peer);
    return api->handle(std::move(r));
  }

  // Logs in and returns the token (REQUIREs success).
  std::string login(const std::string& username, const std::string& password) {
    auto r = call("POST", "/api/v1/sessions",
                  R"({"username":")" + username + R"(","password":")" + password + R"("})");
    REQUIRE(r.status == 201);
    return std::string(boost::json::parse(r.body).at("token").as_string());
  }

  sunbid::testing::TempDir dir;
  ManualClock clock{kT0};
  DevClock dev;
  std::unique_ptr<audit::Ledger> ledger;
  std::unique_ptr<Api> api;
  std::string admin_id;
};

inline boost::json::value body_json(const Response& r) {
  return boost::json::parse(r.body);
}

inline std::string error_code(const Response& r) {
  return std::string(body_json(r).at("error").at("code").as_string());
}

}  // namespace sunbid::server::testing
