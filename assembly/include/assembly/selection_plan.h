// 选聘方案: the selection plan an owners' motion of kind selection_plan
// fixes (民法典 art. 278 (四); docs/motions.md "The selection plan gates the
// tender"), and the gate it puts on every tender's publication.
//
// A plan (ReqMotion.plan, JSON):
//   {"tier": "T2",
//    "budget_fen_per_m2_month": {"min": 150, "max": 300},
//    "contract_term_months": 36,
//    "thresholds": {"min_credit_grade": "A", "min_star_rating": 3},
//    "decision": {"method": "owners_vote", "allow_runoff": true},
//    "menu_packages": {"基础包": ["security", "cleaning"],
//                      "全包": ["security", "cleaning", "greening"]}}
// `thresholds` has the shape of the tender rules' `qualification`,
// `decision` that of their `decision` (tender_rules.h), and both are read
// with the rules' own parsers, so a plan holds nothing a tender could not.
// menu_packages (菜单式服务, docs/tenderer-kinds.md; only for a menu tier,
// which requires it): the item packages the owners choose from by budget.
// The motion's options are exactly the package names (a list of choices);
// the winning option is the chosen package, and the tender's menu_items
// must equal it (as a set). Each package is 1..30 distinct items of the
// tier's menu.
//
// A tender matches its plan when (checked in this order; the first
// mismatch is named by the tender rules' path):
//   service_tier == tier                       ("service_tier")
//   the budget within the plan's [min, max]    ("budget_fen_per_m2_month.min" / ".max")
//   contract_term_months equal                 ("contract_term_months")
//   each threshold at least the plan's         ("qualification.min_credit_grade",
//                                               "qualification.min_star_rating")
//   the decision method equal in every parameter ("decision.method",
//                                               "decision.allow_runoff", "decision.weights_bp.price", ...)
//   menu_items equal to the chosen package     ("menu_items")
//
// The gate (install_selection_plan_gate; the server always installs it, so
// no tender publishes without it): the rules name a motion
// (selection_plan_required); the motion exists, is of the tender's
// community, is of kind selection_plan and has passed — otherwise one code,
// selection_plan_not_passed, which tells nothing of other communities'
// motions; the rules match the plan (selection_plan_mismatch, details.field);
// and no other live tender (published and not failed, cancelled or awarded)
// follows the same plan (selection_plan_in_use, details.tender_id): a plan
// may gate a re-tender after 流标 or a cancellation.
//
// Thread-safety: values and functions over the caller's connection or
// transaction; install before the service is used concurrently.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <vector>
#include <string>
#include <string_view>

#include "audit_log/ledger.h"
#include "audit_log/result.h"
#include "audit_log/sqlite.h"
#include "tender_core/credit.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/tender_rules.h"

namespace sunbid::assembly {

struct SelectionPlan {
  std::string tier;
  core::BudgetRange budget;
  std::int64_t contract_term_months = 0;
  core::QualificationThresholds thresholds;
  core::DecisionRule decision;
  // option -> items (empty: not a menu plan).
  std::map<std::string, std::vector<std::string>> menu_packages;

  bool operator==(const SelectionPlan&) const = default;
};

// Strict: every member required, no other. Refuses motion_invalid with
// details.field "plan" or "plan.<member path>" (e.g.
// "plan.decision.weights_bp.price"), the rules' message kept.
Result<SelectionPlan> selection_plan_from_json(
    const boost::json::object& plan,
    const core::CreditScale& scale = core::CreditScale::default_scale());
boost::json::object to_json(const SelectionPlan& plan);

// motion_invalid (plan.tier: no such tier; plan.budget_fen_per_m2_month.min
// / .max: outside the tier's reference price range; plan.menu_packages: a
// menu tier's plan without packages, packages for another tier);
// menu_item_unknown (plan.menu_packages.<option>: an item not on the menu).
Status check_plan_tier(const SelectionPlan& plan, const core::ServiceTier* tier);

// selection_plan_mismatch (details.field, details.plan_value when handy)
// at the first rule that does not match the plan. `chosen`: the passed
// motion's winning option (a menu plan's package).
Status check_plan_match(const SelectionPlan& plan, const core::TenderRules& rules,
                        const core::CreditScale& scale = core::CreditScale::default_scale(),
                        std::string_view chosen = "");

struct PlanGate {
  std::string motion_id;
  std::uint64_t passed_index = 0;  // the motion.closed entry that passed it
};

// The gate's checks for `rules` of a tender of `community_id` (`tender_id`:
// the tender itself, never counted as a use of its plan; empty for a
// preview). Reads only.
Result<PlanGate> check_selection_plan(audit::Database& db, std::string_view community_id,
                                      std::string_view tender_id, const core::TenderRules& rules,
                                      const core::CreditScale& scale);

// Wraps the service's `published` hook: the gate first (its refusal refuses
// the publication), the plan's use recorded, `selection_plan`
// {motion_id, passed_index} added to the tender.published payload, then the
// hook installed before (evaluation's). Call after the EvaluationService
// was constructed over `tenders`.
void install_selection_plan_gate(core::TenderService& tenders);

}  // namespace sunbid::assembly
