// The viewer-checked tender readers (issue 12: the draft rule moved down
// from the server): TenderService::view(db, id, viewer) and the paged
// TenderService::list(db, query, viewer).
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "service_fixture.h"

namespace {

using namespace sunbid;
using namespace sunbid::testing;

// Two communities: the market's (with its tenderer), and another one whose
// tenderer must not see the first one's drafts.
struct Views {
  CoreFixture f;
  Market m = setup_market(f);
  core::Actor other_tenderer;
  std::string draft;                   // the market community's draft
  std::vector<std::string> published;  // three published tenders, oldest first

  Views() {
    auto c = f.registry->create_community(f.admin, {"鼓浪苑", "思明区", "鹭江街道", "鹭江道2号"});
    REQUIRE(c.ok());
    other_tenderer = CoreFixture::actor("tenderer-2", "tenderer", c->id);
    for (int i = 0; i < 3; ++i) {
      published.push_back(publish_tender(f, m, "2025-07-15T10:00:00+08:00"));
      f.clock.advance_ms(1);
    }
    auto d = f.service->create_draft(
        m.tenderer, {m.tenderer.community_id, "草稿招标", rules_json("2025-07-15T10:00:00+08:00")});
    REQUIRE(d.ok());
    draft = *d;
  }
};

std::vector<std::string> ids(const core::TenderPage& p) {
  std::vector<std::string> out;
  for (const auto& t : p.items) out.push_back(t.id);
  return out;
}

}  // namespace

TEST_CASE("a hidden draft answers exactly as an unknown id", "[views]") {
  Views v;
  auto db = v.f.reader();
  const core::Actor anonymous = CoreFixture::actor("anonymous", "anonymous");
  for (const core::Actor& who : {v.m.tenderer, v.f.supervisor, v.f.admin}) {
    auto seen = core::TenderService::view(db, v.draft, who);
    REQUIRE(seen.ok());
    CHECK(seen->status == core::TenderStatus::draft);
  }
  // The unknown id that takes the draft's place in the answer.
  std::string unknown = v.draft;
  unknown.back() = unknown.back() == '9' ? '8' : '9';
  for (const core::Actor& who : {v.other_tenderer, v.m.owner, v.m.enterprises[0], anonymous}) {
    INFO(who.role << " " << who.account);
    auto hidden = core::TenderService::view(db, v.draft, who);
    auto missing = core::TenderService::view(db, unknown, who);
    REQUIRE_FALSE(hidden.ok());
    REQUIRE_FALSE(missing.ok());
    CHECK(hidden.error().code == "tender_not_found");
    CHECK(missing.error().code == "tender_not_found");
    // Only the id differs: the same message and details around it.
    std::string h = hidden.error().message + boost::json::serialize(hidden.error().details);
    std::string u = missing.error().message + boost::json::serialize(missing.error().details);
    for (std::size_t at; (at = h.find(v.draft)) != std::string::npos;)
      h.replace(at, v.draft.size(), "ID");
    for (std::size_t at; (at = u.find(unknown)) != std::string::npos;)
      u.replace(at, unknown.size(), "ID");
    CHECK(h == u);
    // Published tenders are public.
    CHECK(core::TenderService::view(db, v.published[0], who).ok());
  }
}

TEST_CASE("the tender list pages what the viewer may see, oldest first", "[views]") {
  Views v;
  auto db = v.f.reader();
  SECTION("a tenderer of the community sees its draft, others do not") {
    core::TenderListQuery q;
    q.limit = 10;
    auto own = core::TenderService::list(db, q, v.m.tenderer);
    REQUIRE(own.ok());
    CHECK(ids(*own) ==
          std::vector<std::string>{v.published[0], v.published[1], v.published[2], v.draft});
    CHECK_FALSE(own->next_cursor);
    for (const core::Actor& who : {v.other_tenderer, v.m.owner, v.m.enterprises[0]}) {
      auto page = core::TenderService::list(db, q, who);
      REQUIRE(page.ok());
      CHECK(ids(*page) == v.published);
    }
    auto sup = core::TenderService::list(db, q, v.f.supervisor);
    REQUIRE(sup.ok());
    CHECK(sup->items.size() == 4);
  }
  SECTION("pages of two, the cursor being the last id of the page") {
    core::TenderListQuery q;
    q.limit = 2;
    auto first = core::TenderService::list(db, q, v.m.tenderer);
    REQUIRE(first.ok());
    CHECK(ids(*first) == std::vector<std::string>{v.published[0], v.published[1]});
    REQUIRE(first->next_cursor);
    CHECK(*first->next_cursor == v.published[1]);
    q.cursor = *first->next_cursor;
    auto second = core::TenderService::list(db, q, v.m.tenderer);
    REQUIRE(second.ok());
    CHECK(ids(*second) == std::vector<std::string>{v.published[2], v.draft});
    CHECK_FALSE(second->next_cursor);
    // Exactly a page's worth: no next page announced.
    q.cursor.clear();
    q.limit = 3;
    auto exact = core::TenderService::list(db, q, v.m.owner);
    REQUIRE(exact.ok());
    CHECK(exact->items.size() == 3);
    CHECK_FALSE(exact->next_cursor);
  }
  SECTION("filters by status and community") {
    core::TenderListQuery q;
    q.status = core::TenderStatus::draft;
    auto drafts = core::TenderService::list(db, q, v.m.owner);
    REQUIRE(drafts.ok());
    CHECK(drafts->items.empty());
    q.community_id = v.other_tenderer.community_id;
    q.status.reset();
    auto other = core::TenderService::list(db, q, v.f.supervisor);
    REQUIRE(other.ok());
    CHECK(other->items.empty());
  }
  SECTION("a cursor outside what the viewer may list is refused") {
    core::TenderListQuery q;
    for (const std::string& bad : {std::string("T-none"), v.draft}) {
      q.cursor = bad;
      auto r = core::TenderService::list(db, q, v.m.owner);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == "invalid_query");
    }
    q.cursor = v.draft;
    CHECK(core::TenderService::list(db, q, v.m.tenderer).ok());
  }
}

TEST_CASE("registry relations: an owner on the roster, a registered enterprise",
          "[registry_reads]") {
  CoreFixture f;
  Market m = setup_market(f);
  auto db = f.reader();
  const std::string& c = m.tenderer.community_id;
  CHECK(*core::Registry::owner_on_roster(db, c, "K1"));
  CHECK(*core::Registry::owner_on_roster(db, c, "K2"));
  CHECK_FALSE(*core::Registry::owner_on_roster(db, c, "K3"));
  CHECK_FALSE(*core::Registry::owner_on_roster(db, "C-none", "K1"));
  CHECK(*core::Registry::enterprise_registered(db, kUsccA));
  CHECK_FALSE(*core::Registry::enterprise_registered(db, "91350200MA2XXXXXXX"));
}
