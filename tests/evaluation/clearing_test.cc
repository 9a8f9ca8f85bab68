// 清标: the clearing report, pure and through the committee draw.
#include "evaluation/clearing.h"

#include <catch2/catch.hpp>

#include "eval_fixture.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

eval::ClearingBid bid(std::string id, std::string uscc, std::int64_t price, std::string doc,
                      std::string source, bool cleaners = true) {
  eval::ClearingBid b;
  b.bid_id = std::move(id);
  b.bid.bidder_uscc = std::move(uscc);
  b.bid.price_fen_per_m2_month = price;
  if (cleaners) b.bid.staffing["保洁"] = 4;
  b.bid.staffing["保安"] = 2;
  b.bid.documents.push_back({"plan.pdf", std::move(doc)});
  b.source_digest = std::move(source);
  return b;
}

std::vector<std::string> codes(const eval::ClearingBidReport& r) {
  std::vector<std::string> out;
  for (const auto& f : r.flags) out.push_back(f.code);
  return out;
}

}  // namespace

TEST_CASE("clearing: every check, bounds inclusive") {
  // The rating flags (no_rating, credit/star below threshold, blacklisted)
  // are gone: qualification is a gate before clearing (issue 11 item 1).
  const core::ServiceTier tier{"T2", "二级", 150, 300, {"保洁"}};
  const std::string d1(64, '1'), d2(64, '2'), d3(64, '3'), d4(64, '4');
  std::vector<eval::ClearingBid> bids = {
      bid("B3", "U3", 150, d1, "s1"),  // clean, at the lower bound
      bid("B1", "U1", 149, d2, "s2"), bid("B2", "U2", 301, d2, "s3", false),
      bid("B4", "U4", 300, d3, "s2"),  // upper bound; same source as B1
      bid("B5", "U5", 200, d4, ""),
  };
  auto r = eval::clearing_report(bids, tier);
  REQUIRE(r.bids.size() == 5);
  CHECK(r.bids[0].bid_id == "B1");
  CHECK(codes(r.bids[0]) ==
        std::vector<std::string>{"price_below_tier", "identical_document", "same_source_address"});
  CHECK(r.bids[0].flags[1].detail == "B2");
  CHECK(r.bids[0].flags[2].detail == "B4");
  CHECK(codes(r.bids[1]) == std::vector<std::string>{"price_above_tier", "required_item_missing",
                                                     "identical_document"});
  CHECK(r.bids[1].flags[1].detail == "保洁");
  CHECK(codes(r.bids[2]).empty());
  CHECK(codes(r.bids[3]) == std::vector<std::string>{"same_source_address"});
  CHECK(codes(r.bids[4]).empty());
}

TEST_CASE("clearing: computed at the committee draw, readable by members and supervisors") {
  EvalFixture f;
  add_pool(f, 10);
  // The fixture's bidders all submit from 127.0.0.1 with the same document.
  auto t = open_tender(f, {100, 210, 220, 0});
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "1.00", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  auto db = f.reader();
  CHECK(eval::EvaluationService::clearing_report(db, t.id, CoreFixture::actor("p", "public"))
            .error()
            .code == "not_allowed");
  CHECK(eval::EvaluationService::clearing_report(db, t.id, evaluator(drawn->reserves[0]))
            .error()
            .code == "not_allowed");
  auto r = eval::EvaluationService::clearing_report(db, t.id, evaluator(drawn->members[0]));
  REQUIRE(r.ok());
  REQUIRE(r->bids.size() == 3);
  for (const auto& b : r->bids) {
    auto c = codes(b);
    CHECK(std::count(c.begin(), c.end(), "identical_document") == 1);
    CHECK(std::count(c.begin(), c.end(), "same_source_address") == 1);
    CHECK(std::count(c.begin(), c.end(), "price_below_tier") == (b.bidder_uscc == kUsccA ? 1 : 0));
  }
  CHECK(eval::EvaluationService::clearing_report(db, t.id, f.supervisor).ok());
}
