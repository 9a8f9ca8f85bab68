// Issue 11, decision "Pool commitments": the fresh draw (补抽 from a new
// list, purpose replacement-N) for a seat no reserve can fill — the
// reserves used up, or a specialty minimum left unmet that no reserve
// holds. Its list is committed in a public entry when the seat is vacated,
// its beacon is the first trading day after, the drawn expert is seated
// with a withheld entry, the review cannot conclude while it is pending,
// and the trail rechecks commitments, exclusions, already-drawn removal,
// quota and positions (docs/committee-draw.md "The fresh draw").
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "eval_fixture.h"
#include "evaluation/committee_draw.h"
#include "evaluation/draw.h"
#include "evaluation/recompute.h"
#include "tender_core/unchecked_reads.h"

namespace sunbid::testing {
namespace {

void five_seats(boost::json::object& r) {
  r["committee_size"] = 5;
  r["decision"] = {{"method", "lowest_price"}};
  r["vote_window_s"] = 0;
}

void five_seats_one_pm(boost::json::object& r) {
  five_seats(r);
  r["committee_specialties"] = boost::json::array{{{"specialty", "物业管理"}, {"min", 1}}};
}

boost::json::object entry_json(EvalFixture& f, std::size_t back) {
  const auto all = f.all_entries();
  return boost::json::parse(all[all.size() - 1 - back]).as_object();
}

eval::CommitteeView committee_of(EvalFixture& f, const std::string& tender) {
  auto db = f.reader();
  auto v = eval::EvaluationService::committee(db, tender, f.supervisor);
  REQUIRE(v.ok());
  return *v;
}

// Every member declares and marks every bid (pass); returns the last result.
eval::StageResult review_all(EvalFixture& f, const OpenedTender& t,
                             const std::vector<std::string>& members) {
  auto db = f.reader();
  auto rules = core::tender_rules_from_json(core::detail::unchecked_view(db, t.id)->rules);
  REQUIRE(rules.ok());
  std::optional<eval::StageResult> last;
  for (const auto& m : members) {
    REQUIRE(f.eval->declare(evaluator(m), t.id, true, std::nullopt).ok());
    for (const auto& b : t.bid_ids) {
      eval::ReviewInput in;
      in.bid_id = b;
      for (const auto& c : rules->criteria) in.marks.push_back({c.code, true, std::nullopt});
      auto res = f.eval->submit_review(evaluator(m), t.id, in);
      REQUIRE(res.ok());
      last = *res;
    }
  }
  REQUIRE(last);
  return *last;
}

audit::VerifiedTrail released_trail(EvalFixture& f, const OpenedTender& t) {
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto db = f.reader();
  auto trail = audit::tender_trail(db, t.id, f.ledger->verifier_key(), f.clock.now_ms());
  REQUIRE(trail.ok());
  auto verified = audit::verify_trail(boost::json::serialize(*trail), f.ledger->verifier_key());
  REQUIRE(verified.ok());
  return *verified;
}

int count_lines(const std::vector<eval::RecomputeLine>& lines, std::string_view what, bool ok) {
  int n = 0;
  for (const auto& l : lines) {
    n += l.what.find(what) != std::string::npos && l.matches == ok ? 1 : 0;
  }
  return n;
}

// The trail with the committee.redrawn entry's payload changed by `edit`.
audit::VerifiedTrail forge_redrawn(audit::VerifiedTrail trail,
                                   const std::function<void(boost::json::object&)>& edit) {
  bool changed = false;
  for (auto& e : trail.entries) {
    auto o = boost::json::parse(e.entry).as_object();
    if (o.at("type") != "committee.redrawn") continue;
    edit(o["payload"].as_object());
    e.entry = boost::json::serialize(o);
    changed = true;
  }
  REQUIRE(changed);
  return trail;
}

}  // namespace

TEST_CASE("redraw: the last reserve used, one more departure opens replacement-1", "[redraw]") {
  EvalFixture f;
  add_pool(f, 12);  // 5 members + 5 reserves drawn, 2 left for a fresh list
  auto t = open_tender(f, {200, 210, 220, 230}, five_seats);
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  REQUIRE(drawn->reserves.size() == 5);
  // The fifth seat walks down the reserves: each successor is replaced in turn.
  std::string seat = drawn->members[4];
  for (std::size_t i = 0; i < 5; ++i) {
    auto r = expect_eval_one_entry(
        f, [&] { return f.eval->replace_member(f.supervisor, t.id, seat, "未到场"); });
    REQUIRE(r->successor == drawn->reserves[i]);
    CHECK_FALSE(r->replacement_draw);
    seat = *r->successor;
  }
  CHECK(committee_of(f, t.id).pending_draw == std::nullopt);
  // The last reserve has the seat; one more departure: no reserve, so a
  // fresh draw (before: refused no_reserve_left). Two entries: the
  // withheld replacement and the public commitment.
  auto vacated = expect_eval_entries(
      f, 2, [&] { return f.eval->replace_member(f.supervisor, t.id, seat, "未到场"); });
  CHECK_FALSE(vacated->successor);
  CHECK(vacated->replacement_draw == std::optional<std::string>("replacement-1"));
  const auto commitment = entry_json(f, 0);
  CHECK(commitment.at("type") == "committee.pool_committed");
  const auto& cp = commitment.at("payload").as_object();
  CHECK(cp.at("purpose") == "replacement-1");
  CHECK(cp.at("fixed_index").to_number<std::int64_t>() ==
        static_cast<std::int64_t>(vacated->log_index));
  CHECK(cp.at("list_size").to_number<std::int64_t>() == 2);  // the pool minus the ten drawn
  CHECK(cp.at("commitments").as_array().size() == 2);
  // The commitment is public; the replacement is withheld until the decision
  // (an entry appended withheld carries a blind, docs/audit-entry.md).
  CHECK_FALSE(cp.contains("blind"));
  CHECK(entry_json(f, 1).at("type") == "committee.replaced");
  CHECK(entry_json(f, 1).at("payload").as_object().contains("blind"));
  {
    const auto v = committee_of(f, t.id);
    CHECK(v.members.size() == 4);
    CHECK(v.reserves.empty());
    CHECK(v.vacant_seats == 1);
    CHECK(v.pending_draw == std::optional<std::string>("replacement-1"));
  }

  // The four seated review every bid: with a seat vacant the review does not
  // conclude.
  std::vector<std::string> four = committee_of(f, t.id).members;
  const auto partial = review_all(f, t, four);
  CHECK(partial.next == "reviewing");
  {
    auto db = f.reader();
    auto concluded =
        db.query_strings("SELECT tender_id FROM eval_review_state WHERE tender_id = ?", {t.id});
    REQUIRE(concluded.ok());
    CHECK(concluded->empty());
  }

  // The beacon: only of the pending purpose, only the first trading day
  // after the vacating entry (and the commitment).
  const std::string date = beacon_date_for(f, t.id, "replacement-1");
  expect_eval_refused(
      f, [&] { return f.eval->enter_beacon(f.supervisor, t.id, "replacement-2", "3301.25", date); },
      "no_pending_draw");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->enter_beacon(f.supervisor, t.id, "replacement-1", "3301.25", "2099-01-05");
      },
      "beacon_date_not_allowed");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto redrawn = expect_eval_one_entry(f, [&] {
    return f.eval->enter_beacon(f.supervisor, t.id, "replacement-1", "3301.25", date);
  });
  CHECK(redrawn->next == "reviewing");
  CHECK(entry_json(f, 0).at("type") == "committee.redrawn");
  CHECK(entry_json(f, 0).at("payload").as_object().contains("blind"));  // withheld
  {
    // Not in the public trail before the decision (a checkpoint covers it).
    REQUIRE(f.ledger->publish_checkpoint().ok());
    auto db = f.reader();
    auto trail = audit::tender_trail(db, t.id, f.ledger->verifier_key(), f.clock.now_ms());
    REQUIRE(trail.ok());
    const std::string text = boost::json::serialize(*trail);
    CHECK(text.find("committee.redrawn") == std::string::npos);
    CHECK(text.find("replacement-1") != std::string::npos);  // the commitment is public
  }
  const auto members = redrawn->record.at("members").as_array();
  REQUIRE(members.size() == 1);
  const std::string fresh(members[0].as_string());
  CHECK(fresh.rfind("expert-", 0) == 0);
  for (const auto* drawn_list : {&drawn->members, &drawn->reserves}) {
    CHECK(std::count(drawn_list->begin(), drawn_list->end(), fresh) == 0);
  }
  {
    const auto v = committee_of(f, t.id);
    CHECK(v.members.size() == 5);
    CHECK(v.vacant_seats == 0);
    CHECK_FALSE(v.pending_draw);
  }
  // Once drawn, the draw is not pending any more.
  expect_eval_refused(
      f, [&] { return f.eval->enter_beacon(f.supervisor, t.id, "replacement-1", "3301.25", date); },
      "no_pending_draw");
  // The drawn expert declares and reviews: the review concludes.
  const auto done = review_all(f, t, {fresh});
  CHECK(done.next != "reviewing");

  // The trail, released by the cancellation, rechecks the fresh draw.
  REQUIRE(f.service->cancel(t.market.tenderer, t.id, "业主大会决定不再选聘").ok());
  const auto trail = released_trail(f, t);
  const auto lines = eval::recompute_trail(trail, f.ledger->verifier_key());
  for (const auto& l : lines) {
    INFO(l.what << ": " << l.detail);
    CHECK((l.matches || l.pending));
  }
  CHECK(count_lines(lines, "fresh draw opened by a vacancy", true) == 1);
  CHECK(count_lines(lines, "fresh draw members", true) == 1);
  CHECK(count_lines(lines, "fresh draw seats and quota", true) == 1);
  CHECK(count_lines(lines, "fresh draw exclusions and already drawn", true) == 1);
  CHECK(count_lines(lines, "replacement-1 beacon form and date", true) == 1);
  CHECK(count_lines(lines, "successor is the next reserve", true) == 6);

  // A tampered list: another salt no longer opens the commitment.
  auto salted = forge_redrawn(trail, [](boost::json::object& p) {
    p["list"].as_array()[0].as_object()["salt"] = std::string(64, '0');
  });
  CHECK(count_lines(eval::recompute_trail(salted, f.ledger->verifier_key()), "pool commitments",
                    false) == 1);
  // A list that keeps an already drawn expert (here: swapped in for the
  // other undrawn one) fails the already-drawn removal.
  auto kept = forge_redrawn(trail, [&](boost::json::object& p) {
    auto& list = p["list"].as_array();
    for (auto& x : list) {
      if (x.at("account").as_string() != fresh) x.as_object()["account"] = drawn->members[0];
    }
  });
  CHECK(count_lines(eval::recompute_trail(kept, f.ledger->verifier_key()),
                    "fresh draw exclusions and already drawn", false) == 1);
  // Another member than the positions give.
  auto other = forge_redrawn(
      trail, [&](boost::json::object& p) { p["members"] = boost::json::array{drawn->members[0]}; });
  CHECK(count_lines(eval::recompute_trail(other, f.ledger->verifier_key()), "fresh draw members",
                    false) == 1);
}

TEST_CASE("redraw: a seat vacated while a fresh draw is pending waits for replacement-2",
          "[redraw]") {
  EvalFixture f;
  add_pool(f, 11);  // 10 drawn, 1 left for replacement-1's list
  auto t = open_tender(f, {200, 210, 220, 230}, five_seats);
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  std::string seat = drawn->members[4];
  for (std::size_t i = 0; i < 5; ++i) {
    auto r = f.eval->replace_member(f.supervisor, t.id, seat, "未到场");
    REQUIRE(r.ok());
    seat = *r->successor;
  }
  auto first = expect_eval_entries(
      f, 2, [&] { return f.eval->replace_member(f.supervisor, t.id, seat, "未到场"); });
  CHECK(first->replacement_draw == std::optional<std::string>("replacement-1"));
  // Added after replacement-1's fixing entry: not in its list.
  REQUIRE(f.eval->add_expert(f.admin, {"late-0", {"物业管理"}, std::nullopt, {}}).ok());
  // Another seat is vacated while replacement-1 is pending: no second fresh
  // draw yet (one entry), the seat waits.
  auto second = expect_eval_one_entry(
      f, [&] { return f.eval->declare(evaluator(drawn->members[0]), t.id, false, std::nullopt); });
  CHECK_FALSE(second->successor);
  CHECK_FALSE(second->replacement_draw);
  {
    const auto v = committee_of(f, t.id);
    CHECK(v.vacant_seats == 2);
    CHECK(v.pending_draw == std::optional<std::string>("replacement-1"));
  }
  REQUIRE(f.ledger->publish_checkpoint().ok());
  // replacement-1 fills the one seat it was opened for and, seats still
  // vacant, opens replacement-2 fixed by its own entry (two entries).
  auto one = expect_eval_entries(f, 2, [&] {
    return f.eval->enter_beacon(f.supervisor, t.id, "replacement-1", "3301.25",
                                beacon_date_for(f, t.id, "replacement-1"));
  });
  CHECK(one->next == "draw:replacement-2");
  CHECK(one->record.at("members").as_array().size() == 1);
  CHECK(one->record.at("members").as_array()[0] != "late-0");
  const auto c2 = entry_json(f, 0);
  CHECK(c2.at("payload").at("purpose") == "replacement-2");
  CHECK(c2.at("payload").at("fixed_index").to_number<std::int64_t>() ==
        static_cast<std::int64_t>(one->log_index));  // the committee.redrawn entry
  CHECK(committee_of(f, t.id).pending_draw == std::optional<std::string>("replacement-2"));
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto two = expect_eval_one_entry(f, [&] {
    return f.eval->enter_beacon(f.supervisor, t.id, "replacement-2", "3301.25",
                                beacon_date_for(f, t.id, "replacement-2"));
  });
  CHECK(two->next == "reviewing");
  CHECK(two->record.at("members") == boost::json::array{"late-0"});
  {
    const auto v = committee_of(f, t.id);
    CHECK(v.vacant_seats == 0);
    CHECK(v.members.size() == 5);
  }
  REQUIRE(f.service->cancel(t.market.tenderer, t.id, "业主大会决定不再选聘").ok());
  const auto lines = eval::recompute_trail(released_trail(f, t), f.ledger->verifier_key());
  for (const auto& l : lines) {
    INFO(l.what << ": " << l.detail);
    CHECK((l.matches || l.pending));
  }
  CHECK(count_lines(lines, "fresh draw opened by a vacancy", true) == 2);
  CHECK(count_lines(lines, "fresh draw members", true) == 2);
  CHECK(count_lines(lines, "replacement-2 beacon form and date", true) == 1);
}

TEST_CASE("redraw: a minimum no reserve holds opens a fresh draw that restores it", "[redraw]") {
  EvalFixture f;
  // Ten 法律 experts and one 物业管理: the minimum seats pm-a, the reserves
  // hold no 物业管理 (11 eligible, 10 drawn).
  for (int i = 0; i < 10; ++i) {
    REQUIRE(
        f.eval->add_expert(f.admin, {"law-" + std::to_string(i), {"法律"}, std::nullopt, {}}).ok());
  }
  REQUIRE(f.eval->add_expert(f.admin, {"pm-a", {"物业管理"}, std::nullopt, {}}).ok());
  auto t = open_tender(f, {200, 210, 220, 230}, five_seats_one_pm);
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  REQUIRE(std::count(drawn->members.begin(), drawn->members.end(), "pm-a") == 1);
  REQUIRE(drawn->reserves.size() == 5);
  // An expert added after the committee draw is in the pool as of the
  // vacating entry: the fresh list may draw it.
  REQUIRE(f.eval->add_expert(f.admin, {"pm-b", {"物业管理"}, std::nullopt, {}}).ok());
  // pm-a declares a conflict: five reserves are left, but none holds the
  // unmet minimum, so the seat goes to a fresh draw (before: the first
  // reserve sat and the minimum stayed unmet).
  auto vacated = expect_eval_entries(
      f, 2, [&] { return f.eval->declare(evaluator("pm-a"), t.id, false, std::nullopt); });
  CHECK_FALSE(vacated->successor);
  CHECK(vacated->replacement_draw == std::optional<std::string>("replacement-1"));
  CHECK(committee_of(f, t.id).reserves.size() == 5);
  // A 法律 member leaves while the fresh draw is pending: its quota counts
  // as seated, so the first reserve takes that seat.
  const std::string law_member =
      drawn->members[0] == "pm-a" ? drawn->members[1] : drawn->members[0];
  auto r = expect_eval_one_entry(
      f, [&] { return f.eval->replace_member(f.supervisor, t.id, law_member, "未到场"); });
  CHECK(r->successor == drawn->reserves[0]);
  CHECK_FALSE(r->replacement_draw);

  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto redrawn = expect_eval_one_entry(f, [&] {
    return f.eval->enter_beacon(f.supervisor, t.id, "replacement-1", "3301.25",
                                beacon_date_for(f, t.id, "replacement-1"));
  });
  // The list is the undrawn law expert and pm-b; the quota draws pm-b.
  CHECK(redrawn->record.at("members") == boost::json::array{"pm-b"});
  CHECK(redrawn->record.at("inputs").at("quota") ==
        boost::json::array{{{"specialty", "物业管理"}, {"min", 1}}});
  CHECK(redrawn->record.at("eligible_count").to_number<std::int64_t>() == 2);
  const auto seated = committee_of(f, t.id).members;
  CHECK(std::count(seated.begin(), seated.end(), "pm-b") == 1);

  REQUIRE(f.service->cancel(t.market.tenderer, t.id, "业主大会决定不再选聘").ok());
  const auto lines = eval::recompute_trail(released_trail(f, t), f.ledger->verifier_key());
  for (const auto& l : lines) {
    INFO(l.what << ": " << l.detail);
    CHECK((l.matches || l.pending));
  }
  CHECK(count_lines(lines, "fresh draw members", true) == 1);
}

TEST_CASE("redraw: a quota the fresh list cannot meet is refused and changes nothing", "[redraw]") {
  EvalFixture f;
  for (int i = 0; i < 12; ++i) {
    REQUIRE(
        f.eval->add_expert(f.admin, {"law-" + std::to_string(i), {"法律"}, std::nullopt, {}}).ok());
  }
  REQUIRE(f.eval->add_expert(f.admin, {"pm-a", {"物业管理"}, std::nullopt, {}}).ok());
  auto t = open_tender(f, {200, 210, 220, 230}, five_seats_one_pm);
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  auto vacated = expect_eval_entries(
      f, 2, [&] { return f.eval->replace_member(f.supervisor, t.id, "pm-a", "回避"); });
  CHECK(vacated->replacement_draw == std::optional<std::string>("replacement-1"));
  REQUIRE(f.ledger->publish_checkpoint().ok());
  // The only 物业管理 expert has been drawn already: the supervisor is told,
  // and may cancel the tender.
  expect_eval_refused(
      f,
      [&] {
        return f.eval->enter_beacon(f.supervisor, t.id, "replacement-1", "3301.25",
                                    beacon_date_for(f, t.id, "replacement-1"));
      },
      "committee_specialty_unavailable");
  CHECK(committee_of(f, t.id).pending_draw == std::optional<std::string>("replacement-1"));
}

}  // namespace sunbid::testing

namespace sunbid::testing {

TEST_CASE("redraw: the fresh draw's sampler (docs/committee-draw.md worked example)", "[redraw]") {
  Hash root{};
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = static_cast<std::uint8_t>(i);
  auto seed = eval::draw_seed("replacement-1", "T-2026-0001", root, "3345.67", "2026-03-03");
  REQUIRE(seed.ok());
  CHECK(hex_encode(*seed) == "618e06d507293592a259bb4281bc3840901ae487e29794ac1363c98f3c33da23");
  const auto e = [](std::vector<std::string> s) { return eval::Expert{"x", std::move(s)}; };
  const std::vector<eval::Expert> list = {
      e({"法律"}), e({"物业管理"}), e({"法律"}), e({"法律", "物业管理"}), e({"财务"}), e({"法律"})};
  // Two seats, 物业管理 ≥ 1 unmet: the quota from positions 1 and 3, then the rest.
  auto two = eval::draw_replacement_positions(list, {{"物业管理", 1}}, 2, *seed);
  REQUIRE(two.ok());
  CHECK(*two == std::vector<std::size_t>{1, 5});
  auto plain = eval::draw_replacement_positions(list, {}, 2, *seed);
  REQUIRE(plain.ok());
  CHECK(*plain == std::vector<std::size_t>{0, 5});
  // Quotas needing more positions than seats: refused, as a quota the list
  // cannot meet.
  const std::vector<eval::Expert> ab = {e({"A"}), e({"B"})};
  auto over = eval::draw_replacement_positions(ab, {{"A", 1}, {"B", 1}}, 1, *seed);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == "committee_specialty_unavailable");
  auto none = eval::draw_replacement_positions(ab, {{"C", 1}}, 1, *seed);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == "committee_specialty_unavailable");
  auto few = eval::draw_replacement_positions(ab, {}, 3, *seed);
  REQUIRE_FALSE(few.ok());
  CHECK(few.error().code == "too_few_experts");
}

}  // namespace sunbid::testing
