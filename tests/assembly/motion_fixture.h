// The owners' assembly test fixture: a ledger with the migrations of
// tender_core, accounts, evaluation and the assembly, a community with a
// roster of four owners (K1–K4, 100 m² each), its tenderer and owners; and
// a motion's entries as its trail would carry them.
#pragma once

#include <catch2/catch.hpp>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "../tender_core/service_fixture.h"
#include "accounts/schema.h"
#include "assembly/motion.h"
#include "assembly/motion_service.h"
#include "assembly/schema.h"
#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "evaluation/schema.h"

namespace sunbid::testing {

using assembly::MotionInput;

class MotionFixture : public CoreFixture {
 public:
  static std::vector<audit::Migration> migrations() {
    auto all = core::tender_core_migrations();
    for (auto& m : accounts::accounts_migrations()) all.push_back(std::move(m));
    for (auto& m : eval::evaluation_migrations()) all.push_back(std::move(m));
    for (auto& m : assembly::assembly_migrations()) all.push_back(std::move(m));
    return all;
  }
  MotionFixture() : CoreFixture(ms("2025-06-02T02:00:00Z"), 4096, migrations()) {
    motions = std::make_unique<assembly::MotionService>(*ledger, clock, *registry);
    auto c = registry->create_community(admin, {"海沧湾花园", "海沧区", "海沧街道", "滨湖北路1号"});
    REQUIRE(c.ok());
    community = c->id;
    REQUIRE(registry->import_roster(admin, community, kRoster).ok());
    tenderer = actor("tenderer-1", "tenderer", community);
    for (int i = 1; i <= 4; ++i) {
      owners.push_back(actor("owner-" + std::to_string(i), "owner", community));
      owners.back().owner_key = "K" + std::to_string(i);
    }
  }

  // Table contents (the first `columns` of each) plus the log size: equal
  // before and after a refusal.
  std::string state(std::initializer_list<const char*> tables = {"assembly_motions",
                                                                 "assembly_roster_snapshot",
                                                                 "assembly_ballots"},
                    int columns = 5) {
    auto db = reader();
    std::string all = std::to_string(*audit::log_size(db));
    for (const char* t : tables) {
      auto st = db.prepare(std::string("SELECT * FROM ") + t);
      REQUIRE(st.ok());
      while (true) {
        auto row = st->step();
        REQUIRE(row.ok());
        if (!*row) break;
        for (int c = 0; c < columns; ++c) all += std::string(st->column_text(c)) + "|";
      }
      all += "#";
    }
    return all;
  }

  static constexpr const char* kRoster =
      "unit,area_centi_m2,owner_key,owner_name,status\n"
      "1-101,10000,K1,甲,sold\n1-102,10000,K2,乙,sold\n1-103,10000,K3,丙,sold\n"
      "1-104,10000,K4,丁,sold\n";

  std::unique_ptr<assembly::MotionService> motions;
  std::string community;
  core::Actor tenderer;
  std::vector<core::Actor> owners;
};

inline MotionInput plain_motion(int matter_item = 4) {
  return {"选聘物业服务企业", "提请业主共同决定", assembly::MotionKind::general,
          matter_item,        std::nullopt,       7,
          std::nullopt};
}

// The motion's entries as a trail would carry them (the proofs are
// audit_log's, tested there).
inline audit::VerifiedTrail motion_trail(MotionFixture& f, const std::string& id) {
  auto db = f.reader();
  auto indices = audit::tender_entry_indices(db, assembly::motion_subject(id));
  REQUIRE(indices.ok());
  audit::VerifiedTrail t;
  for (auto i : *indices) {
    auto e = audit::read_entries(db, i, i + 1);
    REQUIRE(e.ok());
    t.entries.push_back({i, (*e)[0].bytes});
  }
  return t;
}

}  // namespace sunbid::testing
