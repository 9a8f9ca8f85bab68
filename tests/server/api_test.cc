// The router and handlers, without a socket.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "audit_log/log_store.h"
#include "audit_log/merkle.h"
#include "audit_log/verify.h"
#include "fixture.h"
#include "server/error_response.h"
#include "server/limits.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

bool has_header(const Response& r, const std::string& name, const std::string& value) {
  for (auto& [k, v] : r.headers) {
    if (k == name && v == value) return true;
  }
  return false;
}

std::string header(const Response& r, const std::string& name) {
  for (auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

TEST_CASE("errors have one shape: code, message and details", "[api]") {
  ApiFixture f;
  auto r = f.call("GET", "/api/v1/no/such/thing");
  CHECK(r.status == 404);
  auto v = body_json(r);
  REQUIRE(v.is_object());
  REQUIRE(v.as_object().size() == 1);
  auto& e = v.at("error").as_object();
  CHECK(e.at("code").as_string() == "not_found");
  CHECK(e.at("message").as_string() == "未找到 / not found");
  CHECK(e.at("details").is_object());
  CHECK(e.at("message_zh").as_string() == "未找到");
  CHECK(e.at("message_en").as_string() == "not found");
  CHECK(e.size() == 5);
  CHECK(r.content_type == "application/json; charset=utf-8");
  CHECK(has_header(r, "Cache-Control", "no-store"));

  CHECK(f.call("GET", "/health").status == 404);        // outside /api/v1
  CHECK(f.call("GET", "/api/v1health").status == 404);  // not a path segment
  auto m = f.call("PUT", "/api/v1/health");
  CHECK(m.status == 405);
  CHECK(error_code(m) == "method_not_allowed");
}

TEST_CASE("the error kinds map codes to statuses", "[api]") {
  auto status = [](std::string_view code) {
    return http_status(make_error(std::string(code), "").kind);
  };
  CHECK(status("invalid_json") == 400);
  CHECK(status("non_integer_number") == 400);
  CHECK(status("unknown_field") == 400);
  CHECK(status("unauthenticated") == 401);
  CHECK(status("forbidden") == 403);
  CHECK(status("not_found") == 404);
  CHECK(status("username_taken") == 409);
  CHECK(status("body_too_large") == 413);
  CHECK(status("index_out_of_range") == 422);
  CHECK(status("too_many_attempts") == 429);
  CHECK(status("storage_error") == 500);
  CHECK(status("something_new") == 500);
  // A 500 never leaks the internal message.
  auto r = error_response(make_error("storage_error", "SELECT * FROM secret failed"));
  CHECK(r.status == 500);
  CHECK(r.body.find("secret") == std::string::npos);
}

TEST_CASE("health answers status and time from the clock", "[api]") {
  ApiFixture f;
  auto r = f.call("GET", "/api/v1/health");
  CHECK(r.status == 200);
  auto v = body_json(r);
  CHECK(v.at("status").as_string() == "ok");
  CHECK(v.at("time").as_string() == "2026-01-01T00:00:00.000Z");
}

TEST_CASE("login, use the token, log out", "[api][sessions]") {
  ApiFixture f;
  std::uint64_t before = f.ledger->committed_log().size;
  auto r = f.call("POST", "/api/v1/sessions",
                  R"({"username":"root","password":"correct horse battery"})");
  REQUIRE(r.status == 201);
  auto v = body_json(r);
  std::string token(v.at("token").as_string());
  CHECK(token.size() == 64);
  CHECK(v.at("role").as_string() == "admin");
  CHECK(v.at("account_id").as_string() == f.admin_id);
  // 12 hours after 2026-01-01T00:00:00Z.
  CHECK(v.at("expires_at").as_string() == "2026-01-01T12:00:00.000Z");
  // Logins and logouts go to the access record, not the public log (issue
  // 11, item 13; this test expected a public session.created before).
  CHECK(f.ledger->committed_log().size == before);

  // The token works on an admin-only endpoint (metrics from a non-loopback peer).
  CHECK(f.call("GET", "/api/v1/metrics", "", token).status == 200);
  CHECK(f.call("GET", "/api/v1/metrics").status == 401);

  auto out = f.call("DELETE", "/api/v1/sessions/current", "", token);
  CHECK(out.status == 204);
  CHECK(out.body.empty());
  CHECK(f.ledger->committed_log().size == before);
  auto again = f.call("GET", "/api/v1/metrics", "", token);
  CHECK(again.status == 401);
  CHECK(error_code(again) == "session_invalid");
}

TEST_CASE("a session expires after 12 hours", "[api][sessions]") {
  ApiFixture f;
  std::string token = f.login("root", "correct horse battery");
  f.clock.advance_ms(12LL * 3600 * 1000 - 1);
  CHECK(f.call("GET", "/api/v1/metrics", "", token).status == 200);
  f.clock.advance_ms(1);
  auto r = f.call("GET", "/api/v1/metrics", "", token);
  CHECK(r.status == 401);
  CHECK(error_code(r) == "session_invalid");
}

TEST_CASE("malformed bearer tokens are refused, even on public endpoints", "[api][sessions]") {
  ApiFixture f;
  Request r;
  r.method = "GET";
  r.target = "/api/v1/health";
  r.peer_address = "192.0.2.1";
  for (const std::string& h : std::vector<std::string>{
           "Bearer ", "Bearer xyz", "Basic cm9vdDpwdw==", "Bearer " + std::string(64, 'A'),
           "Bearer " + std::string(64, '0')}) {
    r.authorization = h;
    auto resp = f.api->handle(r);
    CHECK(resp.status == 401);
    CHECK(error_code(resp) == "session_invalid");
  }
}

TEST_CASE("wrong password and unknown user answer the same, and write nothing", "[api][sessions]") {
  ApiFixture f;
  std::uint64_t before = f.ledger->committed_log().size;
  auto a = f.call("POST", "/api/v1/sessions", R"({"username":"root","password":"wrong one!"})");
  auto b = f.call("POST", "/api/v1/sessions", R"({"username":"nobody","password":"wrong one!"})");
  CHECK(a.status == 401);
  CHECK(b.status == 401);
  CHECK(a.body == b.body);
  CHECK(f.ledger->committed_log().size == before);
}

// Changed for issue 11 (security A9): this test used to lock the account out
// for every address after 5 failures from one; now failures count per
// (account, address) pair, with backoff instead of a lockout.
TEST_CASE("login throttling: 5 free failures per account and address, then backoff",
          "[api][throttle]") {
  ApiFixture f;
  const std::string bad = R"({"username":"root","password":"not the password"})";
  const std::string good = R"({"username":"root","password":"correct horse battery"})";
  for (int i = 0; i < limits::kMaxLoginFailures; ++i) {
    f.clock.set_ms(kT0 + i * 1000);
    CHECK(f.call("POST", "/api/v1/sessions", bad, "", "198.51.100.1").status == 401);
  }
  // The fifth failure (at T0+4 s) holds the pair for kLoginBackoffBase (1 s),
  // even with the right password.
  auto r = f.call("POST", "/api/v1/sessions", good, "", "198.51.100.1");
  CHECK(r.status == 429);
  CHECK(error_code(r) == "too_many_attempts");
  CHECK(header(r, "Retry-After") == "1");
  CHECK(body_json(r).at("error").at("details").at("retry_after_s").as_int64() == 1);
  // The account itself is not locked: from another address it logs in.
  CHECK(f.call("POST", "/api/v1/sessions", good, "", "198.51.100.2").status == 201);
  // At the exact instant the delay ends, the pair may try again.
  f.clock.set_ms(kT0 + 5000 - 1);
  CHECK(f.call("POST", "/api/v1/sessions", good, "", "198.51.100.1").status == 429);
  f.clock.set_ms(kT0 + 5000);
  CHECK(f.call("POST", "/api/v1/sessions", bad, "", "198.51.100.1").status == 401);
  // The sixth failure doubles the delay: 2 s.
  auto twice = f.call("POST", "/api/v1/sessions", good, "", "198.51.100.1");
  CHECK(twice.status == 429);
  CHECK(header(twice, "Retry-After") == "2");
  f.clock.set_ms(kT0 + 7000);
  CHECK(f.call("POST", "/api/v1/sessions", good, "", "198.51.100.1").status == 201);
}

TEST_CASE("strict JSON bodies: 400 naming the field", "[api][json]") {
  ApiFixture f;
  auto dup = f.call("POST", "/api/v1/sessions",
                    R"({"username":"root","username":"x","password":"correct horse battery"})");
  CHECK(dup.status == 400);
  CHECK(error_code(dup) == "invalid_json");
  CHECK(body_json(dup).at("error").at("details").at("field").as_string() == "/username");

  auto unknown = f.call("POST", "/api/v1/sessions",
                        R"({"username":"root","password":"correct horse battery","otp":1})");
  CHECK(unknown.status == 400);
  CHECK(error_code(unknown) == "unknown_field");
  CHECK(body_json(unknown).at("error").at("details").at("field").as_string() == "/otp");

  auto missing = f.call("POST", "/api/v1/sessions", R"({"username":"root"})");
  CHECK(missing.status == 400);
  CHECK(error_code(missing) == "missing_field");
  CHECK(body_json(missing).at("error").at("details").at("field").as_string() == "/password");

  auto wrong = f.call("POST", "/api/v1/sessions", R"({"username":7,"password":"x"})");
  CHECK(wrong.status == 400);
  CHECK(error_code(wrong) == "invalid_field");

  std::string token = f.login("root", "correct horse battery");
  auto frac = f.call("POST", "/api/v1/dev/clock", R"({"advance_s":1.5})", token);
  CHECK(frac.status == 404);  // no --dev-clock here

  ApiFixture d(true);
  auto nonint = d.call("POST", "/api/v1/dev/clock", R"({"advance_s":1.5})",
                       d.login("root", "correct horse battery"));
  CHECK(nonint.status == 400);
  CHECK(error_code(nonint) == "non_integer_number");
  CHECK(body_json(nonint).at("error").at("details").at("field").as_string() == "/advance_s");

  auto garbage = f.call("POST", "/api/v1/sessions", "{\"username\":");
  CHECK(garbage.status == 400);
  CHECK(error_code(garbage) == "invalid_json");
}

TEST_CASE("body too large: 413, roster uploads allowed 16 MiB", "[api][limits]") {
  // Changed for issue 11 (security A11): without a session the limit is
  // kMaxAnonymousBodyBytes; 1 MiB needs a session.
  ApiFixture f;
  std::string token = f.login("root", "correct horse battery");
  std::string big(limits::kMaxBodyBytes + 1, ' ');
  auto r = f.call("POST", "/api/v1/sessions", big, token);
  CHECK(r.status == 413);
  CHECK(error_code(r) == "body_too_large");
  // Exactly the limit passes the size check (and fails as JSON instead).
  std::string exact(limits::kMaxBodyBytes, ' ');
  CHECK(f.call("POST", "/api/v1/sessions", exact, token).status == 400);
  CHECK(f.call("POST", "/api/v1/sessions", exact).status == 413);
  CHECK(
      f.call("POST", "/api/v1/sessions", std::string(limits::kMaxAnonymousBodyBytes, ' ')).status ==
      400);
  CHECK(f.call("POST", "/api/v1/sessions", std::string(limits::kMaxAnonymousBodyBytes + 1, ' '))
            .status == 413);

  // The limit the network layer reads up to comes from the route's row
  // (Body::kCsvUpload) and the caller's role.
  auto limit = [&](std::string method, std::string target, const std::string& bearer) {
    Request head;
    head.method = std::move(method);
    head.target = std::move(target);
    if (!bearer.empty()) head.authorization = "Bearer " + bearer;
    return f.api->body_limit(head);
  };
  CHECK(limit("PUT", "/api/v1/communities/c1/roster", token) == limits::kMaxRosterBodyBytes);
  CHECK(limit("PUT", "/api/v1/communities/c1/roster?x=1", token) == limits::kMaxRosterBodyBytes);
  CHECK(limit("POST", "/api/v1/communities/c1/roster", token) == limits::kMaxBodyBytes);
  CHECK(limit("PUT", "/api/v1/communities//roster", token) == limits::kMaxBodyBytes);
  CHECK(limit("PUT", "/api/v1/tenders/t1", token) == limits::kMaxBodyBytes);
  CHECK(limit("PUT", "/api/v1/communities/c1/roster", "") == limits::kMaxAnonymousBodyBytes);
}

TEST_CASE("accounts: admin only, validated, logged without personal data in clear",
          "[api][accounts]") {
  ApiFixture f;
  std::string admin = f.login("root", "correct horse battery");
  f.add_account("sup", accounts::Role::kSupervisor, "supervisor pw");
  std::string sup = f.login("sup", "supervisor pw");
  std::string body = R"({"username":"wang.tenderer","password":"s3cret-enough","role":"tenderer",)"
                     R"("display_name":"王业委会","community_id":"c-42"})";

  CHECK(f.call("POST", "/api/v1/accounts", body).status == 401);
  auto forbidden = f.call("POST", "/api/v1/accounts", body, sup);
  CHECK(forbidden.status == 403);
  CHECK(error_code(forbidden) == "forbidden");

  // The community must exist (tender_core's register); a refusal writes nothing.
  std::uint64_t before_missing = f.ledger->committed_log().size;
  auto missing = f.call("POST", "/api/v1/accounts", body, admin);
  CHECK(missing.status == 422);
  CHECK(error_code(missing) == "account_relation_invalid");
  CHECK(body_json(missing).at("error").at("details").at("field").as_string() == "/community_id");
  CHECK(f.ledger->committed_log().size == before_missing);
  auto community = f.call(
      "POST", "/api/v1/communities",
      R"({"name":"金山花园","district":"湖里区","street":"金山街道","address":"金山路88号"})",
      admin);
  REQUIRE(community.status == 201);
  CHECK(body_json(community).at("id").as_string() == "C1");
  body.replace(body.find("c-42"), 4, "C1");

  std::uint64_t before = f.ledger->committed_log().size;
  auto created = f.call("POST", "/api/v1/accounts", body, admin, "203.0.113.9");
  REQUIRE(created.status == 201);
  auto v = body_json(created);
  std::string id(v.at("id").as_string());
  CHECK(v.at("role").as_string() == "tenderer");
  REQUIRE(f.ledger->committed_log().size == before + 1);

  // The entry: actor and role of the admin, a digest as source, no name in clear.
  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto entries = audit::read_entries(*reader, before, before + 1);
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 1);
  const std::string& bytes = (*entries)[0].bytes;
  auto e = boost::json::parse(bytes);
  CHECK(e.at("type").as_string() == "account.created");
  CHECK(e.at("role").as_string() == "admin");
  CHECK(e.at("actor").as_string() == f.admin_id);
  CHECK(e.at("source").as_string().size() == 64);
  CHECK(e.at("payload").at("account").as_string() == id);
  CHECK(bytes.find("wang.tenderer") == std::string::npos);
  CHECK(bytes.find("王业委会") == std::string::npos);
  CHECK(bytes.find("203.0.113.9") == std::string::npos);
  CHECK(bytes.find("s3cret") == std::string::npos);
  auto opened = audit::open_personal_digest(
      *reader, std::string(e.at("payload").at("username_digest").as_string()));
  REQUIRE(opened.ok());
  CHECK(opened->value == "wang.tenderer");
  // The source digest has a salt of the entry's own: opened with the digest
  // key and the entry's index.
  auto src = audit::open_source_digest(*reader, f.ledger->digest_key(), before);
  REQUIRE(src.ok());
  CHECK(src->value == "203.0.113.9");

  // The new account can log in.
  CHECK(f.login("wang.tenderer", "s3cret-enough").size() == 64);

  // Duplicates conflict and change nothing.
  std::uint64_t after = f.ledger->committed_log().size;
  auto dup = f.call("POST", "/api/v1/accounts", body, admin);
  CHECK(dup.status == 409);
  CHECK(error_code(dup) == "username_taken");
  CHECK(f.ledger->committed_log().size == after);

  // Role requirements.
  auto no_community = f.call(
      "POST", "/api/v1/accounts",
      R"({"username":"li.owner","password":"s3cret-enough","role":"owner","display_name":"李",)"
      R"("owner_key":"k1"})",
      admin);
  CHECK(no_community.status == 400);
  CHECK(body_json(no_community).at("error").at("details").at("field").as_string() ==
        "/community_id");
  auto bad_uscc = f.call(
      "POST", "/api/v1/accounts",
      R"({"username":"acme","password":"s3cret-enough","role":"enterprise","display_name":"甲公司",)"
      R"("enterprise_uscc":"91110108MA01B2C345"})",
      admin);
  CHECK(bad_uscc.status == 400);
  CHECK(body_json(bad_uscc).at("error").at("details").at("field").as_string() ==
        "/enterprise_uscc");
  const std::string acme =
      R"({"username":"acme","password":"s3cret-enough","role":"enterprise","display_name":"甲公司",)"
      R"("enterprise_uscc":"91110108MA01B2C344"})";
  // A valid code that is not a registered enterprise is refused.
  auto unregistered = f.call("POST", "/api/v1/accounts", acme, admin);
  CHECK(unregistered.status == 422);
  CHECK(body_json(unregistered).at("error").at("details").at("field").as_string() ==
        "/enterprise_uscc");
  REQUIRE(f.call("POST", "/api/v1/enterprises", R"({"uscc":"91110108MA01B2C344","name":"甲公司"})",
                 admin)
              .status == 201);
  auto good_uscc = f.call("POST", "/api/v1/accounts", acme, admin);
  CHECK(good_uscc.status == 201);
  auto bad_role = f.call(
      "POST", "/api/v1/accounts",
      R"({"username":"x1x","password":"s3cret-enough","role":"root","display_name":"x"})", admin);
  CHECK(bad_role.status == 400);
  auto short_pw =
      f.call("POST", "/api/v1/accounts",
             R"({"username":"x1x","password":"short","role":"admin","display_name":"x"})", admin);
  CHECK(short_pw.status == 400);
  CHECK(body_json(short_pw).at("error").at("details").at("field").as_string() == "/password");
}

TEST_CASE("metrics: admin or loopback", "[api][policy]") {
  ApiFixture f;
  auto local = f.call("GET", "/api/v1/metrics", "", "", "127.0.0.1");
  CHECK(local.status == 200);
  CHECK(local.content_type.starts_with("text/plain; version=0.0.4"));
  CHECK(local.body.find("sunbid_audit_log_size ") != std::string::npos);
  CHECK(f.call("GET", "/api/v1/metrics", "", "", "::1").status == 200);
  CHECK(f.call("GET", "/api/v1/metrics", "", "", "10.0.0.1").status == 401);
  f.add_account("sup", accounts::Role::kSupervisor, "supervisor pw");
  std::string sup = f.login("sup", "supervisor pw");
  CHECK(f.call("GET", "/api/v1/metrics", "", sup, "10.0.0.1").status == 403);
}

TEST_CASE("X-Forwarded-For counts only from trusted proxies", "[api]") {
  ApiFixture f(false, {"10.0.0.2"});
  Request r;
  r.peer_address = "10.0.0.2";
  r.x_forwarded_for = "1.2.3.4, 198.51.100.7";
  CHECK(f.api->client_address(r) == "198.51.100.7");
  r.x_forwarded_for = "198.51.100.7, not-an-ip";
  CHECK(f.api->client_address(r) == "10.0.0.2");
  r.peer_address = "10.0.0.3";
  r.x_forwarded_for = "127.0.0.1";
  CHECK(f.api->client_address(r) == "10.0.0.3");
  // An untrusted peer cannot pose as loopback to read metrics.
  Request m;
  m.method = "GET";
  m.target = "/api/v1/metrics";
  m.peer_address = "10.0.0.3";
  m.x_forwarded_for = "127.0.0.1";
  CHECK(f.api->handle(m).status == 401);
}

TEST_CASE("audit endpoints: checkpoint, key, entries, proofs", "[api][audit]") {
  ApiFixture f;
  for (int i = 0; i < 6; ++i)
    f.add_account("user" + std::to_string(i), accounts::Role::kSupervisor, "password-x");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  std::uint64_t size = f.ledger->committed_log().size;
  REQUIRE(size == 7);

  auto key = f.call("GET", "/api/v1/audit/key");
  REQUIRE(key.status == 200);
  CHECK(key.body == f.ledger->verifier_key());
  auto cp = f.call("GET", "/api/v1/audit/checkpoint");
  REQUIRE(cp.status == 200);
  CHECK(cp.content_type == "text/plain; charset=utf-8");
  auto checkpoint = audit::verify_checkpoint_note(cp.body, key.body);
  REQUIRE(checkpoint.ok());
  CHECK(checkpoint->size == size);

  auto page = f.call("GET", "/api/v1/audit/entries?start=2&end=5");
  REQUIRE(page.status == 200);
  auto v = body_json(page);
  auto& items = v.at("items").as_array();
  REQUIRE(items.size() == 3);
  CHECK(items[0].at("index").as_int64() == 2);
  CHECK(v.at("next_cursor").as_int64() == 5);
  CHECK(v.at("log_size").as_int64() == 7);
  // Entries are served byte for byte as stored.
  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto stored = audit::read_entries(*reader, 2, 5);
  REQUIRE(stored.ok());
  CHECK(page.body.find("[" + (*stored)[0].bytes + "," + (*stored)[1].bytes + "," +
                       (*stored)[2].bytes + "]") != std::string::npos);
  auto last = body_json(f.call("GET", "/api/v1/audit/entries?start=5"));
  CHECK(last.at("items").as_array().size() == 2);
  CHECK(last.at("next_cursor").is_null());
  CHECK(f.call("GET", "/api/v1/audit/entries?start=-1").status == 400);
  CHECK(f.call("GET", "/api/v1/audit/entries?start=x").status == 400);
  CHECK(f.call("GET", "/api/v1/audit/entries?start=5&end=4").status == 400);
  CHECK(f.call("GET", "/api/v1/audit/entries?start=1&start=2").status == 400);

  for (std::uint64_t i = 0; i < size; ++i) {
    auto inc = f.call("GET", "/api/v1/audit/proof/inclusion?index=" + std::to_string(i));
    REQUIRE(inc.status == 200);
    auto a = body_json(inc);
    CHECK(a.at("tree_size").as_int64() == static_cast<std::int64_t>(size));
    CHECK(std::string(a.at("checkpoint").as_string()) == cp.body);
    std::vector<Hash> proof;
    for (auto& h : a.at("proof").as_array()) proof.push_back(*hash_from_hex(h.as_string()));
    // The leaf is recomputed from the entry's stored bytes, not taken from the answer.
    auto e = audit::read_entries(*reader, i, i + 1);
    REQUIRE(e.ok());
    Hash leaf = audit::leaf_hash((*e)[0].bytes);
    CHECK(audit::verify_inclusion(leaf, i, size, proof, checkpoint->root).ok());
    // A proof for another index does not verify.
    if (size > 1)
      CHECK_FALSE(
          audit::verify_inclusion(leaf, (i + 1) % size, size, proof, checkpoint->root).ok());
  }
  auto out_of_range = f.call("GET", "/api/v1/audit/proof/inclusion?index=7");
  CHECK(out_of_range.status == 422);
  CHECK(f.call("GET", "/api/v1/audit/proof/inclusion").status == 400);
  CHECK(f.call("GET", "/api/v1/audit/proof/inclusion?index=0&tree_size=3").status == 404);

  // Grow the log and prove consistency between the two checkpoints.
  f.add_account("late", accounts::Role::kSupervisor, "password-x");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto cons = f.call("GET", "/api/v1/audit/proof/consistency?first=7");
  REQUIRE(cons.status == 200);
  auto c = body_json(cons);
  CHECK(c.at("second").as_int64() == 8);
  auto second =
      audit::verify_checkpoint_note(std::string(c.at("checkpoint").as_string()), key.body);
  REQUIRE(second.ok());
  std::vector<Hash> proof;
  for (auto& h : c.at("proof").as_array()) proof.push_back(*hash_from_hex(h.as_string()));
  CHECK(audit::verify_consistency(7, 8, proof, checkpoint->root, second->root).ok());
  CHECK_FALSE(audit::verify_consistency(7, 8, proof, second->root, checkpoint->root).ok());
}

TEST_CASE("a withheld entry shows only its stub {index, leaf_hash, entry_hash}, naming no tender",
          "[api][audit]") {
  ApiFixture f;
  std::int64_t release = kT0 + 3600 * 1000;
  std::string secret_bytes;
  REQUIRE(f.ledger
              ->execute([&](audit::WriteTxn& txn) -> Status {
                audit::EntryDraft d;
                d.type = "bid.committed";
                d.tender = "t1";
                d.payload = {{"commitment", "abc123"}};
                d.release_at_ms = release;
                SUNBID_TRY(txn.append(d));
                return {};
              })
              .ok());
  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto stored = audit::read_entries(*reader, 1, 2);
  REQUIRE(stored.ok());
  REQUIRE(stored->size() == 1);
  secret_bytes = (*stored)[0].bytes;

  auto before = f.call("GET", "/api/v1/audit/entries?start=1");
  REQUIRE(before.status == 200);
  auto item = body_json(before).at("items").as_array().at(0).as_object();
  CHECK(item.size() == 3);
  CHECK(item.at("index").as_int64() == 1);
  CHECK(item.at("leaf_hash").as_string() == hex_encode(audit::leaf_hash(secret_bytes)));
  // The entry hash, so the chain verifies through the stub; no release
  // instant (the tender's deadline would tie the entry to its tender).
  CHECK(item.at("entry_hash").as_string() == hex_encode(audit::entry_hash(secret_bytes)));
  CHECK_FALSE(item.contains("withheld_until"));
  CHECK(before.body.find("abc123") == std::string::npos);
  CHECK(before.body.find("t1") == std::string::npos);
  CHECK(before.body.find("2026-01-01T01:00") == std::string::npos);

  f.clock.set_ms(release);
  auto after = f.call("GET", "/api/v1/audit/entries?start=1");
  CHECK(after.body.find(secret_bytes) != std::string::npos);
}

TEST_CASE("dev clock: 404 without --dev-clock, advances and logs with it", "[api]") {
  ApiFixture plain;
  CHECK(plain.call("POST", "/api/v1/dev/clock", R"({"advance_s":60})").status == 404);
  ApiFixture f(true);
  // Admin only (issue 11, security A16; it used to be anonymous).
  std::string admin = f.login("root", "correct horse battery");
  std::int64_t before = f.dev.now_ms();
  std::uint64_t size = f.ledger->committed_log().size;
  auto r = f.call("POST", "/api/v1/dev/clock", R"({"advance_s":86400})", admin);
  REQUIRE(r.status == 200);
  CHECK(f.dev.now_ms() - before >= 86400 * 1000);
  CHECK(f.ledger->committed_log().size == size + 1);
  CHECK(f.call("POST", "/api/v1/dev/clock", R"({"advance_s":0})", admin).status == 400);
  CHECK(f.call("POST", "/api/v1/dev/clock", R"({"advance_s":-5})", admin).status == 400);
}

TEST_CASE("regression: an error answer echoing invalid UTF-8 is still valid JSON", "[api][fuzz]") {
  // Found by fuzz_http_request: a repeated, percent-decoded query name with a
  // byte that is not UTF-8 went into details.field.
  ApiFixture f;
  auto r = f.call("GET", "/api/v1/audit/entries?%FF=1&%FF=2");
  CHECK(r.status == 400);
  CHECK(error_code(r) == "invalid_query");
  CHECK(body_json(r).at("error").at("details").as_object().empty());
  // Valid UTF-8 details are kept.
  auto ok = f.call("GET", "/api/v1/audit/entries?%E5%BC%80=1&%E5%BC%80=2");
  CHECK(body_json(ok).at("error").at("details").at("field").as_string() == "开");
  Request bad_ct;
  bad_ct.method = "POST";
  bad_ct.target = "/api/v1/sessions";
  bad_ct.content_type = "app\x9dication/json";
  bad_ct.body = "{}";
  auto ct = f.api->handle(bad_ct);
  CHECK(ct.status == 415);
  CHECK(body_json(ct).at("error").at("code").as_string() == "unsupported_media_type");
}
