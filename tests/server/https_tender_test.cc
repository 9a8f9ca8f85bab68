// One tender end to end over real HTTPS: community set-up, registers,
// accounts, a draft published, sealed bids, the deadline, reveals, the
// opening record, and the tender's trail verified offline against the
// pinned key.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "audit_log/trail.h"
#include "server/https_server.h"
#include "server/tls.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

class TlsClient {
 public:
  TlsClient(std::uint16_t port, const std::filesystem::path& ca)
      : ctx_(ssl::context::tls_client), stream_(ioc_, ctx_) {
    ctx_.load_verify_file(ca.string());
    stream_.set_verify_mode(ssl::verify_peer);
    SSL_set_tlsext_host_name(stream_.native_handle(), "localhost");
    stream_.set_verify_callback(ssl::host_name_verification("localhost"));
    beast::get_lowest_layer(stream_).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream_.handshake(ssl::stream_base::client);
  }

  std::pair<int, std::string> send(http::verb verb, const std::string& path,
                                   const std::string& body = "", const std::string& token = "",
                                   const std::string& content_type = "application/json") {
    http::request<http::string_body> req{verb, "/api/v1" + path, 11};
    req.set(http::field::host, "localhost");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream_, buf, res);
    return {res.result_int(), res.body()};
  }

  std::string login(const std::string& user, const std::string& password) {
    auto [status, body] = send(http::verb::post, "/sessions",
                               R"({"username":")" + user + R"(","password":")" + password + "\"}");
    REQUIRE(status == 201);
    return std::string(boost::json::parse(body).at("token").as_string());
  }

 private:
  asio::io_context ioc_;
  ssl::context ctx_;
  beast::ssl_stream<beast::tcp_stream> stream_;
};

}  // namespace

TEST_CASE("https end to end: from a community to the opening record and a verified trail",
          "[https][e2e]") {
  // The owners pass the tender's selection plan first, before kT0.
  ApiFixture f(false, {}, {}, nullptr, kT0 - kPlanLeadMs);
  auto cert = ensure_self_signed_certificate(f.dir.path());
  REQUIRE(cert.ok());
  ServerOptions o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  o.certificate = *cert;
  HttpsServer server(o, *f.api);
  REQUIRE(server.start().ok());
  TlsClient c(server.port(), cert->cert_file);
  using V = http::verb;

  std::string admin = c.login("root", "correct horse battery");
  auto [cs, cbody] = c.send(V::post, "/communities",
                            R"({"name":"金山花园","district":"湖里区","street":"金山街道",)"
                            R"("address":"厦门市湖里区金山路88号"})",
                            admin);
  REQUIRE(cs == 201);
  std::string community(boost::json::parse(cbody).at("id").as_string());
  auto roster = c.send(V::put, "/communities/" + community + "/roster",
                       "unit,area_centi_m2,owner_key,owner_name,status\r\n"
                       "1-101,8950,O-001,陈志强,sold\r\n1-102,12030,O-002,林秀英,sold\r\n",
                       admin, "text/csv");
  REQUIRE(roster.first == 200);
  CHECK(boost::json::parse(roster.second).at("total_area_centi_m2").as_int64() == 20980);
  REQUIRE(c.send(V::put, "/service-tiers",
                 R"({"items":[{"code":"T2","name":"二级服务","min_fen_per_m2_month":150,)"
                 R"("max_fen_per_m2_month":300,"required_items":["保洁"]}]})",
                 admin)
              .first == 200);
  // Three bidders: fewer are never opened (条例 44; this test used two).
  for (int i = 0; i < 3; ++i) {
    REQUIRE(c.send(V::post, "/enterprises",
                   R"({"uscc":")" + kUsccs[i] + R"(","name":"物业公司)" + std::to_string(i) + "\"}",
                   admin)
                .first == 201);
    REQUIRE(c.send(V::put, "/registry/ratings",
                   R"({"items":[{"uscc":")" + kUsccs[i] +
                       R"(","credit_grade":"AA","credit_score":9000,"star_rating":4,)"
                       R"("blacklisted":false,"effective_from":"2025-01-01T00:00:00Z"}]})",
                   admin)
                .first == 200);
    REQUIRE(
        c.send(V::post, "/accounts",
               R"({"username":"ent)" + std::to_string(i) +
                   R"(","password":"password-ent","role":"enterprise","display_name":"投标专员",)"
                   R"("enterprise_uscc":")" +
                   kUsccs[i] + "\"}",
               admin)
            .first == 201);
  }
  REQUIRE(c.send(V::post, "/accounts",
                 R"({"username":"yeweihui","password":"password-tenderer","role":"tenderer",)"
                 R"("display_name":"业委会","community_id":")" +
                     community + "\"}",
                 admin)
              .first == 201);

  // The selection plan (docs/motions.md): both owners vote for it.
  const std::vector<std::pair<std::string, std::string>> owners = {{"O-001", "owner1"},
                                                                  {"O-002", "owner2"}};
  for (const auto& [key, username] : owners) {
    REQUIRE(c.send(V::post, "/accounts",
                   R"({"username":")" + username +
                       R"(","password":"password-owner","role":"owner","display_name":"业主",)"
                       R"("community_id":")" + community + R"(","owner_key":")" + key + "\"}",
                   admin)
                .first == 201);
  }
  std::string tenderer = c.login("yeweihui", "password-tenderer");
  auto rules = boost::json::parse(rules_body(community, kDeadline)).as_object();
  const boost::json::object motion{{"title", "选聘方案"}, {"text", "物业服务企业选聘方案"},
                                   {"kind", "selection_plan"}, {"matter_item", 4},
                                   {"window_days", 7},
                                   {"plan", plan_of(rules.at("decision").as_object())}};
  auto created = c.send(V::post, "/communities/" + community + "/motions",
                        boost::json::serialize(motion), tenderer);
  REQUIRE(created.first == 201);
  const std::string plan(boost::json::parse(created.second).at("id").as_string());
  auto noticed = c.send(V::post, "/motions/" + plan + "/notice", "{}", tenderer);
  REQUIRE(noticed.first == 200);
  f.clock.set_ms(
      *core::parse_rfc3339_ms(boost::json::parse(noticed.second).at("opens_at").as_string()));
  for (const auto& [key, username] : owners) {
    const std::string owner = c.login(username, "password-owner");
    REQUIRE(c.send(V::post, "/motions/" + plan + "/ballots", R"({"choice":"for"})", owner).first ==
            201);
  }
  f.clock.set_ms(kT0);
  admin = c.login("root", "correct horse battery");
  tenderer = c.login("yeweihui", "password-tenderer");
  auto passed = c.send(V::get, "/motions/" + plan, "", tenderer);
  REQUIRE(passed.first == 200);
  REQUIRE(boost::json::parse(passed.second).at("status").as_string() == "passed");
  rules["selection_plan_motion"] = plan;
  auto draft = c.send(V::post, "/tenders", boost::json::serialize(rules), tenderer);
  REQUIRE(draft.first == 201);
  std::string id(boost::json::parse(draft.second).at("id").as_string());
  REQUIRE(c.send(V::post, "/tenders/" + id + "/publish", "", tenderer).first == 200);

  std::vector<Sealed> bids = {seal(id, kUsccs[0], 260, 0x11, "鹭岛方案"),
                              seal(id, kUsccs[1], 230, 0x22, "九龙江方案"),
                              seal(id, kUsccs[2], 245, 0x33, "海湾方案")};
  std::vector<std::int64_t> receipts;
  for (int i = 0; i < 3; ++i) {
    std::string token = c.login("ent" + std::to_string(i), "password-ent");
    auto r = c.send(V::post, "/tenders/" + id + "/bids",
                    R"({"commitment_sha256_hex":")" + bids[i].commitment + "\"}", token);
    REQUIRE(r.first == 201);
    receipts.push_back(boost::json::parse(r.second).at("log_index").as_int64());
  }

  // The deadline passes; each bidder reveals inside the window.
  f.clock.set_ms(kDeadlineMs + 3'600'000);
  for (int i = 0; i < 3; ++i) {
    std::string token = c.login("ent" + std::to_string(i), "password-ent");
    auto r = c.send(V::post, "/tenders/" + id + "/bids/mine/reveal",
                    boost::json::serialize(
                        boost::json::object{{"salt_hex", bids[i].salt_hex}, {"bid", bids[i].bid}}),
                    token);
    REQUIRE(r.first == 200);
  }
  CHECK(c.send(V::get, "/tenders/" + id + "/opening").first == 409);

  // The window closes: the opening record is public at once.
  f.clock.set_ms(kDeadlineMs + 86'400'000);
  auto opening = c.send(V::get, "/tenders/" + id + "/opening");
  REQUIRE(opening.first == 200);
  auto rows = boost::json::parse(opening.second).at("items").as_array();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].at("bid").at("price_fen_per_m2_month").as_int64() == 260);
  CHECK(rows[1].at("bid").at("price_fen_per_m2_month").as_int64() == 230);
  CHECK(rows[2].at("bid").at("price_fen_per_m2_month").as_int64() == 245);

  // The trail verifies offline against the pinned key, and holds the bids'
  // receipts and the opening.
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto trail = c.send(V::get, "/tenders/" + id + "/trail");
  REQUIRE(trail.first == 200);
  auto verified = audit::verify_trail(trail.second, f.ledger->verifier_key());
  REQUIRE(verified.ok());
  std::vector<std::string> types;
  std::set<std::int64_t> indices;
  for (const auto& e : verified->entries) {
    types.emplace_back(boost::json::parse(e.entry).at("type").as_string());
    indices.insert(static_cast<std::int64_t>(e.index));
  }
  // document.published: the 招标公告 and the 开标记录表 (docs/documents.md);
  // the fixture's Api runs no document worker, so no document.rendered follows.
  const std::vector<std::string> expected = {
      "tender.drafted",    "tender.published", "document.published",    "bid.committed",
      "bid.committed",     "bid.committed",    "tender.bidding_closed", "tender.reveal_opened",
      "bid.revealed",      "bid.revealed",     "bid.revealed",          "tender.opened",
      "document.published"};
  CHECK(types == expected);
  for (auto r : receipts) CHECK(indices.contains(r));
  // A tampered trail does not verify.
  std::string tampered = trail.second;
  auto pos = tampered.find("bid.revealed");
  REQUIRE(pos != std::string::npos);
  tampered.replace(pos, 3, "bad");
  CHECK_FALSE(audit::verify_trail(tampered, f.ledger->verifier_key()).ok());
  server.stop();
}
