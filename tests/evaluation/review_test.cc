#include "evaluation/review.h"

#include <catch2/catch.hpp>

#include "evaluation/draw.h"

using namespace sunbid;
using namespace sunbid::eval;

namespace {

const std::vector<std::string> kMembers{"ex1", "ex2", "ex3", "ex4", "ex5"};
const std::vector<std::string> kBids{"B3", "B1", "B2"};
const std::vector<std::string> kCriteria{"staffing", "service_plan"};

ReviewSubmission all_pass(const std::string& member, const std::string& bid) {
  return {member, bid, {{"staffing", true, ""}, {"service_plan", true, "优点：方案完整"}}};
}

// Every member passes everything, except: B1 "staffing" failed by `b1_fails`
// members and B2 "staffing" failed by `b2_fails` members.
std::vector<ReviewSubmission> review(int b1_fails, int b2_fails) {
  std::vector<ReviewSubmission> out;
  for (std::size_t m = 0; m < kMembers.size(); ++m) {
    for (const auto& bid : kBids) {
      auto s = all_pass(kMembers[m], bid);
      const int fails = bid == "B1" ? b1_fails : bid == "B2" ? b2_fails : 0;
      if (static_cast<int>(m) < fails) {
        s.marks[0].pass = false;
        s.marks[0].reason = "项目经理无物业管理师证书 / manager lacks a certificate";
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

Hash seed_b() {
  Hash root{};
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = static_cast<std::uint8_t>(i);
  // uniform(2) = 1 and sample(5, 2) = [1, 2] on this seed (Python hashlib).
  return draw_seed_undated(draw_purpose::kLottery, "T-2026-0001", root,
                           "2026-04-01 lottery 07 12 33")
      .value();
}

}  // namespace

// 5 members: B1 failed on staffing by 3 (2·3 = 6 > 5: fails, not qualified);
// B2 failed by 2 (2·2 = 4 ≤ 5: passes); B3 passes everything.
TEST_CASE("review: a strict majority of the committee fails a criterion") {
  auto r = aggregate_review(kMembers, kBids, kCriteria, review(3, 2));
  REQUIRE(r.ok());
  REQUIRE(r->bids.size() == 3);
  CHECK(r->bids[0].bid_id == "B1");
  CHECK_FALSE(r->bids[0].qualified);
  CHECK(r->bids[0].criteria[0].criterion == "staffing");
  CHECK(r->bids[0].criteria[0].fail_count == 3);
  CHECK(r->bids[0].criteria[0].pass_count == 2);
  CHECK(r->bids[0].criteria[0].failed);
  REQUIRE(r->bids[0].criteria[0].reasons.size() == 3);
  CHECK(r->bids[0].criteria[0].reasons[0].member == "ex1");
  CHECK_FALSE(r->bids[0].criteria[1].failed);

  CHECK(r->bids[1].bid_id == "B2");
  CHECK(r->bids[1].qualified);
  CHECK(r->bids[1].criteria[0].fail_count == 2);
  CHECK_FALSE(r->bids[1].criteria[0].failed);
  CHECK(r->bids[2].qualified);
  CHECK(r->qualified == std::vector<std::string>{"B2", "B3"});
}

TEST_CASE("review: a fail without a reason is refused") {
  auto s = all_pass("ex1", "B1");
  s.marks[1].pass = false;
  s.marks[1].reason = "";
  auto st = validate_review_submission(kMembers, kBids, kCriteria, s);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "fail_without_reason");
  s.marks[1].reason = " \t\xE3\x80\x80";  // spaces and an ideographic space
  CHECK(validate_review_submission(kMembers, kBids, kCriteria, s).error().code ==
        "fail_without_reason");
  s.marks[1].reason = "服务方案缺少应急预案";
  CHECK(validate_review_submission(kMembers, kBids, kCriteria, s).ok());

  // The same refusal through aggregate_review.
  auto all = review(0, 0);
  all[4].marks[0] = {"staffing", false, ""};
  CHECK(aggregate_review(kMembers, kBids, kCriteria, all).error().code == "fail_without_reason");
}

TEST_CASE("review: each criterion marked exactly once, by a member, on a valid bid") {
  auto s = all_pass("ex1", "B1");
  s.marks.pop_back();
  CHECK(validate_review_submission(kMembers, kBids, kCriteria, s).error().code ==
        "criterion_not_marked");
  s = all_pass("ex1", "B1");
  s.marks.push_back({"staffing", true, ""});
  CHECK(validate_review_submission(kMembers, kBids, kCriteria, s).error().code ==
        "criterion_marked_twice");
  s = all_pass("ex1", "B1");
  s.marks.push_back({"price", true, ""});
  CHECK(validate_review_submission(kMembers, kBids, kCriteria, s).error().code ==
        "unknown_criterion");
  CHECK(validate_review_submission(kMembers, kBids, kCriteria, all_pass("owner", "B1"))
            .error()
            .code == "not_a_committee_member");
  CHECK(
      validate_review_submission(kMembers, kBids, kCriteria, all_pass("ex1", "B9")).error().code ==
      "unknown_bid");
}

TEST_CASE("review: incomplete or duplicated submissions are refused") {
  auto subs = review(0, 0);
  subs.pop_back();  // ex5 on B2 missing
  auto r = aggregate_review(kMembers, kBids, kCriteria, subs);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "review_incomplete");
  CHECK(r.error().details.at("member").as_string() == "ex5");
  CHECK(r.error().details.at("bid_id").as_string() == "B2");
  subs.push_back(subs.front());
  CHECK(aggregate_review(kMembers, kBids, kCriteria, subs).error().code == "duplicate_submission");
}

// Prices: A 260, B 230, C 240, D 240, E 200; cap 3 by lowest price:
// E (200) and B (230) certain; C and D tie at 240 for the last place ->
// draw 1 of [C, D]; seed_b: uniform(2) = 1 -> D. Candidates sorted by bid id:
// B, D, E — not by price (E, B, D).
TEST_CASE("candidate cap by lowest price: boundary tie by draw, output unranked") {
  const std::vector<QualifiedBid> q{{"A", 260}, {"B", 230}, {"C", 240}, {"D", 240}, {"E", 200}};
  auto pending = narrow_candidates(q, 3, CapMethod::kLowestPrice, std::nullopt);
  REQUIRE(pending.ok());
  CHECK_FALSE(pending->candidates);
  CHECK(pending->cutoff.certain == std::vector<std::string>{"B", "E"});
  CHECK(pending->cutoff.tied == std::vector<std::string>{"C", "D"});
  CHECK(pending->cutoff.draw_count == 1);

  auto drawn = narrow_candidates(q, 3, CapMethod::kLowestPrice, seed_b());
  REQUIRE(drawn.ok());
  CHECK(*drawn->candidates == std::vector<std::string>{"B", "D", "E"});

  // Cap 4 takes both 240s: no draw.
  auto four = narrow_candidates(q, 4, CapMethod::kLowestPrice, std::nullopt);
  CHECK(*four->candidates == std::vector<std::string>{"B", "C", "D", "E"});
  CHECK_FALSE(four->cutoff.needs_draw());
}

// Lottery, cap 2 of [A..E] (sorted by id): seed_b sample(5, 2) = [1, 2] -> B, C.
TEST_CASE("candidate cap by lottery") {
  const std::vector<QualifiedBid> q{{"E", 0}, {"A", 0}, {"C", 0}, {"B", 0}, {"D", 0}};
  auto drawn = narrow_candidates(q, 2, CapMethod::kLottery, seed_b());
  REQUIRE(drawn.ok());
  CHECK(*drawn->candidates == std::vector<std::string>{"B", "C"});
  CHECK_FALSE(narrow_candidates(q, 2, CapMethod::kLottery, std::nullopt)->candidates);
  // All fit: no draw.
  auto all = narrow_candidates(q, 5, CapMethod::kLottery, std::nullopt);
  CHECK(*all->candidates == std::vector<std::string>{"A", "B", "C", "D", "E"});
  CHECK(narrow_candidates(q, 0, CapMethod::kLottery, std::nullopt).error().code ==
        "invalid_parameters");
  CHECK(narrow_candidates(q, 2, CapMethod::kLowestPrice, std::nullopt).error().code ==
        "invalid_bids");
}
