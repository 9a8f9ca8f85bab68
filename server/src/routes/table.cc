// The route table, and the catalog of it that the contract test reads
// (server/route_catalog.h). Adding an endpoint: docs/server.md.
#include "http/route.h"
#include "routes/handlers.h"
#include "server/route_catalog.h"
#include "wire/requests.h"

namespace sunbid::server {

// One row an endpoint: method, path below /api/v1, policy action
// (policy.h), how it runs (route.h Run), its body (route.h Body), its handler
// (handlers.h; a fast path last where there is one).
std::vector<RouteSpec> all_routes(bool dev_clock) {
  using enum Action;
  using enum Run;
  using enum Body;
  using namespace routes;
  // clang-format off
  std::vector<RouteSpec> table = {
      // sessions.cc
      route("POST",   "/sessions",                                kCreateSession,       kLogin,       kJson,           post_sessions),
      route("DELETE", "/sessions/current",                        kDeleteSession,       kLedgerAsync, kNone,           delete_session),
      route("DELETE", "/sessions/others",                         kDeleteSession,       kLedgerAsync, kNone,           delete_other_sessions),
      route("GET",    "/me",                                      kReadOwnAccount,      kWorker,      kNone,           get_me),
      route("POST",   "/accounts",                                kCreateAccount,       kLedgerAsync, kJson,           post_accounts),
      route("POST",   "/accounts/{id}/disable",                   kManageAccounts,      kLedgerAsync, kJson,           post_disable_account),
      route("POST",   "/account-approvals",                       kCreateAccount,       kLedgerAsync, kJson,           post_account_approval),
      route("GET",    "/account-approvals",                       kApproveAccount,      kInline,      kNone,           get_account_approvals),
      route("POST",   "/account-approvals/{id}/approve",          kApproveAccount,      kLedgerAsync, kOptionalJson,   post_approve_account),
      // activation.cc
      route("POST",   "/communities/{id}/activation-codes",       kIssueActivationCodes, kWorker,      kOptionalJson, post_activation_codes),
      route("POST",   "/activate",                                kActivateAccount,     kLogin,       kJson,           post_activate),
      route("GET",    "/activation-flags",                        kReadActivationFlags, kInline,      kNone,           get_activation_flags),
      // registry.cc
      route("POST",   "/communities",                             kManageRegistry,      kWorker,      kJson,           post_communities),
      route("GET",    "/communities/{id}",                        kReadRegistry,        kInline,      kNone,           get_community),
      route("GET",    "/communities/{id}/roster",                 kReadRoster,          kWorker,      kNone,           get_roster),
      route("PUT",    "/communities/{id}/roster",                 kManageRegistry,      kWorker,      kCsvUpload,      put_roster),
      route("POST",   "/enterprises",                             kManageRegistry,      kWorker,      kJson,           post_enterprises),
      route("PUT",    "/registry/ratings",                        kManageRegistry,      kWorker,      kJson,           put_ratings),
      route("GET",    "/service-tiers",                           kReadRegistry,        kInline,      kNone,           get_service_tiers),
      route("PUT",    "/service-tiers",                           kManageRegistry,      kWorker,      kJson,           put_service_tiers),
      route("GET",    "/calendar",                                kReadRegistry,        kInline,      kNone,           get_calendar),
      route("PUT",    "/calendar",                                kManageRegistry,      kWorker,      kJson,           put_calendar),
      // motions.cc
      route("POST",   "/communities/{id}/motions",                kManageMotion,        kWorker,      kJson,           post_motion),
      route("GET",    "/communities/{id}/motions",                kReadMotion,          kWorker,      kNone,           get_community_motions),
      route("GET",    "/motions/{id}",                            kReadMotion,          kWorker,      kNone,           get_motion),
      route("POST",   "/motions/{id}/notice",                     kManageMotion,        kWorker,      kOptionalJson,   post_motion_notice),
      route("POST",   "/motions/{id}/cancel",                     kManageMotion,        kWorker,      kOptionalJson,   post_motion_cancel),
      route("POST",   "/motions/{id}/ballots",                    kCastMotionBallot,    kLedgerAsync, kJson,           post_motion_ballot),
      route("GET",    "/motions/{id}/turnout",                    kReadMotion,          kWorker,      kNone,           get_motion_turnout),
      route("GET",    "/motions/{id}/trail",                      kReadMotion,          kWorker,      kNone,           get_motion_trail),
      route("POST",   "/motions/{id}/scrutineers",                kManageMotion,        kWorker,      kJson,           post_motion_scrutineer),
      route("POST",   "/motions/{id}/paper-ballots",              kEnterPaperBallot,    kWorker,      kJson,           post_motion_paper_ballot),
      route("GET",    "/motions/{id}/paper-ballots",              kReadPaperBallots,    kWorker,      kNone,           get_motion_paper_ballots),
      route("POST",   "/motions/{id}/paper-ballots/{paper_ballot_id}/resolve", kResolvePaperBallot, kWorker, kJson,   post_motion_paper_ballot_resolve),
      // tenders.cc
      route("POST",   "/tenders",                                 kManageTender,        kWorker,      kJson,           post_tenders),
      route("GET",    "/tenders",                                 kReadTender,          kInline,      kNone,           get_tenders),
      route("GET",    "/tenders/{id}",                            kReadTender,          kInlineThenWorker, kNone,    get_tender, get_tender_fast),
      route("PATCH",  "/tenders/{id}",                            kManageTender,        kWorker,      kJson,           patch_tender),
      route("POST",   "/tenders/preview-windows",                 kPreviewTender,       kWorker,      kJson,           post_preview_windows),
      route("POST",   "/tenders/{id}/publish",                    kManageTender,        kWorker,      kOptionalJson,   post_publish),
      route("POST",   "/tenders/{id}/amendments",                 kManageTender,        kWorker,      kJson,           post_amendment),
      route("POST",   "/tenders/{id}/cancel",                     kCancelTender,        kWorker,      kOptionalJson,   post_cancel),
      route("POST",   "/tenders/{id}/suspend",                    kSuperviseTender,     kWorker,      kOptionalJson,   post_suspend),
      route("POST",   "/tenders/{id}/resume",                     kSuperviseTender,     kWorker,      kOptionalJson,   post_resume),
      route("POST",   "/tenders/{id}/reveal-window/extend",       kSuperviseTender,     kWorker,      kOptionalJson,   post_extend_reveal),
      // bids.cc
      route("POST",   "/tenders/{id}/bids",                       kBid,                 kLedgerAsync, kJson,           post_bid),
      route("DELETE", "/tenders/{id}/bids/mine",                  kBid,                 kLedgerAsync, kNone,           delete_bid),
      route("POST",   "/tenders/{id}/bids/mine/reveal",           kBid,                 kLedgerAsync, kJson,           post_reveal),
      route("GET",    "/tenders/{id}/bids/mine",                  kBid,                 kWorker,      kNone,           get_own_bid),
      route("GET",    "/tenders/{id}/opening",                    kReadTender,          kWorker,      kNone,           get_opening),
      // objections.cc
      route("POST",   "/tenders/{id}/objections",                 kFileObjection,       kWorker,      kJson,           post_objection),
      route("GET",    "/tenders/{id}/objections",                 kReadTender,          kWorker,      kNone,           get_objections),
      route("POST",   "/tenders/{id}/objections/{oid}/answer",    kAnswerObjection,     kWorker,      kJson,           post_objection_answer),
      // contracts.cc
      route("POST",   "/tenders/{id}/award-notice",               kIssueAwardNotice,    kWorker,      kOptionalJson,   post_award_notice),
      route("POST",   "/tenders/{id}/contract",                   kRecordContract,      kWorker,      kJson,           post_contract),
      route("GET",    "/tenders/{id}/contract",                   kReadTender,          kWorker,      kNone,           get_contract),
      route("GET",    "/contract-flags",                          kReadContractFlags,   kInline,      kNone,           get_contract_flags),
      // evaluation.cc
      route("POST",   "/experts",                                 kManageExperts,       kWorker,      kJson,           post_experts),
      route("PATCH",  "/experts/{id}",                            kManageExperts,       kWorker,      kJson,           patch_expert),
      route("POST",   "/tenders/{id}/committee/draw",             kSuperviseEvaluation, kWorker,      kJson,           post_committee_draw),
      route("GET",    "/tenders/{id}/committee",                  kReadEvaluation,      kWorker,      kNone,           get_committee),
      route("POST",   "/tenders/{id}/committee/declaration",      kEvaluate,            kWorker,      kJson,           post_declaration),
      route("POST",   "/tenders/{id}/committee/replace",          kSuperviseEvaluation, kWorker,      kJson,           post_replace),
      route("GET",    "/tenders/{id}/clearing-report",            kReadEvaluation,      kWorker,      kNone,           get_clearing_report),
      route("POST",   "/tenders/{id}/reviews",                    kEvaluate,            kWorker,      kJson,           post_review),
      route("GET",    "/tenders/{id}/reviews",                    kReadEvaluation,      kWorker,      kNone,           get_reviews),
      route("GET",    "/tenders/{id}/candidates",                 kReadTender,          kWorker,      kNone,           get_candidates),
      route("GET",    "/tenders/{id}/turnout",                    kReadTender,          kWorker,      kNone,           get_owners_turnout),
      route("POST",   "/tenders/{id}/draws",                      kSuperviseEvaluation, kWorker,      kJson,           post_draw),
      // decision.cc
      route("POST",   "/tenders/{id}/ballots",                    kCastBallot,          kLedgerAsync, kJson,           post_ballot),
      route("POST",   "/tenders/{id}/committee-votes",            kCommitteeVote,       kWorker,      kJson,           post_committee_vote),
      route("POST",   "/tenders/{id}/decision-committee/recusal", kCommitteeVote,       kWorker,      kJson,           post_recusal),
      route("POST",   "/tenders/{id}/decision",                   kDecide,              kWorker,      kOptionalJson,   post_decision),
      route("GET",    "/tenders/{id}/award",                      kReadDecision,        kWorker,      kNone,           get_award),
      // audit.cc
      route("GET",    "/audit/checkpoint",                        kReadAudit,           kInline,      kNone,           get_checkpoint),
      route("GET",    "/audit/key",                               kReadAudit,           kInline,      kNone,           get_key),
      route("GET",    "/audit/entries",                           kReadAudit,           kInline,      kNone,           get_entries),
      route("GET",    "/audit/proof/inclusion",                   kReadAudit,           kInline,      kNone,           get_inclusion),
      route("GET",    "/audit/proof/consistency",                 kReadAudit,           kInline,      kNone,           get_consistency),
      route("GET",    "/access-record",                           kReadAccessRecord,    kInline,      kNone,           get_access_record),
      route("GET",    "/tenders/{id}/trail",                      kReadTender,          kWorker,      kNone,           get_trail),
      // open_data.cc
      route("GET",    "/ocds/releases",                           kReadOpenData,        kInlineThenWorker, kNone,    get_ocds_releases, get_ocds_releases_fast),
      route("GET",    "/tenders/{id}/ocds",                       kReadOpenData,        kWorker,      kNone,           get_tender_ocds),
      // documents.cc
      route("GET",    "/tenders/{id}/documents",                  kReadOpenData,        kWorker,      kNone,           get_tender_documents),
      route("GET",    "/tenders/{id}/documents/{log_index}.pdf",  kReadOpenData,        kWorker,      kNone,           get_tender_document_pdf),
      route("GET",    "/motions/{id}/documents",                  kReadMotion,          kWorker,      kNone,           get_motion_documents),
      route("GET",    "/motions/{id}/documents/{log_index}.pdf",  kReadOpenData,        kWorker,      kNone,           get_motion_document_pdf),
      // feeds.cc
      route("GET",    "/feeds/notices.atom",                      kReadOpenData,        kWorker,      kNone,           get_notice_feed),
      // ops.cc
      route("GET",    "/health",                                  kReadHealth,          kInline,      kNone,           get_health),
      route("GET",    "/metrics",                                 kReadMetrics,         kInline,      kNone,           get_metrics),
  };
  // clang-format on
  if (dev_clock) {
    table.push_back(route("POST", "/dev/clock", kAdvanceDevClock, kWorker, kJson, post_dev_clock));
  }
  return table;
}

namespace {

std::string_view run_name(Run run) {
  switch (run) {
    case Run::kInline:
      return "inline";
    case Run::kWorker:
      return "worker";
    case Run::kInlineThenWorker:
      return "inline_then_worker";
    case Run::kLedgerAsync:
      return "ledger_async";
    case Run::kLogin:
      return "login";
  }
  return "";
}

std::string_view body_name(Body body) {
  switch (body) {
    case Body::kNone:
      return "none";
    case Body::kJson:
      return "json";
    case Body::kOptionalJson:
      return "optional_json";
    case Body::kCsvUpload:
      return "csv_upload";
  }
  return "";
}

}  // namespace

std::vector<RouteInfo> route_catalog(bool dev_clock) {
  std::vector<RouteInfo> out;
  for (const RouteSpec& r : all_routes(dev_clock)) {
    out.push_back(RouteInfo{r.method, r.pattern, std::string(action_name(r.action)),
                            std::string(run_name(r.run)), std::string(body_name(r.body)),
                            std::string(r.request_schema)});
  }
  return out;
}

std::optional<Status> decode_request(std::string_view schema, const boost::json::object& body) {
  for (const RequestDecoder& d : request_decoders()) {
    if (d.schema == schema) return d.check(body);
  }
  return std::nullopt;
}

Status decode_request_text(std::string_view schema, const std::string& body) {
  Request r;
  r.content_type = "application/json";
  r.body = body;
  SUNBID_ASSIGN_OR_RETURN(boost::json::object o, json_object_body(r, false));
  auto st = decode_request(schema, o);
  if (!st) return make_error("internal_error", "no decoder for " + std::string(schema));
  return *st;
}

std::vector<std::string> request_schemas() {
  std::vector<std::string> out;
  for (const RequestDecoder& d : request_decoders()) out.emplace_back(d.schema);
  return out;
}

}  // namespace sunbid::server
