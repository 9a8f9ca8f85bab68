// The window preview (window_plan.h; issue 15 "window end dates computed by
// the server for a draft"): each computed end at its boundary, the same
// 20-day rule as publish() (one function), the calendar's rest days rolled,
// and a preview that refuses what publish() refuses and changes nothing.
#include "tender_core/window_plan.h"

#include <catch2/catch.hpp>

#include "calendar_fixture.h"
#include "service_fixture.h"
#include "tender_core/calendar.h"
#include "tender_core/tender_rules.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

namespace {

TenderRules rules_with(std::string_view deadline, std::string_view method = "owners_vote") {
  boost::json::object j = rules_json(deadline);
  // The fixture's 15 days of candidate publicity are an owners' vote notice
  // (物业管理条例 art. 12); the other methods keep the legal minimum of 3.
  if (method != "owners_vote") {
    j["decision"] = {{"method", method}};
    j["candidate_publicity_days"] = 3;
  }
  fit_vote_window(j);
  auto r = tender_rules_from_json(j);
  REQUIRE(r.ok());
  return *r;
}

// 2025's National Day week as calendar version 4.
HolidayCalendar national_day_v4() {
  HolidayCalendar c = national_day_2025();
  c.version = 4;
  return c;
}

}  // namespace

TEST_CASE("window plan: the 20-day minimum at its boundary, as publish counts it",
          "[window_plan][periods]") {
  const PlatformSettings settings;
  // Published 1 June 2025 at 23:30 China time: 00:00 on 21 June is the
  // earliest deadline; one millisecond before it is refused.
  const std::int64_t published = ms("2025-06-01T15:30:00Z");
  const std::int64_t earliest = ms("2025-06-20T16:00:00Z");
  CHECK(earliest_bid_deadline_ms(published, 20) == earliest);

  auto on_time = plan_windows(rules_with("2025-06-20T16:00:00Z"), settings, {}, published);
  CHECK(on_time.meets_minimum_period);
  CHECK(on_time.earliest_deadline_ms == earliest);
  CHECK(on_time.minimum_bidding_days == 20);
  CHECK(check_bidding_period(published, earliest, 20).ok());

  auto early = plan_windows(rules_with("2025-06-20T15:59:59.999Z"), settings, {}, published);
  CHECK_FALSE(early.meets_minimum_period);
  CHECK(early.earliest_deadline_ms == earliest);
  Status refused = check_bidding_period(published, earliest - 1, 20);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "deadline_too_soon");
  CHECK(refused.error().details.at("earliest").as_string() == "2025-06-20T16:00:00.000Z");
  CHECK(refused.error().details.at("minimum_days").as_int64() == 20);
}

TEST_CASE("window plan: every window of an owners' vote with the National Day calendar",
          "[window_plan][periods]") {
  const PlatformSettings settings;
  const HolidayCalendar calendar = national_day_v4();
  // Published Monday 1 September 2025 09:00; deadline Monday 22 September 10:00.
  const std::int64_t published = ms("2025-09-01T01:00:00Z");
  const TenderRules rules = rules_with("2025-09-22T02:00:00Z");
  const WindowPlan p = plan_windows(rules, settings, calendar, published);
  CHECK(p.published_ms == published);
  CHECK(p.bid_deadline_ms == ms("2025-09-22T02:00:00Z"));
  CHECK(p.meets_minimum_period);
  CHECK(p.earliest_deadline_ms == ms("2025-09-20T16:00:00Z"));  // 00:00 21 Sept
  // 条例 22: the last day to object is 11 September, until 24:00.
  CHECK(p.document_objections_until_ms == ms("2025-09-11T16:00:00Z"));
  // 条例 21: an amendment until 24:00 on 7 September keeps the deadline; the
  // next instant it would move (the same rule amend() applies).
  CHECK(p.amendments_keep_deadline_until_ms == ms("2025-09-07T16:00:00Z"));
  CHECK(meets_minimum_period(p.amendments_keep_deadline_until_ms - 1, p.bid_deadline_ms, 15));
  CHECK_FALSE(meets_minimum_period(p.amendments_keep_deadline_until_ms, p.bid_deadline_ms, 15));
  // The reveal window: 24 hours exactly.
  CHECK(p.reveal_closes_ms == ms("2025-09-23T02:00:00Z"));
  CHECK(p.calendar_version == 4);
  // Candidate publicity, the owners' vote notice, 15 days from Tuesday 23
  // September: day 15 is Wednesday 8 October, a rest day of the National Day
  // week: it ends 24:00 on Thursday 9 October.
  CHECK(p.earliest_candidate_publicity_end_ms == ms("2025-10-09T16:00:00Z"));
  // The vote opens 00:00 on 10 October: 11 October (a Saturday) is worked;
  // day 7 is Friday 17 October, until 24:00.
  REQUIRE(p.earliest_vote_close_ms);
  CHECK(*p.earliest_vote_close_ms == ms("2025-10-17T16:00:00Z"));
  // Award publicity from 18 October: day 3 is Tuesday 21 October.
  CHECK(p.earliest_award_publicity_end_ms == ms("2025-10-21T16:00:00Z"));

  // With weekends only, day 15 (Wednesday 8 October) is a working day: the
  // vote opens 00:00 on 9 October and its day 7 is Thursday 16 October.
  const WindowPlan plain = plan_windows(rules, settings, {}, published);
  CHECK(plain.earliest_candidate_publicity_end_ms == ms("2025-10-08T16:00:00Z"));
  CHECK(*plain.earliest_vote_close_ms == ms("2025-10-16T16:00:00Z"));
}

TEST_CASE("window plan: methods without a vote have no vote window, committee rounds in hours",
          "[window_plan]") {
  const PlatformSettings settings;
  const std::int64_t published = ms("2025-09-01T01:00:00Z");
  const WindowPlan lowest =
      plan_windows(rules_with("2025-09-22T02:00:00Z", "lowest_price"), settings, {}, published);
  CHECK_FALSE(lowest.earliest_vote_close_ms);
  // Award publicity follows the candidates' at once: opened on Saturday 27
  // September, day 3 is Tuesday 30 September, until 24:00.
  CHECK(lowest.earliest_award_publicity_end_ms == ms("2025-09-30T16:00:00Z"));
  const WindowPlan committee =
      plan_windows(rules_with("2025-09-22T02:00:00Z", "committee_vote"), settings, {}, published);
  REQUIRE(committee.earliest_vote_close_ms);
  CHECK(*committee.earliest_vote_close_ms ==
        committee.earliest_candidate_publicity_end_ms + 604'800'000);
}

TEST_CASE("preview_windows refuses what publish refuses and appends nothing",
          "[window_plan][service]") {
  CoreFixture f;
  Market m = setup_market(f);
  const std::int64_t now = f.clock.now_ms();
  const std::string deadline = format_rfc3339_ms(now + 25 * kDayMs);
  auto preview = [&](boost::json::object rules) {
    auto db = f.reader();
    return preview_windows(db, rules, f.service->settings(), now);
  };
  auto ok = preview(rules_json(deadline));
  REQUIRE(ok.ok());
  CHECK(ok->meets_minimum_period);
  CHECK(ok->earliest_deadline_ms == earliest_bid_deadline_ms(now, 20));

  auto bad = rules_json(deadline);
  bad["committee_size"] = 4;
  expect_refused(
      f, [&] { return preview(bad); }, "rules_invalid_value");
  auto tier = rules_json(deadline);
  tier["service_tier"] = "T9";
  expect_refused(
      f, [&] { return preview(tier); }, "service_tier_unknown");
  auto reveal = rules_json(deadline);
  reveal["reveal_window_s"] = 3600;  // under the platform's 24 h
  expect_refused(
      f, [&] { return preview(reveal); }, "rules_invalid_value");
  auto missing = rules_json(deadline);
  missing.erase("bid_deadline");
  expect_refused(
      f, [&] { return preview(missing); }, "rules_missing_field");

  // Too soon: the preview answers (not meeting the minimum) with the very
  // instant publish() names in its refusal.
  const std::string soon = format_rfc3339_ms(earliest_bid_deadline_ms(now, 20) - 1);
  auto early = preview(rules_json(soon));
  REQUIRE(early.ok());
  CHECK_FALSE(early->meets_minimum_period);
  boost::json::object draft = rules_json(soon);
  auto id = f.service->create_draft(m.tenderer, {m.tenderer.community_id, "预览", draft});
  REQUIRE(id.ok());
  auto refused = f.service->publish(m.tenderer, *id);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "deadline_too_soon");
  CHECK(refused.error().details.at("earliest").as_string() ==
        format_rfc3339_ms(early->earliest_deadline_ms));
}
