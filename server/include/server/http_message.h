// Request and Response: plain values that cross between the network layer
// (the session) and the router, so that handlers are tested without a socket.
//
// Thread-safety: values; one thread at a time per object.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sunbid::server {

struct Request {
  std::string method;           // "GET", "POST", ...
  std::string target;           // origin-form: path and query, e.g. "/api/v1/audit/entries?start=0"
  std::string authorization;    // the Authorization header, "" when absent
  std::string content_type;     // the Content-Type header, "" when absent
  std::string x_forwarded_for;  // honoured only from a trusted proxy
  std::string cookie;           // the Cookie header(s), "" when absent
  std::string origin;           // the Origin header, "" when absent
  std::string host;             // the Host header, "" when absent
  std::string accept;           // the Accept header, "" when absent
  std::string if_none_match;    // the If-None-Match header, "" when absent
  std::string accept_encoding;  // the Accept-Encoding header, "" when absent
  std::string body;
  std::string peer_address;  // the TCP peer's IP address in text form
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // Extra headers (e.g. Retry-After); the session adds the security headers.
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace sunbid::server
