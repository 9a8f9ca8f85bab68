#include "tender_core/window_plan.h"

#include "tender_core/service.h"
#include "tender_core/time.h"
#include "tender_store.h"

namespace sunbid::core {

std::int64_t earliest_bid_deadline_ms(std::int64_t published_ms, std::int64_t minimum_days) {
  return china_midnight_ms(china_date(published_ms) + minimum_days);
}

Status check_bidding_period(std::int64_t published_ms, std::int64_t deadline_ms,
                            std::int64_t minimum_days) {
  if (meets_minimum_period(published_ms, deadline_ms, minimum_days)) return ok_status();
  return make_error(
      "deadline_too_soon",
      "投标截止时间距发布不足规定天数 / the bid deadline leaves less than the "
      "minimum bidding period after publication",
      {{"earliest", format_rfc3339_ms(earliest_bid_deadline_ms(published_ms, minimum_days))},
       {"minimum_days", minimum_days}});
}

WindowPlan plan_windows(const TenderRules& rules, const PlatformSettings& settings,
                        const HolidayCalendar& calendar, std::int64_t published_ms) {
  WindowPlan p;
  p.published_ms = published_ms;
  p.bid_deadline_ms = rules.bid_deadline_ms;
  p.minimum_bidding_days = settings.min_bidding_period_days;
  p.earliest_deadline_ms = earliest_bid_deadline_ms(published_ms, p.minimum_bidding_days);
  p.meets_minimum_period =
      meets_minimum_period(published_ms, rules.bid_deadline_ms, p.minimum_bidding_days);
  p.document_objections_until_ms =
      days_before_cutoff_ms(rules.bid_deadline_ms, settings.document_objection_cutoff_days);
  // An amendment made before 00:00 of the deadline's date − (N − 1) keeps
  // N days (meets_minimum_period); from then on it moves the deadline.
  p.amendments_keep_deadline_until_ms =
      days_before_cutoff_ms(rules.bid_deadline_ms, settings.min_period_after_amendment_days - 1);
  p.reveal_closes_ms = rules.bid_deadline_ms + rules.reveal_window_s * 1000;
  p.calendar_version = calendar.version;
  p.earliest_candidate_publicity_end_ms =
      *granted_period_end_ms(calendar, p.reveal_closes_ms, rules.candidate_publicity_days);
  std::int64_t decided = p.earliest_candidate_publicity_end_ms;
  if (has_vote(rules.decision.method)) {
    p.earliest_vote_close_ms = vote_window_close_ms(rules, calendar, decided);
    decided = *p.earliest_vote_close_ms;
  }
  p.earliest_award_publicity_end_ms =
      *granted_period_end_ms(calendar, decided, rules.award_publicity_days);
  return p;
}

Result<PublishableRules> publishable_rules(audit::Database& db, const boost::json::object& json,
                                           const PlatformSettings& settings) {
  SUNBID_ASSIGN_OR_RETURN(TenderRules rules, tender_rules_from_json(json, settings.scale));
  SUNBID_ASSIGN_OR_RETURN(auto tier, Registry::service_tier(db, rules.service_tier));
  if (!tier) {
    return make_error("service_tier_unknown", "服务等级不存在 / no such service tier",
                      {{"service_tier", rules.service_tier}});
  }
  if (rules.budget && tier->max_fen_per_m2_month > 0) {
    // The budget lies within the tier's reference price range.
    const auto& b = *rules.budget;
    const bool low = b.min_fen_per_m2_month < tier->min_fen_per_m2_month;
    if (low || b.max_fen_per_m2_month > tier->max_fen_per_m2_month) {
      const std::string field =
          low ? "budget_fen_per_m2_month.min" : "budget_fen_per_m2_month.max";
      return make_error("rules_invalid_value",
                        "字段" + field + "取值无效：预算须在服务等级参考价" +
                            std::to_string(tier->min_fen_per_m2_month) + "至" +
                            std::to_string(tier->max_fen_per_m2_month) +
                            "分/平方米·月之内 / field " + field +
                            " is invalid: the budget must lie within the service tier's "
                            "reference price range",
                        {{"field", field},
                         {"minimum", tier->min_fen_per_m2_month},
                         {"maximum", tier->max_fen_per_m2_month}});
    }
  }
  SUNBID_TRY(check_menu_rules(rules, *tier));
  SUNBID_TRY(check_window_minimums(rules, settings.window_minimums));
  SUNBID_TRY(check_owners_vote_notice(rules));
  return PublishableRules{std::move(rules), std::move(*tier)};
}

Status check_menu_rules(const TenderRules& rules, const ServiceTier& tier) {
  if (tier.menu_items.empty()) {
    if (rules.menu_items.empty()) return ok_status();
    return make_error("menu_item_unknown",
                      "服务等级" + tier.code + "不是菜单式服务，招标不得列出菜单项 / tier " +
                          tier.code + " offers no menu services: the tender may list no menu items",
                      {{"field", "menu_items"}, {"service_tier", tier.code}});
  }
  if (rules.menu_items.empty()) {
    boost::json::array offered;
    for (const auto& m : tier.menu_items) offered.emplace_back(m.code);
    return make_error("menu_item_missing",
                      "菜单式服务的招标须列出所选菜单项（menu_items） / a menu tier's tender must "
                      "list the menu items it buys (menu_items)",
                      {{"field", "menu_items"}, {"offered", std::move(offered)}});
  }
  for (std::size_t i = 0; i < rules.menu_items.size(); ++i) {
    if (find_menu_item(tier, rules.menu_items[i]) == nullptr) {
      return make_error("menu_item_unknown",
                        "服务等级" + tier.code + "的菜单中没有此项：" + rules.menu_items[i] +
                            " / the tier's menu has no item " + rules.menu_items[i],
                        {{"field", "menu_items[" + std::to_string(i) + "]"},
                         {"item", rules.menu_items[i]}});
    }
  }
  return ok_status();
}

Status check_tenderer_kind_rules(std::string_view tenderer_kind, const TenderRules& rules,
                                 const ServiceTier& tier) {
  const bool office = tenderer_kind == "community_office";
  if (!tier.menu_items.empty() && !office) {
    return make_error("menu_not_allowed",
                      "只有社区（community_office）可以招标菜单式服务 / only a community office "
                      "may tender menu services",
                      {{"field", "service_tier"}, {"tenderer_kind", tenderer_kind}});
  }
  const DecisionMethod m = rules.decision.method;
  if (office && (m == DecisionMethod::committee_vote || m == DecisionMethod::vote_then_lottery)) {
    return make_error("rules_invalid_value",
                      "字段decision.method取值无效：社区不是业主委员会，不能票决定标 / field "
                      "decision.method is invalid: a community office is no committee and "
                      "cannot decide by the committee's vote",
                      {{"field", "decision.method"}, {"tenderer_kind", tenderer_kind}});
  }
  return ok_status();
}

Result<WindowPlan> preview_windows(audit::Database& db, const boost::json::object& rules_json,
                                   const PlatformSettings& settings, std::int64_t published_ms) {
  SUNBID_ASSIGN_OR_RETURN(PublishableRules checked, publishable_rules(db, rules_json, settings));
  SUNBID_ASSIGN_OR_RETURN(CalendarHistory history, detail::load_calendar_history(db));
  return plan_windows(checked.rules, settings, history.in_force_at(published_ms), published_ms);
}

}  // namespace sunbid::core
