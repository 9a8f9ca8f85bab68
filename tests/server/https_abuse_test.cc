// Issue 11 over real TLS connections (security A11, B1): the per-address
// connection cap, and every X-Forwarded-For field joined behind a trusted
// proxy; each with a configuration that lowers the limit.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "fixture.h"
#include "server/https_server.h"
#include "server/tls.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

struct CappedServer : ApiFixture {
  CappedServer(limits::Settings s, std::vector<std::string> trusted)
      : ApiFixture(false, trusted, s) {
    auto paths = ensure_self_signed_certificate(dir.path());
    REQUIRE(paths.ok());
    cert = *paths;
    ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.certificate = cert;
    o.limits = s;
    o.trusted_proxies = std::move(trusted);
    server = std::make_unique<HttpsServer>(o, *api);
    REQUIRE(server->start().ok());
  }
  ~CappedServer() { server->stop(); }
  CertificatePaths cert;
  std::unique_ptr<HttpsServer> server;
};

struct Conn {
  Conn(std::uint16_t port, const std::filesystem::path& ca)
      : ctx(ssl::context::tls_client), stream(ioc, ctx) {
    ctx.load_verify_file(ca.string());
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (!ec) stream.handshake(ssl::stream_base::client, ec);
  }
  // A raw request head and body; the status, or 0 when the connection failed.
  int send(const std::string& text) {
    boost::system::error_code e;
    asio::write(stream, asio::buffer(text), e);
    if (e) return 0;
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res, e);
    return e ? 0 : res.result_int();
  }
  asio::io_context ioc;
  ssl::context ctx;
  beast::ssl_stream<beast::tcp_stream> stream;
  boost::system::error_code ec;
};

const std::string kHealth = "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n";

}  // namespace

TEST_CASE("https: one address holds at most max_connections_per_address connections",
          "[abuse][https]") {
  limits::Settings s;
  s.max_connections_per_address = 2;
  CappedServer f(s, {});
  auto a = std::make_unique<Conn>(f.server->port(), f.cert.cert_file);
  auto b = std::make_unique<Conn>(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(a->ec);
  REQUIRE_FALSE(b->ec);
  CHECK(a->send(kHealth) == 200);
  CHECK(b->send(kHealth) == 200);
  {
    Conn third(f.server->port(), f.cert.cert_file);
    // Accepted and closed at once: the handshake or the first request fails.
    CHECK((third.ec || third.send(kHealth) == 0));
  }
  // One closes: a slot is free again.
  a.reset();
  bool served = false;
  for (int i = 0; i < 100 && !served; ++i) {
    Conn again(f.server->port(), f.cert.cert_file);
    served = !again.ec && again.send(kHealth) == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(served);
}

TEST_CASE("https: a trusted proxy's clients are not capped per address", "[abuse][https]") {
  limits::Settings s;
  s.max_connections_per_address = 1;
  CappedServer f(s, {"127.0.0.1"});
  Conn a(f.server->port(), f.cert.cert_file);
  Conn b(f.server->port(), f.cert.cert_file);
  CHECK(a.send(kHealth) == 200);
  CHECK(b.send(kHealth) == 200);
}

TEST_CASE("https: every X-Forwarded-For field is joined, the trusted proxy's hop counts",
          "[abuse][https][proxy]") {
  limits::Settings s;
  s.max_address_login_failures = 1;
  s.login_backoff_base = std::chrono::seconds(60);
  CappedServer f(s, {"127.0.0.1"});
  auto login = [](const std::string& user, std::vector<std::string> xff) {
    std::string body = R"({"username":")" + user + R"(","password":"wrong password"})";
    std::string head =
        "POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n";
    for (const auto& x : xff) head += "X-Forwarded-For: " + x + "\r\n";
    return head + "\r\n" + body;
  };
  Conn c(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(c.ec);
  // The client's own field claims 127.0.0.1; the proxy added a field of its
  // own with the real address. The failure is the real address's.
  CHECK(c.send(login("alpha", {"127.0.0.1", "203.0.113.5"})) == 401);
  CHECK(c.send(login("beta", {"203.0.113.5"})) == 429);
  CHECK(c.send(login("beta", {"198.51.100.1"})) == 401);
  // And the forged field did not make the request loopback.
  CHECK(c.send("GET /api/v1/metrics HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: "
               "127.0.0.1\r\n\r\n") == 401);
}
