// The accounts module's own functions, without HTTP: roles, the schema's
// migration numbers, account creation with a chosen or a random id.
#include <algorithm>
#include <boost/json/parse.hpp>
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

TEST_CASE("tenderer kinds: stored on the tenderer's relation, default owners_committee, one kind "
          "per community", "[accounts][kinds]") {
  AccountsFixture f;
  auto market = setup_market(f);
  const std::string community = market.tenderer.community_id;
  CHECK(accounts::tenderer_kind_name(accounts::TendererKind::kProvisionalCommittee) ==
        "provisional_committee");
  CHECK(accounts::parse_tenderer_kind("community_office") ==
        accounts::TendererKind::kCommunityOffice);
  CHECK_FALSE(accounts::parse_tenderer_kind("street_office").has_value());

  // Only a tenderer carries a kind.
  auto owner = AccountsFixture::new_account("owner-k", Role::kOwner, community, std::nullopt, "K1");
  owner.tenderer_kind = accounts::TendererKind::kOwnersCommittee;
  auto st = accounts::validate_new_account(owner);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "invalid_field");
  CHECK(st.error().details.at("field").as_string() == "/tenderer_kind");

  // Without a kind a tenderer is an owners' committee's; the entry says so.
  const auto n0 = f.log_size();
  auto plain = f.create(AccountsFixture::new_account("committee-1", Role::kTenderer, community));
  REQUIRE(plain.ok());
  auto db = f.reader();
  auto rec = accounts::find_account_by_id(db, *plain);
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  CHECK((*rec)->tenderer_kind == accounts::TendererKind::kOwnersCommittee);
  const auto entries = f.all_entries();
  REQUIRE(entries.size() == n0 + 1);
  auto entry = boost::json::parse(entries[n0]).as_object();
  CHECK(entry.at("payload").at("tenderer_kind").as_string() == "owners_committee");

  // Another kind in the same community is refused, nothing written.
  auto office = AccountsFixture::new_account("shequ-1", Role::kTenderer, community);
  office.tenderer_kind = accounts::TendererKind::kCommunityOffice;
  const auto n1 = f.log_size();
  auto mixed = f.create(office);
  REQUIRE_FALSE(mixed.ok());
  CHECK(mixed.error().code == "tenderer_kind_mixed");
  CHECK(mixed.error().details.at("community_kind").as_string() == "owners_committee");
  CHECK(f.log_size() == n1);

  // Once the committee's accounts are disabled, the community may change
  // organisation; the kind is read back from the relation.
  REQUIRE(f.ledger
              ->run<bool>([&](audit::WriteTxn& txn) {
                return accounts::disable_account(txn, *plain, "换届", accounts::Actor{});
              })
              .ok());
  auto changed = f.create(office);
  REQUIRE(changed.ok());
  auto db2 = f.reader();
  auto rec2 = accounts::find_account_by_id(db2, *changed);
  REQUIRE(rec2.ok());
  REQUIRE(rec2->has_value());
  CHECK((*rec2)->tenderer_kind == accounts::TendererKind::kCommunityOffice);
  auto owner_rec = accounts::find_account_by_id(db2, *plain);
  REQUIRE(owner_rec.ok());
  CHECK((*owner_rec)->tenderer_kind == accounts::TendererKind::kOwnersCommittee);
}
