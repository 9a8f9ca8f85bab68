// The decision (定标) through the ledger, one scenario per method from the
// publicized candidates to the award, and the owners' vote worked by hand.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "eval_fixture.h"
#include "evaluation/draw.h"
#include "tender_core/documents.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

void no_vote(boost::json::object& r, boost::json::object decision) {
  r["decision"] = std::move(decision);
  r["vote_window_s"] = 0;
  r["candidate_publicity_days"] = 3;
}

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

// After the award: the award publicity ends, the tender is awarded.
void finish_award(EvalFixture& f, const std::string& tender, const std::string& winner) {
  auto db = f.reader();
  auto v = core::detail::unchecked_view(db, tender);
  CHECK(v->status == core::TenderStatus::award_publicized);
  CHECK(v->awarded_bid_id == winner);
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  REQUIRE(f.service->tick(f.clock.now_ms()).ok());
  CHECK(core::detail::unchecked_view(db, tender)->status == core::TenderStatus::awarded);
}

std::string sorted_pick(std::vector<std::string> ids, const Hash& seed) {
  std::sort(ids.begin(), ids.end());
  eval::DrawStream s(seed);
  return ids[s.uniform(ids.size())];
}

}  // namespace

TEST_CASE("decision lowest_price: the lowest candidate wins at once") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    no_vote(r, {{"method", "lowest_price"}});
  });
  CHECK(d.candidates.size() == 3);
  // Before the candidate publicity ends, deciding is refused.
  expect_eval_refused(
      f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); }, "tender_wrong_status");
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  auto evaluator_view = [&] {
    auto db = f.reader();
    return eval::EvaluationService::decision(db, d.t.id, evaluator("expert-00"));
  };
  CHECK(evaluator_view().error().code == "not_allowed");
  auto stranger = CoreFixture::actor("tenderer-x", "tenderer", "C999");
  expect_eval_refused(
      f, [&] { return f.eval->decide(stranger, d.t.id); }, "not_tenderer_of_community");
  expect_eval_refused(
      f, [&] { return f.eval->decide(f.supervisor, d.t.id); }, "not_tenderer");
  auto r = expect_award_entries(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
  CHECK(r->next == "award_publicized");
  CHECK(*r->winner == d.bid_of[kUsccA]);
  CHECK(last_entry(f)["type"].as_string() == "decision.made");
  {
    // The decision makes both renderings of the 评标报告 public.
    auto db = f.reader();
    auto docs = core::tender_documents(db, d.t.id, f.clock.now_ms());
    REQUIRE(docs.ok());
    int reports = 0;
    for (const auto& doc : *docs) {
      if (doc.kind == "evaluation_report" || doc.kind == "evaluation_report_named") {
        ++reports;
        CHECK_FALSE(doc.restricted);
      }
    }
    CHECK(reports == 2);
  }
  finish_award(f, d.t.id, d.bid_of[kUsccA]);
}

TEST_CASE("decision lowest_price: equal lowest prices go to the tie-break draw") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 200, 220, 230}, [](auto& r) {
    no_vote(r, {{"method", "lowest_price"}});
  });
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  auto r = f.eval->decide(d.t.market.tenderer, d.t.id);
  REQUIRE(r.ok());
  CHECK(r->next == "draw:tie_break");
  expect_eval_refused(
      f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); }, "decision_pending_draw");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->enter_beacon(f.supervisor, d.t.id, "tie_break", "3301.25",
                                    beacon_date_for(f, d.t.id, "tie_break"));
      },
      "checkpoint_pending");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  const std::string date = beacon_date_for(f, d.t.id, "tie_break");
  auto drawn = expect_award_entries(
      f, [&] { return f.eval->enter_beacon(f.supervisor, d.t.id, "tie_break", "3301.25", date); });
  auto cp = first_covering(f, r->log_index);
  auto seed = eval::draw_seed("tie_break", d.t.id, cp.root, "3301.25", date);
  CHECK(*drawn->winner == sorted_pick({d.bid_of[kUsccA], d.bid_of[kUsccB]}, *seed));
  finish_award(f, d.t.id, *drawn->winner);
}

TEST_CASE("decision composite_score: the worked example") {
  EvalFixture f;
  // Candidates A 200, B 210, C 220 (D 230 is beyond the cap). Ratings from
  // the market: credit 9000, 8900, 8800; 4 stars each (star score 8000).
  // Benchmark = mean = 630 / 3 = 210.
  // A: 10000 − round(50·10·100/210 = 238.1) = 9762; total
  //    round((6000·9762 + 2500·9000 + 1500·8000)/10000 = 9307.2) = 9307
  // B: 10000; total (60,000,000 + 22,250,000 + 12,000,000)/10000 = 9425
  // C: 10000 − round(100·10·100/210 = 476.2) = 9524; total 9114.4 → 9114
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    no_vote(r, {{"method", "composite_score"},
                {"weights_bp", {{"price", 6000}, {"credit", 2500}, {"star", 1500}}},
                {"benchmark", "mean"},
                {"k_above", 100},
                {"k_below", 50}});
  });
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  auto r = expect_award_entries(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
  CHECK(*r->winner == d.bid_of[kUsccB]);
  CHECK(r->record["benchmark_fen"].as_int64() == 210);
  std::map<std::string, std::int64_t> totals;
  for (const auto& s : r->record["scores"].as_array()) {
    totals[std::string(s.at("bid_id").as_string())] = s.at("total").as_int64();
  }
  CHECK(totals[d.bid_of[kUsccA]] == 9307);
  CHECK(totals[d.bid_of[kUsccB]] == 9425);
  CHECK(totals[d.bid_of[kUsccC]] == 9114);
  finish_award(f, d.t.id, d.bid_of[kUsccB]);
}

TEST_CASE("decision lottery: waits for the beacon, then draws among the candidates") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    no_vote(r, {{"method", "lottery"}});
  });
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  auto r = expect_eval_one_entry(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
  CHECK(r->next == "draw:lottery");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  const std::string date = beacon_date_for(f, d.t.id, "lottery");
  auto drawn = expect_award_entries(
      f, [&] { return f.eval->enter_beacon(f.supervisor, d.t.id, "lottery", "712.33", date); });
  auto cp = first_covering(f, r->log_index);
  auto seed = eval::draw_seed("lottery", d.t.id, cp.root, "712.33", date);
  CHECK(*drawn->winner == sorted_pick(d.candidates, *seed));
  auto e = last_entry(f);
  CHECK(e["type"].as_string() == "draw.made");
  CHECK(
      e["payload"].as_object()["draw"].as_object()["checkpoint"].as_object()["note"].as_string() ==
      cp.note);
  finish_award(f, d.t.id, *drawn->winner);
}

TEST_CASE("decision committee_vote: rounds eliminate the last, a majority of all members wins") {
  EvalFixture f;
  std::vector<core::Actor> voters;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "committee_vote"}};
  });
  const auto community = d.t.market.tenderer.community_id;
  for (int i = 1; i <= 5; ++i) {
    voters.push_back(CoreFixture::actor("tenderer-" + std::to_string(i), "tenderer", community));
  }
  f.set_tenderers(community,
                  {"tenderer-1", "tenderer-2", "tenderer-3", "tenderer-4", "tenderer-5"});
  const auto A = d.bid_of[kUsccA], B = d.bid_of[kUsccB], C = d.bid_of[kUsccC];
  expect_eval_refused(
      f, [&] { return f.eval->committee_vote(voters[0], d.t.id, A, 1); }, "vote_window_closed");
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  CHECK(last_entry(f)["type"].as_string() == "decision.vote_opened");
  auto outsider = CoreFixture::actor("tenderer-9", "tenderer", community);
  expect_eval_refused(
      f, [&] { return f.eval->committee_vote(outsider, d.t.id, A, 1); }, "not_a_voter");
  expect_eval_refused(
      f, [&] { return f.eval->committee_vote(voters[0], d.t.id, A, 2); }, "wrong_round");
  // Round 1: A 2, B 2, C 1 -> C eliminated.
  const std::string round1[] = {A, A, B, B, C};
  for (int i = 0; i < 4; ++i) {
    (void)expect_eval_one_entry(
        f, [&] { return f.eval->committee_vote(voters[i], d.t.id, round1[i], 1); });
  }
  expect_eval_refused(
      f, [&] { return f.eval->committee_vote(voters[0], d.t.id, B, 1); }, "already_voted");
  expect_eval_refused(
      f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); }, "vote_window_open");
  REQUIRE(f.eval->committee_vote(voters[4], d.t.id, round1[4], 1).ok());
  // Every vote is in: the platform decides the round itself (no click).
  (void)expect_eval_one_entry(f, [&] { return f.eval->catch_up(d.t.id); });
  auto r1 = last_entry(f);
  CHECK(r1["type"].as_string() == "decision.made");
  CHECK(r1["actor"].as_string() == "system");
  CHECK(r1["payload"].as_object()["result"].as_string() == "next_round");
  CHECK(r1["payload"].as_object()["eliminated"].as_string() == C);
  expect_eval_refused(
      f, [&] { return f.eval->committee_vote(voters[0], d.t.id, C, 2); }, "not_a_candidate");
  // Round 2: A 3, B 2 -> A has 3 of 5.
  const std::string round2[] = {A, A, B, B, A};
  for (int i = 0; i < 5; ++i) {
    REQUIRE(f.eval->committee_vote(voters[i], d.t.id, round2[i], 2).ok());
  }
  (void)expect_award_entries(f, [&] { return f.eval->catch_up(d.t.id); });
  // The tenderer's POST /decision answers the stored result.
  auto r2 = expect_eval_unchanged(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
  CHECK(*r2->winner == A);
  finish_award(f, d.t.id, A);
}

TEST_CASE("decision vote_then_lottery: the votes make a shortlist, the draw picks") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "vote_then_lottery"}, {"shortlist_size", 2}};
  });
  const auto community = d.t.market.tenderer.community_id;
  // The deciding committee was frozen at publication: five accounts.
  const auto A = d.bid_of[kUsccA], B = d.bid_of[kUsccB], C = d.bid_of[kUsccC];
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  const std::string votes[] = {A, A, B, B, C};
  for (int i = 0; i < 5; ++i) {
    auto v = CoreFixture::actor("tenderer-" + std::to_string(i + 1), "tenderer", community);
    REQUIRE(f.eval->committee_vote(v, d.t.id, votes[i], 1).ok());
  }
  // Everyone voted: no need to wait for the window; the platform decides.
  (void)expect_eval_one_entry(f, [&] { return f.eval->catch_up(d.t.id); });
  const std::uint64_t decided_index = f.all_entries().size() - 1;
  CHECK(last_entry(f)["payload"].as_object()["pending_draw"].as_string() == "lottery");
  expect_eval_refused(
      f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); }, "decision_pending_draw");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  const std::string date = beacon_date_for(f, d.t.id, "lottery");
  auto drawn = f.eval->enter_beacon(f.supervisor, d.t.id, "lottery", "2025.88", date);
  REQUIRE(drawn.ok());
  auto cp = first_covering(f, decided_index);
  auto seed = eval::draw_seed("lottery", d.t.id, cp.root, "2025.88", date);
  CHECK(*drawn->winner == sorted_pick({A, B}, *seed));
  finish_award(f, d.t.id, *drawn->winner);
}

// ---- the owners' vote (业主共同决定), worked by hand ----
//
// Roster: O1 owns three units of 10.00 m² (3000, one head), O2 1500, O3
// 1500, O4 1001, O5 999, and the developer's two unsold units 500 + 500
// (1000, one head). Total area 9000, headcount 6. Quorum: area ≥ 6000
// (3·area ≥ 2·9000) and heads ≥ 4 (3·heads ≥ 2·6).
namespace {

const char* kRoster =
    "unit,area_centi_m2,owner_key,owner_name,status\n"
    "1-101,1000,O1,甲,sold\n1-102,1000,O1,甲,sold\n1-103,1000,O1,甲,sold\n"
    "2-101,1500,O2,乙,sold\n2-102,1500,O3,丙,sold\n3-101,1001,O4,丁,sold\n"
    "3-102,999,O5,戊,sold\n4-101,500,DEV,开发商,unsold\n4-102,500,DEV,开发商,unsold\n";

struct OwnersVote {
  Deciding d;
  std::map<std::string, core::Actor> owner;
  std::string A, B, C;
};

OwnersVote owners_vote(EvalFixture& f, bool allow_runoff) {
  OwnersVote o;
  o.d = to_candidates(f, {200, 210, 220, 230}, [&](auto& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", allow_runoff}};
  });
  const auto community = o.d.t.market.tenderer.community_id;
  REQUIRE(f.registry->import_roster(f.admin, community, kRoster).ok());
  for (const char* k : {"O1", "O2", "O3", "O4", "O5", "DEV", "O9"}) {
    auto a = CoreFixture::actor(std::string("owner-") + k, "owner", community);
    a.owner_key = k;
    o.owner[k] = a;
  }
  o.A = o.d.bid_of[kUsccA];
  o.B = o.d.bid_of[kUsccB];
  o.C = o.d.bid_of[kUsccC];
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));
  REQUIRE(f.eval->catch_up(o.d.t.id).ok());
  auto opened = last_entry(f);
  REQUIRE(opened["type"].as_string() == "decision.vote_opened");
  auto& roster = opened["payload"].as_object()["roster"].as_object();
  CHECK(roster["total_area_centi_m2"].as_int64() == 9000);
  CHECK(roster["total_heads"].as_int64() == 6);
  return o;
}

void vote(EvalFixture& f, OwnersVote& o, const char* key, std::optional<std::string> choice) {
  auto r = f.eval->cast_ballot(o.owner[key], o.d.t.id, std::move(choice));
  if (!r.ok()) FAIL(r.error().to_string());
}

// The window closes and the platform decides by itself (the tick's
// catch_up): nobody clicks. Answers what its decision.made entry says.
eval::StageResult close_and_decide(EvalFixture& f, OwnersVote& o) {
  f.clock.set_ms(days_end(f.clock.now_ms(), 7));
  auto st = f.eval->catch_up(o.d.t.id);
  if (!st.ok()) FAIL(st.error().to_string());
  auto e = last_entry(f);
  REQUIRE(e["type"].as_string() == "decision.made");
  CHECK(e["actor"].as_string() == "system");
  eval::StageResult r;
  r.record = e["payload"].as_object();
  const std::string result(r.record["result"].as_string());
  if (result == "failed") {
    // The 流标公告 right after the decision, in the same command — after
    // the 投票结果公告 of an owners' vote's count —, then the named 评标报告
    // (the committee is public).
    const auto all = f.all_entries();
    auto at = static_cast<std::size_t>(e["index"].as_int64()) + 1;
    auto doc = boost::json::parse(all[at]).as_object();
    if (doc["payload"].as_object()["kind"].as_string() == "vote_result") {
      CHECK(doc["type"].as_string() == "document.published");
      doc = boost::json::parse(all[++at]).as_object();
    }
    auto named = boost::json::parse(all.back()).as_object();
    CHECK(named["payload"].as_object()["kind"].as_string() == "evaluation_report_named");
    CHECK(doc["type"].as_string() == "document.published");
    CHECK(doc["payload"].as_object()["kind"].as_string() == "tender_failed");
    CHECK(doc["index"].as_int64() == static_cast<std::int64_t>(at));
  }
  r.next = result == "award" ? "award_publicized" : result == "failed" ? "failed" : "vote_round";
  if (result == "award") r.winner = std::string(r.record["winner"].as_string());
  return r;
}

}  // namespace

TEST_CASE("owners_vote: exactly 2/3 of the area but 3 of 6 heads misses the quorum") {
  EvalFixture f;
  auto o = owners_vote(f, true);
  vote(f, o, "O1", o.A);  // 3000
  vote(f, o, "O2", o.A);  // 1500
  vote(f, o, "O3", o.A);  // 1500 -> area 6000 = 2/3 exactly; heads 3 < 4
  auto r = close_and_decide(f, o);
  CHECK(r.next == "failed");
  auto& tally = r.record["tally"].as_object();
  CHECK(tally["area_quorum"].as_bool());
  CHECK_FALSE(tally["head_quorum"].as_bool());
  auto db = f.reader();
  CHECK(core::detail::unchecked_view(db, o.d.t.id)->status == core::TenderStatus::failed);
  CHECK(core::detail::unchecked_view(db, o.d.t.id)->end_reason == "decision_failed_quorum");
}

TEST_CASE("owners_vote: an abstention counts as participation") {
  EvalFixture f;
  auto o = owners_vote(f, false);
  // O1 + O4 + O5 for A: area 5000, heads 3 — below both bounds on their own.
  // O2 abstains: participation 6500 ≥ 6000 and 4 heads ≥ 4. A: 2·5000 > 6500
  // and 2·3 > 4: A wins.
  vote(f, o, "O1", o.A);
  vote(f, o, "O4", o.A);
  vote(f, o, "O5", o.A);
  vote(f, o, "O2", std::nullopt);
  auto ballot = last_entry(f);
  CHECK(ballot["type"].as_string() == "ballot.cast");
  auto& p = ballot["payload"].as_object();
  CHECK(p["choice"].as_string() == "abstain");
  CHECK(p["area_centi_m2"].as_int64() == 1500);
  CHECK(p["heads"].as_int64() == 1);
  CHECK(f.all_entries().back().find("\"O2\"") == std::string::npos);
  auto r = close_and_decide(f, o);
  CHECK(*r.winner == o.A);
  auto& tally = r.record["tally"].as_object();
  CHECK(tally["participating_area_centi_m2"].as_int64() == 6500);
  CHECK(tally["participating_heads"].as_int64() == 4);
  CHECK(tally["abstain_area_centi_m2"].as_int64() == 1500);
  finish_award(f, o.d.t.id, o.A);
}

TEST_CASE("owners_vote: exactly half loses, run-off, replaced ballots, one centi-m² more wins") {
  EvalFixture f;
  auto o = owners_vote(f, true);
  // Refusals first.
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(o.owner["O9"], o.d.t.id, o.A); }, "owner_not_on_roster");
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(o.owner["O1"], o.d.t.id, std::string("B999")); },
      "not_a_candidate");
  expect_eval_refused(
      f, [&] { return f.eval->decide(o.d.t.market.tenderer, o.d.t.id); }, "vote_window_open");
  // Round 1: O1 (three units, 3000, one head) for B; O4, O5 and the
  // developer (1001 + 999 + 1000 = 3000, three heads) for A. Participation
  // 6000 and 4 heads: exactly at both bounds, valid. A has 3000 = exactly
  // half of the area: not more than half, so nobody wins. Run-off between
  // the two with most area: A and B (3000 each, C 0).
  vote(f, o, "O1", o.B);
  vote(f, o, "O4", o.A);
  vote(f, o, "O5", o.A);
  vote(f, o, "DEV", o.A);
  auto r1 = close_and_decide(f, o);
  CHECK(r1.next == "vote_round");
  CHECK(r1.record["result"].as_string() == "runoff");
  auto& t1 = r1.record["tally"].as_object();
  CHECK(t1["area_quorum"].as_bool());
  CHECK(t1["head_quorum"].as_bool());
  for (const auto& c : t1["candidates"].as_array()) {
    if (c.at("bid_id").as_string() == o.A) {
      CHECK(c.at("area_centi_m2").as_int64() == 3000);
      CHECK(c.at("heads").as_int64() == 3);
    }
    if (c.at("bid_id").as_string() == o.B) {
      CHECK(c.at("area_centi_m2").as_int64() == 3000);
      CHECK(c.at("heads").as_int64() == 1);
    }
  }
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(o.owner["O1"], o.d.t.id, o.C); }, "not_a_candidate");
  // Run-off: O2, O3 for A; O5 for A, O4 for B, O1 for B. Then O5 and O4
  // replace their ballots (O5 -> B, O4 -> A). Final: A = 1500 + 1500 + 1001
  // = 4001 (3 heads), B = 3000 + 999 = 3999 (2 heads); participation 8000,
  // 5 heads. 2·4001 = 8002 > 8000 and 2·3 > 5: A wins by one centi-m²
  // (with O4 and O5 the other way round A would have had 3999 and lost).
  vote(f, o, "O2", o.A);
  vote(f, o, "O3", o.A);
  vote(f, o, "O5", o.A);
  vote(f, o, "O4", o.B);
  vote(f, o, "O1", o.B);
  auto again = f.eval->cast_ballot(o.owner["O5"], o.d.t.id, o.B);
  REQUIRE(again.ok());
  CHECK(again->replaced);
  CHECK(again->round == 2);
  vote(f, o, "O4", o.A);
  auto r2 = close_and_decide(f, o);
  CHECK(*r2.winner == o.A);
  auto& t2 = r2.record["tally"].as_object();
  CHECK(t2["participating_area_centi_m2"].as_int64() == 8000);
  CHECK(t2["participating_heads"].as_int64() == 5);
  // After the window (decided), ballots are refused.
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(o.owner["O3"], o.d.t.id, o.B); }, "vote_window_closed");
  finish_award(f, o.d.t.id, o.A);
}

TEST_CASE("owners_vote: no winner without a run-off fails the decision") {
  EvalFixture f;
  auto o = owners_vote(f, false);
  vote(f, o, "O1", o.B);
  vote(f, o, "O4", o.A);
  vote(f, o, "O5", o.A);
  vote(f, o, "DEV", o.A);
  auto r = close_and_decide(f, o);
  CHECK(r.next == "failed");
  CHECK(r.record["reason"].as_string() == "decision_failed_no_winner");
}

TEST_CASE("barrier: the decision writes nothing of the review") {
  EvalFixture f;
  auto o = owners_vote(f, false);
  auto review_digest = [&] {
    auto db = f.reader();
    std::string all;
    for (const char* sql :
         {"SELECT member, bid_id, marks_json, void FROM eval_reviews ORDER BY 1, 2",
          "SELECT qualified_json, concluded_idx FROM eval_review_state"}) {
      auto st = db.prepare(sql);
      while (*st->step()) {
        for (int c = 0; c < 4; ++c) all += std::string(st->column_text(c)) + "|";
      }
    }
    return all;
  };
  const auto before = review_digest();
  vote(f, o, "O1", o.A);
  vote(f, o, "O4", o.A);
  vote(f, o, "O5", o.A);
  vote(f, o, "O2", std::nullopt);
  (void)close_and_decide(f, o);
  CHECK(review_digest() == before);
  auto db = f.reader();
  CHECK(eval::EvaluationService::decision(db, o.d.t.id, evaluator("expert-01")).error().code ==
        "not_allowed");
  CHECK(eval::EvaluationService::decision(db, o.d.t.id, f.supervisor).ok());
}

TEST_CASE("owners_vote: the window opens at the end of the publicity and closes vote_window_s later, to the millisecond") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](auto& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  auto o = CoreFixture::actor("owner-1", "owner", d.t.market.tenderer.community_id);
  o.owner_key = "K1";
  const auto A = d.bid_of[kUsccA];
  f.clock.set_ms(days_end(f.clock.now_ms(), 15) - 1);
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(o, d.t.id, A); }, "vote_window_closed");
  f.clock.advance_ms(1);
  // The window's opening is its own due command (decision.vote_opened).
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  (void)expect_eval_one_entry(f, [&] { return f.eval->cast_ballot(o, d.t.id, A); });
  f.clock.set_ms(days_end(f.clock.now_ms(), 7) - 1);
  auto replaced = expect_eval_one_entry(f, [&] { return f.eval->cast_ballot(o, d.t.id, A); });
  CHECK(replaced->replaced);
  expect_eval_refused(
      f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); }, "vote_window_open");
  f.clock.advance_ms(1);
  // At the close the platform decides by itself (nobody's click):
  // K1 (89.50 m²) of K1 + K2 (189.99 m² in all): 1 of 2 heads < 2/3 -> fails:
  // decision.made, the 投票结果公告's, the 流标公告's and the named 评标报告's
  // document.published (docs/documents.md).
  (void)expect_eval_entry_and_documents(f,
                                        {"vote_result", "tender_failed", "evaluation_report_named"},
                                        [&] { return f.eval->catch_up(d.t.id); });
  expect_eval_refused(
      f, [&] { return f.eval->cast_ballot(o, d.t.id, A); }, "vote_window_closed");
  auto r = expect_eval_unchanged(f, [&] { return f.eval->decide(d.t.market.tenderer, d.t.id); });
  CHECK(r->next == "failed");
}
