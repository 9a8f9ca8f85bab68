// Fuzzes the HTTP front door without a socket: raw request bytes go through
// Beast's request parser (with the server's header and body limits) and, when
// a whole request was parsed, through the router to a response.
//
// Besides "no crash, no leak, no hang", it checks that every answer has a
// valid status, and that every error answer has API.md's shape
// {"error": {"code", "message", "details"}} with a known status mapping.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "accounts/accounts.h"
#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "server/api.h"
#include "server/error_response.h"
#include "server/limits.h"
#include "server/migrations.h"

namespace {

namespace http = boost::beast::http;
using namespace sunbid;
using namespace sunbid::server;

// The seed corpus uses this bearer token (an admin session) so that
// authenticated routes are reached.
constexpr std::string_view kAdminToken =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

struct World {
  World() {
    char tmpl[] = "/tmp/sunbid-fuzz-http-XXXXXX";
    dir = ::mkdtemp(tmpl);
    audit::LedgerOptions lo;
    lo.data_dir = dir;
    lo.migrations = all_migrations();
    lo.clock = &clock;
    lo.publish_checkpoints = false;
    ledger = std::move(audit::Ledger::open(std::move(lo))).value();
    ApiOptions ao;
    ao.ledger = ledger.get();
    ao.clock = &clock;
    ao.dev_clock = &dev;
    ao.scrypt = accounts::ScryptParams{1u << 4, 1, 1};  // fuzzing explores parsing, not the KDF
    ao.tick_interval = std::chrono::milliseconds(0);    // deterministic: no background writes
    api = std::make_unique<Api>(std::move(ao));
    accounts::NewAccount a{"root", accounts::Role::kAdmin, "root", {}, {}, {}};
    auto hash =
        accounts::hash_password("correct horse battery", accounts::ScryptParams{1u << 4, 1, 1})
            .value();
    auto token = accounts::parse_session_token(kAdminToken).value();
    Status st = ledger->execute([&](audit::WriteTxn& txn) -> Status {
      SUNBID_ASSIGN_OR_RETURN(std::string id,
                              accounts::create_account(txn, a, hash, accounts::Actor{}));
      SUNBID_ASSIGN_OR_RETURN(auto rec, accounts::find_account_by_id(txn.db(), id));
      return accounts::open_session(txn, token, *rec, INT64_MAX / 2, accounts::Actor{});
    });
    if (!st.ok()) std::abort();
  }
  std::filesystem::path dir;
  ManualClock clock{1767225600000};
  DevClock dev;
  std::unique_ptr<audit::Ledger> ledger;
  std::unique_ptr<Api> api;
};

World& world() {
  static World* w = new World();  // lives for the whole run
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  http::request_parser<http::string_body> parser;
  parser.header_limit(limits::kMaxHeaderBytes);
  parser.body_limit(limits::kMaxBodyBytes);
  parser.eager(true);
  boost::system::error_code ec;
  parser.put(boost::asio::const_buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  auto& msg = parser.get();
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.authorization = std::string(msg[http::field::authorization]);
  req.content_type = std::string(msg[http::field::content_type]);
  req.x_forwarded_for = std::string(msg["X-Forwarded-For"]);
  req.body = msg.body();
  req.peer_address = (size & 1) ? "127.0.0.1" : "192.0.2.7";
  Response r = w.api->handle(std::move(req));
  if (r.status < 100 || r.status > 599) std::abort();
  if (r.status >= 400) {
    auto v = boost::json::parse(r.body);
    const auto& e = v.at("error").as_object();
    // {code, message, message_zh, message_en, details} (issue 15: bilingual errors).
    if (e.size() != 5 || !e.at("message").is_string() || !e.at("message_zh").is_string() ||
        !e.at("message_en").is_string() || !e.at("details").is_object()) {
      std::abort();
    }
    if (http_status(error_kind(e.at("code").as_string())) != r.status) std::abort();
  }
  // Keep the dev clock from running off to the year 9999.
  if (w.dev.now_ms() > 4102444800000) std::abort();
  return 0;
}
