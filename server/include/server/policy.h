// Who may do what: the single role × action table every handler consults.
// Handlers never test roles themselves; they name their action in the route
// table and the router asks `authorize` before calling them.
//
// Roles are those of DESIGN.md (accounts/role.h); `anonymous` is the caller
// without a session.
// A few operational actions are also open to callers on the loopback
// interface (the host's own monitoring), a column of the same table.
//
// Thread-safety: pure functions over constant data.
#pragma once

#include <optional>
#include <string_view>

#include "accounts/role.h"
#include "audit_log/result.h"

namespace sunbid::server {

enum class Action {
  kReadHealth,
  kReadMetrics,
  kCreateSession,
  kDeleteSession,
  kCreateAccount,
  kManageAccounts,
  kApproveAccount,
  kReadAudit,
  kAdvanceDevClock,
  // Registers (communities, rosters, enterprises, ratings, service tiers).
  kManageRegistry,
  kReadRegistry,
  // Tenders: the tenderer's commands, the supervisor's, and public reading.
  kManageTender,
  kSuperviseTender,
  // Cancelling: the community's tenderer until a vote binds it, a
  // supervisor citing the rule violated (tender_core and evaluation decide).
  kCancelTender,
  kReadTender,
  // Sealed bids (enterprise) and objections.
  kBid,
  kFileObjection,
  kAnswerObjection,
  // Evaluation (评标) and decision (定标). Relations to the tender (a drawn
  // member of THIS tender, an owner or tenderer of THIS community) are the
  // evaluation service's answers, never the handlers'.
  kManageExperts,
  kSuperviseEvaluation,
  kEvaluate,
  kReadEvaluation,
  kCastBallot,
  kCommitteeVote,
  kDecide,
  kReadDecision,
  // Owners' assembly motions (业主大会议题): the community's tenderer drafts,
  // notices and cancels (assembly checks the community), its owners vote,
  // anyone reads a motion after its notice and its turnout.
  kManageMotion,
  kCastMotionBallot,
  kReadMotion,
  // The access record (logins and logouts, kept off the public log):
  // supervisors only (docs/access-record.md).
  kReadAccessRecord,
  // Open data (OCDS releases): public, like the notices they mirror.
  kReadOpenData,
  // Owner onboarding (docs/activation.md): the community's tenderer or a
  // supervisor issues activation codes (accounts decides the relation and
  // that a reset is a supervisor's); anyone activates with a code (the code
  // is the credential; throttled per client address); supervisors read the
  // activations flagged near a vote.
  kIssueActivationCodes,
  kActivateAccount,
  kReadActivationFlags,
  // The contract after the award (docs/contract.md): the community's
  // tenderer records it (tender_core checks the relation); supervisors read
  // the contracts signed or recorded after the 30 days of 法 46.
  kRecordContract,
  kReadContractFlags,
  // The 中标通知书 (docs/documents.md): the community's tenderer issues it
  // (tender_core checks the relation).
  kIssueAwardNotice,
  // GET /me: any logged-in account reads its own account, community and,
  // for an owner, units and open votes.
  kReadOwnAccount,
  // POST /tenders/preview-windows: the windows a draft's rules would have
  // (reads only); the tenderers who draft them.
  kPreviewTender,
  // GET /communities/{id}/roster: the roster's units and owners, read-only:
  // the community's tenderers (the handler checks the relation), the admin
  // and supervisors.
  kReadRoster,
  // Paper ballots of a motion (书面投票, docs/motions.md): copy 1 by a
  // tenderer clerk of the community, copy 2 by a supervisor or an owner the
  // motion names as 监票人 (the assembly module checks the relations);
  // a supervisor resolves a mismatch; the list is the supervisors' (an
  // entrant sees only the copies it typed).
  kEnterPaperBallot,
  kResolvePaperBallot,
  kReadPaperBallots,
};

std::string_view action_name(Action action);

// Who is asking: a role when the caller presented a valid session, and
// whether the request came from the loopback interface.
// A tenderer's kind (accounts/role.h) is a relation the table checks too: a
// row may admit the tenderer role for some kinds only (the 社区 is no owners'
// committee: it never casts a committee's vote).
struct Caller {
  std::optional<accounts::Role> role;
  bool loopback = false;
  std::optional<accounts::TendererKind> tenderer_kind;  // a tenderer's
};

// OK, or `unauthenticated` (401: a session would be needed) or `forbidden`
// (403: the caller's role — or, for a tenderer, its kind — may not do this).
Status authorize(Action action, const Caller& caller);

}  // namespace sunbid::server
