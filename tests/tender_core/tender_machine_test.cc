#include "tender_core/tender_machine.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <utility>

using namespace sunbid::core;
using S = TenderStatus;
using A = TenderAction;

namespace {
constexpr std::int64_t D = 1'000'000'000'000;  // the bid deadline, ms
constexpr std::int64_t kReveal = 3600;         // s
constexpr std::int64_t R = D + kReveal * 1000;

TenderTimeline published() {
  TenderTimeline t;
  t.status = S::published;
  t.bid_deadline_ms = D;
  t.reveal_window_s = kReveal;
  t.candidate_publicity_days = 3;
  t.award_publicity_days = 3;
  return t;
}

std::string code(const sunbid::Status& s) {
  return s.ok() ? "ok" : s.error().code;
}
std::string code(const sunbid::Result<S>& s) {
  return s.ok() ? "ok" : s.error().code;
}
}  // namespace

// The lifecycle of DESIGN.md stated again here, independently of the table:
// (from, action) -> to. The table must hold exactly these rows, once each
// (an empty, incomplete or padded table fails; architecture review §5).
TEST_CASE("transition table is exactly the lifecycle, one row per (status, action)",
          "[tender_machine]") {
  std::map<std::pair<S, A>, S> expected = {
      {{S::draft, A::edit_draft}, S::draft},
      {{S::draft, A::publish}, S::published},
      {{S::published, A::publish}, S::published},
      {{S::published, A::amend}, S::published},
      {{S::published, A::submit_bid}, S::published},
      {{S::published, A::withdraw_bid}, S::published},
      {{S::published, A::close_bidding}, S::bidding_closed},
      {{S::bidding_closed, A::open_reveal}, S::reveal},
      {{S::bidding_closed, A::fail}, S::failed},
      {{S::reveal, A::reveal_bid}, S::reveal},
      {{S::reveal, A::extend_reveal}, S::reveal},
      {{S::reveal, A::close_reveal}, S::opened},
      {{S::opened, A::start_review}, S::reviewing},
      {{S::opened, A::fail}, S::failed},
      {{S::reviewing, A::conclude_review}, S::candidates_publicized},
      {{S::reviewing, A::fail}, S::failed},
      {{S::candidates_publicized, A::end_candidate_publicity}, S::deciding},
      {{S::candidates_publicized, A::fail}, S::failed},
      {{S::deciding, A::decide}, S::award_publicized},
      {{S::deciding, A::fail}, S::failed},
      {{S::award_publicized, A::end_award_publicity}, S::awarded},
      {{S::suspended, A::resume}, S::suspended},
  };
  // Every live status may be suspended (except a draft) and cancelled.
  for (S live : {S::published, S::bidding_closed, S::reveal, S::opened, S::reviewing,
                 S::candidates_publicized, S::deciding, S::award_publicized}) {
    expected[{live, A::suspend}] = S::suspended;
  }
  for (S live : {S::draft, S::published, S::bidding_closed, S::reveal, S::opened, S::reviewing,
                 S::candidates_publicized, S::deciding, S::award_publicized, S::suspended}) {
    expected[{live, A::cancel}] = S::cancelled;
  }
  REQUIRE(expected.size() == 40);

  std::set<std::pair<S, A>> seen;
  for (const auto& r : transition_table()) {
    INFO(to_string(r.from) << " + " << to_string(r.action));
    CHECK(seen.insert({r.from, r.action}).second);
    auto it = expected.find({r.from, r.action});
    REQUIRE(it != expected.end());
    CHECK(r.to == it->second);
    CHECK(r.no_op == (r.from == S::published && r.action == A::publish));
  }
  CHECK(seen.size() == expected.size());
  // No terminal status has a way out.
  for (S end : {S::cancelled, S::failed, S::awarded}) {
    for (int a = 0; a <= static_cast<int>(A::fail); ++a) {
      CHECK_FALSE(allowed(end, static_cast<A>(a)));
    }
  }
}

TEST_CASE("commands allowed by the table", "[tender_machine]") {
  CHECK(*next_status(S::draft, A::publish) == S::published);
  CHECK(*next_status(S::draft, A::edit_draft) == S::draft);
  CHECK(*next_status(S::published, A::publish) == S::published);  // idempotent
  bool publish_no_op = false;
  for (const auto& r : transition_table()) {
    if (r.from == S::published && r.action == A::publish) publish_no_op = r.no_op;
  }
  CHECK(publish_no_op);
  CHECK(*next_status(S::published, A::close_bidding) == S::bidding_closed);
  CHECK(*next_status(S::bidding_closed, A::open_reveal) == S::reveal);
  CHECK(*next_status(S::reveal, A::close_reveal) == S::opened);
  CHECK(*next_status(S::opened, A::start_review) == S::reviewing);
  CHECK(*next_status(S::reviewing, A::conclude_review) == S::candidates_publicized);
  CHECK(*next_status(S::candidates_publicized, A::end_candidate_publicity) == S::deciding);
  CHECK(*next_status(S::deciding, A::decide) == S::award_publicized);
  CHECK(*next_status(S::award_publicized, A::end_award_publicity) == S::awarded);
  CHECK(*next_status(S::deciding, A::fail) == S::failed);
  CHECK(*next_status(S::award_publicized, A::cancel) == S::cancelled);
  for (S live : {S::published, S::bidding_closed, S::reveal, S::opened, S::reviewing,
                 S::candidates_publicized, S::deciding, S::award_publicized}) {
    INFO(to_string(live));
    CHECK(*next_status(live, A::suspend) == S::suspended);
    CHECK(*next_status(S::suspended, A::resume, live) == live);
    CHECK(allowed(live, A::cancel));
  }
  CHECK(*next_status(S::suspended, A::cancel) == S::cancelled);
}

TEST_CASE("refusal codes", "[tender_machine]") {
  CHECK(code(next_status(S::published, A::edit_draft)) == "tender_not_draft");
  CHECK(code(next_status(S::reveal, A::publish)) == "tender_not_draft");
  CHECK(code(next_status(S::draft, A::submit_bid)) == "tender_not_published");
  CHECK(code(next_status(S::draft, A::amend)) == "tender_not_published");
  CHECK(code(next_status(S::bidding_closed, A::submit_bid)) == "bid_after_deadline");
  CHECK(code(next_status(S::reveal, A::withdraw_bid)) == "bid_after_deadline");
  CHECK(code(next_status(S::published, A::reveal_bid)) == "not_in_reveal_window");
  CHECK(code(next_status(S::opened, A::extend_reveal)) == "not_in_reveal_window");
  CHECK(code(next_status(S::suspended, A::submit_bid)) == "tender_suspended");
  CHECK(code(next_status(S::suspended, A::suspend)) == "tender_suspended");
  CHECK(code(next_status(S::published, A::resume)) == "tender_not_suspended");
  CHECK(code(next_status(S::suspended, A::resume)) == "action_not_allowed");  // from unknown
  CHECK(code(next_status(S::suspended, A::resume, S::draft)) == "action_not_allowed");
  CHECK(code(next_status(S::cancelled, A::publish)) == "tender_cancelled");
  CHECK(code(next_status(S::failed, A::resume)) == "tender_failed");
  CHECK(code(next_status(S::awarded, A::cancel)) == "tender_awarded");
  CHECK(code(next_status(S::draft, A::suspend)) == "tender_not_published");
  CHECK(code(next_status(S::reviewing, A::decide)) == "action_not_allowed");
  CHECK_FALSE(allowed(S::published, A::fail));
  CHECK_FALSE(allowed(S::award_publicized, A::fail));
}

TEST_CASE("deadline and reveal window at their exact instants", "[tender_machine]") {
  auto t = published();
  CHECK(due_transitions(t, D - 1).empty());
  CHECK(due_transitions(t, D) ==
        std::vector<DueTransition>{{S::published, A::close_bidding, S::bidding_closed, D},
                                   {S::bidding_closed, A::open_reveal, S::reveal, D}});
  CHECK(due_transitions(t, R - 1).size() == 2);
  CHECK(due_transitions(t, R) ==
        std::vector<DueTransition>{{S::published, A::close_bidding, S::bidding_closed, D},
                                   {S::bidding_closed, A::open_reveal, S::reveal, D},
                                   {S::reveal, A::close_reveal, S::opened, R}});
  CHECK(code(check_bid_time(t, D - 1)) == "ok");
  CHECK(code(check_bid_time(t, D)) == "bid_after_deadline");
  CHECK(code(check_reveal_time(t, D - 1)) == "not_in_reveal_window");
  CHECK(code(check_reveal_time(t, D)) == "ok");
  CHECK(code(check_reveal_time(t, R - 1)) == "ok");
  CHECK(code(check_reveal_time(t, R)) == "not_in_reveal_window");

  t.status = S::reveal;
  CHECK(due_transitions(t, R - 1).empty());
  CHECK(due_transitions(t, R) ==
        std::vector<DueTransition>{{S::reveal, A::close_reveal, S::opened, R}});
  t.reveal_extensions_s = 600;
  CHECK(due_transitions(t, R + 599'999).empty());
  CHECK(due_transitions(t, R + 600'000) ==
        std::vector<DueTransition>{{S::reveal, A::close_reveal, S::opened, R + 600'000}});
  CHECK(code(check_reveal_time(t, R + 599'999)) == "ok");
}

TEST_CASE("a suspension before the deadline moves every later instant", "[tender_machine]") {
  auto t = published();
  t.suspensions = {{D - 5000, D - 2000}};  // 3000 ms
  CHECK(*effective_deadline_ms(t) == D + 3000);
  CHECK(code(check_bid_time(t, D + 2999)) == "ok");
  CHECK(code(check_bid_time(t, D + 3000)) == "bid_after_deadline");
  CHECK(due_transitions(t, D + 2999).empty());
  CHECK(due_transitions(t, R + 3000).back() ==
        DueTransition{S::reveal, A::close_reveal, S::opened, R + 3000});
}

TEST_CASE("an open suspension pauses everything", "[tender_machine]") {
  auto t = published();
  t.status = S::suspended;
  t.suspensions = {{D - 5000, std::nullopt}};
  CHECK(due_transitions(t, D + 10'000'000).empty());
  CHECK_FALSE(effective_deadline_ms(t).has_value());
  CHECK(code(check_bid_time(t, D - 10'000)) == "tender_suspended");
  CHECK(code(check_reveal_time(t, D)) == "tender_suspended");
}

TEST_CASE("a suspension starting exactly at the deadline does not move it", "[tender_machine]") {
  auto t = published();
  t.suspensions = {{D, D + 10'000}};
  CHECK(*effective_deadline_ms(t) == D);
  CHECK(code(check_bid_time(t, D)) == "bid_after_deadline");
  CHECK(*reveal_close_ms(t) == R + 10'000);
}

TEST_CASE("suspensions inside the reveal window and several suspensions", "[tender_machine]") {
  auto t = published();
  t.suspensions = {{D + 1000, D + 61'000}};
  CHECK(*effective_deadline_ms(t) == D);
  CHECK(*reveal_close_ms(t) == R + 60'000);

  // The second one begins at D + 500, while bidding is still open (the
  // deadline is already D + 1000), so it moves the deadline as well.
  t.suspensions = {{D - 10'000, D - 9000}, {D + 500, D + 1500}};
  CHECK(*effective_deadline_ms(t) == D + 2000);
  CHECK(*reveal_close_ms(t) == R + 2000);

  // Starts exactly at the already-shifted deadline: the deadline stays.
  t.suspensions = {{D - 10'000, D - 9000}, {D + 1000, D + 4000}};
  CHECK(*effective_deadline_ms(t) == D + 1000);
  CHECK(*reveal_close_ms(t) == R + 4000);

  // A suspension that began after the whole window does not count.
  t.suspensions = {{R, R + 50'000}};
  CHECK(*reveal_close_ms(t) == R);
}

TEST_CASE("publicity windows end, pause and wait for objections", "[tender_machine]") {
  auto t = published();
  // D is Sunday 2001-09-09 09:46:40 China time; P0 12:33:20 the same day.
  // Three calendar days: Monday to Wednesday, the end 24:00 on Wednesday.
  const std::int64_t P0 = D + 10'000'000;
  const std::int64_t P1 = china_midnight_ms(china_date(P0) + 4);
  CHECK(format_china_date(china_date(P1 - 1)) == "2001-09-12");
  t.status = S::candidates_publicized;
  t.candidates_publicized_at_ms = P0;
  t.suspensions = {{D + 1000, D + 2000}};  // before the publicity: no effect on it
  CHECK(due_transitions(t, P1 - 1).empty());
  CHECK(due_transitions(t, P1) ==
        std::vector<DueTransition>{
            {S::candidates_publicized, A::end_candidate_publicity, S::deciding, P1}});
  t.objection_pending = true;
  CHECK(due_transitions(t, P1 + 1'000'000).empty());
  t.objection_pending = false;
  // A suspension on the opening day (not counted) does not extend it; one
  // of 7 s on Monday adds the whole day it touched.
  t.suspensions.push_back({P0 + 1000, P0 + 8000});
  CHECK(*candidate_publicity_end_ms(t) == P1);
  const std::int64_t monday = china_midnight_ms(china_date(P0) + 1);
  t.suspensions.push_back({monday + 1000, monday + 8000});
  CHECK(*candidate_publicity_end_ms(t) == P1 + 86'400'000);
  CHECK(due_transitions(t, P1 + 86'400'000 - 1).empty());
  // While one lasts, the end is not known.
  t.suspensions.back().end_ms.reset();
  CHECK_FALSE(candidate_publicity_end_ms(t).has_value());

  t = published();
  t.status = S::award_publicized;
  t.award_publicized_at_ms = P0;
  CHECK(due_transitions(t, P1) ==
        std::vector<DueTransition>{{S::award_publicized, A::end_award_publicity, S::awarded, P1}});
  CHECK(due_transitions(t, P1 - 1).empty());

  t.status = S::deciding;  // no clock transition out of deciding
  CHECK(due_transitions(t, P1 * 2).empty());
}
