#include "wire/requests.h"

#include <algorithm>

#include "server/limits.h"
#include "tender_core/bid_commitment.h"
#include "tender_core/tender_rules.h"
#include "tender_core/time.h"
#include "wire/json_fields.h"

namespace sunbid::server {

namespace {

// A member that must be a string when present: it is taken out of `body`
// (whose other members are the rules of a draft).
Result<std::optional<std::string>> take_string(boost::json::object& body, std::string_view key) {
  const boost::json::value* v = body.if_contains(key);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return field_type_error("/" + std::string(key), "string");
  std::optional<std::string> out(std::string(v->as_string()));
  body.erase(key);
  return out;
}

// A draft holds any subset of the rules (checked in full at publication),
// but never a member that is not a rule (API.md: unknown fields are 400).
Status refuse_unknown_rule_fields(const boost::json::object& rules) {
  for (const auto& kv : rules) {
    if (!core::is_tender_rule_field(kv.key())) {
      return make_error("unknown_field", "未知字段 / unknown field",
                        {{"field", "/" + std::string(kv.key())}});
    }
  }
  return {};
}

Result<std::int64_t> rfc3339(const std::string& text, std::string_view pointer) {
  auto ms = core::parse_rfc3339_ms(text);
  if (!ms.ok()) {
    return make_error("invalid_field", "时间格式无效 / not an RFC 3339 time",
                      {{"field", std::string(pointer)}});
  }
  return *ms;
}

Result<const boost::json::array*> items_of(const boost::json::object& body) {
  JsonFields f(body);
  const boost::json::value* v = body.if_contains("items");
  if (!v) {
    return make_error("missing_field", "缺少必填字段 / a required field is missing",
                      {{"field", "/items"}});
  }
  if (!v->is_array()) return field_type_error("/items", "array");
  for (const auto& kv : body) {
    if (kv.key() != "items") {
      return make_error("unknown_field", "未知字段 / unknown field",
                        {{"field", "/" + std::string(kv.key())}});
    }
  }
  return &v->as_array();
}

Error item_not_object(std::size_t i) {
  return field_type_error("/items/" + std::to_string(i), "object");
}

}  // namespace

Result<ReqEmpty> ReqEmpty::decode(const boost::json::object& body) {
  SUNBID_TRY(JsonFields(body).finish());
  return ReqEmpty{};
}

// ---- sessions and accounts

Result<ReqSession> ReqSession::decode(const boost::json::object& body) {
  ReqSession r;
  SUNBID_TRY(
      JsonFields(body).read_all({required("username", r.username), required("password", r.password),
                                 optional("cookie", r.cookie)}));
  return r;
}

Result<ReqNewAccount> ReqNewAccount::decode(const boost::json::object& body) {
  ReqNewAccount r;
  accounts::NewAccount& a = r.account;
  std::string role;
  std::optional<std::string> kind;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("username", a.username), required("password", r.password), required("role", role),
       required("display_name", a.display_name), optional("community_id", a.community_id),
       optional("enterprise_uscc", a.enterprise_uscc), optional("owner_key", a.owner_key),
       optional("tenderer_kind", kind)}));
  auto parsed = accounts::parse_role(role);
  if (!parsed) {
    return make_error("invalid_field", "角色无效 / unknown role",
                      {{"field", "/role"}, {"value", role}});
  }
  a.role = *parsed;
  if (kind) {
    a.tenderer_kind = accounts::parse_tenderer_kind(*kind);
    if (!a.tenderer_kind) {
      return make_error("invalid_field",
                        "招标人类型无效（owners_committee、provisional_committee 或 "
                        "community_office） / unknown tenderer kind (owners_committee, "
                        "provisional_committee or community_office)",
                        {{"field", "/tenderer_kind"}, {"value", *kind}});
    }
  }
  // The fields' formats and the role's requirements (accounts.h).
  SUNBID_TRY(accounts::validate_new_account(a));
  SUNBID_TRY(accounts::validate_password(r.password));
  return r;
}

Result<ReqDisableAccount> ReqDisableAccount::decode(const boost::json::object& body) {
  ReqDisableAccount r;
  SUNBID_TRY(JsonFields(body).read_all({required("reason", r.reason)}));
  return r;
}

// ---- owner onboarding

Result<ReqActivationCodes> ReqActivationCodes::decode(const boost::json::object& body) {
  ReqActivationCodes r;
  JsonFields f(body);
  if (const boost::json::value* keys = body.if_contains("owner_keys"); keys && !keys->is_null()) {
    if (!keys->is_array()) return field_type_error("/owner_keys", "array of strings");
    if (keys->as_array().empty() || keys->as_array().size() > accounts::kMaxListedOwnerKeys) {
      return make_error("invalid_field",
                        "owner_keys 须列出 1 至 100000 个业主标识 / owner_keys must list 1 to "
                        "100000 owner keys",
                        {{"field", "/owner_keys"}});
    }
    std::vector<std::string> list;
    list.reserve(keys->as_array().size());
    for (std::size_t i = 0; i < keys->as_array().size(); ++i) {
      const auto& k = keys->as_array()[i];
      const std::string field = "/owner_keys/" + std::to_string(i);
      if (!k.is_string()) return field_type_error(field, "string");
      if (k.as_string().empty() || k.as_string().size() > 128) {
        return make_error("invalid_field",
                          "业主标识须为 1 至 128 字节 / an owner key is 1 to 128 bytes",
                          {{"field", field}});
      }
      list.emplace_back(k.as_string());
    }
    r.owner_keys = std::move(list);
  }
  SUNBID_TRY(f.optional_string_array("owner_keys"));  // checked above; marks it taken
  SUNBID_ASSIGN_OR_RETURN(auto reissue, f.optional_bool("reissue"));
  r.reissue = reissue.value_or(false);
  if (const boost::json::value* days = body.if_contains("valid_days"); days && !days->is_null()) {
    SUNBID_ASSIGN_OR_RETURN(r.valid_days, f.required_int("valid_days"));
    if (r.valid_days < 1 || r.valid_days > accounts::kMaxCodeValidDays) {
      return make_error("invalid_field", "有效期须为 1 至 366 天 / valid_days must be 1 to 366",
                        {{"field", "/valid_days"}});
    }
  }
  SUNBID_TRY(f.finish());
  return r;
}

Result<ReqActivate> ReqActivate::decode(const boost::json::object& body) {
  ReqActivate r;
  std::optional<std::string> username, display_name;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("code", r.code), required("password", r.password), optional("username", username),
       optional("display_name", display_name), optional("certificate_tail", r.certificate_tail)}));
  // Longer than any code however it is spaced: refused before anything is
  // looked up (and never echoed).
  if (r.code.empty() || r.code.size() > 64) {
    return make_error("activation_code_invalid",
                      "激活码格式不对 / the activation code is not well formed",
                      {{"field", "/code"}});
  }
  r.username = username.value_or("");
  r.display_name = display_name.value_or("");
  if (r.certificate_tail && r.certificate_tail->size() > 64) {
    return make_error("invalid_field",
                      "产权证号尾号过长 / certificate_tail is longer than 64 bytes",
                      {{"field", "/certificate_tail"}});
  }
  SUNBID_TRY(accounts::validate_password(r.password));
  return r;
}

Result<ReqDevClock> ReqDevClock::decode(const boost::json::object& body) {
  ReqDevClock r;
  SUNBID_TRY(JsonFields(body).read_all({required("advance_s", r.advance_s)}));
  if (r.advance_s < 1 || r.advance_s > limits::kMaxDevClockAdvanceS) {
    return make_error("invalid_field",
                      "advance_s 须为 1 至 31622400 / advance_s must be 1 to 31622400",
                      {{"field", "/advance_s"}});
  }
  return r;
}

// ---- registers

Result<ReqCommunity> ReqCommunity::decode(const boost::json::object& body) {
  ReqCommunity r;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("name", r.input.name), required("district", r.input.district),
       required("street", r.input.street), required("address", r.input.address)}));
  return r;
}

Result<ReqEnterprise> ReqEnterprise::decode(const boost::json::object& body) {
  ReqEnterprise r;
  SUNBID_TRY(
      JsonFields(body).read_all({required("uscc", r.input.uscc), required("name", r.input.name)}));
  return r;
}

Result<ReqRatings> ReqRatings::decode(const boost::json::object& body) {
  SUNBID_ASSIGN_OR_RETURN(const boost::json::array* items, items_of(body));
  std::vector<core::RatingInput> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    if (!item.is_object()) return item_not_object(i);
    std::string prefix = "/items/" + std::to_string(i);
    JsonFields f(item.as_object(), prefix);
    core::RatingInput r;
    SUNBID_ASSIGN_OR_RETURN(r.uscc, f.required_string("uscc"));
    SUNBID_ASSIGN_OR_RETURN(r.rating.credit_grade, f.required_string("credit_grade"));
    SUNBID_ASSIGN_OR_RETURN(std::int64_t score, f.required_int("credit_score"));
    SUNBID_ASSIGN_OR_RETURN(std::int64_t stars, f.required_int("star_rating"));
    SUNBID_ASSIGN_OR_RETURN(r.rating.blacklisted, f.required_bool("blacklisted"));
    SUNBID_ASSIGN_OR_RETURN(std::string from, f.required_string("effective_from"));
    SUNBID_TRY(f.finish());
    // Out-of-range values are the registry's refusals (credit_score_range,
    // star_rating_range); clamp only what cannot fit in int32 to a value
    // that those checks refuse.
    r.rating.credit_score =
        static_cast<std::int32_t>(std::clamp<std::int64_t>(score, -1, 1'000'000));
    r.rating.star_rating = static_cast<std::int32_t>(std::clamp<std::int64_t>(stars, -1, 1'000));
    auto at = core::parse_rfc3339_ms(from);
    if (!at.ok()) {
      return make_error("invalid_field", "时间格式无效 / not an RFC 3339 time",
                        {{"field", prefix + "/effective_from"}});
    }
    r.rating.effective_from_ms = *at;
    out.push_back(std::move(r));
  }
  return ReqRatings{std::move(out)};
}

Result<ReqServiceTiers> ReqServiceTiers::decode(const boost::json::object& body) {
  SUNBID_ASSIGN_OR_RETURN(const boost::json::array* items, items_of(body));
  std::vector<core::ServiceTier> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    if (!item.is_object()) return item_not_object(i);
    // The shape first, like every body (400 naming the member); then the
    // registry's value checks (422 service_tier_invalid).
    JsonFields f(item.as_object(), "/items/" + std::to_string(i));
    SUNBID_ASSIGN_OR_RETURN(auto code, f.required_string("code"));
    SUNBID_ASSIGN_OR_RETURN(auto name, f.required_string("name"));
    SUNBID_ASSIGN_OR_RETURN(auto min, f.required_int("min_fen_per_m2_month"));
    SUNBID_ASSIGN_OR_RETURN(auto max, f.required_int("max_fen_per_m2_month"));
    SUNBID_ASSIGN_OR_RETURN(auto present, f.required_value("required_items"));
    SUNBID_ASSIGN_OR_RETURN(auto required, f.optional_string_array("required_items"));
    // A menu tier's items (菜单式服务): their shape is the registry's check.
    (void)f.optional_value("menu_items");
    SUNBID_TRY(f.finish());
    (void)code, (void)name, (void)min, (void)max, (void)present, (void)required;
    auto tier = core::service_tier_from_json(item.as_object());
    if (!tier.ok()) {
      Error e = std::move(tier).error();
      e.details["item"] = static_cast<std::int64_t>(i);
      return e;
    }
    out.push_back(std::move(tier).value());
  }
  return ReqServiceTiers{std::move(out)};
}

Result<ReqCalendar> ReqCalendar::decode(const boost::json::object& body) {
  SUNBID_ASSIGN_OR_RETURN(core::HolidayCalendar c, core::calendar_from_json(body));
  return ReqCalendar{std::move(c)};
}

// ---- tenders

Result<ReqNewTender> ReqNewTender::decode(const boost::json::object& body) {
  boost::json::object rules = body;
  ReqNewTender r;
  for (const auto& [key, field] :
       {std::pair{"community_id", &r.input.community_id}, std::pair{"title", &r.input.title}}) {
    SUNBID_ASSIGN_OR_RETURN(auto v, take_string(rules, key));
    if (!v) {
      return make_error("missing_field", "缺少必填字段 / a required field is missing",
                        {{"field", "/" + std::string(key)}});
    }
    *field = std::move(*v);
  }
  // 重新招标: the failed or cancelled tender this draft re-tenders.
  SUNBID_ASSIGN_OR_RETURN(r.input.retender_of, take_string(rules, "retender_of"));
  SUNBID_TRY(refuse_unknown_rule_fields(rules));
  r.input.rules = std::move(rules);
  return r;
}

Result<ReqTenderPatch> ReqTenderPatch::decode(const boost::json::object& body) {
  boost::json::object rules = body;
  ReqTenderPatch r;
  SUNBID_ASSIGN_OR_RETURN(r.edit.title, take_string(rules, "title"));
  if (rules.contains("community_id")) {
    return make_error("invalid_field", "招标所属小区不可修改 / a tender's community cannot change",
                      {{"field", "/community_id"}});
  }
  SUNBID_TRY(refuse_unknown_rule_fields(rules));
  if (!rules.empty()) r.edit.rules = std::move(rules);
  return r;
}

Result<ReqWindowPlan> ReqWindowPlan::decode(const boost::json::object& body) {
  ReqWindowPlan r;
  boost::json::value rules;
  std::optional<std::string> published_at;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("rules", rules), optional("published_at", published_at)}));
  if (!rules.is_object()) {
    return make_error("invalid_field", "规则须为对象 / the rules must be an object",
                      {{"field", "/rules"}});
  }
  r.rules = std::move(rules.as_object());
  if (published_at) {
    SUNBID_ASSIGN_OR_RETURN(r.published_ms, rfc3339(*published_at, "/published_at"));
  }
  return r;
}

Result<ReqAmendment> ReqAmendment::decode(const boost::json::object& body) {
  ReqAmendment r;
  std::optional<std::string> deadline;
  SUNBID_TRY(JsonFields(body).read_all(
      {required("text", r.text), optional("new_bid_deadline", deadline)}));
  if (deadline) {
    SUNBID_ASSIGN_OR_RETURN(r.new_bid_deadline_ms, rfc3339(*deadline, "/new_bid_deadline"));
  }
  return r;
}

Result<ReqCancel> ReqCancel::decode(const boost::json::object& body) {
  ReqCancel r;
  std::optional<std::string> rule;
  SUNBID_TRY(JsonFields(body).read_all({required("reason", r.reason), optional("rule", rule)}));
  r.rule = rule.value_or("");
  return r;
}

Result<ReqReason> ReqReason::decode(const boost::json::object& body) {
  ReqReason r;
  SUNBID_TRY(JsonFields(body).read_all({required("reason", r.reason)}));
  return r;
}

Result<ReqRevealExtend> ReqRevealExtend::decode(const boost::json::object& body) {
  ReqRevealExtend r;
  SUNBID_TRY(
      JsonFields(body).read_all({required("reason", r.reason), required("seconds", r.seconds)}));
  return r;
}

// ---- bids and objections

Result<ReqBidCommitment> ReqBidCommitment::decode(const boost::json::object& body) {
  ReqBidCommitment r;
  SUNBID_TRY(
      JsonFields(body).read_all({required("commitment_sha256_hex", r.commitment_sha256_hex)}));
  // tender_core's format (64 lowercase hex digits): refused before a worker
  // or the rate limit is spent on it.
  SUNBID_TRY(core::parse_commitment_hex(r.commitment_sha256_hex));
  return r;
}

Result<ReqBidReveal> ReqBidReveal::decode(const boost::json::object& body) {
  ReqBidReveal r;
  SUNBID_TRY(JsonFields(body).read_all({required("salt_hex", r.salt_hex), required("bid", r.bid)}));
  return r;
}

Result<ReqText> ReqText::decode(const boost::json::object& body) {
  ReqText r;
  SUNBID_TRY(JsonFields(body).read_all({required("text", r.text)}));
  return r;
}

Result<ReqObjectionAnswer> ReqObjectionAnswer::decode(const boost::json::object& body) {
  ReqObjectionAnswer r;
  std::optional<bool> amends;
  SUNBID_TRY(
      JsonFields(body).read_all({required("text", r.text), optional("amends_documents", amends)}));
  r.amends_documents = amends.value_or(false);
  return r;
}

Result<ReqContract> ReqContract::decode(const boost::json::object& body) {
  ReqContract r;
  SUNBID_TRY(JsonFields(body).read_all({required("signed_on", r.input.signed_on),
                                        required("term_months", r.input.term_months),
                                        required("document_sha256_hex",
                                                 r.input.document_sha256_hex)}));
  return r;
}

namespace {

template <class Req>
RequestDecoder decoder() {
  return {Req::kSchema, [](const boost::json::object& body) -> Status {
            SUNBID_ASSIGN_OR_RETURN(Req r, Req::decode(body));
            (void)r;
            return {};
          }};
}

}  // namespace

const std::vector<RequestDecoder>& request_decoders() {
  static const std::vector<RequestDecoder> all = {
      decoder<ReqSession>(),         decoder<ReqNewAccount>(),   decoder<ReqDisableAccount>(),
      decoder<ReqDevClock>(),        decoder<ReqCommunity>(),    decoder<ReqEnterprise>(),
      decoder<ReqRatings>(),         decoder<ReqServiceTiers>(), decoder<ReqCalendar>(),
      decoder<ReqNewTender>(),       decoder<ReqTenderPatch>(),  decoder<ReqAmendment>(),
      decoder<ReqCancel>(),          decoder<ReqReason>(),       decoder<ReqRevealExtend>(),
      decoder<ReqBidCommitment>(),   decoder<ReqBidReveal>(),    decoder<ReqText>(),
      decoder<ReqObjectionAnswer>(), decoder<ReqExpert>(),       decoder<ReqExpertUpdate>(),
      decoder<ReqCommitteeDraw>(),   decoder<ReqDraw>(),         decoder<ReqDeclaration>(),
      decoder<ReqReplace>(),         decoder<ReqReview>(),       decoder<ReqBallot>(),
      decoder<ReqCommitteeVote>(),   decoder<ReqRecusal>(),      decoder<ReqDecision>(),
      decoder<ReqActivationCodes>(), decoder<ReqActivate>(),     decoder<ReqMotion>(),
      decoder<ReqMotionNotice>(),    decoder<ReqMotionCancel>(), decoder<ReqMotionBallot>(),
      decoder<ReqContract>(),        decoder<ReqWindowPlan>(),
      decoder<ReqPaperBallot>(),     decoder<ReqPaperBallotResolve>(),
      decoder<ReqScrutineer>(),
  };
  return all;
}

}  // namespace sunbid::server
