#include "tender_core/credit.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace sunbid::core;

namespace {
CreditRating rating(std::string grade, int score, int stars, bool black = false,
                    std::int64_t from = 0) {
  return CreditRating{std::move(grade), score, stars, black, from};
}
}  // namespace

TEST_CASE("default credit scale order", "[credit]") {
  const auto s = CreditScale::default_scale();
  CHECK(s.grades() == std::vector<std::string>{"AAA", "AA", "A", "B", "C"});
  CHECK(*s.compare("AAA", "AA") > 0);
  CHECK(*s.compare("B", "A") < 0);
  CHECK(*s.compare("C", "C") == 0);
  CHECK(s.at_least("AA", "A"));
  CHECK(s.at_least("A", "A"));
  CHECK_FALSE(s.at_least("B", "A"));
  CHECK_FALSE(s.at_least("D", "C"));
  auto bad = s.compare("aa", "A");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "credit_grade_unknown");
}

TEST_CASE("configured credit scale", "[credit]") {
  auto s = CreditScale::from_grades({"优", "良", "中", "差"});
  REQUIRE(s.ok());
  CHECK(*s->rank("中") == 2);
  CHECK(s->at_least("良", "中"));
  CHECK_FALSE(s->at_least("差", "中"));
  CHECK(CreditScale::from_grades({}).error().code == "credit_scale_invalid");
  CHECK(CreditScale::from_grades({"A", ""}).error().code == "credit_scale_invalid");
  CHECK(CreditScale::from_grades({"A", "B", "A"}).error().code == "credit_scale_invalid");
}

TEST_CASE("rating record validation at the range bounds", "[credit]") {
  const auto s = CreditScale::default_scale();
  CHECK(validate_rating(rating("A", 0, 0), s).ok());
  CHECK(validate_rating(rating("A", 10000, 5), s).ok());
  CHECK(validate_rating(rating("A", 10001, 5), s).error().code == "credit_score_range");
  CHECK(validate_rating(rating("A", -1, 5), s).error().code == "credit_score_range");
  CHECK(validate_rating(rating("A", 5000, 6), s).error().code == "star_rating_range");
  CHECK(validate_rating(rating("A", 5000, -1), s).error().code == "star_rating_range");
  CHECK(validate_rating(rating("AAAA", 5000, 3), s).error().code == "credit_grade_unknown");
}

TEST_CASE("meets_threshold", "[credit]") {
  const auto s = CreditScale::default_scale();
  CHECK(*meets_threshold(rating("A", 8000, 3), "A", 3, s));
  CHECK(*meets_threshold(rating("AAA", 8000, 5), "A", 3, s));
  CHECK_FALSE(*meets_threshold(rating("B", 8000, 5), "A", 3, s));
  CHECK_FALSE(*meets_threshold(rating("AAA", 8000, 2), "A", 3, s));
  CHECK_FALSE(*meets_threshold(rating("AAA", 9900, 5, true), "C", 0, s));
  // Star 0 (不达标) passes only when no star requirement is set.
  CHECK(*meets_threshold(rating("C", 0, 0), "C", 0, s));
  CHECK_FALSE(*meets_threshold(rating("C", 0, 0), "C", 1, s));
  CHECK(meets_threshold(rating("A", 1, 1), "X", 1, s).error().code == "credit_grade_unknown");
  CHECK(meets_threshold(rating("A", 1, 1), "A", 6, s).error().code == "star_rating_range");
  CHECK(meets_threshold(rating("A", 1, 9), "A", 1, s).error().code == "star_rating_range");
}

TEST_CASE("rating in force at an instant", "[credit]") {
  const std::vector<CreditRating> h = {
      rating("B", 6000, 2, false, 1000), rating("A", 7000, 3, false, 2000),
      rating("AA", 8000, 4, false, 2000), rating("AAA", 9000, 5, false, 3000)};
  CHECK(rating_in_force(h, 999) == nullptr);
  CHECK(rating_in_force(h, 1000)->credit_grade == "B");
  CHECK(rating_in_force(h, 1999)->credit_grade == "B");
  CHECK(rating_in_force(h, 2000)->credit_grade == "AA");  // later entry wins the tie
  CHECK(rating_in_force(h, 2999)->credit_grade == "AA");
  CHECK(rating_in_force(h, 3000)->credit_grade == "AAA");
}
