// The request bodies of the evaluation and decision endpoints (requests.h).
#include "tender_core/time.h"
#include "wire/json_fields.h"
#include "wire/requests.h"

namespace sunbid::server {

Result<ReqExpert> ReqExpert::decode(const boost::json::object& body) {
  JsonFields f(body);
  ReqExpert r;
  SUNBID_ASSIGN_OR_RETURN(r.account_username, f.required_string("account_username"));
  if (!body.contains("specialties")) {
    return make_error("missing_field", "缺少必填字段 / a required field is missing",
                      {{"field", "/specialties"}});
  }
  SUNBID_ASSIGN_OR_RETURN(r.input.specialties, f.optional_string_array("specialties"));
  SUNBID_ASSIGN_OR_RETURN(r.input.employer_uscc, f.optional_string("employer_uscc"));
  if (!body.contains("related_usccs")) {
    return make_error("missing_field", "缺少必填字段 / a required field is missing",
                      {{"field", "/related_usccs"}});
  }
  SUNBID_ASSIGN_OR_RETURN(r.input.related_usccs, f.optional_string_array("related_usccs"));
  SUNBID_ASSIGN_OR_RETURN(r.input.title, f.optional_string("title"));
  SUNBID_TRY(f.finish());
  return r;
}

Result<ReqExpertUpdate> ReqExpertUpdate::decode(const boost::json::object& body) {
  JsonFields f(body);
  ReqExpertUpdate req;
  eval::ExpertUpdate& u = req.update;
  if (body.contains("specialties")) {
    SUNBID_ASSIGN_OR_RETURN(u.specialties, f.optional_string_array("specialties"));
  }
  if (body.contains("related_usccs")) {
    SUNBID_ASSIGN_OR_RETURN(u.related_usccs, f.optional_string_array("related_usccs"));
  }
  if (body.contains("employer_uscc")) {
    SUNBID_ASSIGN_OR_RETURN(auto employer, f.optional_string("employer_uscc"));
    u.employer_uscc = employer.value_or("");
  }
  SUNBID_ASSIGN_OR_RETURN(u.title, f.optional_string("title"));
  SUNBID_ASSIGN_OR_RETURN(auto effective, f.optional_string("effective_from"));
  SUNBID_TRY(f.finish());
  if (effective) {
    auto ms = core::parse_rfc3339_ms(*effective);
    if (!ms.ok()) {
      return make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                        {{"field", "/effective_from"}, {"expected", "RFC 3339 time"}});
    }
    u.effective_from_ms = *ms;
  }
  if (!u.specialties && !u.related_usccs && !u.employer_uscc && !u.title) {
    return make_error("missing_field", "缺少必填字段 / a required field is missing",
                      {{"field", "/specialties"}});
  }
  return req;
}

Result<ReqCommitteeDraw> ReqCommitteeDraw::decode(const boost::json::object& body) {
  ReqCommitteeDraw r;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("beacon", r.beacon), required("beacon_date", r.beacon_date)}));
  return r;
}

Result<ReqDraw> ReqDraw::decode(const boost::json::object& body) {
  ReqDraw r;
  SUNBID_TRY(
      JsonFields(body).read_all({required("purpose", r.purpose), required("beacon", r.beacon),
                                 required("beacon_date", r.beacon_date)}));
  return r;
}

Result<ReqDeclaration> ReqDeclaration::decode(const boost::json::object& body) {
  ReqDeclaration r;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("no_conflict", r.no_conflict), optional("detail", r.detail)}));
  return r;
}

Result<ReqReplace> ReqReplace::decode(const boost::json::object& body) {
  ReqReplace r;
  SUNBID_TRY(
      JsonFields(body).read_all({required("member", r.member), required("reason", r.reason)}));
  return r;
}

Result<ReqReview> ReqReview::decode(const boost::json::object& body) {
  JsonFields f(body);
  ReqReview req;
  eval::ReviewInput& r = req.input;
  SUNBID_ASSIGN_OR_RETURN(r.bid_id, f.required_string("bid_id"));
  SUNBID_ASSIGN_OR_RETURN(boost::json::value marks, f.required_value("marks"));
  if (!marks.is_array()) return field_type_error("/marks", "array of objects");
  const boost::json::array& items = marks.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "/marks/" + std::to_string(i);
    if (!items[i].is_object()) return field_type_error(prefix, "object");
    JsonFields m(items[i].as_object(), prefix);
    eval::ReviewInput::Mark mark;
    SUNBID_ASSIGN_OR_RETURN(mark.criterion, m.required_string("criterion"));
    SUNBID_ASSIGN_OR_RETURN(mark.pass, m.required_bool("pass"));
    SUNBID_ASSIGN_OR_RETURN(mark.reason, m.optional_string("reason"));
    SUNBID_TRY(m.finish());
    r.marks.push_back(std::move(mark));
  }
  SUNBID_ASSIGN_OR_RETURN(r.strengths, f.optional_string("strengths"));
  SUNBID_ASSIGN_OR_RETURN(r.weaknesses, f.optional_string("weaknesses"));
  SUNBID_ASSIGN_OR_RETURN(r.risks, f.optional_string("risks"));
  SUNBID_TRY(f.finish());
  return req;
}

Result<ReqBallot> ReqBallot::decode(const boost::json::object& body) {
  std::string choice;
  SUNBID_TRY(JsonFields(body).read_all({required("candidate_bid_id", choice)}));
  ReqBallot r;
  if (choice != "abstain") r.candidate = std::move(choice);
  return r;
}

Result<ReqCommitteeVote> ReqCommitteeVote::decode(const boost::json::object& body) {
  ReqCommitteeVote r;
  std::int64_t round = 0;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("candidate_bid_id", r.candidate), required("round", round)}));
  // Rounds are small positive numbers; anything else cannot be a round.
  if (round < 1 || round > 1000) {
    return make_error("invalid_field", "轮次须为正整数 / round must be a positive integer",
                      {{"field", "/round"}});
  }
  r.round = static_cast<int>(round);
  return r;
}

Result<ReqRecusal> ReqRecusal::decode(const boost::json::object& body) {
  ReqRecusal r;
  SUNBID_TRY(JsonFields(body).read_all({required("reason", r.reason)}));
  return r;
}

Result<ReqDecision> ReqDecision::decode(const boost::json::object& body) {
  SUNBID_TRY(JsonFields(body).finish());
  return ReqDecision{};
}

}  // namespace sunbid::server
