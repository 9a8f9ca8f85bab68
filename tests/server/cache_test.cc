// The request-path caches: live sessions (by token hash) and rendered tender
// views (by tender and viewer relation, stamped with the ledger's commits).
#include <catch2/catch.hpp>

#include "server/session_cache.h"
#include "server/tender_view_cache.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

accounts::SessionInfo session_of(std::string account_id, std::int64_t expires_ms) {
  accounts::SessionInfo s;
  s.account.id = std::move(account_id);
  s.account.role = accounts::Role::kEnterprise;
  s.account.password.salt = {1, 2, 3};
  s.account.password.hash = {4, 5, 6};
  s.expires_ms = expires_ms;
  return s;
}

accounts::SessionToken token_of(std::uint8_t fill) {
  accounts::SessionToken t{};
  t.fill(fill);
  return t;
}

}  // namespace

TEST_CASE("session cache: hit until the expiry instant, then gone", "[cache][sessions]") {
  SessionCache cache;
  const Hash key = session_token_hash(token_of(7));
  CHECK(key == sha256(std::string(32, '\x07')));
  CHECK_FALSE(cache.find(key, 1000));
  cache.insert(key, session_of("A1", 5000), 1000);
  auto hit = cache.find(key, 4999);
  REQUIRE(hit);
  CHECK(hit->account.id == "A1");
  CHECK(hit->expires_ms == 5000);
  // The password hash is not kept in the cache.
  CHECK(hit->account.password.hash.empty());
  CHECK(hit->account.password.salt.empty());
  // Another token's hash does not match.
  CHECK_FALSE(cache.find(session_token_hash(token_of(8)), 4999));
  // At the expiry instant the session is over, and the entry is dropped.
  CHECK_FALSE(cache.find(key, 5000));
  CHECK(cache.size() == 0);
  // An already expired session is never cached.
  cache.insert(key, session_of("A1", 5000), 5000);
  CHECK(cache.size() == 0);
}

TEST_CASE("session cache: logout erases", "[cache][sessions]") {
  SessionCache cache;
  const Hash a = session_token_hash(token_of(1));
  const Hash b = session_token_hash(token_of(2));
  cache.insert(a, session_of("A1", 9000), 0);
  cache.insert(b, session_of("A2", 9000), 0);
  cache.erase(a);
  CHECK_FALSE(cache.find(a, 1));
  REQUIRE(cache.find(b, 1));
  CHECK(cache.find(b, 1)->account.id == "A2");
}

TEST_CASE("tender view cache: per viewer relation, stale after a commit or at the deadline",
          "[cache][tenders]") {
  TenderViewCache cache;
  core::Actor ent_a{"A1", "enterprise", "1.2.3.4", "", kUsccs[0], ""};
  core::Actor ent_a_other_account{"A9", "enterprise", "5.6.7.8", "", kUsccs[0], ""};
  core::Actor ent_b{"A2", "enterprise", "1.2.3.4", "", kUsccs[1], ""};
  core::Actor anonymous{"anonymous", "public", "1.2.3.4", "", "", ""};
  // Only the relation matters, not the account or the address.
  CHECK(TenderViewCache::key("T1", ent_a) == TenderViewCache::key("T1", ent_a_other_account));
  CHECK(TenderViewCache::key("T1", ent_a) != TenderViewCache::key("T1", ent_b));
  CHECK(TenderViewCache::key("T1", ent_a) != TenderViewCache::key("T2", ent_a));
  CHECK(TenderViewCache::key("T1", ent_a) != TenderViewCache::key("T1", anonymous));

  Response r;
  r.body = R"({"id":"T1"})";
  cache.insert(TenderViewCache::key("T1", ent_a), 41, 10'000, r);
  auto hit = cache.find(TenderViewCache::key("T1", ent_a), 41, 9'999);
  REQUIRE(hit);
  CHECK(hit->body == r.body);
  CHECK_FALSE(cache.find(TenderViewCache::key("T1", ent_b), 41, 9'999));
  CHECK_FALSE(cache.find(TenderViewCache::key("T1", ent_a), 42, 9'999));   // a commit happened
  CHECK_FALSE(cache.find(TenderViewCache::key("T1", ent_a), 41, 10'000));  // the deadline came
}

TEST_CASE("GET /tenders/{id} answers fresh after a bid, a logout and the deadline",
          "[cache][tenders][api]") {
  TenderWorld w;
  std::string id = w.published_tender();
  const std::string t = "/api/v1/tenders/" + id;
  auto bids_seen = [&](const std::string& token) {
    auto r = w.call("GET", t, "", token);
    REQUIRE(r.status == 200);
    return body_json(r).at("bids").as_array().size();
  };
  // Warm the cache for the bidder, another enterprise and the public.
  CHECK(bids_seen(w.enterprises[0]) == 0);
  CHECK(bids_seen(w.enterprises[1]) == 0);
  CHECK(bids_seen("") == 0);
  auto s = seal(id, kUsccs[0], 260, 0x11, "鹭岛方案");
  REQUIRE(w.call("POST", t + "/bids", R"({"commitment_sha256_hex":")" + s.commitment + R"("})",
                 w.enterprises[0])
              .status == 201);
  // The bidder sees its bid at once; nobody else learns that it exists.
  CHECK(bids_seen(w.enterprises[0]) == 1);
  CHECK(bids_seen(w.enterprises[0]) == 1);  // from the cache
  CHECK(bids_seen(w.enterprises[1]) == 0);
  CHECK(bids_seen("") == 0);

  // A logged-out token is refused at once, although its session was cached.
  std::string token = w.enterprises[1];
  REQUIRE(w.call("DELETE", "/api/v1/sessions/current", "", token).status == 204);
  auto after_logout = w.call("GET", t, "", token);
  CHECK(after_logout.status == 401);
  CHECK(error_code(after_logout) == "session_invalid");

  // At the deadline the cached "published" answer is not served any more.
  auto status = [&] { return std::string(body_json(w.call("GET", t)).at("status").as_string()); };
  CHECK(status() == "published");
  w.clock.set_ms(kDeadlineMs);
  CHECK(status() != "published");
}
