// The relations of accounts to tender_core's registers (accounts/relations.h):
// the checks a new account's community, owner key and USCC pass, and the
// tenderer accounts of a community that evaluation reads.
#include "accounts/relations.h"

#include <catch2/catch.hpp>

#include "accounts_fixture.h"

using namespace sunbid;
using namespace sunbid::testing;
using accounts::Role;

namespace {

void expect_relation_refused(AccountsFixture& f, const accounts::NewAccount& a,
                             std::string_view field) {
  auto db = f.reader();
  auto st = accounts::check_account_relations(db, a);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "account_relation_invalid");
  CHECK(st.error().details.at("field").as_string() == field);
  CHECK(st.error().message.find(" / ") != std::string::npos);
}

}  // namespace

TEST_CASE("account relations: the community, owner key and USCC must be registered",
          "[accounts][relations]") {
  AccountsFixture f;
  auto market = setup_market(f);  // community with owner keys K1, K2; kUsccA..D registered
  const std::string community = market.tenderer.community_id;
  const auto before = f.snapshot();

  auto db = f.reader();
  CHECK(accounts::check_account_relations(db, AccountsFixture::new_account("adm", Role::kAdmin))
            .ok());
  CHECK(accounts::check_account_relations(
            db, AccountsFixture::new_account("t1", Role::kTenderer, community))
            .ok());
  CHECK(accounts::check_account_relations(
            db, AccountsFixture::new_account("o1", Role::kOwner, community, std::nullopt, "K2"))
            .ok());
  CHECK(accounts::check_account_relations(
            db, AccountsFixture::new_account("e1", Role::kEnterprise, std::nullopt, kUsccB))
            .ok());

  expect_relation_refused(f, AccountsFixture::new_account("t2", Role::kTenderer, "C999"),
                          "/community_id");
  // The community is checked before the owner key.
  expect_relation_refused(
      f, AccountsFixture::new_account("o2", Role::kOwner, "C999", std::nullopt, "K1"),
      "/community_id");
  expect_relation_refused(
      f, AccountsFixture::new_account("o3", Role::kOwner, community, std::nullopt, "K9"),
      "/owner_key");
  expect_relation_refused(
      f, AccountsFixture::new_account("e2", Role::kEnterprise, std::nullopt, kUsccPilot),
      "/enterprise_uscc");
  // A read: nothing written.
  CHECK(f.snapshot() == before);
}

TEST_CASE("tenderer_account_ids: the community's tenderer accounts, sorted by id",
          "[accounts][relations]") {
  AccountsFixture f;
  auto market = setup_market(f);
  const std::string community = market.tenderer.community_id;
  auto other = f.registry->create_community(f.admin, {"其他小区", "思明区", "鹭江街道", "1号"});
  REQUIRE(other.ok());

  REQUIRE(
      f.create(AccountsFixture::new_account("tb", Role::kTenderer, community), "tenderer-b").ok());
  REQUIRE(
      f.create(AccountsFixture::new_account("ta", Role::kTenderer, community), "tenderer-a").ok());
  auto random_id = f.create(AccountsFixture::new_account("tc", Role::kTenderer, community));
  REQUIRE(random_id.ok());
  // Not tenderers of this community: an owner of it, a tenderer of another.
  REQUIRE(f.create(AccountsFixture::new_account("o1", Role::kOwner, community, std::nullopt, "K1"))
              .ok());
  REQUIRE(f.create(AccountsFixture::new_account("tx", Role::kTenderer, other->id)).ok());

  auto db = f.reader();
  auto ids = accounts::tenderer_account_ids(db, community);
  REQUIRE(ids.ok());
  std::vector<std::string> expected = {*random_id, "tenderer-a", "tenderer-b"};
  std::sort(expected.begin(), expected.end());
  CHECK(*ids == expected);
  auto none = accounts::tenderer_account_ids(db, "C999");
  REQUIRE(none.ok());
  CHECK(none->empty());
}
