// add_expert_account: only an evaluator account enters the expert pool (the
// rule POST /experts applies; it lived in the server before issue 12).
#include <catch2/catch.hpp>

#include "eval_fixture.h"

namespace sunbid::testing {
namespace {

void add_account(EvalFixture& f, const std::string& username, accounts::Role role) {
  accounts::NewAccount a;
  a.username = username;
  a.role = role;
  a.display_name = "专家 " + username;
  REQUIRE(accounts::validate_new_account(a).ok());
  auto hash = accounts::hash_password("expert-password", accounts::ScryptParams{16, 1, 1});
  REQUIRE(hash.ok());
  auto created = f.ledger->run<std::string>([&](audit::WriteTxn& txn) {
    return accounts::create_account_with_id(txn, "id-" + username, a, *hash, accounts::Actor{});
  });
  REQUIRE(created.ok());
}

TEST_CASE("add_expert_account: evaluator accounts only, by username", "[experts]") {
  EvalFixture f;
  add_account(f, "zhang", accounts::Role::kEvaluator);
  add_account(f, "lisi", accounts::Role::kSupervisor);
  eval::ExpertInput in;
  in.specialties = {"物业管理"};

  auto added = f.eval->add_expert_account(f.admin, "zhang", in);
  REQUIRE(added.ok());
  CHECK(added->account_id == "id-zhang");

  auto before = f.eval_snapshot();
  auto unknown = f.eval->add_expert_account(f.admin, "nobody", in);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "account_not_found");
  CHECK(unknown.error().details.at("field").as_string() == "/account_username");
  auto supervisor = f.eval->add_expert_account(f.admin, "lisi", in);
  REQUIRE_FALSE(supervisor.ok());
  CHECK(supervisor.error().code == "expert_not_evaluator");
  CHECK(supervisor.error().details.at("role").as_string() == "supervisor");
  auto not_admin =
      f.eval->add_expert_account(CoreFixture::actor("x", "tenderer", "C1"), "zhang", in);
  REQUIRE_FALSE(not_admin.ok());
  CHECK(not_admin.error().code == "not_admin");
  auto twice = f.eval->add_expert_account(f.admin, "zhang", in);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == "expert_exists");
  CHECK(f.eval_snapshot() == before);
}

}  // namespace
}  // namespace sunbid::testing
