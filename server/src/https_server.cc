#include "server/https_server.h"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <csignal>
#include <cstdio>
#include <mutex>
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

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

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
  // most kept-alive connections are idle most of the time.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(paths.cert_file.string(), ec);
  if (ec) return tls_error("certificate: " + ec.message(), paths);
  ctx->use_private_key_file(paths.key_file.string(), ssl::context::pem, ec);
  if (ec) return tls_error("private key: " + ec.message(), paths);
  if (SSL_CTX_check_private_key(native) != 1) return tls_error("key does not match", paths);
  return ctx;
}

// One TLS connection. Touched only on its strand, except `ctx` (immutable).
struct Conn {
  Conn(tcp::socket socket, std::shared_ptr<ssl::context> c)
      : ctx(std::move(c)), stream(std::move(socket), *ctx) {}
  std::shared_ptr<ssl::context> ctx;  // kept alive for this connection
  beast::ssl_stream<beast::tcp_stream> stream;
  bool busy = false;  // between a request's headers and its response
};

void add_security_headers(http::response<http::string_body>& res) {
  res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  res.set("Referrer-Policy", "no-referrer");
}

http::response<http::string_body> to_beast(Response r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res.set(k, v);
  add_security_headers(res);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace

struct HttpsServer::Impl {
  Impl(ServerOptions o, Api& a)
      : options(std::move(o)),
        api(a),
        listener_strand(asio::make_strand(ioc)),
        acceptor(listener_strand) {}

  ServerOptions options;
  Api& api;
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> listener_strand;
  tcp::acceptor acceptor;
  std::uint16_t bound_port = 0;
  std::vector<std::thread> threads;
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

  std::shared_ptr<ssl::context> context() {
    std::lock_guard lock(ctx_mu);
    return tls;
  }

  // The Api's answer, resumed on the session's strand.
  asio::awaitable<Response> call_api(Request req) {
    inflight.fetch_add(1);
    return asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
        [this, req = std::move(req)](auto handler) mutable {
          auto ex = asio::get_associated_executor(handler);
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          api.handle_async(std::move(req), [this, h, ex](Response r) {
            asio::post(ex, [h, r = std::move(r)]() mutable { (*h)(std::move(r)); });
            inflight.fetch_sub(1);
          });
        },
        asio::use_awaitable);
  }

  asio::awaitable<void> write_error(Conn& conn, const Error& error, unsigned version) {
    auto res = to_beast(error_response(error), version, false);
    res.set("Cache-Control", "no-store");
    beast::get_lowest_layer(conn.stream).expires_after(options.timeouts.write);
    co_await http::async_write(conn.stream, res, kTuple);
  }

  asio::awaitable<void> run_session(std::shared_ptr<Conn> conn, std::string peer) {
    auto& stream = conn->stream;
    beast::get_lowest_layer(stream).expires_after(options.timeouts.handshake);
    auto [hs_ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
    if (hs_ec) {  // not TLS, a refused protocol or suite, or too slow
      failed_handshake_count.fetch_add(1);
      co_return;
    }

    beast::flat_buffer buffer;
    for (std::uint32_t served = 0; served < limits::kMaxRequestsPerConnection; ++served) {
      if (stopping.load()) break;
      // Between requests an idle connection keeps no read buffer (a
      // pipelined next request still in it is kept).
      if (buffer.size() == 0) buffer.shrink_to_fit();
      http::request_parser<http::string_body> parser;
      parser.header_limit(limits::kMaxHeaderBytes);
      // No body limit while the header is read: Beast would fail the header
      // read itself on a large Content-Length (a 400), whereas the answer is
      // a 413 from the route's own limit, checked right after the header.
      parser.body_limit(boost::none);
      beast::get_lowest_layer(stream).expires_after(options.timeouts.idle);
      auto [hdr_ec, hdr_n] = co_await http::async_read_header(stream, buffer, parser, kTuple);
      if (hdr_ec) {
        if (hdr_ec == http::error::body_limit) {
          co_await write_error(
              *conn, make_error("body_too_large", "请求体过大 / the request body is too large"),
              11);
        } else if (hdr_ec == http::error::header_limit) {
          co_await write_error(
              *conn, make_error("header_too_large", "请求头过大 / the request header is too large"),
              11);
        } else if (hdr_ec.category() ==
                       boost::system::error_code(http::error::end_of_stream).category() &&
                   hdr_ec != http::error::end_of_stream && hdr_ec != http::error::partial_message) {
          co_await write_error(
              *conn, make_error("bad_request", "HTTP 请求无效 / malformed HTTP request"), 11);
        }
        break;
      }
      conn->busy = true;
      auto& head = parser.get();
      unsigned version = head.version();
      std::uint64_t limit = limits::body_limit_for(std::string_view(head.method_string()),
                                                   std::string_view(head.target()));
      auto too_large = [&] {
        return make_error("body_too_large", "请求体过大 / the request body is too large",
                          {{"limit_bytes", static_cast<std::int64_t>(limit)}});
      };
      if (parser.content_length() && *parser.content_length() > limit) {
        co_await write_error(*conn, too_large(), version);
        break;
      }
      parser.body_limit(limit);
      beast::get_lowest_layer(stream).expires_after(options.timeouts.read);
      auto [body_ec, body_n] = co_await http::async_read(stream, buffer, parser, kTuple);
      if (body_ec) {
        if (body_ec == http::error::body_limit) co_await write_error(*conn, too_large(), version);
        break;
      }
      auto msg = parser.release();
      bool keep_alive = msg.keep_alive();
      Request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      req.authorization = std::string(msg[http::field::authorization]);
      req.content_type = std::string(msg[http::field::content_type]);
      req.x_forwarded_for = std::string(msg["X-Forwarded-For"]);
      req.body = std::move(msg.body());
      req.peer_address = peer;
      Response resp = co_await call_api(std::move(req));
      keep_alive = keep_alive && !stopping.load() && served + 1 < limits::kMaxRequestsPerConnection;
      auto res = to_beast(std::move(resp), version, keep_alive);
      beast::get_lowest_layer(stream).expires_after(options.timeouts.write);
      auto [wr_ec, wr_n] = co_await http::async_write(stream, res, kTuple);
      conn->busy = false;
      if (wr_ec || !keep_alive) break;
    }
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
    co_await stream.async_shutdown(kTuple);
  }

  asio::awaitable<void> listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
      if (ec) {
        if (!acceptor.is_open() || stopping.load()) co_return;
        // Out of descriptors and the like: wait a little instead of spinning.
        asio::steady_timer t(listener_strand, std::chrono::milliseconds(50));
        co_await t.async_wait(kTuple);
        continue;
      }
      if (connections.load() >= limits::kMaxConnections || stopping.load()) {
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      // Responses leave in several TLS records; without TCP_NODELAY the last
      // one can wait for the client's delayed ACK (~40 ms).
      boost::system::error_code opt_ec;
      socket.set_option(tcp::no_delay(true), opt_ec);
      boost::system::error_code ep_ec;
      auto ep = socket.remote_endpoint(ep_ec);
      std::string peer = ep_ec ? std::string() : ep.address().to_string();
      auto conn = std::make_shared<Conn>(std::move(socket), context());
      std::uint64_t id;
      {
        std::lock_guard lock(conns_mu);
        id = next_conn_id++;
        conns.emplace(id, conn);
      }
      connections.fetch_add(1);
      auto ex = conn->stream.get_executor();
      asio::co_spawn(ex, run_session(std::move(conn), std::move(peer)),
                     [this, id](std::exception_ptr) {
                       {
                         std::lock_guard lock(conns_mu);
                         conns.erase(id);
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
      asio::post(c->stream.get_executor(), [c, only_idle] {
        if (only_idle && c->busy) return;
        beast::get_lowest_layer(c->stream).cancel();
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
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return listen_error(ec.message());
  s.bound_port = s.acceptor.local_endpoint().port();
  asio::co_spawn(s.listener_strand, s.listen(), asio::detached);
  int n = std::max(1, s.options.threads);
  for (int i = 0; i < n; ++i) s.threads.emplace_back([&s] { s.ioc.run(); });
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
  asio::post(s.listener_strand, [&s] {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
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
  // to this io_context) before the io_context may go away.
  while (s.inflight.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
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
