// Recomputation from verified trails: several random tenders through every
// decision method, the trail exported and verified with the pinned key, and
// every recomputed draw, review, narrowing and decision matches; a forged
// result (a signed log that lies about an outcome) is detected.
#include "evaluation/recompute.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <random>

#include "audit_log/trail.h"
#include "tender_core/unchecked_reads.h"
#include "trail_fixture.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {}  // namespace

TEST_CASE("recompute: random tenders verify and recompute, a forged result is detected") {
  std::mt19937 rng(20250801);
  const std::vector<std::string> methods = {"lowest_price",      "lottery",
                                            "composite_score",   "committee_vote",
                                            "vote_then_lottery", "owners_vote"};
  for (const auto& method : methods) {
    DYNAMIC_SECTION("method " << method) {
      EvalFixture f;
      add_pool(f, 10);
      auto market = setup_market(f);
      const auto community = market.tenderer.community_id;
      f.set_tenderers(community,
                      {"tenderer-1", "tenderer-2", "tenderer-3", "tenderer-4", "tenderer-5"});
      REQUIRE(f.registry->import_roster(f.admin, community, kNineUnitRoster).ok());
      std::uniform_int_distribution<int> price(180, 186);  // narrow: ties are likely
      std::vector<std::int64_t> prices;
      for (int i = 0; i < 4; ++i) prices.push_back(price(rng));
      const bool cap_lottery = rng() % 2 == 0;
      auto t = open_tender(
          f, prices,
          [&](boost::json::object& r) {
            r["candidate_cap_method"] = cap_lottery ? "lottery" : "lowest_price";
            set_decision_rules(r, method);
          },
          market);
      auto drawn = f.eval->draw_committee(f.supervisor, t.id, "3301.25",
                                          beacon_date_for(f, t.id, "committee"));
      REQUIRE(drawn.ok());
      std::optional<eval::StageResult> last;
      int beacon = 3000;
      for (const auto& m : drawn->members) {
        REQUIRE(f.eval->declare(evaluator(m), t.id, true, std::nullopt).ok());
        for (const auto& b : t.bid_ids) {
          eval::ReviewInput in;
          in.bid_id = b;
          const bool pass = rng() % 5 != 0;
          in.marks.push_back(
              {"staffing", pass, pass ? std::nullopt : std::optional<std::string>("不足")});
          auto res = f.eval->submit_review(evaluator(m), t.id, in);
          REQUIRE(res.ok());
          last = *res;
        }
      }
      satisfy_draws(f, t.id, *last, beacon);
      auto db = f.reader();
      const auto status = core::detail::unchecked_view(db, t.id)->status;
      if (status == core::TenderStatus::candidates_publicized) {
        auto cands = *eval::EvaluationService::candidates(db, t.id);
        f.clock.set_ms(days_end(f.clock.now_ms(), method == "owners_vote" ? 15 : 3));
        REQUIRE(f.eval->catch_up(t.id).ok());
        for (int round = 1; round <= 3; ++round) {
          if (method == "owners_vote") {
            for (const char* k : {"O1", "O2", "O3", "O4", "O5", "DEV"}) {
              auto o = CoreFixture::actor(std::string("owner-") + k, "owner", community);
              o.owner_key = k;
              auto choice = rng() % 4 == 0
                                ? std::nullopt
                                : std::optional<std::string>(cands[rng() % cands.size()]);
              (void)f.eval->cast_ballot(o, t.id, choice);  // a run-off refuses the eliminated
            }
            f.clock.set_ms(days_end(f.clock.now_ms(), 7));
          } else if (method == "committee_vote" || method == "vote_then_lottery") {
            for (int i = 1; i <= 5; ++i) {
              auto v = CoreFixture::actor("tenderer-" + std::to_string(i), "tenderer", community);
              for (int tries = 0; tries < 8; ++tries) {
                if (f.eval->committee_vote(v, t.id, cands[rng() % cands.size()], round).ok()) break;
              }
            }
          }
          auto r = decide_or_state(f, market.tenderer, t.id);
          satisfy_draws(f, t.id, r, beacon);
          if (core::detail::unchecked_view(db, t.id)->status != core::TenderStatus::deciding) break;
        }
      }
      // Export, verify with the pinned key, recompute.
      REQUIRE(f.ledger->publish_checkpoint().ok());
      auto trail = audit::tender_trail(db, t.id, f.ledger->verifier_key(), f.clock.now_ms());
      REQUIRE(trail.ok());
      auto verified = audit::verify_trail(boost::json::serialize(*trail), f.ledger->verifier_key());
      REQUIRE(verified.ok());
      auto lines = eval::recompute_trail(*verified, f.ledger->verifier_key());
      REQUIRE(lines.size() >= 4);
      for (const auto& l : lines) {
        INFO(l.what << ": " << l.detail);
        CHECK(l.matches);
      }
      // Forge: the committee entry claims other members (a signed lie).
      auto forged = *verified;
      for (auto& e : forged.entries) {
        auto o = boost::json::parse(e.entry).as_object();
        if (o["type"].as_string() != "committee.drawn") continue;
        auto& members = o["payload"].as_object()["members"].as_array();
        members[0] = "expert-forged";
        e.entry = boost::json::serialize(o);
      }
      auto flines = eval::recompute_trail(forged, f.ledger->verifier_key());
      CHECK(std::any_of(flines.begin(), flines.end(), [](const auto& l) { return !l.matches; }));
      // A different key does not sign the draws' checkpoints.
      auto other = eval::recompute_trail(*verified, "other+01234567+AAAA");
      CHECK(std::any_of(other.begin(), other.end(), [](const auto& l) { return !l.matches; }));
    }
  }
}

TEST_CASE("recompute: a forged decision winner and a forged tally are detected") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](boost::json::object& r) {
    r["decision"] = {{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  });
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  auto r = f.eval->decide(d.t.market.tenderer, d.t.id);
  REQUIRE(r.ok());
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto db = f.reader();
  auto trail = audit::tender_trail(db, d.t.id, f.ledger->verifier_key(), f.clock.now_ms());
  auto verified = audit::verify_trail(boost::json::serialize(*trail), f.ledger->verifier_key());
  REQUIRE(verified.ok());
  for (const auto& l : eval::recompute_trail(*verified, f.ledger->verifier_key())) {
    CHECK(l.matches);
  }
  auto forged = *verified;
  for (auto& e : forged.entries) {
    auto o = boost::json::parse(e.entry).as_object();
    if (o["type"].as_string() == "decision.made") {
      o["payload"].as_object()["winner"] = d.bid_of[kUsccB];
    }
    if (o["type"].as_string() == "review.concluded") {
      o["payload"].as_object()["qualified"].as_array().pop_back();
    }
    e.entry = boost::json::serialize(o);
  }
  auto lines = eval::recompute_trail(forged, f.ledger->verifier_key());
  int mismatches = 0;
  for (const auto& l : lines) mismatches += l.matches ? 0 : 1;
  CHECK(mismatches == 2);
}

TEST_CASE("recompute: a report that differs from the submitted marks is detected") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](boost::json::object& r) {
    r["decision"] = {{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  });
  // After the decision: the submitted marks (review.submitted, withheld until
  // then) are in the trail to bind the report to.
  f.clock.set_ms(days_end(f.clock.now_ms(), 3));
  REQUIRE(f.eval->decide(d.t.market.tenderer, d.t.id).ok());
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto db = f.reader();
  auto trail = audit::tender_trail(db, d.t.id, f.ledger->verifier_key(), f.clock.now_ms());
  auto verified = audit::verify_trail(boost::json::serialize(*trail), f.ledger->verifier_key());
  REQUIRE(verified.ok());
  for (const auto& l : eval::recompute_trail(*verified, f.ledger->verifier_key())) {
    CHECK(l.matches);
  }
  // The report now says one member found a weakness it never submitted.
  auto forged = *verified;
  for (auto& e : forged.entries) {
    auto o = boost::json::parse(e.entry).as_object();
    if (o["type"].as_string() != "review.concluded") continue;
    auto& bids = o["payload"].as_object()["report"].as_object()["bids"].as_array();
    bids[0].as_object()["remarks"].as_array()[0].as_object()["weaknesses"] = "人员资质存疑";
    e.entry = boost::json::serialize(o);
  }
  auto lines = eval::recompute_trail(forged, f.ledger->verifier_key());
  int mismatches = 0;
  for (const auto& l : lines) {
    if (!l.matches) {
      ++mismatches;
      CHECK(l.what.find("digests") != std::string::npos);
    }
  }
  CHECK(mismatches == 1);
}
