// The one place where a sunbid::Error becomes an HTTP answer: the status of
// its kind (the code's kind comes from the registry audit_log/error_codes.h)
// and the body shape of API.md, {"error": {"code", "message", "details"}}.
//
// Thread-safety: pure functions.
#pragma once

#include "audit_log/result.h"
#include "server/http_message.h"

namespace sunbid::server {

// The HTTP status of an error kind. A code the registry lacks has kind
// internal, so 500 (a bug or a storage failure, never a client's fault).
int http_status(ErrorKind kind);

// The answer for an error. A 429 carrying details.retry_after_s also gets a
// Retry-After header.
Response error_response(const Error& error);

}  // namespace sunbid::server
