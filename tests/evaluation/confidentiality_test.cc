// Confidentiality through the log (招标投标法 art. 37; ballot secrecy): the
// entries that name committee members stay withheld until the decision (or
// the tender's end) and are released in that command; ballots and committee
// votes stay withheld until their window closes or their round is decided.
// Checked on the public feed as the server serves it (audit::read_entries,
// an entry withheld at now shown as index and leaf hash only) and on the
// tender trail at now; recompute reports what a trail before the decision
// cannot check yet and checks everything after it.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "evaluation/recompute.h"
#include "trail_fixture.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

const std::vector<std::string> kCommitteeTypes = {"committee.drawn", "committee.declared",
                                                  "committee.replaced", "review.submitted"};
const std::vector<std::string> kVoteTypes = {"ballot.cast", "committee_vote.cast"};

// GET /audit/entries at now: the entries not withheld, as bytes.
std::vector<boost::json::object> public_feed(EvalFixture& f) {
  auto db = f.reader();
  auto n = audit::log_size(db);
  REQUIRE(n.ok());
  auto entries = audit::read_entries(db, 0, *n);
  REQUIRE(entries.ok());
  std::vector<boost::json::object> out;
  for (const auto& e : *entries) {
    if (e.release_at_ms && f.clock.now_ms() < *e.release_at_ms) continue;
    out.push_back(boost::json::parse(e.bytes).as_object());
  }
  return out;
}

// The tender trail at now, verified with the pinned key.
audit::VerifiedTrail trail_now(EvalFixture& f, const std::string& tender) {
  REQUIRE(f.ledger->publish_checkpoint().ok());
  auto db = f.reader();
  auto trail = audit::tender_trail(db, tender, f.ledger->verifier_key(), f.clock.now_ms());
  REQUIRE(trail.ok());
  auto verified = audit::verify_trail(boost::json::serialize(*trail), f.ledger->verifier_key());
  REQUIRE(verified.ok());
  return *verified;
}

std::set<std::string> types_of(const std::vector<boost::json::object>& entries) {
  std::set<std::string> out;
  for (const auto& e : entries) out.insert(std::string(e.at("type").as_string()));
  return out;
}

std::vector<boost::json::object> trail_objects(const audit::VerifiedTrail& t) {
  std::vector<boost::json::object> out;
  for (const auto& e : t.entries) out.push_back(boost::json::parse(e.entry).as_object());
  return out;
}

bool has_any(const std::set<std::string>& types, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return types.count(w) > 0; });
}

// No public entry but the platform-wide pool (expert.added) names an expert.
void no_expert_named(const std::vector<boost::json::object>& entries) {
  for (const auto& e : entries) {
    if (e.at("type") == "expert.added") continue;
    const std::string bytes = boost::json::serialize(e);
    INFO(bytes);
    CHECK(bytes.find("expert-") == std::string::npos);
  }
}

struct Lines {
  int matched = 0;
  int pending = 0;
  int mismatched = 0;
};

Lines recompute(EvalFixture& f, const audit::VerifiedTrail& t) {
  Lines out;
  for (const auto& l : eval::recompute_trail(t, f.ledger->verifier_key())) {
    INFO(l.what << ": " << l.detail);
    if (l.pending) {
      CHECK_FALSE(l.matches);
      ++out.pending;
    } else if (l.matches) {
      ++out.matched;
    } else {
      ++out.mismatched;
    }
  }
  return out;
}

constexpr const char* kRoster =
    "unit,area_centi_m2,owner_key,owner_name,status\n"
    "1-101,3000,O1,甲,sold\n1-102,3000,O2,乙,sold\n1-103,3000,O3,丙,sold\n";

}  // namespace

TEST_CASE(
    "confidentiality: the committee is withheld until the decision, ballots until the "
    "window closes") {
  EvalFixture f;
  auto d = to_candidates(f, {200, 210, 220, 230}, [](boost::json::object& r) {
    r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", false}};
  });
  const auto community = d.t.market.tenderer.community_id;
  REQUIRE(f.registry->import_roster(f.admin, community, kRoster).ok());

  // During the candidate publicity: the candidates and the evaluation report
  // (by seat) are public; nothing names an expert.
  auto feed = public_feed(f);
  no_expert_named(feed);
  CHECK_FALSE(has_any(types_of(feed), kCommitteeTypes));
  const auto concluded = std::find_if(
      feed.begin(), feed.end(), [](const auto& e) { return e.at("type") == "review.concluded"; });
  REQUIRE(concluded != feed.end());
  CHECK(concluded->at("actor") == "system");
  CHECK(concluded->at("index").as_int64() == static_cast<std::int64_t>(d.concluded_index));
  const auto& report = concluded->at("payload").at("report").as_object();
  CHECK(report.at("seats").as_int64() == 5);
  CHECK(report.at("bids").as_array().size() == 4);
  CHECK(report.at("bids").as_array()[0].at("remarks").as_array()[0].at("seat").as_int64() == 1);
  CHECK(concluded->at("payload").at("candidates").as_array().size() == 3);
  auto before = trail_now(f, d.t.id);
  no_expert_named(trail_objects(before));
  auto lines = recompute(f, before);
  CHECK(lines.mismatched == 0);
  // The committee draw, the decision participants' exclusion from it, the
  // report against the submitted marks' digests.
  CHECK(lines.pending == 3);

  // Readers: the public and the tenderer see neither the committee nor who marked what.
  auto db = f.reader();
  const auto pub = CoreFixture::actor("someone", "public");
  CHECK(eval::EvaluationService::committee(db, d.t.id, pub).error().code == "not_allowed");
  CHECK(eval::EvaluationService::committee(db, d.t.id, d.t.market.tenderer).error().code ==
        "not_allowed");
  CHECK(eval::EvaluationService::committee(db, d.t.id, f.supervisor).ok());
  auto marks = eval::EvaluationService::marks_visible_to(db, d.t.id, pub);
  REQUIRE(marks.ok());
  REQUIRE(marks->size() == 20);
  for (const auto& m : *marks) CHECK(m.member.find("expert-") == std::string::npos);

  // The vote window (open at the end of the 15-day publicity that announced
  // it, 物业管理条例 12): ballots are withheld until it closes.
  f.clock.set_ms(days_end(f.clock.now_ms(), 15));
  REQUIRE(f.eval->catch_up(d.t.id).ok());
  const auto A = d.bid_of[kUsccA];
  for (const char* k : {"O1", "O2", "O3"}) {
    auto o = CoreFixture::actor(std::string("owner-") + k, "owner", community);
    o.owner_key = k;
    REQUIRE(f.eval->cast_ballot(o, d.t.id, A).ok());
  }
  f.clock.set_ms(days_end(f.clock.now_ms(), 7) - 1);
  feed = public_feed(f);
  CHECK_FALSE(has_any(types_of(feed), kVoteTypes));
  CHECK_FALSE(has_any(types_of(trail_objects(trail_now(f, d.t.id))), kVoteTypes));
  f.clock.advance_ms(1);  // the window closes: the ballots are public, the committee is not
  feed = public_feed(f);
  CHECK(types_of(feed).count("ballot.cast") == 1);
  CHECK_FALSE(has_any(types_of(feed), kCommitteeTypes));
  no_expert_named(feed);

  // The decision releases the committee in the same command.
  auto r = f.eval->decide(d.t.market.tenderer, d.t.id);
  REQUIRE(r.ok());
  CHECK(r->winner == A);
  feed = public_feed(f);
  for (const auto& t : kCommitteeTypes) {
    if (t != "committee.replaced") CHECK(types_of(feed).count(t) == 1);
  }
  for (const auto& e : feed) {
    if (e.at("type") == "review.submitted" && e.at("payload").as_object().contains("seats")) {
      CHECK(e.at("index").as_int64() + 1 == static_cast<std::int64_t>(d.concluded_index));
    }
  }
  CHECK(eval::EvaluationService::committee(db, d.t.id, pub).ok());
  auto after = trail_now(f, d.t.id);
  CHECK(after.entries.size() > before.entries.size() + 3 + 5 + 20);
  lines = recompute(f, after);
  CHECK(lines.mismatched == 0);
  CHECK(lines.pending == 0);
  CHECK(lines.matched >= 8);

  // A trail from after the decision that leaves out the (released)
  // committee.drawn entry is not "pending": recompute names it a mismatch.
  audit::VerifiedTrail cut = after;
  const auto drawn = std::find_if(cut.entries.begin(), cut.entries.end(), [](const auto& e) {
    return boost::json::parse(e.entry).at("type") == "committee.drawn";
  });
  REQUIRE(drawn != cut.entries.end());
  cut.entries.erase(drawn);
  bool named = false;
  for (const auto& l : eval::recompute_trail(cut, f.ledger->verifier_key())) {
    CHECK_FALSE(l.pending);
    if (!l.matches && l.detail.find("left out of the trail although released") != std::string::npos)
      named = true;
  }
  CHECK(named);
}

TEST_CASE("confidentiality: committee votes are public once their round is decided") {
  EvalFixture f;
  auto voting = committee_voting(f, 5);
  auto& d = voting.d;
  const auto& voters = voting.voters;
  const auto A = d.bid_of[kUsccA];
  for (const auto& v : voters) REQUIRE(f.eval->committee_vote(v, d.t.id, A, 1).ok());
  // Everyone voted, the window is still open: nothing of the votes is public.
  CHECK_FALSE(has_any(types_of(public_feed(f)), kVoteTypes));
  auto r = f.eval->decide(d.t.market.tenderer, d.t.id);
  REQUIRE(r.ok());
  CHECK(r->winner == A);
  auto feed = public_feed(f);
  CHECK(std::count_if(feed.begin(), feed.end(),
                      [](const auto& e) { return e.at("type") == "committee_vote.cast"; }) == 5);
  CHECK(types_of(feed).count("committee.drawn") == 1);
  auto lines = recompute(f, trail_now(f, d.t.id));
  CHECK(lines.mismatched == 0);
  CHECK(lines.pending == 0);
}

TEST_CASE("confidentiality: a suspension does not release the committee, a cancellation does") {
  EvalFixture f;
  add_pool(f, 10);
  auto t = open_tender(f, {200, 210, 220, 230}, [](boost::json::object& r) {
    r["decision"] = {{"method", "lowest_price"}};
    r["vote_window_s"] = 0;
  });
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "3301.25", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  REQUIRE(f.eval->declare(evaluator(drawn->members[0]), t.id, true, std::nullopt).ok());
  REQUIRE(f.service->suspend(f.supervisor, t.id, "系统维护").ok());
  REQUIRE(f.service->resume(f.supervisor, t.id).ok());
  auto feed = public_feed(f);
  CHECK_FALSE(has_any(types_of(feed), kCommitteeTypes));
  no_expert_named(feed);
  {
    auto db = f.reader();
    auto entries = audit::read_entries(db, drawn->log_index, drawn->log_index + 1);
    REQUIRE(entries.ok());
    CHECK(entries->at(0).release_at_ms == audit::kReleaseAtEvent);
  }
  REQUIRE(f.service->cancel(t.market.tenderer, t.id, "业主大会决定不再选聘").ok());
  feed = public_feed(f);
  CHECK(types_of(feed).count("committee.drawn") == 1);
  CHECK(types_of(feed).count("committee.declared") == 1);
  auto db = f.reader();
  CHECK(eval::EvaluationService::committee(db, t.id, CoreFixture::actor("x", "public")).ok());
}
