// Property test of recompute_trail: random tenders (pool size and conflicts,
// committee size, bidders and prices, declines and replacements, marks,
// candidate cap method, decision method, ballots and committee votes) are
// driven through EvaluationService; each trail is exported and verified with
// the pinned key, and every recomputed line must match. Then each single
// mutation of a draw or decision input (a signed lie: the trail is changed
// after its signature check) must make recompute fail on the entry that
// carries or consumes that input.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "audit_log/trail.h"
#include "evaluation/recompute.h"
#include "tender_core/unchecked_reads.h"
#include "trail_fixture.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

namespace json = boost::json;

constexpr int kTenders = 12;

const std::vector<std::string> kMethods = {"lowest_price",   "lottery",           "composite_score",
                                           "committee_vote", "vote_then_lottery", "owners_vote"};

// The pool: `plain` experts without conflicts, some employed by or related to
// a bidder, and one account that is also a tenderer (takes part in the decision).
void add_random_pool(EvalFixture& f, std::mt19937& rng, int plain) {
  const std::string usccs[] = {kUsccA, kUsccB, kUsccC, kUsccD, kUsccPilot};
  for (int i = 0; i < plain; ++i) {
    eval::ExpertInput e;
    e.account = "expert-" + std::to_string(100 + i);
    e.specialties = {rng() % 2 ? "物业管理" : "财务"};
    if (rng() % 3 == 0) e.related_usccs.push_back("91110000100000008J");  // not a bidder
    REQUIRE(f.eval->add_expert(f.admin, e).ok());
  }
  const int conflicted = static_cast<int>(rng() % 4);
  for (int i = 0; i < conflicted; ++i) {
    eval::ExpertInput e;
    e.account = "expert-c" + std::to_string(i);
    e.specialties = {"法律"};
    if (rng() % 2) {
      e.employer_uscc = usccs[rng() % 5];
    } else {
      e.related_usccs = {usccs[rng() % 5], usccs[rng() % 5]};
    }
    REQUIRE(f.eval->add_expert(f.admin, e).ok());
  }
  eval::ExpertInput t;
  t.account = "tenderer-2";
  t.specialties = {"物业管理"};
  REQUIRE(f.eval->add_expert(f.admin, t).ok());
}

eval::ReviewInput random_marks(std::mt19937& rng, const std::string& bid) {
  eval::ReviewInput in;
  in.bid_id = bid;
  const bool pass = rng() % 5 != 0;
  in.marks.push_back({"staffing", pass, pass ? std::nullopt : std::optional<std::string>("不足")});
  if (rng() % 3 == 0) in.strengths = "经验丰富";
  return in;
}

// One random tender from publication to its end; returns its verified trail.
audit::VerifiedTrail run_tender(EvalFixture& f, std::mt19937& rng, const std::string& method) {
  add_random_pool(f, rng, 4 + static_cast<int>(rng() % 9));
  auto market = setup_market(f);
  const auto community = market.tenderer.community_id;
  REQUIRE(f.registry->import_roster(f.admin, community, kNineUnitRoster).ok());
  const int bidders = 3 + static_cast<int>(rng() % 2);
  std::vector<std::int64_t> prices;
  for (int i = 0; i < bidders; ++i) prices.push_back(180 + static_cast<std::int64_t>(rng() % 6));
  const bool cap_lottery = rng() % 2 == 0;
  const int committee_size = rng() % 3 == 0 ? 7 : 5;
  // The deciding committee is known at the bid closing, when the pool list
  // (without the decision's participants) is committed.
  f.set_tenderers(community, {market.tenderer.account, "tenderer-2", "tenderer-3"});
  auto t = open_tender(
      f, prices,
      [&](json::object& r) {
        r["committee_size"] = committee_size;
        r["candidate_cap"] = 2 + static_cast<int>(rng() % 2);
        r["candidate_cap_method"] = cap_lottery ? "lottery" : "lowest_price";
        set_decision_rules(r, method, rng() % 2 ? "lowest" : "mean", 100, rng() % 2 == 0);
      },
      market);
  // The deciding committee frozen at publication (odd, >= 5).
  f.set_tenderers(
      community, {market.tenderer.account, "tenderer-2", "tenderer-3", "tenderer-4", "tenderer-5"});
  int beacon = 3000 + static_cast<int>(rng() % 1000);
  auto drawn = f.eval->draw_committee(f.supervisor, t.id, std::to_string(beacon++) + ".00",
                                      beacon_date_for(f, t.id, "committee"));
  auto db = f.reader();
  if (drawn.ok()) {
    std::optional<eval::StageResult> last;
    // Declarations: now and then a member declines and the next reserve sits.
    std::vector<std::string> seated;
    std::vector<std::string> queue = drawn->members;
    while (!queue.empty()) {
      const std::string m = queue.front();
      queue.erase(queue.begin());
      const bool has_reserve =
          !eval::EvaluationService::committee(db, t.id, f.supervisor)->reserves.empty();
      const bool decline = has_reserve && rng() % 6 == 0;
      auto seat = f.eval->declare(evaluator(m), t.id, !decline, std::nullopt);
      REQUIRE(seat.ok());
      if (decline) {
        queue.push_back(*seat->successor);
      } else {
        seated.push_back(m);
      }
    }
    // Now and then the supervisor replaces a member who has not responded
    // (补抽; one who submitted marks cannot be replaced, security A8).
    for (std::size_t i = 0; i < seated.size(); ++i) {
      const std::string m = seated[i];
      const bool has_reserve =
          !eval::EvaluationService::committee(db, t.id, f.supervisor)->reserves.empty();
      if (has_reserve && rng() % 6 == 0) {
        auto seat = f.eval->replace_member(f.supervisor, t.id, m, "未按时评审");
        REQUIRE(seat.ok());
        REQUIRE(f.eval->declare(evaluator(*seat->successor), t.id, true, std::nullopt).ok());
        seated.push_back(*seat->successor);
        continue;
      }
      for (const auto& b : t.bid_ids) {
        auto res = f.eval->submit_review(evaluator(m), t.id, random_marks(rng, b));
        if (!res.ok()) FAIL(res.error().to_string());
        last = *res;
      }
    }
    REQUIRE(last.has_value());
    satisfy_draws(f, t.id, *last, beacon);
    if (core::detail::unchecked_view(db, t.id)->status ==
        core::TenderStatus::candidates_publicized) {
      auto cands = *eval::EvaluationService::candidates(db, t.id);
      f.clock.set_ms(days_end(f.clock.now_ms(), method == "owners_vote" ? 15 : 3));
      REQUIRE(f.eval->catch_up(t.id).ok());
      for (int round = 1; round <= 4; ++round) {
        if (method == "owners_vote") {
          for (const char* k : {"O1", "O2", "O3", "O4", "O5", "DEV"}) {
            auto o = CoreFixture::actor(std::string("owner-") + k, "owner", community);
            o.owner_key = k;
            for (int times = 1 + static_cast<int>(rng() % 2); times > 0; --times) {
              auto choice = rng() % 4 == 0
                                ? std::nullopt
                                : std::optional<std::string>(cands[rng() % cands.size()]);
              (void)f.eval->cast_ballot(o, t.id, choice);  // a run-off refuses the eliminated
            }
          }
          f.clock.set_ms(days_end(f.clock.now_ms(), 7));
        } else if (method == "committee_vote" || method == "vote_then_lottery") {
          for (const auto& account : f.tenderers(community)) {
            auto v = CoreFixture::actor(account, "tenderer", community);
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
  } else {
    REQUIRE(drawn.error().code == "too_few_experts");
  }
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto trail = audit::tender_trail(db, t.id, f.ledger->verifier_key(), f.clock.now_ms());
  REQUIRE(trail.ok());
  auto verified = audit::verify_trail(json::serialize(*trail), f.ledger->verifier_key());
  REQUIRE(verified.ok());
  return *verified;
}

struct Mutation {
  std::string name;
  std::size_t entry = 0;             // position in the trail
  std::string expect_failing_entry;  // "entry N " prefix or an entry type to be named
  std::function<void(json::object& payload)> change;
};

std::string entry_prefix(std::uint64_t index) {
  return "entry " + std::to_string(index) + " ";
}

std::vector<Mutation> mutations_of(const audit::VerifiedTrail& trail) {
  std::vector<Mutation> out;
  std::map<std::pair<std::int64_t, std::string>, std::size_t> last_ballot;  // (round, owner)
  for (std::size_t i = 0; i < trail.entries.size(); ++i) {
    const auto o = json::parse(trail.entries[i].entry).as_object();
    const std::string type(o.at("type").as_string());
    const auto& p = o.at("payload").as_object();
    const std::string here = entry_prefix(trail.entries[i].index);
    if (type == "committee.drawn") {
      const auto pool_size = p.at("pool").as_array().size();
      out.push_back({"pool employer", i, here, [pool_size](json::object& q) {
                       q["pool"].as_array()[pool_size / 2].as_object()["employer_uscc"] = kUsccB;
                     }});
      out.push_back({"pool specialty", i, here, [](json::object& q) {
                       q["pool"].as_array()[0].as_object()["specialties"] = {"伪造"};
                     }});
      out.push_back({"pool without an expert", i, here, [pool_size](json::object& q) {
                       auto& a = q["pool"].as_array();
                       a.erase(a.begin() + static_cast<std::ptrdiff_t>(pool_size - 1));
                     }});
      out.push_back({"excluded accounts", i, here, [](json::object& q) {
                       auto& a = q["inputs"].as_object()["excluded_accounts"].as_array();
                       a.erase(std::find(a.begin(), a.end(), json::value("tenderer-2")));
                     }});
      out.push_back({"bidders", i, here, [](json::object& q) {
                       q["inputs"].as_object()["bidder_usccs"].as_array().pop_back();
                     }});
      out.push_back({"exclusion dropped", i, here,
                     [](json::object& q) { q["exclusions"].as_array().pop_back(); }});
      out.push_back({"committee beacon", i, here,
                     [](json::object& q) { q["draw"].as_object()["beacon"] = "9999.99"; }});
      out.push_back({"committee beacon date", i, here,
                     [](json::object& q) { q["draw"].as_object()["beacon_date"] = "2020-01-01"; }});
      out.push_back({"committed list salt", i, here, [](json::object& q) {
                       q["list"].as_array()[0].as_object()["salt"] = std::string(64, '0');
                     }});
      out.push_back({"committed list order", i, here, [](json::object& q) {
                       auto& l = q["list"].as_array();
                       std::swap(l[0], l[l.size() - 1]);
                     }});
      out.push_back({"member", i, here, [](json::object& q) {
                       auto& m = q["members"].as_array();
                       auto& r = q["reserves"].as_array();
                       if (r.empty()) {
                         m[0] = "expert-forged";
                       } else {
                         std::swap(m[0], r[0]);
                       }
                     }});
    }
    if (type == "review.concluded" && !p.at("qualified").as_array().empty()) {
      out.push_back(
          {"qualified", i, here, [](json::object& q) { q["qualified"].as_array().pop_back(); }});
    }
    if (type == "draw.made") {
      out.push_back({"draw beacon", i, here,
                     [](json::object& q) { q["draw"].as_object()["beacon"] = "9999.99"; }});
    }
    if ((type == "decision.made" || type == "draw.made") && p.if_contains("result") &&
        p.at("result") == "award") {
      out.push_back({"winner", i, here, [](json::object& q) { q["winner"] = "bid-forged"; }});
    }
    if (type == "ballot.cast") {
      last_ballot[{p.at("round").as_int64(), std::string(p.at("owner").as_string())}] = i;
    }
    if (type == "committee_vote.cast") {
      out.push_back({"committee vote", i, "decision.made",
                     [](json::object& q) { q["bid_id"] = "bid-forged"; }});
    }
  }
  for (const auto& [key, i] : last_ballot) {
    const auto o = json::parse(trail.entries[i].entry).as_object();
    const bool abstained = o.at("payload").at("choice") == "abstain";
    // Only a ballot counted by a logged tally can be caught by it.
    out.push_back({"ballot choice", i, "decision.made", [abstained](json::object& q) {
                     q["choice"] = abstained ? "bid-forged" : "abstain";
                   }});
    break;  // one ballot per tender keeps the runtime down
  }
  return out;
}

}  // namespace

TEST_CASE("recompute property: random tenders recompute, every single mutation is caught") {
  int mutations = 0, with_committee = 0;
  std::set<std::string> reasons_seen;
  for (int n = 0; n < kTenders; ++n) {
    const std::string method = kMethods[static_cast<std::size_t>(n) % kMethods.size()];
    {
      // One generator per tender: a failing tender reruns alone from its number.
      std::mt19937 rng(20250802u + static_cast<unsigned>(n));
      INFO("tender " << n << " method " << method);
      EvalFixture f;
      const auto trail = run_tender(f, rng, method);
      const auto lines = eval::recompute_trail(trail, f.ledger->verifier_key());
      for (const auto& l : lines) {
        INFO(l.what << ": " << l.detail);
        CHECK(l.matches);
      }
      for (const auto& e : trail.entries) {
        const auto o = json::parse(e.entry).as_object();
        if (o.at("type") != "committee.drawn") continue;
        ++with_committee;
        for (const auto& x : o.at("payload").at("exclusions").as_array()) {
          reasons_seen.insert(std::string(x.at("reason").as_string()));
        }
        CHECK(std::count_if(lines.begin(), lines.end(), [](const auto& l) {
                return l.what.find("expert pool digest") != std::string::npos ||
                       l.what.find("committee exclusions") != std::string::npos ||
                       l.what.find("decision participants excluded") != std::string::npos;
              }) == 3);
      }
      for (const auto& m : mutations_of(trail)) {
        auto forged = trail;
        auto o = json::parse(forged.entries[m.entry].entry).as_object();
        m.change(o["payload"].as_object());
        forged.entries[m.entry].entry = json::serialize(o);
        const auto flines = eval::recompute_trail(forged, f.ledger->verifier_key());
        const bool caught = std::any_of(flines.begin(), flines.end(), [&](const auto& l) {
          return !l.matches && (m.expect_failing_entry.rfind("entry ", 0) == 0
                                    ? l.what.rfind(m.expect_failing_entry, 0) == 0
                                    : l.what.find(m.expect_failing_entry) != std::string::npos);
        });
        INFO("mutation " << m.name << " of trail entry " << trail.entries[m.entry].index);
        CHECK(caught);
        ++mutations;
      }
    }
  }
  // The random tenders did exercise what they are meant to.
  CHECK(with_committee >= kTenders - 2);
  CHECK(mutations >= 8 * with_committee);
  CHECK(reasons_seen.count("takes_part_in_decision") == 1);
  CHECK(reasons_seen.size() == 3);
}
