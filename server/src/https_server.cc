#include "server/https_server.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/container/small_vector.hpp>
#include <cerrno>
#include <charconv>
#include <climits>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "server/error_response.h"
#include "server/limits.h"

namespace sunbid::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// Every connection lives on one io_context run by one thread, so the
// concrete executor is used throughout: no strand, no type-erased
// any_io_executor on each operation.
using Executor = asio::io_context::executor_type;
using Socket = tcp::socket::rebind_executor<Executor>::other;
using Acceptor = tcp::acceptor::rebind_executor<Executor>::other;
using Timer = asio::steady_timer::rebind_executor<Executor>::other;
template <class T>
using Task = asio::awaitable<T, Executor>;
using Clock = std::chrono::steady_clock;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable_t<Executor>{});

// TLS 1.2 suites: ECDHE key exchange with AEAD ciphers only. TLS 1.3 keeps
// OpenSSL's defaults (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Error tls_error(std::string what, const CertificatePaths& paths) {
  return make_error("tls_config", "TLS 配置无效 / the TLS configuration is unusable",
                    {{"reason", std::move(what)},
                     {"cert_file", paths.cert_file.string()},
                     {"key_file", paths.key_file.string()}});
}

Result<std::shared_ptr<ssl::context>> make_tls_context(const CertificatePaths& paths) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return tls_error("min protocol", paths);
  }
  SSL_CTX_set_options(
      native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) return tls_error("ciphers", paths);
  // An idle connection gives its TLS record buffers back (~34 KiB each):
  // most kept-alive connections are idle most of the time. Partial writes:
  // a large answer leaves record by record (tls_write loops).
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                               SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // Read whatever the socket holds, not a record header and then its body
  // (two system calls per record).
  SSL_CTX_set_read_ahead(native, 1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(paths.cert_file.string(), ec);
  if (ec) return tls_error("certificate: " + ec.message(), paths);
  ctx->use_private_key_file(paths.key_file.string(), ssl::context::pem, ec);
  if (ec) return tls_error("private key: " + ec.message(), paths);
  if (SSL_CTX_check_private_key(native) != 1) return tls_error("key does not match", paths);
  return ctx;
}

// OpenSSL reads and writes the connection's socket itself (as nginx does),
// instead of going through Asio's SSL stream and its memory BIO pair: no
// copy of every record through two 17 KiB buffers per direction, and no
// composed operation per record. Asio only waits for readiness.
//
// The BIO holds the Socket, not its descriptor: once the socket is closed
// (a deadline) every call fails with EBADF, and a descriptor number reused
// by another connection is never written to. send() with MSG_NOSIGNAL: a
// peer that went away is an error, not a SIGPIPE.
int socket_bio_write(BIO* b, const char* data, int len) {
  BIO_clear_retry_flags(b);
  int fd = static_cast<Socket*>(BIO_get_data(b))->native_handle();
  ssize_t n = ::send(fd, data, static_cast<std::size_t>(len), MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) BIO_set_retry_write(b);
    return -1;
  }
  return static_cast<int>(n);
}

int socket_bio_read(BIO* b, char* data, int len) {
  BIO_clear_retry_flags(b);
  int fd = static_cast<Socket*>(BIO_get_data(b))->native_handle();
  ssize_t n = ::recv(fd, data, static_cast<std::size_t>(len), 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) BIO_set_retry_read(b);
    return -1;
  }
  return static_cast<int>(n);
}

long socket_bio_ctrl(BIO*, int cmd, long, void*) {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;  // nothing is buffered here
}

const BIO_METHOD* socket_bio_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sunbid socket");
    if (m == nullptr) return m;
    BIO_meth_set_write(m, socket_bio_write);
    BIO_meth_set_read(m, socket_bio_read);
    BIO_meth_set_ctrl(m, socket_bio_ctrl);
    return m;
  }();
  return method;
}

struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};

// One TLS connection. Touched only by its io_context's thread, except `ctx`
// (immutable).
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

// The answer exactly as Beast's serializer wrote it for the
// http::response<string_body> built from it (fields in that order: the
// content type, the Api's headers, the security headers, Connection, then
// Content-Length; a field set twice keeps its last value, at the end), header
// and body in one buffer, so that a small answer leaves as one TLS record.
// `extra` is set after all of them.
void serialize(std::string& out, const Response& r, unsigned version, bool keep_alive,
               std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
  struct Field {
    std::string_view name, value;
  };
  boost::container::small_vector<Field, 16> fields;
  auto set = [&](std::string_view name, std::string_view value) {
    auto same = [&](const Field& f) { return beast::iequals(f.name, name); };
    fields.erase(std::remove_if(fields.begin(), fields.end(), same), fields.end());
    fields.push_back({name, value});
  };
  if (!r.content_type.empty()) set("Content-Type", r.content_type);
  for (const auto& [k, v] : r.headers) set(k, v);
  set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  set("X-Content-Type-Options", "nosniff");
  set("X-Frame-Options", "DENY");
  set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  set("Referrer-Policy", "no-referrer");
  if (version >= 11 && !keep_alive) set("Connection", "close");
  if (version < 11 && keep_alive) set("Connection", "keep-alive");
  // No Content-Length on answers that cannot have a body (Beast's
  // prepare_payload; the Api gives them none).
  const bool bodiless = r.status / 100 == 1 || r.status == 204 || r.status == 304;
  char length[24];
  if (!bodiless) {
    auto [end, ec] = std::to_chars(length, length + sizeof length, r.body.size());
    set("Content-Length", std::string_view(length, static_cast<std::size_t>(end - length)));
  }
  for (const auto& [k, v] : extra) set(k, v);

  out.clear();
  const unsigned code = static_cast<unsigned>(r.status);
  // "HTTP/X.Y ### <reason>", as Beast writes it for any version and code.
  auto digit = [](unsigned d) { return static_cast<char>('0' + d % 10); };
  out.append("HTTP/");
  out += digit(version / 10);
  out += '.';
  out += digit(version);
  out += ' ';
  out += digit(code / 100);
  out += digit(code / 10);
  out += digit(code);
  out += ' ';
  out.append(http::obsolete_reason(static_cast<http::status>(code)));
  out.append("\r\n");
  for (const Field& f : fields) {
    out.append(f.name);
    out.append(": ");
    out.append(f.value);
    out.append("\r\n");
  }
  out.append("\r\n");
  out.append(r.body);
}

}  // namespace

struct HttpsServer::Impl {
  // One io_context and one thread per network thread; a connection stays on
  // the one it was given.
  struct Worker {
    asio::io_context ioc{1};
    std::thread thread;
  };

  Impl(ServerOptions o, Api& a) : options(std::move(o)), api(a) {
    int n = std::max(1, options.threads);
    for (int i = 0; i < n; ++i) workers.push_back(std::make_unique<Worker>());
    acceptor.emplace(workers[0]->ioc.get_executor());
  }

  ServerOptions options;
  Api& api;
  std::uint16_t bound_port = 0;
  bool started = false;
  bool stopped = false;

  std::mutex ctx_mu;
  std::shared_ptr<ssl::context> tls;

  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> failed_handshake_count{0};
  std::atomic<std::uint64_t> inflight{0};  // requests handed to the Api, not yet answered

  std::mutex conns_mu;
  std::uint64_t next_conn_id = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<Conn>> conns;
  // Open connections per peer address (under conns_mu); trusted proxies are
  // not counted.
  std::unordered_map<std::string, std::size_t> per_address;

  bool is_trusted_proxy(const std::string& peer) const {
    const auto& t = options.trusted_proxies;
    return std::find(t.begin(), t.end(), peer) != t.end();
  }

  // Last: destroyed first, with the sessions they still hold.
  std::vector<std::unique_ptr<Worker>> workers;
  std::optional<Acceptor> acceptor;  // on workers[0]
  std::size_t next_worker = 0;       // listener only

  std::shared_ptr<ssl::context> context() {
    std::lock_guard lock(ctx_mu);
    return tls;
  }

  // One request handed to the Api.
  struct ApiCall {
    std::thread::id thread = std::this_thread::get_id();
    bool inside = true;  // read only on `thread`
    std::optional<Response> answer;
    std::function<void(Response)> resume;
  };

  // Hands `req` to the Api. A GET answered from the view cache comes back on
  // this thread before handle_async returns: then `call->answer` holds it
  // and no trip through the io_context is needed. An answer from the
  // ledger's or a worker's thread is posted to the connection's io_context
  // and awaited with later_answer().
  void start_api(Conn& conn, Request req, const std::shared_ptr<ApiCall>& call) {
    inflight.fetch_add(1);
    auto ex = conn.socket.get_executor();
    api.handle_async(std::move(req), [this, call, ex](Response r) {
      if (std::this_thread::get_id() == call->thread && call->inside) {
        call->answer = std::move(r);
      } else {
        // Runs after the session has suspended in later_answer (one thread
        // runs the io_context), so `resume` is set by then.
        asio::post(ex, [call, r = std::move(r)]() mutable { call->resume(std::move(r)); });
      }
      inflight.fetch_sub(1);
    });
    call->inside = false;
    // Whatever OpenSSL work the Api did on this thread leaves nothing in the
    // error queue that the next TLS call would take for its own.
    ERR_clear_error();
  }

  static Task<Response> later_answer(std::shared_ptr<ApiCall> call) {
    return asio::async_initiate<const asio::use_awaitable_t<Executor>, void(Response)>(
        [call = std::move(call)](auto handler) {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          call->resume = [h](Response r) { (*h)(std::move(r)); };
        },
        asio::use_awaitable_t<Executor>{});
  }

  Task<void> write_error(const std::shared_ptr<Conn>& conn, const Error& error, unsigned version) {
    serialize(conn->out, error_response(error), version, false, {{"Cache-Control", "no-store"}});
    set_timeout(conn, options.timeouts.write);
    co_await tls_write(*conn, conn->out);
  }

  Task<void> run_session(std::shared_ptr<Conn> conn, std::string peer) {
    // The timer's pending wait holds the connection: it is cancelled however
    // the session ends.
    std::exception_ptr failure;
    try {
      co_await serve(conn, std::move(peer));
    } catch (...) {
      failure = std::current_exception();
    }
    end_deadline(*conn);
    if (failure) std::rethrow_exception(failure);
  }

  Task<void> serve(const std::shared_ptr<Conn>& conn, std::string peer) {
    set_timeout(conn, options.timeouts.handshake);
    // (No co_await inside a condition or a ?: here: g++ 12 miscompiles some.)
    bool shaken = co_await handshake(*conn);
    if (!shaken) {  // not TLS, a refused protocol or suite, or too slow
      failed_handshake_count.fetch_add(1);
      co_return;
    }

    for (std::uint32_t served = 0; served < limits::kMaxRequestsPerConnection; ++served) {
      if (stopping.load()) break;
      http::request_parser<http::string_body> parser;
      parser.header_limit(limits::kMaxHeaderBytes);
      // No body limit while the header is read: Beast would fail the header
      // read itself on a large Content-Length (a 400), whereas the answer is
      // a 413 from the route's own limit, checked right after the header.
      parser.body_limit(boost::none);
      set_timeout(conn, options.timeouts.idle);
      auto hdr_ec = co_await read_message(*conn, parser, true);
      if (hdr_ec) {
        if (hdr_ec == http::error::body_limit) {
          co_await write_error(
              conn, make_error("body_too_large", "请求体过大 / the request body is too large"), 11);
        } else if (hdr_ec == http::error::header_limit) {
          co_await write_error(
              conn, make_error("header_too_large", "请求头过大 / the request header is too large"),
              11);
        } else if (hdr_ec.category() ==
                       boost::system::error_code(http::error::end_of_stream).category() &&
                   hdr_ec != http::error::end_of_stream && hdr_ec != http::error::partial_message) {
          co_await write_error(
              conn, make_error("bad_request", "HTTP 请求无效 / malformed HTTP request"), 11);
        }
        break;
      }
      conn->busy = true;
      auto& head = parser.get();
      unsigned version = head.version();
      // Authenticated on the header before any of the body is read: an
      // anonymous caller may send only a small body (security A11). A
      // request without a body (most GETs) skips the lookup.
      const bool has_body =
          parser.chunked() || (parser.content_length() && *parser.content_length() > 0);
      std::uint64_t limit = 0;
      if (has_body) {
        Request head_only;
        head_only.method = std::string(head.method_string());
        head_only.target = std::string(head.target());
        head_only.authorization = std::string(head[http::field::authorization]);
        limit = api.body_limit(head_only);
      }
      auto too_large = [&] {
        return make_error("body_too_large", "请求体过大 / the request body is too large",
                          {{"limit_bytes", static_cast<std::int64_t>(limit)}});
      };
      if (parser.content_length() && *parser.content_length() > limit) {
        co_await write_error(conn, too_large(), version);
        break;
      }
      parser.body_limit(limit);
      set_timeout(conn, options.timeouts.read);
      auto body_ec = co_await read_message(*conn, parser, false);
      if (body_ec) {
        if (body_ec == http::error::body_limit) co_await write_error(conn, too_large(), version);
        break;
      }
      auto msg = parser.release();
      bool keep_alive = msg.keep_alive();
      Request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      req.authorization = std::string(msg[http::field::authorization]);
      req.content_type = std::string(msg[http::field::content_type]);
      // Every X-Forwarded-For field, joined: a proxy may append a field of
      // its own rather than extend the client's (security B1).
      for (const auto& field : msg) {
        if (!beast::iequals(field.name_string(), "X-Forwarded-For")) continue;
        if (!req.x_forwarded_for.empty()) req.x_forwarded_for += ", ";
        req.x_forwarded_for.append(field.value().data(), field.value().size());
      }
      req.body = std::move(msg.body());
      req.peer_address = peer;
      // The Api's work is not timed (as before: only reads and writes are).
      set_deadline(conn, Clock::time_point::max());
      auto call = std::make_shared<ApiCall>();
      start_api(*conn, std::move(req), call);
      Response resp;
      if (call->answer) {
        resp = std::move(*call->answer);
      } else {
        resp = co_await later_answer(call);
      }
      keep_alive = keep_alive && !stopping.load() && served + 1 < limits::kMaxRequestsPerConnection;
      serialize(conn->out, resp, version, keep_alive);
      set_timeout(conn, options.timeouts.write);
      auto wr_ec = co_await tls_write(*conn, conn->out);
      conn->busy = false;
      if (conn->out.capacity() > 64 * 1024) conn->out = std::string();  // keep no large answer
      if (wr_ec || !keep_alive) break;
    }
    if (conn->tls_failed || !conn->socket.is_open()) co_return;
    // close_notify, then the peer's (or its close), as Asio's async_shutdown.
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

  // The TLS handshake on the connection's socket; false when it failed.
  Task<bool> handshake(Conn& conn) {
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

  Task<void> listen() {
    for (;;) {
      Worker& w = *workers[next_worker++ % workers.size()];
      auto [ec, socket] = co_await acceptor->async_accept(w.ioc, kTuple);
      if (ec) {
        if (!acceptor->is_open() || stopping.load()) co_return;
        // Out of descriptors and the like: wait a little instead of spinning.
        Timer t(acceptor->get_executor(), std::chrono::milliseconds(50));
        co_await t.async_wait(kTuple);
        continue;
      }
      if (connections.load() >= options.limits.max_connections || stopping.load()) {
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      boost::system::error_code ep_ec;
      auto ep = socket.remote_endpoint(ep_ec);
      std::string peer = ep_ec ? std::string() : ep.address().to_string();
      const bool counted = !is_trusted_proxy(peer);
      {
        // One address may not hold every slot (security A11).
        std::lock_guard lock(conns_mu);
        if (counted && per_address[peer] >= options.limits.max_connections_per_address) {
          boost::system::error_code ignored;
          socket.close(ignored);
          continue;
        }
      }
      // Without TCP_NODELAY an answer can wait for the client's delayed ACK
      // of the previous segment (~40 ms).
      boost::system::error_code opt_ec;
      socket.set_option(tcp::no_delay(true), opt_ec);
      auto conn = std::make_shared<Conn>(std::move(socket), context());
      std::uint64_t id;
      {
        std::lock_guard lock(conns_mu);
        id = next_conn_id++;
        conns.emplace(id, conn);
        if (counted) ++per_address[peer];
      }
      connections.fetch_add(1);
      auto ex = conn->socket.get_executor();
      asio::co_spawn(ex, run_session(std::move(conn), peer),
                     [this, id, peer, counted](std::exception_ptr) {
                       {
                         std::lock_guard lock(conns_mu);
                         conns.erase(id);
                         if (counted) {
                           auto it = per_address.find(peer);
                           if (it != per_address.end() && --it->second == 0) per_address.erase(it);
                         }
                       }
                       connections.fetch_sub(1);
                     });
    }
  }

  // Closes connections; with `only_idle`, those waiting between requests.
  void close_connections(bool only_idle) {
    std::vector<std::shared_ptr<Conn>> live;
    {
      std::lock_guard lock(conns_mu);
      for (auto& [id, w] : conns) {
        if (auto c = w.lock()) live.push_back(std::move(c));
      }
    }
    for (auto& c : live) {
      asio::post(c->socket.get_executor(), [c, only_idle] {
        if (only_idle && c->busy) return;
        boost::system::error_code ignored;
        c->socket.cancel(ignored);
      });
    }
  }
};

HttpsServer::HttpsServer(ServerOptions options, Api& api)
    : impl_(std::make_unique<Impl>(std::move(options), api)) {}

HttpsServer::~HttpsServer() {
  stop();
}

Status HttpsServer::start() {
  Impl& s = *impl_;
  SUNBID_ASSIGN_OR_RETURN(s.tls, make_tls_context(s.options.certificate));
  boost::system::error_code ec;
  auto address = asio::ip::make_address(s.options.address, ec);
  auto listen_error = [&](std::string what) {
    return make_error("listen_failed", "无法监听 / cannot listen",
                      {{"address", s.options.address},
                       {"port", static_cast<std::int64_t>(s.options.port)},
                       {"reason", std::move(what)}});
  };
  if (ec) return listen_error("address: " + ec.message());
  tcp::endpoint ep(address, s.options.port);
  s.acceptor->open(ep.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(ep, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return listen_error(ec.message());
  s.bound_port = s.acceptor->local_endpoint().port();
  asio::co_spawn(s.acceptor->get_executor(), s.listen(), asio::detached);
  for (auto& w : s.workers) {
    w->thread = std::thread([&ioc = w->ioc] {
      // Runs until stop(), also while no connection is open.
      auto work = asio::make_work_guard(ioc);
      ioc.run();
    });
  }
  s.started = true;
  return {};
}

std::uint16_t HttpsServer::port() const {
  return impl_->bound_port;
}

std::uint64_t HttpsServer::open_connections() const {
  return impl_->connections.load();
}

std::uint64_t HttpsServer::failed_handshakes() const {
  return impl_->failed_handshake_count.load();
}

Status HttpsServer::reload_certificate() {
  SUNBID_ASSIGN_OR_RETURN(auto ctx, make_tls_context(impl_->options.certificate));
  std::lock_guard lock(impl_->ctx_mu);
  impl_->tls = std::move(ctx);
  return {};
}

void HttpsServer::stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.stopping.store(true);
  asio::post(s.acceptor->get_executor(), [&s] {
    boost::system::error_code ignored;
    s.acceptor->close(ignored);
  });
  // Idle connections go now; busy ones finish their request (answered with
  // Connection: close) within the grace period.
  auto deadline = std::chrono::steady_clock::now() + limits::kShutdownGrace;
  while (s.connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    s.close_connections(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  s.close_connections(false);
  // A request already handed to the ledger is answered (its callback posts
  // to a worker's io_context) before the io_contexts may go away.
  while (s.inflight.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  for (auto& w : s.workers) w->ioc.stop();
  for (auto& w : s.workers) w->thread.join();
}

void HttpsServer::run_until_signal() {
  asio::io_context sig_ioc;
  asio::signal_set signals(sig_ioc, SIGINT, SIGTERM, SIGHUP);
  for (;;) {
    int received = 0;
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (!ec) received = sig;
    });
    sig_ioc.restart();
    sig_ioc.run_one();
    if (received == SIGHUP) {
      auto st = reload_certificate();
      if (st.ok()) {
        std::fprintf(stderr, "sunbid: 证书已重新加载 / certificate reloaded\n");
      } else {
        std::fprintf(stderr, "sunbid: %s\n", st.error().to_string().c_str());
      }
      continue;
    }
    if (received == SIGINT || received == SIGTERM) break;
  }
  std::fprintf(stderr, "sunbid: 正在停止 / stopping: finishing in-flight requests\n");
  stop();
}

}  // namespace sunbid::server
