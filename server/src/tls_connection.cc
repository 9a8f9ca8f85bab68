#include "tls_connection.h"

#include <openssl/err.h>

#include <algorithm>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <climits>
#include <optional>

namespace sunbid::server::net {

namespace http = beast::http;

namespace {

// Waits for the connection's deadline, and closes the socket when it has
// passed: every pending wait then fails and the session ends. A deadline
// moved later (every request does) costs no timer operation; the timer wakes
// at the earlier instant, finds the deadline not reached and sleeps again.
void watch(std::shared_ptr<Conn> c) {
  Conn& conn = *c;
  conn.timer.expires_at(conn.armed);
  conn.timer.async_wait([c = std::move(c)](const boost::system::error_code& ec) mutable {
    if (ec) return;  // re-armed for an earlier instant, or the session ended
    if (Clock::now() < c->deadline) {
      c->armed = c->deadline;
      return watch(std::move(c));
    }
    c->armed = Clock::time_point::max();
    boost::system::error_code ignored;
    c->socket.close(ignored);
  });
}

// What one OpenSSL call asks for: done (n > 0), a wait for the socket, or
// the end (ec set).
struct TlsStep {
  std::size_t n = 0;
  std::optional<Socket::wait_type> wait;
  boost::system::error_code ec;
};

TlsStep tls_step(Conn& c, int r) {
  TlsStep s;
  if (r > 0) {
    s.n = static_cast<std::size_t>(r);
    return s;
  }
  switch (SSL_get_error(c.ssl.get(), r)) {
    case SSL_ERROR_WANT_READ:
      s.wait = Socket::wait_read;
      break;
    case SSL_ERROR_WANT_WRITE:
      s.wait = Socket::wait_write;
      break;
    case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify
      s.ec = asio::error::eof;
      break;
    default:  // a TCP close without close_notify, a reset, a TLS error
      c.tls_failed = true;
      s.ec = ssl::error::stream_truncated;
      break;
  }
  ERR_clear_error();
  return s;
}

Task<boost::system::error_code> wait_socket(Conn& c, Socket::wait_type w) {
  auto [ec] = co_await c.socket.async_wait(w, kTuple);
  co_return ec;
}

}  // namespace

// Clock::time_point::max(): no deadline (while the Api works on a request).
void set_deadline(const std::shared_ptr<Conn>& c, Clock::time_point t) {
  c->deadline = t;
  if (t < c->armed) {
    c->armed = t;
    watch(c);
  }
}

void set_timeout(const std::shared_ptr<Conn>& c, std::chrono::milliseconds d) {
  set_deadline(c, Clock::now() + d);
}

void end_deadline(Conn& c) {
  c.armed = Clock::time_point::max();
  c.deadline = Clock::time_point::max();
  c.timer.cancel();
}

// Writes all of `data` as TLS records.
Task<boost::system::error_code> tls_write(Conn& c, std::string_view data) {
  while (!data.empty()) {
    int len = static_cast<int>(std::min<std::size_t>(data.size(), INT_MAX));
    TlsStep s = tls_step(c, SSL_write(c.ssl.get(), data.data(), len));
    if (s.ec) co_return s.ec;
    if (s.wait) {
      auto ec = co_await wait_socket(c, *s.wait);
      if (ec) co_return ec;
      continue;
    }
    data.remove_prefix(s.n);
  }
  co_return boost::system::error_code{};
}

// Beast's http::async_read (or async_read_header) on the connection, with
// the same results: parses what the buffer holds first, reads more while the
// parser needs it; end_of_stream when the peer ends the stream before a
// message, partial_message when it ends one midway.
Task<boost::system::error_code> read_message(Conn& c, http::basic_parser<true>& parser,
                                             bool header_only) {
  auto done = [&] { return header_only ? parser.is_header_done() : parser.is_done(); };
  boost::system::error_code ec;
  while (!done()) {
    if (c.buffer.size() > 0) {
      c.buffer.consume(parser.put(c.buffer.data(), ec));
      if (ec != http::error::need_more) {
        if (ec) co_return ec;
        continue;
      }
      ec = {};
    }
    std::size_t size = beast::read_size(c.buffer, 65536);
    if (size == 0) co_return http::error::buffer_overflow;
    auto mb = c.buffer.prepare(size);
    TlsStep s = tls_step(c, SSL_read(c.ssl.get(), mb.data(), static_cast<int>(mb.size())));
    if (s.wait) {
      // An idle connection keeps no read buffer (a pipelined next request
      // already in it is kept).
      if (c.buffer.size() == 0) c.buffer.shrink_to_fit();
      auto wait_ec = co_await wait_socket(c, *s.wait);
      if (wait_ec) co_return wait_ec;
      continue;
    }
    if (s.ec == asio::error::eof) {
      if (!parser.got_some()) co_return http::error::end_of_stream;
      parser.put_eof(ec);
      co_return ec;
    }
    if (s.ec) co_return s.ec;
    c.buffer.commit(s.n);
  }
  co_return ec;
}

Task<bool> tls_handshake(Conn& conn) {
  conn.ssl.reset(SSL_new(conn.ctx->native_handle()));
  BIO* bio = conn.ssl ? BIO_new(socket_bio_method()) : nullptr;
  if (bio == nullptr) co_return false;
  BIO_set_data(bio, &conn.socket);
  BIO_set_init(bio, 1);
  SSL_set_bio(conn.ssl.get(), bio, bio);  // the SSL owns the BIO
  SSL_set_accept_state(conn.ssl.get());
  boost::system::error_code nb_ec;
  conn.socket.non_blocking(true, nb_ec);
  if (nb_ec) co_return false;
  for (;;) {
    TlsStep s = tls_step(conn, SSL_do_handshake(conn.ssl.get()));
    if (s.n > 0) co_return true;
    boost::system::error_code ec = s.ec;
    if (s.wait) ec = co_await wait_socket(conn, *s.wait);
    if (ec) {
      conn.tls_failed = true;
      co_return false;
    }
  }
}

Task<void> tls_shutdown(const std::shared_ptr<Conn>& conn) {
  if (conn->tls_failed || !conn->socket.is_open()) co_return;
  set_timeout(conn, std::chrono::seconds(5));
  for (;;) {
    int r = SSL_shutdown(conn->ssl.get());
    if (r == 1) break;
    // 0: ours is sent; the peer's is still to come.
    TlsStep s = r == 0 ? TlsStep{0, Socket::wait_read, {}} : tls_step(*conn, r);
    if (!s.wait) break;
    auto ec = co_await wait_socket(*conn, *s.wait);
    if (ec) break;
  }
}

}  // namespace sunbid::server::net
