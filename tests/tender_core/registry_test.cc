// Registry through the ledger on real files: communities, rosters (all or
// nothing, locked during an owners' vote), enterprises by USCC, ratings "as
// of T", service tiers. Every refusal changes nothing and appends nothing.
#include "tender_core/registry.h"

#include <catch2/catch.hpp>

#include "service_fixture.h"

using namespace sunbid;
using namespace sunbid::core;
using sunbid::testing::CoreFixture;

TEST_CASE("communities and rosters: totals, all-or-nothing, no personal data in entries") {
  CoreFixture f;
  auto c =
      f.registry->create_community(f.admin, {"海沧湾花园", "海沧区", "海沧街道", "滨湖北路1号"});
  REQUIRE(c.ok());
  CHECK(c->id == "C1");
  // 3 units, owner 王芳 holds two; developer holds one unsold: headcount 2.
  const std::string csv =
      "unit,area_centi_m2,owner_key,owner_name,status\n"
      "1-101,8950,K-wang,王芳,sold\n"
      "1-102,10000,K-wang,王芳,sold\n"
      "1-201,12000,K-dev,厦门某某房地产开发有限公司,unsold\n";
  auto r = f.registry->import_roster(f.admin, c->id, csv);
  REQUIRE(r.ok());
  CHECK(r->totals.units == 3);
  CHECK(r->totals.total_area_centi_m2 == 8950 + 10000 + 12000);
  CHECK(r->totals.owners_headcount == 2);
  auto db = f.reader();
  auto com = Registry::community(db, c->id);
  REQUIRE(com.ok());
  CHECK(com->totals.total_area_centi_m2 == 30950);
  CHECK(com->roster_version == 1);
  // No owner name or key in any entry.
  for (const auto& e : f.all_entries()) {
    CHECK(e.find("王芳") == std::string::npos);
    CHECK(e.find("K-wang") == std::string::npos);
    CHECK(e.find("127.0.0.1") == std::string::npos);
  }

  SECTION("a bad roster is refused whole and changes nothing") {
    auto before = f.snapshot();
    auto bad = f.registry->import_roster(f.admin, c->id,
                                         "unit,area_centi_m2,owner_key,owner_name,status\n1-101,0,"
                                         "K,张三,sold\n1-101,100,K,张三,sold\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "roster_invalid");
    CHECK(f.snapshot() == before);
  }
  SECTION("unknown community") {
    auto before = f.snapshot();
    auto bad = f.registry->import_roster(f.admin, "C99", csv);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "community_not_found");
    CHECK(f.snapshot() == before);
  }
  SECTION("replacing a roster replaces every row") {
    auto r2 = f.registry->import_roster(
        f.admin, c->id, "unit,area_centi_m2,owner_key,owner_name,status\n2-1,5000,K2,李四,sold\n");
    REQUIRE(r2.ok());
    CHECK(r2->roster_version == 2);
    auto n = db.query_int64("SELECT count(*) FROM roster_units");
    REQUIRE(n.ok());
    CHECK(*n == 1);
  }
}

TEST_CASE("roster cannot be replaced while an owners' vote of the community is open") {
  CoreFixture f;
  auto c = f.registry->create_community(f.admin, {"a", "b", "c", "d"});
  REQUIRE(c.ok());
  const std::string csv = "unit,area_centi_m2,owner_key,owner_name,status\n1,100,K,x,sold\n";
  REQUIRE(f.registry->import_roster(f.admin, c->id, csv).ok());
  // A tender of the community in its owners' vote (written directly: the
  // deciding stage is driven by the evaluation module).
  REQUIRE(f.ledger
              ->execute([&](audit::WriteTxn& txn) -> Status {
                return txn.db().exec(
                    "INSERT INTO tenders(id, community_id, title, status, rules_json, "
                    "decision_method, created_ms) VALUES ('T9', 'C1', 't', 'deciding', '{}', "
                    "'owners_vote', 0)");
              })
              .ok());
  auto before = f.snapshot();
  auto r = f.registry->import_roster(f.admin, c->id, csv);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "roster_locked_by_vote");
  CHECK(f.snapshot() == before);
}

TEST_CASE("enterprises by USCC: invalid refused with reason, Fujian pilot accepted with warning") {
  CoreFixture f;
  auto e = f.registry->register_enterprise(f.admin, {kUsccA, "厦门甲物业服务有限公司"});
  REQUIRE(e.ok());
  CHECK_FALSE(e->pilot_exception);
  auto before = f.snapshot();
  auto dup = f.registry->register_enterprise(f.admin, {kUsccA, "x"});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "enterprise_exists");
  std::string wrong = kUsccA;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  auto bad = f.registry->register_enterprise(f.admin, {wrong, "x"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "uscc_check");
  CHECK(bad.error().message.find(" / ") != std::string::npos);
  CHECK(f.snapshot() == before);
  auto pilot = f.registry->register_enterprise(f.admin, {kUsccPilot, "福建试点企业"});
  REQUIRE(pilot.ok());
  CHECK(pilot->pilot_exception);
  CHECK_FALSE(pilot->warning.empty());
}

TEST_CASE("ratings registry: the record in force as of T, later record wins a tie") {
  CoreFixture f;
  REQUIRE(f.registry->register_enterprise(f.admin, {kUsccA, "甲"}).ok());
  const std::int64_t t1 = 1'700'000'000'000;
  REQUIRE(f.registry
              ->record_ratings(f.admin, {{kUsccA, {"A", 8000, 3, false, t1}},
                                         {kUsccA, {"AA", 9000, 4, false, t1 + 1000}}})
              .ok());
  REQUIRE(f.registry->record_ratings(f.admin, {{kUsccA, {"B", 6000, 2, false, t1 + 1000}}}).ok());
  auto db = f.reader();
  CHECK_FALSE(Registry::rating_as_of(db, kUsccA, t1 - 1)->has_value());
  CHECK(Registry::rating_as_of(db, kUsccA, t1)->value().credit_grade == "A");
  CHECK(Registry::rating_as_of(db, kUsccA, t1 + 999)->value().credit_grade == "A");
  CHECK(Registry::rating_as_of(db, kUsccA, t1 + 1000)->value().credit_grade == "B");
  auto before = f.snapshot();
  auto bad = f.registry->record_ratings(f.admin, {{kUsccA, {"A", 8000, 3, false, t1}},
                                                  {"91350200MA00000000", {"A", 1, 1, false, t1}}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "enterprise_not_found");
  auto bad2 = f.registry->record_ratings(f.admin, {{kUsccA, {"A", 10001, 3, false, t1}}});
  REQUIRE_FALSE(bad2.ok());
  CHECK(bad2.error().code == "credit_score_range");
  CHECK(f.snapshot() == before);
}

TEST_CASE("service tiers: replaced as a whole, validated") {
  CoreFixture f;
  ServiceTier t1{"T1", "一级", 150, 250, {"保洁", "保安"}};
  ServiceTier t2{"T2", "二级", 200, 350, {}};
  REQUIRE(f.registry->replace_service_tiers(f.admin, {t1, t2}).ok());
  auto db = f.reader();
  auto all = Registry::service_tiers(db);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0] == t1);
  auto before = f.snapshot();
  ServiceTier bad{"T3", "三级", 300, 200, {}};
  auto r = f.registry->replace_service_tiers(f.admin, {t1, bad});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "service_tier_invalid");
  auto r2 = f.registry->replace_service_tiers(f.admin, {t1, t1});
  REQUIRE_FALSE(r2.ok());
  CHECK(f.snapshot() == before);
}
