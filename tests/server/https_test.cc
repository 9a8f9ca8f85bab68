// The real HTTPS server on loopback: an ephemeral port, a temp data dir, a
// Beast/Asio SSL client.
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <thread>

#include "accounts/access_record.h"
#include "audit_log/log_store.h"
#include "audit_log/merkle.h"
#include "audit_log/verify.h"
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

struct ServerFixture : ApiFixture {
  explicit ServerFixture(ServerTimeouts timeouts = {}) {
    auto paths = ensure_self_signed_certificate(dir.path());
    REQUIRE(paths.ok());
    cert = *paths;
    ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.certificate = cert;
    o.timeouts = timeouts;
    server = std::make_unique<HttpsServer>(o, *api);
    REQUIRE(server->start().ok());
  }
  ~ServerFixture() { server->stop(); }
  CertificatePaths cert;
  std::unique_ptr<HttpsServer> server;
};

// A client; `configure` may restrict protocols and suites before connecting.
class Client {
 public:
  Client(std::uint16_t port, const std::filesystem::path& ca,
         std::function<void(SSL_CTX*)> configure = {})
      : ctx_(ssl::context::tls_client), port_(port) {
    ctx_.load_verify_file(ca.string());
    ctx_.set_verify_mode(ssl::verify_peer);
    if (configure) configure(ctx_.native_handle());
    stream_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc_, ctx_);
  }

  boost::system::error_code connect() {
    SSL_set_tlsext_host_name(stream_->native_handle(), "localhost");
    stream_->set_verify_callback(ssl::host_name_verification("localhost"));
    boost::system::error_code ec;
    beast::get_lowest_layer(*stream_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(*stream_).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    if (ec) return ec;
    stream_->handshake(ssl::stream_base::client, ec);
    return ec;
  }

  http::response<http::string_body> request(http::verb verb, const std::string& target,
                                            const std::string& body = "",
                                            const std::string& token = "") {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "localhost");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(*stream_, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(*stream_, buf, res);
    return res;
  }

  std::string protocol() const { return SSL_get_version(stream_->native_handle()); }
  std::string cipher() const {
    return SSL_CIPHER_get_name(SSL_get_current_cipher(stream_->native_handle()));
  }
  beast::ssl_stream<beast::tcp_stream>& stream() { return *stream_; }

 private:
  asio::io_context ioc_;
  ssl::context ctx_;
  std::uint16_t port_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream_;
};

// The bytes of entry `i` exactly as served by GET /audit/entries.
std::string served_entry(Client& c, std::uint64_t i) {
  auto res = c.request(http::verb::get, "/api/v1/audit/entries?start=" + std::to_string(i) +
                                            "&end=" + std::to_string(i + 1));
  REQUIRE(res.result_int() == 200);
  const std::string& b = res.body();
  const std::string open = "{\"items\":[";
  REQUIRE(b.starts_with(open));
  std::size_t end = b.rfind("],\"log_size\":");
  REQUIRE(end != std::string::npos);
  return b.substr(open.size(), end - open.size());
}

}  // namespace

TEST_CASE("https: health with security headers, keep-alive, self-signed certificate", "[https]") {
  ServerFixture f;
  Client c(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(c.connect());    // the certificate verifies for "localhost"
  for (int i = 0; i < 3; ++i) {  // three requests on one connection
    auto res = c.request(http::verb::get, "/api/v1/health");
    CHECK(res.result_int() == 200);
    CHECK(boost::json::parse(res.body()).at("status").as_string() == "ok");
    CHECK(res.keep_alive());
    CHECK(res["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains");
    CHECK(res["X-Content-Type-Options"] == "nosniff");
    CHECK(res["X-Frame-Options"] == "DENY");
    CHECK(res["Content-Security-Policy"].starts_with("default-src 'none'"));
    CHECK(res["Referrer-Policy"] == "no-referrer");
    CHECK(res["Cache-Control"] == "no-store");
  }
  CHECK(c.protocol() == "TLSv1.3");
  CHECK(f.server->open_connections() == 1);

  auto fp = certificate_fingerprint(f.cert.cert_file);
  REQUIRE(fp.ok());
  CHECK(fp->size() == 32 * 3 - 1);
  CHECK((std::filesystem::status(f.cert.key_file).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("https: login, authenticated call, logout", "[https]") {
  ServerFixture f;
  Client c(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(c.connect());
  auto login = c.request(http::verb::post, "/api/v1/sessions",
                         R"({"username":"root","password":"correct horse battery"})");
  REQUIRE(login.result_int() == 201);
  std::string token(boost::json::parse(login.body()).at("token").as_string());
  auto created = c.request(
      http::verb::post, "/api/v1/accounts",
      R"({"username":"sup1","password":"supervisor-pw","role":"supervisor","display_name":"区住建局"})",
      token);
  CHECK(created.result_int() == 201);
  CHECK(c.request(http::verb::delete_, "/api/v1/sessions/current", "", token).result_int() == 204);
  CHECK(c.request(http::verb::delete_, "/api/v1/sessions/current", "", token).result_int() == 401);
  // The login went to the access record (not the public log), its source
  // the loopback address, digested.
  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto page = accounts::read_access_record(*reader, 0, 10);
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 2);  // the login and the logout
  auto e = boost::json::parse(page->items[0].record);
  CHECK(e.at("event").as_string() == "session.created");
  auto src = audit::open_personal_digest(*reader, std::string(e.at("source").as_string()));
  REQUIRE(src.ok());
  CHECK(src->value == "127.0.0.1");
}

TEST_CASE("https: inclusion and consistency proofs verify against the served checkpoint",
          "[https][audit]") {
  ServerFixture f;
  for (int i = 0; i < 10; ++i)
    f.add_account("u" + std::to_string(i) + "x", accounts::Role::kEvaluator, "pw-pw-pw-pw");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  Client c(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(c.connect());
  std::string key = c.request(http::verb::get, "/api/v1/audit/key").body();
  auto note = c.request(http::verb::get, "/api/v1/audit/checkpoint");
  REQUIRE(note.result_int() == 200);
  auto cp = audit::verify_checkpoint_note(note.body(), key);
  REQUIRE(cp.ok());
  REQUIRE(cp->size == 11);
  for (std::uint64_t i = 0; i < cp->size; ++i) {
    std::string entry = served_entry(c, i);
    auto res =
        c.request(http::verb::get, "/api/v1/audit/proof/inclusion?index=" + std::to_string(i) +
                                       "&tree_size=" + std::to_string(cp->size));
    REQUIRE(res.result_int() == 200);
    auto v = boost::json::parse(res.body());
    CHECK(std::string(v.at("checkpoint").as_string()) == note.body());
    std::vector<Hash> proof;
    for (auto& h : v.at("proof").as_array()) proof.push_back(*hash_from_hex(h.as_string()));
    CHECK(audit::verify_inclusion(audit::leaf_hash(entry), i, cp->size, proof, cp->root).ok());
    std::string tampered = entry;
    tampered[tampered.size() / 2] ^= 1;
    CHECK_FALSE(
        audit::verify_inclusion(audit::leaf_hash(tampered), i, cp->size, proof, cp->root).ok());
  }
  f.add_account("later", accounts::Role::kEvaluator, "pw-pw-pw-pw");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto res = c.request(http::verb::get, "/api/v1/audit/proof/consistency?first=11&second=12");
  REQUIRE(res.result_int() == 200);
  auto v = boost::json::parse(res.body());
  auto cp2 = audit::verify_checkpoint_note(std::string(v.at("checkpoint").as_string()), key);
  REQUIRE(cp2.ok());
  std::vector<Hash> proof;
  for (auto& h : v.at("proof").as_array()) proof.push_back(*hash_from_hex(h.as_string()));
  CHECK(audit::verify_consistency(11, 12, proof, cp->root, cp2->root).ok());
}

TEST_CASE("https: TLS policy refuses TLS 1.1 and CBC suites, accepts ECDHE-AEAD on 1.2",
          "[https][tls]") {
  ServerFixture f;
  SECTION("TLS 1.1 only") {
    Client c(f.server->port(), f.cert.cert_file, [](SSL_CTX* ctx) {
      SSL_CTX_set_security_level(ctx, 0);  // let the client offer 1.1 at all
      SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
      SSL_CTX_set_min_proto_version(ctx, TLS1_1_VERSION);
      SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
    });
    CHECK(c.connect());
    for (int i = 0; i < 100 && f.server->failed_handshakes() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(f.server->failed_handshakes() == 1);
  }
  SECTION("TLS 1.2 with CBC suites only") {
    Client c(f.server->port(), f.cert.cert_file, [](SSL_CTX* ctx) {
      SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_cipher_list(ctx,
                              "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-"
                              "SHA256:AES128-SHA:AES256-SHA:@SECLEVEL=0");
    });
    CHECK(c.connect());
  }
  SECTION("control: TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256 works") {
    Client c(f.server->port(), f.cert.cert_file, [](SSL_CTX* ctx) {
      SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256");
    });
    REQUIRE_FALSE(c.connect());
    CHECK(c.protocol() == "TLSv1.2");
    CHECK(c.cipher() == "ECDHE-ECDSA-AES128-GCM-SHA256");
    CHECK(c.request(http::verb::get, "/api/v1/health").result_int() == 200);
    CHECK(f.server->failed_handshakes() == 0);
  }
  SECTION("control: server order wins among allowed TLS 1.2 suites") {
    Client c(f.server->port(), f.cert.cert_file, [](SSL_CTX* ctx) {
      SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256");
    });
    REQUIRE_FALSE(c.connect());
    CHECK(c.cipher() == "ECDHE-ECDSA-AES128-GCM-SHA256");
  }
}

TEST_CASE("https: plain HTTP on the TLS port is refused cleanly", "[https][tls]") {
  ServerFixture f;
  {
    asio::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), f.server->port()));
    timeval tv{10, 0};
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    asio::write(s, asio::buffer(std::string("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")));
    std::string got;
    boost::system::error_code ec;
    char buf[4096];
    for (;;) {
      std::size_t n = s.read_some(asio::buffer(buf), ec);
      got.append(buf, n);
      if (ec) break;
    }
    // The connection was closed (EOF or reset), not left hanging until the
    // receive timeout, and nothing of an HTTP answer came back.
    CHECK((ec == asio::error::eof || ec == asio::error::connection_reset));
    CHECK(got.find("HTTP/1.1") == std::string::npos);
  }
  // The server is unharmed.
  Client c(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(c.connect());
  CHECK(c.request(http::verb::get, "/api/v1/health").result_int() == 200);
}

TEST_CASE("https: a declared body over the limit is answered 413 without reading it",
          "[https][limits]") {
  ServerFixture f;
  Client c(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(c.connect());
  std::string head =
      "POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
      "Content-Length: 2097152\r\n\r\n";
  asio::write(c.stream(), asio::buffer(head));
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(c.stream(), buf, res);
  CHECK(res.result_int() == 413);
  CHECK(boost::json::parse(res.body()).at("error").at("code").as_string() == "body_too_large");
  CHECK_FALSE(res.keep_alive());
}

TEST_CASE(
    "https: graceful stop answers in-flight work, then the ledger's final checkpoint covers "
    "the whole log",
    "[https][shutdown]") {
  auto f = std::make_unique<ServerFixture>();
  {
    Client c(f->server->port(), f->cert.cert_file);
    REQUIRE_FALSE(c.connect());
    auto login = c.request(http::verb::post, "/api/v1/sessions",
                           R"({"username":"root","password":"correct horse battery"})");
    REQUIRE(login.result_int() == 201);
    // The idle kept-alive connection must not hold up the stop.
    auto t0 = std::chrono::steady_clock::now();
    f->server->stop();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    CHECK(f->server->open_connections() == 0);
  }
  std::uint64_t size = f->ledger->committed_log().size;
  CHECK(size == 1);  // the admin's account; the login is in the access record
  f->ledger->stop();
  REQUIRE_FALSE(f->ledger->failure());
  auto reader =
      audit::Database::open(audit::database_file(f->dir.path()), audit::Database::Mode::kReadOnly);
  REQUIRE(reader.ok());
  auto cp = audit::latest_checkpoint(*reader);
  REQUIRE(cp.ok());
  REQUIRE(cp->has_value());
  CHECK((*cp)->tree_size == size);
  CHECK(audit::verify_checkpoint_note((*cp)->note, f->ledger->verifier_key()).ok());
}

TEST_CASE("https: a request in flight when the stop begins is still answered",
          "[https][shutdown]") {
  ServerFixture f;
  Client c(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(c.connect());
  // Hold the ledger's writer so the login's command waits behind it.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> writer_held;
  f.ledger->submit(
      [&writer_held, released](audit::WriteTxn&) -> Status {
        writer_held.set_value();
        released.wait();
        return {};
      },
      [](Status) {});
  writer_held.get_future().wait();

  std::promise<http::response<http::string_body>> answered;
  std::thread client([&] {
    answered.set_value(c.request(http::verb::post, "/api/v1/sessions",
                                 R"({"username":"root","password":"correct horse battery"})"));
  });
  // Wait until the login has reached the ledger (the writer is held).
  for (int i = 0; i < 500 && f.ledger->stats().commands < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::thread stopper([&] { f.server->stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // The stop waits for the in-flight request.
  CHECK(f.server->open_connections() == 1);
  release.set_value();
  stopper.join();
  client.join();
  auto res = answered.get_future().get();
  CHECK(res.result_int() == 201);
  CHECK_FALSE(res.keep_alive());  // answered with Connection: close
  CHECK(f.server->open_connections() == 0);
}

TEST_CASE("https: slow clients are dropped at the handshake and header deadlines",
          "[https][limits]") {
  ServerTimeouts t;
  t.handshake = std::chrono::milliseconds(500);
  t.idle = std::chrono::milliseconds(800);
  ServerFixture f(t);
  auto closed_within = [](tcp::socket& s, std::chrono::seconds limit) {
    timeval tv{static_cast<time_t>(limit.count()), 0};
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto t0 = std::chrono::steady_clock::now();
    char buf[256];
    boost::system::error_code ec;
    while (!ec) s.read_some(asio::buffer(buf), ec);
    bool closed = ec == asio::error::eof || ec == asio::error::connection_reset;
    return closed && std::chrono::steady_clock::now() - t0 < limit;
  };
  SECTION("a TCP connection that never starts TLS") {
    asio::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), f.server->port()));
    CHECK(closed_within(s, std::chrono::seconds(5)));
  }
  SECTION("a header sent a byte at a time") {
    Client c(f.server->port(), f.cert.cert_file);
    REQUIRE_FALSE(c.connect());
    // Prove the connection works, then dribble the next request's header.
    CHECK(c.request(http::verb::get, "/api/v1/health").result_int() == 200);
    std::string head = "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n";
    auto t0 = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    for (char ch : head) {
      asio::write(c.stream(), asio::buffer(&ch, 1), ec);
      if (ec) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // The server gave up at its 800 ms header deadline: the rest of the
    // header cannot produce an answer.
    asio::write(c.stream(), asio::buffer(std::string("\r\n")), ec);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    beast::get_lowest_layer(c.stream()).expires_after(std::chrono::seconds(5));
    http::read(c.stream(), buf, res, ec);
    CHECK(ec);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  }
  CHECK(f.server->open_connections() <= 1);
}

TEST_CASE("https: reload_certificate serves a new certificate to new connections", "[https][tls]") {
  ServerFixture f;
  auto old_fp = certificate_fingerprint(f.cert.cert_file);
  REQUIRE(old_fp.ok());
  auto old_ca = f.dir / "old-ca.pem";
  std::filesystem::copy_file(f.cert.cert_file, old_ca);
  Client before(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(before.connect());

  // A new key and certificate in place of the old ones (as an operator
  // would install them before sending SIGHUP).
  std::filesystem::remove(f.cert.cert_file);
  std::filesystem::remove(f.cert.key_file);
  REQUIRE(ensure_self_signed_certificate(f.dir.path()).ok());
  auto new_fp = certificate_fingerprint(f.cert.cert_file);
  REQUIRE(new_fp.ok());
  REQUIRE(*new_fp != *old_fp);

  // Not yet reloaded: new connections still get the old certificate.
  CHECK_FALSE(Client(f.server->port(), old_ca).connect());
  REQUIRE(f.server->reload_certificate().ok());
  CHECK(Client(f.server->port(), old_ca).connect());  // the old one no longer verifies
  Client after(f.server->port(), f.cert.cert_file);
  REQUIRE_FALSE(after.connect());
  CHECK(after.request(http::verb::get, "/api/v1/health").result_int() == 200);
  // The established connection keeps working on its context.
  CHECK(before.request(http::verb::get, "/api/v1/health").result_int() == 200);

  // A broken file is refused and the current context stays.
  auto new_ca = f.dir / "new-ca.pem";
  std::filesystem::copy_file(f.cert.cert_file, new_ca);
  { std::ofstream(f.cert.cert_file) << "not a certificate"; }
  auto bad = f.server->reload_certificate();
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "tls_config");
  CHECK_FALSE(Client(f.server->port(), new_ca).connect());
}
