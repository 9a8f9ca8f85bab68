#include "server/https_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "https_session.h"
#include "net.h"
#include "server/limits.h"
#include "tls_bio.h"
#include "tls_connection.h"

namespace sunbid::server {

using namespace net;  // NOLINT: this file is the listener of net's sessions
namespace ssl = asio::ssl;

struct HttpsServer::Impl {
  // One io_context and one thread per network thread; a connection stays on
  // the one it was given.
  struct Worker {
    asio::io_context ioc{1};
    std::thread thread;
  };

  Impl(ServerOptions o, Api& a) : options(std::move(o)), host(a, options.timeouts) {
    int n = std::max(1, options.threads);
    for (int i = 0; i < n; ++i) workers.push_back(std::make_unique<Worker>());
    acceptor.emplace(workers[0]->ioc.get_executor());
  }

  ServerOptions options;
  SessionHost host;  // what the sessions share (the Api, counters)
  std::uint16_t bound_port = 0;
  bool started = false;
  bool stopped = false;

  std::mutex ctx_mu;
  std::shared_ptr<ssl::context> tls;

  std::atomic<std::uint64_t> connections{0};

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

  Task<void> listen() {
    for (;;) {
      Worker& w = *workers[next_worker++ % workers.size()];
      auto [ec, socket] = co_await acceptor->async_accept(w.ioc, kTuple);
      if (ec) {
        if (!acceptor->is_open() || host.stopping.load()) co_return;
        // Out of descriptors and the like: wait a little instead of spinning.
        Timer t(acceptor->get_executor(), std::chrono::milliseconds(50));
        co_await t.async_wait(kTuple);
        continue;
      }
      if (connections.load() >= options.limits.max_connections || host.stopping.load()) {
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
      asio::co_spawn(ex, run_session(host, std::move(conn), peer),
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
      asio::post(c->socket.get_executor(), [c, only_idle] { close_connection(*c, only_idle); });
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
  return impl_->host.failed_handshakes.load();
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
  s.host.stopping.store(true);
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
  while (s.host.inflight.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
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
