// The windows of a tender as its publication would fix them (窗口预览): the
// bid deadline against the 20-day minimum (招标投标法 24), the last day for
// objections to the documents (条例 22), the last amendment that keeps the
// deadline (条例 21), the reveal window, and the earliest ends of the
// periods granted later (candidate publicity, the vote, award publicity).
// The publish path and the preview (POST /tenders/preview-windows) share
// these functions, so the wizard's dates are the ones publication enforces;
// nothing here counts days itself (calendar.h does).
//
// The later periods open when the step before them ends (the review, the
// vote), which nobody can know in advance: their `earliest_*` ends assume
// each step follows the one before at once, with the calendar in force at
// the preview. They are lower bounds, not promises.
//
// Thread-safety: values and pure functions; safe for concurrent use.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"
#include "tender_core/calendar.h"
#include "tender_core/registry.h"
#include "tender_core/tender_rules.h"

namespace sunbid::core {

struct PlatformSettings;

struct WindowPlan {
  std::int64_t published_ms = 0;  // the (hypothetical) publication
  std::int64_t bid_deadline_ms = 0;
  std::int64_t minimum_bidding_days = 0;
  // 00:00 China time of the publication's date + minimum_bidding_days.
  std::int64_t earliest_deadline_ms = 0;
  bool meets_minimum_period = false;
  // Exclusive ends ("until" = the first instant no longer allowed).
  std::int64_t document_objections_until_ms = 0;  // 条例 22: the deadline's date − 11, 24:00
  std::int64_t amendments_keep_deadline_until_ms = 0;  // 条例 21: later ones move the deadline
  std::int64_t reveal_closes_ms = 0;                   // deadline + reveal_window_s
  std::int64_t calendar_version = 0;                   // of the calendar used below
  std::int64_t earliest_candidate_publicity_end_ms = 0;
  std::optional<std::int64_t> earliest_vote_close_ms;  // methods with a vote (has_vote)
  std::int64_t earliest_award_publicity_end_ms = 0;
};

// The earliest bid deadline a publication at `published_ms` allows.
std::int64_t earliest_bid_deadline_ms(std::int64_t published_ms, std::int64_t minimum_days);

// deadline_too_soon (details: earliest, minimum_days) unless the deadline's
// China date is at least `minimum_days` after the publication's.
Status check_bidding_period(std::int64_t published_ms, std::int64_t deadline_ms,
                            std::int64_t minimum_days);

// The plan of `rules` published at `published_ms`, with `calendar` (the
// version in force then). REQUIRES: validate(rules).ok().
WindowPlan plan_windows(const TenderRules& rules, const PlatformSettings& settings,
                        const HolidayCalendar& calendar, std::int64_t published_ms);

// Rules that publish() accepts, with their service tier: complete and valid
// (rules_*), a tier of the registry (service_tier_unknown), windows no
// shorter than the platform's minimums and an owners' vote notice of 15 days
// (rules_invalid_value). publish() and
// preview_windows() both check rules with this.
struct PublishableRules {
  TenderRules rules;
  ServiceTier tier;
};
Result<PublishableRules> publishable_rules(audit::Database& db, const boost::json::object& json,
                                           const PlatformSettings& settings);

// Menu services (菜单式服务, docs/tenderer-kinds.md), checked by
// publishable_rules: a menu tier's tender names its items (menu_item_missing,
// field menu_items), each one of the tier's menu (menu_item_unknown, field
// menu_items[i]); a tender of any other tier names none (menu_item_unknown).
Status check_menu_rules(const TenderRules& rules, const ServiceTier& tier);

// What a tenderer's kind (accounts/role.h) may publish, checked by publish():
// menu services only by a community office (menu_not_allowed, 403); the
// committee methods (committee_vote, vote_then_lottery) only by a committee
// — a community office is none (rules_invalid_value, field decision.method).
Status check_tenderer_kind_rules(std::string_view tenderer_kind, const TenderRules& rules,
                                 const ServiceTier& tier);

// 窗口预览: the plan of `rules_json` (tender_rules.h JSON, complete) published
// at `published_ms`, with the calendar in force then. Refuses what
// publishable_rules() refuses; the 20-day minimum is reported in the plan
// (meets_minimum_period), not refused. Reads only.
Result<WindowPlan> preview_windows(audit::Database& db, const boost::json::object& rules_json,
                                   const PlatformSettings& settings, std::int64_t published_ms);

}  // namespace sunbid::core
