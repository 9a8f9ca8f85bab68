// Secrets over the API (issue 11, items 12, 13): logins and logouts go to the
// access record, not the public log; supervisors read it; its head is
// committed once a China day; withheld entries are stubs; an enterprise
// account's USCC is digested.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "accounts/access_record.h"
#include "audit_log/log_store.h"
#include "audit_log/sha256.h"
#include "fixture.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

std::vector<std::string> entry_types(ApiFixture& f) {
  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto entries = audit::read_entries(*reader, 0, 1u << 20);
  REQUIRE(entries.ok());
  std::vector<std::string> types;
  for (const auto& e : *entries) {
    types.emplace_back(boost::json::parse(e.bytes).at("type").as_string());
  }
  return types;
}

}  // namespace

TEST_CASE("logins and logouts go to the access record, not the public log", "[secrets]") {
  ApiFixture f;
  f.add_account("ent", accounts::Role::kEnterprise, "enterprise-pw");
  f.add_account("sup", accounts::Role::kSupervisor, "supervisor-pw");
  const std::uint64_t before = f.ledger->committed_log().size;
  std::string ent = f.login("ent", "enterprise-pw");
  f.clock.advance_ms(1000);
  CHECK(f.call("DELETE", "/api/v1/sessions/current", "", ent).status == 204);
  // Nothing public: the feed shows no login or logout next to a bid stub.
  CHECK(f.ledger->committed_log().size == before);
  for (const auto& t : entry_types(f)) CHECK(t.rfind("session.", 0) != 0);

  std::string sup = f.login("sup", "supervisor-pw");
  auto page = f.call("GET", "/api/v1/access-record?start=0&limit=2", "", sup);
  REQUIRE(page.status == 200);
  auto v = body_json(page);
  CHECK(v.at("size").as_int64() == 3);
  auto items = v.at("items").as_array();
  REQUIRE(items.size() == 2);
  CHECK(v.at("next_cursor").as_int64() == 2);
  auto r0 = boost::json::parse(items[0].at("record").as_string());
  CHECK(r0.at("event").as_string() == "session.created");
  CHECK(r0.at("role").as_string() == "enterprise");
  CHECK(r0.at("prev").as_string() == std::string(64, '0'));
  auto r1 = boost::json::parse(items[1].at("record").as_string());
  CHECK(r1.at("event").as_string() == "session.closed");
  CHECK(r1.at("prev").as_string() == items[0].at("hash").as_string());
  CHECK(items[0].at("hash").as_string() ==
        hex_encode(sha256(std::string_view(items[0].at("record").as_string()))));
  CHECK(page.body.find("192.0.2.10") == std::string::npos);  // the address as a digest
  auto rest = body_json(f.call("GET", "/api/v1/access-record?start=2", "", sup));
  CHECK(rest.at("items").as_array().size() == 1);
  CHECK(rest.at("next_cursor").is_null());
  CHECK(rest.at("head_sha256").as_string() ==
        rest.at("items").as_array()[0].at("hash").as_string());

  // Supervisors only.
  std::string ent2 = f.login("ent", "enterprise-pw");
  CHECK(f.call("GET", "/api/v1/access-record", "", ent2).status == 403);
  std::string admin = f.login("root", "correct horse battery");
  CHECK(f.call("GET", "/api/v1/access-record", "", admin).status == 403);
  CHECK(f.call("GET", "/api/v1/access-record").status == 401);
  CHECK(f.call("GET", "/api/v1/access-record?limit=0", "", sup).status == 400);

  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto head = accounts::verify_access_record(*reader);
  REQUIRE(head.ok());
  CHECK(hex_encode(*head) ==
        body_json(f.call("GET", "/api/v1/access-record", "", sup)).at("head_sha256").as_string());
}

TEST_CASE("the access record's head is committed once a China day has passed", "[secrets]") {
  ApiFixture f(/*dev_clock=*/false);
  // 2026-01-01T00:00Z is 08:00 in China; the China day ends at 16:00Z.
  f.add_account("ent", accounts::Role::kEnterprise, "enterprise-pw");
  f.login("ent", "enterprise-pw");
  const std::int64_t day_end = kT0 + 16 * 3'600'000;
  CHECK(accounts::china_date(kT0) == "2026-01-01");
  CHECK(accounts::china_day_start_ms(day_end) == day_end);

  auto commit_at = [&](std::int64_t now) {
    auto r = f.ledger->run<bool>(
        [now](audit::WriteTxn& txn) { return accounts::commit_access_record_day(txn, now); });
    REQUIRE(r.ok());
    return *r;
  };
  // At 23:59:59.999 China time nothing has ended yet.
  CHECK_FALSE(commit_at(day_end - 1));
  // A login after the day's end belongs to the next day.
  f.clock.set_ms(day_end + 5);
  f.login("ent", "enterprise-pw");
  const std::uint64_t size = f.ledger->committed_log().size;
  REQUIRE(commit_at(day_end + 10));
  CHECK(f.ledger->committed_log().size == size + 1);
  CHECK_FALSE(commit_at(day_end + 20));  // once per day

  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto entries = audit::read_entries(*reader, size, size + 1);
  REQUIRE(entries.ok());
  auto e = boost::json::parse((*entries)[0].bytes);
  CHECK(e.at("type").as_string() == "access_record.committed");
  CHECK(e.at("actor").as_string() == "system");
  auto payload = e.at("payload").as_object();
  CHECK(payload.size() == 2);
  CHECK(payload.at("day").as_string() == "2026-01-01");
  // The head as of the day's end: the first login's record, not the second.
  auto page = accounts::read_access_record(*reader, 0, 10);
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 2);
  CHECK(payload.at("head_sha256").as_string() == hex_encode(page->items[0].hash));
}

TEST_CASE("the background tick commits the access record with the injectable clock", "[secrets]") {
  ApiFixture f(/*dev_clock=*/true);
  f.add_account("ent", accounts::Role::kEnterprise, "enterprise-pw");
  f.login("ent", "enterprise-pw");
  // The Api's clock (the fixture's manual clock) passes a China midnight;
  // POST /dev/clock (admin only) runs the tick as the background thread would.
  f.clock.advance_ms(86'400'000);
  const std::string admin = f.login("root", "correct horse battery");
  REQUIRE(f.call("POST", "/api/v1/dev/clock", R"({"advance_s":1})", admin).status == 200);
  bool committed = false;
  for (const auto& t : entry_types(f)) committed = committed || t == "access_record.committed";
  CHECK(committed);
}

TEST_CASE("an enterprise account's USCC enters account.created only as a digest", "[secrets]") {
  ApiFixture f;
  const std::uint64_t before = f.ledger->committed_log().size;
  f.add_account("ent", accounts::Role::kEnterprise, "enterprise-pw");
  f.add_account("ent2", accounts::Role::kEnterprise, "enterprise-pw");
  auto reader = f.ledger->open_reader();
  REQUIRE(reader.ok());
  auto entries = audit::read_entries(*reader, before, before + 2);
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 2);
  std::string d[2];
  for (int i = 0; i < 2; ++i) {
    const auto& bytes = (*entries)[static_cast<std::size_t>(i)].bytes;
    CHECK(bytes.find("91110108MA01B2C344") == std::string::npos);
    auto p = boost::json::parse(bytes).at("payload").as_object();
    CHECK_FALSE(p.contains("enterprise_uscc"));
    d[i] = std::string(p.at("enterprise_uscc_digest").as_string());
  }
  // Two accounts of one enterprise still show as the same digest.
  CHECK(d[0] == d[1]);
  auto opened = audit::open_personal_digest(*reader, d[0]);
  REQUIRE(opened.ok());
  CHECK(opened->value == "91110108MA01B2C344");
}
