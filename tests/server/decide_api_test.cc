// Issue 11 (the decide workstream) at the server: the background tick logs
// and skips a tender whose step fails (legal D3), and the supervisor's
// cancellation cites the rule violated.
#include <catch2/catch.hpp>

#include "audit_log/log_store.h"
#include "tender_core/service.h"
#include "tender_core/unchecked_reads.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

TEST_CASE("the tick skips a tender whose step fails, the others still move",
          "[api][tick][decide]") {
  TenderWorld w(true);
  const std::string broken = w.published_tender();
  const std::string healthy = w.published_tender();
  REQUIRE(broken < healthy);  // the tick visits the broken one first
  // Three bidders each (the floor of 条例 44), so the deadline opens a reveal.
  for (const auto& id : {broken, healthy}) {
    for (int i = 0; i < 3; ++i) {
      auto s = seal(id, kUsccs[i], 200 + i, static_cast<std::uint8_t>(1 + i), "服务方案");
      REQUIRE(w.call("POST", "/api/v1/tenders/" + id + "/bids",
                     R"({"commitment_sha256_hex":")" + s.commitment + R"("})", w.enterprises[i])
                  .status == 201);
    }
  }
  // The broken tender's deadline snapshot will hit a row already there.
  REQUIRE(w.ledger
              ->execute([&](audit::WriteTxn& txn) -> Status {
                return txn.db().exec(
                    "INSERT INTO rating_snapshots(tender_id, bidder_uscc, in_force) VALUES ('" +
                    broken + "', '" + kUsccs[0] + "', 0)");
              })
              .ok());
  w.clock.set_ms(kDeadlineMs + 1);
  const std::string admin = w.login("root", "correct horse battery");  // the old session expired
  auto r = w.call("POST", "/api/v1/dev/clock", R"({"advance_s":1})", admin);
  CHECK(r.status == 200);
  auto db = w.ledger->open_reader();
  REQUIRE(db.ok());
  CHECK(core::detail::unchecked_view(*db, broken)->status == core::TenderStatus::published);
  CHECK(core::detail::unchecked_view(*db, healthy)->status == core::TenderStatus::reveal);
}

TEST_CASE("a supervisor cancels citing the rule violated, the tender shows it", "[api][decide]") {
  TenderWorld w;
  const std::string id = w.published_tender();
  const std::string t = "/api/v1/tenders/" + id;
  CHECK_REFUSED(w, w.call("POST", t + "/cancel", R"({"reason":"违规"})", w.supervisor), 422,
                "rule_required");
  CHECK_REFUSED(w, w.call("POST", t + "/cancel", R"({"reason":"x","rule":"y"})", w.owner), 403,
                "forbidden");
  auto r =
      w.call("POST", t + "/cancel",
             R"({"reason":"招标文件违反规定","rule":"《物业管理条例》第十九条"})", w.supervisor);
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("cancel_rule").as_string() == "《物业管理条例》第十九条");
  CHECK(body_json(w.call("GET", t, "", "")).at("cancel_rule").as_string() ==
        "《物业管理条例》第十九条");
}
