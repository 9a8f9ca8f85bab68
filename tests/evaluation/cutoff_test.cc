#include "evaluation/cutoff.h"

#include <catch2/catch.hpp>

using namespace sunbid::eval;

TEST_CASE("cutoff: clear boundary, tie at the boundary, everything fits") {
  // Largest 2 of {a 5, b 3, c 9}: c, a — no tie.
  auto clear = cutoff({{"a", 5}, {"b", 3}, {"c", 9}}, 2, Prefer::kLargest);
  CHECK(clear.certain == std::vector<std::string>{"a", "c"});
  CHECK_FALSE(clear.needs_draw());
  // Smallest 2 of {a 1, b 2, c 2, d 2}: a certain; b, c, d tie for 1 place.
  auto tie = cutoff({{"d", 2}, {"c", 2}, {"b", 2}, {"a", 1}}, 2, Prefer::kSmallest);
  CHECK(tie.certain == std::vector<std::string>{"a"});
  CHECK(tie.tied == std::vector<std::string>{"b", "c", "d"});
  CHECK(tie.draw_count == 1);
  // Ties inside the cap that do not cross it need no draw.
  auto inside = cutoff({{"a", 1}, {"b", 1}, {"c", 2}}, 2, Prefer::kSmallest);
  CHECK(inside.certain == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(inside.needs_draw());
  auto all = cutoff({{"b", 1}, {"a", 1}}, 5, Prefer::kSmallest);
  CHECK(all.certain == std::vector<std::string>{"a", "b"});
  CHECK(cutoff({{"a", 1}}, 0, Prefer::kSmallest).certain.empty());
}

TEST_CASE("draw_among ignores the input order of the ids") {
  sunbid::Hash seed{};
  seed[0] = 7;
  CHECK(draw_among({"x", "y", "z", "w"}, 2, seed) == draw_among({"w", "z", "y", "x"}, 2, seed));
  CHECK(draw_among({"x", "y"}, 2, seed).size() == 2);
}
