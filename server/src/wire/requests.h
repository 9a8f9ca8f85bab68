// The request bodies of the API: one struct per OpenAPI request schema,
// named as the schema is (schemas/openapi.json components.schemas.Req*), each
// with its decoder. A decoder reads a strictly parsed JSON object
// (json_fields.h): `missing_field`, `invalid_field` or `unknown_field` (400)
// naming the member as a JSON pointer. Value rules (a deadline in the past,
// an unknown criterion, ...) are the services'; a decoder checks shape only,
// and the few bounds that keep a value representable.
//
// tests/server/routes_test.cc runs every schema's `examples` and
// `x-invalid-examples` through these decoders.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.h"
#include "accounts/activation.h"
#include "assembly/motion.h"
#include "assembly/motion_service.h"
#include "audit_log/result.h"
#include "evaluation/service.h"
#include "tender_core/calendar.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"

namespace sunbid::server {

#define SUNBID_REQUEST(Name)                         \
  static constexpr std::string_view kSchema = #Name; \
  static Result<Name> decode(const boost::json::object& body)

// A body that must be absent, empty or {} (POST publish, resume, approve).
struct ReqEmpty {
  static constexpr std::string_view kSchema = "";
  static Result<ReqEmpty> decode(const boost::json::object& body);
};

// ---- sessions and accounts
struct ReqSession {
  SUNBID_REQUEST(ReqSession);
  std::string username;
  std::string password;
  // true: the session goes into the HttpOnly cookie (http/cookie.h) and the
  // answer omits the token (a browser's login).
  std::optional<bool> cookie;
};
struct ReqNewAccount {
  SUNBID_REQUEST(ReqNewAccount);
  accounts::NewAccount account;
  std::string password;
};
struct ReqDisableAccount {
  SUNBID_REQUEST(ReqDisableAccount);
  std::string reason;
};
struct ReqDevClock {
  SUNBID_REQUEST(ReqDevClock);
  std::int64_t advance_s = 0;  // 1 to limits::kMaxDevClockAdvanceS
};

// ---- owner onboarding (accounts/activation.h, docs/activation.md)
// POST /communities/{id}/activation-codes; the community is the path's.
struct ReqActivationCodes {
  SUNBID_REQUEST(ReqActivationCodes);
  std::optional<std::vector<std::string>> owner_keys;
  bool reissue = false;
  std::int64_t valid_days = accounts::kDefaultCodeValidDays;
};
// POST /activate (public).
struct ReqActivate {
  SUNBID_REQUEST(ReqActivate);
  std::string code;
  std::string username;  // may be empty for a reset code
  std::string password;
  std::string display_name;
  std::optional<std::string> certificate_tail;
};

// ---- registers
struct ReqCommunity {
  SUNBID_REQUEST(ReqCommunity);
  core::CommunityInput input;
};
struct ReqEnterprise {
  SUNBID_REQUEST(ReqEnterprise);
  core::EnterpriseInput input;
};
struct ReqRatings {
  SUNBID_REQUEST(ReqRatings);
  std::vector<core::RatingInput> items;
};
struct ReqServiceTiers {
  SUNBID_REQUEST(ReqServiceTiers);
  std::vector<core::ServiceTier> items;
};
struct ReqCalendar {
  SUNBID_REQUEST(ReqCalendar);
  core::HolidayCalendar calendar;
};

// ---- tenders
// community_id, title and retender_of belong to the tender record; every
// other member is a rule (tender_rules.h), checked in full at publication.
struct ReqNewTender {
  SUNBID_REQUEST(ReqNewTender);
  core::TenderDraftInput input;
};
struct ReqTenderPatch {
  SUNBID_REQUEST(ReqTenderPatch);
  core::TenderDraftEdit edit;
};
// POST /tenders/preview-windows: a draft's complete rules and the
// hypothetical publication time (default: now).
struct ReqWindowPlan {
  SUNBID_REQUEST(ReqWindowPlan);
  boost::json::object rules;
  std::optional<std::int64_t> published_ms;
};
struct ReqAmendment {
  SUNBID_REQUEST(ReqAmendment);
  std::string text;
  std::optional<std::int64_t> new_bid_deadline_ms;
};
struct ReqCancel {
  SUNBID_REQUEST(ReqCancel);
  std::string reason;
  std::string rule;  // the rule violated (required of a supervisor)
};
// POST /tenders/{id}/suspend.
struct ReqReason {
  SUNBID_REQUEST(ReqReason);
  std::string reason;
};
struct ReqRevealExtend {
  SUNBID_REQUEST(ReqRevealExtend);
  std::int64_t seconds = 0;
  std::string reason;
};

// ---- bids and objections
struct ReqBidCommitment {
  SUNBID_REQUEST(ReqBidCommitment);
  std::string commitment_sha256_hex;
};
struct ReqBidReveal {
  SUNBID_REQUEST(ReqBidReveal);
  std::string salt_hex;
  boost::json::value bid;
};
// POST /tenders/{id}/objections.
struct ReqText {
  SUNBID_REQUEST(ReqText);
  std::string text;
};
struct ReqObjectionAnswer {
  SUNBID_REQUEST(ReqObjectionAnswer);
  std::string text;
  bool amends_documents = false;
};

// POST /tenders/{id}/contract.
struct ReqContract {
  SUNBID_REQUEST(ReqContract);
  core::ContractInput input;
};

// ---- evaluation and decision
struct ReqExpert {
  SUNBID_REQUEST(ReqExpert);
  std::string account_username;
  eval::ExpertInput input;  // `account` is the handler's (the account id)
};
// Absent members keep their value.
struct ReqExpertUpdate {
  SUNBID_REQUEST(ReqExpertUpdate);
  eval::ExpertUpdate update;
};
struct ReqCommitteeDraw {
  SUNBID_REQUEST(ReqCommitteeDraw);
  std::string beacon;
  std::string beacon_date;
};
struct ReqDraw {
  SUNBID_REQUEST(ReqDraw);
  std::string purpose;
  std::string beacon;
  std::string beacon_date;
};
struct ReqDeclaration {
  SUNBID_REQUEST(ReqDeclaration);
  bool no_conflict = false;
  std::optional<std::string> detail;
};
struct ReqReplace {
  SUNBID_REQUEST(ReqReplace);
  std::string member;
  std::string reason;
};
struct ReqReview {
  SUNBID_REQUEST(ReqReview);
  eval::ReviewInput input;
};
struct ReqBallot {
  SUNBID_REQUEST(ReqBallot);
  std::optional<std::string> candidate;  // nullopt: "abstain"
};
struct ReqCommitteeVote {
  SUNBID_REQUEST(ReqCommitteeVote);
  std::string candidate;
  int round = 1;
};
struct ReqRecusal {
  SUNBID_REQUEST(ReqRecusal);
  std::string reason;
};
// ---- owners' assembly motions (docs/motions.md)
struct ReqMotion {
  SUNBID_REQUEST(ReqMotion);
  assembly::MotionInput input;
};
// The notice; opens_at absent: the earliest allowed opening.
struct ReqMotionNotice {
  SUNBID_REQUEST(ReqMotionNotice);
  std::optional<std::int64_t> opens_ms;
};
struct ReqMotionCancel {
  SUNBID_REQUEST(ReqMotionCancel);
  std::optional<std::string> reason;
};
struct ReqMotionBallot {
  SUNBID_REQUEST(ReqMotionBallot);
  std::string choice;  // an option or "abstain"
};
// Paper ballots (书面投票): one copy as typed; the supervisor's decision on a
// mismatch; a 监票人 of the motion.
struct ReqPaperBallot {
  SUNBID_REQUEST(ReqPaperBallot);
  assembly::PaperBallotInput input;
};
struct ReqPaperBallotResolve {
  SUNBID_REQUEST(ReqPaperBallotResolve);
  std::string choice;  // an option, "abstain" or "void"
  std::string reason;
};
struct ReqScrutineer {
  SUNBID_REQUEST(ReqScrutineer);
  std::string account_id;
};
// An empty object: the decision takes no parameters.
struct ReqDecision {
  SUNBID_REQUEST(ReqDecision);
};

#undef SUNBID_REQUEST

// Every decoder by schema name, for the contract test.
struct RequestDecoder {
  std::string_view schema;
  std::function<Status(const boost::json::object&)> check;
};
const std::vector<RequestDecoder>& request_decoders();

}  // namespace sunbid::server
