// The route table and the request decoders as data, for the contract test
// (tests/server/routes_test.cc): every /api/v1 route has an OpenAPI
// operation with the same policy action and request schema, and every
// request schema's examples go through its C++ decoder as the schema says.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::server {

struct RouteInfo {
  std::string method;
  std::string pattern;         // below /api/v1, e.g. "/tenders/{id}"
  std::string action;          // policy.h action_name, = x-sunbid-action
  std::string run;             // inline, worker, inline_then_worker, ledger_async, login
  std::string body;            // none, json, optional_json, csv_upload
  std::string request_schema;  // "ReqAmendment", "" without a request struct
};

// Every route, in matching order; with `dev_clock` also POST /dev/clock.
std::vector<RouteInfo> route_catalog(bool dev_clock);

// The decoder of request schema `schema` run on `body`: ok or its refusal;
// nullopt when no decoder has that name.
std::optional<Status> decode_request(std::string_view schema, const boost::json::object& body);
// The same for a body as the client sends it: parsed strictly first
// (invalid_json, non_integer_number, ...), as the router does.
Status decode_request_text(std::string_view schema, const std::string& body);
// The names of every request decoder.
std::vector<std::string> request_schemas();

}  // namespace sunbid::server
