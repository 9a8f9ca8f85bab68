// Periods in calendar days, China time (issue 11 items 3, 4 and 7;
// docs/periods.md): the calendar module's rules at their boundaries (the
// last millisecond in, the first out), the platform holiday calendar, the
// platform's minimum windows and the document objection that holds the
// deadline.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "calendar_fixture.h"
#include "service_fixture.h"
#include "tender_core/calendar.h"
#include "tender_core/tender_rules.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

namespace {

// 00:00 China time on `s`.
std::int64_t midnight(std::string_view s) {
  return china_midnight_ms(date(s));
}

}  // namespace

TEST_CASE("China dates: UTC+8, the day starts at 16:00 UTC", "[periods]") {
  CHECK(china_date(ms("2025-03-12T15:59:59.999Z")) == date("2025-03-12"));
  CHECK(china_date(ms("2025-03-12T16:00:00Z")) == date("2025-03-13"));
  CHECK(midnight("2025-03-13") == ms("2025-03-12T16:00:00Z"));
  CHECK(format_china_date(date("2024-02-29")) == "2024-02-29");
  CHECK(weekday(date("2025-03-12")) == 3);  // a Wednesday
  CHECK(is_weekend(date("2025-03-15")));
  CHECK_FALSE(is_weekend(date("2025-03-14")));
  CHECK(same_time_on(date("2025-03-20"), ms("2025-03-12T15:00:00+08:00")) ==
        ms("2025-03-20T15:00:00+08:00"));
  CHECK(parse_china_date("2025-02-29").error().code == "calendar_invalid");
  CHECK(parse_china_date("2025-1-01").error().code == "calendar_invalid");
  CHECK(parse_china_date("1999-12-31").error().code == "calendar_invalid");
}

TEST_CASE("rest days and trading days of the holiday calendar", "[periods]") {
  const HolidayCalendar weekends;
  CHECK(weekends.is_rest_day(date("2025-10-04")));  // Saturday
  CHECK_FALSE(weekends.is_rest_day(date("2025-10-01")));
  const HolidayCalendar c = national_day_2025();
  CHECK(c.is_rest_day(date("2025-10-01")));           // a holiday on a Wednesday
  CHECK(c.is_rest_day(date("2025-10-04")));           // a Saturday inside the week
  CHECK_FALSE(c.is_rest_day(date("2025-09-28")));     // a worked Sunday
  CHECK_FALSE(c.is_trading_day(date("2025-09-28")));  // but the exchanges are closed
  CHECK(c.is_trading_day(date("2025-09-29")));
  // Beacons: the first trading day strictly after the fixing date.
  CHECK(c.first_trading_day_after(date("2025-09-30")) == date("2025-10-09"));
  CHECK(c.first_trading_day_after(date("2025-09-26")) == date("2025-09-29"));  // not the 28th
  CHECK(c.first_trading_day_after(date("2025-10-08")) == date("2025-10-09"));
  CHECK(c.roll_past_rest_days(date("2025-10-01")) == date("2025-10-09"));
  CHECK(c.roll_past_rest_days(date("2025-10-11")) == date("2025-10-11"));  // worked Saturday
}

TEST_CASE("calendar input: dates, no date both ways, working days on weekends", "[periods]") {
  auto ok = calendar_from_json(
      boost::json::parse(R"({"holidays":["2025-10-01"],"working_days":["2025-09-28"]})")
          .as_object());
  REQUIRE(ok.ok());
  CHECK(ok->holidays.size() == 1);
  auto field = [](const char* body) {
    auto r = calendar_from_json(boost::json::parse(body).as_object());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "calendar_invalid");
    CHECK(r.error().message.find(" / ") != std::string::npos);
    return std::string(r.error().details.at("field").as_string());
  };
  CHECK(field(R"({"holidays":[],"working_days":["2025-09-29"]})") == "working_days");
  CHECK(field(R"({"holidays":["2025-09-28"],"working_days":["2025-09-28"]})") == "working_days");
  CHECK(field(R"({"holidays":["2025-10-01","2025-10-01"],"working_days":[]})") == "holidays[1]");
  CHECK(field(R"({"holidays":[20251001],"working_days":[]})") == "holidays[0]");
  CHECK(field(R"({"holidays":[]})") == "working_days");
  CHECK(field(R"({"holidays":[],"working_days":[],"rest":[]})") == "rest");
}

TEST_CASE("granted periods: 24:00 China time of day N, rolled past rest days", "[periods]") {
  const HolidayCalendar weekends;
  // LAW.md §10's example: 3 days from 12 March 15:00 run 13, 14, 15 March
  // (a Saturday) -> rolled past the weekend to 24:00 on Monday 17 March.
  const std::int64_t opened = ms("2025-03-12T15:00:00+08:00");
  CHECK(*granted_period_end_ms(weekends, opened, 3) == midnight("2025-03-18"));
  // From Monday 10 March: 11, 12, 13 -> 24:00 on Thursday 13 March.
  const std::int64_t monday = ms("2025-03-10T23:59:59.999+08:00");
  CHECK(*granted_period_end_ms(weekends, monday, 3) == midnight("2025-03-14"));
  // The opening instant's time of day does not matter: 00:00 counts as the day.
  CHECK(*granted_period_end_ms(weekends, midnight("2025-03-10"), 3) == midnight("2025-03-14"));
  // Holidays roll too: 3 days from 28 September 2025 end on 1 October, a
  // holiday -> 24:00 on 9 October.
  CHECK(*granted_period_end_ms(national_day_2025(), ms("2025-09-28T10:00:00+08:00"), 3) ==
        midnight("2025-10-10"));
  // A suspension adds the counted dates it touched: one hour on Tuesday 11
  // (one date) and one minute across midnight into Thursday 13 (two dates).
  const std::vector<Pause> pauses = {
      {ms("2025-03-11T10:00:00+08:00"), ms("2025-03-11T11:00:00+08:00")},
      {ms("2025-03-12T23:59:30+08:00"), ms("2025-03-13T00:00:30+08:00")}};
  // 13 March + 3 = 16 March, a Sunday -> 24:00 on Monday 17.
  CHECK(*granted_period_end_ms(weekends, monday, 3, pauses) == midnight("2025-03-18"));
  // A suspension ending exactly at 00:00 does not touch the day it ends on.
  const std::vector<Pause> to_midnight = {
      {ms("2025-03-11T22:00:00+08:00"), midnight("2025-03-12")}};
  CHECK(*granted_period_end_ms(weekends, monday, 3, to_midnight) == midnight("2025-03-15"));
  // One that begins at the end (or later) does not extend it; an open one
  // that began before leaves the end unknown.
  const std::vector<Pause> after = {{midnight("2025-03-14"), std::nullopt}};
  CHECK(*granted_period_end_ms(weekends, monday, 3, after) == midnight("2025-03-14"));
  const std::vector<Pause> open = {{midnight("2025-03-14") - 1, std::nullopt}};
  CHECK_FALSE(granted_period_end_ms(weekends, monday, 3, open).has_value());
}

TEST_CASE("a later calendar extends an open period, never shortens it", "[periods]") {
  const std::int64_t opened = ms("2025-09-26T10:00:00+08:00");  // a Friday
  // With weekends only: 27, 28 (Sunday), 29 -> 24:00 on Monday 29 September.
  HolidayCalendar v1 = national_day_2025();
  v1.version = 1;
  // Version 1 set before the opening: 28 September is worked, and so the
  // period still ends 24:00 on 29 September.
  CalendarHistory before({{v1, opened - 1000}});
  CHECK(*granted_period_end_ms(before, opened, 3) == midnight("2025-09-30"));
  // A holiday on 29 September entered while the period is open extends it.
  HolidayCalendar v2 = v1;
  v2.version = 2;
  v2.holidays.insert(date("2025-09-29"));
  v2.holidays.insert(date("2025-09-30"));
  CalendarHistory extended({{v1, opened - 1000}, {v2, midnight("2025-09-29")}});
  CHECK(*granted_period_end_ms(extended, opened, 3) == midnight("2025-10-10"));
  // The same change after the period ended does not reopen it.
  CalendarHistory late({{v1, opened - 1000}, {v2, midnight("2025-09-30")}});
  CHECK(*granted_period_end_ms(late, opened, 3) == midnight("2025-09-30"));
  // A later calendar that would end it earlier (weekends only: 24:00 on 29
  // September) never shortens it.
  HolidayCalendar v3;
  v3.version = 2;
  HolidayCalendar longer = v1;
  longer.holidays.insert(date("2025-09-29"));
  // (29 September a holiday: 24:00 on 30 September.)
  CalendarHistory shorter({{longer, opened - 1000}, {v3, opened + 1000}});
  CHECK(*granted_period_end_ms(shorter, opened, 3) == midnight("2025-10-01"));
  CHECK(before.in_force_at(opened).version == 1);
  CHECK(before.in_force_at(opened - 1001).version == 0);
}

TEST_CASE("minimum periods count China dates, rest days do not extend them", "[periods]") {
  const std::int64_t published = ms("2025-06-01T23:30:00+08:00");
  // The deadline's China date must be at least 20 days after 1 June.
  CHECK(meets_minimum_period(published, midnight("2025-06-21"), 20));
  CHECK_FALSE(meets_minimum_period(published, midnight("2025-06-21") - 1, 20));
  // 21 June 2025 is a Saturday: it still counts.
  CHECK(weekday(date("2025-06-21")) == 6);
  // An amendment keeps 15 days at the deadline's own time of day.
  const std::int64_t deadline = ms("2025-06-10T10:00:00+08:00");
  CHECK(keep_minimum_period(ms("2025-06-01T09:00:00+08:00"), deadline, 15) ==
        ms("2025-06-16T10:00:00+08:00"));
  CHECK(keep_minimum_period(ms("2025-05-20T09:00:00+08:00"), deadline, 15) == deadline);
}

TEST_CASE("10日前: the last day to object is the deadline's date - 11, no roll", "[periods]") {
  // Deadline 21 August 2025 10:00: objections until 24:00 on 10 August (a
  // Sunday; nothing rolls).
  const std::int64_t deadline = ms("2025-08-21T10:00:00+08:00");
  CHECK(days_before_cutoff_ms(deadline, 10) == midnight("2025-08-11"));
  CHECK(days_before_cutoff_ms(ms("2025-08-21T00:00:00+08:00"), 10) == midnight("2025-08-11"));
}

TEST_CASE("window minimums are platform settings, checked at publication", "[periods]") {
  CoreFixture f;
  Market m = setup_market(f);
  auto draft = [&](auto edit) {
    auto rules = rules_json("2025-07-01T02:00:00Z");
    edit(rules);
    fit_vote_window(rules);
    auto id = f.service->create_draft(m.tenderer, {m.tenderer.community_id, "招标", rules});
    REQUIRE(id.ok());
    return *id;
  };
  auto field_of = [&](const std::string& id) {
    const auto before = f.snapshot();
    auto r = f.service->publish(m.tenderer, id);
    if (r.ok()) return std::string("ok");
    CHECK(f.snapshot() == before);
    CHECK(r.error().code == "rules_invalid_value");
    return std::string(r.error().details.at("field").as_string());
  };
  // Owners' vote: 7 calendar days (a run-off uses the same).
  CHECK(field_of(draft([](auto& r) { r["vote_window_days"] = 6; })) == "vote_window_days");
  CHECK(field_of(draft([](auto& r) { r["vote_window_days"] = 7; })) == "ok");
  // Reveal window: 24 h (security A19).
  CHECK(field_of(draft([](auto& r) { r["reveal_window_s"] = 86'399; })) == "reveal_window_s");
  CHECK(field_of(draft([](auto& r) { r["reveal_window_s"] = 86'400; })) == "ok");
  // A committee_vote round: its own minimum, 24 h.
  CHECK(field_of(draft([](auto& r) {
          r["decision"] = {{"method", "committee_vote"}};
          r["vote_window_s"] = 86'399;
        })) == "vote_window_s");
  CHECK(field_of(draft([](auto& r) {
          r["decision"] = {{"method", "vote_then_lottery"}, {"shortlist_size", 2}};
          r["vote_window_s"] = 86'400;
        })) == "ok");
  // Methods without a vote: a zero window.
  CHECK(field_of(draft([](auto& r) { r["decision"] = {{"method", "lowest_price"}}; })) == "ok");
  // The owners' vote notice goes out with the candidate publicity: 15 days
  // before the vote opens (物业管理条例 art. 12), whatever the settings;
  // the other methods keep the 3 days of publicity.
  CHECK(field_of(draft([](auto& r) { r["candidate_publicity_days"] = 14; })) ==
        "candidate_publicity_days");
  CHECK(field_of(draft([](auto& r) { r["candidate_publicity_days"] = 15; })) == "ok");
  CHECK(field_of(draft([](auto& r) {
          r["decision"] = {{"method", "lowest_price"}};
          r["candidate_publicity_days"] = 3;
        })) == "ok");
  // Other settings move the minimums.
  PlatformSettings s;
  s.window_minimums.owners_vote_days = 15;
  TenderService strict(*f.ledger, f.clock, s);
  auto id = draft([](auto& r) { r["vote_window_days"] = 14; });
  CHECK(strict.publish(m.tenderer, id).error().details.at("minimum").as_int64() == 15);
}

TEST_CASE("the holiday calendar: versions, public entries, refusals change nothing", "[periods]") {
  CoreFixture f;
  auto db = f.reader();
  CHECK(Registry::calendar(db)->version == 0);
  HolidayCalendar c = national_day_2025();
  auto set = expect_one_entry(f, [&] { return f.registry->replace_calendar(f.admin, c); });
  CHECK(set->version == 1);
  auto entry = boost::json::parse(f.all_entries().back()).as_object();
  CHECK(entry["type"].as_string() == "calendar.replaced");
  CHECK(entry["payload"].as_object()["version"].as_int64() == 1);
  CHECK(entry["payload"].as_object()["holidays"].as_array().size() == 6);
  auto now = Registry::calendar(db);
  REQUIRE(now.ok());
  CHECK(now->version == 1);
  CHECK(now->holidays == c.holidays);
  HolidayCalendar bad;
  bad.working_days.insert(date("2025-09-29"));  // a Monday
  expect_refused(
      f, [&] { return f.registry->replace_calendar(f.admin, bad); }, "calendar_invalid");
  auto history = Registry::calendar_history(db);
  REQUIRE(history.ok());
  CHECK(history->versions().size() == 2);
}

TEST_CASE("publicity and objection answers follow the calendar in force when they open",
          "[periods]") {
  CoreFixture f(ms("2025-09-01T09:00:00+08:00"));
  Market m = setup_market(f);
  REQUIRE(f.registry->replace_calendar(f.admin, national_day_2025()).ok());
  const std::string t = publish_tender(f, m, "2025-10-20T10:00:00+08:00");
  // Filed on Monday 29 September: 30 September, 1 October (a holiday), 2
  // October -> rolled to 24:00 on Thursday 9 October.
  f.clock.set_ms(ms("2025-09-29T16:00:00+08:00"));
  auto o = f.service->file_objection(m.enterprises[0], t, "评分办法不明");
  REQUIRE(o.ok());
  CHECK(o->answer_due_ms == midnight("2025-10-10"));
  auto filed = boost::json::parse(f.all_entries().back()).as_object();
  CHECK(filed["payload"].as_object()["answer_due"].as_string() == "2025-10-09T16:00:00.000Z");
  CHECK(filed["payload"].as_object()["calendar_version"].as_int64() == 1);
  auto db = f.reader();
  CHECK(f.service->overdue_objections(db, midnight("2025-10-10") - 1)->empty());
  CHECK(f.service->overdue_objections(db, midnight("2025-10-10"))->size() == 1);
  // A suspension of an hour on Friday 3 October adds that day to the end:
  // 9 October + 1 = Friday 10 October.
  f.clock.set_ms(ms("2025-10-03T10:00:00+08:00"));
  REQUIRE(f.service->suspend(f.supervisor, t, "核查").ok());
  f.clock.set_ms(ms("2025-10-03T11:00:00+08:00"));
  REQUIRE(f.service->resume(f.supervisor, t).ok());
  CHECK(f.service->objections_visible_to(db, t, f.supervisor, f.clock.now_ms())
            ->at(0)
            .answer_due_ms == midnight("2025-10-11"));
}

TEST_CASE("a document objection holds the deadline, the answer restores its days", "[periods]") {
  CoreFixture f(ms("2025-06-02T09:00:00+08:00"));
  Market m = setup_market(f);
  // Deadline Thursday 3 July, 10:00 China time; objections until 22 June.
  const std::string t = publish_tender(f, m, "2025-07-03T10:00:00+08:00");
  auto bid = seal(t, kUsccA, 250, 1);
  REQUIRE(f.service->submit_bid(m.enterprises[0], t, bid.commitment).ok());
  // Filed on 20 June, 13 calendar days before the deadline.
  f.clock.set_ms(ms("2025-06-20T15:00:00+08:00"));
  auto o = expect_one_entry(
      f, [&] { return f.service->file_objection(m.enterprises[1], t, "技术标准排斥"); });
  auto db = f.reader();
  CHECK(detail::unchecked_view(db, t)->deadline_held);
  // The bid entries (the tender's entries still withheld: the draft's were
  // released at publication) wait for an event, not for an instant.
  {
    auto st = db.prepare(
        "SELECT min(w.release_at_ms) FROM audit_tender_entries b JOIN audit_withheld w ON "
        "w.idx = b.idx WHERE b.tender = ? AND w.release_at_ms > ?");
    REQUIRE(st.ok());
    st->bind(1, t).bind(2, f.clock.now_ms());
    REQUIRE(*st->step());
    CHECK(st->column_int64(0) > ms("2099-01-01T00:00:00Z"));
  }
  // Nobody answers. At the deadline and after it bidding stays open.
  f.clock.set_ms(ms("2025-07-03T10:00:00+08:00"));
  CHECK(*f.service->tick(f.clock.now_ms()) == 0);
  CHECK(detail::unchecked_view(db, t)->status == TenderStatus::published);
  auto late_bid = seal(t, kUsccB, 240, 2);
  (void)expect_one_entry(
      f, [&] { return f.service->submit_bid(m.enterprises[1], t, late_bid.commitment); });
  // The public sees no bid; the cutoff for document objections did not move.
  CHECK(TenderService::bids_visible_to(db, t, CoreFixture::actor("p", "public"), f.clock.now_ms())
            ->empty());
  expect_refused(
      f, [&] { return f.service->file_objection(m.enterprises[2], t, "x"); },
      "objection_window_closed");
  // Answered on 5 July: the deadline keeps its 13 days -> 18 July, 10:00,
  // announced by a public amendment notice after the answer.
  f.clock.set_ms(ms("2025-07-05T09:00:00+08:00"));
  const auto before = f.log_size();
  auto ans = f.service->answer_objection(m.tenderer, t, o->objection_id, "已澄清");
  REQUIRE(ans.ok());
  CHECK(ans->late);
  REQUIRE(ans->deadline_moved);
  CHECK(ans->deadline_moved->old_deadline_ms == ms("2025-07-03T10:00:00+08:00"));
  CHECK(ans->deadline_moved->new_deadline_ms == ms("2025-07-18T10:00:00+08:00"));
  // objection.answered, tender.amended and its 更正公告's document.published
  // (docs/documents.md).
  CHECK(f.log_size() == before + 3);
  const auto all = f.all_entries();
  auto notice = boost::json::parse(all[all.size() - 2]).as_object();
  CHECK(notice["type"].as_string() == "tender.amended");
  CHECK(notice["payload"].as_object()["reason"].as_string() == "document_objection_answered");
  auto doc = boost::json::parse(all.back()).as_object();
  CHECK(doc["type"].as_string() == "document.published");
  CHECK(doc["payload"].as_object()["kind"].as_string() == "tender_amended");
  CHECK_FALSE(detail::unchecked_view(db, t)->deadline_held);
  CHECK(*detail::unchecked_view(db, t)->bid_deadline_ms == ms("2025-07-18T10:00:00+08:00"));
  // Still not open to new document objections (the cutoff stays 22 June).
  expect_refused(
      f, [&] { return f.service->file_objection(m.enterprises[2], t, "x"); },
      "objection_window_closed");
  // The last millisecond in, the first out.
  f.clock.set_ms(ms("2025-07-18T10:00:00+08:00") - 1);
  CHECK(*f.service->tick(f.clock.now_ms()) == 0);
  (void)expect_one_entry(f, [&] {
    return f.service->submit_bid(m.enterprises[2], t, seal(t, kUsccC, 230, 3).commitment);
  });
  f.clock.set_ms(ms("2025-07-18T10:00:00+08:00"));
  expect_refused(
      f,
      [&] {
        return f.service->submit_bid(m.enterprises[3], t, seal(t, kUsccD, 230, 4).commitment);
      },
      "bid_after_deadline");
  CHECK(detail::unchecked_view(db, t)->status == TenderStatus::reveal);
}

TEST_CASE("an answer that amends the documents keeps at least 15 days", "[periods]") {
  CoreFixture f(ms("2025-06-02T09:00:00+08:00"));
  Market m = setup_market(f);
  const std::string t = publish_tender(f, m, "2025-07-03T10:00:00+08:00");
  // Filed 20 June (13 days left), answered the same day with an amendment:
  // 15 days after 20 June -> 5 July, 10:00.
  f.clock.set_ms(ms("2025-06-20T15:00:00+08:00"));
  auto o = f.service->file_objection(m.enterprises[1], t, "技术标准排斥");
  REQUIRE(o.ok());
  f.clock.set_ms(ms("2025-06-20T17:00:00+08:00"));
  auto ans = f.service->answer_objection(m.tenderer, t, o->objection_id, "修改第三章", true);
  REQUIRE(ans.ok());
  REQUIRE(ans->deadline_moved);
  CHECK(ans->deadline_moved->new_deadline_ms == ms("2025-07-05T10:00:00+08:00"));
  // Without an amendment, an answer on the filing day moves nothing.
  f.clock.set_ms(ms("2025-06-21T09:00:00+08:00"));
  auto o2 = f.service->file_objection(m.enterprises[2], t, "x");
  REQUIRE(o2.ok());
  const auto before = f.log_size();
  auto plain = f.service->answer_objection(m.tenderer, t, o2->objection_id, "维持");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->deadline_moved);
  CHECK(f.log_size() == before + 1);
  // An unknown objection is refused before anything else.
  expect_refused(
      f, [&] { return f.service->answer_objection(m.tenderer, t, "O99", "x", true); },
      "objection_not_found");
}
