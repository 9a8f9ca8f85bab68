// The registry of error codes: every stable code a sunbid module can return,
// with its kind and a default text in Chinese and English.
//
// A refusal's code is what clients and tests rely on (API.md); its kind says
// what sort of failure it is, and the server maps the kind — never the code —
// to an HTTP status (server/error_response.h). make_error() looks the kind up
// here, so a code missing from the registry is `internal` (a 500): the test
// tests/server/error_kinds_test.cc scans the sources and fails on any code
// literal that is not registered, and checks the registry against the
// OpenAPI contract's x-error-codes (generated from this table by
// tools/sunbid-error-codes; docs/errors.md says how to add a code).
//
// Thread-safety: immutable data and pure functions; safe for concurrent use.
#pragma once

#include <span>
#include <string_view>

namespace sunbid {

// The kinds of issue 12 plus three that keep the statuses the server already
// answered (405, 415, 431): the list departs from the issue on purpose so
// that no existing code changes its status.
enum class ErrorKind {
  invalid,                 // 400: the request itself is malformed
  unauthenticated,         // 401: no valid session or credentials
  forbidden,               // 403: the caller may not do this
  not_found,               // 404: no such object (or not visible to the caller)
  method_not_allowed,      // 405: the path exists, the method does not
  conflict,                // 409: the state does not allow it now
  too_large,               // 413: a body or field over its limit
  unsupported_media_type,  // 415: the body is not JSON
  unprocessable,           // 422: well formed, but breaks a rule
  rate_limited,            // 429: throttled; retry later
  header_too_large,        // 431: the request head is over its limit
  internal,                // 500: a fault of ours (storage, crypto, a bug)
  unavailable,             // 503: the service cannot answer now
};

// "invalid", "not_found", ...: the enumerator's name.
std::string_view to_string(ErrorKind kind);

struct ErrorCodeInfo {
  std::string_view code;  // stable, snake_case
  ErrorKind kind;
  std::string_view zh;  // default text, Chinese
  std::string_view en;  // default text, English
};

// Every registered code, once each, grouped by the module that produces it.
std::span<const ErrorCodeInfo> error_codes();

// The registry's entry for `code`, or nullptr if the code is not registered.
const ErrorCodeInfo* find_error_code(std::string_view code);

// The kind of `code`; internal for a code that is not registered.
ErrorKind error_kind(std::string_view code);

}  // namespace sunbid
