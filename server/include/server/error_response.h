// The one place where a sunbid::Error becomes an HTTP answer: a table from
// stable error codes to status codes, and the body shape of API.md,
// {"error": {"code", "message", "details"}}.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "audit_log/result.h"
#include "server/http_message.h"

namespace sunbid::server {

// The HTTP status for an error code; unknown codes are 500 (a bug or a
// storage failure, never a client's fault).
int http_status_for(std::string_view code);

// The answer for an error. A 429 carrying details.retry_after_s also gets a
// Retry-After header.
Response error_response(const Error& error);

}  // namespace sunbid::server
