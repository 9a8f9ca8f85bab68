// Issue 11, the gate (docs/qualification.md): qualification refuses a
// commitment and invalidates a bid on the snapshot at the deadline; fewer
// than three bidders are never opened and their bid entries never released;
// only USCC type 91 bids; drafts stay out of the public feed; re-tendering
// links the failed tender. Each at its exact boundary.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "audit_log/trail.h"
#include "service_fixture.h"
#include "tender_core/service.h"
#include "tender_core/tender_hooks.h"
#include "tender_core/unchecked_reads.h"
#include "tender_core/uscc.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

namespace {

const char* kDeadline = "2025-07-01T02:00:00Z";

boost::json::object entry_json(const std::string& bytes) {
  return boost::json::parse(bytes).as_object();
}

std::vector<boost::json::object> entries_of(CoreFixture& f, std::string_view type) {
  std::vector<boost::json::object> out;
  for (const auto& e : f.all_entries()) {
    auto o = entry_json(e);
    if (o["type"].as_string() == type) out.push_back(o);
  }
  return out;
}

// The entries the public feed shows in full at `now_ms` (the server's rule:
// an entry withheld until a later instant is served as a stub).
std::vector<boost::json::object> public_entries(CoreFixture& f, std::int64_t now_ms) {
  auto db = f.reader();
  auto n = audit::log_size(db);
  REQUIRE(n.ok());
  auto es = audit::read_entries(db, 0, *n);
  REQUIRE(es.ok());
  std::vector<boost::json::object> out;
  for (const auto& e : *es) {
    if (e.release_at_ms && now_ms < *e.release_at_ms) continue;
    out.push_back(entry_json(e.bytes));
  }
  return out;
}

std::size_t public_of_type(CoreFixture& f, std::int64_t now_ms, std::string_view prefix,
                           std::string_view tender = {}) {
  std::size_t n = 0;
  for (auto& e : public_entries(f, now_ms)) {
    const std::string type(e["type"].as_string());
    if (type.rfind(prefix, 0) != 0) continue;
    if (!tender.empty() && (!e["tender"].is_string() || e["tender"].as_string() != tender)) {
      continue;
    }
    ++n;
  }
  return n;
}

// The bid entries in a tender trail made at `now_ms`.
std::size_t trail_bid_entries(CoreFixture& f, const std::string& tender, std::int64_t now_ms) {
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto db = f.reader();
  auto trail = audit::tender_trail(db, tender, f.ledger->verifier_key(), now_ms);
  REQUIRE(trail.ok());
  std::size_t n = 0;
  for (const auto& e : trail->at("entries").as_array()) {
    auto o = entry_json(std::string(e.as_object().at("entry").as_string()));
    if (o["type"].as_string().starts_with("bid.")) ++n;
  }
  return n;
}

// Registers an enterprise with a rating (and an account for it).
Actor rated_enterprise(CoreFixture& f, const std::string& uscc, const std::string& grade,
                       std::int32_t stars, bool blacklisted,
                       std::int64_t from = ms("2025-01-01T00:00:00Z")) {
  REQUIRE(f.registry->register_enterprise(f.admin, {uscc, "企业" + uscc.substr(10)}).ok());
  if (!grade.empty()) {
    REQUIRE(f.registry->record_ratings(f.admin, {{uscc, {grade, 7000, stars, blacklisted, from}}})
                .ok());
  }
  return CoreFixture::actor("ent-" + uscc, "enterprise", "", uscc);
}

std::string commit(CoreFixture& f, const Actor& ent, const std::string& tender,
                   std::uint8_t salt = 1) {
  auto s = seal(tender, ent.enterprise_uscc, 200 + salt, salt);
  auto r = f.service->submit_bid(ent, tender, s.commitment);
  if (!r.ok()) FAIL(r.error().to_string());
  return r->bid_id;
}

// A valid code of authority/type `pair` with organization code body `org8`.
std::string code_of(const std::string& pair, const std::string& org8 = "77604965") {
  std::string first17 = pair + "350200" + org8 + organization_code_check_character(org8);
  return first17 + uscc_check_character(first17);
}

}  // namespace

TEST_CASE("gate at submission: each threshold at its boundary, the refusal names the rating",
          "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);  // A..D: AA 4★; the tender asks A / 3★
  const std::string t = publish_tender(f, m, kDeadline);
  const Actor at_bar = rated_enterprise(f, code_of("91", "55000001"), "A", 3, false);
  const Actor grade_b = rated_enterprise(f, code_of("91", "55000002"), "B", 5, false);
  const Actor two_stars = rated_enterprise(f, code_of("91", "55000003"), "AAA", 2, false);
  const Actor black = rated_enterprise(f, code_of("91", "55000004"), "AAA", 5, true);
  const Actor unrated = rated_enterprise(f, code_of("91", "55000005"), "", 0, false);

  auto s = [&](const Actor& a) { return seal(t, a.enterprise_uscc, 200, 7).commitment; };
  (void)expect_one_entry(f, [&] { return f.service->submit_bid(at_bar, t, s(at_bar)); });
  expect_refused(
      f, [&] { return f.service->submit_bid(grade_b, t, s(grade_b)); }, "bidder_not_qualified");
  expect_refused(
      f, [&] { return f.service->submit_bid(two_stars, t, s(two_stars)); }, "bidder_not_qualified");
  expect_refused(
      f, [&] { return f.service->submit_bid(black, t, s(black)); }, "bidder_not_qualified");
  expect_refused(
      f, [&] { return f.service->submit_bid(unrated, t, s(unrated)); }, "bidder_not_qualified");

  auto r = f.service->submit_bid(grade_b, t, s(grade_b));
  REQUIRE_FALSE(r.ok());
  const auto& d = r.error().details;
  const auto& rating = d.at("rating").as_object();
  CHECK(rating.at("credit_grade").as_string() == "B");
  CHECK(rating.at("star_rating").as_int64() == 5);
  CHECK(rating.at("blacklisted").as_bool() == false);
  CHECK(rating.at("effective_from").as_string() == "2025-01-01T00:00:00.000Z");
  CHECK(d.at("required").as_object().at("min_credit_grade").as_string() == "A");
  CHECK(d.at("required").as_object().at("min_star_rating").as_int64() == 3);
  CHECK(d.at("failed").as_array() == boost::json::array{"credit_below_threshold"});
  auto b = f.service->submit_bid(black, t, s(black));
  CHECK(b.error().details.at("failed").as_array() == boost::json::array{"blacklisted"});
  auto u = f.service->submit_bid(unrated, t, s(unrated));
  CHECK(u.error().details.at("rating").is_null());
  CHECK(u.error().details.at("failed").as_array() == boost::json::array{"no_rating"});
  // Nothing of the refused enterprises was stored: only one bid exists.
  auto db = f.reader();
  auto own = TenderService::bids_visible_to(db, t, grade_b, f.clock.now_ms());
  CHECK(own->empty());
}

TEST_CASE("gate at submission: a rating counts from its effective instant", "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, kDeadline);
  const std::int64_t blacklisting = f.clock.now_ms() + kDayMs;
  REQUIRE(
      f.registry->record_ratings(f.admin, {{kUsccA, {"AA", 9000, 4, true, blacklisting}}}).ok());
  // One millisecond before the blacklisting is in force: accepted (and it
  // may replace its bid until then); at the instant: refused.
  f.clock.set_ms(blacklisting - 1);
  commit(f, m.enterprises[0], t, 1);
  f.clock.set_ms(blacklisting);
  expect_refused(
      f,
      [&] {
        return f.service->submit_bid(m.enterprises[0], t, seal(t, kUsccA, 222, 2).commitment);
      },
      "bidder_not_qualified");
  // Withdrawing stays possible.
  (void)expect_one_entry(f, [&] { return f.service->withdraw_bid(m.enterprises[0], t); });
}

TEST_CASE("gate on the deadline snapshot: a bid failing it is invalid in the opening record",
          "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, kDeadline, 2);
  const std::int64_t deadline = ms(kDeadline);
  std::vector<SealedBid> sealed;
  for (std::size_t i = 0; i < 4; ++i) {
    sealed.push_back(seal(t, m.enterprises[i].enterprise_uscc, 200 + static_cast<int>(i),
                          static_cast<std::uint8_t>(i + 1)));
    REQUIRE(f.service->submit_bid(m.enterprises[i], t, sealed.back().commitment).ok());
  }
  // Recorded before the deadline: B blacklisted exactly at the deadline
  // (in force then), C downgraded to B at deadline + 1 ms (not in force),
  // D downgraded to 2★ one day before.
  f.clock.set_ms(deadline - 10);
  REQUIRE(f.registry
              ->record_ratings(f.admin, {{kUsccB, {"AA", 8900, 4, true, deadline}},
                                         {kUsccC, {"B", 6000, 4, false, deadline + 1}},
                                         {kUsccD, {"AA", 8800, 2, false, deadline - kDayMs}}})
              .ok());
  f.clock.set_ms(deadline + 3600'000);
  for (std::size_t i = 0; i < 4; ++i) {
    auto r = f.service->reveal_bid(m.enterprises[i], t, sealed[i].salt_hex, sealed[i].bid);
    REQUIRE(r.ok());  // revealing is still possible: the opening record decides
  }
  auto closed = entries_of(f, "tender.bidding_closed");
  REQUIRE(closed.size() == 1);
  const auto& bids = closed[0]["payload"].as_object()["bids"].as_array();
  REQUIRE(bids.size() == 4);
  std::map<std::string, boost::json::object> by_uscc;
  for (const auto& b : bids) {
    by_uscc[std::string(b.as_object().at("bidder_uscc").as_string())] = b.as_object();
  }
  CHECK(by_uscc[kUsccA].at("qualified").as_bool());
  CHECK_FALSE(by_uscc[kUsccB].at("qualified").as_bool());
  CHECK(by_uscc[kUsccB].at("disqualified").as_array() == boost::json::array{"blacklisted"});
  CHECK(by_uscc[kUsccC].at("qualified").as_bool());
  CHECK(by_uscc[kUsccD].at("disqualified").as_array() ==
        boost::json::array{"star_below_threshold"});

  f.clock.set_ms(deadline + kDayMs);  // the reveal window (1 day) closes
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db = f.reader();
  auto record = detail::unchecked_opening_record(db, t);
  REQUIRE(record.ok());
  REQUIRE(record->size() == 4);
  std::map<std::string, OpeningRow> rows;
  for (auto& r : *record) rows[r.bidder_uscc] = r;
  CHECK(rows[kUsccA].valid);
  CHECK(rows[kUsccC].valid);
  CHECK_FALSE(rows[kUsccB].valid);
  CHECK(rows[kUsccB].reason == "not_qualified");
  CHECK(rows[kUsccB].disqualified == std::vector<std::string>{"blacklisted"});
  CHECK_FALSE(rows[kUsccB].bid);  // no price in the record
  CHECK(rows[kUsccD].reason == "not_qualified");
  CHECK(rows[kUsccD].disqualified == std::vector<std::string>{"star_below_threshold"});
  auto opened_entry = entries_of(f, "tender.opened");
  REQUIRE(opened_entry.size() == 1);
  CHECK(opened_entry[0]["payload"].as_object()["valid_bids"].as_int64() == 2);
  // Never reaches the committee or the decision: the evaluation reads only
  // the valid bids.
  auto opened = opened_bids(db, t);
  REQUIRE(opened.ok());
  REQUIRE(opened->size() == 2);
  for (const auto& b : *opened) {
    CHECK((b.bid.bidder_uscc == kUsccA || b.bid.bidder_uscc == kUsccC));
  }
  CHECK(detail::unchecked_view(db, t)->status == TenderStatus::opened);  // 2 >= min_valid_bids 2
}

TEST_CASE("a bidder failing the snapshot still counts as a bidder, valid bids decide after",
          "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, kDeadline, 3);
  const std::int64_t deadline = ms(kDeadline);
  std::vector<SealedBid> sealed;
  for (std::size_t i = 0; i < 3; ++i) {
    sealed.push_back(
        seal(t, m.enterprises[i].enterprise_uscc, 210, static_cast<std::uint8_t>(i + 1)));
    REQUIRE(f.service->submit_bid(m.enterprises[i], t, sealed.back().commitment).ok());
  }
  REQUIRE(f.registry->record_ratings(f.admin, {{kUsccA, {"C", 1000, 1, true, deadline - 1}}}).ok());
  f.clock.set_ms(deadline + 1);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db = f.reader();
  CHECK(detail::unchecked_view(db, t)->status == TenderStatus::reveal);  // 3 bidders: opened
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(f.service->reveal_bid(m.enterprises[i], t, sealed[i].salt_hex, sealed[i].bid).ok());
  }
  f.clock.set_ms(deadline + kDayMs);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  // 2 valid bids < min_valid_bids 3: 流标 after the opening.
  CHECK(detail::unchecked_view(db, t)->status == TenderStatus::failed);
  CHECK(*detail::unchecked_view(db, t)->end_reason == "too_few_valid_bids");
}

TEST_CASE("fewer than three bidders: failed unopened, bids never published", "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::int64_t deadline = ms(kDeadline);
  const std::string two = publish_tender(f, m, kDeadline, 2);
  const std::string three = publish_tender(f, m, kDeadline, 2);
  const std::string none = publish_tender(f, m, kDeadline, 2);
  commit(f, m.enterprises[0], two, 1);
  commit(f, m.enterprises[1], two, 2);
  commit(f, m.enterprises[2], two, 3);
  REQUIRE(f.service->withdraw_bid(m.enterprises[2], two).ok());  // 2 live commitments
  for (std::size_t i = 0; i < 3; ++i) commit(f, m.enterprises[i], three, 10 + i);

  // Before anything is applied and right after the deadline: no bid entry in
  // the feed or in a trail, for any tender.
  CHECK(public_of_type(f, deadline + 1, "bid.") == 0);
  f.clock.set_ms(deadline + 1);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db = f.reader();
  auto v2 = detail::unchecked_view(db, two);
  CHECK(v2->status == TenderStatus::failed);
  CHECK(*v2->end_reason == "too_few_bidders");
  CHECK(*detail::unchecked_view(db, none)->end_reason == "too_few_bidders");
  CHECK(detail::unchecked_view(db, three)->status == TenderStatus::reveal);
  // Read at deadline + 1 ms: the two-bid tender shows no bid entry (feed,
  // trail); the three-bid one was released by its reveal window's opening.
  CHECK(public_of_type(f, deadline + 1, "bid.", two) == 0);
  CHECK(trail_bid_entries(f, two, deadline + 1) == 0);
  CHECK(public_of_type(f, deadline + 1, "bid.", three) == 3);
  CHECK(trail_bid_entries(f, three, deadline + 1) == 3);
  // Nor ever after.
  CHECK(public_of_type(f, deadline + 400 * kDayMs, "bid.", two) == 0);
  CHECK(trail_bid_entries(f, two, deadline + 400 * kDayMs) == 0);

  // The closing entry names no bid; the notice gives the floor, not the count.
  for (auto& e : entries_of(f, "tender.bidding_closed")) {
    auto& p = e["payload"].as_object();
    if (e["tender"].as_string() == three) {
      CHECK(p["bids"].as_array().size() == 3);
    } else {
      CHECK_FALSE(p.contains("bids"));
    }
  }
  auto failed = entries_of(f, "tender.failed");
  REQUIRE(failed.size() == 2);
  for (auto& e : failed) {
    auto& p = e["payload"].as_object();
    CHECK(p["reason"].as_string() == "too_few_bidders");
    CHECK(p["due_at"].as_string() == "2025-07-01T02:00:00.000Z");
    CHECK(p["min_bidders"].as_int64() == 3);
    const std::string notice(p["notice"].as_string());
    CHECK(notice.find("fewer than three bidders") != std::string::npos);
    CHECK(notice.find('2') == std::string::npos);
    CHECK(notice.find('0') == std::string::npos);
    CHECK_FALSE(p.contains("bids"));
  }
  CHECK(entries_of(f, "tender.reveal_opened").size() == 1);  // the three-bid tender only
  // No reveal window, no opening record.
  auto s = seal(two, kUsccA, 201, 1);
  auto rv = f.service->reveal_bid(m.enterprises[0], two, s.salt_hex, s.bid);
  REQUIRE_FALSE(rv.ok());
  CHECK(rv.error().code == "tender_failed");
  CHECK(detail::unchecked_opening_record(db, two).error().code == "opening_not_public");
  // Its tenderer is not told who bid; the supervisor is.
  CHECK(TenderService::bids_visible_to(db, two, m.tenderer, deadline + 1)->empty());
  CHECK(TenderService::bids_visible_to(db, two, f.supervisor, deadline + 1)->size() == 2);
  // Nothing more is due.
  CHECK(*f.service->tick(deadline + 30 * kDayMs) == 0);
}

TEST_CASE("min_bidders: a tender may require more than three", "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  auto rules = rules_json(kDeadline, 3);
  rules["min_bidders"] = 4;
  auto t = f.service->create_draft(m.tenderer, {m.tenderer.community_id, "四家起", rules});
  REQUIRE(t.ok());
  REQUIRE(f.service->publish(m.tenderer, *t).ok());
  for (std::size_t i = 0; i < 3; ++i) commit(f, m.enterprises[i], *t, 1 + i);
  f.clock.set_ms(ms(kDeadline));
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  auto db = f.reader();
  CHECK(*detail::unchecked_view(db, *t)->end_reason == "too_few_bidders");
  auto failed = entries_of(f, "tender.failed");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0]["payload"].as_object()["min_bidders"].as_int64() == 4);
  CHECK(std::string(failed[0]["payload"].as_object()["notice"].as_string())
            .find("fewer than the 4 bidders") != std::string::npos);
  // Four bidders open.
  const std::string t4 = [&] {
    auto d = f.service->create_draft(
        m.tenderer, {m.tenderer.community_id, "四家起", [&] {
                       auto r = rules_json(core::format_rfc3339_ms(ms(kDeadline) + 30 * kDayMs));
                       r["min_bidders"] = 4;
                       return r;
                     }()});
    REQUIRE(d.ok());
    REQUIRE(f.service->publish(m.tenderer, *d).ok());
    return *d;
  }();
  for (std::size_t i = 0; i < 4; ++i) commit(f, m.enterprises[i], t4, 20 + i);
  f.clock.set_ms(ms(kDeadline) + 30 * kDayMs);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  CHECK(detail::unchecked_view(db, t4)->status == TenderStatus::reveal);
}

TEST_CASE("a cancelled tender never publishes its bids (security A14)", "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, kDeadline);
  for (std::size_t i = 0; i < 3; ++i) commit(f, m.enterprises[i], t, 1 + i);
  REQUIRE(f.service->cancel(m.tenderer, t, "业主大会决议撤销").ok());
  const std::int64_t deadline = ms(kDeadline);
  f.clock.set_ms(deadline + 10 * kDayMs);
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  CHECK(public_of_type(f, deadline + 1, "bid.", t) == 0);
  CHECK(public_of_type(f, deadline + 10 * kDayMs, "bid.", t) == 0);
  CHECK(trail_bid_entries(f, t, deadline + 10 * kDayMs) == 0);
  // The same after a suspension first (the two paths no longer differ).
  const std::string s = publish_tender(f, m, core::format_rfc3339_ms(deadline + 40 * kDayMs));
  for (std::size_t i = 0; i < 3; ++i) commit(f, m.enterprises[i], s, 10 + i);
  REQUIRE(f.service->suspend(f.supervisor, s, "投诉调查").ok());
  REQUIRE(f.service->cancel(m.tenderer, s, "业主大会决议撤销").ok());
  CHECK(public_of_type(f, deadline + 400 * kDayMs, "bid.", s) == 0);
}

TEST_CASE("drafts stay out of the public feed until published, a bid on a draft is 404", "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  auto draft =
      f.service->create_draft(m.tenderer, {m.tenderer.community_id, "草稿", rules_json(kDeadline)});
  REQUIRE(draft.ok());
  REQUIRE(f.service->edit_draft(m.tenderer, *draft, {std::string("草稿二"), std::nullopt}).ok());
  const std::int64_t now = f.clock.now_ms();
  CHECK(public_of_type(f, now, "tender.", *draft) == 0);
  CHECK(public_of_type(f, now + 1000 * kDayMs, "tender.", *draft) == 0);

  // A bid, a withdrawal, a reveal and an objection on the draft answer
  // exactly as on an unknown id; so does a foreign tenderer's command.
  auto unknown = f.service->submit_bid(m.enterprises[0], "T999", std::string(64, 'a'));
  auto on_draft = f.service->submit_bid(m.enterprises[0], *draft, std::string(64, 'a'));
  REQUIRE_FALSE(unknown.ok());
  REQUIRE_FALSE(on_draft.ok());
  CHECK(on_draft.error().code == "tender_not_found");
  CHECK(unknown.error().code == "tender_not_found");
  CHECK(on_draft.error().details.at("id").as_string() == *draft);
  expect_refused(
      f, [&] { return f.service->withdraw_bid(m.enterprises[0], *draft); }, "tender_not_found");
  expect_refused(
      f, [&] { return f.service->file_objection(m.enterprises[0], *draft, "异议"); },
      "tender_not_found");
  const Actor foreign = CoreFixture::actor("tenderer-x", "tenderer", "C999");
  expect_refused(
      f, [&] { return f.service->publish(foreign, *draft); }, "tender_not_found");
  auto foreign_cancel = f.service->cancel(foreign, *draft, "x");
  CHECK(foreign_cancel.error().code == "tender_not_found");

  // Publication releases the draft's entries.
  f.clock.advance_ms(1000);
  REQUIRE(f.service->publish(m.tenderer, *draft).ok());
  CHECK(public_of_type(f, f.clock.now_ms(), "tender.", *draft) == 3);  // drafted, edited, published

  // A draft never published stays unseen, its cancellation included.
  auto other = f.service->create_draft(m.tenderer,
                                       {m.tenderer.community_id, "不发布", rules_json(kDeadline)});
  REQUIRE(other.ok());
  REQUIRE(f.service->cancel(m.tenderer, *other, "不招了").ok());
  CHECK(public_of_type(f, f.clock.now_ms() + 1000 * kDayMs, "tender.", *other) == 0);
  CHECK(entries_of(f, "tender.cancelled").size() == 1);  // it is in the log, withheld
}

TEST_CASE("only USCC type 91 may bid, other valid codes register and may object", "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, kDeadline);
  // 个体工商户 (92), 农民专业合作社 (93), 村级集体经济组织 (N2), 社会团体 (51),
  // all rated above the thresholds.
  for (const std::string pair : {"92", "93", "N2", "51"}) {
    INFO(pair);
    const Actor a = rated_enterprise(f, code_of(pair), "AAA", 5, false);
    expect_refused(
        f,
        [&] { return f.service->submit_bid(a, t, seal(t, a.enterprise_uscc, 200, 1).commitment); },
        "bidder_type_not_allowed");
    auto r = f.service->submit_bid(a, t, seal(t, a.enterprise_uscc, 200, 1).commitment);
    CHECK(r.error().details.at("uscc_type").as_string() == pair);
    // The document objection stays open to it.
    (void)expect_one_entry(f, [&] { return f.service->file_objection(a, t, "资格条件过严"); });
  }
  // An enterprise refused by the gate may object too.
  const Actor low = rated_enterprise(f, code_of("91", "55000011"), "C", 1, true);
  (void)expect_one_entry(f, [&] { return f.service->file_objection(low, t, "门槛过高"); });
}

TEST_CASE("re-tendering names the failed or cancelled tender of the same community", "[gate]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::string failed = publish_tender(f, m, kDeadline);
  const std::string live = publish_tender(f, m, kDeadline);
  auto other = f.registry->create_community(f.admin, {"另一小区", "思明区", "街道", "路1号"});
  REQUIRE(other.ok());
  const Actor other_tenderer = CoreFixture::actor("tenderer-2", "tenderer", other->id);
  f.clock.set_ms(ms(kDeadline));
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());  // `failed` fails unopened (no bid)

  auto with = [&](const Actor& who, std::string old) {
    TenderDraftInput in{who.community_id, "重新招标",
                        rules_json(core::format_rfc3339_ms(ms(kDeadline) + 30 * kDayMs))};
    in.retender_of = std::move(old);
    return f.service->create_draft(who, in);
  };
  // `live` already failed too (no bid); use a fresh published one for the refusal.
  const std::string published =
      publish_tender(f, m, core::format_rfc3339_ms(ms(kDeadline) + 30 * kDayMs));
  for (const auto& [who, old] : std::vector<std::pair<Actor, std::string>>{
           {m.tenderer, published}, {m.tenderer, "T999"}, {other_tenderer, failed}}) {
    INFO(old);
    expect_refused(
        f, [&] { return with(who, old); }, "retender_invalid");
  }
  auto id = expect_one_entry(f, [&] { return with(m.tenderer, failed); });
  auto db = f.reader();
  CHECK(*detail::unchecked_view(db, *id)->retender_of == failed);
  CHECK(entries_of(f, "tender.drafted").back()["payload"].as_object()["retender_of"].as_string() ==
        failed);
  REQUIRE(f.service->publish(m.tenderer, *id).ok());
  CHECK(
      entries_of(f, "tender.published").back()["payload"].as_object()["retender_of"].as_string() ==
      failed);
  // A cancelled tender may be re-tendered as well.
  REQUIRE(f.service->cancel(m.tenderer, published, "重新编制").ok());
  CHECK(with(m.tenderer, published).ok());
  (void)live;
}

TEST_CASE("qualification_failures: each threshold at its bound, in a fixed order", "[gate]") {
  const auto scale = CreditScale::default_scale();
  using V = std::vector<std::string>;
  auto f = [&](std::optional<CreditRating> r, std::string_view grade, std::int32_t stars) {
    return qualification_failures(r, grade, stars, scale);
  };
  CHECK(f(std::nullopt, "A", 0) == V{"no_rating"});
  CHECK(f(CreditRating{"A", 7000, 3, false, 0}, "A", 3).empty());
  CHECK(f(CreditRating{"B", 7000, 3, false, 0}, "A", 3) == V{"credit_below_threshold"});
  CHECK(f(CreditRating{"A", 7000, 2, false, 0}, "A", 3) == V{"star_below_threshold"});
  CHECK(f(CreditRating{"AAA", 10000, 5, true, 0}, "C", 0) == V{"blacklisted"});
  CHECK(f(CreditRating{"C", 0, 0, true, 0}, "A", 3) ==
        V{"blacklisted", "credit_below_threshold", "star_below_threshold"});
  CHECK(f(CreditRating{"C", 0, 0, false, 0}, "C", 0).empty());  // 不达标 with no star requirement
  CHECK(f(CreditRating{"Z", 0, 5, false, 0}, "C", 0) == V{"credit_below_threshold"});
  CHECK(*meets_threshold(CreditRating{"A", 7000, 3, false, 0}, "A", 3, scale));
  CHECK_FALSE(*meets_threshold(CreditRating{"A", 7000, 3, true, 0}, "A", 3, scale));
}
