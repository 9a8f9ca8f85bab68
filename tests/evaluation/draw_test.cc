#include "evaluation/draw.h"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <string>

using namespace sunbid;
using namespace sunbid::eval;

namespace {

Hash example_root() {
  Hash root{};
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = static_cast<std::uint8_t>(i);
  return root;
}

Hash example_seed() {
  auto seed = draw_seed_undated(draw_purpose::kCommittee, "T-2026-0001", example_root(),
                                "2026-03-02 SSE Composite Index close 3345.67");
  REQUIRE(seed.ok());
  return *seed;
}

// Pearson's chi-square statistic against a uniform expectation.
double chi_square(const std::vector<long>& counts, long total) {
  const double expected = static_cast<double>(total) / static_cast<double>(counts.size());
  double chi2 = 0;
  for (long c : counts) chi2 += (c - expected) * (c - expected) / expected;
  return chi2;
}

}  // namespace

// Golden values of docs/draw.md, computed independently with Python hashlib.
TEST_CASE("draw_seed matches the worked example of docs/draw.md") {
  CHECK(hex_encode(example_seed()) ==
        "9378ae322b9b18abc810b199f10dfb26ecaaae249fcad1fef92c93e4ce4ca47c");
  auto empty_beacon = draw_seed_undated(draw_purpose::kTieBreak, "T-1", Hash{}, "");
  REQUIRE(empty_beacon.ok());
  CHECK(hex_encode(*empty_beacon) ==
        "817e49c33bae0ad79b7ee0cc7c65f8f5b8c0b7273120be05630b98fd5c899d9f");
}

TEST_CASE("draw_seed refuses newlines and empty purpose or tender") {
  for (auto r : {draw_seed_undated("committee\n", "T-1", Hash{}, "b"),
                 draw_seed_undated("committee", "T\n1", Hash{}, "b"),
                 draw_seed_undated("committee", "T-1", Hash{}, "b\n"),
                 draw_seed_undated("", "T-1", Hash{}, "b"),
                 draw_seed_undated("committee", "", Hash{}, "b")}) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_draw_field");
  }
  // Moving a byte between fields changes the seed (the framing is unambiguous).
  CHECK(draw_seed_undated("ab", "c", Hash{}, "").value() !=
        draw_seed_undated("a", "bc", Hash{}, "").value());
}

TEST_CASE("DrawStream words are SHA-256 counter-mode blocks read big-endian") {
  DrawStream s(example_seed());
  const std::array<std::uint64_t, 6> expected{0xdd22488d9c74cdd0ULL, 0xa3cc6f2fff657eebULL,
                                              0x7cbdb5a5f9924832ULL, 0xa3e5934d28bccb1eULL,
                                              0x0e58a1359b771b24ULL, 0x3a9ba4c9b1f65cbeULL};
  for (std::uint64_t w : expected) CHECK(s.next_word() == w);
}

TEST_CASE("sample and uniform match the worked example") {
  DrawStream s(example_seed());
  CHECK(s.sample(12, 10) == std::vector<std::size_t>{4, 6, 8, 9, 2, 7, 5, 10, 3, 0});

  DrawStream u(example_seed());
  std::vector<std::uint64_t> sevens;
  for (int i = 0; i < 5; ++i) sevens.push_back(u.uniform(7));
  CHECK(sevens == std::vector<std::uint64_t>{4, 5, 3, 4, 4});
}

TEST_CASE("uniform rejects words at or above 2^64 - (2^64 mod n)") {
  // n = 2^63 + 1: words 0, 1 and 3 of the example stream are rejected.
  DrawStream s(example_seed());
  const std::uint64_t n = (std::uint64_t{1} << 63) + 1;
  CHECK(s.uniform(n) == 8988540155762722866ULL);
  CHECK(s.uniform(n) == 1033753366095141668ULL);
  CHECK(s.uniform(n) == 4223150261771066558ULL);
}

TEST_CASE("uniform(1) consumes a word, sample(n, n) is a permutation") {
  DrawStream a(example_seed());
  CHECK(a.uniform(1) == 0);
  CHECK(a.next_word() == 0xa3cc6f2fff657eebULL);

  DrawStream b(example_seed());
  auto perm = b.sample(50, 50);
  REQUIRE(perm.size() == 50);
  std::sort(perm.begin(), perm.end());
  for (std::size_t i = 0; i < perm.size(); ++i) CHECK(perm[i] == i);
  CHECK(b.sample(0, 0).empty());
}

// Uniformity over 20,000 seeds. Critical values of the chi-square
// distribution at p = 0.001 (fixed, from standard tables): 27.877 for 9
// degrees of freedom, 22.458 for 6. The inputs are fixed, so the test is
// deterministic; a biased sampler (a control below) fails it.
TEST_CASE("sample(10,3) positions and uniform(7) pass a chi-square test") {
  constexpr long kSeeds = 20'000;
  constexpr double kCritical9 = 27.877;
  constexpr double kCritical6 = 22.458;
  std::array<std::vector<long>, 3> by_position{std::vector<long>(10), std::vector<long>(10),
                                               std::vector<long>(10)};
  std::vector<long> sevens(7), biased_sevens(7);
  for (long i = 0; i < kSeeds; ++i) {
    const Hash seed = sha256("sunbid uniformity " + std::to_string(i));
    DrawStream s(seed);
    const auto picked = s.sample(10, 3);
    REQUIRE(picked.size() == 3);
    CHECK(picked[0] != picked[1]);
    CHECK(picked[1] != picked[2]);
    CHECK(picked[0] != picked[2]);
    for (int p = 0; p < 3; ++p) ++by_position[p][picked[p]];
    DrawStream t(seed);
    const std::uint64_t w = t.next_word();
    DrawStream u(seed);
    ++sevens[u.uniform(7)];
    // Control: a naive "top 3 bits mod 7" sampler gives 0 twice the weight.
    ++biased_sevens[(w >> 61) % 7];
  }
  for (int p = 0; p < 3; ++p) {
    INFO("position " << p);
    CHECK(chi_square(by_position[p], kSeeds) < kCritical9);
  }
  CHECK(chi_square(sevens, kSeeds) < kCritical6);
  CHECK(chi_square(biased_sevens, kSeeds) > kCritical6);
}
