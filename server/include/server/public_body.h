// Public bodies (open data: the OCDS feed and packages) served with a strong
// ETag per content coding, gzip when the client accepts it (RFC 9110
// 8.4.1.3, 12.5.3), and 304 Not Modified for a matching If-None-Match.
//
// Only for bodies that hold nothing secret: compressing a body that mixes a
// secret with text an attacker chooses leaks the secret through the
// compressed length (BREACH). Open data is public by definition, so nothing
// can leak; answers that carry a session's data are never compressed.
//
// Thread-safety: pure functions; a PublicBody is immutable once made.
#pragma once

#include <string>
#include <string_view>

#include "server/http_message.h"

namespace sunbid::server {

// Whether an If-None-Match header names `etag` (or is "*"); weak
// validators compare as strong ones (RFC 9110 13.1.2 uses weak comparison).
bool none_match_hits(std::string_view header, std::string_view etag);

// Whether an Accept-Encoding header accepts gzip: a `gzip` (or `x-gzip`)
// coding, or `*`, with a q-value other than 0 (RFC 9110 12.5.3).
bool accepts_gzip(std::string_view accept_encoding);

// The body in the gzip format (RFC 1952) at zlib's `level` (1..9).
std::string gzip(std::string_view body, int level);

struct PublicBody {
  std::string identity;
  std::string gzipped;  // empty: compressed when asked for (level 1)
  std::string digest;   // hex SHA-256 of `identity`, 16 characters: the ETag's core
};

// `identity` with its digest; with `compress` also its gzip (level 6), for a
// body kept and served many times.
PublicBody make_public_body(std::string identity, bool compress);

// The answer to `request` with `body`: 200 with the coding the client
// accepts (Vary: Accept-Encoding; ETag "<digest>" or "<digest>-gzip"), or
// 304 when If-None-Match names that ETag. `cache_control` is sent as it is.
Response public_answer(const Request& request, const PublicBody& body, std::string content_type,
                       std::string_view cache_control);

}  // namespace sunbid::server
