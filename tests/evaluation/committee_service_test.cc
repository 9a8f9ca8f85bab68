// The committee through the ledger: the expert pool, the draw after the
// opening (its seed from the first checkpoint covering the opening entry),
// declarations and 补抽, each command exactly one entry, refusals nothing.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "eval_fixture.h"
#include "evaluation/committee_draw.h"
#include "evaluation/draw.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

boost::json::object last_entry(EvalFixture& f) {
  return boost::json::parse(f.all_entries().back()).as_object();
}

}  // namespace

TEST_CASE("expert pool: admin only, one entry, no duplicates") {
  EvalFixture f;
  eval::ExpertInput e{"expert-x", {"物业管理", "财务"}, kUsccA, {kUsccB}};
  expect_eval_refused(
      f, [&] { return f.eval->add_expert(f.supervisor, e); }, "not_admin");
  (void)expect_eval_one_entry(f, [&] { return f.eval->add_expert(f.admin, e); });
  auto entry = last_entry(f);
  CHECK(entry["type"].as_string() == "expert.added");
  // The record is public only as a salted digest (issue 11: the pool's
  // conflict data and specialties no longer help recompute the committee).
  CHECK_FALSE(entry["payload"].as_object().contains("employer_uscc"));
  CHECK(entry["payload"].as_object().contains("record_digest"));
  expect_eval_refused(
      f, [&] { return f.eval->add_expert(f.admin, e); }, "expert_exists");
  eval::ExpertInput bad{"", {}, std::nullopt, {}};
  expect_eval_refused(
      f, [&] { return f.eval->add_expert(f.admin, bad); }, "expert_invalid");
}

TEST_CASE("committee draw: conflicts excluded, seed from the first covering checkpoint") {
  EvalFixture f;
  add_pool(f, 12);
  // Conflicted experts: employed by bidder A, related to bidder C, and the
  // tenderer itself registered as an expert.
  REQUIRE(f.eval->add_expert(f.admin, {"expert-emp", {}, kUsccA, {}}).ok());
  REQUIRE(f.eval->add_expert(f.admin, {"expert-rel", {}, std::nullopt, {kUsccC}}).ok());
  REQUIRE(f.eval->add_expert(f.admin, {"tenderer-1", {}, std::nullopt, {}}).ok());
  auto t = open_tender(f, {200, 210, 220, 230});
  const std::string date = beacon_date_for(f, t.id, "committee");
  // A tender not yet opened (or a wrong role / beacon) is refused.
  expect_eval_refused(
      f, [&] { return f.eval->draw_committee(f.admin, t.id, "3301.25", date); }, "not_supervisor");
  expect_eval_refused(
      f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "33\n01", date); },
      "beacon_invalid");
  expect_eval_refused(
      f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "3301.25", "24/06/2025"); },
      "beacon_invalid");

  auto drawn = expect_eval_one_entry(
      f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "3301.25", date); });
  REQUIRE(drawn->members.size() == 5);
  REQUIRE(drawn->reserves.size() == 5);
  std::set<std::string> everyone(drawn->members.begin(), drawn->members.end());
  everyone.insert(drawn->reserves.begin(), drawn->reserves.end());
  CHECK(everyone.size() == 10);
  CHECK_FALSE(everyone.count("expert-emp"));
  CHECK_FALSE(everyone.count("expert-rel"));
  CHECK_FALSE(everyone.count("tenderer-1"));

  // Recompute the seed independently: the first stored checkpoint whose
  // tree covers the bid-closing entry (it fixed the bidders).
  auto db = f.reader();
  auto idx = audit::tender_entry_indices(db, t.id);
  std::uint64_t opening = 0;
  for (auto i : *idx) {
    auto e = audit::read_entries(db, i, i + 1);
    if (boost::json::parse((*e)[0].bytes).as_object()["type"].as_string() ==
        "tender.bidding_closed") {
      opening = i;
    }
  }
  auto cps = audit::all_checkpoints(db);
  REQUIRE(cps.ok());
  const audit::StoredCheckpoint* first = nullptr;
  for (const auto& c : *cps) {
    if (c.tree_size > opening) {
      first = &c;
      break;
    }
  }
  REQUIRE(first != nullptr);
  CHECK(drawn->checkpoint_size == first->tree_size);
  // SHA-256("sunbid/draw/v1\n" ‖ "committee\n" ‖ tender "\n" ‖ root ‖ beacon "\n" ‖
  // beacon date "\n"), by hand.
  Sha256 h;
  const std::string head = "sunbid/draw/v1\ncommittee\n" + t.id + "\n";
  h.update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(head.data()),
                                         head.size()));
  h.update(std::span<const std::uint8_t>(first->root));
  const std::string tail = "3301.25\n" + date + "\n";
  h.update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(tail.data()),
                                         tail.size()));
  CHECK(drawn->seed_hex == hex_encode(h.finish()));

  auto entry = last_entry(f);
  CHECK(entry["type"].as_string() == "committee.drawn");
  auto& payload = entry["payload"].as_object();
  CHECK(payload["draw"].as_object()["checkpoint"].as_object()["note"].as_string() == first->note);
  CHECK(payload["eligible_count"].as_int64() == 12);
  CHECK(payload["exclusions"].as_array().size() == 3);
  auto view = core::detail::unchecked_view(db, t.id);
  CHECK(view->status == core::TenderStatus::reviewing);
  // Drawing twice is refused.
  expect_eval_refused(
      f,
      [&] {
        return f.eval->draw_committee(f.supervisor, t.id, "3301.25",
                                      beacon_date_for(f, t.id, "committee"));
      },
      "tender_wrong_status");
}

TEST_CASE("committee draw: too few eligible experts draws nothing") {
  EvalFixture f;
  add_pool(f, 4);
  REQUIRE(f.eval->add_expert(f.admin, {"expert-emp", {}, kUsccB, {}}).ok());
  REQUIRE(f.eval->add_expert(f.admin, {"expert-rel", {}, std::nullopt, {kUsccA}}).ok());
  auto t = open_tender(f, {200, 210, 220, 0});
  // 6 in the pool, 2 conflicted: 4 eligible for 5 seats.
  expect_eval_refused(
      f,
      [&] {
        return f.eval->draw_committee(f.supervisor, t.id, "1.00",
                                      beacon_date_for(f, t.id, "committee"));
      },
      "too_few_experts");
  // The list was committed at the bid closing: an expert added later is not
  // in it, so the draw stays refused (the supervisor fails the tender).
  REQUIRE(f.eval->add_expert(f.admin, {"expert-late", {}, std::nullopt, {}}).ok());
  expect_eval_refused(
      f,
      [&] {
        return f.eval->draw_committee(f.supervisor, t.id, "1.00",
                                      beacon_date_for(f, t.id, "committee"));
      },
      "too_few_experts");
}

TEST_CASE("committee draw: refused with checkpoint_pending until a checkpoint covers the opening") {
  EvalFixture f;
  add_pool(f, 10);
  auto market = setup_market(f);
  f.set_tenderers(market.tenderer.community_id, {market.tenderer.account});
  auto t = open_tender(f, {200, 210, 220, 0}, {}, market);
  // The second tender opens after the last checkpoint.
  const std::int64_t start = f.clock.now_ms();
  auto id = f.service->create_draft(market.tenderer,
                                    {market.tenderer.community_id, "二期",
                                     rules_json(core::format_rfc3339_ms(start + 21 * kDayMs))});
  REQUIRE(f.service->publish(market.tenderer, *id).ok());
  std::vector<SealedBid> s;
  for (int i = 0; i < 3; ++i) {
    s.push_back(seal(*id, market.enterprises[i].enterprise_uscc, 200 + i, 9));
    REQUIRE(f.service->submit_bid(market.enterprises[i], *id, s.back().commitment).ok());
  }
  f.clock.set_ms(start + 21 * kDayMs + 1000);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(f.service->reveal_bid(market.enterprises[i], *id, s[i].salt_hex, s[i].bid).ok());
  }
  REQUIRE(f.eval->catch_up(*id).ok());  // the pool list, committed after the bid closing
  f.clock.set_ms(start + 22 * kDayMs + 1000);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  expect_eval_refused(
      f,
      [&] {
        return f.eval->draw_committee(f.supervisor, *id, "1.00",
                                      beacon_date_for(f, *id, "committee"));
      },
      "checkpoint_pending");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  (void)expect_eval_one_entry(f, [&] {
    return f.eval->draw_committee(f.supervisor, *id, "1.00", beacon_date_for(f, *id, "committee"));
  });
  (void)t;
}

TEST_CASE("declarations and replacement: the next reserve takes the seat") {
  EvalFixture f;
  add_pool(f, 8);
  auto t = open_tender(f, {200, 210, 220, 230});
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  REQUIRE(drawn->reserves.size() == 3);
  const auto m0 = drawn->members[0];
  const auto m1 = drawn->members[1];
  expect_eval_refused(
      f, [&] { return f.eval->declare(evaluator(drawn->reserves[0]), t.id, true, std::nullopt); },
      "not_a_committee_member");
  auto as_owner = CoreFixture::actor(m0, "owner");
  expect_eval_refused(
      f, [&] { return f.eval->declare(as_owner, t.id, true, std::nullopt); }, "not_evaluator");
  (void)expect_eval_one_entry(
      f, [&] { return f.eval->declare(evaluator(m0), t.id, true, std::nullopt); });
  expect_eval_refused(
      f, [&] { return f.eval->declare(evaluator(m0), t.id, true, std::nullopt); },
      "already_declared");
  auto freed = expect_eval_one_entry(f, [&] {
    return f.eval->declare(evaluator(m1), t.id, false, std::string("亲属在投标人任职"));
  });
  REQUIRE(freed->successor);
  CHECK(*freed->successor == drawn->reserves[0]);
  CHECK(f.all_entries().back().find("亲属") == std::string::npos);
  auto db = f.reader();
  auto c = eval::EvaluationService::committee(db, t.id, f.supervisor);
  CHECK(c->members.size() == 5);
  CHECK(c->members[1] == drawn->members[2]);  // draw order kept; the successor is last by order
  CHECK(std::count(c->members.begin(), c->members.end(), drawn->reserves[0]) == 1);
  CHECK(c->declared == std::vector<std::string>{m0});

  expect_eval_refused(
      f, [&] { return f.eval->replace_member(f.supervisor, t.id, m0, ""); }, "reason_required");
  expect_eval_refused(
      f, [&] { return f.eval->replace_member(f.supervisor, t.id, m1, "未响应"); },
      "not_a_committee_member");
  auto rep = expect_eval_one_entry(
      f, [&] { return f.eval->replace_member(f.supervisor, t.id, m0, "未响应"); });
  CHECK(*rep->successor == drawn->reserves[1]);
  REQUIRE(f.eval->replace_member(f.supervisor, t.id, drawn->members[2], "未响应").ok());
  // No reserve left: the seat goes to a fresh draw (replacement-1, its
  // public commitment the second entry) instead of no_reserve_left.
  auto vacated = expect_eval_entries(f, 2, [&] {
    return f.eval->replace_member(f.supervisor, t.id, drawn->members[3], "未响应");
  });
  CHECK_FALSE(vacated->successor);
  CHECK(vacated->replacement_draw == std::optional<std::string>("replacement-1"));
}
