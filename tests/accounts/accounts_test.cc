// The accounts module's own functions, without HTTP: roles, the schema's
// migration numbers, account creation with a chosen or a random id.
#include <algorithm>
#include <catch2/catch.hpp>

#include "accounts/role.h"
#include "accounts_fixture.h"
#include "audit_log/log_store.h"

using namespace sunbid;
using namespace sunbid::testing;
using accounts::Role;

TEST_CASE("roles: names round-trip, unknown names are refused", "[accounts][roles]") {
  const std::vector<std::pair<Role, std::string_view>> all = {
      {Role::kAdmin, "admin"},           {Role::kTenderer, "tenderer"},
      {Role::kEnterprise, "enterprise"}, {Role::kEvaluator, "evaluator"},
      {Role::kOwner, "owner"},           {Role::kSupervisor, "supervisor"}};
  REQUIRE(all.size() == accounts::kRoleCount);
  for (const auto& [role, name] : all) {
    CHECK(accounts::role_name(role) == name);
    CHECK(accounts::parse_role(name) == role);
  }
  CHECK_FALSE(accounts::parse_role("Admin").has_value());
  CHECK_FALSE(accounts::parse_role("").has_value());
}

TEST_CASE("accounts' migrations keep the versions and names they had in the server",
          "[accounts][schema]") {
  // A database written before accounts left the server records these; a
  // change of either would refuse or re-apply them.
  std::vector<std::pair<std::int64_t, std::string>> got;
  for (const auto& m : accounts::accounts_migrations()) got.emplace_back(m.version, m.name);
  // 26 and 27 are owner onboarding's (issue 13 §1, activation.h): above
  // every version an existing database may be at, so that it opens.
  std::sort(got.begin(), got.end());
  CHECK(got ==
        std::vector<std::pair<std::int64_t, std::string>>{{3, "server_accounts"},
                                                          {17, "server_access_record"},
                                                          {19, "server_account_limits"},
                                                          {26, "accounts_activation_codes"},
                                                          {27, "accounts_activation_flags"}});
}

TEST_CASE("create_account_with_id keeps the id, create_account draws acct- ids", "[accounts]") {
  AccountsFixture f;
  auto market = setup_market(f);
  const std::string community = market.tenderer.community_id;
  const auto n0 = f.log_size();
  auto chosen =
      f.create(AccountsFixture::new_account("chosen", Role::kTenderer, community), "tenderer-7");
  REQUIRE(chosen.ok());
  CHECK(*chosen == "tenderer-7");
  auto drawn = f.create(AccountsFixture::new_account("drawn", Role::kTenderer, community));
  REQUIRE(drawn.ok());
  CHECK(drawn->rfind("acct-", 0) == 0);
  CHECK(drawn->size() == 5 + 16);
  CHECK(f.log_size() == n0 + 2);  // one account.created each

  auto db = f.reader();
  auto rec = accounts::find_account_by_id(db, "tenderer-7");
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  CHECK((*rec)->username == "chosen");
  CHECK((*rec)->role == Role::kTenderer);
  CHECK((*rec)->community_id == community);

  // A taken username is refused either way, and nothing is written.
  const auto before = f.log_size();
  auto again =
      f.create(AccountsFixture::new_account("chosen", Role::kTenderer, community), "tenderer-8");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "username_taken");
  CHECK(f.log_size() == before);
  auto count = accounts::count_accounts(db);
  REQUIRE(count.ok());
  CHECK(*count == 2);
}

TEST_CASE("check_login: the account for its password, unknown and wrong alike, disabled",
          "[accounts][login]") {
  AccountsFixture f;
  auto market = setup_market(f);
  const auto dummy = accounts::hash_password("dummy-password", accounts::ScryptParams{16, 1, 1});
  REQUIRE(dummy.ok());
  REQUIRE(f.create(AccountsFixture::new_account("wang", Role::kSupervisor), "sup-1").ok());
  auto db = f.reader();

  auto ok = accounts::check_login(db, "wang", "account-password", *dummy);
  REQUIRE(ok.ok());
  CHECK(ok->id == "sup-1");
  CHECK(ok->role == Role::kSupervisor);
  for (auto [user, pass] : {std::pair{"wang", "wrong-password"}, std::pair{"nobody", "x"},
                            std::pair{"nobody", "dummy-password"}}) {
    auto refused = accounts::check_login(db, user, pass, *dummy);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_credentials");
    CHECK(refused.error().message == "用户名或密码错误 / wrong username or password");
  }

  REQUIRE(f.ledger
              ->run<bool>([&](audit::WriteTxn& txn) {
                return accounts::disable_account(txn, "sup-1", "离职", accounts::Actor{});
              })
              .ok());
  auto db2 = f.reader();
  auto disabled = accounts::check_login(db2, "wang", "account-password", *dummy);
  REQUIRE_FALSE(disabled.ok());
  CHECK(disabled.error().code == "account_disabled");
  // A wrong password says nothing about the account being disabled.
  auto wrong = accounts::check_login(db2, "wang", "wrong-password", *dummy);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "invalid_credentials");
}
