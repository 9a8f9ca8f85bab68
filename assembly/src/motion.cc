#include "assembly/motion.h"

#include <algorithm>
#include <set>

#include "assembly/selection_plan.h"
#include "tender_core/calendar.h"

namespace sunbid::assembly {

namespace {

Error invalid(std::string_view field, std::string_view zh, std::string_view en) {
  return make_error("motion_invalid", std::string(zh) + " / " + std::string(en),
                    {{"field", field}});
}

}  // namespace

std::string_view to_string(MotionKind k) {
  return k == MotionKind::selection_plan ? "selection_plan" : "general";
}

std::string_view to_string(MotionStatus s) {
  switch (s) {
    case MotionStatus::draft:
      return "draft";
    case MotionStatus::noticed:
      return "noticed";
    case MotionStatus::open:
      return "open";
    case MotionStatus::passed:
      return "passed";
    case MotionStatus::rejected:
      return "rejected";
    case MotionStatus::failed_quorum:
      return "failed_quorum";
    case MotionStatus::cancelled:
      return "cancelled";
  }
  return "draft";
}

std::optional<MotionStatus> motion_status_from(std::string_view s) {
  for (auto st :
       {MotionStatus::draft, MotionStatus::noticed, MotionStatus::open, MotionStatus::passed,
        MotionStatus::rejected, MotionStatus::failed_quorum, MotionStatus::cancelled}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

Status validate(const MotionInput& in) {
  if (in.title.empty() || in.title.size() > kMaxTitleBytes)
    return invalid("title", "标题为空或过长", "the title is empty or too long");
  if (in.text.empty() || in.text.size() > kMaxTextBytes)
    return invalid("text", "议题内容为空或过长", "the text is empty or too long");
  if (in.matter_item < 1 || in.matter_item > 9)
    return invalid("matter_item", "事项须为民法典第二百七十八条第一款第一至九项",
                   "matter_item must be an item 1-9 of Civil Code art. 278");
  if (in.kind == MotionKind::selection_plan) {
    if (in.matter_item != 4)
      return invalid("matter_item", "选聘方案属第二百七十八条第（四）项",
                     "a selection plan is item 4 of art. 278");
    if (!in.plan) return invalid("plan", "选聘方案议题须附方案", "a selection plan needs its plan");
    // The plan's parts follow the tender rules' own rules (selection_plan.h).
    SUNBID_ASSIGN_OR_RETURN(SelectionPlan plan, selection_plan_from_json(*in.plan));
    // A menu plan's options are its packages (the owners pick one by budget).
    if (!plan.menu_packages.empty()) {
      std::set<std::string> packages, options;
      for (const auto& kv : plan.menu_packages) packages.insert(kv.first);
      if (in.options) options.insert(in.options->begin(), in.options->end());
      if (!in.options || options != packages || in.options->size() != packages.size()) {
        return invalid("options", "菜单式服务的选聘方案，选项须恰为各菜单包的名称",
                       "a menu plan's options must be exactly its package names");
      }
    }
  } else if (in.plan) {
    return invalid("plan", "仅选聘方案议题附方案", "only a selection_plan motion carries a plan");
  }
  if (in.options) {
    if (in.options->size() < 2 || in.options->size() > kMaxOptions)
      return invalid("options", "选项须为2至20个", "options must be 2 to 20 choices");
    std::set<std::string_view> seen;
    for (const auto& o : *in.options) {
      if (o.empty() || o.size() > kMaxTitleBytes || o == kAbstain || !seen.insert(o).second)
        return invalid("options", "选项为空、重复、过长或为abstain",
                       "an option is empty, repeated, too long or \"abstain\"");
    }
  }
  if (in.window_days < kMinWindowDays)
    return make_error("motion_window_too_short",
                      "表决期不得少于7日 / the voting window must be at least 7 days",
                      {{"field", "window_days"}, {"minimum", kMinWindowDays}});
  if (in.window_days > kMaxWindowDays)
    return make_error("motion_window_too_long",
                      "表决期不得超过90日 / the voting window must be at most 90 days",
                      {{"field", "window_days"}, {"maximum", kMaxWindowDays}});
  return {};
}

std::vector<std::string> effective_options(const MotionInput& in) {
  if (in.options) return *in.options;
  return {"for", "against"};
}

eval::Approval approval_for(int matter_item) {
  return matter_item >= 6 && matter_item <= 8 ? eval::Approval::kThreeQuarters
                                              : eval::Approval::kMajority;
}

std::string_view approval_name(eval::Approval a) {
  return a == eval::Approval::kThreeQuarters ? "at_least_three_quarters" : "more_than_half";
}

std::int64_t earliest_opening_ms(std::int64_t notice_ms) {
  return core::china_midnight_ms(core::china_date(notice_ms) + kNoticeDays + 1);
}

Result<MotionTally> tally_motion(std::vector<eval::OwnerWeight> owners,
                                 std::int64_t total_area_centi_m2, std::int64_t total_heads,
                                 const std::vector<std::string>& options, int matter_item,
                                 const std::vector<MotionBallot>& ballots) {
  eval::OwnersVoteInput in;
  in.approval = approval_for(matter_item);
  in.owners = std::move(owners);
  in.total_area_centi_m2 = total_area_centi_m2;
  in.total_heads = total_heads;
  in.candidates = options;
  in.ballots.reserve(ballots.size());
  for (const auto& b : ballots) {
    in.ballots.push_back(
        {b.owner, b.choice == kAbstain ? std::nullopt : std::optional<std::string>(b.choice)});
  }
  SUNBID_ASSIGN_OR_RETURN(eval::OwnersVoteResult r, eval::tally_owners_vote(in));
  MotionTally out;
  const bool yes_no = options == std::vector<std::string>{"for", "against"};
  if (r.outcome == eval::OwnersVoteOutcome::kQuorumNotMet) {
    out.outcome = MotionStatus::failed_quorum;
  } else if (r.outcome == eval::OwnersVoteOutcome::kWinner && (!yes_no || r.winner == "for")) {
    out.outcome = MotionStatus::passed;
    out.winner = r.winner;
  } else {
    out.outcome = MotionStatus::rejected;
  }
  out.vote = std::move(r);
  return out;
}

boost::json::object tally_json(const eval::OwnersVoteResult& r) {
  boost::json::array opts;
  for (const auto& c : r.candidates) {
    opts.push_back(boost::json::object{
        {"option", c.bid_id}, {"area_centi_m2", c.area_centi_m2}, {"heads", c.heads}});
  }
  return {{"total_area_centi_m2", r.total_area_centi_m2},
          {"total_heads", r.total_heads},
          {"participating_area_centi_m2", r.participating_area_centi_m2},
          {"participating_heads", r.participating_heads},
          {"abstain_area_centi_m2", r.abstain_area_centi_m2},
          {"abstain_heads", r.abstain_heads},
          {"area_quorum", r.area_quorum},
          {"head_quorum", r.head_quorum},
          {"options", std::move(opts)}};
}

}  // namespace sunbid::assembly
