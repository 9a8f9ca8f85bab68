// The HTTPS server: a listener accepting TCP connections, one session per
// connection (TLS handshake, HTTP/1.1 keep-alive, timeouts and size limits of
// limits.h), requests handed to the Api. Each network thread runs an
// io_context of its own; the listener deals connections out round-robin and
// a connection stays on its thread (no strand, no locking per request).
// OpenSSL reads and writes the socket itself; Asio waits for readiness.
//
// TLS: 1.2 minimum (1.3 preferred), TLS 1.2 suites ECDHE with AEAD only,
// server cipher order, no compression, no renegotiation. Every answer carries
// HSTS and the usual security headers. The ssl::context is built once; a
// reload builds a new one for new connections.
//
// Thread-safety: start/stop/reload_certificate from one controlling thread.
// Boost.Asio and Beast stay behind this header (pimpl).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "server/api.h"
#include "server/limits.h"
#include "server/tls.h"

namespace sunbid::server {

// Defaults are limits.h's; tests shorten them to see slow clients dropped.
struct ServerTimeouts {
  std::chrono::milliseconds handshake = limits::kHandshakeTimeout;
  std::chrono::milliseconds idle = limits::kIdleTimeout;
  std::chrono::milliseconds read = limits::kReadTimeout;
  std::chrono::milliseconds write = limits::kWriteTimeout;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0: an ephemeral port (tests)
  int threads = 2;
  CertificatePaths certificate;
  ServerTimeouts timeouts;
  // max_connections and max_connections_per_address apply here; a connection
  // beyond either is accepted and closed at once.
  limits::Settings limits;
  // Peers exempt from the per-address cap (their clients are told apart per
  // request by X-Forwarded-For): the Api's trusted_proxies.
  std::vector<std::string> trusted_proxies;
};

class HttpsServer {
 public:
  // REQUIRES: `api` outlives the server.
  HttpsServer(ServerOptions options, Api& api);
  ~HttpsServer();  // stops if still running
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Loads the certificate, binds, and starts the threads.
  // Errors `tls_config` (certificate or key unusable), `listen_failed`.
  Status start();
  // The bound port (after start).
  std::uint16_t port() const;
  // Builds a new TLS context from the certificate files; new connections use
  // it, established ones keep theirs. On error the old one stays.
  Status reload_certificate();
  // Stops accepting, lets in-flight requests finish (at most
  // limits::kShutdownGrace), closes idle connections, joins the threads.
  void stop();
  // Blocks until SIGTERM or SIGINT (then stop()s); SIGHUP reloads the
  // certificate. REQUIRES: start() succeeded.
  void run_until_signal();

  // Open connections now, and TLS handshakes that failed so far (for /metrics).
  std::uint64_t open_connections() const;
  std::uint64_t failed_handshakes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sunbid::server
