// A ledger on real files with tender_core's schema, a manual clock, the
// registry and the tender service, and helpers to compare state before and
// after a command.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "audit_log/log_store.h"
#include "audit_log/sha256.h"
#include "temp_dir.h"
#include "tender_core/bid_commitment.h"
#include "tender_core/registry.h"
#include "tender_core/schema.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

// Valid USCCs (the same as in uscc_test.cc) and an early Fujian pilot code.
inline const std::string kUsccA = "91350200776049653A";
inline const std::string kUsccB = "91350500798359476R";
inline const std::string kUsccC = "91350503MA31DKY80A";
inline const std::string kUsccD = "91350200MA31E12PXF";
inline const std::string kUsccPilot = "91350203M0001QAY9B";

namespace sunbid::testing {

inline std::int64_t ms(std::string_view rfc3339) {
  auto r = core::parse_rfc3339_ms(rfc3339);
  REQUIRE(r.ok());
  return *r;
}

inline constexpr std::int64_t kDayMs = 86'400'000;

class CoreFixture {
 public:
  explicit CoreFixture(std::int64_t start_ms = ms("2025-06-01T00:00:00Z"),
                       std::size_t max_batch = 4096,
                       std::vector<audit::Migration> migrations = core::tender_core_migrations())
      : clock(start_ms) {
    open(std::move(migrations), max_batch);
    admin = actor("admin-1", "admin");
    supervisor = actor("sup-1", "supervisor");
  }

  // Closes the ledger and opens the same files again with `migrations`.
  void open(std::vector<audit::Migration> migrations, std::size_t max_batch = 4096) {
    service.reset();
    registry.reset();
    ledger.reset();
    audit::LedgerOptions o;
    o.data_dir = dir.path();
    o.migrations = std::move(migrations);
    o.clock = &clock;
    o.publish_checkpoints = false;
    o.max_batch = max_batch;
    auto l = audit::Ledger::open(std::move(o));
    if (!l.ok()) FAIL(l.error().to_string());
    ledger = std::move(l).value();
    registry = std::make_unique<core::Registry>(*ledger);
    service = std::make_unique<core::TenderService>(*ledger, clock);
  }

  static core::Actor actor(std::string account, std::string role, std::string community = "",
                           std::string uscc = "") {
    core::Actor a;
    a.account = std::move(account);
    a.role = std::move(role);
    a.source_address = "127.0.0.1";
    a.community_id = std::move(community);
    a.enterprise_uscc = std::move(uscc);
    return a;
  }

  audit::Database reader() {
    auto db = ledger->open_reader();
    REQUIRE(db.ok());
    return std::move(db).value();
  }

  // (log size, digest of every tender_core table and audit_withheld)
  std::pair<std::uint64_t, std::string> snapshot() {
    auto db = reader();
    auto n = audit::log_size(db);
    REQUIRE(n.ok());
    auto d = core::core_tables_digest(db);
    REQUIRE(d.ok());
    return {*n, *d};
  }

  std::uint64_t log_size() { return snapshot().first; }

  std::vector<std::string> all_entries() {
    auto db = reader();
    auto n = audit::log_size(db);
    REQUIRE(n.ok());
    auto es = audit::read_entries(db, 0, *n);
    REQUIRE(es.ok());
    std::vector<std::string> out;
    for (auto& e : *es) out.push_back(e.bytes);
    return out;
  }

  TempDir dir;
  ManualClock clock;
  std::unique_ptr<audit::Ledger> ledger;
  std::unique_ptr<core::Registry> registry;
  std::unique_ptr<core::TenderService> service;
  core::Actor admin;
  core::Actor supervisor;
};

// A community with a roster, service tier T2, four rated enterprises and a
// tenderer: the stage on which tenders are played.
struct Market {
  core::Actor tenderer;
  core::Actor owner;
  std::vector<core::Actor> enterprises;  // kUsccA..kUsccD
};

inline Market setup_market(CoreFixture& f) {
  Market m;
  auto c =
      f.registry->create_community(f.admin, {"海沧湾花园", "海沧区", "海沧街道", "滨湖北路1号"});
  REQUIRE(c.ok());
  REQUIRE(f.registry
              ->import_roster(f.admin, c->id,
                              "unit,area_centi_m2,owner_key,owner_name,status\n"
                              "1-101,8950,K1,王芳,sold\n1-102,10050,K2,李明,sold\n")
              .ok());
  REQUIRE(f.registry->replace_service_tiers(f.admin, {{"T2", "二级", 150, 300, {"保洁"}}}).ok());
  const std::string usccs[] = {kUsccA, kUsccB, kUsccC, kUsccD};
  std::vector<core::RatingInput> ratings;
  int i = 0;
  for (const auto& u : usccs) {
    REQUIRE(f.registry->register_enterprise(f.admin, {u, "物业公司" + std::to_string(i)}).ok());
    m.enterprises.push_back(CoreFixture::actor("ent-" + std::to_string(i), "enterprise", "", u));
    ratings.push_back({u, {"AA", 9000 - i * 100, 4, false, ms("2025-01-01T00:00:00Z")}});
    ++i;
  }
  REQUIRE(f.registry->record_ratings(f.admin, ratings).ok());
  m.tenderer = CoreFixture::actor("tenderer-1", "tenderer", c->id);
  m.owner = CoreFixture::actor("owner-1", "owner", c->id);
  m.owner.owner_key = "K1";
  return m;
}

inline boost::json::object rules_json(std::string_view deadline, int min_valid_bids = 3,
                                      std::int64_t reveal_window_s = 86400) {
  boost::json::object r;
  r["service_tier"] = "T2";
  r["area_centi_m2"] = 12345600;
  r["qualification"] = {{"min_credit_grade", "A"}, {"min_star_rating", 3}};
  r["criteria"] =
      boost::json::array{boost::json::object{{"code", "staffing"}, {"title", "人员配置"}}};
  r["committee_size"] = 5;
  r["min_valid_bids"] = min_valid_bids;
  r["candidate_cap"] = 3;
  r["candidate_cap_method"] = "lowest_price";
  r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", true}};
  r["beacon_source"] = "上证综合指数次一交易日收盘值";
  r["bid_deadline"] = deadline;
  r["reveal_window_s"] = reveal_window_s;
  r["candidate_publicity_days"] = 15;  // owners_vote: its vote notice (物业管理条例 12)
  r["vote_window_days"] = 7;
  r["award_publicity_days"] = 3;
  return r;
}

// Fits the vote window fields to the rules' decision method, so that a test
// may switch methods by setting "decision" alone: owners_vote counts its
// window in calendar days (vote_window_days), the committee methods each
// round in seconds (vote_window_s, 7 days unless set), the other methods
// have none (tender_rules.h).
inline void fit_vote_window(boost::json::object& r) {
  const auto method = r.at("decision").at("method").as_string();
  auto get = [&](const char* k) -> std::int64_t {
    auto it = r.find(k);
    return it == r.end() ? 0 : it->value().to_number<std::int64_t>();
  };
  std::int64_t days = get("vote_window_days");
  std::int64_t secs = get("vote_window_s");
  if (method == "owners_vote") {
    if (days == 0) days = secs > 0 ? (secs + 86'399) / 86'400 : 7;
    secs = 0;
  } else if (method == "committee_vote" || method == "vote_then_lottery") {
    if (secs == 0) secs = days > 0 ? days * 86'400 : 604'800;
    days = 0;
  } else {
    days = secs = 0;
  }
  r["vote_window_days"] = days;
  r["vote_window_s"] = secs;
  // The candidate publicity at its legal minimum for the method, when it is
  // the other method's minimum: an owners' vote is announced with it 15 days
  // ahead (物业管理条例 art. 12, core::kOwnersVoteNoticeDays); the other
  // methods publicize 3 days. Any other value is the test's own.
  const std::int64_t publicity = get("candidate_publicity_days");
  if (method == "owners_vote" && publicity == 3) {
    r["candidate_publicity_days"] = 15;
  } else if (method != "owners_vote" && publicity == 15) {
    r["candidate_publicity_days"] = 3;
  }
}

// The exclusive end of a period of `days` calendar days granted from
// `from_ms` with the default calendar (weekends are rest days).
inline std::int64_t days_end(std::int64_t from_ms, std::int64_t days) {
  return *core::granted_period_end_ms(core::HolidayCalendar{}, from_ms, days);
}

inline std::string publish_tender(CoreFixture& f, const Market& m, std::string_view deadline,
                                  int min_valid_bids = 3, std::int64_t reveal_window_s = 86400) {
  auto id =
      f.service->create_draft(m.tenderer, {m.tenderer.community_id, "物业服务招标",
                                           rules_json(deadline, min_valid_bids, reveal_window_s)});
  REQUIRE(id.ok());
  auto p = f.service->publish(m.tenderer, *id);
  if (!p.ok()) FAIL(p.error().to_string());
  return *id;
}

struct SealedBid {
  std::string salt_hex;
  boost::json::object bid;
  std::string commitment;
};

inline SealedBid seal(std::string_view tender, std::string_view uscc, std::int64_t price,
                      std::uint8_t salt_byte) {
  SealedBid s;
  std::array<std::uint8_t, 32> salt{};
  salt.fill(salt_byte);
  s.salt_hex = hex_encode(std::span<const std::uint8_t>(salt));
  s.bid = {{"tender_id", tender},
           {"bidder_uscc", uscc},
           {"price_fen_per_m2_month", price},
           {"staffing", {{"保安", 6}, {"保洁", 4}}},
           {"service_plan", "方案"},
           {"documents", boost::json::array{boost::json::object{
                             {"name", "plan.pdf"}, {"sha256_hex", std::string(64, 'a')}}}}};
  auto bid = core::bid_from_json(s.bid);
  REQUIRE(bid.ok());
  s.commitment = hex_encode(core::bid_commitment(salt, *core::canonical_bid(*bid)));
  return s;
}

// Runs a command that must be refused with `code`: nothing changes, nothing
// is appended. Due transitions are applied first (they are not part of it).
template <class F>
void expect_refused(CoreFixture& f, F&& command, std::string_view code) {
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  const auto before = f.snapshot();
  auto r = command();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  CHECK(r.error().message.find(" / ") != std::string::npos);
  CHECK(f.snapshot() == before);
}

// Runs a command that must succeed with exactly `entries` entries and a
// state change.
template <class F>
auto expect_entries(CoreFixture& f, std::uint64_t entries, F&& command) {
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  const auto before = f.snapshot();
  auto r = command();
  if (!r.ok()) FAIL(r.error().to_string());
  const auto after = f.snapshot();
  CHECK(after.first == before.first + entries);
  CHECK(after.second != before.second);
  return r;
}

// Runs a command that must succeed with exactly one entry and a state change.
template <class F>
auto expect_one_entry(CoreFixture& f, F&& command) {
  return expect_entries(f, 1, std::forward<F>(command));
}

// A command that also publishes an official document (docs/documents.md):
// its own entry and document.published.
template <class F>
auto expect_entry_and_document(CoreFixture& f, F&& command) {
  return expect_entries(f, 2, std::forward<F>(command));
}

}  // namespace sunbid::testing
