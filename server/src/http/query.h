// Query parameters of list and proof endpoints (API.md conventions):
// `invalid_query` (400) naming the parameter.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit_log/result.h"
#include "http/context.h"

namespace sunbid::server {

// A decimal uint64; nullopt when absent or empty.
Result<std::optional<std::uint64_t>> query_uint(const Query& query, const std::string& name);
// `name` between 1 and `most`, `most` when absent.
Result<std::uint64_t> query_limit(const Query& query, std::uint64_t most);
// The ?limit= of a list: 1 to 500, default 50.
Result<std::uint64_t> list_limit(const Query& query);
// The value, "" when absent.
std::string query_text(const Query& query, const std::string& name);
// Percent-encodes every byte of UTF-8 `text` but the RFC 3986 unreserved
// characters (ALPHA DIGIT - . _ ~): a query value in a link, or an RFC 8187
// ext-value (filename*=UTF-8''…), whose attr-char includes them.
std::string percent_encode(std::string_view text);

}  // namespace sunbid::server
