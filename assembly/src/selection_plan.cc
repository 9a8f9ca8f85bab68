#include "assembly/selection_plan.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "assembly/motion.h"

namespace sunbid::assembly {

namespace {

namespace json = boost::json;

Error plan_invalid(const std::string& field, std::string_view message) {
  return make_error("motion_invalid", std::string(message), {{"field", field}});
}

// A rules refusal (rules_*, details.field) as the plan's motion_invalid.
Error as_plan_error(const Error& e, std::string_view member) {
  std::string field = "plan." + std::string(member);
  if (const auto* f = e.details.if_contains("field"); f != nullptr && f->is_string()) {
    const std::string_view inner = f->as_string();
    // The rules' paths start with the member's own path.
    field = "plan." + std::string(inner);
  }
  return plan_invalid(field, "选聘方案无效：" + e.message);
}

Error plan_mismatch(const std::string& field, std::string_view zh, std::string_view en,
               json::value plan_value) {
  return make_error("selection_plan_mismatch",
                    "招标规则与选聘方案不符（" + field + "）：" + std::string(zh) +
                        " / the tender's rules contradict its selection plan (" + field +
                        "): " + std::string(en),
                    {{"field", field}, {"plan_value", std::move(plan_value)}});
}

Error not_passed(std::string_view motion_id) {
  return make_error("selection_plan_not_passed",
                    "本小区没有该项已表决通过的选聘方案议题 / the community has no passed "
                    "selection-plan motion of that id",
                    {{"field", "selection_plan_motion"}, {"motion_id", motion_id}});
}

Status match_decision(const core::DecisionRule& plan, const core::DecisionRule& d) {
  auto differs = [](std::string_view member, std::int64_t want) {
    return plan_mismatch("decision." + std::string(member), "定标方法的参数须与方案一致",
                    "the decision method's parameters must equal the plan's", want);
  };
  if (d.method != plan.method) {
    return plan_mismatch("decision.method", "定标方法须与方案一致",
                    "the decision method must equal the plan's",
                         json::string(core::to_string(plan.method)));
  }
  if (plan.owners_vote && d.owners_vote &&
      plan.owners_vote->allow_runoff != d.owners_vote->allow_runoff) {
    return plan_mismatch("decision.allow_runoff", "定标方法的参数须与方案一致",
                    "the decision method's parameters must equal the plan's",
                    plan.owners_vote->allow_runoff);
  }
  if (plan.composite_score && d.composite_score) {
    const auto& p = *plan.composite_score;
    const auto& t = *d.composite_score;
    if (t.weight_price_bp != p.weight_price_bp) return differs("weights_bp.price", p.weight_price_bp);
    if (t.weight_credit_bp != p.weight_credit_bp) {
      return differs("weights_bp.credit", p.weight_credit_bp);
    }
    if (t.weight_star_bp != p.weight_star_bp) return differs("weights_bp.star", p.weight_star_bp);
    if (t.benchmark != p.benchmark) {
      return plan_mismatch("decision.benchmark", "定标方法的参数须与方案一致",
                      "the decision method's parameters must equal the plan's",
                      json::string(core::to_string(p.benchmark)));
    }
    if (t.k_above != p.k_above) return differs("k_above", p.k_above);
    if (t.k_below != p.k_below) return differs("k_below", p.k_below);
  }
  if (plan.vote_then_lottery && d.vote_then_lottery &&
      plan.vote_then_lottery->shortlist_size != d.vote_then_lottery->shortlist_size) {
    return differs("shortlist_size", plan.vote_then_lottery->shortlist_size);
  }
  return {};
}

// The menu items equal the package the owners chose, as sets (菜单式服务);
// a plan without packages wants none.
Status match_menu(const SelectionPlan& plan, const core::TenderRules& r, std::string_view chosen) {
  std::vector<std::string> want;
  if (auto it = plan.menu_packages.find(std::string(chosen)); it != plan.menu_packages.end()) {
    want = it->second;
  }
  std::vector<std::string> got = r.menu_items;
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  if (want == got) return {};
  json::array items;
  for (const auto& i : want) items.emplace_back(i);
  return plan_mismatch("menu_items", "菜单项须与业主选定的菜单包一致",
                       "the menu items must equal the package the owners chose",
                       std::move(items));
}

}  // namespace

Result<SelectionPlan> selection_plan_from_json(const json::object& o,
                                               const core::CreditScale& scale) {
  static constexpr std::string_view kMembers[] = {
      "tier", "budget_fen_per_m2_month", "contract_term_months", "thresholds", "decision"};
  for (const auto& kv : o) {
    bool known = kv.key() == "menu_packages";  // optional: menu tiers only
    for (auto m : kMembers) known = known || kv.key() == m;
    if (!known) {
      return plan_invalid("plan." + std::string(kv.key()),
                          "选聘方案含未知字段 / the plan has an unknown member");
    }
  }
  for (auto m : kMembers) {
    if (!o.contains(m)) {
      return plan_invalid("plan." + std::string(m), "选聘方案缺少字段 / the plan lacks a member");
    }
  }
  SelectionPlan p;
  const auto& tier = o.at("tier");
  if (!tier.is_string() || tier.as_string().empty()) {
    return plan_invalid("plan.tier", "服务等级须为非空字符串 / tier must be a non-empty string");
  }
  p.tier = std::string(tier.as_string());
  auto budget = core::budget_from_json(o.at("budget_fen_per_m2_month"));
  if (!budget.ok()) return as_plan_error(budget.error(), "budget_fen_per_m2_month");
  p.budget = *budget;
  const auto& term = o.at("contract_term_months");
  if (!term.is_int64() || !core::check_contract_term(term.as_int64()).ok()) {
    return plan_invalid("plan.contract_term_months",
                        "合同期限须为1至120个月的整数 / the term must be an integer of 1..120 "
                        "months");
  }
  p.contract_term_months = term.as_int64();
  const auto& thresholds = o.at("thresholds");
  if (!thresholds.is_object()) {
    return plan_invalid("plan.thresholds", "资格条件须为对象 / thresholds must be an object");
  }
  auto q = core::qualification_from_json(thresholds.as_object(), "thresholds", scale);
  if (!q.ok()) return as_plan_error(q.error(), "thresholds");
  p.thresholds = *q;
  const auto& decision = o.at("decision");
  if (!decision.is_object()) {
    return plan_invalid("plan.decision", "定标方法须为对象 / decision must be an object");
  }
  auto d = core::decision_rule_from_json(decision.as_object(), "decision");
  if (!d.ok()) return as_plan_error(d.error(), "decision");
  p.decision = *d;
  if (const auto* packages = o.if_contains("menu_packages")) {
    if (!packages->is_object() || packages->as_object().size() < 2 ||
        packages->as_object().size() > kMaxOptions) {
      return plan_invalid("plan.menu_packages",
                          "菜单包须为2至20个选项的对象 / menu_packages must be an object of 2 to 20 "
                          "packages");
    }
    for (const auto& kv : packages->as_object()) {
      const std::string field = "plan.menu_packages." + std::string(kv.key());
      const auto* items = kv.value().if_array();
      if (kv.key().empty() || kv.key() == kAbstain || items == nullptr || items->empty() ||
          items->size() > core::kMaxMenuItems) {
        return plan_invalid(field, "菜单包须列出1至30个菜单项 / a package lists 1 to 30 menu items");
      }
      std::vector<std::string> list;
      for (const auto& i : *items) {
        if (!i.is_string() || i.as_string().empty() ||
            std::find(list.begin(), list.end(), std::string(i.as_string())) != list.end()) {
          return plan_invalid(field, "菜单项为空或重复 / a menu item is empty or repeated");
        }
        list.emplace_back(i.as_string());
      }
      p.menu_packages[std::string(kv.key())] = std::move(list);
    }
  }
  return p;
}

json::object to_json(const SelectionPlan& p) {
  json::object o{{"tier", p.tier},
          {"budget_fen_per_m2_month", core::to_json(p.budget)},
          {"contract_term_months", p.contract_term_months},
          {"thresholds", core::to_json(p.thresholds)},
          {"decision", core::to_json(p.decision)}};
  if (!p.menu_packages.empty()) {
    json::object packages;
    for (const auto& [option, items] : p.menu_packages) {
      json::array a;
      for (const auto& i : items) a.emplace_back(i);
      packages[option] = std::move(a);
    }
    o["menu_packages"] = std::move(packages);
  }
  return o;
}

Status check_plan_tier(const SelectionPlan& plan, const core::ServiceTier* tier) {
  if (tier == nullptr) {
    return plan_invalid("plan.tier", "服务等级不存在 / no such service tier");
  }
  if (tier->max_fen_per_m2_month > 0) {
    if (plan.budget.min_fen_per_m2_month < tier->min_fen_per_m2_month) {
      return plan_invalid("plan.budget_fen_per_m2_month.min",
                          "预算低于服务等级参考价下限 / the budget lies below the tier's "
                          "reference price range");
    }
    if (plan.budget.max_fen_per_m2_month > tier->max_fen_per_m2_month) {
      return plan_invalid("plan.budget_fen_per_m2_month.max",
                          "预算高于服务等级参考价上限 / the budget lies above the tier's "
                          "reference price range");
    }
  }
  if (tier->menu_items.empty() && !plan.menu_packages.empty()) {
    return plan_invalid("plan.menu_packages",
                        "该服务等级不是菜单式服务，方案不得列出菜单包 / the tier offers no menu "
                        "services: the plan may list no packages");
  }
  if (!tier->menu_items.empty() && plan.menu_packages.empty()) {
    return plan_invalid("plan.menu_packages",
                        "菜单式服务的方案须列出供业主选择的菜单包 / a menu tier's plan must list "
                        "the packages the owners choose from");
  }
  for (const auto& [option, items] : plan.menu_packages) {
    for (const auto& item : items) {
      if (core::find_menu_item(*tier, item) == nullptr) {
        return make_error("menu_item_unknown",
                          "菜单包含服务等级菜单中没有的项：" + item +
                              " / a package lists an item the tier's menu does not: " + item,
                          {{"field", "plan.menu_packages." + option}, {"item", item}});
      }
    }
  }
  return {};
}

Status check_plan_match(const SelectionPlan& plan, const core::TenderRules& r,
                        const core::CreditScale& scale, std::string_view chosen) {
  if (r.service_tier != plan.tier) {
    return plan_mismatch("service_tier", "服务等级须与方案一致", "the service tier must equal the plan's",
                    json::value(plan.tier));
  }
  if (!r.budget) {
    return plan_mismatch("budget_fen_per_m2_month", "须写明预算", "the budget must be stated",
                    core::to_json(plan.budget));
  }
  if (r.budget->min_fen_per_m2_month < plan.budget.min_fen_per_m2_month) {
    return plan_mismatch("budget_fen_per_m2_month.min", "预算须在方案的预算范围之内",
                    "the budget must lie within the plan's", plan.budget.min_fen_per_m2_month);
  }
  if (r.budget->max_fen_per_m2_month > plan.budget.max_fen_per_m2_month) {
    return plan_mismatch("budget_fen_per_m2_month.max", "预算须在方案的预算范围之内",
                    "the budget must lie within the plan's", plan.budget.max_fen_per_m2_month);
  }
  if (r.contract_term_months != plan.contract_term_months) {
    return plan_mismatch("contract_term_months", "合同期限须与方案一致",
                    "the contract term must equal the plan's", plan.contract_term_months);
  }
  if (!scale.at_least(r.min_credit_grade, plan.thresholds.min_credit_grade)) {
    return plan_mismatch("qualification.min_credit_grade", "资格条件不得低于方案",
                    "the thresholds must be at least the plan's",
                    json::value(plan.thresholds.min_credit_grade));
  }
  if (r.min_star_rating < plan.thresholds.min_star_rating) {
    return plan_mismatch("qualification.min_star_rating", "资格条件不得低于方案",
                    "the thresholds must be at least the plan's", plan.thresholds.min_star_rating);
  }
  SUNBID_TRY(match_decision(plan.decision, r.decision));
  return match_menu(plan, r, chosen);
}

Result<PlanGate> check_selection_plan(audit::Database& db, std::string_view community_id,
                                      std::string_view tender_id, const core::TenderRules& rules,
                                      const core::CreditScale& scale) {
  if (rules.selection_plan_motion.empty()) {
    return make_error("selection_plan_required",
                      "招标须依据业主大会表决通过的选聘方案（selection_plan_motion） / a tender "
                      "needs the owners' passed selection plan (selection_plan_motion)",
                      {{"field", "selection_plan_motion"}});
  }
  const std::string& id = rules.selection_plan_motion;
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT community_id, status, request_json, closed_index, result_json FROM "
                "assembly_motions WHERE id = ?"));
  st->bind(1, id);
  SUNBID_ASSIGN_OR_RETURN(bool found, st->step());
  if (!found) {
    st->reset();
    return not_passed(id);
  }
  const std::string community(st->column_text(0));
  const std::string status(st->column_text(1));
  const std::string request(st->column_text(2));
  const std::uint64_t closed_index =
      st->column_is_null(3) ? 0 : static_cast<std::uint64_t>(st->column_int64(3));
  const std::string result = st->column_is_null(4) ? std::string() : std::string(st->column_text(4));
  st->reset();
  // The winning option: a menu plan's chosen package.
  std::string chosen;
  {
    boost::system::error_code rec;
    const json::value res = json::parse(result, rec);
    if (!rec && res.is_object()) {
      if (const auto* w = res.as_object().if_contains("winner"); w && w->is_string()) {
        chosen = std::string(w->as_string());
      }
    }
  }
  boost::system::error_code ec;
  const json::value req = json::parse(request, ec);
  const json::object* plan_json = nullptr;
  if (!ec && req.is_object()) {
    const auto& o = req.as_object();
    const auto* kind = o.if_contains("kind");
    const auto* plan = o.if_contains("plan");
    if (kind != nullptr && kind->is_string() && kind->as_string() == "selection_plan" &&
        plan != nullptr && plan->is_object()) {
      plan_json = &plan->as_object();
    }
  }
  if (community != community_id || status != "passed" || plan_json == nullptr) {
    return not_passed(id);
  }
  SUNBID_ASSIGN_OR_RETURN(SelectionPlan plan, selection_plan_from_json(*plan_json, scale));
  SUNBID_TRY(check_plan_match(plan, rules, scale, chosen));
  // One live tender per plan: a re-tender after 流标 or a cancellation may
  // follow it again.
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> others,
      db.query_strings("SELECT tender_id FROM assembly_plan_uses WHERE motion_id = ? AND "
                       "tender_id != ?",
                       {id, tender_id}));
  core::Actor reader;
  reader.role = "supervisor";
  for (const auto& other : others) {
    SUNBID_ASSIGN_OR_RETURN(core::TenderView v, core::TenderService::view(db, other, reader));
    auto s = v.status;
    if (s == core::TenderStatus::suspended && v.suspended_from) s = *v.suspended_from;
    if (s != core::TenderStatus::failed && s != core::TenderStatus::cancelled &&
        s != core::TenderStatus::awarded) {
      return make_error("selection_plan_in_use",
                        "该选聘方案已用于另一项进行中的招标 / another live tender already follows "
                        "this selection plan",
                        {{"field", "selection_plan_motion"}, {"tender_id", other}});
    }
  }
  return PlanGate{id, closed_index};
}

void install_selection_plan_gate(core::TenderService& tenders) {
  core::TenderHooks hooks = tenders.hooks();
  auto next = std::move(hooks.published);
  hooks.published = [next = std::move(next), scale = tenders.settings().scale](
                        audit::WriteTxn& txn, std::string_view tender, std::string_view community,
                        const core::TenderRules& rules, json::object& payload) -> Status {
    SUNBID_ASSIGN_OR_RETURN(PlanGate gate,
                            check_selection_plan(txn.db(), community, tender, rules, scale));
    SUNBID_ASSIGN_OR_RETURN(
        audit::Statement * ins,
        txn.db().cached("INSERT OR REPLACE INTO assembly_plan_uses(tender_id, motion_id, "
                        "published_index) VALUES (?, ?, ?)"));
    ins->bind(1, tender).bind(2, gate.motion_id);
    ins->bind(3, static_cast<std::int64_t>(txn.log_size()));
    SUNBID_TRY(ins->run());
    payload["selection_plan"] = json::object{
        {"motion_id", gate.motion_id}, {"passed_index", static_cast<std::int64_t>(gate.passed_index)}};
    if (next) return next(txn, tender, community, rules, payload);
    return {};
  };
  tenders.set_hooks(std::move(hooks));
}

}  // namespace sunbid::assembly
