// OCDS releases from the public log (publication/ocds.h): the release
// serializer's exact decimals, and a real tender played through tender_core
// (published, amended, sealed bids, revealed, opened) whose releases the
// publisher makes after the fact.
#include "publication/ocds.h"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "../../publication/src/ocds_json.h"
#include "../tender_core/service_fixture.h"

using namespace sunbid;
using namespace sunbid::testing;
namespace json = boost::json;

namespace {

const char* kDeadline = "2025-07-01T02:00:00Z";

std::vector<audit::Migration> with_publication() {
  auto all = core::tender_core_migrations();
  for (auto& m : publication::publication_migrations()) all.push_back(std::move(m));
  return all;
}

json::object parse(const std::string& s) {
  return json::parse(s).as_object();
}

}  // namespace

TEST_CASE("decimal: integer units to the shortest exact decimal", "[ocds]") {
  CHECK(publication::decimal(235, 2) == "2.35");
  CHECK(publication::decimal(1200, 2) == "12");
  CHECK(publication::decimal(1210, 2) == "12.1");
  CHECK(publication::decimal(5, 2) == "0.05");
  CHECK(publication::decimal(-5, 2) == "-0.05");
  CHECK(publication::decimal(0, 2) == "0");
  CHECK(publication::decimal(INT64_MIN, 2) == "-92233720368547758.08");
  CHECK(publication::decimal(123456789, 0) == "123456789");
}

TEST_CASE("the release serializer writes amounts as exact JSON numbers, never a double", "[ocds]") {
  json::object v{{"value", {{"amount", "2.35"}, {"currency", "CNY"}}},
                 {"items", json::array{json::object{{"quantity", "12000.5"}}}},
                 {"title", "金额 amount"}};
  auto s = publication::serialize_release(v);
  REQUIRE(s.ok());
  CHECK(
      *s ==
      R"({"value":{"amount":2.35,"currency":"CNY"},"items":[{"quantity":12000.5}],"title":"金额 amount"})");
  for (const char* bad : {"2.", ".5", "01", "1e3", "NaN", "", "2.35 "}) {
    INFO(bad);
    auto r = publication::serialize_release(json::object{{"amount", bad}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "ocds_invalid_amount");
  }
  // planning.budget.amount is a Value: an object, its own amount a number.
  auto budget = publication::serialize_release(
      json::object{{"budget", {{"amount", {{"amount", "2.8"}, {"currency", "CNY"}}}}}});
  REQUIRE(budget.ok());
  CHECK(*budget == R"({"budget":{"amount":{"amount":2.8,"currency":"CNY"}}})");
  auto d = publication::serialize_release(json::object{{"n", 2.35}});
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "ocds_invalid_amount");
}

TEST_CASE("a tender's releases follow its public stages, nothing before its time", "[ocds]") {
  CoreFixture f(ms("2025-06-01T00:00:00Z"), 4096, with_publication());
  Market m = setup_market(f);
  publication::OcdsSettings settings;
  settings.ocid_prefix = "ocds-abc123-";
  const publication::OcdsPublisher publisher(settings);

  // A draft makes no release: its entries are withheld, and it has none public.
  auto draft = f.service->create_draft(
      m.tenderer, {m.tenderer.community_id, "草稿", rules_json("2025-07-15T10:00:00+08:00")});
  REQUIRE(draft.ok());
  auto made = publisher.catch_up(*f.ledger);
  REQUIRE(made.ok());
  CHECK(*made == 0);

  const std::string t = publish_tender(f, m, kDeadline, 3);
  REQUIRE(f.service->amend(m.tenderer, t, "补充保洁频次 / cleaning frequency", std::nullopt).ok());
  std::vector<SealedBid> sealed;
  for (int i = 0; i < 3; ++i) {
    sealed.push_back(
        seal(t, m.enterprises[i].enterprise_uscc, 201 + i * 10, static_cast<std::uint8_t>(i + 1)));
    REQUIRE(f.service->submit_bid(m.enterprises[i], t, sealed[i].commitment).ok());
  }
  made = publisher.catch_up(*f.ledger);
  REQUIRE(made.ok());
  // tender, the 招标公告's link, tenderAmendment, the 补遗公告's link; the
  // sealed bids are not stages.
  CHECK(*made == 4);

  // Before the opening: no bidder, no count, no price in any release.
  {
    auto db = f.reader();
    auto rels = publication::OcdsPublisher::tender_releases(db, t);
    REQUIRE(rels.ok());
    REQUIRE(rels->size() == 4);
    for (const auto& r : *rels) {
      CHECK(r.json.find("tenderer\"") == std::string::npos);
      CHECK(r.json.find("\"bids\"") == std::string::npos);
      CHECK(r.json.find("numberOfTenderers") == std::string::npos);
      for (const auto& s : sealed)
        CHECK(r.json.find(s.bid.at("bidder_uscc").as_string().c_str()) == std::string::npos);
    }
    auto first = parse((*rels)[0].json);
    CHECK(first.at("ocid") == json::value("ocds-abc123-" + t));
    CHECK(first.at("tag") == json::array{"tender"});
    CHECK(first.at("tender").at("status") == "active");
    CHECK(first.at("buyer").at("id").as_string().starts_with("community-"));
    CHECK_FALSE(first.at("tender").as_object().contains("documents"));
    // The 招标公告 published in the same command: a tenderUpdate linking its PDF.
    auto notice = parse((*rels)[1].json);
    CHECK(notice.at("tag") == json::array{"tenderUpdate"});
    const auto& doc = notice.at("tender").at("documents").at(0).as_object();
    CHECK(doc.at("documentType") == "tenderNotice");
    CHECK(doc.at("format") == "application/pdf");
    CHECK(doc.at("id") == json::value("doc-" + std::to_string((*rels)[1].log_index)));
    CHECK(doc.at("url") == json::value(settings.public_base_url + "/api/v1/tenders/" + t +
                                       "/documents/" + std::to_string((*rels)[1].log_index) +
                                       ".pdf"));
    auto second = parse((*rels)[2].json);
    CHECK(second.at("tag") == json::array{"tenderAmendment"});
    CHECK(second.at("tender").at("amendments").as_array().size() == 1);
    auto amended = parse((*rels)[3].json);
    CHECK(amended.at("tag") == json::array{"tenderUpdate"});
    CHECK(amended.at("tender").at("documents").as_array().size() == 2);
    CHECK(amended.at("tender").at("documents").at(1).at("documentType") == "clarifications");
    // No plan behind this tender (the gate is the assembly's): no planning.
    CHECK_FALSE(first.contains("planning"));
  }

  const std::int64_t deadline = ms(kDeadline);
  f.clock.set_ms(deadline);
  REQUIRE(f.service->tick(deadline).ok());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(f.service->reveal_bid(m.enterprises[i], t, sealed[i].salt_hex, sealed[i].bid).ok());
  }
  f.clock.set_ms(deadline + 2 * kDayMs);
  REQUIRE(f.service->tick(deadline + 2 * kDayMs).ok());
  made = publisher.catch_up(*f.ledger);
  REQUIRE(made.ok());
  CHECK(*made == 2);  // the opening (tenderUpdate with bids), the 开标记录表's link

  auto db = f.reader();
  auto rels = publication::OcdsPublisher::tender_releases(db, t);
  REQUIRE(rels.ok());
  REQUIRE(rels->size() == 6);
  const std::string& text = rels->back().json;
  // Exact decimals from fen: 201 fen -> 2.01, 211 -> 2.11, 221 -> 2.21.
  CHECK(text.find("\"amount\":2.01,") != std::string::npos);
  CHECK(text.find("\"amount\":2.11,") != std::string::npos);
  CHECK(text.find("\"amount\":2.21,") != std::string::npos);
  auto opened = parse(text);
  CHECK(opened.at("tag") == json::array{"tenderUpdate"});
  CHECK(opened.at("tender").at("numberOfTenderers") == 3);
  CHECK(opened.at("bids").at("details").as_array().size() == 3);
  CHECK(opened.at("bids").at("statistics").as_array().at(1).at("value") == 3);
  CHECK(opened.at("tender").at("documents").as_array().size() == 3);
  CHECK(opened.at("tender").at("documents").at(2).at("documentType") == "bidders");
  CHECK(parse((*rels)[4].json).at("bids").at("details").as_array().size() == 3);

  // Releases never change: a second catch-up makes none, rows cannot be updated.
  made = publisher.catch_up(*f.ledger);
  REQUIRE(made.ok());
  CHECK(*made == 0);
  auto again = publication::OcdsPublisher::tender_releases(db, t);
  REQUIRE(again.ok());
  CHECK(again->back().json == text);
  auto st = f.ledger->execute([](audit::WriteTxn& txn) {
    return txn.db().exec("UPDATE ocds_releases SET release_json = '{}'");
  });
  CHECK_FALSE(st.ok());

  // The feed pages through in log order.
  auto page = publication::OcdsPublisher::releases_after(db, std::nullopt, 4);
  REQUIRE(page.ok());
  CHECK(page->releases.size() == 4);
  CHECK(page->more);
  auto rest = publication::OcdsPublisher::releases_after(db, page->next_after, 4);
  REQUIRE(rest.ok());
  CHECK(rest->releases.size() == 2);
  CHECK_FALSE(rest->more);
  CHECK(rest->releases[1].json == text);

  // The package around them, byte-stable for the same releases.
  const std::string pkg = publisher.package(*rels, "https://x/p", "2025-07-17T02:00:00.000Z");
  auto p = parse(pkg);
  CHECK(p.at("version") == "1.1");
  CHECK(p.at("releases").as_array().size() == 6);
  CHECK(p.at("extensions").at(0) == json::value(publication::kBidsExtensionUrl));
  CHECK(publisher.package(*rels, "https://x/p", "2025-07-17T02:00:00.000Z") == pkg);
}
