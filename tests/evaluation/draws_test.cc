// Issue 11 items 9, 10, 11: beacons that cannot be ground (canonical value,
// a real date, the first trading day after the fixing entry, the date in the
// seed), expert records validated and effective-dated, specialty minimums,
// and the committee drawn over the positions of a salted pool list
// committed before the beacon date.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "eval_fixture.h"
#include "evaluation/beacon.h"
#include "evaluation/committee_draw.h"
#include "evaluation/draw.h"
#include "evaluation/recompute.h"

namespace sunbid::testing {
namespace {

using eval::CivilDate;

void no_vote(boost::json::object& r, boost::json::object decision) {
  r["decision"] = std::move(decision);
  r["vote_window_s"] = 0;
}

Hash example_root() {
  Hash r{};
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = static_cast<std::uint8_t>(i);
  return r;
}

boost::json::object entry_at(EvalFixture& f, std::uint64_t index) {
  auto db = f.reader();
  auto e = audit::read_entries(db, index, index + 1);
  REQUIRE(e.ok());
  return boost::json::parse((*e)[0].bytes).as_object();
}

std::vector<boost::json::object> tender_entries(EvalFixture& f, const std::string& tender) {
  auto db = f.reader();
  auto idx = audit::tender_entry_indices(db, tender);
  REQUIRE(idx.ok());
  std::vector<boost::json::object> out;
  for (auto i : *idx) {
    auto e = audit::read_entries(db, i, i + 1);
    REQUIRE(e.ok());
    out.push_back(boost::json::parse((*e)[0].bytes).as_object());
  }
  return out;
}

}  // namespace

TEST_CASE("beacon value: one canonical form", "[draws]") {
  for (const char* ok : {"3380.21", "1.00", "10.05", "99999999999999999.99"}) {
    INFO(ok);
    CHECK(eval::check_beacon_value(ok).ok());
  }
  // Every spelling a supervisor could grind with is refused.
  for (const char* bad : {"03380.21", "3380.2", "3380.210", "3380", "3,380.21", "3380.21 ",
                          " 3380.21", "+3380.21", "-3380.21", "0.21", ".21", "3380.", "3380,21",
                          "3380.2a", "", "2026-03-03 3380.21", "999999999999999999.99"}) {
    INFO(bad);
    auto s = eval::check_beacon_value(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "beacon_invalid");
    CHECK(s.error().message.find(" / ") != std::string::npos);
  }
}

TEST_CASE("beacon date: a real calendar date", "[draws]") {
  CHECK(eval::parse_beacon_date("2024-02-29").ok());
  CHECK(eval::parse_beacon_date("2025-12-31").ok());
  for (const char* bad :
       {"2025-13-45", "2025-02-29", "2025-04-31", "2025-00-10", "2025-01-00", "2025-1-01",
        "25-01-01", "2025/01/01", "2025-01-01T00:00", "0000-01-01", ""}) {
    INFO(bad);
    auto d = eval::parse_beacon_date(bad);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == "beacon_invalid");
  }
}

TEST_CASE("beacon date: China dates and the first trading day after", "[draws]") {
  // 2025-08-01T15:59:59.999Z is 23:59:59.999 in China; one ms later is the 2nd.
  CHECK(eval::china_date_of(ms("2025-08-01T15:59:59.999Z")) == CivilDate{2025, 8, 1});
  CHECK(eval::china_date_of(ms("2025-08-01T16:00:00.000Z")) == CivilDate{2025, 8, 2});
  CHECK(eval::china_date_of(ms("1969-12-31T15:59:59.999Z")) == CivilDate{1969, 12, 31});
  CHECK(eval::weekday({2025, 8, 1}) == 4);  // a Friday
  CHECK(eval::weekday({2024, 2, 29}) == 3);
  auto db_fixture = EvalFixture();
  auto db = db_fixture.reader();
  // Friday -> Monday; Saturday and Sunday -> Monday; Monday -> Tuesday.
  CHECK(*eval::first_trading_day_after(db, {2025, 8, 1}, {}) == CivilDate{2025, 8, 4});
  CHECK(*eval::first_trading_day_after(db, {2025, 8, 2}, {}) == CivilDate{2025, 8, 4});
  CHECK(*eval::first_trading_day_after(db, {2025, 8, 3}, {}) == CivilDate{2025, 8, 4});
  CHECK(*eval::first_trading_day_after(db, {2025, 8, 4}, {}) == CivilDate{2025, 8, 5});
  CHECK(*eval::first_trading_day_after(db, {2025, 12, 31}, {}) == CivilDate{2026, 1, 1});
  // The platform calendar's rest days (国庆 2025-10-01..08) are skipped;
  // a working weekend (调休) is still no trading day.
  eval::RestDayTest golden_week = [](audit::Database&, const CivilDate& d) -> Result<bool> {
    return d.year == 2025 && d.month == 10 && d.day <= 8;
  };
  CHECK(*eval::first_trading_day_after(db, {2025, 9, 30}, golden_week) == CivilDate{2025, 10, 9});
  CHECK(*eval::first_trading_day_after(db, {2025, 9, 26}, golden_week) == CivilDate{2025, 9, 29});
}

TEST_CASE("draw seed: the beacon date is part of the seed (docs/draw.md golden vector)",
          "[draws]") {
  auto s = eval::draw_seed("committee", "T-2026-0001", example_root(), "3345.67", "2026-03-03");
  REQUIRE(s.ok());
  CHECK(hex_encode(*s) == "799e49c26c55f1cb9269d5cade860494bf5907c4d24dd32973fdca15bc8b2109");
  auto other_day =
      eval::draw_seed("committee", "T-2026-0001", example_root(), "3345.67", "2026-03-04");
  CHECK(hex_encode(*other_day) ==
        "0cb6275d0460cac4eb2146846d5e5481381c8ee2cb5b3180ed981973d1d441b4");
  // Without the date (entries before seed_version 2) the old bytes.
  CHECK(*eval::draw_seed_undated("committee", "T-2026-0001", example_root(), "3345.67") != *s);
  CHECK(eval::draw_seed("committee", "T-1", Hash{}, "1.00", "2026-03-03\n").error().code ==
        "invalid_draw_field");
  CHECK(eval::draw_seed("committee", "T-1", Hash{}, "1.00", "").error().code ==
        "invalid_draw_field");
}

TEST_CASE("pool list: leaf bytes and the draw over positions with a specialty minimum", "[draws]") {
  const std::string pm = "物业管理";
  eval::Expert e{"wang.li", {pm}, kUsccA, {}, "高级工程师"};
  CHECK(eval::expert_record_json(e) ==
        R"({"account":"wang.li","employer_uscc":"91350200776049653A","related_usccs":[],)"
        R"("specialties":["物业管理"],"title":"高级工程师"})");
  CHECK(hex_encode(eval::pool_leaf(example_root(), e)) ==
        "b4755a6022eb28f3468d1e3a2fb446f21477534fd23cb5750cb39429a789f2c8");

  // Twelve positions; 物业管理 at 2, 4 and 7 (docs/committee-draw.md example,
  // computed with the Python there).
  const std::vector<std::vector<std::string>> specs = {
      {}, {"法律"}, {pm}, {}, {pm, "财务"}, {}, {}, {pm}, {}, {"财务"}, {}, {}};
  std::vector<eval::Expert> list;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    list.push_back({"x" + std::to_string(i), specs[i], "", {}, ""});
  }
  const auto seed =
      *eval::draw_seed("committee", "T-2026-0001", example_root(), "3345.67", "2026-03-03");
  auto plain = eval::draw_positions(list, {}, 5, 5, seed);
  REQUIRE(plain.ok());
  CHECK(plain->members == std::vector<std::size_t>{11, 1, 4, 0, 5});
  CHECK(plain->reserves == std::vector<std::size_t>{9, 10, 7, 6, 8});
  auto quota = eval::draw_positions(list, {{pm, 2}}, 5, 5, seed);
  REQUIRE(quota.ok());
  CHECK(quota->members == std::vector<std::size_t>{7, 4, 2, 11, 3});
  CHECK(quota->reserves == std::vector<std::size_t>{9, 10, 6, 5, 8});
  // A second minimum already met by the first's picks draws nothing more.
  auto two = eval::draw_positions(list, {{pm, 2}, {"财务", 1}}, 5, 5, seed);
  REQUIRE(two.ok());
  CHECK(two->members == quota->members);
  // Every seed meets the minimum.
  for (int i = 0; i < 200; ++i) {
    Hash s{};
    s[0] = static_cast<std::uint8_t>(i);
    s[1] = static_cast<std::uint8_t>(i >> 8);
    auto d = eval::draw_positions(list, {{pm, 3}}, 5, 5, s);
    REQUIRE(d.ok());
    int specialists = 0;
    for (auto p : d->members) specialists += (p == 2 || p == 4 || p == 7) ? 1 : 0;
    CHECK(specialists == 3);
  }
  auto short_of = eval::draw_positions(list, {{pm, 4}}, 5, 5, seed);
  REQUIRE_FALSE(short_of.ok());
  CHECK(short_of.error().code == "committee_specialty_unavailable");
  CHECK(eval::draw_positions(list, {{pm, 3}, {"财务", 3}}, 5, 5, seed).error().code ==
        "committee_specialties_invalid");
  CHECK(eval::draw_positions({list.begin(), list.begin() + 4}, {}, 5, 5, seed).error().code ==
        "too_few_experts");
}

TEST_CASE("committee specialties: a rule field validated at publication", "[draws]") {
  auto r = rules_json("2025-08-01T10:00:00+08:00");
  r["committee_specialties"] = boost::json::array{{{"specialty", "物业管理"}, {"min", 1}}};
  auto ok = core::tender_rules_from_json(r);
  REQUIRE(ok.ok());
  REQUIRE(ok->committee_specialties.size() == 1);
  CHECK(core::to_json(*ok).at("committee_specialties") == r.at("committee_specialties"));
  // Absent: not written back (older rules keep their bytes).
  r.erase("committee_specialties");
  CHECK_FALSE(core::to_json(*core::tender_rules_from_json(r)).contains("committee_specialties"));
  const auto refused = [&](boost::json::value v) {
    auto x = rules_json("2025-08-01T10:00:00+08:00");
    x["committee_specialties"] = v;
    auto p = core::tender_rules_from_json(x);
    return p.ok() ? std::string()
                  : p.error().code + " " + p.error().details.at("field").as_string().c_str();
  };
  CHECK(refused(boost::json::array{{{"specialty", "物业管理"}, {"min", 0}}}) ==
        "rules_invalid_value committee_specialties[0].min");
  CHECK(refused(boost::json::array{{{"specialty", ""}, {"min", 1}}}) ==
        "rules_invalid_value committee_specialties[0].specialty");
  CHECK(refused(boost::json::array{{{"specialty", "a"}, {"min", 1}},
                                   {{"specialty", "a"}, {"min", 1}}}) ==
        "rules_invalid_value committee_specialties[1].specialty");
  CHECK(refused(boost::json::array{{{"specialty", "a"}, {"min", 3}},
                                   {{"specialty", "b"}, {"min", 3}}}) ==
        "rules_invalid_value committee_specialties");
  CHECK(refused(boost::json::array{{{"specialty", "a"}, {"min", 1}, {"max", 2}}}) ==
        "rules_unknown_field committee_specialties[0].max");
  CHECK(refused("物业管理") == "rules_wrong_type committee_specialties");
}

TEST_CASE("experts: conflict USCCs normalised and validated (legal review D9)", "[draws]") {
  EvalFixture f;
  add_pool(f, 10);
  // The review's reproduction: a lower-case employer code with spaces is
  // the bidder's code, so the expert is excluded from its tender.
  auto lower = kUsccA;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  REQUIRE(
      f.eval
          ->add_expert(
              f.admin,
              {"expert-lower", {"物业管理"}, " " + lower.substr(0, 6) + " " + lower.substr(6), {}})
          .ok());
  REQUIRE(
      f.eval
          ->add_expert(f.admin, {"expert-rel", {}, std::nullopt, {kUsccC + "\xE3\x80\x80", kUsccC}})
          .ok());
  // Not a USCC at all, or one whose check character fails: refused, nothing stored.
  expect_eval_refused(
      f,
      [&] {
        return f.eval->add_expert(f.admin,
                                  {"expert-bad", {}, std::string("91350200776049653B"), {}});
      },
      "expert_invalid");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->add_expert(f.admin, {"expert-bad", {}, std::nullopt, {"x"}});
      },
      "expert_invalid");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->add_expert(f.admin, {"expert-bad", {""}, std::nullopt, {}});
      },
      "expert_invalid");
  auto t = open_tender(f, {200, 210, 220, 230});
  const std::string date = beacon_date_for(f, t.id, "committee");
  auto drawn = f.eval->draw_committee(f.supervisor, t.id, "3301.25", date);
  REQUIRE(drawn.ok());
  const auto& ex = drawn->record.at("exclusions").as_array();
  std::set<std::string> excluded;
  for (const auto& x : ex) excluded.insert(std::string(x.at("account").as_string()));
  CHECK(excluded.count("expert-lower"));
  CHECK(excluded.count("expert-rel"));
}

TEST_CASE("experts: updates are logged and effective-dated, entries hold no record in clear",
          "[draws]") {
  EvalFixture f;
  add_pool(f, 10);
  auto added = f.eval->add_expert(f.admin, {"expert-x", {"物业管理"}, std::nullopt, {}, "工程师"});
  REQUIRE(added.ok());
  auto e = entry_at(f, *added);
  CHECK(e.at("type").as_string() == "expert.added");
  const auto& p = e.at("payload").as_object();
  CHECK(p.size() == 3);
  CHECK(p.contains("record_digest"));
  CHECK(p.at("account").as_string() == "expert-x");
  CHECK(f.all_entries().back().find("物业管理") == std::string::npos);
  CHECK(f.all_entries().back().find("工程师") == std::string::npos);

  expect_eval_refused(
      f,
      [&] {
        return f.eval->update_expert(f.supervisor, "expert-x", {{}, kUsccB, {}, {}, {}});
      },
      "not_admin");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->update_expert(f.admin, "nobody", {{}, kUsccB, {}, {}, {}});
      },
      "expert_not_found");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->update_expert(f.admin, "expert-x", {{}, "not-a-uscc", {}, {}, {}});
      },
      "expert_invalid");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->update_expert(f.admin, "expert-x",
                                     {{}, kUsccB, {}, {}, f.clock.now_ms() - 1});
      },
      "expert_invalid");
  // expert-x takes a job at bidder B, effective at once; a second update
  // names a relation to bidder A, effective only after the deadline.
  auto up = expect_eval_one_entry(f, [&] {
    return f.eval->update_expert(f.admin, "expert-x", {{}, kUsccB, {}, {}, {}});
  });
  CHECK(entry_at(f, *up).at("type").as_string() == "expert.updated");
  auto later = expect_eval_one_entry(f, [&] {
    return f.eval->update_expert(f.admin, "expert-00",
                                 {{},
                                  {},
                                  std::vector<std::string>{kUsccD},
                                  std::string("高级工程师"),
                                  f.clock.now_ms() + 60 * kDayMs});
  });
  (void)later;
  auto t = open_tender(f, {200, 210, 220, 0});
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  std::set<std::string> excluded;
  for (const auto& x : drawn->record.at("exclusions").as_array()) {
    excluded.insert(std::string(x.at("account").as_string()));
  }
  CHECK(excluded.count("expert-x"));
  (void)excluded;
}

TEST_CASE("committee draw: the beacon date is the first trading day after the bid closing",
          "[draws]") {
  EvalFixture f;
  add_pool(f, 12);
  auto t = open_tender(f, {200, 210, 220, 230});
  const std::string date = beacon_date_for(f, t.id, "committee");
  // The bid closing of the fixture: 2025-06-22T01:00Z, a Sunday in China;
  // so Monday 2025-06-23.
  CHECK(date == "2025-06-23");
  for (const char* wrong : {"2025-06-22", "2025-06-24", "2025-06-21", "2025-06-30"}) {
    INFO(wrong);
    expect_eval_refused(
        f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "3301.25", wrong); },
        "beacon_date_not_allowed");
  }
  expect_eval_refused(
      f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "3301.25", "2025-13-45"); },
      "beacon_invalid");
  expect_eval_refused(
      f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "3301.250", date); },
      "beacon_invalid");
  // The platform calendar makes Monday a rest day: Tuesday then.
  f.eval->set_rest_day_test([](audit::Database&, const CivilDate& d) -> Result<bool> {
    return d == CivilDate{2025, 6, 23};
  });
  CHECK(beacon_date_for(f, t.id, "committee") == "2025-06-24");
  expect_eval_refused(
      f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "3301.25", date); },
      "beacon_date_not_allowed");
  auto drawn = expect_eval_one_entry(
      f, [&] { return f.eval->draw_committee(f.supervisor, t.id, "3301.25", "2025-06-24"); });
  const auto& d = drawn->record.at("draw").as_object();
  CHECK(d.at("beacon_date").as_string() == "2025-06-24");
  CHECK(d.at("seed_version").as_int64() == 2);
}

TEST_CASE("committee draw: positions in a salted list committed before the beacon date",
          "[draws]") {
  EvalFixture f;
  add_pool(f, 12);
  REQUIRE(f.eval->add_expert(f.admin, {"expert-emp", {}, kUsccA, {}}).ok());
  REQUIRE(f.eval->add_expert(f.admin, {"pm-1", {"财务"}, std::nullopt, {}}).ok());
  REQUIRE(f.eval->add_expert(f.admin, {"pm-2", {"财务", "物业管理"}, std::nullopt, {}}).ok());
  auto t = open_tender(f, {200, 210, 220, 230}, [](boost::json::object& r) {
    r["committee_specialties"] = boost::json::array{{{"specialty", "财务"}, {"min", 2}}};
  });
  // The public commitment: after the bid closing, before the beacon date; it
  // holds only salted hashes.
  std::optional<boost::json::object> commitment, closing;
  for (auto& e : tender_entries(f, t.id)) {
    if (e.at("type") == "committee.pool_committed") commitment = e;
    if (e.at("type") == "tender.bidding_closed") closing = e;
  }
  REQUIRE(commitment);
  REQUIRE(closing);
  const auto& cp = commitment->at("payload").as_object();
  CHECK(cp.at("fixed_index") == closing->at("index"));
  CHECK(cp.at("list_size").as_int64() == 14);  // 15 experts, one employed by a bidder
  CHECK(cp.at("commitments").as_array().size() == 14);
  const std::string committed = boost::json::serialize(*commitment);
  CHECK(committed.find("pm-1") == std::string::npos);
  CHECK(committed.find("expert-") == std::string::npos);
  CHECK(commitment->at("time").as_string() < beacon_date_for(f, t.id, "committee"));
  // Only one commitment, however often the tender is caught up.
  REQUIRE(f.eval->catch_up(t.id).ok());
  int commitments = 0;
  for (auto& e : tender_entries(f, t.id)) {
    commitments += e.at("type") == "committee.pool_committed" ? 1 : 0;
  }
  CHECK(commitments == 1);

  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  // Both 财务 experts sit (minimum 2).
  CHECK(std::count(drawn->members.begin(), drawn->members.end(), "pm-1") == 1);
  CHECK(std::count(drawn->members.begin(), drawn->members.end(), "pm-2") == 1);
  // The opening: each listed salt and record hashes to its position's commitment.
  const auto& rec = drawn->record;
  CHECK(rec.at("payload_version").as_int64() == 3);
  std::map<std::string, eval::Expert> pool;
  for (const auto& x : rec.at("pool").as_array()) {
    const auto& o = x.as_object();
    eval::Expert e{std::string(o.at("account").as_string()), {}, "", {}, ""};
    for (const auto& s : o.at("specialties").as_array()) e.specialties.emplace_back(s.as_string());
    e.employer_uscc = std::string(o.at("employer_uscc").as_string());
    for (const auto& s : o.at("related_usccs").as_array()) {
      e.related_usccs.emplace_back(s.as_string());
    }
    pool[e.account] = e;
  }
  const auto& list = rec.at("list").as_array();
  REQUIRE(list.size() == 14);
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto salt = hash_from_hex(list[i].at("salt").as_string());
    REQUIRE(salt);
    CHECK(hex_encode(
              eval::pool_leaf(*salt, pool.at(std::string(list[i].at("account").as_string())))) ==
          cp.at("commitments").as_array()[i].as_string());
  }
  // The order is not the sorted one (14! orders; the chance is negligible).
  std::vector<std::string> order;
  for (const auto& x : list) order.emplace_back(x.at("account").as_string());
  CHECK_FALSE(std::is_sorted(order.begin(), order.end()));
}

TEST_CASE("enter_beacon: the first trading day after the entry that left the draw pending",
          "[draws]") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    no_vote(r, {{"method", "lottery"}});
  });
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));  // the candidate publicity ends
  auto r = f.eval->decide(d.t.market.tenderer, d.t.id);
  REQUIRE(r.ok());
  REQUIRE(r->next == "draw:lottery");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  const auto fixed = entry_at(f, r->log_index);
  const auto fixed_date = eval::china_date_of(ms(std::string(fixed.at("time").as_string())));
  auto db = f.reader();
  const std::string date = eval::to_string(*eval::first_trading_day_after(db, fixed_date, {}));
  CHECK(beacon_date_for(f, d.t.id, "lottery") == date);
  expect_eval_refused(
      f,
      [&] {
        return f.eval->enter_beacon(f.supervisor, d.t.id, "lottery", "3301.25",
                                    eval::to_string(fixed_date));
      },
      "beacon_date_not_allowed");
  expect_eval_refused(
      f, [&] { return f.eval->enter_beacon(f.supervisor, d.t.id, "lottery", "07 12 33", date); },
      "beacon_invalid");
  (void)expect_award_entries(
      f, [&] { return f.eval->enter_beacon(f.supervisor, d.t.id, "lottery", "3301.25", date); });
}

TEST_CASE("succession: an unmet specialty minimum goes to the first reserve holding it",
          "[draws]") {
  using V = std::vector<std::vector<std::string>>;
  const std::vector<eval::SpecialtyQuota> q = {{"物业管理", 1}};
  // No reserve left: nobody.
  CHECK_FALSE(eval::next_reserve({{"法律"}}, {}, q));
  // No minimums: the order of succession.
  CHECK(eval::next_reserve({{"法律"}}, V{{"法律"}, {"物业管理"}}, {}) == 0u);
  // Minimum still met by the seated (have == min): the first reserve.
  CHECK(eval::next_reserve(V{{"物业管理"}, {"法律"}}, V{{"法律"}, {"物业管理"}}, q) == 0u);
  // One short (have == min − 1): the first reserve holding it.
  CHECK(eval::next_reserve(V{{"法律"}, {"法律"}}, V{{"法律"}, {"财务"}, {"物业管理", "财务"}}, q) ==
        2u);
  // Unmet, but no reserve holds it: nobody; the seat goes to a fresh draw.
  CHECK_FALSE(eval::next_reserve(V{{"法律"}}, V{{"法律"}, {"财务"}}, q));
  // A pending fresh draw's quota counts as seated: the order of succession.
  CHECK(eval::next_reserve(V{{"法律"}, {"物业管理"}}, V{{"法律"}, {"财务"}}, q) == 0u);
  // Minimums in rule order: the first met, the second unmet.
  const std::vector<eval::SpecialtyQuota> q2 = {{"物业管理", 1}, {"财务", 2}};
  CHECK(eval::next_reserve(V{{"物业管理"}, {"财务"}}, V{{"法律"}, {"物业管理"}, {"财务"}}, q2) ==
        2u);
  // Both unmet: the first rule decides.
  CHECK(eval::next_reserve(V{{"财务"}}, V{{"财务"}, {"物业管理"}}, q2) == 1u);
}

namespace {

struct Seated {
  std::string id;
  std::vector<std::string> members, reserves;
};

bool is_pm(const std::string& a) {
  return a.rfind("pm-", 0) == 0;
}

}  // namespace

TEST_CASE("succession: 补抽 from the reserves honours the minimum and the trail rechecks it",
          "[draws]") {
  EvalFixture f;
  // Ten eligible experts for a committee of 5 and 5 reserves: all are drawn.
  // Two hold 物业管理; the tender requires one.
  for (int i = 0; i < 8; ++i) {
    REQUIRE(
        f.eval->add_expert(f.admin, {"law-" + std::to_string(i), {"法律"}, std::nullopt, {}}).ok());
  }
  REQUIRE(f.eval->add_expert(f.admin, {"pm-a", {"物业管理"}, std::nullopt, {}}).ok());
  REQUIRE(f.eval->add_expert(f.admin, {"pm-b", {"物业管理"}, std::nullopt, {}}).ok());
  const auto edit = [](boost::json::object& r) {
    r["committee_size"] = 5;
    r["committee_specialties"] = boost::json::array{{{"specialty", "物业管理"}, {"min", 1}}};
    r["decision"] = {{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  };
  // The list's order is server randomness: open tenders until one seats a
  // single 物业管理 expert with the other the third reserve or later, so the
  // order of succession alone would not seat it (1/3 per tender; 60 misses
  // in a row ≈ 3e-11).
  std::optional<Market> market;
  std::optional<Seated> s;
  for (int attempt = 0; attempt < 60 && !s; ++attempt) {
    auto t = open_tender(f, {200, 210, 220, 230}, edit, market);
    market = t.market;
    auto drawn = f.eval->draw_committee(f.supervisor, t.id, "3301.25",
                                        beacon_date_for(f, t.id, "committee"));
    REQUIRE(drawn.ok());
    REQUIRE(drawn->members.size() == 5);
    REQUIRE(drawn->reserves.size() == 5);
    const auto pm_members = std::count_if(drawn->members.begin(), drawn->members.end(), is_pm);
    REQUIRE(pm_members >= 1);  // the minimum
    const auto pm_at = std::find_if(drawn->reserves.begin(), drawn->reserves.end(), is_pm);
    if (pm_members == 1 && pm_at - drawn->reserves.begin() >= 2) {
      s = Seated{t.id, drawn->members, drawn->reserves};
    }
  }
  REQUIRE(s);
  const std::string pm_member = *std::find_if(s->members.begin(), s->members.end(), is_pm);
  const std::string pm_reserve = *std::find_if(s->reserves.begin(), s->reserves.end(), is_pm);
  const std::string first_reserve = s->reserves.front();
  std::vector<std::string> law_members;
  for (const auto& m : s->members) {
    if (!is_pm(m)) law_members.push_back(m);
  }
  REQUIRE(law_members.size() == 4);

  // A 法律 member leaves: the minimum still holds (1 == 1), so the first reserve.
  auto r1 = expect_eval_one_entry(
      f, [&] { return f.eval->replace_member(f.supervisor, s->id, law_members[0], "未到场"); });
  CHECK(r1->successor == first_reserve);
  // The 物业管理 member declares a conflict: 0 < 1, so the 物业管理 reserve,
  // not the next in order (before this change, the next in order sat and the
  // minimum was lost).
  auto r2 = expect_eval_one_entry(
      f, [&] { return f.eval->declare(evaluator(pm_member), s->id, false, std::nullopt); });
  CHECK(r2->successor == pm_reserve);
  {
    auto db = f.reader();
    auto v = eval::EvaluationService::committee(db, s->id, f.supervisor);
    REQUIRE(v.ok());
    CHECK(std::count_if(v->members.begin(), v->members.end(), is_pm) == 1);
  }
  // A refused replacement (the member has left already) changes nothing.
  expect_eval_refused(
      f, [&] { return f.eval->replace_member(f.supervisor, s->id, pm_member, "重复"); },
      "not_a_committee_member");
  // The 物业管理 member now seated leaves too: no 物业管理 reserve is left,
  // so no reserve takes the seat: it goes to a fresh draw (replacement-1,
  // committed in a second, public entry) to restore the minimum. Before the
  // fresh draw existed, the next in order sat and the minimum stayed unmet.
  std::vector<std::string> rest;
  for (const auto& a : s->reserves) {
    if (a != first_reserve && a != pm_reserve) rest.push_back(a);
  }
  auto r3 = expect_eval_entries(
      f, 2, [&] { return f.eval->replace_member(f.supervisor, s->id, pm_reserve, "回避"); });
  CHECK_FALSE(r3->successor);
  CHECK(r3->replacement_draw == std::optional<std::string>("replacement-1"));

  // The pending fresh draw will meet the minimum: the three reserves left
  // take the next seats in order.
  for (std::size_t i = 1; i <= 3; ++i) {
    auto r = f.eval->replace_member(f.supervisor, s->id, law_members[i], "未到场");
    REQUIRE(r.ok());
    CHECK(r->successor == rest[i - 1]);
    CHECK_FALSE(r->replacement_draw);
  }
  {
    auto db = f.reader();
    auto v = eval::EvaluationService::committee(db, s->id, f.supervisor);
    REQUIRE(v.ok());
    CHECK(v->members.size() == 4);
    CHECK(v->vacant_seats == 1);
    CHECK(v->pending_draw == std::optional<std::string>("replacement-1"));
    CHECK(v->reserves.empty());
  }

  // The trail, once released by the cancellation, rechecks each successor.
  REQUIRE(f.service->cancel(market->tenderer, s->id, "业主大会决定不再选聘").ok());
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto db = f.reader();
  auto trail = audit::tender_trail(db, s->id, f.ledger->verifier_key(), f.clock.now_ms());
  REQUIRE(trail.ok());
  auto verified = audit::verify_trail(boost::json::serialize(*trail), f.ledger->verifier_key());
  REQUIRE(verified.ok());
  int successions = 0;
  for (const auto& l : eval::recompute_trail(*verified, f.ledger->verifier_key())) {
    INFO(l.what << ": " << l.detail);
    CHECK((l.matches || l.pending));
    successions += l.what.find("successor is the next reserve") != std::string::npos ? 1 : 0;
  }
  CHECK(successions == 6);
  // A trail whose declaration names the next in order instead is a mismatch.
  auto forged = *verified;
  bool changed = false;
  for (auto& e : forged.entries) {
    auto o = boost::json::parse(e.entry).as_object();
    if (o.at("type") != "committee.declared") continue;
    o["payload"].as_object()["successor"] = rest.front();
    e.entry = boost::json::serialize(o);
    changed = true;
  }
  REQUIRE(changed);
  int bad = 0;
  for (const auto& l : eval::recompute_trail(forged, f.ledger->verifier_key())) {
    if (l.what.find("successor is the next reserve") != std::string::npos && !l.matches) ++bad;
  }
  CHECK(bad >= 1);
}

}  // namespace sunbid::testing
