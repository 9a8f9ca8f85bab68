#include "tender_core/credit.h"

#include <unordered_set>

namespace sunbid::core {

CreditScale CreditScale::default_scale() {
  return CreditScale({"AAA", "AA", "A", "B", "C"});
}

Result<CreditScale> CreditScale::from_grades(std::vector<std::string> best_first) {
  if (best_first.empty()) {
    return make_error("credit_scale_invalid",
                      "信用等级序列不能为空 / the credit grade scale must not be empty");
  }
  std::unordered_set<std::string> seen;
  for (const auto& g : best_first) {
    if (g.empty()) {
      return make_error("credit_scale_invalid",
                        "信用等级名称不能为空 / a credit grade name must not be empty");
    }
    if (!seen.insert(g).second) {
      boost::json::object d;
      d["grade"] = g;
      return make_error("credit_scale_invalid",
                        "信用等级重复：" + g + " / credit grade listed twice: " + g, std::move(d));
    }
  }
  return CreditScale(std::move(best_first));
}

std::optional<std::size_t> CreditScale::rank(std::string_view grade) const {
  for (std::size_t i = 0; i < grades_.size(); ++i) {
    if (grades_[i] == grade) return i;
  }
  return std::nullopt;
}

bool CreditScale::at_least(std::string_view grade, std::string_view minimum) const {
  const auto g = rank(grade);
  const auto m = rank(minimum);
  return g && m && *g <= *m;
}

namespace {
Error unknown_grade(std::string_view grade) {
  boost::json::object d;
  d["grade"] = std::string(grade);
  return make_error("credit_grade_unknown",
                    "信用等级不在等级序列中：" + std::string(grade) +
                        " / credit grade is not on the scale: " + std::string(grade),
                    std::move(d));
}
}  // namespace

Result<int> CreditScale::compare(std::string_view a, std::string_view b) const {
  const auto ra = rank(a);
  if (!ra) return unknown_grade(a);
  const auto rb = rank(b);
  if (!rb) return unknown_grade(b);
  // A smaller rank is a better grade.
  if (*ra == *rb) return 0;
  return *ra < *rb ? 1 : -1;
}

Status validate_rating(const CreditRating& rating, const CreditScale& scale) {
  if (!scale.contains(rating.credit_grade)) return unknown_grade(rating.credit_grade);
  if (rating.credit_score < 0 || rating.credit_score > kMaxCreditScore) {
    boost::json::object d;
    d["credit_score"] = rating.credit_score;
    return make_error("credit_score_range",
                      "信用分须在0至10000（0.00至100.00分）之间 / credit_score must be 0..10000 "
                      "hundredths",
                      std::move(d));
  }
  if (rating.star_rating < 0 || rating.star_rating > kMaxStarRating) {
    boost::json::object d;
    d["star_rating"] = rating.star_rating;
    return make_error("star_rating_range",
                      "星级须在0至5之间（0为不达标） / star_rating must be 0..5 (0 = below "
                      "standard)",
                      std::move(d));
  }
  return ok_status();
}

Result<bool> meets_threshold(const CreditRating& rating, std::string_view min_grade,
                             std::int32_t min_star, const CreditScale& scale) {
  if (!scale.contains(min_grade)) return unknown_grade(min_grade);
  if (min_star < 0 || min_star > kMaxStarRating) {
    return make_error("star_rating_range",
                      "最低星级须在0至5之间 / minimum star rating must be 0..5");
  }
  SUNBID_TRY(validate_rating(rating, scale));
  return qualification_failures(rating, min_grade, min_star, scale).empty();
}

std::vector<std::string> qualification_failures(const std::optional<CreditRating>& rating,
                                                std::string_view min_grade, std::int32_t min_star,
                                                const CreditScale& scale) {
  std::vector<std::string> out;
  if (!rating) {
    out.emplace_back(kNoRating);
    return out;
  }
  if (rating->blacklisted) out.emplace_back(kBlacklisted);
  if (!scale.at_least(rating->credit_grade, min_grade)) out.emplace_back(kCreditBelowThreshold);
  if (rating->star_rating < min_star) out.emplace_back(kStarBelowThreshold);
  return out;
}

const CreditRating* rating_in_force(std::span<const CreditRating> history, std::int64_t at_ms) {
  const CreditRating* best = nullptr;
  for (const auto& r : history) {
    if (r.effective_from_ms > at_ms) continue;
    if (best == nullptr || r.effective_from_ms >= best->effective_from_ms) best = &r;
  }
  return best;
}

}  // namespace sunbid::core
