// The per-tender frozen rule set (招标规则): everything a tender fixes at
// publication — service tier and area, qualification thresholds, criteria,
// committee size, minimum valid bids, candidate cap and its narrowing
// method, decision method with its parameters, beacon source, deadline and
// windows. One plain value object instead of a subclass per procedure.
//
// JSON form (API.md "Tenders"; times as RFC 3339 strings, area in 0.01 m²,
// weights in basis points). A window the law counts in days is stated in
// whole calendar days (`*_days`, counted as calendar.h says: from the next
// day, ending 24:00 China time, rolled past rest days); windows counted in
// hours in whole seconds (`*_s`, exact):
//   {"service_tier": "T2", "area_centi_m2": 12345600,
//    "qualification": {"min_credit_grade": "A", "min_star_rating": 3},
//    "criteria": [{"code": "staffing", "title": "人员配置"}],
//    "committee_size": 5, "min_bidders": 3, "min_valid_bids": 3, "candidate_cap": 3,
//    "committee_specialties": [{"specialty": "物业管理", "min": 1}],
//    "candidate_cap_method": "lowest_price" | "lottery",
//    "decision": {"method": "owners_vote", "allow_runoff": true}
//              | {"method": "composite_score",
//                 "weights_bp": {"price": 6000, "credit": 2500, "star": 1500},
//                 "benchmark": "mean" | "lowest", "k_above": 100, "k_below": 50}
//              | {"method": "vote_then_lottery", "shortlist_size": 2}
//              | {"method": "lowest_price" | "lottery" | "committee_vote"},
//    "beacon_source": "...", "bid_deadline": "2025-08-01T02:00:00Z",
//    "reveal_window_s": 86400, "candidate_publicity_days": 3,
//    "vote_window_days": 7, "vote_window_s": 0, "award_publicity_days": 3,
//    "selection_plan_motion": "M1",
//    "budget_fen_per_m2_month": {"min": 150, "max": 300},
//    "contract_term_months": 36,
//    "menu_items": ["security", "cleaning"]}
// The selection plan (选聘方案, docs/motions.md): selection_plan_motion names
// the owners' passed motion of kind selection_plan the tender follows;
// budget_fen_per_m2_month is the tender's budget range (0 < min <= max,
// fen per m² and month; the maximum is its price ceiling, 最高投标限价,
// 条例 27: a revealed price above it is invalid in the opening record);
// contract_term_months the service term (1..120). The three may be omitted
// here (rules frozen before they existed still read); the platform's plan
// gate requires them at publication (selection_plan_required,
// selection_plan_mismatch), and publication checks that the budget lies
// within the service tier's reference price range (rules_invalid_value).
// menu_items (菜单式服务, docs/tenderer-kinds.md): the items of a menu tier
// the tender buys — the package the owners chose in its selection plan —,
// distinct non-empty codes, at most kMaxMenuItems; omitted (never written
// back empty) for any other tier. Publication checks them against the tier
// (check_menu_rules) and that the tenderer is a community office.
// Only the tender's own rules: community_id and title belong to the tender
// record and are not accepted here.
// committee_specialties may be omitted (default none; written back only
// when non-empty): each specialty distinct and non-empty, min >= 1, the
// minimums summing to at most committee_size (the draw meets them first,
// docs/committee-draw.md).
// min_bidders (投标人数下限, 招标投标法 28 / 实施条例 44): a tender with fewer
// live commitments at the deadline fails unopened; at least kMinBidders (3,
// the legal floor, not a setting); when omitted it is the larger of 3 and
// min_valid_bids (so rules frozen before the field existed still validate).
// min_valid_bids (valid bids needed after the opening and after the review)
// may be omitted (default 3); 1 <= min_valid_bids <= min_bidders, so a
// tender never opens when its bidders could not reach it.
// The vote window: owners_vote
// states `vote_window_days` (the owners' vote, calendar days), the committee
// methods (committee_vote, vote_then_lottery) `vote_window_s` (each round,
// exact seconds); each must be > 0 for its methods and 0 (or omitted) for
// every other method — methods without a vote have a zero window. Publicity
// lasts at least 3 days (the law). The platform's own minimums (owners' vote
// 7 days, committee round 24 h, reveal window 24 h) are settings, checked
// at publication by check_window_minimums. Every other field is required.
//
// Refusal codes (details.field names the path, e.g. "decision.weights_bp.price",
// "criteria[1].code"): rules_not_object, rules_unknown_field,
// rules_missing_field, rules_wrong_type, rules_invalid_value.
//
// Thread-safety: values and pure functions; safe for concurrent use.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "tender_core/calendar.h"
#include "tender_core/credit.h"

namespace sunbid::core {

inline constexpr std::int64_t kMinPublicityDays = 3;  // 公示 at least 3 days
// 物业管理条例 art. 12 (issue 13 decisions): owners are told of a vote at
// least 15 days before it. An owners_vote tender's vote notice goes out with
// its candidate publicity and its window opens when the publicity ends, so
// that publicity lasts at least 15 calendar days.
inline constexpr std::int64_t kOwnersVoteNoticeDays = 15;
inline constexpr std::int64_t kMaxWindowDays = 3650;
inline constexpr std::int64_t kMaxWindowSeconds = kMaxWindowDays * 86'400;
inline constexpr std::int32_t kMinCommitteeSize = 5;
inline constexpr std::int32_t kMaxCommitteeSize = 99;
inline constexpr std::int32_t kDefaultMinValidBids = 3;
// 条例 44: with fewer than 3 bidders the bids are not opened. A fixed floor.
inline constexpr std::int32_t kMinBidders = 3;
inline constexpr std::int32_t kMaxMinBidders = 1000;
inline constexpr std::int32_t kBasisPointsTotal = 10'000;
inline constexpr std::int32_t kMaxPriceDeviationK = 10'000;
inline constexpr std::int64_t kMaxContractTermMonths = 120;
inline constexpr std::size_t kMaxMotionIdBytes = 64;

enum class CandidateCapMethod { lowest_price, lottery };
enum class DecisionMethod {
  owners_vote,
  composite_score,
  lowest_price,
  lottery,
  committee_vote,
  vote_then_lottery
};
enum class PriceBenchmark { mean, lowest };

std::string_view to_string(CandidateCapMethod m);
std::string_view to_string(DecisionMethod m);
std::string_view to_string(PriceBenchmark b);
std::optional<DecisionMethod> decision_method_from_string(std::string_view s);
// True for the methods whose decision needs a vote window.
bool has_vote(DecisionMethod m);

struct Criterion {
  std::string code;   // unique within the tender
  std::string title;  // shown to evaluators

  bool operator==(const Criterion&) const = default;
};

// A committee composition rule: at least `min` members of `specialty` (专业).
struct CommitteeSpecialty {
  std::string specialty;
  std::int32_t min = 1;

  bool operator==(const CommitteeSpecialty&) const = default;
};

struct OwnersVoteParams {
  bool allow_runoff = false;  // run-off between the two with most area when nobody wins

  bool operator==(const OwnersVoteParams&) const = default;
};

// 综合评分择优 parameters. Weights in basis points sum to 10000. k_above /
// k_below: points (hundredths) deducted per 1% a price lies above / below the
// benchmark, 0..10000.
struct CompositeScoreParams {
  std::int32_t weight_price_bp = 0;
  std::int32_t weight_credit_bp = 0;
  std::int32_t weight_star_bp = 0;
  PriceBenchmark benchmark = PriceBenchmark::mean;
  std::int32_t k_above = 0;
  std::int32_t k_below = 0;

  bool operator==(const CompositeScoreParams&) const = default;
};

struct VoteThenLotteryParams {
  std::int32_t shortlist_size = 2;  // >= 2, <= candidate_cap

  bool operator==(const VoteThenLotteryParams&) const = default;
};

// Invariant (after validate): exactly the params struct of `method` is set.
struct DecisionRule {
  DecisionMethod method = DecisionMethod::lowest_price;
  std::optional<OwnersVoteParams> owners_vote;
  std::optional<CompositeScoreParams> composite_score;
  std::optional<VoteThenLotteryParams> vote_then_lottery;

  bool operator==(const DecisionRule&) const = default;
};

// A budget range in fen per m² and month (预算), 0 < min <= max.
struct BudgetRange {
  std::int64_t min_fen_per_m2_month = 0;
  std::int64_t max_fen_per_m2_month = 0;

  bool operator==(const BudgetRange&) const = default;
};

// The qualification thresholds (资格条件) of a tender or a selection plan.
struct QualificationThresholds {
  std::string min_credit_grade;
  std::int32_t min_star_rating = 0;  // 0 = no star requirement

  bool operator==(const QualificationThresholds&) const = default;
};

struct TenderRules {
  std::string service_tier;
  std::int64_t area_centi_m2 = 0;
  std::string min_credit_grade;
  std::int32_t min_star_rating = 0;  // 0 = no star requirement
  std::vector<Criterion> criteria;
  std::int32_t committee_size = kMinCommitteeSize;
  std::int32_t min_bidders = kMinBidders;
  std::vector<CommitteeSpecialty> committee_specialties;
  std::int32_t min_valid_bids = kDefaultMinValidBids;
  std::int32_t candidate_cap = 1;
  CandidateCapMethod candidate_cap_method = CandidateCapMethod::lowest_price;
  DecisionRule decision;
  std::string beacon_source;
  std::int64_t bid_deadline_ms = 0;                           // UTC ms since the epoch
  std::int64_t reveal_window_s = 0;                           // hours: exact
  std::int64_t candidate_publicity_days = kMinPublicityDays;  // calendar days
  std::int64_t vote_window_days = 0;                          // owners_vote
  std::int64_t vote_window_s = 0;                             // committee methods, per round
  std::int64_t award_publicity_days = kMinPublicityDays;      // calendar days
  std::string selection_plan_motion;                          // empty: none named
  std::optional<BudgetRange> budget;                          // fen per m² and month
  std::int64_t contract_term_months = 0;                      // 0: not stated
  std::vector<std::string> menu_items;                        // empty: not a menu tender

  bool operator==(const TenderRules&) const = default;
};

// Checks every value rule listed above; min_credit_grade must be on `scale`.
Status validate(const TenderRules& rules, const CreditScale& scale = CreditScale::default_scale());

// The platform's minimum windows (平台设置; issue 11 "Vote minimums", security
// A19): the owners' vote window (its run-offs too) in calendar days, each
// committee_vote / vote_then_lottery round and the reveal window in seconds.
struct WindowMinimums {
  std::int64_t owners_vote_days = 7;
  std::int64_t committee_round_s = 86'400;
  std::int64_t reveal_window_s = 86'400;
};

// rules_invalid_value (details.field, details.minimum) when a window of
// `rules` is shorter than the platform's minimum. REQUIRES: validate(rules).
Status check_window_minimums(const TenderRules& rules, const WindowMinimums& minimums);

// rules_invalid_value (details.field candidate_publicity_days,
// details.minimum 15) when an owners_vote tender's candidate publicity, its
// vote notice, is shorter than kOwnersVoteNoticeDays. Checked at
// publication (a stored tender published before the rule keeps its rules).
// REQUIRES: validate(rules).
Status check_owners_vote_notice(const TenderRules& rules);

// The close of a vote window (an owners' run-off, a committee round) that
// opens at `opens_ms`: owners_vote grants vote_window_days as a period in
// calendar days with `calendar` (the version in force at the opening); the
// committee methods last vote_window_s exactly. REQUIRES: has_vote.
std::int64_t vote_window_close_ms(const TenderRules& rules, const HolidayCalendar& calendar,
                                  std::int64_t opens_ms);

// ---- the parts a selection plan shares with the rules (assembly's plan
// motions read them with these, so a plan and a tender follow one rule).
// Refusals as the rules' (rules_*), details.field the rules' path with
// `path` as the member's own path.

// {"method": ..., params}: the decision method with its parameters, checked
// as validate() checks them (a vote_then_lottery shortlist at least 2; its
// cap against candidate_cap is the tender's own check).
Result<DecisionRule> decision_rule_from_json(const boost::json::object& json,
                                             std::string_view path = "decision");
// {"min_credit_grade", "min_star_rating"}: the grade on `scale`, stars 0..5.
Result<QualificationThresholds> qualification_from_json(
    const boost::json::object& json, std::string_view path = "qualification",
    const CreditScale& scale = CreditScale::default_scale());
// {"min": fen, "max": fen}: integers, 0 < min <= max.
Result<BudgetRange> budget_from_json(const boost::json::value& json,
                                     std::string_view path = "budget_fen_per_m2_month");
// 1..kMaxContractTermMonths.
Status check_contract_term(std::int64_t months, std::string_view path = "contract_term_months");
boost::json::object to_json(const DecisionRule& decision);
boost::json::object to_json(const BudgetRange& budget);
boost::json::object to_json(const QualificationThresholds& q);
QualificationThresholds thresholds_of(const TenderRules& rules);

// Strict JSON -> rules, then validate().
// Whether `key` is a top-level member of the rule set (drafts may hold any
// subset of them; nothing else).
bool is_tender_rule_field(std::string_view key);

Result<TenderRules> tender_rules_from_json(const boost::json::object& json,
                                           const CreditScale& scale = CreditScale::default_scale());

// REQUIRES: validate(rules).ok(). tender_rules_from_json(to_json(r)) == r.
boost::json::object to_json(const TenderRules& rules);

}  // namespace sunbid::core
