// tender_core's fixture opened with the accounts module's schema as well (the
// registers the relations refer to), and a helper that creates accounts
// through the module.
#pragma once

#include <string>

#include "../tender_core/service_fixture.h"
#include "accounts/accounts.h"
#include "accounts/schema.h"

namespace sunbid::testing {

class AccountsFixture : public CoreFixture {
 public:
  static std::vector<audit::Migration> with_accounts() {
    auto all = core::tender_core_migrations();
    for (auto& m : accounts::accounts_migrations()) all.push_back(std::move(m));
    return all;
  }

  AccountsFixture() : CoreFixture(ms("2025-06-01T00:00:00Z"), 4096, with_accounts()) {}

  static accounts::NewAccount new_account(std::string username, accounts::Role role,
                                          std::optional<std::string> community = std::nullopt,
                                          std::optional<std::string> uscc = std::nullopt,
                                          std::optional<std::string> owner_key = std::nullopt) {
    accounts::NewAccount a;
    a.username = std::move(username);
    a.role = role;
    a.display_name = "测试 " + a.username;
    a.community_id = std::move(community);
    a.enterprise_uscc = std::move(uscc);
    a.owner_key = std::move(owner_key);
    return a;
  }

  // create_account (or create_account_with_id when `id` is given) in one
  // ledger command; the password hash is cheap (scrypt N=16).
  Result<std::string> create(const accounts::NewAccount& a, std::string id = "") {
    auto hash = accounts::hash_password("account-password", accounts::ScryptParams{16, 1, 1});
    REQUIRE(hash.ok());
    return ledger->run<std::string>([&](audit::WriteTxn& txn) {
      return id.empty() ? accounts::create_account(txn, a, *hash, accounts::Actor{})
                        : accounts::create_account_with_id(txn, id, a, *hash, accounts::Actor{});
    });
  }
};

}  // namespace sunbid::testing
