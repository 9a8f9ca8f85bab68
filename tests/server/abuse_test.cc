// Issue 11, items 14 and 15 (security review A7-A11, A16-A18, B1): the
// limits that keep one client from costing the server without bound, each
// tested with a configuration that lowers it, and the insiders' limits.
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "fixture.h"
#include "server/config.h"
#include "server/login_throttle.h"
#include "server/rate_limiter.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

std::string login_body(const std::string& user, const std::string& password) {
  boost::json::object o{{"username", user}, {"password", password}};
  return boost::json::serialize(o);
}

Response call_from(ApiFixture& f, std::string method, std::string target, std::string body,
                   std::string token, std::string peer, std::string xff = "") {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!token.empty()) r.authorization = "Bearer " + token;
  r.peer_address = std::move(peer);
  r.x_forwarded_for = std::move(xff);
  return f.api->handle(std::move(r));
}

std::uint64_t log_size(ApiFixture& f) {
  return f.ledger->committed_log().size;
}

}  // namespace

// ---- Login (A9) ---------------------------------------------------------------

TEST_CASE("login throttle: a stranger's failures delay only its own pair, with backoff",
          "[abuse][login]") {
  limits::Settings s;
  s.max_login_failures = 3;
  s.login_backoff_base = std::chrono::seconds(2);
  s.login_backoff_max = std::chrono::seconds(8);
  LoginThrottle t(s);
  const std::int64_t t0 = 1'000'000;
  // Three free failures from the stranger's address; the third sets 2 s.
  for (int i = 0; i < 3; ++i) CHECK_FALSE(t.begin("ent-rival", "198.51.100.7", t0).has_value());
  auto wait = t.begin("ent-rival", "198.51.100.7", t0);
  REQUIRE(wait.has_value());
  CHECK(*wait == 2);
  // The bidder itself, from its own address, is not held up at all.
  CHECK_FALSE(t.begin("ent-rival", "203.0.113.9", t0).has_value());
  t.succeeded("ent-rival", "203.0.113.9");
  // After the delay the stranger may try again; each failure doubles it, up
  // to the cap.
  CHECK_FALSE(t.begin("ent-rival", "198.51.100.7", t0 + 2000).has_value());
  CHECK(t.begin("ent-rival", "198.51.100.7", t0 + 2000) == 4);
  CHECK_FALSE(t.begin("ent-rival", "198.51.100.7", t0 + 6000).has_value());
  CHECK(t.begin("ent-rival", "198.51.100.7", t0 + 6000) == 8);
  CHECK_FALSE(t.begin("ent-rival", "198.51.100.7", t0 + 14000).has_value());
  CHECK(t.begin("ent-rival", "198.51.100.7", t0 + 14000) == 8);  // capped
  // A success clears the pair.
  t.succeeded("ent-rival", "198.51.100.7");
  CHECK_FALSE(t.begin("ent-rival", "198.51.100.7", t0 + 14000).has_value());
}

TEST_CASE("login throttle: one address is limited across accounts, IPv6 per /64",
          "[abuse][login]") {
  limits::Settings s;
  s.max_address_login_failures = 4;
  LoginThrottle t(s);
  const std::int64_t t0 = 1'000'000;
  for (int i = 0; i < 4; ++i) {
    CHECK_FALSE(t.begin("user" + std::to_string(i), "2001:db8:1:2::" + std::to_string(i + 1), t0)
                    .has_value());
  }
  // Another address of the same /64, another account: the /64 is held.
  CHECK(t.begin("user9", "2001:db8:1:2:ffff::1", t0).has_value());
  CHECK_FALSE(t.begin("user9", "2001:db8:1:3::1", t0).has_value());
  CHECK(LoginThrottle::address_bucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
  CHECK(LoginThrottle::address_bucket("::ffff:192.0.2.1") == "192.0.2.1");
  CHECK(LoginThrottle::address_bucket("192.0.2.1") == "192.0.2.1");
}

TEST_CASE("login throttle: state is bounded in count, check and record are one step",
          "[abuse][login]") {
  limits::Settings s;
  s.max_throttle_keys = 50;
  LoginThrottle t(s);
  for (int i = 0; i < 1000; ++i) {
    (void)t.begin("u" + std::to_string(i), "192.0.2." + std::to_string(i % 250), 1000 + i);
    CHECK(t.size() <= 50);
  }
  // Concurrent attempts of one pair: exactly max_login_failures pass.
  LoginThrottle c;
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 10; ++k) {
        if (!c.begin("victim", "198.51.100.1", 5000)) passed.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(passed.load() == limits::kMaxLoginFailures);
}

TEST_CASE("login: scrypt runs on the login pool, beyond max_pending_logins, 503 login_busy",
          "[abuse][login]") {
  limits::Settings s;
  s.login_threads = 1;
  s.max_pending_logins = 1;
  ApiFixture f(false, {}, s);
  // An account whose hash has the production cost (tens of ms), so the
  // first login is still on the pool when the second arrives.
  accounts::NewAccount a;
  a.username = "slow";
  a.role = accounts::Role::kSupervisor;
  a.display_name = "slow";
  auto hash = accounts::hash_password("slow password", accounts::ScryptParams{});
  REQUIRE(hash.ok());
  REQUIRE(f.ledger
              ->execute([&](audit::WriteTxn& txn) -> Status {
                SUNBID_TRY(accounts::create_account(txn, a, *hash, accounts::Actor{}));
                return {};
              })
              .ok());
  std::promise<Response> first;
  Request r;
  r.method = "POST";
  r.target = "/api/v1/sessions";
  r.body = login_body("slow", "slow password");
  r.peer_address = "192.0.2.10";
  const auto caller = std::this_thread::get_id();
  std::thread::id answered_on;
  f.api->handle_async(r, [&](Response resp) {
    answered_on = std::this_thread::get_id();
    first.set_value(std::move(resp));
  });
  auto busy = f.call("POST", "/api/v1/sessions", login_body("root", "correct horse battery"));
  CHECK(busy.status == 503);
  CHECK(error_code(busy) == "login_busy");
  auto done = first.get_future().get();
  CHECK(done.status == 201);
  CHECK(answered_on != caller);  // not the calling (network) thread
  // The pool is free again.
  CHECK(f.call("POST", "/api/v1/sessions", login_body("root", "correct horse battery")).status ==
        201);
}

TEST_CASE("login: a username over 64 bytes is refused before throttling or scrypt",
          "[abuse][login]") {
  limits::Settings s;
  s.max_login_failures = 1;
  ApiFixture f(false, {}, s);
  const std::string huge(limits::kMaxUsernameBytes + 1, 'a');
  for (int i = 0; i < 5; ++i) {
    auto r = f.call("POST", "/api/v1/sessions", login_body(huge, "whatever-password"));
    CHECK(r.status == 401);
    CHECK(error_code(r) == "invalid_credentials");  // never 429: nothing was recorded
  }
  // 64 bytes is a username like any other (no account: a failure).
  const std::string edge(limits::kMaxUsernameBytes, 'a');
  CHECK(f.call("POST", "/api/v1/sessions", login_body(edge, "x-password")).status == 401);
  CHECK(f.call("POST", "/api/v1/sessions", login_body(edge, "x-password")).status == 429);
}

TEST_CASE("login: the old lockout is gone, a victim logs in from its own address",
          "[abuse][login]") {
  ApiFixture f;
  // Five failures from a stranger (the old hard lockout of the username).
  for (int i = 0; i < limits::kMaxLoginFailures + 2; ++i) {
    (void)call_from(f, "POST", "/api/v1/sessions", login_body("root", "wrong-password"), "",
                    "198.51.100.7");
  }
  auto stranger = call_from(f, "POST", "/api/v1/sessions", login_body("root", "wrong-password"), "",
                            "198.51.100.7");
  CHECK(stranger.status == 429);
  CHECK(error_code(stranger) == "too_many_attempts");
  auto victim = call_from(f, "POST", "/api/v1/sessions",
                          login_body("root", "correct horse battery"), "", "203.0.113.9");
  CHECK(victim.status == 201);
}

// ---- Trusted proxies, loopback (B1) -------------------------------------------

TEST_CASE("proxies: a proxied request is never loopback, the last forwarded hop counts",
          "[abuse][proxy]") {
  ApiFixture f(false, {"127.0.0.1"});
  // The host's own monitoring, directly: allowed.
  CHECK(call_from(f, "GET", "/api/v1/metrics", "", "", "127.0.0.1").status == 200);
  // Through a proxy on the same host: the client is not the host.
  CHECK(call_from(f, "GET", "/api/v1/metrics", "", "", "127.0.0.1", "203.0.113.5").status == 401);
  // A client claiming 127.0.0.1 in a field of its own, the proxy's field
  // joined after it (the server joins every field): still not loopback.
  CHECK(call_from(f, "GET", "/api/v1/metrics", "", "", "127.0.0.1", "127.0.0.1, 203.0.113.5")
            .status == 401);
  Request r;
  r.peer_address = "127.0.0.1";
  r.x_forwarded_for = "127.0.0.1, 203.0.113.5";
  CHECK(f.api->client_address(r) == "203.0.113.5");
  // An untrusted peer's header is ignored for the address, and the request
  // is not loopback either.
  ApiFixture g;
  CHECK(call_from(g, "GET", "/api/v1/metrics", "", "", "127.0.0.1", "127.0.0.1").status == 401);
}

// ---- Bodies before authentication (A11) -----------------------------------------

TEST_CASE("bodies: the limit is decided on the header, roster size only for an admin",
          "[abuse][body]") {
  limits::Settings s;
  s.max_anonymous_body_bytes = 100;
  s.max_body_bytes = 1000;
  s.max_roster_body_bytes = 5000;
  TenderWorld w(false, s);
  Request head;
  head.method = "PUT";
  head.target = "/api/v1/communities/" + w.community + "/roster";
  CHECK(w.api->body_limit(head) == 100);  // anonymous
  head.authorization = "Bearer " + w.tenderer;
  CHECK(w.api->body_limit(head) == 1000);
  head.authorization = "Bearer " + w.admin;
  CHECK(w.api->body_limit(head) == 5000);
  head.authorization = "Bearer " + std::string(64, '0');  // no such session
  CHECK(w.api->body_limit(head) == 100);
  head.method = "POST";
  head.target = "/api/v1/tenders";
  head.authorization = "Bearer " + w.admin;
  CHECK(w.api->body_limit(head) == 1000);

  // Through the router too: 101 bytes anonymously is refused, 100 is parsed.
  const std::uint64_t before = log_size(w);
  std::string pad100 = R"({"username":"root","password":")";
  pad100 += std::string(100 - pad100.size() - 2, 'x') + R"("})";
  REQUIRE(pad100.size() == 100);
  CHECK(w.call("POST", "/api/v1/sessions", pad100).status == 401);
  auto big = w.call("POST", "/api/v1/sessions", pad100 + " ");
  CHECK(big.status == 413);
  CHECK(error_code(big) == "body_too_large");
  CHECK(log_size(w) == before);
}

// ---- Log pages, trail, objections (A10) -------------------------------------------

TEST_CASE("audit entries: a page is bounded in bytes, and the cursor continues it",
          "[abuse][pages]") {
  limits::Settings s;
  s.max_page_bytes = 600;
  ApiFixture f(false, {}, s);
  for (int i = 0; i < 6; ++i)
    f.add_account("user" + std::to_string(i), accounts::Role::kSupervisor, "pw-pw-pw-pw");
  const std::uint64_t size = log_size(f);
  REQUIRE(size >= 7);
  std::uint64_t start = 0, seen = 0;
  int pages = 0;
  while (true) {
    auto r = f.call("GET", "/api/v1/audit/entries?start=" + std::to_string(start));
    REQUIRE(r.status == 200);
    auto o = body_json(r).as_object();
    auto n = o.at("items").as_array().size();
    CHECK(n >= 1);
    // One entry may cross the bound, never more.
    if (n > 1) CHECK(r.body.size() < 600 + 600);
    seen += n;
    ++pages;
    if (o.at("next_cursor").is_null()) break;
    start = static_cast<std::uint64_t>(o.at("next_cursor").as_int64());
    CHECK(start == seen);
  }
  CHECK(seen == size);
  CHECK(pages > 1);
}

TEST_CASE("trail: pages of one checkpoint, each verifiable, walked with tree_size and cursor",
          "[abuse][trail]") {
  limits::Settings s;
  s.max_trail_entries_per_page = 2;
  TenderWorld w(false, s);
  std::string id = w.published_tender();
  const std::string t = "/api/v1/tenders/" + id;
  // Public entries of the tender: objections and answers.
  for (int i = 0; i < 2; ++i) {
    auto o = w.call("POST", t + "/objections", R"({"text":"异议)" + std::to_string(i) + R"("})",
                    w.enterprises[static_cast<std::size_t>(i)]);
    REQUIRE(o.status == 201);
  }
  // The trail needs a checkpoint covering the tender's entries.
  auto covered = [&] {
    auto db = w.ledger->open_reader();
    auto cp = audit::latest_checkpoint(*db);
    return cp.ok() && *cp && (*cp)->tree_size >= w.ledger->committed_log().size;
  };
  for (int i = 0; i < 300 && !covered(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(covered());
  CHECK(w.call("GET", t + "/trail?limit=3").status == 400);
  auto first = w.call("GET", t + "/trail");
  REQUIRE(first.status == 200);
  auto page = body_json(first).as_object();
  const auto tree_size = page.at("tree_size").as_int64();
  std::vector<std::int64_t> indices;
  int pages = 0;
  while (true) {
    ++pages;
    CHECK(page.at("tree_size").as_int64() == tree_size);
    CHECK(page.at("entries").as_array().size() <= 2);
    auto verified = audit::verify_trail(boost::json::serialize(page), w.ledger->verifier_key());
    CHECK(verified.ok());
    for (const auto& e : page.at("entries").as_array()) indices.push_back(e.at("index").as_int64());
    if (page.at("next_cursor").is_null()) break;
    auto next = w.call("GET", t + "/trail?tree_size=" + std::to_string(tree_size) +
                                  "&cursor=" + std::to_string(page.at("next_cursor").as_int64()));
    REQUIRE(next.status == 200);
    page = body_json(next).as_object();
  }
  CHECK(pages >= 2);
  CHECK(indices.size() >= 3);  // published + two objections at least
  CHECK(std::is_sorted(indices.begin(), indices.end()));
  CHECK(std::adjacent_find(indices.begin(), indices.end()) == indices.end());
  // No checkpoint of that size: 404.
  CHECK(w.call("GET", t + "/trail?tree_size=999999").status == 404);
}

TEST_CASE("objections: the text is bounded, the list is paginated", "[abuse][objections]") {
  limits::Settings s;
  s.max_objection_text_bytes = 30;
  s.objections_per_page = 2;
  TenderWorld w(false, s);
  std::string id = w.published_tender();
  const std::string t = "/api/v1/tenders/" + id;
  // 30 bytes: ten CJK characters. 31: refused, nothing stored.
  REQUIRE(std::string("资质要求过高").size() == 18);
  const std::string exactly = std::string("资质要求") + std::string(18, 'x');
  REQUIRE(exactly.size() == 30);
  CHECK_REFUSED(
      w, w.call("POST", t + "/objections", R"({"text":")" + exactly + R"(y"})", w.enterprises[0]),
      413, "objection_too_long");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto o = w.call("POST", t + "/objections", R"({"text":")" + exactly + R"("})",
                    w.enterprises[static_cast<std::size_t>(i)]);
    REQUIRE(o.status == 201);
    ids.emplace_back(body_json(o).at("id").as_string());
  }
  auto p1 = body_json(w.call("GET", t + "/objections")).as_object();
  REQUIRE(p1.at("items").as_array().size() == 2);
  REQUIRE(p1.at("next_cursor").is_string());
  CHECK(p1.at("next_cursor").as_string() == ids[1]);
  auto p2 = body_json(w.call("GET", t + "/objections?cursor=" + ids[1])).as_object();
  REQUIRE(p2.at("items").as_array().size() == 1);
  CHECK(p2.at("items").as_array()[0].at("id").as_string() == ids[2]);
  CHECK(p2.at("next_cursor").is_null());
  CHECK(w.call("GET", t + "/objections?limit=3").status == 400);
  CHECK(w.call("GET", t + "/objections?cursor=O999").status == 400);
  // An answer is bounded as well.
  CHECK_REFUSED(w,
                w.call("POST", t + "/objections/" + ids[0] + "/answer",
                       R"({"text":")" + exactly + R"(y"})", w.tenderer),
                413, "objection_too_long");
}

TEST_CASE("bids: submissions per account are rate-limited", "[abuse][rate]") {
  limits::Settings s;
  s.max_replacements_per_window = 3;
  s.replacement_window = std::chrono::seconds(60);
  TenderWorld w(false, s);
  std::string id = w.published_tender();
  const std::string t = "/api/v1/tenders/" + id;
  auto bid = [&](std::uint8_t salt) {
    return R"({"commitment_sha256_hex":")" + seal(id, kUsccs[0], 260, salt, "方案").commitment +
           R"("})";
  };
  for (std::uint8_t i = 1; i <= 3; ++i) {
    REQUIRE(w.call("POST", t + "/bids", bid(i), w.enterprises[0]).status == 201);
  }
  auto before = w.snapshot();
  auto r = w.call("POST", t + "/bids", bid(9), w.enterprises[0]);
  CHECK(r.status == 429);
  CHECK(error_code(r) == "too_many_replacements");
  CHECK(w.snapshot() == before);
  bool has_retry = false;
  for (const auto& [k, v] : r.headers) has_retry = has_retry || k == "Retry-After";
  CHECK(has_retry);
  // Another account is not affected; after the window the first may again.
  CHECK(w.call("POST", t + "/bids",
               R"({"commitment_sha256_hex":")" + seal(id, kUsccs[1], 250, 7, "方案").commitment +
                   R"("})",
               w.enterprises[1])
            .status == 201);
  w.clock.advance_ms(60'000);
  CHECK(w.call("POST", t + "/bids", bid(10), w.enterprises[0]).status == 201);
}

TEST_CASE("rate limiter: bounded keys, one step", "[abuse][rate]") {
  RateLimiter r(2, std::chrono::milliseconds(1000), 10);
  CHECK_FALSE(r.acquire("a", 0));
  CHECK_FALSE(r.acquire("a", 10));
  CHECK(r.acquire("a", 20) == 1);
  CHECK_FALSE(r.acquire("a", 1000));  // the first left the window
  for (int i = 0; i < 100; ++i) CHECK_FALSE(r.acquire("k" + std::to_string(i), 2000 + i));
}

// ---- /dev/clock (A16) ----------------------------------------------------------

TEST_CASE("dev clock: only the admin moves time, a refused jump changes nothing",
          "[abuse][devclock]") {
  TenderWorld w(true);
  const std::int64_t before = w.dev.now_ms();
  const std::uint64_t size = log_size(w);
  auto anon = w.call("POST", "/api/v1/dev/clock", R"({"advance_s":86400})");
  CHECK(anon.status == 401);
  for (const std::string& token : {w.tenderer, w.supervisor, w.enterprises[0], w.owner}) {
    auto r = w.call("POST", "/api/v1/dev/clock", R"({"advance_s":86400})", token);
    CHECK(r.status == 403);
  }
  // Not even from the loopback interface without a session.
  CHECK(
      call_from(w, "POST", "/api/v1/dev/clock", R"({"advance_s":86400})", "", "127.0.0.1").status ==
      401);
  CHECK(w.dev.now_ms() - before < 86'400'000);
  CHECK(log_size(w) == size);
  CHECK(w.call("POST", "/api/v1/dev/clock", R"({"advance_s":60})", w.admin).status == 200);
  CHECK(w.dev.now_ms() - before >= 60'000);
}

TEST_CASE("dev clock: a non-loopback listen address is refused", "[abuse][devclock]") {
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.1.2.3"));
  CHECK(is_loopback_host("::1"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("0.0.0.0"));
  CHECK_FALSE(is_loopback_host("::"));
  CHECK_FALSE(is_loopback_host("192.0.2.1"));
  CHECK_FALSE(is_loopback_host("1270.0.0.1"));
}

// ---- Settings ------------------------------------------------------------------

TEST_CASE("config: limits are settings with defaults, each may be lowered", "[abuse][config]") {
  auto d = parse_serve_config("{}");
  REQUIRE(d.ok());
  CHECK(d->limits.max_connections_per_address == limits::kMaxConnectionsPerAddress);
  CHECK(d->limits.max_objection_text_bytes == limits::kMaxObjectionTextBytes);
  auto c = parse_serve_config(
      R"({"limits":{"max_connections_per_address":2,"max_page_bytes":4096,)"
      R"("login_backoff_base_s":3,"login_backoff_max_s":30,"max_replacements_per_window":5}})");
  REQUIRE(c.ok());
  CHECK(c->limits.max_connections_per_address == 2);
  CHECK(c->limits.max_page_bytes == 4096);
  CHECK(c->limits.login_backoff_base == std::chrono::seconds(3));
  CHECK(c->limits.login_backoff_max == std::chrono::seconds(30));
  CHECK(c->limits.max_replacements_per_window == 5);
  auto zero = parse_serve_config(R"({"limits":{"max_page_bytes":0}})");
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().details.at("field").as_string() == "/limits/max_page_bytes");
  auto unknown = parse_serve_config(R"({"limits":{"max_pages":1}})");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "unknown_field");
  CHECK_FALSE(parse_serve_config(R"({"limits":[]})").ok());
  CHECK_FALSE(
      parse_serve_config(R"({"limits":{"login_backoff_base_s":10,"login_backoff_max_s":5}})").ok());
}

// ---- Accounts: disabling, sessions (A17) ------------------------------------------

TEST_CASE("accounts: a disabled account's sessions end at once and it cannot log in",
          "[abuse][accounts]") {
  TenderWorld w;
  const std::string victim = w.supervisor;
  REQUIRE(w.call("GET", "/api/v1/tenders", "", victim).status == 200);
  auto lookup = [&] {
    auto db = w.ledger->open_reader();
    auto a = accounts::find_account_by_username(*db, "jiedao");
    REQUIRE(a.ok());
    REQUIRE(a->has_value());
    return **a;
  };
  const std::string id = lookup().id;
  // Only the admin; a reason is required; nothing changes when refused.
  const auto before = log_size(w);
  CHECK(w.call("POST", "/api/v1/accounts/" + id + "/disable", R"({"reason":"离职"})", w.tenderer)
            .status == 403);
  CHECK(w.call("POST", "/api/v1/accounts/" + id + "/disable", R"({"reason":""})", w.admin).status ==
        400);
  CHECK(w.call("POST", "/api/v1/accounts/acct-none/disable", R"({"reason":"x"})", w.admin).status ==
        404);
  CHECK(log_size(w) == before);
  CHECK(w.call("GET", "/api/v1/tenders", "", victim).status == 200);  // still cached and valid

  auto r = w.call("POST", "/api/v1/accounts/" + id + "/disable", R"({"reason":"离职"})", w.admin);
  REQUIRE(r.status == 200);
  CHECK_FALSE(body_json(r).at("already_disabled").as_bool());
  CHECK(log_size(w) == before + 1);
  CHECK(lookup().disabled);
  // The cached session is gone at once.
  auto after = w.call("GET", "/api/v1/tenders", "", victim);
  CHECK(after.status == 401);
  CHECK(error_code(after) == "session_invalid");
  auto login = w.call("POST", "/api/v1/sessions", login_body("jiedao", "password-jiedao"));
  CHECK(login.status == 403);
  CHECK(error_code(login) == "account_disabled");
  // Again: idempotent, no entry.
  auto again =
      w.call("POST", "/api/v1/accounts/" + id + "/disable", R"({"reason":"离职"})", w.admin);
  CHECK(again.status == 200);
  CHECK(body_json(again).at("already_disabled").as_bool());
  CHECK(log_size(w) == before + 1);
}

TEST_CASE("sessions: a user ends its other sessions, keeping the current one",
          "[abuse][accounts]") {
  TenderWorld w;
  const std::string other1 = w.login("owner1", "password-owner1");
  const std::string other2 = w.login("owner1", "password-owner1");
  REQUIRE(w.call("GET", "/api/v1/tenders", "", other1).status == 200);
  CHECK(w.call("DELETE", "/api/v1/sessions/others").status == 401);
  auto r = w.call("DELETE", "/api/v1/sessions/others", "", w.owner);
  REQUIRE(r.status == 200);
  CHECK(body_json(r).at("sessions_closed").as_int64() == 2);
  CHECK(w.call("GET", "/api/v1/tenders", "", other1).status == 401);
  CHECK(w.call("GET", "/api/v1/tenders", "", other2).status == 401);
  CHECK(w.call("GET", "/api/v1/tenders", "", w.owner).status == 200);
  // Another account's sessions are untouched.
  CHECK(w.call("GET", "/api/v1/tenders", "", w.tenderer).status == 200);
}

// ---- Accounts: one binding, or a supervisor's approval (A7) -------------------------

TEST_CASE("accounts: a second account on a held binding needs a supervisor's approval",
          "[abuse][accounts]") {
  TenderWorld w;
  auto body = [&](const std::string& user, const std::string& extra) {
    return R"({"username":")" + user + R"(","password":"password-)" + user +
           R"(","role":"enterprise","display_name":")" + user + R"(")" + extra + "}";
  };
  const std::string victim_uscc = R"(,"enterprise_uscc":")" + kUsccs[0] + R"(")";
  // The admin alone: refused, nothing stored.
  const auto before = log_size(w);
  auto refused = w.call("POST", "/api/v1/accounts", body("xone", victim_uscc), w.admin);
  CHECK(refused.status == 409);
  CHECK(error_code(refused) == "account_binding_held");
  CHECK(body_json(refused).at("error").at("details").at("field").as_string() == "/enterprise_uscc");
  CHECK(log_size(w) == before);
  CHECK(w.call("POST", "/api/v1/sessions", login_body("xone", "password-xone")).status == 401);
  // The same for an owner key already held in the community.
  auto owner2 = w.call("POST", "/api/v1/accounts",
                       R"({"username":"owner1b","password":"password-owner1b","role":"owner",)"
                       R"("display_name":"o","community_id":")" +
                           w.community + R"(","owner_key":"O-001"})",
                       w.admin);
  CHECK(owner2.status == 409);
  CHECK(error_code(owner2) == "account_binding_held");
  // A free owner key is fine.
  CHECK(w.call("POST", "/api/v1/accounts",
               R"({"username":"owner2","password":"password-owner2","role":"owner",)"
               R"("display_name":"o","community_id":")" +
                   w.community + R"(","owner_key":"O-002"})",
               w.admin)
            .status == 201);

  // The approval flow: the admin asks (logged), a supervisor approves.
  CHECK(w.call("POST", "/api/v1/account-approvals", body("xone", victim_uscc), w.tenderer).status ==
        403);
  auto asked = w.call("POST", "/api/v1/account-approvals", body("xone", victim_uscc), w.admin);
  REQUIRE(asked.status == 202);
  const std::string approval(body_json(asked).at("id").as_string());
  CHECK(body_json(asked).at("state").as_string() == "pending");
  CHECK(w.call("POST", "/api/v1/sessions", login_body("xone", "password-xone")).status == 401);
  CHECK(w.call("POST", "/api/v1/account-approvals/" + approval + "/approve", "", w.admin).status ==
        403);
  CHECK(w.call("POST", "/api/v1/account-approvals/appr-none/approve", "", w.supervisor).status ==
        404);
  const auto size = log_size(w);
  auto ok = w.call("POST", "/api/v1/account-approvals/" + approval + "/approve", "", w.supervisor);
  REQUIRE(ok.status == 201);
  CHECK(body_json(ok).at("username").as_string() == "xone");
  CHECK(log_size(w) == size + 2);  // account.created, account.approval_granted
  CHECK(w.call("POST", "/api/v1/sessions", login_body("xone", "password-xone")).status == 201);
  auto twice =
      w.call("POST", "/api/v1/account-approvals/" + approval + "/approve", "", w.supervisor);
  CHECK(twice.status == 409);
  CHECK(error_code(twice) == "approval_not_pending");
}

TEST_CASE("accounts: a disabled holder frees its binding", "[abuse][accounts]") {
  TenderWorld w;
  std::string id;
  {
    auto db = w.ledger->open_reader();
    auto a = accounts::find_account_by_username(*db, "ent0");
    REQUIRE(a.ok());
    id = (*a)->id;
  }
  REQUIRE(w.call("POST", "/api/v1/accounts/" + id + "/disable", R"({"reason":"换人"})", w.admin)
              .status == 200);
  CHECK(w.call("POST", "/api/v1/accounts",
               R"({"username":"ent0b","password":"password-ent0b","role":"enterprise",)"
               R"("display_name":"e","enterprise_uscc":")" +
                   kUsccs[0] + R"("})",
               w.admin)
            .status == 201);
}

TEST_CASE("accounts: supervisors list the pending requests, oldest first, page by page",
          "[abuse][accounts]") {
  TenderWorld w;
  auto body = [&](const std::string& user, const std::string& uscc) {
    return R"({"username":")" + user + R"(","password":"password-)" + user +
           R"(","role":"enterprise","display_name":")" + user + R"(","enterprise_uscc":")" + uscc +
           R"("})";
  };
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto asked = w.call("POST", "/api/v1/account-approvals",
                        body("twin" + std::to_string(i), kUsccs[i]), w.admin);
    REQUIRE(asked.status == 202);
    ids.emplace_back(body_json(asked).at("id").as_string());
    w.clock.advance_ms(1);
  }
  for (const auto& who : {w.admin, w.tenderer, w.owner}) {
    CHECK(w.call("GET", "/api/v1/account-approvals", "", who).status == 403);
  }
  auto first = w.call("GET", "/api/v1/account-approvals?limit=2", "", w.supervisor);
  REQUIRE(first.status == 200);
  auto page = body_json(first).as_object();
  REQUIRE(page.at("items").as_array().size() == 2);
  CHECK(page.at("items").as_array()[0].at("id").as_string() == ids[0]);
  CHECK(page.at("items").as_array()[1].at("id").as_string() == ids[1]);
  CHECK(page.at("next_cursor").as_string() == ids[1]);
  const auto& item = page.at("items").as_array()[0].as_object();
  CHECK(item.at("enterprise_uscc").as_string() == kUsccs[0]);
  CHECK(item.at("binding_held_by").is_string());  // ent0 holds it
  CHECK(first.body.find("password") == std::string::npos);
  auto second =
      w.call("GET", "/api/v1/account-approvals?limit=2&cursor=" + ids[1], "", w.supervisor);
  REQUIRE(second.status == 200);
  auto rest = body_json(second).as_object();
  REQUIRE(rest.at("items").as_array().size() == 1);
  CHECK(rest.at("items").as_array()[0].at("id").as_string() == ids[2]);
  CHECK(rest.at("next_cursor").is_null());
  auto bad = w.call("GET", "/api/v1/account-approvals?cursor=appr-none", "", w.supervisor);
  CHECK(bad.status == 400);
  CHECK(error_code(bad) == "invalid_query");
  // Approved: it leaves the list.
  REQUIRE(
      w.call("POST", "/api/v1/account-approvals/" + ids[0] + "/approve", "", w.supervisor).status ==
      201);
  auto after = body_json(w.call("GET", "/api/v1/account-approvals", "", w.supervisor));
  CHECK(after.at("items").as_array().size() == 2);
  CHECK(after.at("items").as_array()[0].at("id").as_string() == ids[1]);
}
