// GET /communities/{id}/roster (issue 15, the owners' committee pages): the
// roster read-only, each unit with its area, owner and status beside the
// art. 278 totals; the community's own tenderer, the admin and supervisors
// read it; another community's tenderer, owners, enterprises and the public
// do not.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

TEST_CASE("GET /communities/{id}/roster: the units and totals, to those who keep it",
          "[api][roster]") {
  TenderWorld w;
  const std::string target = "/api/v1/communities/" + w.community + "/roster";
  const auto before = w.snapshot();
  auto r = w.call("GET", target, "", w.tenderer);
  INFO(r.body);
  REQUIRE(r.status == 200);
  const boost::json::value body = body_json(r);
  CHECK(body.at("id").as_string() == w.community);
  CHECK(body.at("roster_version").as_int64() == 1);
  // TenderWorld's roster: four units, three owners (O-001 twice, the developer once).
  CHECK(body.at("roster").at("units").as_int64() == 4);
  CHECK(body.at("roster").at("owners_headcount").as_int64() == 3);
  CHECK(body.at("roster").at("total_area_centi_m2").as_int64() == 8950 + 8950 + 12030 + 14400);
  const auto& items = body.at("items").as_array();
  REQUIRE(items.size() == 4);
  CHECK(items[0].at("unit").as_string() == "1-101");
  CHECK(items[0].at("area_centi_m2").as_int64() == 8950);
  CHECK(items[0].at("owner_name").as_string() == "陈志强");
  CHECK(items[3].at("status").as_string() == "unsold");
  CHECK_FALSE(items[0].as_object().contains("owner_key"));

  CHECK(w.call("GET", target, "", w.admin).status == 200);
  CHECK(w.call("GET", target, "", w.supervisor).status == 200);
  auto other = w.call("GET", target, "", w.other_tenderer);
  CHECK(other.status == 403);
  CHECK(error_code(other) == "not_tenderer_of_community");
  CHECK(w.call("GET", target, "", w.owner).status == 403);
  CHECK(w.call("GET", target, "", w.enterprises[0]).status == 403);
  CHECK(w.call("GET", target).status == 401);
  // Before an import: the community, no roster, no units.
  auto empty = w.call("GET", "/api/v1/communities/" + w.other_community + "/roster", "", w.admin);
  REQUIRE(empty.status == 200);
  CHECK(body_json(empty).at("roster").is_null());
  CHECK(body_json(empty).at("items").as_array().empty());
  CHECK(w.call("GET", "/api/v1/communities/C999/roster", "", w.admin).status == 404);
  CHECK(w.snapshot() == before);
}
