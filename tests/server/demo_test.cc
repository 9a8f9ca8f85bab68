// `sunbid serve --demo`'s seed: through the real services, once.
#include "server/demo.h"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <limits>
#include <set>

#include "accounts/accounts.h"
#include "audit_log/log_store.h"
#include "fixture.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/time.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

TEST_CASE("demo: seeds a community, registers, accounts and a tender with sealed bids, once",
          "[demo]") {
  ApiFixture f;
  // The demo's past (80 days: the selection plans' 30, then the tenders'
  // 50) begins after the fixture's own admin ("root"; the demo's is
  // "admin") was created.
  const std::int64_t now = kT0 + 90LL * 86'400'000;
  f.clock.set_ms(now);
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
  CHECK(*view->bid_deadline_ms - now >= 20LL * 86'400'000);
  CHECK(f.clock.now_ms() == now);

  // Three sealed bids (the floor of 条例 44, so the demo tender opens; it
  // used to seed two), withheld from the feed until the reveal window opens.
  auto n = audit::log_size(*db);
  auto entries = audit::read_entries(*db, 0, *n);
  int committed = 0;
  int sealed = 0;
  const std::string in_t1 = "\"tender\":\"" + seeded->tender_id + "\"";
  for (const auto& e : *entries) {
    if (e.bytes.find("\"bid.committed\"") == std::string::npos) continue;
    ++committed;
    // The bidding tender's stay sealed; the vote tender's were revealed.
    if (e.bytes.find(in_t1) != std::string::npos) {
      ++sealed;
      CHECK(e.release_at_ms == std::numeric_limits<std::int64_t>::max());
    } else {
      CHECK(e.release_at_ms < now);
    }
  }
  CHECK(sealed == 3);
  CHECK(committed == 6);  // 3 in the bidding tender, 3 in the vote tender (revealed)
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
  // GET /me gives the clerk its company's registration and current rating.
  auto me = body_json(f.call("GET", "/api/v1/me", "", token));
  CHECK(me.at("enterprise").at("name").as_string() == "厦门鹭岛物业服务有限公司");
  CHECK(me.at("enterprise").at("rating").at("credit_grade").as_string() == "AAA");
  CHECK(me.at("enterprise").at("rating").at("star_rating").as_int64() == 5);
  CHECK(me.at("enterprise").at("rating").at("blacklisted").as_bool() == false);

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

  // The owners' vote tender is in its vote window now, after every stage.
  {
    auto vote = body_json(f.call("GET", "/api/v1/tenders/" + seeded->vote_tender_id));
    CHECK(vote.at("status").as_string() == "deciding");
    auto candidates =
        body_json(f.call("GET", "/api/v1/tenders/" + seeded->vote_tender_id + "/candidates"));
    REQUIRE(candidates.at("items").as_array().size() == 3);
    for (const auto& k : candidates.at("items").as_array()) {
      CHECK(k.at("price_fen_per_m2_month").as_int64() > 0);
      CHECK(!k.at("bidder").at("name").as_string().empty());
      CHECK(!k.at("bidder").at("rating").at("credit_grade").as_string().empty());
    }
    std::string owner_pw;
    for (const auto& a : seeded->accounts) {
      if (a.username == "owner2") owner_pw = a.password;
    }
    std::string owner = f.login("owner2", owner_pw);
    auto me = body_json(f.call("GET", "/api/v1/me", "", owner));
    CHECK(me.at("enterprise").is_null());
    // The bidding tender has no vote yet: its turnout has no round.
    auto none = body_json(f.call("GET", "/api/v1/tenders/" + seeded->tender_id + "/turnout"));
    CHECK(none.at("round").is_null());
    CHECK(none.as_object().size() == 2);
    const auto& votes = me.at("owner").at("open_votes").as_array();
    REQUIRE(votes.size() == 2);
    std::set<std::string> kinds;
    for (const auto& v : votes) {
      kinds.insert(std::string(v.at("kind").as_string()));
      // Open for days yet.
      auto closes = core::parse_rfc3339_ms(v.at("closes_at").as_string());
      REQUIRE(closes.ok());
      CHECK(*closes - now >= 5LL * 86'400'000);
    }
    CHECK(kinds == std::set<std::string>{"motion", "tender"});
    const std::string bid =
        std::string(candidates.at("items").as_array()[0].at("bid_id").as_string());
    auto cast = f.call("POST", "/api/v1/tenders/" + seeded->vote_tender_id + "/ballots",
                       R"({"candidate_bid_id":")" + bid + R"("})", owner);
    REQUIRE(cast.status == 201);
    auto receipt = body_json(cast);
    CHECK(std::string(receipt.at("entry").as_string()).find(bid) != std::string::npos);
    auto tender_turnout =
        body_json(f.call("GET", "/api/v1/tenders/" + seeded->vote_tender_id + "/turnout"));
    CHECK(tender_turnout.at("participating_heads").as_int64() == 1);
    CHECK(tender_turnout.at("total_heads").as_int64() == 184);
    CHECK(tender_turnout.at("head_quorum").as_bool() == false);
    auto motion = f.call("POST", "/api/v1/motions/" + seeded->motion_id + "/ballots",
                         R"({"choice":"for"})", owner);
    CHECK(motion.status == 201);
    auto turnout = body_json(f.call("GET", "/api/v1/motions/" + seeded->motion_id + "/turnout"));
    CHECK(turnout.at("participating_heads").as_int64() == 1);
  }

  // A second start writes nothing.
  std::uint64_t size = f.ledger->committed_log().size;
  auto again = seed_demo(*f.ledger, f.clock, f.dir.path(), kTestScrypt);
  REQUIRE(again.ok());
  CHECK(again->already_seeded);
  CHECK(again->accounts.empty());
  CHECK(f.ledger->committed_log().size == size);
}
