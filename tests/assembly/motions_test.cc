// Owners' assembly motions (业主大会议题): thresholds by matter item at their
// exact boundaries, the notice and window minimums, the lifecycle through
// the ledger, ballot secrecy, replacement, turnout, the roster lock, the
// tally at the close, and refusals that change nothing.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "motion_fixture.h"
#include "accounts/schema.h"
#include "assembly/motion.h"
#include "assembly/motion_service.h"
#include "assembly/recompute_motion.h"
#include "assembly/schema.h"
#include "audit_log/log_store.h"
#include "evaluation/schema.h"
#include "tender_core/calendar.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"

namespace sunbid::testing {
namespace {

using assembly::MotionBallot;
using assembly::MotionInput;
using assembly::MotionStatus;

std::vector<eval::OwnerWeight> owners_of(int n, std::int64_t area = 100) {
  std::vector<eval::OwnerWeight> out;
  for (int i = 0; i < n; ++i) out.push_back({"K" + std::to_string(100 + i), area});
  return out;
}

MotionStatus outcome(int matter_item, int owners, const std::vector<std::string>& choices) {
  std::vector<MotionBallot> ballots;
  for (std::size_t i = 0; i < choices.size(); ++i)
    ballots.push_back({"K" + std::to_string(100 + i), choices[i]});
  auto t = assembly::tally_motion(owners_of(owners), 100LL * owners, owners, {"for", "against"},
                                  matter_item, ballots);
  REQUIRE(t.ok());
  return t->outcome;
}

TEST_CASE("thresholds follow the matter item at their exact bounds", "[motions]") {
  // Quorum: 2 of 3 (exactly 2/3 of area and heads) is enough, 1 of 2... not.
  CHECK(outcome(4, 3, {"for", "for"}) == MotionStatus::passed);
  CHECK(outcome(4, 4, {"for", "for"}) == MotionStatus::failed_quorum);  // 1/2 < 2/3
  CHECK(outcome(4, 6, {"for", "for", "for"}) == MotionStatus::failed_quorum);
  // Majority items: exactly half of the participants is not more than half.
  CHECK(outcome(4, 6, {"for", "for", "against", "against"}) == MotionStatus::rejected);
  CHECK(outcome(1, 6, {"for", "for", "for", "against"}) == MotionStatus::passed);
  CHECK(outcome(9, 6, {"for", "for", "abstain", "against"}) == MotionStatus::rejected);
  // Items 6-8: at least 3/4 of the participants; exactly 3/4 passes.
  for (int item : {6, 7, 8}) {
    CHECK(outcome(item, 6, {"for", "for", "for", "against"}) == MotionStatus::passed);
    CHECK(outcome(item, 6, {"for", "for", "for", "abstain"}) == MotionStatus::passed);
    CHECK(outcome(item, 6, {"for", "for", "against", "against", "for"}) ==
          MotionStatus::rejected);  // 3/5 < 3/4
  }
  // A matter of item 5 with the same 3/5 passes: more than half.
  CHECK(outcome(5, 6, {"for", "for", "against", "against", "for"}) == MotionStatus::passed);
  CHECK(assembly::approval_for(4) == eval::Approval::kMajority);
  CHECK(assembly::approval_for(6) == eval::Approval::kThreeQuarters);
  CHECK(assembly::approval_for(9) == eval::Approval::kMajority);
}

TEST_CASE("area and headcount must both reach the thresholds", "[motions]") {
  // 3 owners: K100 holds 400 of 600, the others 100 each.
  std::vector<eval::OwnerWeight> w = {{"K100", 400}, {"K101", 100}, {"K102", 100}};
  // The big owner alone: 2/3 of the area, 1/3 of the heads: no quorum.
  auto t = assembly::tally_motion(w, 600, 3, {"for", "against"}, 4, {{"K100", "for"}});
  REQUIRE(t.ok());
  CHECK(t->outcome == MotionStatus::failed_quorum);
  CHECK(t->vote.area_quorum);
  CHECK_FALSE(t->vote.head_quorum);
  // Two small owners for, the big one against: heads 2/3 but area 200/600.
  t = assembly::tally_motion(w, 600, 3, {"for", "against"}, 4,
                             {{"K100", "against"}, {"K101", "for"}, {"K102", "for"}});
  REQUIRE(t.ok());
  CHECK(t->outcome == MotionStatus::rejected);
  // Exact 3/4 of area AND heads: 4 owners of 100 + ... participation 400.
  std::vector<eval::OwnerWeight> four = owners_of(4);
  t = assembly::tally_motion(
      four, 400, 4, {"for", "against"}, 7,
      {{"K100", "for"}, {"K101", "for"}, {"K102", "for"}, {"K103", "against"}});
  REQUIRE(t.ok());
  CHECK(t->outcome == MotionStatus::passed);
  // A list of choices passes with the choice that reaches the threshold.
  t = assembly::tally_motion(owners_of(3), 300, 3, {"A", "B"}, 4,
                             {{"K100", "B"}, {"K101", "B"}, {"K102", "A"}});
  REQUIRE(t.ok());
  CHECK(t->outcome == MotionStatus::passed);
  CHECK(t->winner == "B");
}

TEST_CASE("motion requests: window minimum 7 days, matter items, options", "[motions]") {
  MotionInput in{"选聘物业", "议题内容", assembly::MotionKind::general, 4, std::nullopt, 7, {}};
  CHECK(assembly::validate(in).ok());
  in.window_days = 6;
  auto st = assembly::validate(in);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "motion_window_too_short");
  in.window_days = 7;
  for (int bad : {0, 10}) {
    in.matter_item = bad;
    st = assembly::validate(in);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "motion_invalid");
  }
  in.matter_item = 3;
  in.kind = assembly::MotionKind::selection_plan;
  in.plan = boost::json::object{{"tier", "T2"}};
  CHECK_FALSE(assembly::validate(in).ok());  // a selection plan is item 4
  in.matter_item = 4;
  CHECK_FALSE(assembly::validate(in).ok());  // and its plan is complete (selection_plan.h)
  in.plan = boost::json::parse(R"({"tier":"T2","budget_fen_per_m2_month":{"min":150,"max":300},
      "contract_term_months":36,"thresholds":{"min_credit_grade":"A","min_star_rating":3},
      "decision":{"method":"lowest_price"}})")
                .as_object();
  CHECK(assembly::validate(in).ok());
  in.kind = assembly::MotionKind::general;
  in.plan.reset();
  in.options = std::vector<std::string>{"A", "abstain"};
  CHECK_FALSE(assembly::validate(in).ok());
  in.options = std::vector<std::string>{"A", "A"};
  CHECK_FALSE(assembly::validate(in).ok());
}

TEST_CASE("the window opens no earlier than the 16th China day after the notice", "[motions]") {
  // Noticed 2025-06-01 23:59 China time: days 1-15 are 06-02..06-16.
  const std::int64_t notice = ms("2025-06-01T15:59:00Z");
  CHECK(assembly::earliest_opening_ms(notice) == ms("2025-06-16T16:00:00Z"));
  CHECK(assembly::earliest_opening_ms(ms("2025-06-01T16:00:00Z")) == ms("2025-06-17T16:00:00Z"));
}


TEST_CASE("a motion from draft to passed through the ledger", "[motions]") {
  MotionFixture f;
  auto m = f.motions->create(f.tenderer, f.community, plain_motion());
  REQUIRE(m.ok());
  CHECK(m->status == MotionStatus::draft);
  const std::string id = m->id;

  SECTION("a draft is the tenderer's, and its entry is withheld") {
    auto db = f.reader();
    CHECK_FALSE(assembly::MotionService::motion(db, id, f.owners[0]).ok());
    CHECK(assembly::MotionService::motion(db, id, f.tenderer).ok());
    CHECK_FALSE(assembly::MotionService::turnout(db, id).ok());
  }

  // Notice: an opening 15 days later is too early; refusals change nothing.
  const std::string before = f.state();
  auto early = f.motions->give_notice(f.tenderer, id, f.clock.now_ms() + 15 * kDayMs);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == "motion_notice_too_short");
  auto other = f.motions->give_notice(CoreFixture::actor("t-9", "tenderer", "C99"), id, {});
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().code == "motion_not_found");  // a draft is not theirs to see
  CHECK(f.state() == before);

  auto noticed = f.motions->give_notice(f.tenderer, id, std::nullopt);
  REQUIRE(noticed.ok());
  CHECK(noticed->status == MotionStatus::noticed);
  // Noticed 2025-06-02 10:00 China time: opens 2025-06-18 00:00 China time.
  CHECK(*noticed->opens_ms == ms("2025-06-17T16:00:00Z"));

  // Before the opening: no ballot.
  auto too_soon = f.motions->cast_ballot(f.owners[0], id, "for");
  REQUIRE_FALSE(too_soon.ok());
  CHECK(too_soon.error().code == "vote_window_closed");

  f.clock.set_ms(*noticed->opens_ms);
  auto b1 = f.motions->cast_ballot(f.owners[0], id, "against");
  REQUIRE(b1.ok());
  CHECK_FALSE(b1->replaced);
  // The receipt: the owner's own entry bytes, with its choice and index.
  CHECK(b1->entry.find("\"choice\":\"against\"") != std::string::npos);
  CHECK(b1->entry.find("\"index\":" + std::to_string(b1->log_index)) != std::string::npos);
  CHECK(b1->entry.find("\"K1\"") == std::string::npos);  // the key only as a digest

  {
    auto db = f.reader();
    auto v = assembly::MotionService::motion(db, id, f.owners[0]);
    REQUIRE(v.ok());
    CHECK(v->status == MotionStatus::open);
    CHECK(*v->total_heads == 4);
    // 7 calendar days from 06-18 (a Wednesday): day 7 is 06-25 (Wednesday),
    // ends 24:00 China time.
    CHECK(*v->closes_ms == ms("2025-06-25T16:00:00Z"));
  }

  // The roster is locked while the motion is open; the refusal changes nothing.
  auto reimport = f.registry->import_roster(f.admin, f.community, MotionFixture::kRoster);
  REQUIRE_FALSE(reimport.ok());
  CHECK(reimport.error().code == "roster_locked_by_vote");

  // Refusals: a choice that is no option, an owner of another community or
  // off the roster.
  const std::string mid = f.state();
  auto bad = f.motions->cast_ballot(f.owners[1], id, "maybe");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "motion_choice_invalid");
  core::Actor stranger = CoreFixture::actor("owner-x", "owner", f.community);
  stranger.owner_key = "K9";
  auto off = f.motions->cast_ballot(stranger, id, "for");
  REQUIRE_FALSE(off.ok());
  CHECK(off.error().code == "owner_not_on_roster");
  auto not_owner = f.motions->cast_ballot(f.tenderer, id, "for");
  REQUIRE_FALSE(not_owner.ok());
  CHECK(not_owner.error().code == "not_owner");
  auto cancel_open = f.motions->cancel(f.tenderer, id, std::nullopt);
  REQUIRE_FALSE(cancel_open.ok());
  CHECK(cancel_open.error().code == "motion_wrong_status");
  CHECK(f.state() == mid);

  // K1 changes its mind; K2 and K3 vote for.
  auto b1again = f.motions->cast_ballot(f.owners[0], id, "for");
  REQUIRE(b1again.ok());
  CHECK(b1again->replaced);
  REQUIRE(f.motions->cast_ballot(f.owners[1], id, "for").ok());
  REQUIRE(f.motions->cast_ballot(f.owners[2], id, "abstain").ok());

  {
    // Turnout, public: 3 of 4 owners, 30000 of 40000 centi-m²; no choices.
    auto db = f.reader();
    auto t = assembly::MotionService::turnout(db, id);
    REQUIRE(t.ok());
    CHECK(t->participating_heads == 3);
    CHECK(t->participating_area_centi_m2 == 30000);
    CHECK(t->area_quorum);
    CHECK(t->head_quorum);
    // Secrecy: every ballot entry is withheld until the close.
    auto st = db.prepare("SELECT COUNT(*) FROM audit_withheld WHERE release_at_ms = " +
                         std::to_string(ms("2025-06-25T16:00:00Z")));
    REQUIRE(st.ok());
    REQUIRE(*st->step());
    CHECK(st->column_int64(0) == 4);
    auto v = assembly::MotionService::motion(db, id, f.owners[0]);
    REQUIRE(v.ok());
    CHECK_FALSE(v->result);
  }

  // The close: the platform's tick tallies once. 2 for of 3 participating
  // (abstention included): more than half of area and heads.
  f.clock.set_ms(ms("2025-06-25T16:00:00Z"));
  std::vector<assembly::MotionTickFailure> failures;
  auto applied = f.motions->tick(failures);
  REQUIRE(applied.ok());
  CHECK(*applied == 1);
  CHECK(failures.empty());
  auto late = f.motions->cast_ballot(f.owners[3], id, "for");
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == "vote_window_closed");
  {
    auto db = f.reader();
    auto v = assembly::MotionService::motion(db, id, f.owners[0]);
    REQUIRE(v.ok());
    CHECK(v->status == MotionStatus::passed);
    REQUIRE(v->result);
    CHECK(v->result->at("outcome").as_string() == "passed");
    CHECK(v->result->at("tally").as_object().at("participating_heads").as_int64() == 3);
    // The 表决结果公告 (docs/documents.md): published right after motion.closed,
    // a document of the subject motion:<id>, public, in the motion's trail.
    auto docs = core::tender_documents(db, core::motion_document_subject(id), f.clock.now_ms());
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 1);
    const auto& d = docs->front();
    CHECK(d.kind == core::kMotionResultKind);
    auto source = boost::json::parse(d.source_json).as_object();
    CHECK(source["motion_id"].as_string() == id);
    CHECK(source["outcome"].as_string() == "passed");
    CHECK(source["tally"] == v->result->at("tally"));
    CHECK(source["options"].as_array().at(0).as_object().at("approved").as_bool());
    CHECK_FALSE(source["options"].as_array().at(1).as_object().at("approved").as_bool());
    auto entries = audit::read_entries(db, d.log_index - 1, d.log_index + 1);
    REQUIRE(entries.ok());
    auto closed = boost::json::parse(entries->at(0).bytes).as_object();
    auto published = boost::json::parse(entries->at(1).bytes).as_object();
    CHECK(closed["type"].as_string() == "motion.closed");
    CHECK(published["type"].as_string() == "document.published");
    CHECK(published["tender"].is_null());
    CHECK(published["payload"].as_object()["motion_id"].as_string() == id);
    CHECK_FALSE(published["payload"].as_object().contains("tender_id"));
    CHECK(published["payload"].as_object()["source_sha256"].as_string() == d.source_sha256_hex);
  }
  // A second tick does nothing; the roster may be replaced again.
  applied = f.motions->tick(failures);
  REQUIRE(applied.ok());
  CHECK(*applied == 0);
  CHECK(f.registry->import_roster(f.admin, f.community, MotionFixture::kRoster).ok());
}

TEST_CASE("a special matter (item 7) fails below 3/4 and without quorum", "[motions]") {
  MotionFixture f;
  auto m = f.motions->create(f.tenderer, f.community, plain_motion(7));
  REQUIRE(m.ok());
  auto n = f.motions->give_notice(f.tenderer, m->id, std::nullopt);
  REQUIRE(n.ok());
  f.clock.set_ms(*n->opens_ms + 1000);
  SECTION("2 for, 1 against: 2/3 < 3/4, rejected") {
    REQUIRE(f.motions->cast_ballot(f.owners[0], m->id, "for").ok());
    REQUIRE(f.motions->cast_ballot(f.owners[1], m->id, "for").ok());
    REQUIRE(f.motions->cast_ballot(f.owners[2], m->id, "against").ok());
    f.clock.set_ms(f.clock.now_ms() + 30 * kDayMs);
    REQUIRE(f.motions->catch_up(m->id).ok());
    auto db = f.reader();
    CHECK(assembly::MotionService::motion(db, m->id, f.owners[0])->status ==
          MotionStatus::rejected);
  }
  SECTION("2 of 4 owners: failed_quorum") {
    REQUIRE(f.motions->cast_ballot(f.owners[0], m->id, "for").ok());
    REQUIRE(f.motions->cast_ballot(f.owners[1], m->id, "for").ok());
    f.clock.set_ms(f.clock.now_ms() + 30 * kDayMs);
    REQUIRE(f.motions->catch_up(m->id).ok());
    auto db = f.reader();
    CHECK(assembly::MotionService::motion(db, m->id, f.owners[0])->status ==
          MotionStatus::failed_quorum);
  }
}

TEST_CASE("a motion is cancelled before it opens, and stays so", "[motions]") {
  MotionFixture f;
  auto m = f.motions->create(f.tenderer, f.community, plain_motion());
  REQUIRE(m.ok());
  REQUIRE(f.motions->give_notice(f.tenderer, m->id, std::nullopt).ok());
  auto c = f.motions->cancel(f.tenderer, m->id, std::string("方案需修改"));
  REQUIRE(c.ok());
  CHECK(c->status == MotionStatus::cancelled);
  f.clock.set_ms(f.clock.now_ms() + 60 * kDayMs);
  std::vector<assembly::MotionTickFailure> failures;
  auto applied = f.motions->tick(failures);
  REQUIRE(applied.ok());
  CHECK(*applied == 0);
  auto again = f.motions->cancel(f.tenderer, m->id, std::nullopt);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "motion_wrong_status");
}


TEST_CASE("the motion's trail recomputes its tally, and names a mismatch", "[motions]") {
  MotionFixture f;
  auto m = f.motions->create(f.tenderer, f.community, plain_motion(6));
  REQUIRE(m.ok());
  auto n = f.motions->give_notice(f.tenderer, m->id, std::nullopt);
  REQUIRE(n.ok());
  f.clock.set_ms(*n->opens_ms);
  REQUIRE(f.motions->cast_ballot(f.owners[0], m->id, "against").ok());
  REQUIRE(f.motions->cast_ballot(f.owners[0], m->id, "for").ok());  // replaces
  REQUIRE(f.motions->cast_ballot(f.owners[1], m->id, "for").ok());
  REQUIRE(f.motions->cast_ballot(f.owners[2], m->id, "for").ok());
  f.clock.set_ms(f.clock.now_ms() + 30 * kDayMs);
  REQUIRE(f.motions->catch_up(m->id).ok());

  audit::VerifiedTrail t = motion_trail(f, m->id);
  // created, noticed, opened, 4 ballots, closed, the 表决结果公告's
  // document.published; no `tender` on any.
  REQUIRE(t.entries.size() == 9);
  for (const auto& e : t.entries) CHECK(e.entry.find("\"tender\":null") != std::string::npos);
  auto lines = assembly::recompute_motion_trail(t);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].matches);
  CHECK(lines[0].detail.find("passed") != std::string::npos);

  // A trail whose last ballot of K2 said against instead: the logged tally
  // no longer follows (3/4 of 3 owners fails), and the line says so.
  for (auto& e : t.entries) {
    if (e.entry.find("motion.ballot_cast") != std::string::npos && e.index == t.entries[4].index) {
      const auto at = e.entry.find("\"choice\":\"for\"");
      REQUIRE(at != std::string::npos);
      e.entry.replace(at, 16, "\"choice\":\"against\"");
    }
  }
  lines = assembly::recompute_motion_trail(t);
  REQUIRE(lines.size() == 1);
  CHECK_FALSE(lines[0].matches);
  CHECK(lines[0].what.find("motion.closed") != std::string::npos);
}

}  // namespace
}  // namespace sunbid::testing
