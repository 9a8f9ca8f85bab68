// One TLS connection of the HTTPS server and its I/O: the deadline that
// closes a slow or idle connection, the TLS handshake, reads of an HTTP
// message and writes of TLS records through the socket BIO (tls_bio.h), and
// the close_notify exchange. Asio only waits for the socket's readiness.
//
// Thread-safety: a Conn and these functions are used only on the thread
// that runs the connection's io_context, except `ctx` (immutable).
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "net.h"
#include "tls_bio.h"

namespace sunbid::server::net {

// One TLS connection. Touched only by its io_context's thread, except `ctx`
// (immutable).
namespace ssl = asio::ssl;
namespace beast = boost::beast;

struct Conn {
  Conn(Socket s, std::shared_ptr<ssl::context> c)
      : ctx(std::move(c)), socket(std::move(s)), timer(socket.get_executor()) {}
  std::shared_ptr<ssl::context> ctx;  // kept alive for this connection
  Socket socket;
  std::unique_ptr<SSL, SslDeleter> ssl;
  // The session's deadline, and the instant the timer is armed for (max:
  // not armed). See set_deadline.
  Timer timer;
  Clock::time_point deadline = Clock::time_point::max();
  Clock::time_point armed = Clock::time_point::max();
  bool tls_failed = false;  // OpenSSL reported a fatal error: no close_notify
  bool busy = false;        // between a request's headers and its response
  beast::flat_buffer buffer;
  std::string out;  // the serialized answer; its capacity is reused
};

// Sets the connection's deadline; when it passes the socket is closed and
// every pending wait fails. Clock::time_point::max(): no deadline (while the
// Api works on a request). A deadline moved later (every request does)
// costs no timer operation.
void set_deadline(const std::shared_ptr<Conn>& c, Clock::time_point t);
void set_timeout(const std::shared_ptr<Conn>& c, std::chrono::milliseconds d);
// Disarms the deadline for good (the session ended).
void end_deadline(Conn& c);

// The TLS handshake on the connection's socket; false when it failed (not
// TLS, a refused protocol or suite), with `tls_failed` set when OpenSSL
// reported a fatal error.
Task<bool> tls_handshake(Conn& c);

// Writes all of `data` as TLS records.
Task<boost::system::error_code> tls_write(Conn& c, std::string_view data);

// Beast's http::async_read (or async_read_header) on the connection, with
// the same results: parses what the buffer holds first, reads more while the
// parser needs it; end_of_stream when the peer ends the stream before a
// message, partial_message when it ends one midway.
Task<boost::system::error_code> read_message(Conn& c,
                                             boost::beast::http::basic_parser<true>& parser,
                                             bool header_only);

// close_notify, then the peer's (or its close), as Asio's async_shutdown.
// Nothing when the connection failed or its socket is closed.
Task<void> tls_shutdown(const std::shared_ptr<Conn>& c);

}  // namespace sunbid::server::net
