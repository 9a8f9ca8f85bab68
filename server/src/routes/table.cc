// The route table: every resource file's rows, in matching order; and the
// catalog that the contract test reads (server/route_catalog.h).
#include "http/route.h"
#include "server/route_catalog.h"
#include "wire/requests.h"

namespace sunbid::server {

std::vector<RouteSpec> all_routes(bool dev_clock) {
  std::vector<RouteSpec> all;
  for (auto* rows : {&session_routes, &registry_routes, &tender_routes, &bid_routes,
                     &objection_routes, &evaluation_routes, &decision_routes, &audit_routes}) {
    for (auto& r : rows()) all.push_back(std::move(r));
  }
  for (auto& r : ops_routes(dev_clock)) all.push_back(std::move(r));
  return all;
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
