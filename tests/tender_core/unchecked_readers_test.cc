// The checked opening reader (issue 12, "Unchecked readers"): the server reads
// the opening record through TenderService::opening(db, id, viewer), with the
// draft rule of view(); the unchecked reader is private to tender_core and
// evaluation (tender_core/src/internal/tender_core/unchecked_reads.h).
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "service_fixture.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::testing;

TEST_CASE("the opening of a hidden draft answers exactly as an unknown id", "[unchecked_readers]") {
  CoreFixture f;
  Market m = setup_market(f);
  auto c = f.registry->create_community(f.admin, {"鼓浪苑", "思明区", "鹭江街道", "鹭江道2号"});
  REQUIRE(c.ok());
  const core::Actor other_tenderer = CoreFixture::actor("tenderer-2", "tenderer", c->id);
  auto d = f.service->create_draft(
      m.tenderer, {m.tenderer.community_id, "草稿招标", rules_json("2025-07-15T10:00:00+08:00")});
  REQUIRE(d.ok());
  const std::string unknown = "T999";
  auto db = f.reader();
  for (const core::Actor& who :
       {other_tenderer, m.owner, m.enterprises[0], f.supervisor, m.tenderer, f.admin}) {
    INFO(who.account);
    auto opening = core::TenderService::opening(db, *d, who);
    auto view = core::TenderService::view(db, *d, who);
    REQUIRE_FALSE(opening.ok());
    if (!view.ok()) {
      // Hidden: the very answer of an unknown id (code, message, details
      // with the id swapped).
      auto missing = core::TenderService::opening(db, unknown, who);
      REQUIRE_FALSE(missing.ok());
      CHECK(opening.error().code == "tender_not_found");
      CHECK(opening.error().code == missing.error().code);
      CHECK(opening.error().code == view.error().code);
      CHECK(boost::json::serialize(opening.error().details) ==
            boost::json::serialize(view.error().details));
    } else {
      // Visible (its community's tenderer, supervisors, the operator): a
      // draft has no opening record yet.
      CHECK(opening.error().code == "opening_not_public");
    }
  }
  // The unchecked reader does not look at the viewer at all.
  CHECK(core::detail::unchecked_opening_record(db, *d).error().code == "opening_not_public");
  // Exactly the community's tenderer, supervisors and the operator see it.
  CHECK_FALSE(core::TenderService::opening(db, *d, other_tenderer).error().code ==
              "opening_not_public");
  CHECK(core::TenderService::opening(db, *d, m.tenderer).error().code == "opening_not_public");
}
