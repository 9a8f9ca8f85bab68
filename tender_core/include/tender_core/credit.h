// Enterprise credit grades (物业服务企业信用评价) and star ratings
// (物业服务质量星级评定) as recorded in the rating registry, and the
// qualification threshold a tender applies to them.
//
// A CreditScale is an ordered list of grade names, best first (default
// AAA > AA > A > B > C). A rating record carries a grade of that scale, a
// credit score in hundredths (0-10000 = 0.00-100.00), a star rating 0-5
// (0 = 不达标, below standard) and a blacklist flag, in force from an instant.
//
// Thread-safety: CreditScale is immutable after construction; safe for
// concurrent reads. Free functions are pure.
// Invariant: a CreditScale holds at least one grade, all non-empty and
// distinct.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::core {

inline constexpr std::int32_t kMaxCreditScore = 10000;  // 100.00
inline constexpr std::int32_t kMaxStarRating = 5;

class CreditScale {
 public:
  // AAA > AA > A > B > C.
  static CreditScale default_scale();
  // REQUIRES nothing; refuses (credit_scale_invalid) an empty list, an empty
  // name or a repeated name. `best_first` lists grades from best to worst.
  static Result<CreditScale> from_grades(std::vector<std::string> best_first);

  // 0 for the best grade, size()-1 for the worst; nullopt if not on the scale.
  std::optional<std::size_t> rank(std::string_view grade) const;
  bool contains(std::string_view grade) const { return rank(grade).has_value(); }
  // True when `grade` is at least as good as `minimum`; false when either is
  // not on the scale.
  bool at_least(std::string_view grade, std::string_view minimum) const;
  // Negative when a is worse than b, 0 equal, positive when better; refuses
  // (credit_grade_unknown) a grade not on the scale.
  Result<int> compare(std::string_view a, std::string_view b) const;
  const std::vector<std::string>& grades() const { return grades_; }

 private:
  explicit CreditScale(std::vector<std::string> grades) : grades_(std::move(grades)) {}
  std::vector<std::string> grades_;
};

// One registry record (API: PUT /registry/ratings item, without the uscc).
struct CreditRating {
  std::string credit_grade;
  std::int32_t credit_score = 0;  // hundredths, 0..10000
  std::int32_t star_rating = 0;   // 0..5, 0 = 不达标
  bool blacklisted = false;
  std::int64_t effective_from_ms = 0;  // UTC, ms since the epoch
};

// Refusals: credit_grade_unknown, credit_score_range, star_rating_range.
Status validate_rating(const CreditRating& rating, const CreditScale& scale);

// The qualification test of a tender: not blacklisted, grade at least
// `min_grade`, star rating at least `min_star` (min_star 0 = no star
// requirement); true exactly when qualification_failures is empty. Refuses (credit_grade_unknown /
// star_rating_range) when the threshold itself is not valid for the scale; an invalid rating is
// refused as by validate_rating.
Result<bool> meets_threshold(const CreditRating& rating, std::string_view min_grade,
                             std::int32_t min_star, const CreditScale& scale);

// Why a bidder fails a tender's qualification gate (资格条件, 条例 51(3)),
// in this order, each at most once: kNoRating (no record in force),
// kBlacklisted, kCreditBelowThreshold (grade worse than `min_grade`, or not
// on the scale), kStarBelowThreshold (stars below `min_star`; min_star 0 =
// no requirement). Empty when the rating qualifies. The one rule for both
// gates: at submission and on the snapshot at the deadline.
inline constexpr std::string_view kNoRating = "no_rating";
inline constexpr std::string_view kBlacklisted = "blacklisted";
inline constexpr std::string_view kCreditBelowThreshold = "credit_below_threshold";
inline constexpr std::string_view kStarBelowThreshold = "star_below_threshold";
std::vector<std::string> qualification_failures(const std::optional<CreditRating>& rating,
                                                std::string_view min_grade, std::int32_t min_star,
                                                const CreditScale& scale);

// The record in force at `at_ms`: the one with the latest effective_from_ms
// <= at_ms (a later element wins a tie, so a correction entered later for the
// same instant prevails); nullptr when none is in force yet.
const CreditRating* rating_in_force(std::span<const CreditRating> history, std::int64_t at_ms);

}  // namespace sunbid::core
