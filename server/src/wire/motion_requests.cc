// The request bodies of the owners' assembly motions (requests.h;
// docs/motions.md). Shape only: the rules (window minimum, matter items,
// options) are assembly::validate's.
#include "tender_core/time.h"
#include "wire/json_fields.h"
#include "wire/requests.h"

namespace sunbid::server {

namespace {

Error invalid(std::string_view pointer, std::string_view zh, std::string_view en) {
  return make_error("invalid_field", std::string(zh) + " / " + std::string(en),
                    {{"field", std::string(pointer)}});
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

}  // namespace sunbid::server
