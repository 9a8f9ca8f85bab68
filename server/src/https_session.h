// One HTTPS session: after the TLS handshake, HTTP/1.1 requests on a
// kept-alive connection, each read with the limits of limits.h (header
// first, authenticated before the body is read), handed to the Api, and
// answered in one buffer, so that a small answer leaves as one TLS record.
//
// Thread-safety: a session runs on its connection's io_context thread; the
// SessionHost it shares with the other sessions has atomic counters only.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "net.h"
#include "server/api.h"
#include "server/https_server.h"
#include "tls_connection.h"

namespace sunbid::server::net {

// What the sessions of one server share.
struct SessionHost {
  SessionHost(Api& a, ServerTimeouts t) : api(a), timeouts(t) {}
  Api& api;
  const ServerTimeouts timeouts;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> inflight{0};  // requests handed to the Api, not yet answered
  std::atomic<std::uint64_t> failed_handshakes{0};
};

// Serves the connection until the peer leaves, a limit or a deadline ends
// it, or the host stops; then disarms its deadline. `peer` is the TCP peer's
// address (the Api resolves X-Forwarded-For from trusted proxies).
Task<void> run_session(SessionHost& host, std::shared_ptr<Conn> conn, std::string peer);

// Closes an idle connection, and a busy one too unless `only_idle`. Call on
// the connection's thread.
void close_connection(Conn& conn, bool only_idle);

// The answer exactly as Beast's serializer wrote it for the
// http::response<string_body> built from it (fields in that order: the
// content type, the Api's headers, the security headers, Connection, then
// Content-Length; a field set twice keeps its last value, at the end), header
// and body in one buffer. `extra` is set after all of them.
void serialize(std::string& out, const Response& r, unsigned version, bool keep_alive,
               std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {});

}  // namespace sunbid::server::net
