// Issue 11 items 3, 5, 6 and legal M7 (the "decide" workstream): vote windows
// that open when the candidate publicity really ended and pause with the
// tender, releases that move with them, the decision that executes itself,
// the binding vote that only a supervisor can cancel, one roster rule, and
// the deciding committee frozen at publication.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "eval_fixture.h"
#include "evaluation/vote_window.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

// The last entry of the evaluation's own: a failed tender's 流标公告
// (document.published, docs/documents.md) follows its decision.made.
boost::json::object last_entry(EvalFixture& f) {
  auto all = f.all_entries();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    auto e = boost::json::parse(*it).as_object();
    if (e["type"].as_string() != "document.published") return e;
  }
  FAIL("no entry");
  return {};
}

boost::json::object payload_of_last(EvalFixture& f, std::string_view type) {
  auto all = f.all_entries();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    auto e = boost::json::parse(*it).as_object();
    if (e["type"].as_string() == type) return e["payload"].as_object();
  }
  FAIL("no entry " << type);
  return {};
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

Deciding owners_vote_candidates(EvalFixture& f) {
  return to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
}

// The window of the last decision.vote_opened entry.
std::pair<std::int64_t, std::int64_t> opened_window(EvalFixture& f) {
  auto w = payload_of_last(f, "decision.vote_opened")["window"].as_object();
  return {ms(std::string(w["opens_at"].as_string())), ms(std::string(w["closes_at"].as_string()))};
}

// Ballots (and committee votes) a public reader of the feed sees in full at
// `now`: the feed's rule (server/src/api.cc get_entries) over the stored log.
int public_entries_of(EvalFixture& f, std::string_view type, std::int64_t now) {
  int count = 0;
  for (const auto& o : public_entries(f, now)) {
    if (o.at("type").as_string() == type) ++count;
  }
  return count;
}

// The next instant after `after` whose China (UTC+8) time of day is `tod_ms`.
std::int64_t next_china_time(std::int64_t after, std::int64_t tod_ms) {
  std::int64_t day_start = eval::china_day(after) * eval::kDayMs - eval::kChinaOffsetMs;
  std::int64_t t = day_start + tod_ms;
  while (t <= after) t += eval::kDayMs;
  return t;
}

}  // namespace

TEST_CASE("china_day and the extension by calendar days touched", "[decide]") {
  // 2025-06-10T15:59:59.999Z is 23:59:59.999 in China on 06-10; one ms later it is 06-11.
  CHECK(eval::china_day(ms("2025-06-10T16:00:00Z")) -
            eval::china_day(ms("2025-06-10T15:59:59.999Z")) ==
        1);
  core::Suspension two_days{ms("2025-06-10T15:59:00Z"), ms("2025-06-10T16:01:00Z")};
  CHECK(eval::suspension_extension_ms(two_days) == 120'000);
  // A day window (7 days opened Monday 2025-06-02 10:00 China time, ending
  // 24:00 on Monday 9 June): a suspension 23:59 on 4 June to 00:01 on 5 June
  // touched two dates, so it ends 24:00 on Wednesday 11 June.
  const core::CalendarHistory weekends;
  const std::int64_t opened = ms("2025-06-02T02:00:00Z");
  CHECK(eval::day_window_close_ms(weekends, opened, 7, {}) == ms("2025-06-09T16:00:00Z"));
  std::vector<core::Suspension> one{{ms("2025-06-04T15:59:00Z"), ms("2025-06-04T16:01:00Z")}};
  CHECK(eval::day_window_close_ms(weekends, opened, 7, one) == ms("2025-06-11T16:00:00Z"));
  // Only suspensions that began inside the window count; each sees the
  // close the earlier ones made.
  const std::int64_t o = ms("2025-06-10T00:00:00Z");
  std::vector<core::Suspension> s{{o - 1, o + 10}, {o + 5, o + 6}, {o + 100, o + 101}};
  CHECK(eval::extended_close_ms(o, o + 100, s) == o + 102);
  CHECK(eval::extended_close_ms(o, o + 99, s) == o + 100);
}

TEST_CASE("the vote opens when a candidate objection is answered, not at the nominal end",
          "[decide]") {
  // Legal D2: objection at +1 day, answer at +20 days, after the nominal
  // end of the 15-day publicity (the owners' vote notice). Before legal D2
  // the window opened at the nominal end and could close before the tender
  // became deciding, and every ballot was refused.
  EvalFixture f;
  auto d = owners_vote_candidates(f);
  const std::int64_t publicized = f.clock.now_ms();
  f.clock.advance_ms(eval::kDayMs);
  auto o = f.service->file_objection(d.t.market.owner, d.t.id, "候选人资格存疑");
  REQUIRE(o.ok());
  f.clock.set_ms(publicized + 20 * eval::kDayMs);
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK(status_of(f, d.t.id) == core::TenderStatus::candidates_publicized);
  const std::int64_t answered = f.clock.now_ms();
  REQUIRE(f.service->answer_objection(d.t.market.tenderer, d.t.id, o->objection_id, "已核实").ok());
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  auto [opens, closes] = opened_window(f);
  CHECK(opens == answered);
  CHECK(closes == days_end(answered, 7));  // 7 calendar days, 24:00 China time
  const auto A = d.bid_of[kUsccA];
  REQUIRE(f.eval->cast_ballot(owner(d, "K1"), d.t.id, A).ok());
  f.clock.set_ms(closes - 1);
  REQUIRE(f.eval->cast_ballot(owner(d, "K2"), d.t.id, A).ok());
  f.clock.set_ms(closes);
  REQUIRE(f.eval->catch_up(d.t.id).ok());  // the platform decides at the close
  CHECK(status_of(f, d.t.id) == core::TenderStatus::award_publicized);
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(owner(d, "K2"), d.t.id, A); }, "vote_window_closed");
}

TEST_CASE("a suspension during the publicity moves the vote's opening past it", "[decide]") {
  EvalFixture f;
  auto d = owners_vote_candidates(f);
  const std::int64_t publicized = f.clock.now_ms();
  f.clock.advance_ms(eval::kDayMs);
  REQUIRE(f.service->suspend(f.supervisor, d.t.id, "核查").ok());
  f.clock.advance_ms(8 * eval::kDayMs);  // longer than the whole vote window
  REQUIRE(f.service->resume(f.supervisor, d.t.id).ok());
  const std::int64_t resumed = f.clock.now_ms();
  // The publicity's end moves by the calendar days the suspension touched
  // (docs/periods.md); the vote opens there and lasts 7 calendar days.
  const core::Pause pause{publicized + eval::kDayMs, resumed};
  const std::int64_t publicity_end =
      *core::granted_period_end_ms(core::HolidayCalendar{}, publicized, 15, {&pause, 1});
  CHECK(publicity_end > resumed);
  f.clock.set_ms(publicity_end - 1);
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK(status_of(f, d.t.id) == core::TenderStatus::candidates_publicized);
  f.clock.set_ms(publicity_end);
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  auto [opens, closes] = opened_window(f);
  CHECK(opens == publicity_end);
  CHECK(closes == days_end(opens, 7));
  REQUIRE(f.eval->cast_ballot(owner(d, "K1"), d.t.id, d.bid_of[kUsccA]).ok());
}

TEST_CASE(
    "a suspension inside the owners' vote extends it by the days touched, ballots stay sealed",
    "[decide]") {
  EvalFixture f;
  auto d = owners_vote_candidates(f);
  const auto A = d.bid_of[kUsccA];
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  auto [opens, closes] = opened_window(f);
  f.clock.advance_ms(kHourMs);
  REQUIRE(f.eval->cast_ballot(owner(d, "K1"), d.t.id, A).ok());

  SECTION("suspended 23:59 to 00:01 China time: two days touched") {
    f.clock.set_ms(next_china_time(opens + eval::kDayMs, (23 * 60 + 59) * 60'000));
    const std::int64_t start = f.clock.now_ms();
    REQUIRE(f.service->suspend(f.supervisor, d.t.id, "投诉核查").ok());
    CHECK(payload_of_last(f, "tender.suspended")["vote_window_paused"].as_object()["round"] == 1);
    f.clock.set_ms(start + 2 * 60'000);
    REQUIRE(f.service->resume(f.supervisor, d.t.id).ok());
    auto w = payload_of_last(f, "tender.resumed")["vote_window"].as_object();
    // The window (opened at the end of the 15-day publicity) ended 24:00 on
    // Wednesday 16 July 2025; two more days end on Friday 18 July, a
    // working day. (The roll past rest days: the section below.)
    REQUIRE(core::weekday(core::china_date(closes - 1)) == 3);
    CHECK(w["extended_days"].as_int64() == 2);
    const std::int64_t new_close = closes + 2 * eval::kDayMs;
    CHECK(ms(std::string(w["closes_at"].as_string())) == new_close);
    // At the original close + 1 ms nothing of the ballot is readable, and
    // the window is still open.
    f.clock.set_ms(closes + 1);
    CHECK(public_entries_of(f, "ballot.cast", f.clock.now_ms()) == 0);
    {
      auto db = f.reader();
      auto seen = eval::EvaluationService::votes_visible_to(db, d.t.id, d.t.market.enterprises[0],
                                                            f.clock.now_ms());
      REQUIRE(seen.ok());
      CHECK(seen->empty());
    }
    REQUIRE(f.eval->cast_ballot(owner(d, "K2"), d.t.id, A).ok());
    f.clock.set_ms(new_close - 1);
    REQUIRE(f.eval->catch_up(d.t.id).ok());
    CHECK(status_of(f, d.t.id) == core::TenderStatus::deciding);
    CHECK(public_entries_of(f, "ballot.cast", f.clock.now_ms()) == 0);
    f.clock.set_ms(new_close);
    CHECK(public_entries_of(f, "ballot.cast", f.clock.now_ms()) == 2);
    // The tick decides with nobody's click.
    REQUIRE(f.eval->catch_up(d.t.id).ok());
    CHECK(status_of(f, d.t.id) == core::TenderStatus::award_publicized);
  }

  SECTION("a suspension beginning exactly at the close finds the window closed") {
    f.clock.set_ms(closes);
    REQUIRE(f.service->suspend(f.supervisor, d.t.id, "投诉核查").ok());
    CHECK_FALSE(payload_of_last(f, "tender.suspended").contains("vote_window_paused"));
    CHECK(public_entries_of(f, "ballot.cast", f.clock.now_ms()) == 1);
    f.clock.advance_ms(eval::kDayMs);
    REQUIRE(f.service->resume(f.supervisor, d.t.id).ok());
    CHECK_FALSE(payload_of_last(f, "tender.resumed").contains("vote_window"));
    REQUIRE(f.eval->catch_up(d.t.id).ok());  // decided now, over the closed window
    CHECK(last_entry(f)["type"].as_string() == "decision.made");
  }

  SECTION("still suspended at the original close: the ballots stay sealed") {
    f.clock.set_ms(closes - kHourMs);
    const std::int64_t start = f.clock.now_ms();
    REQUIRE(f.service->suspend(f.supervisor, d.t.id, "投诉核查").ok());
    f.clock.set_ms(closes + 1);
    CHECK(public_entries_of(f, "ballot.cast", f.clock.now_ms()) == 0);
    auto db = f.reader();
    auto seen = eval::EvaluationService::votes_visible_to(db, d.t.id, d.t.market.enterprises[0],
                                                          f.clock.now_ms());
    REQUIRE(seen.ok());
    CHECK(seen->empty());
    REQUIRE(f.eval->catch_up(d.t.id).ok());  // nothing decides a paused window
    CHECK(status_of(f, d.t.id) == core::TenderStatus::suspended);
    f.clock.set_ms(closes + 2 * eval::kDayMs);
    REQUIRE(f.service->resume(f.supervisor, d.t.id).ok());
    // 23:00 China time on the window's last day (Wednesday 16 July 2025) to
    // 00:00 three days later: Wednesday, Thursday and Friday touched (the
    // instant a suspension ends is not part of it, docs/periods.md); 16 July
    // + 3 is Saturday 19 July, a rest day: the end rolls past the weekend to
    // 24:00 on Monday 21 July.
    const std::int64_t days = eval::china_day(f.clock.now_ms() - 1) - eval::china_day(start) + 1;
    CHECK(days == 3);
    REQUIRE(core::weekday(core::china_date(closes - 1)) == 3);
    auto w = payload_of_last(f, "tender.resumed")["vote_window"].as_object();
    CHECK(ms(std::string(w["closes_at"].as_string())) == closes + (days + 2) * eval::kDayMs);
    CHECK(public_entries_of(f, "ballot.cast", f.clock.now_ms()) == 0);
  }
}

TEST_CASE("a suspension inside a committee round extends it by the exact duration", "[decide]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "committee_vote"}};
  });
  const auto community = d.t.market.tenderer.community_id;
  auto member = [&](int i) {
    return CoreFixture::actor("tenderer-" + std::to_string(i), "tenderer", community);
  };
  const auto A = d.bid_of[kUsccA];
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  auto [opens, closes] = opened_window(f);
  REQUIRE(f.eval->committee_vote(member(1), d.t.id, A, 1).ok());
  f.clock.set_ms(opens + eval::kDayMs + 123);
  REQUIRE(f.service->suspend(f.supervisor, d.t.id, "核查").ok());
  f.clock.set_ms(opens + 2 * eval::kDayMs + 456);
  REQUIRE(f.service->resume(f.supervisor, d.t.id).ok());
  const std::int64_t new_close = closes + eval::kDayMs + 333;
  auto w = payload_of_last(f, "tender.resumed")["vote_window"].as_object();
  CHECK(w["extended_ms"].as_int64() == eval::kDayMs + 333);
  CHECK(ms(std::string(w["closes_at"].as_string())) == new_close);
  f.clock.set_ms(closes + 1);
  CHECK(public_entries_of(f, "committee_vote.cast", f.clock.now_ms()) == 0);
  REQUIRE(f.eval->committee_vote(member(2), d.t.id, A, 1).ok());
  f.clock.set_ms(new_close - 1);
  CHECK(public_entries_of(f, "committee_vote.cast", f.clock.now_ms()) == 0);
  f.clock.set_ms(new_close);
  CHECK(public_entries_of(f, "committee_vote.cast", f.clock.now_ms()) == 2);
}

TEST_CASE("the owners' decision executes itself, POST /decision is idempotent", "[decide]") {
  EvalFixture f;
  auto d = owners_vote_candidates(f);
  const auto A = d.bid_of[kUsccA];
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  auto [opens, closes] = opened_window(f);
  REQUIRE(f.eval->cast_ballot(owner(d, "K1"), d.t.id, A).ok());
  REQUIRE(f.eval->cast_ballot(owner(d, "K2"), d.t.id, A).ok());
  f.clock.set_ms(closes - 1);
  expect_eval_refused(
      f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); }, "vote_window_open");
  f.clock.set_ms(closes);
  // The background tick (tender_core's, then evaluation's catch_up) decides.
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  // decision.made, then the 投票结果公告 before the award's documents.
  (void)expect_eval_entry_and_documents(
      f, {"vote_result", "award_publicity", "evaluation_report_named"},
      [&] { return f.eval->catch_up(d.t.id); });
  auto e = last_entry(f);
  CHECK(e["type"].as_string() == "decision.made");
  CHECK(e["actor"].as_string() == "system");
  CHECK(e["payload"].as_object()["winner"].as_string() == A);
  CHECK(status_of(f, d.t.id) == core::TenderStatus::award_publicized);
  // The 投票结果公告, the 中标结果公示 and the named 评标报告 follow.
  const auto decided_at = f.all_entries().size() - 4;
  // The tenderer's click answers the stored result and appends nothing.
  for (int i = 0; i < 2; ++i) {
    auto r = expect_eval_unchanged(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
    CHECK(r->next == "award_publicized");
    CHECK(*r->winner == A);
    CHECK(r->log_index == decided_at);
    CHECK(r->record["winner"].as_string() == A);
  }
}

TEST_CASE("a lowest_price decision repeated answers the stored result", "[decide]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  });
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));  // the candidate publicity ends
  auto first = expect_award_entries(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
  auto again =
      expect_eval_unchanged(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
  CHECK(again->log_index == first->log_index);
  CHECK(again->winner == first->winner);
}

TEST_CASE("once the owners' vote opened only a supervisor cancels, citing the rule", "[decide]") {
  EvalFixture f;
  auto d = owners_vote_candidates(f);
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  expect_eval_refused(
      f, [&] { return f.service->cancel(d.t.market.tenderer, d.t.id, "改用其他方式"); },
      "cancel_requires_supervisor");
  SECTION("also while suspended") {
    REQUIRE(f.service->suspend(f.supervisor, d.t.id, "核查").ok());
    expect_eval_refused(
        f, [&] { return f.service->cancel(d.t.market.tenderer, d.t.id, "改用其他方式"); },
        "cancel_requires_supervisor");
  }
  expect_eval_refused(
      f, [&] { return f.service->cancel(f.supervisor, d.t.id, "违规"); }, "rule_required");
  expect_eval_refused(
      f, [&] { return f.service->cancel(d.t.market.enterprises[0], d.t.id, "x", "y"); },
      "not_tenderer_of_community");
  const std::string rule = "《物业管理条例》第十九条";
  (void)expect_eval_one_entry(
      f, [&] { return f.service->cancel(f.supervisor, d.t.id, "业主大会决定违反法规", rule); });
  auto e = last_entry(f);
  CHECK(e["type"].as_string() == "tender.cancelled");
  CHECK(e["role"].as_string() == "supervisor");
  CHECK(e["payload"].as_object()["rule"].as_string() == rule);
  auto db = f.reader();
  auto v = core::detail::unchecked_view(db, d.t.id);
  CHECK(v->status == core::TenderStatus::cancelled);
  CHECK(v->cancel_rule == rule);
}

TEST_CASE("the tenderer may still cancel before the vote opens", "[decide]") {
  EvalFixture f;
  auto d = owners_vote_candidates(f);
  (void)expect_eval_one_entry(
      f, [&] { return f.service->cancel(d.t.market.tenderer, d.t.id, "重新招标"); });
  auto db = f.reader();
  CHECK(core::detail::unchecked_view(db, d.t.id)->cancel_rule == std::nullopt);
}

TEST_CASE("committee methods bind once every vote is in", "[decide]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "committee_vote"}};
  });
  const auto community = d.t.market.tenderer.community_id;
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  for (int i = 1; i <= 5; ++i) {
    auto v = CoreFixture::actor("tenderer-" + std::to_string(i), "tenderer", community);
    REQUIRE(f.eval->committee_vote(v, d.t.id, d.bid_of[kUsccA], 1).ok());
  }
  // Every vote is in, before the tick has decided: the tenderer is bound.
  auto before = f.eval_snapshot();
  auto r = f.service->cancel(d.t.market.tenderer, d.t.id, "改用其他方式");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "cancel_requires_supervisor");
  CHECK(f.eval_snapshot() == before);
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK(status_of(f, d.t.id) == core::TenderStatus::award_publicized);
  expect_eval_refused(
      f, [&] { return f.service->cancel(d.t.market.tenderer, d.t.id, "改用其他方式"); },
      "cancel_requires_supervisor");
}

TEST_CASE("vote_then_lottery: the tick opens the draw, POST /decision waits for the beacon",
          "[decide]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "vote_then_lottery"}, {"shortlist_size", 2}};
  });
  const auto community = d.t.market.tenderer.community_id;
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  const std::string votes[] = {d.bid_of[kUsccA], d.bid_of[kUsccA], d.bid_of[kUsccB],
                               d.bid_of[kUsccB], d.bid_of[kUsccC]};
  for (int i = 1; i <= 5; ++i) {
    auto v = CoreFixture::actor("tenderer-" + std::to_string(i), "tenderer", community);
    REQUIRE(f.eval->committee_vote(v, d.t.id, votes[i - 1], 1).ok());
  }
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK(last_entry(f)["payload"].as_object()["pending_draw"].as_string() == "lottery");
  expect_eval_refused(
      f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); }, "decision_pending_draw");
}

TEST_CASE("an owners_vote tender cannot publish without a roster", "[decide]") {
  EvalFixture f;
  auto market = setup_market(f);
  auto c = f.registry->create_community(f.admin, {"无名册小区", "思明区", "鹭江街道", "1号"});
  REQUIRE(c.ok());
  auto tenderer = CoreFixture::actor("tenderer-nr", "tenderer", c->id);
  auto rules = rules_json(core::format_rfc3339_ms(f.clock.now_ms() + 21 * eval::kDayMs));
  auto id = f.service->create_draft(tenderer, {c->id, "物业服务招标", rules});
  REQUIRE(id.ok());
  expect_eval_refused(
      f, [&] { return f.service->publish(tenderer, *id); }, "roster_required");
  REQUIRE(f.registry
              ->import_roster(f.admin, c->id,
                              "unit,area_centi_m2,owner_key,owner_name,status\n1-1,100,K,甲,sold\n")
              .ok());
  CHECK(f.service->publish(tenderer, *id).ok());
}

TEST_CASE("the vote snapshot accepts the developer's key on sold-but-undelivered units",
          "[decide]") {
  // Legal D3's reproduction: on main the vote could not open (invalid_roster)
  // and every command on the tender failed.
  EvalFixture f;
  auto d = owners_vote_candidates(f);
  REQUIRE(f.registry
              ->import_roster(f.admin, d.t.market.tenderer.community_id,
                              "unit,area_centi_m2,owner_key,owner_name,status\n"
                              "A-101,9000,dev,开发商,unsold\nA-102,7000,dev,开发商,sold\n"
                              "A-103,8000,o1,甲,sold\n")
              .ok());
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));  // the candidate publicity ends
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  auto roster = payload_of_last(f, "decision.vote_opened")["roster"].as_object();
  CHECK(roster["total_heads"].as_int64() == 2);
  CHECK(roster["total_area_centi_m2"].as_int64() == 24000);
  REQUIRE(f.eval->cast_ballot(owner(d, "dev"), d.t.id, d.bid_of[kUsccA]).ok());
}

TEST_CASE("the deciding committee is frozen at publication: odd, at least 5", "[decide]") {
  EvalFixture f;
  auto market = setup_market(f);
  const auto community = market.tenderer.community_id;
  auto rules = rules_json(core::format_rfc3339_ms(f.clock.now_ms() + 21 * eval::kDayMs));
  rules["decision"] = {{"method", "committee_vote"}};
  fit_vote_window(rules);
  auto id = f.service->create_draft(market.tenderer, {community, "物业服务招标", rules});
  REQUIRE(id.ok());
  auto first = [](const std::string& prefix, int n) {
    std::vector<std::string> ids;
    for (int i = 1; i <= n; ++i) ids.push_back(prefix + std::to_string(i));
    return ids;
  };
  // Accounts are never deleted, so the community grows 1, 4, 5; the even
  // count 6 is tried in a second community.
  for (int n : {1, 4}) {
    f.add_tenderers(community, first("tenderer-", n));
    expect_eval_refused(
        f, [&] { return f.service->publish(market.tenderer, *id); }, "decision_committee_invalid");
  }
  {
    auto c2 = f.registry->create_community(f.admin,
                                           {"海沧湾花园二期", "海沧区", "海沧街道", "滨湖北路2号"});
    REQUIRE(c2.ok());
    f.set_tenderers(c2->id, first("c2-tenderer-", 6));
    const auto tenderer2 = CoreFixture::actor("c2-tenderer-1", "tenderer", c2->id);
    auto id2 = f.service->create_draft(tenderer2, {c2->id, "物业服务招标", rules});
    REQUIRE(id2.ok());
    expect_eval_refused(
        f, [&] { return f.service->publish(tenderer2, *id2); }, "decision_committee_invalid");
  }
  f.set_tenderers(community, first("tenderer-", 5));
  REQUIRE(f.service->publish(market.tenderer, *id).ok());
  CHECK(payload_of_last(f, "tender.published")["decision_committee"].as_array().size() == 5);
  auto db = f.reader();
  auto frozen =
      db.query_strings("SELECT account FROM eval_decision_voters WHERE tender_id = ?", {*id});
  REQUIRE(frozen.ok());
  CHECK(frozen->size() == 5);
}

TEST_CASE("the tick skips a tender whose step fails and moves the others", "[decide]") {
  EvalFixture f;
  auto market = setup_market(f);
  const std::string deadline = core::format_rfc3339_ms(f.clock.now_ms() + 21 * eval::kDayMs);
  auto broken = publish_tender(f, market, deadline);
  auto healthy = publish_tender(f, market, deadline);
  REQUIRE(broken < healthy);  // the tick visits the broken one first
  // Three bidders each (the floor of 条例 44), so the deadline opens a reveal.
  for (const auto& t : {broken, healthy}) {
    const std::string usccs[] = {kUsccA, kUsccB, kUsccC};
    for (int i = 0; i < 3; ++i) {
      auto s = seal(t, usccs[i], 200 + i, static_cast<std::uint8_t>(1 + i));
      REQUIRE(f.service->submit_bid(market.enterprises[i], t, s.commitment).ok());
    }
  }
  {
    // The broken tender's deadline snapshot will hit a row already there.
    auto raw = audit::Database::open(f.dir.path() / "sunbid.db", audit::Database::Mode::kReadWrite);
    REQUIRE(raw.ok());
    REQUIRE(raw->exec("INSERT INTO rating_snapshots(tender_id, bidder_uscc, in_force) VALUES ('" +
                      broken + "', '" + kUsccA + "', 0)")
                .ok());
  }
  f.clock.advance_ms(21 * eval::kDayMs + 1);
  std::vector<core::TickFailure> failed;
  auto applied = f.service->tick(f.clock.now_ms(), &failed);
  REQUIRE(applied.ok());
  CHECK(*applied > 0);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].tender_id == broken);
  CHECK(status_of(f, broken) == core::TenderStatus::published);
  CHECK(status_of(f, healthy) == core::TenderStatus::reveal);
  // Without a failure list the error is still answered, after the others ran.
  CHECK_FALSE(f.service->tick(f.clock.now_ms()).ok());
}
