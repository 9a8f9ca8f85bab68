// The roster's optional sixth column, certificate_tail (issue 13): parsed,
// bounded, never quoted in a problem, handed to the registry's roster hooks
// and never stored in roster_units nor logged.
#include <catch2/catch.hpp>

#include "service_fixture.h"
#include "tender_core/roster.h"

using namespace sunbid;
using namespace sunbid::testing;

TEST_CASE("roster: an optional certificate_tail column", "[roster][activation]") {
  auto r = core::parse_roster_csv(
      "unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n"
      "1-101,8950,K1,王芳,sold,0123\n"
      "1-102,10050,K2,李明,sold,\n");
  REQUIRE(r.ok());
  REQUIRE(r->units.size() == 2);
  CHECK(r->units[0].certificate_tail == "0123");
  CHECK_FALSE(r->units[1].certificate_tail);

  // Five columns as before: no tails.
  auto five = core::parse_roster_csv(
      "unit,area_centi_m2,owner_key,owner_name,status\n1-101,8950,K1,王芳,sold\n");
  REQUIRE(five.ok());
  CHECK_FALSE(five->units[0].certificate_tail);

  // A sixth column under another name is a header problem; a row must have
  // as many fields as the header.
  auto other = core::parse_roster_csv(
      "unit,area_centi_m2,owner_key,owner_name,status,phone\n1-101,8950,K1,王芳,sold,1\n");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().details.at("problems").as_array()[0].at("code").as_string() == "header");
  auto short_row = core::parse_roster_csv(
      "unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n1-101,8950,K1,王芳,sold\n");
  REQUIRE_FALSE(short_row.ok());
  CHECK(short_row.error().details.at("problems").as_array()[0].at("code").as_string() ==
        "field_count");

  // Too long: refused without quoting the value.
  const std::string secret(65, 'S');
  auto long_tail = core::parse_roster_csv(
      "unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n1-101,8950,K1,王芳,sold," +
      secret + "\n");
  REQUIRE_FALSE(long_tail.ok());
  CHECK(long_tail.error().details.at("problems").as_array()[0].at("code").as_string() ==
        "certificate_tail_invalid");
  CHECK(long_tail.error().to_string().find(secret) == std::string::npos);
}

TEST_CASE("roster import: hooks see the tails, units and the entry never hold them",
          "[roster][activation]") {
  CoreFixture f;
  std::vector<std::pair<std::string, std::string>> seen;
  f.registry->add_roster_hook([&](audit::WriteTxn&, std::string_view community,
                                  const core::Roster& roster, const core::Actor&) -> Status {
    for (const auto& u : roster.units) {
      if (u.certificate_tail) seen.emplace_back(std::string(community), *u.certificate_tail);
    }
    return {};
  });
  auto c = f.registry->create_community(f.admin, {"金山花园", "湖里区", "金山街道", "金山路1号"});
  REQUIRE(c.ok());
  REQUIRE(f.registry
              ->import_roster(f.admin, c->id,
                              "unit,area_centi_m2,owner_key,owner_name,status,certificate_tail\n"
                              "1-101,8950,K1,王芳,sold,Q7Z4\n")
              .ok());
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == std::pair<std::string, std::string>{c->id, "Q7Z4"});
  for (const auto& e : f.all_entries()) CHECK(e.find("Q7Z4") == std::string::npos);
  auto db = f.reader();
  auto units = core::Registry::roster_units(db, c->id);
  REQUIRE(units.ok());
  REQUIRE(units->size() == 1);
  CHECK((*units)[0].unit == "1-101");
  CHECK((*units)[0].area_centi_m2 == 8950);
  CHECK_FALSE((*units)[0].certificate_tail);

  // A hook's refusal refuses the import.
  const auto before = f.snapshot();
  f.registry->add_roster_hook(
      [](audit::WriteTxn&, std::string_view, const core::Roster&, const core::Actor&) -> Status {
        return make_error("roster_invalid", "refused by a hook");
      });
  CHECK_FALSE(f.registry
                  ->import_roster(f.admin, c->id,
                                  "unit,area_centi_m2,owner_key,owner_name,status\n"
                                  "1-101,8950,K1,王芳,sold\n")
                  .ok());
  CHECK(f.snapshot() == before);
}
