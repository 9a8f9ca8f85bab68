// TLS for the HTTPS server: the server's SSL_CTX (protocols, suites, modes,
// certificate) and the BIO through which OpenSSL reads and writes a
// connection's socket itself (as nginx does), instead of Asio's SSL stream
// and its memory BIO pair: no copy of every record through two 17 KiB
// buffers per direction, and no composed operation per record. Asio only
// waits for readiness (tls_connection.h).
//
// Thread-safety: make_tls_context is reentrant; socket_bio_method() is
// created once, thread-safely; a BIO is used by its connection's thread only.
#pragma once

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "audit_log/result.h"
#include "server/tls.h"

namespace sunbid::server::net {

// TLS 1.2 minimum (1.3 preferred), TLS 1.2 suites ECDHE with AEAD only,
// server cipher order, no compression, no renegotiation, read-ahead, and
// record buffers released while a connection is idle.
// Errors: `tls_config` (certificate or key unusable).
Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const CertificatePaths& paths);

// The BIO method whose data is a net::Socket*: reads with recv, writes with
// send(MSG_NOSIGNAL); EAGAIN sets the retry flags. The BIO holds the Socket,
// not its descriptor: once the socket is closed every call fails with
// EBADF, and a descriptor number reused by another connection is never
// written to. Null if OpenSSL could not create it.
const BIO_METHOD* socket_bio_method();

struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};

}  // namespace sunbid::server::net
