#include "tender_core/tender_rules.h"

#include <algorithm>
#include <boost/json.hpp>
#include <limits>
#include <set>

#include "tender_core/time.h"

namespace sunbid::core {

std::string_view to_string(CandidateCapMethod m) {
  return m == CandidateCapMethod::lowest_price ? "lowest_price" : "lottery";
}

std::string_view to_string(DecisionMethod m) {
  switch (m) {
    case DecisionMethod::owners_vote:
      return "owners_vote";
    case DecisionMethod::composite_score:
      return "composite_score";
    case DecisionMethod::lowest_price:
      return "lowest_price";
    case DecisionMethod::lottery:
      return "lottery";
    case DecisionMethod::committee_vote:
      return "committee_vote";
    case DecisionMethod::vote_then_lottery:
      return "vote_then_lottery";
  }
  return "unknown";
}

std::string_view to_string(PriceBenchmark b) {
  return b == PriceBenchmark::mean ? "mean" : "lowest";
}

std::optional<DecisionMethod> decision_method_from_string(std::string_view s) {
  for (auto m : {DecisionMethod::owners_vote, DecisionMethod::composite_score,
                 DecisionMethod::lowest_price, DecisionMethod::lottery,
                 DecisionMethod::committee_vote, DecisionMethod::vote_then_lottery}) {
    if (to_string(m) == s) return m;
  }
  return std::nullopt;
}

bool has_vote(DecisionMethod m) {
  return m == DecisionMethod::owners_vote || m == DecisionMethod::committee_vote ||
         m == DecisionMethod::vote_then_lottery;
}

namespace {

namespace json = boost::json;

std::string join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

boost::json::object field_detail(const std::string& field) {
  json::object d;
  d["field"] = field;
  return d;
}

Error wrong_type(const std::string& field, std::string_view expected_cn,
                 std::string_view expected_en) {
  return make_error("rules_wrong_type",
                    "字段" + field + "的类型应为" + std::string(expected_cn) + " / field " + field +
                        " must be " + std::string(expected_en),
                    field_detail(field));
}

Error invalid_value(const std::string& field, std::string_view why_cn, std::string_view why_en) {
  return make_error("rules_invalid_value",
                    "字段" + field + "取值无效：" + std::string(why_cn) + " / field " + field +
                        " is invalid: " + std::string(why_en),
                    field_detail(field));
}

Status only_fields(const json::object& obj, std::string_view path,
                   std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : obj) {
    bool known = false;
    for (auto a : allowed) known = known || kv.key() == a;
    if (!known) {
      const std::string field = join(path, kv.key());
      return make_error("rules_unknown_field", "未知字段：" + field + " / unknown field: " + field,
                        field_detail(field));
    }
  }
  return ok_status();
}

// nullptr when absent and optional.
Result<const json::value*> get(const json::object& obj, std::string_view path, std::string_view key,
                               bool required) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (!required) return static_cast<const json::value*>(nullptr);
    const std::string field = join(path, key);
    return make_error("rules_missing_field", "缺少字段：" + field + " / missing field: " + field,
                      field_detail(field));
  }
  return &it->value();
}

Result<std::int64_t> as_int64(const json::value& v, const std::string& field) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(v.get_uint64());
    }
    return invalid_value(field, "超出int64范围", "outside int64");
  }
  return wrong_type(field, "整数", "an integer");
}

Result<std::int32_t> as_int32(const json::value& v, const std::string& field) {
  SUNBID_ASSIGN_OR_RETURN(const std::int64_t x, as_int64(v, field));
  if (x < std::numeric_limits<std::int32_t>::min() ||
      x > std::numeric_limits<std::int32_t>::max()) {
    return invalid_value(field, "超出范围", "out of range");
  }
  return static_cast<std::int32_t>(x);
}

Result<std::string> as_string(const json::value& v, const std::string& field) {
  if (!v.is_string()) return wrong_type(field, "字符串", "a string");
  return std::string(v.get_string());
}

Result<bool> as_bool(const json::value& v, const std::string& field) {
  if (!v.is_bool()) return wrong_type(field, "布尔值", "a boolean");
  return v.get_bool();
}

Result<const json::object*> as_object(const json::value& v, const std::string& field) {
  if (!v.is_object()) return wrong_type(field, "对象", "an object");
  return &v.get_object();
}

// Required field helpers.
template <class T, class F>
Result<T> required(const json::object& obj, std::string_view path, std::string_view key, F conv) {
  SUNBID_ASSIGN_OR_RETURN(const json::value* v, get(obj, path, key, true));
  return conv(*v, join(path, key));
}

Result<DecisionRule> decision_from_json(const json::object& obj, std::string_view path_in) {
  const std::string path(path_in);
  DecisionRule d;
  SUNBID_ASSIGN_OR_RETURN(const std::string method,
                          required<std::string>(obj, path, "method", as_string));
  const auto m = decision_method_from_string(method);
  if (!m) {
    return invalid_value(join(path, "method"),
                         "须为owners_vote、composite_score、lowest_price、lottery、"
                         "committee_vote或vote_then_lottery",
                         "must be owners_vote, composite_score, lowest_price, lottery, "
                         "committee_vote or vote_then_lottery");
  }
  d.method = *m;
  switch (d.method) {
    case DecisionMethod::owners_vote: {
      SUNBID_TRY(only_fields(obj, path, {"method", "allow_runoff"}));
      SUNBID_ASSIGN_OR_RETURN(const bool runoff,
                              required<bool>(obj, path, "allow_runoff", as_bool));
      d.owners_vote = OwnersVoteParams{runoff};
      break;
    }
    case DecisionMethod::composite_score: {
      SUNBID_TRY(
          only_fields(obj, path, {"method", "weights_bp", "benchmark", "k_above", "k_below"}));
      CompositeScoreParams p;
      SUNBID_ASSIGN_OR_RETURN(const json::object* w,
                              required<const json::object*>(obj, path, "weights_bp", as_object));
      const std::string wpath = join(path, "weights_bp");
      SUNBID_TRY(only_fields(*w, wpath, {"price", "credit", "star"}));
      SUNBID_ASSIGN_OR_RETURN(p.weight_price_bp,
                              required<std::int32_t>(*w, wpath, "price", as_int32));
      SUNBID_ASSIGN_OR_RETURN(p.weight_credit_bp,
                              required<std::int32_t>(*w, wpath, "credit", as_int32));
      SUNBID_ASSIGN_OR_RETURN(p.weight_star_bp,
                              required<std::int32_t>(*w, wpath, "star", as_int32));
      SUNBID_ASSIGN_OR_RETURN(const std::string bench,
                              required<std::string>(obj, path, "benchmark", as_string));
      if (bench == "mean") {
        p.benchmark = PriceBenchmark::mean;
      } else if (bench == "lowest") {
        p.benchmark = PriceBenchmark::lowest;
      } else {
        return invalid_value(join(path, "benchmark"), "须为mean或lowest", "must be mean or lowest");
      }
      SUNBID_ASSIGN_OR_RETURN(p.k_above, required<std::int32_t>(obj, path, "k_above", as_int32));
      SUNBID_ASSIGN_OR_RETURN(p.k_below, required<std::int32_t>(obj, path, "k_below", as_int32));
      d.composite_score = p;
      break;
    }
    case DecisionMethod::vote_then_lottery: {
      SUNBID_TRY(only_fields(obj, path, {"method", "shortlist_size"}));
      SUNBID_ASSIGN_OR_RETURN(const std::int32_t n,
                              required<std::int32_t>(obj, path, "shortlist_size", as_int32));
      d.vote_then_lottery = VoteThenLotteryParams{n};
      break;
    }
    case DecisionMethod::lowest_price:
    case DecisionMethod::lottery:
    case DecisionMethod::committee_vote:
      SUNBID_TRY(only_fields(obj, path, {"method"}));
      break;
  }
  return d;
}


// The thresholds' shape (their values are validate's).
Result<QualificationThresholds> parse_qualification(const json::object& q,
                                                    const std::string& path) {
  SUNBID_TRY(only_fields(q, path, {"min_credit_grade", "min_star_rating"}));
  QualificationThresholds t;
  SUNBID_ASSIGN_OR_RETURN(t.min_credit_grade,
                          required<std::string>(q, path, "min_credit_grade", as_string));
  SUNBID_ASSIGN_OR_RETURN(t.min_star_rating,
                          required<std::int32_t>(q, path, "min_star_rating", as_int32));
  return t;
}

// The decision's parameters (validate's rules); the shortlist's cap is
// candidate_cap when given.
Status validate_decision(const DecisionRule& d, std::string_view path_in,
                         std::optional<std::int32_t> candidate_cap) {
  const std::string path(path_in);
  const bool params_match =
      d.owners_vote.has_value() == (d.method == DecisionMethod::owners_vote) &&
      d.composite_score.has_value() == (d.method == DecisionMethod::composite_score) &&
      d.vote_then_lottery.has_value() == (d.method == DecisionMethod::vote_then_lottery);
  if (!params_match) {
    return invalid_value(path, "参数与定标方法不符", "parameters do not match the method");
  }
  if (d.composite_score) {
    const auto& p = *d.composite_score;
    for (auto [v, name] :
         {std::pair{p.weight_price_bp, "price"}, std::pair{p.weight_credit_bp, "credit"},
          std::pair{p.weight_star_bp, "star"}}) {
      if (v < 0 || v > kBasisPointsTotal) {
        return invalid_value(join(path, "weights_bp." + std::string(name)), "须在0至10000之间",
                             "must be 0..10000");
      }
    }
    if (p.weight_price_bp + p.weight_credit_bp + p.weight_star_bp != kBasisPointsTotal) {
      return invalid_value(join(path, "weights_bp"), "权重之和须为10000",
                           "weights must sum to 10000");
    }
    if (p.k_above < 0 || p.k_above > kMaxPriceDeviationK) {
      return invalid_value(join(path, "k_above"), "须在0至10000之间", "must be 0..10000");
    }
    if (p.k_below < 0 || p.k_below > kMaxPriceDeviationK) {
      return invalid_value(join(path, "k_below"), "须在0至10000之间", "must be 0..10000");
    }
  }
  if (d.vote_then_lottery) {
    const auto n = d.vote_then_lottery->shortlist_size;
    if (n < 2 || (candidate_cap && n > *candidate_cap)) {
      return invalid_value(join(path, "shortlist_size"), "须至少为2且不超过候选人数上限",
                           "must be >= 2 and <= candidate_cap");
    }
  }
  return ok_status();
}

Status validate_budget(const BudgetRange& b, std::string_view path_in) {
  const std::string path(path_in);
  if (b.min_fen_per_m2_month <= 0) {
    return invalid_value(join(path, "min"), "须大于0", "must be positive");
  }
  if (b.max_fen_per_m2_month < b.min_fen_per_m2_month) {
    return invalid_value(join(path, "max"), "不得低于min", "must be >= min");
  }
  return ok_status();
}

}  // namespace

Status validate(const TenderRules& r, const CreditScale& scale) {
  if (r.service_tier.empty()) return invalid_value("service_tier", "不能为空", "must not be empty");
  if (r.area_centi_m2 <= 0) return invalid_value("area_centi_m2", "须大于0", "must be positive");
  if (!scale.contains(r.min_credit_grade)) {
    return invalid_value("qualification.min_credit_grade", "不在信用等级序列中",
                         "is not a grade of the credit scale");
  }
  if (r.min_star_rating < 0 || r.min_star_rating > kMaxStarRating) {
    return invalid_value("qualification.min_star_rating", "须在0至5之间", "must be 0..5");
  }
  if (r.criteria.empty()) return invalid_value("criteria", "至少一项", "needs at least one");
  std::set<std::string> codes;
  for (std::size_t i = 0; i < r.criteria.size(); ++i) {
    const std::string at = "criteria[" + std::to_string(i) + "]";
    if (r.criteria[i].code.empty()) {
      return invalid_value(at + ".code", "不能为空", "must not be empty");
    }
    if (r.criteria[i].title.empty()) {
      return invalid_value(at + ".title", "不能为空", "must not be empty");
    }
    if (!codes.insert(r.criteria[i].code).second) {
      return invalid_value(at + ".code", "重复", "is repeated");
    }
  }
  if (r.committee_size < kMinCommitteeSize || r.committee_size > kMaxCommitteeSize ||
      r.committee_size % 2 == 0) {
    return invalid_value("committee_size", "须为5至99之间的奇数", "must be odd, 5..99");
  }
  if (r.min_bidders < kMinBidders || r.min_bidders > kMaxMinBidders) {
    return invalid_value("min_bidders", "投标人数下限须在3至1000之间（不少于3个为法定下限）",
                         "must be 3..1000 (3 bidders is the legal floor)");
  }
  if (r.min_valid_bids < 1 || r.min_valid_bids > r.min_bidders) {
    return invalid_value("min_valid_bids", "须至少为1且不超过投标人数下限min_bidders",
                         "must be >= 1 and <= min_bidders");
  }
  std::set<std::string> specialties;
  std::int64_t specialist_seats = 0;
  for (std::size_t i = 0; i < r.committee_specialties.size(); ++i) {
    const std::string at = "committee_specialties[" + std::to_string(i) + "]";
    const auto& cs = r.committee_specialties[i];
    if (cs.specialty.empty() || cs.specialty.size() > 64 ||
        cs.specialty.find('\n') != std::string::npos) {
      return invalid_value(at + ".specialty", "须为1至64字节且不含换行",
                           "must be 1..64 bytes without a line break");
    }
    if (!specialties.insert(cs.specialty).second) {
      return invalid_value(at + ".specialty", "重复", "is repeated");
    }
    if (cs.min < 1) return invalid_value(at + ".min", "须至少为1", "must be >= 1");
    specialist_seats += cs.min;
  }
  if (specialist_seats > r.committee_size) {
    return invalid_value("committee_specialties", "人数要求之和超过评审委员会人数",
                         "the minimums exceed committee_size");
  }
  if (r.candidate_cap < 1) return invalid_value("candidate_cap", "须至少为1", "must be >= 1");
  const auto& d = r.decision;
  SUNBID_TRY(validate_decision(d, "decision", r.candidate_cap));
  if (r.beacon_source.empty()) {
    return invalid_value("beacon_source", "不能为空", "must not be empty");
  }
  if (r.bid_deadline_ms < kMinRfc3339Ms || r.bid_deadline_ms > kMaxRfc3339Ms) {
    return invalid_value("bid_deadline", "超出可表示范围", "out of range");
  }
  if (r.reveal_window_s <= 0) return invalid_value("reveal_window_s", "须大于0", "must be > 0");
  if (r.candidate_publicity_days < kMinPublicityDays) {
    return invalid_value("candidate_publicity_days", "公示期不得少于3日",
                         "must be at least 3 days");
  }
  if (r.award_publicity_days < kMinPublicityDays) {
    return invalid_value("award_publicity_days", "公示期不得少于3日", "must be at least 3 days");
  }
  const bool owners = d.method == DecisionMethod::owners_vote;
  const bool committee = has_vote(d.method) && !owners;
  if (owners ? r.vote_window_days <= 0 : r.vote_window_days != 0) {
    return owners ? invalid_value("vote_window_days", "业主表决须大于0",
                                  "must be > 0 for the owners' vote")
                  : invalid_value("vote_window_days", "仅业主表决使用，须为0",
                                  "must be 0 unless the method is owners_vote");
  }
  if (committee ? r.vote_window_s <= 0 : r.vote_window_s != 0) {
    return committee ? invalid_value("vote_window_s", "票决类定标方法须大于0",
                                     "must be > 0 for committee_vote and vote_then_lottery")
                     : invalid_value("vote_window_s", "仅票决类定标方法使用，须为0",
                                     "must be 0 unless the method is committee_vote or "
                                     "vote_then_lottery");
  }
  // Windows are added to the deadline; keep every sum far from overflow.
  for (auto [v, name] : {std::pair{r.reveal_window_s, "reveal_window_s"},
                         std::pair{r.vote_window_s, "vote_window_s"}}) {
    if (v > kMaxWindowSeconds) return invalid_value(name, "超过10年", "longer than 10 years");
  }
  for (auto [v, name] : {std::pair{r.candidate_publicity_days, "candidate_publicity_days"},
                         std::pair{r.vote_window_days, "vote_window_days"},
                         std::pair{r.award_publicity_days, "award_publicity_days"}}) {
    if (v > kMaxWindowDays) return invalid_value(name, "超过10年", "longer than 10 years");
  }
  if (r.selection_plan_motion.size() > kMaxMotionIdBytes ||
      r.selection_plan_motion.find_first_of(" \t\r\n") != std::string::npos) {
    return invalid_value("selection_plan_motion", "须为议题编号", "must be a motion id");
  }
  if (r.budget) SUNBID_TRY(validate_budget(*r.budget, "budget_fen_per_m2_month"));
  if (r.contract_term_months != 0) SUNBID_TRY(check_contract_term(r.contract_term_months));
  if (r.menu_items.size() > 30) {
    return invalid_value("menu_items", "菜单项超过30项", "lists more than 30 items");
  }
  for (std::size_t i = 0; i < r.menu_items.size(); ++i) {
    const std::string& code = r.menu_items[i];
    if (code.empty() || code.size() > 64 ||
        std::find(r.menu_items.begin(), r.menu_items.begin() + static_cast<std::ptrdiff_t>(i),
                  code) != r.menu_items.begin() + static_cast<std::ptrdiff_t>(i)) {
      return invalid_value("menu_items[" + std::to_string(i) + "]", "菜单项为空、过长或重复",
                           "is empty, too long or repeated");
    }
  }
  return ok_status();
}

Status check_window_minimums(const TenderRules& r, const WindowMinimums& m) {
  auto too_short = [](std::string_view field, std::int64_t minimum, std::string_view unit_zh,
                      std::string_view unit_en) {
    boost::json::object d;
    d["field"] = field;
    d["minimum"] = minimum;
    return make_error("rules_invalid_value",
                      "字段" + std::string(field) + "取值无效：不得少于平台规定的" +
                          std::to_string(minimum) + std::string(unit_zh) + " / field " +
                          std::string(field) + " is invalid: the platform's minimum is " +
                          std::to_string(minimum) + std::string(unit_en),
                      std::move(d));
  };
  if (r.reveal_window_s < m.reveal_window_s) {
    return too_short("reveal_window_s", m.reveal_window_s, "秒", " s");
  }
  if (r.decision.method == DecisionMethod::owners_vote && r.vote_window_days < m.owners_vote_days) {
    return too_short("vote_window_days", m.owners_vote_days, "日", " days");
  }
  if (has_vote(r.decision.method) && r.decision.method != DecisionMethod::owners_vote &&
      r.vote_window_s < m.committee_round_s) {
    return too_short("vote_window_s", m.committee_round_s, "秒", " s");
  }
  return ok_status();
}

Status check_owners_vote_notice(const TenderRules& r) {
  if (r.decision.method != DecisionMethod::owners_vote ||
      r.candidate_publicity_days >= kOwnersVoteNoticeDays) {
    return ok_status();
  }
  boost::json::object d;
  d["field"] = "candidate_publicity_days";
  d["minimum"] = kOwnersVoteNoticeDays;
  return make_error("rules_invalid_value",
                    "字段candidate_publicity_days取值无效：业主表决的通知随中标候选人公示发出，"
                    "表决须在通知15日后开始（物业管理条例第十二条），公示期不得少于15日 / field "
                    "candidate_publicity_days is invalid: an owners' vote is announced with the "
                    "candidate publicity and opens at least 15 days after the notice (物业管理条例 "
                    "art. 12), so the publicity lasts at least 15 days",
                    std::move(d));
}

std::int64_t vote_window_close_ms(const TenderRules& r, const HolidayCalendar& calendar,
                                  std::int64_t opens_ms) {
  if (r.decision.method == DecisionMethod::owners_vote) {
    return *granted_period_end_ms(calendar, opens_ms, r.vote_window_days);
  }
  return opens_ms + r.vote_window_s * 1000;
}

Result<DecisionRule> decision_rule_from_json(const json::object& json, std::string_view path) {
  SUNBID_ASSIGN_OR_RETURN(DecisionRule d, decision_from_json(json, path));
  SUNBID_TRY(validate_decision(d, path, std::nullopt));
  return d;
}

Result<QualificationThresholds> qualification_from_json(const json::object& q,
                                                        std::string_view path_in,
                                                        const CreditScale& scale) {
  const std::string path(path_in);
  SUNBID_ASSIGN_OR_RETURN(QualificationThresholds t, parse_qualification(q, path));
  if (!scale.contains(t.min_credit_grade)) {
    return invalid_value(join(path, "min_credit_grade"), "不在信用等级序列中",
                         "is not a grade of the credit scale");
  }
  if (t.min_star_rating < 0 || t.min_star_rating > kMaxStarRating) {
    return invalid_value(join(path, "min_star_rating"), "须在0至5之间", "must be 0..5");
  }
  return t;
}

Result<BudgetRange> budget_from_json(const json::value& v, std::string_view path_in) {
  const std::string path(path_in);
  SUNBID_ASSIGN_OR_RETURN(const json::object* o, as_object(v, path));
  SUNBID_TRY(only_fields(*o, path, {"min", "max"}));
  BudgetRange b;
  SUNBID_ASSIGN_OR_RETURN(b.min_fen_per_m2_month, required<std::int64_t>(*o, path, "min", as_int64));
  SUNBID_ASSIGN_OR_RETURN(b.max_fen_per_m2_month, required<std::int64_t>(*o, path, "max", as_int64));
  SUNBID_TRY(validate_budget(b, path));
  return b;
}

Status check_contract_term(std::int64_t months, std::string_view path) {
  if (months < 1 || months > kMaxContractTermMonths) {
    return invalid_value(std::string(path), "须为1至120个月", "must be 1..120 months");
  }
  return ok_status();
}

json::object to_json(const DecisionRule& decision) {
  json::object d;
  d["method"] = to_string(decision.method);
  if (decision.owners_vote) d["allow_runoff"] = decision.owners_vote->allow_runoff;
  if (decision.composite_score) {
    const auto& p = *decision.composite_score;
    d["weights_bp"] = json::object{
        {"price", p.weight_price_bp}, {"credit", p.weight_credit_bp}, {"star", p.weight_star_bp}};
    d["benchmark"] = to_string(p.benchmark);
    d["k_above"] = p.k_above;
    d["k_below"] = p.k_below;
  }
  if (decision.vote_then_lottery) d["shortlist_size"] = decision.vote_then_lottery->shortlist_size;
  return d;
}

json::object to_json(const BudgetRange& b) {
  return {{"min", b.min_fen_per_m2_month}, {"max", b.max_fen_per_m2_month}};
}

json::object to_json(const QualificationThresholds& q) {
  return {{"min_credit_grade", q.min_credit_grade}, {"min_star_rating", q.min_star_rating}};
}

QualificationThresholds thresholds_of(const TenderRules& r) {
  return {r.min_credit_grade, r.min_star_rating};
}

bool is_tender_rule_field(std::string_view key) {
  static constexpr std::string_view kFields[] = {"service_tier",
                                                 "area_centi_m2",
                                                 "qualification",
                                                 "criteria",
                                                 "committee_size",
                                                 "min_bidders",
                                                 "min_valid_bids",
                                                 "candidate_cap",
                                                 "candidate_cap_method",
                                                 "committee_specialties",
                                                 "decision",
                                                 "beacon_source",
                                                 "bid_deadline",
                                                 "reveal_window_s",
                                                 "candidate_publicity_days",
                                                 "vote_window_days",
                                                 "vote_window_s",
                                                 "award_publicity_days",
                                                 "selection_plan_motion",
                                                 "budget_fen_per_m2_month",
                                                 "contract_term_months",
                                                 "menu_items"};
  for (std::string_view f : kFields)
    if (f == key) return true;
  return false;
}

Result<TenderRules> tender_rules_from_json(const json::object& obj, const CreditScale& scale) {
  for (const auto& kv : obj) {
    if (!is_tender_rule_field(kv.key())) {
      const std::string field = join("", kv.key());
      return make_error("rules_unknown_field", "未知字段：" + field + " / unknown field: " + field,
                        field_detail(field));
    }
  }
  TenderRules r;
  SUNBID_ASSIGN_OR_RETURN(r.service_tier,
                          required<std::string>(obj, "", "service_tier", as_string));
  SUNBID_ASSIGN_OR_RETURN(r.area_centi_m2,
                          required<std::int64_t>(obj, "", "area_centi_m2", as_int64));

  SUNBID_ASSIGN_OR_RETURN(const json::object* q,
                          required<const json::object*>(obj, "", "qualification", as_object));
  SUNBID_ASSIGN_OR_RETURN(const QualificationThresholds thresholds,
                          parse_qualification(*q, "qualification"));
  r.min_credit_grade = thresholds.min_credit_grade;
  r.min_star_rating = thresholds.min_star_rating;

  SUNBID_ASSIGN_OR_RETURN(const json::value* crit, get(obj, "", "criteria", true));
  if (!crit->is_array()) return wrong_type("criteria", "数组", "an array");
  const auto& arr = crit->get_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string at = "criteria[" + std::to_string(i) + "]";
    SUNBID_ASSIGN_OR_RETURN(const json::object* c, as_object(arr[i], at));
    SUNBID_TRY(only_fields(*c, at, {"code", "title"}));
    Criterion criterion;
    SUNBID_ASSIGN_OR_RETURN(criterion.code, required<std::string>(*c, at, "code", as_string));
    SUNBID_ASSIGN_OR_RETURN(criterion.title, required<std::string>(*c, at, "title", as_string));
    r.criteria.push_back(std::move(criterion));
  }

  SUNBID_ASSIGN_OR_RETURN(r.committee_size,
                          required<std::int32_t>(obj, "", "committee_size", as_int32));
  SUNBID_ASSIGN_OR_RETURN(const json::value* cspec, get(obj, "", "committee_specialties", false));
  if (cspec != nullptr) {
    if (!cspec->is_array()) return wrong_type("committee_specialties", "数组", "an array");
    const auto& list = cspec->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = "committee_specialties[" + std::to_string(i) + "]";
      SUNBID_ASSIGN_OR_RETURN(const json::object* c, as_object(list[i], at));
      SUNBID_TRY(only_fields(*c, at, {"specialty", "min"}));
      CommitteeSpecialty cs;
      SUNBID_ASSIGN_OR_RETURN(cs.specialty, required<std::string>(*c, at, "specialty", as_string));
      SUNBID_ASSIGN_OR_RETURN(cs.min, required<std::int32_t>(*c, at, "min", as_int32));
      r.committee_specialties.push_back(std::move(cs));
    }
  }
  SUNBID_ASSIGN_OR_RETURN(const json::value* mvb, get(obj, "", "min_valid_bids", false));
  if (mvb != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(r.min_valid_bids, as_int32(*mvb, "min_valid_bids"));
  }
  SUNBID_ASSIGN_OR_RETURN(const json::value* mb, get(obj, "", "min_bidders", false));
  if (mb != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(r.min_bidders, as_int32(*mb, "min_bidders"));
  } else {
    r.min_bidders = std::max(kMinBidders, r.min_valid_bids);
  }
  SUNBID_ASSIGN_OR_RETURN(r.candidate_cap,
                          required<std::int32_t>(obj, "", "candidate_cap", as_int32));
  SUNBID_ASSIGN_OR_RETURN(const std::string cap_method,
                          required<std::string>(obj, "", "candidate_cap_method", as_string));
  if (cap_method == "lowest_price") {
    r.candidate_cap_method = CandidateCapMethod::lowest_price;
  } else if (cap_method == "lottery") {
    r.candidate_cap_method = CandidateCapMethod::lottery;
  } else {
    return invalid_value("candidate_cap_method", "须为lowest_price或lottery",
                         "must be lowest_price or lottery");
  }

  SUNBID_ASSIGN_OR_RETURN(const json::object* dec,
                          required<const json::object*>(obj, "", "decision", as_object));
  SUNBID_ASSIGN_OR_RETURN(r.decision, decision_from_json(*dec, "decision"));

  SUNBID_ASSIGN_OR_RETURN(r.beacon_source,
                          required<std::string>(obj, "", "beacon_source", as_string));
  SUNBID_ASSIGN_OR_RETURN(const std::string deadline,
                          required<std::string>(obj, "", "bid_deadline", as_string));
  auto deadline_ms = parse_rfc3339_ms(deadline);
  if (!deadline_ms.ok()) {
    return invalid_value("bid_deadline", "须为RFC 3339时间", "must be an RFC 3339 time");
  }
  r.bid_deadline_ms = *deadline_ms;
  SUNBID_ASSIGN_OR_RETURN(r.reveal_window_s,
                          required<std::int64_t>(obj, "", "reveal_window_s", as_int64));
  SUNBID_ASSIGN_OR_RETURN(r.candidate_publicity_days,
                          required<std::int64_t>(obj, "", "candidate_publicity_days", as_int64));
  SUNBID_ASSIGN_OR_RETURN(const json::value* vd, get(obj, "", "vote_window_days", false));
  if (vd != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(r.vote_window_days, as_int64(*vd, "vote_window_days"));
  }
  SUNBID_ASSIGN_OR_RETURN(const json::value* vw, get(obj, "", "vote_window_s", false));
  if (vw != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(r.vote_window_s, as_int64(*vw, "vote_window_s"));
  }
  SUNBID_ASSIGN_OR_RETURN(r.award_publicity_days,
                          required<std::int64_t>(obj, "", "award_publicity_days", as_int64));
  SUNBID_ASSIGN_OR_RETURN(const json::value* plan, get(obj, "", "selection_plan_motion", false));
  if (plan != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(r.selection_plan_motion, as_string(*plan, "selection_plan_motion"));
    if (r.selection_plan_motion.empty()) {
      return invalid_value("selection_plan_motion", "不能为空", "must not be empty");
    }
  }
  SUNBID_ASSIGN_OR_RETURN(const json::value* budget,
                          get(obj, "", "budget_fen_per_m2_month", false));
  if (budget != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(r.budget, budget_from_json(*budget, "budget_fen_per_m2_month"));
  }
  SUNBID_ASSIGN_OR_RETURN(const json::value* term, get(obj, "", "contract_term_months", false));
  if (term != nullptr) {
    SUNBID_ASSIGN_OR_RETURN(r.contract_term_months, as_int64(*term, "contract_term_months"));
    SUNBID_TRY(check_contract_term(r.contract_term_months));
  }
  SUNBID_ASSIGN_OR_RETURN(const json::value* menu, get(obj, "", "menu_items", false));
  if (menu != nullptr) {
    if (!menu->is_array()) return wrong_type("menu_items", "数组", "an array");
    const auto& list = menu->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = "menu_items[" + std::to_string(i) + "]";
      if (!list[i].is_string()) return wrong_type(at, "字符串", "a string");
      r.menu_items.emplace_back(list[i].get_string());
    }
  }
  SUNBID_TRY(validate(r, scale));
  return r;
}

json::object to_json(const TenderRules& r) {
  json::object o;
  o["service_tier"] = r.service_tier;
  o["area_centi_m2"] = r.area_centi_m2;
  o["qualification"] = json::object{{"min_credit_grade", r.min_credit_grade},
                                    {"min_star_rating", r.min_star_rating}};
  json::array criteria;
  for (const auto& c : r.criteria)
    criteria.push_back(json::object{{"code", c.code}, {"title", c.title}});
  o["criteria"] = std::move(criteria);
  o["committee_size"] = r.committee_size;
  o["min_bidders"] = r.min_bidders;
  if (!r.committee_specialties.empty()) {
    json::array cs;
    for (const auto& c : r.committee_specialties)
      cs.push_back(json::object{{"specialty", c.specialty}, {"min", c.min}});
    o["committee_specialties"] = std::move(cs);
  }
  o["min_valid_bids"] = r.min_valid_bids;
  o["candidate_cap"] = r.candidate_cap;
  o["candidate_cap_method"] = to_string(r.candidate_cap_method);
  o["decision"] = to_json(r.decision);
  o["beacon_source"] = r.beacon_source;
  o["bid_deadline"] = format_rfc3339_ms(r.bid_deadline_ms);
  o["reveal_window_s"] = r.reveal_window_s;
  o["candidate_publicity_days"] = r.candidate_publicity_days;
  o["vote_window_days"] = r.vote_window_days;
  o["vote_window_s"] = r.vote_window_s;
  o["award_publicity_days"] = r.award_publicity_days;
  if (!r.selection_plan_motion.empty()) o["selection_plan_motion"] = r.selection_plan_motion;
  if (r.budget) o["budget_fen_per_m2_month"] = to_json(*r.budget);
  if (r.contract_term_months != 0) o["contract_term_months"] = r.contract_term_months;
  if (!r.menu_items.empty()) {
    json::array items;
    for (const auto& m : r.menu_items) items.emplace_back(m);
    o["menu_items"] = std::move(items);
  }
  return o;
}

}  // namespace sunbid::core
