// The contract after the award (招标投标法 art. 46; docs/contract.md): only the
// community's tenderer, only once the tender is awarded, once; every refusal
// changes nothing; a contract signed or recorded after the 30 days is
// recorded and flagged, never refused.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "service_fixture.h"
#include "tender_core/award_notice.h"
#include "tender_core/calendar.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"
#include "tender_core/service.h"
#include "tender_core/tender_hooks.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

namespace {

const char* kDeadline = "2025-07-01T02:00:00Z";
const std::string kDoc(64, 'c');

struct Awarded {
  std::string tender;
  std::string bid;
  std::int64_t award_end_ms = 0;  // the award notice: the award publicity's end
};

// A tender of `m` carried to `awarded`: three bids revealed, candidates and
// award publicized through evaluation's hooks, the clock at the award's end.
Awarded award_tender(CoreFixture& f, const Market& m) {
  Awarded a;
  // 30 days ahead at 10:00 China time: past the 20-day minimum (法 24).
  const std::string deadline =
      format_rfc3339_ms(china_midnight_ms(china_date(f.clock.now_ms()) + 30) + 2 * 3'600'000);
  a.tender = publish_tender(f, m, deadline, 1);
  std::vector<SealedBid> bids;
  const std::string usccs[] = {kUsccA, kUsccC, kUsccD};
  const std::size_t who[] = {0, 2, 3};
  for (std::size_t i = 0; i < 3; ++i) {
    bids.push_back(seal(a.tender, usccs[i], 250 - static_cast<std::int64_t>(i) * 10,
                        static_cast<std::uint8_t>(i + 1)));
    REQUIRE(f.service->submit_bid(m.enterprises[who[i]], a.tender, bids[i].commitment).ok());
  }
  f.clock.set_ms(ms(deadline));
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(
        f.service->reveal_bid(m.enterprises[who[i]], a.tender, bids[i].salt_hex, bids[i].bid).ok());
  }
  f.clock.set_ms(ms(deadline) + kDayMs);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db = f.reader();
  auto opened = opened_bids(db, a.tender);
  REQUIRE(opened.ok());
  REQUIRE(opened->size() == 3);
  a.bid = opened->at(0).bid_id;
  REQUIRE(
      f.ledger->execute([&](audit::WriteTxn& txn) { return mark_reviewing(txn, a.tender); }).ok());
  const std::int64_t cand_start = f.clock.now_ms();
  REQUIRE(f.ledger
              ->execute([&](audit::WriteTxn& txn) -> Status {
                SUNBID_TRY(publicize_candidates(txn, a.tender, {a.bid}));
                return ok_status();
              })
              .ok());
  f.clock.set_ms(days_end(cand_start, 15));
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  const std::int64_t award_start = f.clock.now_ms();
  REQUIRE(f.ledger
              ->execute([&](audit::WriteTxn& txn) -> Status {
                SUNBID_TRY(record_award(txn, a.tender, a.bid));
                return ok_status();
              })
              .ok());
  a.award_end_ms = days_end(award_start, 3);
  f.clock.set_ms(a.award_end_ms);
  REQUIRE(*f.service->tick(f.clock.now_ms()) == 1);
  return a;
}

ContractInput input(std::int64_t signed_ms, std::int64_t months = 36) {
  return {format_china_date(china_date(signed_ms)), months, kDoc};
}

boost::json::object last_entry(CoreFixture& f) {
  return boost::json::parse(f.all_entries().back()).as_object();
}

}  // namespace

TEST_CASE("contract: recorded once by the tenderer after the award, public, not late") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string early = publish_tender(f, m, kDeadline, 1);
  // Before the award: refused, nothing changes.
  expect_refused(
      f, [&] { return f.service->record_contract(m.tenderer, early, input(f.clock.now_ms())); },
      "contract_not_allowed");
  Awarded a = award_tender(f, m);
  const std::int64_t signed_ms = a.award_end_ms + 5 * kDayMs;
  f.clock.set_ms(signed_ms + kDayMs);
  // Only the community's tenderer.
  expect_refused(
      f, [&] { return f.service->record_contract(m.owner, a.tender, input(signed_ms)); },
      "not_tenderer_of_community");
  expect_refused(
      f, [&] { return f.service->record_contract(f.supervisor, a.tender, input(signed_ms)); },
      "not_tenderer_of_community");
  // Bad input: each member named; nothing changes.
  auto refused_field = [&](ContractInput in, std::string_view field) {
    expect_refused(
        f, [&] { return f.service->record_contract(m.tenderer, a.tender, in); },
        "contract_invalid");
    auto r = f.service->record_contract(m.tenderer, a.tender, in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().details.at("field").as_string() == field);
  };
  refused_field({"2025-02-30", 36, kDoc}, "/signed_on");
  refused_field({"2025/07/20", 36, kDoc}, "/signed_on");
  refused_field(input(signed_ms, 0), "/term_months");
  refused_field(input(signed_ms, 121), "/term_months");
  refused_field({input(signed_ms).signed_on, 36, std::string(64, 'C')}, "/document_sha256_hex");
  refused_field({input(signed_ms).signed_on, 36, std::string(63, 'c')}, "/document_sha256_hex");
  // Before the award notice's date, or after today's.
  refused_field(input(a.award_end_ms - 2 * kDayMs), "/signed_on");
  refused_field(input(f.clock.now_ms() + kDayMs), "/signed_on");

  auto r = expect_one_entry(
      f, [&] { return f.service->record_contract(m.tenderer, a.tender, input(signed_ms)); });
  CHECK(r->tender_id == a.tender);
  CHECK(r->awarded_bid_id == a.bid);
  CHECK(r->term_months == 36);
  CHECK(r->award_notice_ms == a.award_end_ms);
  CHECK(r->due_ms == days_end(a.award_end_ms, 30));
  CHECK_FALSE(r->late());
  auto e = last_entry(f);
  CHECK(e["type"].as_string() == "contract.recorded");
  auto& p = e["payload"].as_object();
  CHECK(p["signed_on"].as_string() == input(signed_ms).signed_on);
  CHECK(p["document_sha256"].as_string() == kDoc);
  CHECK(p["late"].as_array().empty());
  CHECK(p["due_at"].as_string() == format_rfc3339_ms(r->due_ms));

  // Public: anyone reads it; once only.
  auto db = f.reader();
  Actor anyone;
  anyone.role = "public";
  auto read = TenderService::contract(db, a.tender, anyone);
  REQUIRE(read.ok());
  CHECK(read->log_index == r->log_index);
  CHECK(read->signed_on == r->signed_on);
  expect_refused(
      f, [&] { return f.service->record_contract(m.tenderer, a.tender, input(signed_ms)); },
      "contract_already_recorded");
  auto none = TenderService::contract(db, early, anyone);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == "contract_not_found");
  auto unknown = TenderService::contract(db, "T999", anyone);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "tender_not_found");
  auto flags = TenderService::late_contracts(db, std::nullopt, 10);
  REQUIRE(flags.ok());
  CHECK(flags->items.empty());
}

TEST_CASE("contract: signed or recorded after the 30 days is recorded and flagged") {
  CoreFixture f;
  Market m = setup_market(f);
  Awarded a = award_tender(f, m);
  const std::int64_t due = days_end(a.award_end_ms, 30);
  // Signed on the last day, recorded a day after the period: recorded_late.
  f.clock.set_ms(due + kDayMs);
  auto r = f.service->record_contract(m.tenderer, a.tender, input(due - 1));
  REQUIRE(r.ok());
  CHECK_FALSE(r->signed_late);
  CHECK(r->recorded_late);
  auto e = last_entry(f);
  CHECK(e["payload"].as_object()["late"].as_array() == boost::json::array{"recorded_late"});

  // A second tender of the same community, signed after the last day.
  Awarded b = award_tender(f, m);
  const std::int64_t due_b = days_end(b.award_end_ms, 30);
  f.clock.set_ms(due_b + 3 * kDayMs);
  auto s = f.service->record_contract(m.tenderer, b.tender, input(due_b + kDayMs));
  REQUIRE(s.ok());
  CHECK(s->signed_late);
  CHECK(s->recorded_late);

  auto db = f.reader();
  auto page = TenderService::late_contracts(db, std::nullopt, 1);
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 1);
  CHECK(page->items[0].tender_id == a.tender);
  REQUIRE(page->next_cursor);
  auto rest = TenderService::late_contracts(db, page->next_cursor, 1);
  REQUIRE(rest.ok());
  REQUIRE(rest->items.size() == 1);
  CHECK(rest->items[0].tender_id == b.tender);
  CHECK_FALSE(rest->next_cursor);
}

// The 中标通知书 (招标投标法 art. 45; docs/documents.md): issued by the
// community's tenderer once the tender is awarded, with its two documents;
// a repeat appends nothing; the contract's 30 days then count from it.
TEST_CASE("award notice: issued once after the award, and the contract counts from it") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string early = publish_tender(f, m, kDeadline, 1);
  expect_refused(
      f, [&] { return issue_award_notice(*f.service, *f.ledger, m.tenderer, early); },
      "award_notice_not_allowed");
  Awarded a = award_tender(f, m);
  expect_refused(
      f, [&] { return issue_award_notice(*f.service, *f.ledger, m.owner, a.tender); },
      "not_tenderer_of_community");
  expect_refused(
      f, [&] { return issue_award_notice(*f.service, *f.ledger, f.supervisor, a.tender); },
      "not_tenderer_of_community");
  expect_refused(
      f, [&] { return issue_award_notice(*f.service, *f.ledger, m.tenderer, "T999"); },
      "tender_not_found");

  // Ten days after the award publicity ended.
  const std::int64_t issued_ms = a.award_end_ms + 10 * kDayMs + 3'600'000;
  f.clock.set_ms(issued_ms);
  // Its entry and the two documents' document.published: three entries.
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  const std::uint64_t size_before = f.log_size();
  auto r = issue_award_notice(*f.service, *f.ledger, m.tenderer, a.tender);
  REQUIRE(r.ok());
  CHECK(f.log_size() == size_before + 3);
  CHECK(r->awarded_bid_id == a.bid);
  CHECK(r->issued_ms == issued_ms);
  CHECK(r->contract_due_ms == days_end(issued_ms, 30));
  CHECK_FALSE(r->repeated);
  const auto entries = f.all_entries();
  REQUIRE(entries.size() >= 3);
  auto issued = boost::json::parse(entries[r->log_index]).as_object();
  CHECK(issued["type"].as_string() == "award_notice.issued");
  CHECK(issued["payload"].as_object()["awarded_bid_id"].as_string() == a.bid);
  CHECK(issued["payload"].as_object()["issued_at"].as_string() == format_rfc3339_ms(issued_ms));
  CHECK(r->notice_index == r->log_index + 1);
  CHECK(r->result_index == r->log_index + 2);
  for (auto [index, kind] : {std::pair{r->notice_index, kAwardNoticeKind},
                             std::pair{r->result_index, kAwardResultNoticeKind}}) {
    auto e = boost::json::parse(entries[index]).as_object();
    CHECK(e["type"].as_string() == "document.published");
    CHECK(e["payload"].as_object()["kind"].as_string() == kind);
    auto db = f.reader();
    auto doc = stored_document(db, index);
    REQUIRE(doc.ok());
    REQUIRE(doc->has_value());
    auto source = boost::json::parse((*doc)->source_json).as_object();
    CHECK(source["issued_ms"].as_int64() == issued_ms);
    CHECK(source["contract_due_ms"].as_int64() == r->contract_due_ms);
    CHECK(source["winner"].as_object()["bid_id"].as_string() == a.bid);
    if (kind == kAwardResultNoticeKind) {
      // Every other bidder at the deadline, never the winner.
      auto& others = source["bidders"].as_array();
      CHECK(others.size() == 2);
      for (const auto& o : others) CHECK(o.as_object().at("bid_id").as_string() != a.bid);
    } else {
      CHECK_FALSE(source.contains("bidders"));
    }
  }

  // A repeat: the first issue, nothing appended, nothing changed.
  const auto before = f.snapshot();
  f.clock.set_ms(issued_ms + kDayMs);
  auto again = issue_award_notice(*f.service, *f.ledger, m.tenderer, a.tender);
  REQUIRE(again.ok());
  CHECK(again->repeated);
  CHECK(again->log_index == r->log_index);
  CHECK(again->issued_ms == issued_ms);
  CHECK(f.snapshot() == before);
  auto db = f.reader();
  auto stored = award_notice(db, a.tender);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->result_index == r->result_index);

  // The contract: not signed before the notice's date; its 30 days count
  // from the notice, not from the end of the publicity.
  expect_refused(
      f,
      [&] {
        return f.service->record_contract(m.tenderer, a.tender, input(issued_ms - 2 * kDayMs));
      },
      "contract_invalid");
  const std::int64_t late_for_publicity = days_end(a.award_end_ms, 30) + kDayMs;
  f.clock.set_ms(late_for_publicity);
  auto c = f.service->record_contract(m.tenderer, a.tender, input(late_for_publicity - kDayMs));
  REQUIRE(c.ok());
  CHECK(c->award_notice_ms == issued_ms);
  CHECK(c->due_ms == r->contract_due_ms);
  CHECK_FALSE(c->late());
  auto e = last_entry(f);
  CHECK(e["payload"].as_object()["award_notice_at"].as_string() == format_rfc3339_ms(issued_ms));
}
