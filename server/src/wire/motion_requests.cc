// The request bodies of the owners' assembly motions (requests.h;
// docs/motions.md). Shape only: the rules (window minimum, matter items,
// options) are assembly::validate's.
#include <algorithm>

#include "tender_core/time.h"
#include "wire/json_fields.h"
#include "wire/requests.h"

namespace sunbid::server {

namespace {

Error invalid(std::string_view pointer, std::string_view zh, std::string_view en) {
  return make_error("invalid_field", std::string(zh) + " / " + std::string(en),
                    {{"field", std::string(pointer)}});
}

bool lower_hex_64(std::string_view s) {
  if (s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<ReqMotion> ReqMotion::decode(const boost::json::object& body) {
  JsonFields f(body);
  ReqMotion r;
  SUNBID_ASSIGN_OR_RETURN(r.input.title, f.required_string("title"));
  SUNBID_ASSIGN_OR_RETURN(r.input.text, f.required_string("text"));
  SUNBID_ASSIGN_OR_RETURN(std::string kind, f.required_string("kind"));
  if (kind == "general") {
    r.input.kind = assembly::MotionKind::general;
  } else if (kind == "selection_plan") {
    r.input.kind = assembly::MotionKind::selection_plan;
  } else {
    return invalid("/kind", "须为 general 或 selection_plan", "must be general or selection_plan");
  }
  SUNBID_ASSIGN_OR_RETURN(std::int64_t item, f.required_int("matter_item"));
  if (item < 1 || item > 9) {
    return invalid("/matter_item", "须为1至9", "must be 1 to 9 (Civil Code art. 278 items)");
  }
  r.input.matter_item = static_cast<int>(item);
  SUNBID_ASSIGN_OR_RETURN(r.input.window_days, f.required_int("window_days"));
  if (body.contains("options")) {
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> opts, f.optional_string_array("options"));
    r.input.options = std::move(opts);
  }
  if (const auto* plan = f.optional_value("plan")) {
    if (!plan->is_object()) return invalid("/plan", "须为对象", "must be an object");
    r.input.plan = plan->as_object();
  }
  SUNBID_ASSIGN_OR_RETURN(std::optional<bool> paper, f.optional_bool("paper_ballots"));
  r.input.paper_ballots = paper.value_or(false);
  SUNBID_TRY(f.finish());
  return r;
}

Result<ReqMotionNotice> ReqMotionNotice::decode(const boost::json::object& body) {
  ReqMotionNotice r;
  std::optional<std::string> opens_at;
  SUNBID_TRY(JsonFields(body).read_all({optional("opens_at", opens_at)}));
  if (opens_at) {
    auto ms = core::parse_rfc3339_ms(*opens_at);
    if (!ms.ok()) return invalid("/opens_at", "时间格式无效", "not an RFC 3339 time");
    r.opens_ms = *ms;
  }
  return r;
}

Result<ReqMotionCancel> ReqMotionCancel::decode(const boost::json::object& body) {
  ReqMotionCancel r;
  SUNBID_TRY(JsonFields(body).read_all({optional("reason", r.reason)}));
  return r;
}

Result<ReqMotionBallot> ReqMotionBallot::decode(const boost::json::object& body) {
  ReqMotionBallot r;
  SUNBID_TRY(JsonFields(body).read_all({required("choice", r.choice)}));
  if (r.choice.empty()) return invalid("/choice", "不得为空", "must not be empty");
  return r;
}

// ReqPaperBallot {owner_key, choice, scan_sha256_hex, entry: 1|2, proxy?:
// {name?, authorisation_sha256_hex}, stamped_at?}.
Result<ReqPaperBallot> ReqPaperBallot::decode(const boost::json::object& body) {
  ReqPaperBallot r;
  auto& in = r.input;
  std::int64_t entry = 0;
  std::optional<std::string> stamped_at;
  JsonFields f(body);
  SUNBID_ASSIGN_OR_RETURN(in.owner_key, f.required_string("owner_key"));
  SUNBID_ASSIGN_OR_RETURN(in.choice, f.required_string("choice"));
  SUNBID_ASSIGN_OR_RETURN(in.scan_sha256_hex, f.required_string("scan_sha256_hex"));
  SUNBID_ASSIGN_OR_RETURN(entry, f.required_int("entry"));
  SUNBID_ASSIGN_OR_RETURN(stamped_at, f.optional_string("stamped_at"));
  const boost::json::value* p = f.optional_value("proxy");
  SUNBID_TRY(f.finish());
  if (in.owner_key.empty()) return invalid("/owner_key", "不得为空", "must not be empty");
  if (in.choice.empty()) return invalid("/choice", "不得为空", "must not be empty");
  if (!lower_hex_64(in.scan_sha256_hex)) {
    return invalid("/scan_sha256_hex", "须为 64 位小写十六进制 SHA-256",
                   "must be a SHA-256 in 64 lowercase hex digits");
  }
  if (entry != 1 && entry != 2) return invalid("/entry", "须为 1 或 2", "must be 1 or 2");
  in.entry = static_cast<int>(entry);
  if (stamped_at) {
    auto ms = core::parse_rfc3339_ms(*stamped_at);
    if (!ms.ok()) return invalid("/stamped_at", "时间格式无效", "not an RFC 3339 time");
    in.stamped_ms = *ms;
  }
  if (p && !p->is_null()) {
    if (!p->is_object()) return invalid("/proxy", "须为对象", "must be an object");
    JsonFields pf(p->as_object(), "/proxy");
    SUNBID_ASSIGN_OR_RETURN(in.proxy_name, pf.optional_string("name"));
    SUNBID_ASSIGN_OR_RETURN(in.proxy_authorisation_sha256_hex,
                            pf.required_string("authorisation_sha256_hex"));
    SUNBID_TRY(pf.finish());
    if (!lower_hex_64(in.proxy_authorisation_sha256_hex)) {
      return invalid("/proxy/authorisation_sha256_hex", "须为 64 位小写十六进制 SHA-256",
                     "must be a SHA-256 in 64 lowercase hex digits");
    }
    in.proxy = true;
  }
  return r;
}

Result<ReqPaperBallotResolve> ReqPaperBallotResolve::decode(const boost::json::object& body) {
  ReqPaperBallotResolve r;
  SUNBID_TRY(
      JsonFields(body).read_all({required("choice", r.choice), required("reason", r.reason)}));
  if (r.choice.empty()) return invalid("/choice", "不得为空", "must not be empty");
  if (r.reason.empty()) return invalid("/reason", "须说明理由", "must give the reason");
  return r;
}

Result<ReqScrutineer> ReqScrutineer::decode(const boost::json::object& body) {
  ReqScrutineer r;
  SUNBID_TRY(JsonFields(body).read_all({required("account_id", r.account_id)}));
  if (r.account_id.empty()) return invalid("/account_id", "不得为空", "must not be empty");
  return r;
}

}  // namespace sunbid::server
