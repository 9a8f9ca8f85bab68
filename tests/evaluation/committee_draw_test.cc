#include "evaluation/committee_draw.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "evaluation/draw.h"

using namespace sunbid;
using namespace sunbid::eval;

namespace {

// The seed of the docs/draw.md worked example.
Hash example_seed() {
  Hash root{};
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = static_cast<std::uint8_t>(i);
  return draw_seed_undated(draw_purpose::kCommittee, "T-2026-0001", root,
                           "2026-03-02 SSE Composite Index close 3345.67")
      .value();
}

std::vector<Expert> fourteen_experts() {
  std::vector<Expert> pool;
  for (int i = 14; i >= 1; --i) {  // reverse order on purpose
    Expert e;
    e.account = (i < 10 ? "e0" : "e") + std::to_string(i);
    e.specialties = {"property"};
    pool.push_back(e);
  }
  return pool;
}

const std::string kBidderA = "91110000100000000A";
const std::string kBidderB = "91310000MA1FL00001";

}  // namespace

TEST_CASE("committee draw matches docs/committee-draw.md") {
  auto pool = fourteen_experts();
  for (auto& e : pool) {
    if (e.account == "e03") e.employer_uscc = kBidderA;
    if (e.account == "e07") e.related_usccs = {"91440300000000000X", kBidderB};
  }
  auto draw = draw_committee(pool, {kBidderA, kBidderB}, {}, 7, 3, example_seed());
  REQUIRE(draw.ok());
  CHECK(draw->eligible_count == 12);
  CHECK(draw->pool_size == 14);
  // eligible: e01 e02 e04 e05 e06 e08 e09 e10 e11 e12 e13 e14;
  // sample(12,10) = [4,6,8,9,2,7,5,10,3,0] (docs/draw.md).
  CHECK(draw->members == std::vector<std::string>{"e06", "e09", "e11", "e12", "e04", "e10", "e08"});
  CHECK(draw->reserves == std::vector<std::string>{"e13", "e05", "e01"});
  CHECK(draw->exclusions == std::vector<Exclusion>{{"e03", "employed_by_bidder", kBidderA},
                                                   {"e07", "related_to_bidder", kBidderB}});

  // Independent of the input order of the pool.
  std::reverse(pool.begin(), pool.end());
  auto again = draw_committee(pool, {kBidderB, kBidderA}, {}, 7, 3, example_seed());
  REQUIRE(again.ok());
  CHECK(again->members == draw->members);
  CHECK(again->reserves == draw->reserves);
  CHECK(again->pool_digest == draw->pool_digest);
}

TEST_CASE("decision participants are excluded, reasons accumulate") {
  auto pool = fourteen_experts();
  for (auto& e : pool) {
    if (e.account == "e02") {
      e.employer_uscc = kBidderA;
      e.related_usccs = {kBidderA, kBidderB};
    }
  }
  auto draw = draw_committee(pool, {kBidderA, kBidderB}, {"e05", "not-in-pool"}, 5, 20, Hash{});
  REQUIRE(draw.ok());
  CHECK(draw->exclusions == std::vector<Exclusion>{{"e02", "employed_by_bidder", kBidderA},
                                                   {"e02", "related_to_bidder", kBidderA},
                                                   {"e02", "related_to_bidder", kBidderB},
                                                   {"e05", "takes_part_in_decision", ""}});
  CHECK(draw->eligible_count == 12);
  CHECK(draw->members.size() == 5);
  CHECK(draw->reserves.size() == 7);  // only 12 eligible: 5 + 7
  std::vector<std::string> all = draw->members;
  all.insert(all.end(), draw->reserves.begin(), draw->reserves.end());
  std::sort(all.begin(), all.end());
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  CHECK(std::find(all.begin(), all.end(), "e02") == all.end());
  CHECK(std::find(all.begin(), all.end(), "e05") == all.end());
}

TEST_CASE("too few eligible experts: no draw") {
  auto pool = fourteen_experts();
  for (auto& e : pool) {
    if (e.account <= "e10") e.employer_uscc = kBidderA;
  }
  auto draw = draw_committee(pool, {kBidderA}, {}, 5, 2, Hash{});
  REQUIRE_FALSE(draw.ok());
  CHECK(draw.error().code == "too_few_experts");
  CHECK(draw.error().details.at("eligible").as_uint64() == 4);
  CHECK(draw.error().details.at("excluded").as_uint64() == 10);
  // Exactly enough is fine.
  CHECK(draw_committee(pool, {kBidderA}, {}, 4, 2, Hash{}).ok());
}

TEST_CASE("pool refusals") {
  auto pool = fourteen_experts();
  pool.push_back(pool.front());
  auto dup = draw_committee(pool, {}, {}, 5, 0, Hash{});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "duplicate_expert");
  auto zero = draw_committee(fourteen_experts(), {}, {}, 0, 0, Hash{});
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().code == "invalid_committee_size");
  pool = fourteen_experts();
  pool[3].account.clear();
  CHECK(draw_committee(pool, {}, {}, 5, 0, Hash{}).error().code == "invalid_expert");
}

// Golden digests of docs/committee-draw.md, computed with Python hashlib.
TEST_CASE("expert pool digest is the documented serialization") {
  std::vector<Expert> pool{
      {"wang.li", {"property", "finance"}, kBidderA, {}},
      {"chen.yu", {"law"}, "", {kBidderB, kBidderA}},
  };
  CHECK(hex_encode(expert_pool_digest(pool)) ==
        "3a0bd014b27951a7a7cbdd3bc2b82bb197055764a9af1afc94702b4ba0db324e");
  CHECK(hex_encode(expert_pool_digest({})) ==
        "963f4d6e4ff0b59de41e574116d784ce59b039eade0f9004db49109bc811981f");
  // Any change to a field changes the digest.
  pool[1].specialties = {"law", "audit"};
  CHECK(hex_encode(expert_pool_digest(pool)) !=
        "3a0bd014b27951a7a7cbdd3bc2b82bb197055764a9af1afc94702b4ba0db324e");
}
