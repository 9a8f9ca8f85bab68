// HTTPS server throughput on loopback, in-process: C client threads, each on
// one kept-alive TLS connection, send GET /api/v1/health (the cheapest
// request: the cost is TLS, HTTP parsing and the router) and then
// GET /api/v1/audit/entries pages; then logins with the production scrypt
// parameters (N=2^15, r=8, p=1), each a ledger commit.
//
// Usage: bench_https_api [--threads N] [--clients C] [--seconds S] [--logins L]
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "accounts/accounts.h"
#include "audit_log/ledger.h"
#include "server/api.h"
#include "server/https_server.h"
#include "server/migrations.h"
#include "server/tls.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace sunbid;
using Steady = std::chrono::steady_clock;

namespace {

struct Stats {
  std::vector<double> latencies_us;
  std::uint64_t errors = 0;
};

Stats run_clients(std::uint16_t port, const std::string& ca, int clients, double seconds,
                  const std::string& target) {
  std::vector<Stats> per(clients);
  std::vector<std::thread> threads;
  auto deadline = Steady::now() + std::chrono::duration<double>(seconds);
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      asio::io_context ioc;
      ssl::context ctx(ssl::context::tls_client);
      ctx.load_verify_file(ca);
      ctx.set_verify_mode(ssl::verify_peer);
      std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> conn;
      // A new connection whenever the server says Connection: close.
      auto connect = [&] {
        conn = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, ctx);
        SSL_set_tlsext_host_name(conn->native_handle(), "localhost");
        beast::get_lowest_layer(*conn).connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        beast::get_lowest_layer(*conn).socket().set_option(tcp::no_delay(true));
        conn->handshake(ssl::stream_base::client);
      };
      connect();
      beast::flat_buffer buf;
      http::request<http::empty_body> req{http::verb::get, target, 11};
      req.set(http::field::host, "localhost");
      while (Steady::now() < deadline) {
        auto t0 = Steady::now();
        boost::system::error_code ec;
        http::write(*conn, req, ec);
        http::response<http::string_body> res;
        if (!ec) http::read(*conn, buf, res, ec);
        if (ec) {
          std::fprintf(stderr, "client %d after %zu requests: %s\n", i, per[i].latencies_us.size(),
                       ec.message().c_str());
          ++per[i].errors;
          break;
        }
        if (res.result_int() != 200) ++per[i].errors;
        per[i].latencies_us.push_back(
            std::chrono::duration<double, std::micro>(Steady::now() - t0).count());
        if (!res.keep_alive()) {
          buf.clear();
          connect();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  Stats all;
  for (auto& s : per) {
    all.latencies_us.insert(all.latencies_us.end(), s.latencies_us.begin(), s.latencies_us.end());
    all.errors += s.errors;
  }
  std::sort(all.latencies_us.begin(), all.latencies_us.end());
  return all;
}

void report(const char* what, const Stats& s, double seconds) {
  auto pct = [&](double p) {
    if (s.latencies_us.empty()) return 0.0;
    return s.latencies_us[static_cast<std::size_t>(p * (s.latencies_us.size() - 1))];
  };
  std::printf("%-28s %9.0f req/s  p50 %7.0f us  p99 %7.0f us  errors %llu\n", what,
              s.latencies_us.size() / seconds, pct(0.5), pct(0.99),
              static_cast<unsigned long long>(s.errors));
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int threads = 2, clients = 8, logins = 20;
  double seconds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--threads") threads = std::atoi(argv[i + 1]);
    if (a == "--clients") clients = std::atoi(argv[i + 1]);
    if (a == "--seconds") seconds = std::atof(argv[i + 1]);
    if (a == "--logins") logins = std::atoi(argv[i + 1]);
  }
  auto dir =
      std::filesystem::temp_directory_path() / ("sunbid-bench-https-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    audit::LedgerOptions lo;
    lo.data_dir = dir;
    lo.migrations = server::all_migrations();
    auto ledger = audit::Ledger::open(std::move(lo));
    if (!ledger.ok()) {
      std::fprintf(stderr, "%s\n", ledger.error().to_string().c_str());
      return 1;
    }
    accounts::NewAccount admin{"root", accounts::Role::kAdmin, "root", {}, {}, {}};
    auto hash = accounts::hash_password("correct horse battery", accounts::ScryptParams{});
    Status st = (*ledger)->execute([&](audit::WriteTxn& txn) -> Status {
      for (int i = 0; i < 200; ++i) {  // some entries for the page reads
        admin.username = "user" + std::to_string(i);
        SUNBID_TRY(accounts::create_account(txn, admin, *hash, accounts::Actor{}));
      }
      admin.username = "root";
      SUNBID_TRY(accounts::create_account(txn, admin, *hash, accounts::Actor{}));
      return {};
    });
    if (!st.ok()) return 1;
    (void)(*ledger)->publish_checkpoint();
    server::ApiOptions ao;
    ao.ledger = ledger->get();
    const server::limits::Settings ao_limits = ao.limits;
    server::Api api(std::move(ao));
    auto cert = server::ensure_self_signed_certificate(dir);
    server::ServerOptions so;
    so.port = 0;
    so.threads = threads;
    so.certificate = *cert;
    server::HttpsServer https(so, api);
    if (!https.start().ok()) return 1;
    std::printf("server threads %d, clients %d, %.0f s each, TLS 1.3 keep-alive\n", threads,
                clients, seconds);
    // The settings it runs with: limits.h's defaults (one client address,
    // `clients` connections, below max_connections_per_address).
    std::printf(
        "limits: defaults (max_connections_per_address %zu, login_threads %d, "
        "max_page_bytes %llu)\n",
        so.limits.max_connections_per_address, ao_limits.login_threads,
        static_cast<unsigned long long>(ao_limits.max_page_bytes));
    std::string ca = cert->cert_file.string();
    report("GET /health", run_clients(https.port(), ca, clients, seconds, "/api/v1/health"),
           seconds);
    report("GET /audit/entries (100)",
           run_clients(https.port(), ca, clients, seconds, "/api/v1/audit/entries?start=0&end=100"),
           seconds);
    report(
        "GET /audit/proof/inclusion",
        run_clients(https.port(), ca, clients, seconds, "/api/v1/audit/proof/inclusion?index=17"),
        seconds);

    // Logins: scrypt on the network threads, then one ledger commit each.
    auto t0 = Steady::now();
    std::atomic<int> ok{0};
    std::vector<std::thread> ts;
    for (int c = 0; c < clients; ++c) {
      ts.emplace_back([&, c] {
        for (int i = c; i < logins; i += clients) {
          server::Request r;
          r.method = "POST";
          r.target = "/api/v1/sessions";
          r.peer_address = "10.0.0." + std::to_string(i % 250);
          r.body = R"({"username":"user)" + std::to_string(i % 200) +
                   R"(","password":"correct horse battery"})";
          if (api.handle(r).status == 201) ++ok;
        }
      });
    }
    for (auto& t : ts) t.join();
    double s = std::chrono::duration<double>(Steady::now() - t0).count();
    std::printf("%-28s %9.1f logins/s (%d ok of %d; scrypt N=2^15 r=8 p=1, no socket)\n",
                "POST /sessions", ok.load() / s, ok.load(), logins);
    https.stop();
    (*ledger)->stop();
  }
  std::filesystem::remove_all(dir);
  return 0;
}
