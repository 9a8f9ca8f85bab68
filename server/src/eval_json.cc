#include "eval_json.h"

#include "json_fields.h"
#include "tender_core/time.h"

namespace sunbid::server {

namespace {

Error wrong_type(const std::string& pointer, std::string_view expected) {
  return make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                    {{"field", pointer}, {"expected", std::string(expected)}});
}

boost::json::array string_array(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::int64_t idx(std::uint64_t i) {
  return static_cast<std::int64_t>(i);
}

}  // namespace

Result<ExpertRequest> expert_from_json(const boost::json::object& body) {
  JsonFields f(body);
  ExpertRequest r;
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

Result<eval::ExpertUpdate> expert_update_from_json(const boost::json::object& body) {
  JsonFields f(body);
  eval::ExpertUpdate u;
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
  return u;
}

Result<BeaconRequest> beacon_from_json(const boost::json::object& body, bool with_purpose) {
  JsonFields f(body);
  BeaconRequest r;
  if (with_purpose) {
    SUNBID_ASSIGN_OR_RETURN(r.purpose, f.required_string("purpose"));
  }
  SUNBID_ASSIGN_OR_RETURN(r.beacon, f.required_string("beacon"));
  SUNBID_ASSIGN_OR_RETURN(r.beacon_date, f.required_string("beacon_date"));
  SUNBID_TRY(f.finish());
  return r;
}

Result<DeclarationRequest> declaration_from_json(const boost::json::object& body) {
  JsonFields f(body);
  DeclarationRequest r;
  SUNBID_ASSIGN_OR_RETURN(r.no_conflict, f.required_bool("no_conflict"));
  SUNBID_ASSIGN_OR_RETURN(r.detail, f.optional_string("detail"));
  SUNBID_TRY(f.finish());
  return r;
}

Result<ReplaceRequest> replace_from_json(const boost::json::object& body) {
  JsonFields f(body);
  ReplaceRequest r;
  SUNBID_ASSIGN_OR_RETURN(r.member, f.required_string("member"));
  SUNBID_ASSIGN_OR_RETURN(r.reason, f.required_string("reason"));
  SUNBID_TRY(f.finish());
  return r;
}

Result<eval::ReviewInput> review_from_json(const boost::json::object& body) {
  JsonFields f(body);
  eval::ReviewInput r;
  SUNBID_ASSIGN_OR_RETURN(r.bid_id, f.required_string("bid_id"));
  SUNBID_ASSIGN_OR_RETURN(boost::json::value marks, f.required_value("marks"));
  if (!marks.is_array()) return wrong_type("/marks", "array of objects");
  const boost::json::array& items = marks.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "/marks/" + std::to_string(i);
    if (!items[i].is_object()) return wrong_type(prefix, "object");
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
  return r;
}

Result<std::optional<std::string>> ballot_from_json(const boost::json::object& body) {
  JsonFields f(body);
  SUNBID_ASSIGN_OR_RETURN(std::string choice, f.required_string("candidate_bid_id"));
  SUNBID_TRY(f.finish());
  if (choice == "abstain") return std::optional<std::string>{};
  return std::optional<std::string>(std::move(choice));
}

Result<CommitteeVoteRequest> committee_vote_from_json(const boost::json::object& body) {
  JsonFields f(body);
  CommitteeVoteRequest r;
  SUNBID_ASSIGN_OR_RETURN(r.candidate, f.required_string("candidate_bid_id"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t round, f.required_int("round"));
  SUNBID_TRY(f.finish());
  // Rounds are small positive numbers; anything else cannot be a round.
  if (round < 1 || round > 1000) {
    return make_error("invalid_field", "轮次须为正整数 / round must be a positive integer",
                      {{"field", "/round"}});
  }
  r.round = static_cast<int>(round);
  return r;
}

Result<std::string> recusal_from_json(const boost::json::object& body) {
  JsonFields f(body);
  SUNBID_ASSIGN_OR_RETURN(std::string reason, f.required_string("reason"));
  SUNBID_TRY(f.finish());
  return reason;
}

boost::json::object committee_drawn_json(const eval::CommitteeDrawn& d) {
  return {{"log_index", idx(d.log_index)},
          {"members", string_array(d.members)},
          {"reserves", string_array(d.reserves)},
          {"seed_hex", d.seed_hex},
          {"checkpoint_size", idx(d.checkpoint_size)},
          {"checkpoint_root_hex", d.checkpoint_root_hex},
          {"inputs", d.record}};
}

boost::json::object seat_change_json(const eval::SeatChange& s) {
  return {
      {"log_index", idx(s.log_index)},
      {"successor", s.successor ? boost::json::value(*s.successor) : nullptr},
      {"replacement_draw", s.replacement_draw ? boost::json::value(*s.replacement_draw) : nullptr}};
}

boost::json::object committee_json(const eval::CommitteeView& v) {
  return {{"members", string_array(v.members)},
          {"reserves", string_array(v.reserves)},
          {"declared", string_array(v.declared)},
          {"vacant_seats", v.vacant_seats},
          {"pending_draw", v.pending_draw ? boost::json::value(*v.pending_draw) : nullptr}};
}

boost::json::object stage_json(const eval::StageResult& s, bool with_record) {
  boost::json::object o;
  if (with_record) o = s.record;
  o["log_index"] = idx(s.log_index);
  o["next"] = s.next;
  if (s.candidates) o["candidates"] = string_array(*s.candidates);
  if (s.winner) o["winner"] = *s.winner;
  return o;
}

boost::json::object marks_json(const std::vector<eval::MarksView>& marks) {
  boost::json::array items;
  for (const auto& m : marks) {
    items.push_back({{"member", m.member}, {"bid_id", m.bid_id}, {"review", m.marks}});
  }
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

}  // namespace sunbid::server
