// The story of a real-looking Xiamen community, from its roster to the
// opening record: 厦门市湖里区 a community of 8 units whose owners' assembly
// (业主大会) puts its property service out to tender.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "audit_log/log_store.h"
#include "service_fixture.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

TEST_CASE("story: 湖里区 金山花园 selects its property-service company") {
  // 2025-05-06 09:00 Beijing time.
  CoreFixture f(ms("2025-05-06T09:00:00+08:00"));

  // The street office registers the community and the owners' roster: six
  // sold units (陈志强 owns two) and two unsold units of the developer.
  auto c = f.registry->create_community(
      f.admin, {"金山花园", "湖里区", "金山街道", "厦门市湖里区金山路88号"});
  REQUIRE(c.ok());
  const std::string roster =
      "\xEF\xBB\xBFunit,area_centi_m2,owner_key,owner_name,status\r\n"
      "1-101,8950,O-001,陈志强,sold\r\n"
      "1-102,8950,O-001,陈志强,sold\r\n"
      "1-201,12030,O-002,林秀英,sold\r\n"
      "1-202,12030,O-003,黄建国,sold\r\n"
      "2-101,9875,O-004,\"吴海燕\",sold\r\n"
      "2-102,9875,O-005,郑浩然,sold\r\n"
      "2-201,14400,DEV,厦门金山置业有限公司,unsold\r\n"
      "2-202,14400,DEV,厦门金山置业有限公司,unsold\r\n";
  auto imported = f.registry->import_roster(f.admin, c->id, roster);
  REQUIRE(imported.ok());
  // 8 units; area 8950*2 + 12030*2 + 9875*2 + 14400*2 = 90510; headcount:
  // O-001..O-005 and the developer = 6 (SPC interpretation art. 9).
  CHECK(imported->totals.units == 8);
  CHECK(imported->totals.total_area_centi_m2 == 90510);
  CHECK(imported->totals.owners_headcount == 6);

  // The housing bureau's registers: a tier and four companies with ratings.
  REQUIRE(f.registry
              ->replace_service_tiers(f.admin,
                                      {{"T2", "二级服务", 150, 300, {"保洁", "秩序维护", "绿化"}}})
              .ok());
  struct Company {
    std::string uscc, name;
    CreditRating rating;
  };
  const Company companies[] = {
      {kUsccA, "厦门鹭岛物业服务有限公司", {"AAA", 9520, 5, false, ms("2025-01-01T00:00:00Z")}},
      {kUsccB, "漳州九龙江物业管理有限公司", {"AA", 8810, 4, false, ms("2025-01-01T00:00:00Z")}},
      {kUsccC, "厦门海湾物业有限公司", {"A", 7900, 3, false, ms("2025-01-01T00:00:00Z")}},
      // At the tender's thresholds (A, 3★): below them it could not bid at
      // all (issue 11's gate; it was B, 2★ before).
      {kUsccPilot, "厦门早期试点物业有限公司", {"A", 7000, 3, false, ms("2025-01-01T00:00:00Z")}},
  };
  std::vector<Actor> bidders;
  int n = 0;
  for (const auto& co : companies) {
    auto e = f.registry->register_enterprise(f.admin, {co.uscc, co.name});
    REQUIRE(e.ok());
    CHECK(e->pilot_exception == (co.uscc == kUsccPilot));
    REQUIRE(f.registry->record_ratings(f.admin, {{co.uscc, co.rating}}).ok());
    bidders.push_back(CoreFixture::actor("ent-" + std::to_string(n++), "enterprise", "", co.uscc));
  }
  // 海湾物业's rating is raised on 2025-06-01, before the deadline; 鹭岛's
  // is lowered after it — the snapshot must take the first and not the second.
  REQUIRE(
      f.registry
          ->record_ratings(f.admin, {{kUsccC, {"AA", 8600, 4, false, ms("2025-06-01T00:00:00Z")}}})
          .ok());

  // The owners' committee drafts and publishes: deadline 2025-06-06 10:00 (+08:00).
  Actor committee = CoreFixture::actor("yeweihui-chen", "tenderer", c->id);
  auto draft = f.service->create_draft(
      committee, {c->id, "金山花园物业服务项目招标", rules_json("2025-06-06T10:00:00+08:00", 3)});
  REQUIRE(draft.ok());
  const std::string t = *draft;
  auto published = f.service->publish(committee, t);
  REQUIRE(published.ok());

  // 2025-05-10: 海湾物业 objects to the qualification terms; answered in 2
  // days. Tendering pauses meanwhile (条例 22): the answer keeps the 27
  // calendar days the deadline had left, so it moves to 2025-06-08 10:00.
  f.clock.set_ms(ms("2025-05-10T15:00:00+08:00"));
  auto objection = f.service->file_objection(bidders[2], t, "最低信用等级要求过高");
  REQUIRE(objection.ok());
  f.clock.set_ms(ms("2025-05-12T10:00:00+08:00"));
  auto answer = f.service->answer_objection(committee, t, objection->objection_id,
                                            "等级要求符合市住建局指引，维持");
  REQUIRE(answer.ok());
  CHECK_FALSE(answer->late);
  REQUIRE(answer->deadline_moved);
  CHECK(answer->deadline_moved->new_deadline_ms == ms("2025-06-08T10:00:00+08:00"));

  // Sealed bids.
  auto luodao = seal(t, kUsccA, 260, 0x11);
  auto jiulong = seal(t, kUsccB, 230, 0x22);
  auto haiwan = seal(t, kUsccC, 245, 0x33);
  auto pilot = seal(t, kUsccPilot, 180, 0x44);
  f.clock.set_ms(ms("2025-05-20T09:00:00+08:00"));
  auto r_luodao = f.service->submit_bid(bidders[0], t, luodao.commitment);
  REQUIRE(r_luodao.ok());
  REQUIRE(f.service->submit_bid(bidders[1], t, seal(t, kUsccB, 250, 0x21).commitment).ok());
  REQUIRE(f.service->submit_bid(bidders[3], t, pilot.commitment).ok());
  // 2025-05-27: an amendment (补遗) 12 days before the deadline pushes it to
  // 2025-06-11 10:00 (+08:00): 15 calendar days later, at its own time of day.
  f.clock.set_ms(ms("2025-05-27T09:00:00+08:00"));
  auto amended = f.service->amend(committee, t, "补充电梯维保要求", std::nullopt);
  REQUIRE(amended.ok());
  CHECK(amended->new_deadline_ms == ms("2025-06-11T10:00:00+08:00"));
  // 九龙江 lowers its price (replacing its bid); 海湾 bids last.
  f.clock.set_ms(ms("2025-06-05T16:00:00+08:00"));
  auto replaced = f.service->submit_bid(bidders[1], t, jiulong.commitment);
  REQUIRE(replaced.ok());
  CHECK(replaced->replaced);
  f.clock.set_ms(ms("2025-06-11T09:59:59.999+08:00"));
  REQUIRE(f.service->submit_bid(bidders[2], t, haiwan.commitment).ok());

  // Until now, the public sees none of it.
  {
    auto db = f.reader();
    auto seen =
        TenderService::bids_visible_to(db, t, CoreFixture::actor("p", "public"), f.clock.now_ms());
    CHECK(seen->empty());
    auto entries = audit::read_entries(db, 0, *audit::log_size(db));
    int withheld = 0;
    for (const auto& e : *entries) {
      if (e.release_at_ms && *e.release_at_ms > f.clock.now_ms()) ++withheld;
    }
    CHECK(withheld == 5);  // five bid.committed entries
  }

  // 10:00 on 2025-06-11: the deadline. Reveals through the next day.
  f.clock.set_ms(ms("2025-06-11T10:00:00+08:00"));
  CHECK(f.service->submit_bid(bidders[0], t, luodao.commitment).error().code ==
        "bid_after_deadline");
  f.clock.set_ms(ms("2025-06-11T14:00:00+08:00"));
  REQUIRE(f.service->reveal_bid(bidders[0], t, luodao.salt_hex, luodao.bid).ok());
  REQUIRE(f.service->reveal_bid(bidders[1], t, jiulong.salt_hex, jiulong.bid).ok());
  REQUIRE(f.service->reveal_bid(bidders[2], t, haiwan.salt_hex, haiwan.bid).ok());
  // The pilot-code company does not reveal: its bid will be revoked (撤销).
  REQUIRE(f.registry
              ->record_ratings(f.admin,
                               {{kUsccA, {"A", 7000, 3, false, ms("2025-06-11T11:00:00+08:00")}}})
              .ok());

  f.clock.set_ms(ms("2025-06-12T10:00:00+08:00"));
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db = f.reader();
  auto view = detail::unchecked_view(db, t);
  CHECK(view->status == TenderStatus::opened);  // 3 valid bids >= min_valid_bids 3
  auto record = detail::unchecked_opening_record(db, t);
  REQUIRE(record.ok());
  REQUIRE(record->size() == 4);
  // Ordered by USCC bytes: 鹭岛 (…0200…), the pilot (…0203M…), 九龙江 (…0500…), 海湾 (…0503…).
  CHECK((*record)[0].bidder_uscc == kUsccA);
  CHECK((*record)[0].bid->price_fen_per_m2_month == 260);
  CHECK((*record)[1].bidder_uscc == kUsccPilot);
  CHECK_FALSE((*record)[1].valid);
  CHECK((*record)[1].reason == "not_revealed");
  CHECK_FALSE((*record)[1].bid.has_value());
  CHECK((*record)[2].bidder_uscc == kUsccB);
  REQUIRE((*record)[2].bid.has_value());
  CHECK((*record)[2].bid->price_fen_per_m2_month == 230);  // the replacement, not 250
  CHECK((*record)[3].bidder_uscc == kUsccC);
  REQUIRE((*record)[3].bid.has_value());
  CHECK((*record)[3].bid->price_fen_per_m2_month == 245);
  auto snapshot = TenderService::rating_snapshot(db, t);
  REQUIRE(snapshot->size() == 4);
  CHECK(snapshot->at(0).second->credit_grade == "AAA");  // the later downgrade is not in force
  CHECK(snapshot->at(3).first == kUsccC);
  CHECK(snapshot->at(3).second->credit_grade == "AA");  // the June upgrade is

  // The tender's trail tells the story in order; no owner name anywhere.
  std::vector<std::string> types;
  auto trail = audit::tender_entry_indices(db, t);
  REQUIRE(trail.ok());
  for (auto idx : *trail) {
    auto e = audit::read_entries(db, idx, idx + 1);
    auto o = boost::json::parse((*e)[0].bytes).as_object();
    types.emplace_back(o["type"].as_string());
  }
  // document.published: the 招标公告, the 更正公告 of the deadline moved by
  // the objection's answer, the 补遗公告 and the 开标记录表 (docs/documents.md).
  const std::vector<std::string> expected = {
      "tender.drafted",     "tender.published", "document.published",    "objection.filed",
      "objection.answered", "tender.amended",   "document.published",    "bid.committed",
      "bid.committed",      "bid.committed",    "tender.amended",        "document.published",
      "bid.committed",      "bid.committed",    "tender.bidding_closed", "tender.reveal_opened",
      "bid.revealed",       "bid.revealed",     "bid.revealed",          "tender.opened",
      "document.published"};
  CHECK(types == expected);
  for (const auto& e : f.all_entries()) {
    CHECK(e.find("陈志强") == std::string::npos);
    CHECK(e.find("O-001") == std::string::npos);
  }
  const auto all = f.all_entries();
  auto opened = boost::json::parse(all[all.size() - 2]).as_object();
  CHECK(opened["payload"].as_object()["due_at"].as_string() == "2025-06-12T02:00:00.000Z");
  auto notice = boost::json::parse(all.back()).as_object();
  CHECK(notice["payload"].as_object()["kind"].as_string() == "opening_record");
}
