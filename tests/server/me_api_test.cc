// GET /me (issue 15): the caller's account, role and community; for an
// owner their units, exclusive area and head from the roster, and the votes
// open to them — here an owners_vote tender's round, listed while its window
// is open and no longer once it closed.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "eval_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

boost::json::object me(EvalWorld& w, const std::string& token) {
  auto r = w.call("GET", "/api/v1/me", "", token);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return boost::json::parse(r.body).as_object();
}

}  // namespace

TEST_CASE("GET /me: account, community, an owner's units, area, head and open votes", "[api][me]") {
  EvalWorld w;
  CHECK(w.call("GET", "/api/v1/me").status == 401);

  auto tenderer = me(w, w.tenderer);
  CHECK(tenderer.at("role").as_string() == "tenderer");
  CHECK(tenderer.at("username").as_string() == "yeweihui");
  CHECK(tenderer.at("community").at("id").as_string() == w.community);
  CHECK(tenderer.at("owner").is_null());

  auto enterprise = me(w, w.enterprises[0]);
  CHECK(enterprise.at("role").as_string() == "enterprise");
  CHECK(enterprise.at("community").is_null());
  CHECK(enterprise.at("enterprise_uscc").as_string() == kUsccs[0]);

  // Roster (TenderWorld): O-001 holds 1-101 and 1-102, 8950 each: two
  // units, one head; O-002 one unit of 12030.
  auto owner = me(w, w.owner);
  CHECK(owner.at("role").as_string() == "owner");
  const auto& o = owner.at("owner").as_object();
  CHECK(o.at("area_centi_m2").as_int64() == 17900);
  CHECK(o.at("heads").as_int64() == 1);
  REQUIRE(o.at("units").as_array().size() == 2);
  CHECK(o.at("units").as_array()[0].at("unit").as_string() == "1-101");
  CHECK(o.at("open_votes").as_array().empty());
  CHECK(me(w, w.owner2.token).at("owner").at("area_centi_m2").as_int64() == 12030);

  // An owners' vote: listed while its round is open.
  const std::string id =
      w.opened_tender({{"method", "owners_vote"}, {"allow_runoff", true}}, 604800);
  auto members = w.draw(id);
  REQUIRE(members.size() == 5);
  w.review_all(id, members);
  w.at(days_end(w.clock.now_ms(), 15));
  w.settle(id);
  auto during = me(w, w.owner);
  const auto& votes = during.at("owner").at("open_votes").as_array();
  REQUIRE(votes.size() == 1);
  CHECK(votes[0].at("kind").as_string() == "tender");
  CHECK(votes[0].at("id").as_string() == id);
  CHECK(votes[0].at("round").as_int64() == 1);
  CHECK(votes[0].at("closes_at").as_string() > votes[0].at("opens_at").as_string());
  // The tenderer has no owner part, so no votes either.
  CHECK(me(w, w.tenderer).at("owner").is_null());

  // Closed: no longer open.
  w.at(days_end(w.clock.now_ms(), 8));
  CHECK(me(w, w.owner).at("owner").at("open_votes").as_array().empty());
}
