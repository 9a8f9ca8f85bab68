// JSON forms of the evaluation endpoints (API.md "Administration" experts,
// "Evaluation", "Decision"): strict request parsing into the evaluation
// service's inputs and the answers built from its results.
//
// Parsing refuses like every other body: `missing_field`, `invalid_field`
// or `unknown_field` (400) naming the member as a JSON pointer. Rule checks
// (a fail without a reason, an unknown criterion, ...) are the service's.
// The answer builders only shape what they are given: what a viewer may
// see was decided by the service's readers (marks_visible_to, decision).
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "evaluation/service.h"

namespace sunbid::server {

// POST /experts {account_username, specialties, employer_uscc?, related_usccs, title?}.
struct ExpertRequest {
  std::string account_username;
  eval::ExpertInput input;  // `account` is filled in by the handler (the account id)
};
Result<ExpertRequest> expert_from_json(const boost::json::object& body);

// PATCH /experts/{id} {specialties?, employer_uscc?, related_usccs?, title?,
// effective_from? (RFC 3339)}: absent members keep their value.
Result<eval::ExpertUpdate> expert_update_from_json(const boost::json::object& body);

// {beacon, beacon_date} (and `purpose` for POST /tenders/{id}/draws).
struct BeaconRequest {
  std::string purpose;
  std::string beacon;
  std::string beacon_date;
};
Result<BeaconRequest> beacon_from_json(const boost::json::object& body, bool with_purpose);

// {no_conflict, detail?}
struct DeclarationRequest {
  bool no_conflict = false;
  std::optional<std::string> detail;
};
Result<DeclarationRequest> declaration_from_json(const boost::json::object& body);

// {member, reason}
struct ReplaceRequest {
  std::string member;
  std::string reason;
};
Result<ReplaceRequest> replace_from_json(const boost::json::object& body);

// {bid_id, marks: [{criterion, pass, reason?}], strengths?, weaknesses?, risks?}
Result<eval::ReviewInput> review_from_json(const boost::json::object& body);

// {candidate_bid_id}: nullopt for "abstain".
Result<std::optional<std::string>> ballot_from_json(const boost::json::object& body);

// {candidate_bid_id, round}
struct CommitteeVoteRequest {
  std::string candidate;
  int round = 1;
};
Result<CommitteeVoteRequest> committee_vote_from_json(const boost::json::object& body);
// POST /tenders/{id}/decision-committee/recusal {reason}: the reason.
Result<std::string> recusal_from_json(const boost::json::object& body);

boost::json::object committee_drawn_json(const eval::CommitteeDrawn& d);
boost::json::object seat_change_json(const eval::SeatChange& s);
boost::json::object committee_json(const eval::CommitteeView& v);
// {log_index, next, candidates?, winner?}; with `with_record` also every
// member of the entry's payload (the decision's method, inputs, tally,
// seed, result; a draw's record).
boost::json::object stage_json(const eval::StageResult& s, bool with_record);
boost::json::object marks_json(const std::vector<eval::MarksView>& marks);

}  // namespace sunbid::server
