// `sunbid serve --demo`'s seed: through the real services, once.
#include "server/demo.h"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <limits>

#include "accounts/accounts.h"
#include "audit_log/log_store.h"
#include "fixture.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

TEST_CASE("demo: seeds a community, registers, accounts and a tender with sealed bids, once",
          "[demo]") {
  ApiFixture f;
  // The fixture's own admin is "root"; the demo's is "admin".
  auto seeded = seed_demo(*f.ledger, f.clock, f.dir.path(), kTestScrypt);
  REQUIRE(seeded.ok());
  CHECK_FALSE(seeded->already_seeded);
  // admin, supervisor, tenderer, 5 clerks, 4 owners, 9 evaluators.
  CHECK(seeded->accounts.size() == 21);
  std::map<std::string, int> roles;
  for (const auto& a : seeded->accounts) ++roles[a.role];
  CHECK(roles["enterprise"] == 5);
  CHECK(roles["evaluator"] == 9);
  CHECK(roles["owner"] == 4);
  CHECK(roles["admin"] == 1);
  CHECK(roles["supervisor"] == 1);
  CHECK(roles["tenderer"] == 1);

  auto db = f.ledger->open_reader();
  REQUIRE(db.ok());
  auto c = core::Registry::community(*db, seeded->community_id);
  REQUIRE(c.ok());
  CHECK(c->totals.units == 200);
  // 200 units: 14 unsold (building 5 floors 9-11, and 3-1103, 3-1104; the
  // developer counts once) and three families with two flats each:
  // 200 - 14 - 3 = 183 owners of sold flats, + 1 developer = 184.
  CHECK(c->totals.owners_headcount == 184);
  auto tiers = core::Registry::service_tiers(*db);
  CHECK(tiers->size() == 3);
  auto view = core::detail::unchecked_view(*db, seeded->tender_id);
  REQUIRE(view.ok());
  CHECK(view->status == core::TenderStatus::published);
  CHECK(*view->bid_deadline_ms - kT0 >= 20LL * 86'400'000);

  // Three sealed bids (the floor of 条例 44, so the demo tender opens; it
  // used to seed two), withheld from the feed until the reveal window opens.
  auto n = audit::log_size(*db);
  auto entries = audit::read_entries(*db, 0, *n);
  int committed = 0;
  for (const auto& e : *entries) {
    if (e.bytes.find("\"bid.committed\"") != std::string::npos) {
      ++committed;
      CHECK(e.release_at_ms == std::numeric_limits<std::int64_t>::max());
    }
  }
  CHECK(committed == 3);
  CHECK(std::filesystem::exists(f.dir.path() / "demo-bids" / "ent3.json"));
  CHECK(std::filesystem::exists(f.dir.path() / "demo-bids" / "ent1.json"));

  // The printed passwords work; the enterprise account is the bidder's.
  std::string ent1_pw;
  for (const auto& a : seeded->accounts) {
    if (a.username == "ent1") ent1_pw = a.password;
  }
  std::string token = f.login("ent1", ent1_pw);
  auto mine = body_json(f.call("GET", "/api/v1/tenders/" + seeded->tender_id, "", token));
  CHECK(mine.at("bids").as_array().size() == 1);
  auto pub = body_json(f.call("GET", "/api/v1/tenders/" + seeded->tender_id));
  CHECK(pub.at("bids").as_array().empty());

  // The expert pool: the nine evaluators; evaluator9 is employed by the
  // bidder 厦门鹭岛物业 (ent1's USCC), so the committee draw excludes it.
  {
    auto st = db->prepare("SELECT account, employer_uscc FROM eval_experts ORDER BY account");
    REQUIRE(st.ok());
    std::map<std::string, std::string> employer;
    while (true) {
      auto row = st->step();
      REQUIRE(row.ok());
      if (!*row) break;
      employer[std::string(st->column_text(0))] = std::string(st->column_text(1));
    }
    CHECK(employer.size() == 9);
    auto e9 = accounts::find_account_by_username(*db, "evaluator9");
    REQUIRE(e9.ok());
    REQUIRE(e9->has_value());
    CHECK(employer[(*e9)->id] == "91350200776049653A");
  }

  // A second start writes nothing.
  std::uint64_t size = f.ledger->committed_log().size;
  auto again = seed_demo(*f.ledger, f.clock, f.dir.path(), kTestScrypt);
  REQUIRE(again.ok());
  CHECK(again->already_seeded);
  CHECK(again->accounts.empty());
  CHECK(f.ledger->committed_log().size == size);
}
