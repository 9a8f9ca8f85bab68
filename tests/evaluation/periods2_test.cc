// Issue 11, leftovers of item 7 (the "periods2" workstream): the owners'
// vote is a period granted to others (docs/periods.md). A suspension adds the
// counted dates it touched and the end is rolled past rest days again, with
// the calendar in force when the window opened; a later calendar version may
// extend the open window, never shorten it, and moves the release of its
// ballots with it.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "eval_fixture.h"
#include "evaluation/vote_window.h"
#include "tender_core/tender_hooks.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

std::vector<boost::json::object> entries_of(EvalFixture& f, std::string_view type) {
  std::vector<boost::json::object> out;
  for (const auto& e : f.all_entries()) {
    auto o = boost::json::parse(e).as_object();
    if (o["type"].as_string() == type) out.push_back(o["payload"].as_object());
  }
  return out;
}

core::TenderStatus status_of(EvalFixture& f, const std::string& tender) {
  auto db = f.reader();
  return core::detail::unchecked_view(db, tender)->status;
}

core::Actor owner(const Deciding& d, const char* key) {
  auto o =
      CoreFixture::actor(std::string("owner-") + key, "owner", d.t.market.tenderer.community_id);
  o.owner_key = key;
  return o;
}

// Ballots a public reader of the feed sees in full at `now`.
int public_ballots(EvalFixture& f, std::int64_t now) {
  int count = 0;
  for (const auto& o : public_entries(f, now)) {
    if (o.at("type").as_string() == "ballot.cast") ++count;
  }
  return count;
}

// 10:00 China time on `d`.
std::int64_t at_ten(core::ChinaDate d) {
  return core::china_midnight_ms(d) + 10 * kHourMs;
}

struct OwnersVote {
  Deciding d;
  std::int64_t opens = 0;
  std::int64_t closes = 0;
};

// An owners' vote of 7 days, open; the calendar hook wired as the server
// wires it. `before_opening` runs before the candidate publicity ends.
OwnersVote open_owners_vote(EvalFixture& f, const std::function<void()>& before_opening = {}) {
  f.registry->set_calendar_hook(f.eval->calendar_hook());
  OwnersVote v;
  v.d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  if (before_opening) before_opening();
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(v.d.t.id).ok());
  auto w = entries_of(f, "decision.vote_opened").back()["window"].as_object();
  v.opens = ms(std::string(w["opens_at"].as_string()));
  v.closes = ms(std::string(w["closes_at"].as_string()));
  return v;
}

// The close after a suspension over `touched` counted dates from day 1.
struct Extended {
  core::ChinaDate last = 0;  // the window's last day before the suspension
  std::int64_t resumed = 0;
};
Extended suspend_days(EvalFixture& f, const OwnersVote& v, std::int64_t touched) {
  Extended x;
  x.last = core::china_date(v.closes - 1);
  const core::ChinaDate day1 = core::china_date(v.opens) + 1;
  f.clock.set_ms(at_ten(day1));
  REQUIRE(f.service->suspend(f.supervisor, v.d.t.id, "投诉核查").ok());
  f.clock.set_ms(at_ten(day1 + touched - 1));
  REQUIRE(f.service->resume(f.supervisor, v.d.t.id).ok());
  x.resumed = f.clock.now_ms();
  return x;
}

}  // namespace

TEST_CASE("a suspension in the owners' vote: the extended end rolls past rest days", "[periods2]") {
  EvalFixture f;
  auto v = open_owners_vote(f);
  const auto A = v.d.bid_of[kUsccA];
  const core::ChinaDate last = core::china_date(v.closes - 1);
  REQUIRE_FALSE(core::HolidayCalendar{}.is_rest_day(last));
  // Touch as many dates as bring the last day to a Saturday.
  const std::int64_t touched = 6 - core::weekday(last);
  REQUIRE(touched >= 1);
  auto x = suspend_days(f, v, touched);
  const core::ChinaDate saturday = last + touched;
  REQUIRE(core::weekday(saturday) == 6);
  // Main ended it at 24:00 on that Saturday; it ends at 24:00 on Monday.
  const std::int64_t unrolled = core::china_midnight_ms(saturday + 1);
  const std::int64_t expected = core::china_midnight_ms(saturday + 3);
  auto w = entries_of(f, "tender.resumed").back()["vote_window"].as_object();
  CHECK(ms(std::string(w["closes_at"].as_string())) == expected);
  CHECK(w["extended_days"].as_int64() == touched + 2);
  CHECK(w["calendar_version"].as_int64() == 0);
  CHECK(x.resumed < unrolled);

  // At the unrolled end the window is still open and nothing is released.
  f.clock.set_ms(unrolled);
  REQUIRE(f.eval->catch_up(v.d.t.id).ok());
  CHECK(status_of(f, v.d.t.id) == core::TenderStatus::deciding);
  REQUIRE(f.eval->cast_ballot(owner(v.d, "K1"), v.d.t.id, A).ok());
  CHECK(public_ballots(f, unrolled + 1) == 0);
  f.clock.set_ms(expected - 1);
  REQUIRE(f.eval->cast_ballot(owner(v.d, "K2"), v.d.t.id, A).ok());
  CHECK(public_ballots(f, expected - 1) == 0);
  CHECK(public_ballots(f, expected) == 2);
  f.clock.set_ms(expected);
  REQUIRE(f.eval->catch_up(v.d.t.id).ok());  // the platform decides at the close
  CHECK(status_of(f, v.d.t.id) != core::TenderStatus::deciding);
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(owner(v.d, "K3"), v.d.t.id, A); }, "vote_window_closed");
}

TEST_CASE("a suspension in the owners' vote counts with the calendar of the opening",
          "[periods2]") {
  EvalFixture f;
  // Learn where the window will end, then enter holidays before it opens.
  core::ChinaDate last = 0;
  std::int64_t touched = 0;
  core::HolidayCalendar at_opening;
  auto v = open_owners_vote(f, [&] {
    const std::int64_t opens = days_end(f.clock.now_ms(), 15);
    last = core::china_date(days_end(opens, 7) - 1);
    touched = 6 - core::weekday(last);
    // The Monday after the Saturday the suspension reaches is a holiday.
    at_opening.holidays = {last + touched + 2};
    REQUIRE(f.registry->replace_calendar(f.admin, at_opening).ok());
  });
  REQUIRE(core::china_date(v.closes - 1) == last);
  suspend_days(f, v, touched);
  // Saturday, Sunday, the Monday holiday: 24:00 on Tuesday.
  const std::int64_t expected = core::china_midnight_ms(last + touched + 4);
  auto w = entries_of(f, "tender.resumed").back()["vote_window"].as_object();
  CHECK(ms(std::string(w["closes_at"].as_string())) == expected);
  CHECK(w["calendar_version"].as_int64() == 1);

  SECTION("a later calendar that would shorten it changes nothing") {
    core::HolidayCalendar later;  // the holiday withdrawn, the Saturday worked
    later.working_days = {last + touched};
    REQUIRE(f.registry->replace_calendar(f.admin, later).ok());
    CHECK(entries_of(f, "decision.vote_extended").empty());
    f.clock.set_ms(expected - 1);
    REQUIRE(f.eval->catch_up(v.d.t.id).ok());
    CHECK(status_of(f, v.d.t.id) == core::TenderStatus::deciding);
    REQUIRE(f.eval->cast_ballot(owner(v.d, "K1"), v.d.t.id, v.d.bid_of[kUsccA]).ok());
    f.clock.set_ms(expected);
    REQUIRE(f.eval->catch_up(v.d.t.id).ok());
    CHECK(status_of(f, v.d.t.id) != core::TenderStatus::deciding);
  }
}

TEST_CASE("a calendar change extends an open owners' vote and moves its ballots' release",
          "[periods2]") {
  EvalFixture f;
  auto v = open_owners_vote(f);
  const auto A = v.d.bid_of[kUsccA];
  const core::ChinaDate last = core::china_date(v.closes - 1);
  f.clock.set_ms(v.opens + kHourMs);
  REQUIRE(f.eval->cast_ballot(owner(v.d, "K1"), v.d.t.id, A).ok());

  SECTION("a holiday on the last day, entered while it is open") {
    // The next day that is not a rest day after `last`.
    core::ChinaDate next = last + 1;
    while (core::is_weekend(next)) ++next;
    const std::int64_t expected = core::china_midnight_ms(next + 1);
    f.clock.set_ms(v.closes - 1);
    core::HolidayCalendar c;
    c.holidays = {last};
    auto set = f.registry->replace_calendar(f.admin, c);
    REQUIRE(set.ok());
    auto ext = entries_of(f, "decision.vote_extended");
    REQUIRE(ext.size() == 1);
    CHECK(ext[0]["tender_id"].as_string() == v.d.t.id);
    CHECK(ext[0]["round"].as_int64() == 1);
    CHECK(ext[0]["calendar_version"].as_int64() == set->version);
    CHECK(ms(std::string(ext[0]["old_closes_at"].as_string())) == v.closes);
    CHECK(ms(std::string(ext[0]["closes_at"].as_string())) == expected);
    // No ballot is readable at the original close + 1 ms; the vote goes on.
    f.clock.set_ms(v.closes + 1);
    CHECK(public_ballots(f, v.closes + 1) == 0);
    REQUIRE(f.eval->catch_up(v.d.t.id).ok());
    CHECK(status_of(f, v.d.t.id) == core::TenderStatus::deciding);
    REQUIRE(f.eval->cast_ballot(owner(v.d, "K2"), v.d.t.id, A).ok());
    f.clock.set_ms(expected - 1);
    CHECK(public_ballots(f, expected - 1) == 0);
    f.clock.set_ms(expected);
    CHECK(public_ballots(f, expected) == 2);
    REQUIRE(f.eval->catch_up(v.d.t.id).ok());
    CHECK(status_of(f, v.d.t.id) == core::TenderStatus::award_publicized);
  }

  SECTION("the same change at the close does not reopen it") {
    f.clock.set_ms(v.closes);
    core::HolidayCalendar c;
    c.holidays = {last};
    REQUIRE(f.registry->replace_calendar(f.admin, c).ok());
    CHECK(entries_of(f, "decision.vote_extended").empty());
    CHECK(public_ballots(f, v.closes) == 1);
    REQUIRE(f.eval->catch_up(v.d.t.id).ok());
    CHECK(status_of(f, v.d.t.id) != core::TenderStatus::deciding);
  }

  SECTION("a change that does not touch the window appends only calendar.replaced") {
    f.clock.set_ms(v.closes - 1);
    core::HolidayCalendar c;
    c.holidays = {last + 30};
    const auto before = f.all_entries().size();
    REQUIRE(f.registry->replace_calendar(f.admin, c).ok());
    CHECK(f.all_entries().size() == before + 1);
    f.clock.set_ms(v.closes);
    CHECK(public_ballots(f, v.closes) == 1);
  }
}

TEST_CASE("a calendar change during a paused owners' vote counts at the resumption", "[periods2]") {
  EvalFixture f;
  auto v = open_owners_vote(f);
  const core::ChinaDate last = core::china_date(v.closes - 1);
  const core::ChinaDate day1 = core::china_date(v.opens) + 1;
  f.clock.set_ms(at_ten(day1));
  REQUIRE(f.service->suspend(f.supervisor, v.d.t.id, "投诉核查").ok());
  core::HolidayCalendar c;
  c.holidays = {last + 1};  // the day after the last, which the suspension adds
  REQUIRE(f.registry->replace_calendar(f.admin, c).ok());
  CHECK(entries_of(f, "decision.vote_extended").empty());  // the close is not known
  f.clock.set_ms(at_ten(day1) + kHourMs);
  REQUIRE(f.service->resume(f.supervisor, v.d.t.id).ok());
  core::ChinaDate end = last + 1;  // one date touched
  while (c.is_rest_day(end)) ++end;
  auto w = entries_of(f, "tender.resumed").back()["vote_window"].as_object();
  CHECK(ms(std::string(w["closes_at"].as_string())) == core::china_midnight_ms(end + 1));
}

TEST_CASE("a beacon dated after today (China time) is refused until that date", "[periods2]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "vote_then_lottery"}, {"shortlist_size", 2}};
  });
  const auto community = d.t.market.tenderer.community_id;
  const auto A = d.bid_of[kUsccA], B = d.bid_of[kUsccB], C = d.bid_of[kUsccC];
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  const std::string votes[] = {A, A, B, B, C};
  for (int i = 0; i < 5; ++i) {
    auto v = CoreFixture::actor("tenderer-" + std::to_string(i + 1), "tenderer", community);
    REQUIRE(f.eval->committee_vote(v, d.t.id, votes[i], 1).ok());
  }
  REQUIRE(f.eval->catch_up(d.t.id).ok());  // the lottery is pending
  REQUIRE(f.ledger->publish_checkpoint().ok());
  std::string date;
  {
    auto db = f.reader();
    auto r = f.eval->required_beacon_date(db, d.t.id, "lottery");
    REQUIRE(r.ok());
    date = *r;
  }
  auto day = core::parse_china_date(date);
  REQUIRE(day.ok());
  REQUIRE(f.clock.now_ms() < core::china_midnight_ms(*day));
  auto enter = [&](const std::string& on) {
    return f.eval->enter_beacon(f.supervisor, d.t.id, "lottery", "2025.88", on);
  };
  // 23:59:59.999 China time the day before: refused, nothing stored.
  f.clock.set_ms(core::china_midnight_ms(*day) - 1);
  expect_eval_refused(
      f, [&] { return enter(date); }, "beacon_date_in_future");
  {
    auto r = enter(date);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("信标日期晚于今日", 0) == 0);  // zh-CN first
    CHECK(r.error().details.at("today").as_string() == core::format_china_date(*day - 1));
  }
  // A wrong date is still named as such.
  expect_eval_refused(
      f, [&] { return enter(core::format_china_date(*day + 7)); }, "beacon_date_not_allowed");
  // 00:00 on the date: accepted.
  f.clock.set_ms(core::china_midnight_ms(*day));
  auto drawn = enter(date);
  if (!drawn.ok()) FAIL(drawn.error().to_string());
  CHECK(drawn->winner);
}

TEST_CASE("committee_vote: a recused member is out of the count and the quorum", "[periods2]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "committee_vote"}};
  });
  const auto community = d.t.market.tenderer.community_id;
  auto member = [&](int i) {
    return CoreFixture::actor("tenderer-" + std::to_string(i), "tenderer", community);
  };
  const auto A = d.bid_of[kUsccA], B = d.bid_of[kUsccB];
  const std::string t = d.t.id;
  // Before the vote opens: member 5 declares a conflict, publicly.
  expect_eval_refused(
      f, [&] { return f.eval->declare_recusal(member(5), t, ""); }, "reason_required");
  auto rec = f.eval->declare_recusal(member(5), t, "配偶任职于投标企业");
  REQUIRE(rec.ok());
  auto e = entries_of(f, "decision.recused");
  REQUIRE(e.size() == 1);
  CHECK(e[0]["member"].as_string() == "tenderer-5");
  CHECK_FALSE(e[0].contains("round"));
  expect_eval_refused(
      f, [&] { return f.eval->declare_recusal(member(5), t, "再次声明"); }, "already_recused");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->declare_recusal(CoreFixture::actor("tenderer-9", "tenderer", community), t,
                                       "x");
      },
      "not_a_voter");

  f.clock.set_ms(days_end(f.clock.now_ms(), 3));  // the vote opens without member 5
  REQUIRE(f.eval->catch_up(t).ok());
  auto w = entries_of(f, "decision.vote_opened").back()["window"].as_object();
  CHECK(w["voters"].as_array().size() == 4);
  expect_eval_refused(
      f, [&] { return f.eval->committee_vote(member(5), t, A, 1); }, "not_a_voter");
  REQUIRE(f.eval->committee_vote(member(3), t, B, 1).ok());
  expect_eval_refused(
      f, [&] { return f.eval->declare_recusal(member(3), t, "投票后"); }, "already_voted");
  // Member 4 recuses inside the open round: three voters remain (> 5 / 2).
  REQUIRE(f.eval->declare_recusal(member(4), t, "曾为投标企业员工").ok());
  CHECK(entries_of(f, "decision.recused").back()["round"].as_int64() == 1);
  // A third recusal would leave two of five: refused.
  expect_eval_refused(
      f, [&] { return f.eval->declare_recusal(member(1), t, "x"); }, "recusal_quorum");
  REQUIRE(f.eval->committee_vote(member(1), t, A, 1).ok());
  REQUIRE(f.eval->committee_vote(member(2), t, A, 1).ok());
  // Every remaining voter voted: 2 of 3 is a majority of all (remaining)
  // members; with the recused members counted it would be 2 of 5.
  REQUIRE(f.eval->catch_up(t).ok());
  CHECK(status_of(f, t) == core::TenderStatus::award_publicized);
  auto made = entries_of(f, "decision.made").back();
  CHECK(made["inputs"].as_object()["members"].as_array().size() == 3);
  expect_eval_refused(
      f, [&] { return f.eval->declare_recusal(member(1), t, "x"); }, "tender_wrong_status");
}

TEST_CASE("a calendar change that extends an open publicity is announced on its tender",
          "[periods2]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  std::int64_t end = 0;
  {
    auto db = f.reader();
    auto e = core::candidate_publicity_end(db, d.t.id);
    REQUIRE(e.ok());
    REQUIRE(e->has_value());
    end = **e;
  }
  const core::ChinaDate last = core::china_date(end - 1);
  core::ChinaDate next = last + 1;
  while (core::is_weekend(next)) ++next;
  const std::int64_t expected = core::china_midnight_ms(next + 1);
  core::HolidayCalendar c;
  c.holidays = {last};
  SECTION("set while it is open: extended, and the entry names the version") {
    f.clock.set_ms(end - 1);
    auto set = f.registry->replace_calendar(f.admin, c);
    REQUIRE(set.ok());
    auto ext = entries_of(f, "tender.period_extended");
    REQUIRE(ext.size() == 1);
    CHECK(ext[0]["tender_id"].as_string() == d.t.id);
    CHECK(ext[0]["period"].as_string() == "candidate_publicity");
    CHECK(ms(std::string(ext[0]["old_ends_at"].as_string())) == end);
    CHECK(ms(std::string(ext[0]["ends_at"].as_string())) == expected);
    CHECK(ext[0]["calendar_version"].as_int64() == set->version);
    f.clock.set_ms(expected - 1);
    REQUIRE(f.service->tick(f.clock.now_ms()).ok());
    CHECK(status_of(f, d.t.id) == core::TenderStatus::candidates_publicized);
    f.clock.set_ms(expected);
    REQUIRE(f.service->tick(f.clock.now_ms()).ok());
    CHECK(status_of(f, d.t.id) == core::TenderStatus::deciding);
  }
  SECTION("set at its end: nothing moves, nothing is announced") {
    f.clock.set_ms(end);
    REQUIRE(f.registry->replace_calendar(f.admin, c).ok());
    CHECK(entries_of(f, "tender.period_extended").empty());
  }
}
