// The evaluation readers that moved down from the server (issue 12): the
// candidates joined with the opening record, the award once public, and the
// review with a supervisor's progress.
#include <catch2/catch.hpp>

#include "eval_fixture.h"
#include "tender_core/tender_hooks.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::testing;

TEST_CASE("candidates carry bidder and price, the award is public only once decided",
          "[public_reads]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = boost::json::object{{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  });
  auto db = f.reader();
  auto list = eval::EvaluationService::candidate_list(db, d.t.id);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 3);
  std::map<std::string, std::int64_t> price_of = {
      {kUsccA, 200}, {kUsccB, 210}, {kUsccC, 220}, {kUsccD, 230}};
  std::vector<std::string> ids;
  for (const auto& c : *list) {
    ids.push_back(c.bid_id);
    REQUIRE(d.bid_of.count(c.bidder_uscc) == 1);
    CHECK(d.bid_of[c.bidder_uscc] == c.bid_id);
    REQUIRE(c.price_fen_per_m2_month);
    CHECK(*c.price_fen_per_m2_month == price_of[c.bidder_uscc]);
  }
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(ids == d.candidates);

  // Before the decision: nothing of it, to anyone; evaluators never.
  for (const core::Actor& who : {d.t.market.tenderer, d.t.market.owner, f.supervisor}) {
    auto a = eval::EvaluationService::award(db, d.t.id, who);
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == "award_not_public");
  }
  CHECK(eval::EvaluationService::award(db, d.t.id, evaluator("expert-00")).error().code ==
        "not_allowed");

  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  REQUIRE(f.eval->decide(d.t.market.tenderer, d.t.id).ok());
  auto a = eval::EvaluationService::award(db, d.t.id, d.t.market.owner);
  REQUIRE(a.ok());
  CHECK(a->tender_id == d.t.id);
  CHECK(a->status == core::TenderStatus::award_publicized);
  REQUIRE(a->awarded_bid_id);
  CHECK(*a->awarded_bid_id == d.bid_of[kUsccA]);
  CHECK(a->decision.at("state").as_string() != "not_started");
  CHECK(eval::EvaluationService::award(db, d.t.id, evaluator("expert-00")).error().code ==
        "not_allowed");
}

TEST_CASE("candidates are not public before the review concludes", "[public_reads]") {
  EvalFixture f;
  add_pool(f, 10);
  auto t = open_tender(f, {200, 210, 220});
  auto db = f.reader();
  auto list = eval::EvaluationService::candidate_list(db, t.id);
  REQUIRE_FALSE(list.ok());
  CHECK(list.error().code == "candidates_not_public");
}

TEST_CASE("a supervisor sees the review's progress, nobody else does", "[public_reads]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220}, [](auto& r) {
    r["decision"] = boost::json::object{{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  });
  auto db = f.reader();
  auto sup = eval::EvaluationService::reviews_visible_to(db, d.t.id, f.supervisor);
  REQUIRE(sup.ok());
  REQUIRE(sup->progress);
  REQUIRE(sup->progress->size() == 5);
  for (const auto& p : *sup->progress) {
    CHECK(p.of == 3);
    CHECK(p.submitted == 3);
  }
  for (const core::Actor& who : {d.t.market.tenderer, d.t.market.owner}) {
    auto r = eval::EvaluationService::reviews_visible_to(db, d.t.id, who);
    REQUIRE(r.ok());
    CHECK_FALSE(r->progress);
  }
}

TEST_CASE("the evaluation tick closes bidding and commits the pool list of every tender",
          "[tick]") {
  EvalFixture f;
  add_pool(f, 10);
  auto market = setup_market(f);
  f.set_tenderers(market.tenderer.community_id, {market.tenderer.account});
  const std::string deadline = core::format_rfc3339_ms(f.clock.now_ms() + 21 * kDayMs);
  std::vector<std::string> tenders = {publish_tender(f, market, deadline),
                                      publish_tender(f, market, deadline)};
  for (const auto& t : tenders) {
    const std::string usccs[] = {kUsccA, kUsccB, kUsccC};
    for (int i = 0; i < 3; ++i) {
      auto s = seal(t, usccs[i], 200 + i, static_cast<std::uint8_t>(1 + i));
      REQUIRE(f.service->submit_bid(market.enterprises[i], t, s.commitment).ok());
    }
  }
  {
    auto db = f.reader();
    for (const auto& t : tenders) CHECK_FALSE(*eval::EvaluationService::pool_committed(db, t));
  }
  f.clock.advance_ms(21 * kDayMs + 1);
  std::vector<core::TickFailure> failed;
  auto applied = f.eval->tick(f.clock.now_ms(), failed);
  REQUIRE(applied.ok());
  CHECK(*applied == 4);  // close_bidding and open_reveal, twice
  CHECK(failed.empty());
  auto db = f.reader();
  for (const auto& t : tenders) {
    CHECK(core::detail::unchecked_view(db, t)->status == core::TenderStatus::reveal);
    CHECK(*eval::EvaluationService::pool_committed(db, t));
  }
  // Nothing more is due: a second tick applies nothing and appends nothing.
  const auto before = f.eval_snapshot();
  auto again = f.eval->tick(f.clock.now_ms(), failed);
  REQUIRE(again.ok());
  CHECK(*again == 0);
  CHECK(f.eval_snapshot() == before);
}

TEST_CASE("tender_core's reads for evaluation: bidders, valid rows, candidates, stages",
          "[public_reads]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220}, [](auto& r) {
    r["decision"] = boost::json::object{{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  });
  auto db = f.reader();
  CHECK(*core::opening_bidders(db, d.t.id) == std::vector<std::string>{kUsccA, kUsccB, kUsccC});
  auto rows = core::valid_openings(db, d.t.id);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  for (const auto& r : *rows) {
    CHECK(d.bid_of[r.bidder_uscc] == r.bid_id);
    CHECK(r.price_fen == (r.bidder_uscc == kUsccA ? 200 : r.bidder_uscc == kUsccB ? 210 : 220));
    // Every bid came from the fixture's address: a private digest was kept.
    auto digest = core::bid_address_digest(db, d.t.id, r.bid_id);
    REQUIRE(digest.ok());
    CHECK(digest->has_value());
  }
  CHECK(*core::candidate_bid_ids(db, d.t.id) == d.candidates);
  auto stages = core::tender_stages(db, d.t.id);
  REQUIRE(stages.ok());
  CHECK(stages->opening_index.has_value());
  CHECK(stages->candidates_publicized_at_ms.has_value());
  CHECK_FALSE(stages->candidate_publicity_ended_ms.has_value());
  CHECK(core::tender_suspensions(db, d.t.id)->empty());
  CHECK(core::opening_bidders(db, "T-none")->empty());
  CHECK_FALSE(core::bid_address_digest(db, d.t.id, "B-none")->has_value());
}
