#include "server/policy.h"

#include <array>
#include <string>

namespace sunbid::server {

namespace {

// One row per action: which roles may, whether an anonymous caller may, and
// whether a caller on the loopback interface may without a session.
struct Rule {
  Action action;
  std::string_view name;
  bool anonymous;
  bool loopback;
  // Indexed by accounts::Role.
  std::array<bool, accounts::kRoleCount> roles;
  // For the tenderer role, the kinds admitted (indexed by
  // accounts::TendererKind: owners_committee, provisional_committee,
  // community_office); every kind unless a row says otherwise.
  std::array<bool, accounts::kTendererKindCount> tenderer_kinds = {true, true, true};
};

//                                                       anon   loop   admin  tend   ent    eval
//                                                       owner  super
constexpr std::array<Rule, 43> kPolicy = {{
    {Action::kReadHealth, "read_health", true, true, {true, true, true, true, true, true}},
    {Action::kReadMetrics, "read_metrics", false, true, {true, false, false, false, false, false}},
    {Action::kCreateSession, "create_session", true, true, {true, true, true, true, true, true}},
    {Action::kDeleteSession, "delete_session", false, false, {true, true, true, true, true, true}},
    {Action::kCreateAccount,
     "create_account",
     false,
     false,
     {true, false, false, false, false, false}},
    // Disabling an account (its sessions revoked with it).
    {Action::kManageAccounts,
     "manage_accounts",
     false,
     false,
     {true, false, false, false, false, false}},
    // A second account bound to an enterprise or an owner key that another
    // account already holds: the admin asks, a supervisor approves
    // (security A7: no binding is minted by the admin alone).
    {Action::kApproveAccount,
     "approve_account",
     false,
     false,
     {false, false, false, false, false, true}},
    {Action::kReadAudit, "read_audit", true, true, {true, true, true, true, true, true}},
    {Action::kReadOpenData, "read_open_data", true, true, {true, true, true, true, true, true}},
    // Exists only with --dev-clock (the router answers 404 otherwise), and
    // even then only the operator moves time: a jump closes every window and
    // revokes every unrevealed bid, and cannot be undone (security A16).
    {Action::kAdvanceDevClock,
     "advance_dev_clock",
     false,
     false,
     {true, false, false, false, false, false}},
    // Registers: the platform operator keeps them; anyone may read a
    // community's public data and the tier table.
    {Action::kManageRegistry,
     "manage_registry",
     false,
     false,
     {true, false, false, false, false, false}},
    {Action::kReadRegistry, "read_registry", true, true, {true, true, true, true, true, true}},
    // Drafting, publishing, amending: the community's tenderer
    // (tender_core checks that it is that community's).
    {Action::kManageTender,
     "manage_tender",
     false,
     false,
     {false, true, false, false, false, false}},
    // Cancelling: the community's tenderer (refused once a vote binds it),
    // or a supervisor, who must cite the rule violated (物业管理条例 art. 19).
    {Action::kCancelTender,
     "cancel_tender",
     false,
     false,
     {false, true, false, false, false, true}},
    // Suspend, resume, extend a reveal window.
    {Action::kSuperviseTender,
     "supervise_tender",
     false,
     false,
     {false, false, false, false, false, true}},
    // Public reading; what a reader sees depends on who it is (tender_core's
    // views decide, with the viewer's relations).
    {Action::kReadTender, "read_tender", true, true, {true, true, true, true, true, true}},
    {Action::kBid, "bid", false, false, {false, false, true, false, false, false}},
    // Enterprises (document stage, bidders later) and the community's owners.
    {Action::kFileObjection,
     "file_objection",
     false,
     false,
     {false, false, true, false, true, false}},
    {Action::kAnswerObjection,
     "answer_objection",
     false,
     false,
     {false, true, false, false, false, false}},
    // The expert pool (专家库) is the operator's register.
    {Action::kManageExperts,
     "manage_experts",
     false,
     false,
     {true, false, false, false, false, false}},
    // Committee draw, replacement (补抽), the beacons of pending draws.
    {Action::kSuperviseEvaluation,
     "supervise_evaluation",
     false,
     false,
     {false, false, false, false, false, true}},
    // Declaration of no conflict and the review: a drawn member of the
    // tender (the service checks the seat). 评定分离: only evaluators.
    {Action::kEvaluate, "evaluate", false, false, {false, false, false, true, false, false}},
    // Committee, clearing report, marks: members and supervisors, the
    // community's tenderer once the review concluded (the service decides).
    {Action::kReadEvaluation,
     "read_evaluation",
     false,
     false,
     {false, true, false, true, false, true}},
    // Owners' ballots (owners_vote): an owner of the tender's community.
    {Action::kCastBallot, "cast_ballot", false, false, {false, false, false, false, true, false}},
    // committee_vote / vote_then_lottery: a tenderer account of the
    // community that is a committee (业主委员会 or 临时物业管理委员会): the
    // 社区 (community_office) is no committee and casts no vote.
    {Action::kCommitteeVote,
     "committee_vote",
     false,
     false,
     {false, true, false, false, false, false},
     {true, true, false}},
    // Running the decision method: the community's tenderer.
    {Action::kDecide, "decide", false, false, {false, true, false, false, false, false}},
    // The award is public once decided, but evaluators read nothing of the
    // decision (segregation of duties) — not even from the loopback
    // interface, which would otherwise admit any role.
    {Action::kReadDecision, "read_decision", true, false, {true, true, true, false, true, true}},
    // Owners' assembly motions (docs/motions.md): a tenderer of the
    // community drafts, notices and cancels; its owners on the frozen roster
    // vote (the assembly module checks both relations); a noticed motion is
    // an announcement to all owners and its turnout is public, so anyone
    // reads them (a draft only its tenderers, supervisors and the admin).
    {Action::kManageMotion,
     "manage_motion",
     false,
     false,
     {false, true, false, false, false, false}},
    {Action::kCastMotionBallot,
     "cast_motion_ballot",
     false,
     false,
     {false, false, false, false, true, false}},
    {Action::kReadMotion, "read_motion", true, true, {true, true, true, true, true, true}},
    // Logins and logouts: who used the platform when, kept off the public
    // log (their timing next to sealed bids would tell who bid).
    {Action::kReadAccessRecord,
     "read_access_record",
     false,
     false,
     {false, false, false, false, false, true}},
    // Owner onboarding (docs/activation.md). Issuing: a community's tenderer
    // (accounts checks it is THIS community's) or a supervisor; a reset
    // code is a supervisor's alone (accounts refuses reset_needs_supervisor).
    {Action::kIssueActivationCodes,
     "issue_activation_codes",
     false,
     false,
     {false, true, false, false, false, true}},
    // The code is the credential: no session needed, throttled like logins.
    {Action::kActivateAccount,
     "activate_account",
     true,
     true,
     {true, true, true, true, true, true}},
    // Activations and resets made within 15 days before an owners' vote.
    {Action::kReadActivationFlags,
     "read_activation_flags",
     false,
     false,
     {false, false, false, false, false, true}},
    {Action::kRecordContract,
     "record_contract",
     false,
     false,
     {false, true, false, false, false, false}},
    // Contracts signed or recorded after the 30 days of 招标投标法 art. 46.
    {Action::kReadContractFlags,
     "read_contract_flags",
     false,
     false,
     {false, false, false, false, false, true}},
    {Action::kIssueAwardNotice,
     "issue_award_notice",
     false,
     false,
     {false, true, false, false, false, false}},
    // One's own account (GET /me): every role with a session, nobody without.
    {Action::kReadOwnAccount,
     "read_own_account",
     false,
     false,
     {true, true, true, true, true, true}},
    // A draft's windows before publication (window_plan.h): the tenderers.
    {Action::kPreviewTender,
     "preview_tender",
     false,
     false,
     {false, true, false, false, false, false}},
    // The roster's units and owners (业主名册): the community's tenderers,
    // the admin who imports it, supervisors.
    {Action::kReadRoster, "read_roster", false, false, {true, true, false, false, false, true}},
    // Paper ballots (docs/motions.md "Paper ballots"): tenderer (copy 1),
    // supervisor or a 监票人 owner (copy 2); the supervisor alone resolves.
    {Action::kEnterPaperBallot,
     "enter_paper_ballot",
     false,
     false,
     {false, true, false, false, true, true}},
    {Action::kResolvePaperBallot,
     "resolve_paper_ballot",
     false,
     false,
     {false, false, false, false, false, true}},
    {Action::kReadPaperBallots,
     "read_paper_ballots",
     false,
     false,
     {false, true, false, false, true, true}},
}};

const Rule& rule_for(Action action) {
  for (const Rule& r : kPolicy) {
    if (r.action == action) return r;
  }
  return kPolicy[0];  // unreachable: every Action has a row (checked by tests)
}

}  // namespace

std::string_view action_name(Action action) {
  return rule_for(action).name;
}

Status authorize(Action action, const Caller& caller) {
  const Rule& rule = rule_for(action);
  if (caller.role) {
    const bool kind_ok = *caller.role != accounts::Role::kTenderer || !caller.tenderer_kind ||
                         rule.tenderer_kinds[static_cast<std::size_t>(*caller.tenderer_kind)];
    if (rule.roles[static_cast<std::size_t>(*caller.role)] && !kind_ok) {
      return make_error(
          "forbidden", "该类型的招标人无权执行此操作 / a tenderer of this kind may not do this",
          {{"action", std::string(rule.name)},
           {"role", std::string(accounts::role_name(*caller.role))},
           {"tenderer_kind", std::string(accounts::tenderer_kind_name(*caller.tenderer_kind))}});
    }
    if (rule.roles[static_cast<std::size_t>(*caller.role)]) return {};
    if (rule.loopback && caller.loopback) return {};
    return make_error("forbidden", "无权执行此操作 / your role may not do this",
                      {{"action", std::string(rule.name)},
                       {"role", std::string(accounts::role_name(*caller.role))}});
  }
  if (rule.anonymous) return {};
  if (rule.loopback && caller.loopback) return {};
  return make_error("unauthenticated", "需要登录 / a session is required",
                    {{"action", std::string(rule.name)}});
}

}  // namespace sunbid::server
