// Building answers: a JSON or text body with its status, and the list shape
// of API.md's conventions ({items, next_cursor}). Handlers return these; the
// router turns every Error into the answer of error_response() instead.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/sha256.h"
#include "server/http_message.h"

namespace sunbid::server {

Response json_response(int status, const boost::json::value& v);
inline Response ok_json(const boost::json::value& v) {
  return json_response(200, v);
}
inline Response created(const boost::json::value& v) {
  return json_response(201, v);
}
// text/plain; charset=utf-8.
Response text_response(std::string body);
// 204, no body.
Response no_content();

// A log index or count as a JSON integer.
inline std::int64_t idx(std::uint64_t i) {
  return static_cast<std::int64_t>(i);
}
// The value, or JSON null.
boost::json::value or_null(const std::optional<std::string>& v);
boost::json::array hex_list(const std::vector<Hash>& hashes);
// {"items": items, "next_cursor": next or null}.
Response page_answer(boost::json::array items, const std::optional<std::string>& next);

}  // namespace sunbid::server
