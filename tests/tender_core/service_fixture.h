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
#include "temp_dir.h"
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
                       std::size_t max_batch = 4096)
      : clock(start_ms) {
    audit::LedgerOptions o;
    o.data_dir = dir.path();
    o.migrations = core::tender_core_migrations();
    o.clock = &clock;
    o.publish_checkpoints = false;
    o.max_batch = max_batch;
    auto l = audit::Ledger::open(std::move(o));
    REQUIRE(l.ok());
    ledger = std::move(l).value();
    registry = std::make_unique<core::Registry>(*ledger);
    service = std::make_unique<core::TenderService>(*ledger, clock);
    admin = actor("admin-1", "admin");
    supervisor = actor("sup-1", "supervisor");
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

}  // namespace sunbid::testing
