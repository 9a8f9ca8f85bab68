// The qualitative review through the ledger: declared members only, final
// marks, hidden until their author has marked every bid, the conclusion in
// the same command as the last submission, narrowing to the cap.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "eval_fixture.h"
#include "evaluation/draw.h"
#include "tender_core/documents.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::testing;

namespace {

void two_criteria(boost::json::object& r) {
  r["criteria"] =
      boost::json::array{boost::json::object{{"code", "staffing"}, {"title", "人员配置"}},
                         boost::json::object{{"code", "plan"}, {"title", "服务方案"}}};
}

eval::ReviewInput marks(const std::string& bid, bool staffing_pass, bool plan_pass) {
  eval::ReviewInput in;
  in.bid_id = bid;
  in.marks.push_back({"staffing", staffing_pass,
                      staffing_pass ? std::nullopt : std::optional<std::string>("人员不足")});
  in.marks.push_back(
      {"plan", plan_pass, plan_pass ? std::nullopt : std::optional<std::string>("方案空泛")});
  in.strengths = "响应及时";
  return in;
}

struct Reviewing {
  OpenedTender t;
  std::vector<std::string> members;
  std::vector<std::string> reserves;
};

Reviewing start_review(EvalFixture& f, const std::vector<std::int64_t>& prices,
                       const std::function<void(boost::json::object&)>& edit = two_criteria) {
  add_pool(f, 10);
  Reviewing r;
  r.t = open_tender(f, prices, edit);
  auto drawn = f.eval->draw_committee(f.supervisor, r.t.id, "3301.25",
                                      beacon_date_for(f, r.t.id, "committee"));
  REQUIRE(drawn.ok());
  r.members = drawn->members;
  r.reserves = drawn->reserves;
  for (const auto& m : r.members) {
    REQUIRE(f.eval->declare(evaluator(m), r.t.id, true, std::nullopt).ok());
  }
  return r;
}

boost::json::object last_entry(EvalFixture& f) {
  return boost::json::parse(f.all_entries().back()).as_object();
}

}  // namespace

TEST_CASE("review: refusals, hidden marks, conclusion with the unranked candidates") {
  EvalFixture f;
  auto r = start_review(f, {230, 200, 220, 210});
  const auto& bids = r.t.bid_ids;  // by USCC: A 230, B 200, C 220, D 210
  REQUIRE(bids.size() == 4);
  auto m = [&](int i) { return evaluator(r.members[i]); };

  // Refusals change nothing.
  expect_eval_refused(
      f,
      [&] {
        return f.eval->submit_review(evaluator("nobody"), r.t.id, marks(bids[0], true, true));
      },
      "not_a_committee_member");
  {
    auto bad = marks(bids[0], true, true);
    bad.marks[1].pass = false;  // no reason
    expect_eval_refused(
        f, [&] { return f.eval->submit_review(m(0), r.t.id, bad); }, "fail_without_reason");
    bad = marks(bids[0], true, true);
    bad.marks.pop_back();
    expect_eval_refused(
        f, [&] { return f.eval->submit_review(m(0), r.t.id, bad); }, "criterion_not_marked");
    bad = marks(bids[0], true, true);
    bad.marks[1].criterion = "price";
    expect_eval_refused(
        f, [&] { return f.eval->submit_review(m(0), r.t.id, bad); }, "unknown_criterion");
    expect_eval_refused(
        f, [&] { return f.eval->submit_review(m(0), r.t.id, marks("B999", true, true)); },
        "unknown_bid");
  }

  // Member 0 marks bid 0: one entry carrying only a digest of the marks.
  auto first = expect_eval_one_entry(
      f, [&] { return f.eval->submit_review(m(0), r.t.id, marks(bids[0], true, true)); });
  CHECK(first->next == "reviewing");
  auto e = last_entry(f);
  CHECK(e["type"].as_string() == "review.submitted");
  CHECK(f.all_entries().back().find("响应及时") == std::string::npos);
  expect_eval_refused(
      f, [&] { return f.eval->submit_review(m(0), r.t.id, marks(bids[0], true, true)); },
      "already_submitted");

  // Bid D (index 3) fails "plan" with 3 of 5 members: not qualified. Bid A
  // fails "staffing" with 2 of 5: still qualified (a tie is not a majority).
  auto db = f.reader();
  for (int i = 0; i < 5; ++i) {
    for (int b = 0; b < 4; ++b) {
      if (i == 0 && b == 0) continue;
      const bool staffing = !(b == 0 && (i == 1 || i == 2));
      const bool plan = !(b == 3 && i >= 2);
      // Before member 1 finishes, member 2 cannot see member 1's marks, and
      // member 1 sees its own.
      if (i == 1 && b == 2) {
        // Member 2 has marked nothing yet: it sees no one's marks, member
        // 1's two included.
        auto seen_by_2 = eval::EvaluationService::marks_visible_to(db, r.t.id, m(2));
        REQUIRE(seen_by_2.ok());
        CHECK(seen_by_2->empty());
        auto seen_by_1 = eval::EvaluationService::marks_visible_to(db, r.t.id, m(1));
        REQUIRE(seen_by_1.ok());
        CHECK(seen_by_1->size() == 2);
        auto tenderer = eval::EvaluationService::marks_visible_to(db, r.t.id, r.t.market.tenderer);
        REQUIRE(tenderer.ok());
        CHECK(tenderer->empty());
        // The supervisor follows progress, not marks (security A8).
        auto sup = eval::EvaluationService::marks_visible_to(db, r.t.id, f.supervisor);
        REQUIRE(sup.ok());
        CHECK(sup->empty());
        auto progress = eval::EvaluationService::review_progress(db, r.t.id);
        REQUIRE(progress.ok());
        REQUIRE(progress->size() == 5);
        CHECK((*progress)[0].member == r.members[0]);
        CHECK((*progress)[0].submitted == 4);
        CHECK((*progress)[1].submitted == 2);
        CHECK((*progress)[2].submitted == 0);
        CHECK((*progress)[0].of == 4);
      }
      if (i == 2 && b == 0) {
        // Member 1 has marked everything, member 2 nothing yet: still hidden
        // from member 2 (independence), visible to member 0 who is done.
        auto seen_by_2 = eval::EvaluationService::marks_visible_to(db, r.t.id, m(2));
        REQUIRE(seen_by_2.ok());
        CHECK(seen_by_2->empty());
        auto seen_by_0 = eval::EvaluationService::marks_visible_to(db, r.t.id, m(0));
        REQUIRE(seen_by_0.ok());
        CHECK(seen_by_0->size() == 8);
        // The clearing report: members yes, the tenderer not before the end.
        CHECK(eval::EvaluationService::clearing_report(db, r.t.id, m(2)).ok());
        CHECK(eval::EvaluationService::clearing_report(db, r.t.id, r.t.market.tenderer)
                  .error()
                  .code == "not_allowed");
      }
      // The completing submission also appends the public review.concluded,
      // the 中标候选人公示's document.published and the 评标报告's (withheld).
      auto res = expect_eval_entries(f, i == 4 && b == 3 ? 4 : 1, [&] {
        return f.eval->submit_review(m(i), r.t.id, marks(bids[b], staffing, plan));
      });
      if (i == 4 && b == 3) {
        CHECK(res->next == "candidates_publicized");
        REQUIRE(res->candidates);
        // Cap 3 by lowest price among A 230, B 200, C 220: all three, sorted by id.
        std::vector<std::string> expected = {bids[0], bids[1], bids[2]};
        std::sort(expected.begin(), expected.end());
        CHECK(*res->candidates == expected);
      } else {
        CHECK(res->next == "reviewing");
      }
    }
  }
  const auto n = f.all_entries().size();
  auto notice = boost::json::parse(f.all_entries()[n - 2]).as_object();
  CHECK(notice["type"].as_string() == "document.published");
  CHECK(notice["payload"].as_object()["kind"].as_string() == "candidate_publicity");
  auto report_doc = last_entry(f);
  CHECK(report_doc["payload"].as_object()["kind"].as_string() == "evaluation_report");
  // Withheld until the decision: the seat-numbered report is not public yet.
  CHECK(public_entries_of_kind(f, "evaluation_report") == 0);
  {
    // Before the decision the documents list shows it (restricted) to those
    // who decide and supervise, and to nobody else.
    auto db = f.reader();
    const auto community = r.t.market.tenderer.community_id;
    const auto shows = [&](const core::Actor* viewer) {
      auto docs = core::tender_documents(db, r.t.id, f.clock.now_ms(), viewer);
      REQUIRE(docs.ok());
      for (const auto& d : *docs) {
        if (d.kind == "evaluation_report") return d.restricted ? 1 : 2;
      }
      return 0;
    };
    const auto owner = CoreFixture::actor("owner-1", "owner", community);
    const auto stranger = CoreFixture::actor("tenderer-x", "tenderer", "C999");
    const auto enterprise = CoreFixture::actor("ent-1", "enterprise", "");
    CHECK(shows(nullptr) == 0);
    CHECK(shows(&f.supervisor) == 1);
    CHECK(shows(&r.t.market.tenderer) == 1);
    CHECK(shows(&owner) == 1);
    CHECK(shows(&stranger) == 0);
    CHECK(shows(&enterprise) == 0);
    const auto member = evaluator(r.members[0]);
    CHECK(shows(&member) == 0);
  }
  auto concluded = boost::json::parse(f.all_entries()[n - 3]).as_object();
  CHECK(concluded["type"].as_string() == "review.concluded");
  // By the system, naming seats: the members stay confidential until the decision.
  CHECK(concluded["actor"].as_string() == "system");
  CHECK(concluded["payload"].as_object()["report"].as_object()["seats"].as_int64() == 5);
  CHECK(f.all_entries().back().find(r.members[0]) == std::string::npos);
  auto completing = boost::json::parse(f.all_entries()[n - 4]).as_object();
  CHECK(completing["type"].as_string() == "review.submitted");
  CHECK(completing["payload"].as_object()["seats"].as_array().size() == 5);
  auto& payload = concluded["payload"].as_object();
  auto& report = payload["report"].as_object()["bids"].as_array();
  REQUIRE(report.size() == 4);
  for (const auto& b : report) {
    const auto& o = b.as_object();
    if (o.at("bid_id").as_string() == bids[3]) {
      CHECK_FALSE(o.at("qualified").as_bool());
      CHECK(o.at("criteria").as_array()[1].as_object().at("fail_count").as_int64() == 3);
      CHECK(o.at("criteria").as_array()[1].as_object().at("reasons").as_array().size() == 3);
    }
    if (o.at("bid_id").as_string() == bids[0]) {
      CHECK(o.at("qualified").as_bool());
      CHECK(o.at("criteria").as_array()[0].as_object().at("fail_count").as_int64() == 2);
      CHECK(o.at("remarks").as_array().size() == 5);
    }
  }
  auto view = core::detail::unchecked_view(db, r.t.id);
  CHECK(view->status == core::TenderStatus::candidates_publicized);
  auto cands = eval::EvaluationService::candidates(db, r.t.id);
  REQUIRE(cands.ok());
  CHECK(cands->size() == 3);
  CHECK(eval::EvaluationService::clearing_report(db, r.t.id, r.t.market.tenderer).ok());
  expect_eval_refused(
      f, [&] { return f.eval->submit_review(m(0), r.t.id, marks(bids[1], true, true)); },
      "review_closed");
}

TEST_CASE("review: fewer qualified than min_valid_bids fails the tender") {
  EvalFixture f;
  auto r = start_review(f, {230, 200, 220, 0});
  for (const auto& mem : r.members) {
    for (std::size_t b = 0; b < r.t.bid_ids.size(); ++b) {
      REQUIRE(
          f.eval->submit_review(evaluator(mem), r.t.id, marks(r.t.bid_ids[b], b != 1, true)).ok());
    }
  }
  auto db = f.reader();
  CHECK(core::detail::unchecked_view(db, r.t.id)->status == core::TenderStatus::failed);
  CHECK(core::detail::unchecked_view(db, r.t.id)->end_reason == "too_few_qualified");
  // The 流标公告 right after review.concluded, in the same command, then the
  // 评标报告 by seat and with names, both public: the tender has ended
  // (docs/documents.md).
  auto all = f.all_entries();
  REQUIRE(all.size() >= 4);
  auto concluded = boost::json::parse(all[all.size() - 4]).as_object();
  CHECK(concluded["type"].as_string() == "review.concluded");
  const char* kinds[] = {"tender_failed", "evaluation_report", "evaluation_report_named"};
  for (int i = 0; i < 3; ++i) {
    auto doc = boost::json::parse(all[all.size() - 3 + i]).as_object();
    CHECK(doc["type"].as_string() == "document.published");
    CHECK(doc["payload"].as_object()["kind"].as_string() == kinds[i]);
  }
  CHECK(public_entries_of_kind(f, "evaluation_report") == 1);
  CHECK(public_entries_of_kind(f, "evaluation_report_named") == 1);
}

TEST_CASE("review: a member must declare first, one who submitted marks cannot be replaced") {
  EvalFixture f;
  add_pool(f, 10);
  auto t = open_tender(f, {230, 200, 220, 0}, two_criteria);
  auto drawn =
      f.eval->draw_committee(f.supervisor, t.id, "1.00", beacon_date_for(f, t.id, "committee"));
  REQUIRE(drawn.ok());
  const auto members = drawn->members;
  expect_eval_refused(
      f,
      [&] {
        return f.eval->submit_review(evaluator(members[0]), t.id, marks(t.bid_ids[0], true, true));
      },
      "not_declared");
  for (const auto& m : members)
    REQUIRE(f.eval->declare(evaluator(m), t.id, true, std::nullopt).ok());
  // Member 0 fails everything on bid 0: it has responded, and replacing it
  // would void marks the supervisor may dislike (security A8; this test
  // used to replace it). Member 1 has not responded and can be replaced.
  REQUIRE(
      f.eval->submit_review(evaluator(members[0]), t.id, marks(t.bid_ids[0], false, false)).ok());
  expect_eval_refused(
      f, [&] { return f.eval->replace_member(f.supervisor, t.id, members[0], "未按时响应"); },
      "member_has_submitted");
  auto rep = f.eval->replace_member(f.supervisor, t.id, members[1], "未按时响应");
  REQUIRE(rep.ok());
  CHECK(last_entry(f)["payload"].as_object()["voided_reviews"].as_int64() == 0);
  const std::string successor = *rep->successor;
  REQUIRE(f.eval->declare(evaluator(successor), t.id, true, std::nullopt).ok());
  std::vector<std::string> active{members[0]};
  active.insert(active.end(), members.begin() + 2, members.end());
  active.push_back(successor);

  std::optional<eval::StageResult> last;
  for (const auto& m : active) {
    for (const auto& b : t.bid_ids) {
      if (m == members[0] && b == t.bid_ids[0]) continue;  // marked above
      auto res = f.eval->submit_review(evaluator(m), t.id, marks(b, true, true));
      REQUIRE(res.ok());
      last = *res;
    }
  }
  CHECK(last->next == "candidates_publicized");
  // The report names seats; the completing (withheld) review.submitted maps
  // them to the active members in draw order, without the replaced member.
  CHECK(last->record["report"].as_object()["seats"].as_int64() == 5);
  // ..., review.submitted, review.concluded, two document.published
  const auto entries = f.all_entries();
  auto completing = boost::json::parse(entries[entries.size() - 4]).as_object();
  std::vector<std::string> seats;
  for (const auto& v : completing["payload"].as_object()["seats"].as_array()) {
    seats.emplace_back(v.as_string());
  }
  CHECK(seats == active);
  CHECK(last->candidates->size() == 3);
}

TEST_CASE("review: candidate cap by lottery waits for the beacon") {
  EvalFixture f;
  auto r = start_review(f, {230, 200, 220, 210}, [](boost::json::object& rules) {
    two_criteria(rules);
    rules["candidate_cap"] = 2;
    rules["candidate_cap_method"] = "lottery";
  });
  std::optional<eval::StageResult> last;
  for (const auto& m : r.members) {
    for (const auto& b : r.t.bid_ids) {
      auto res = f.eval->submit_review(evaluator(m), r.t.id, marks(b, true, true));
      REQUIRE(res.ok());
      last = *res;
    }
  }
  CHECK(last->next == "draw:candidate_cap");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->enter_beacon(f.supervisor, r.t.id, "lottery", "3310.50", "2025-07-01");
      },
      "no_pending_draw");
  expect_eval_refused(
      f,
      [&] {
        return f.eval->enter_beacon(f.supervisor, r.t.id, "candidate_cap", "3310.50",
                                    beacon_date_for(f, r.t.id, "candidate_cap"));
      },
      "checkpoint_pending");
  REQUIRE(f.ledger->publish_checkpoint().ok());
  const std::string date = beacon_date_for(f, r.t.id, "candidate_cap");
  auto drawn = expect_eval_entry_and_documents(f, {"candidate_publicity"}, [&] {
    return f.eval->enter_beacon(f.supervisor, r.t.id, "candidate_cap", "3310.50", date);
  });
  CHECK(drawn->next == "candidates_publicized");
  REQUIRE(drawn->candidates);
  CHECK(drawn->candidates->size() == 2);
  // Independently: the seed from the first checkpoint covering the conclusion,
  // then draw_among over the four qualified ids sorted by bytes.
  auto db = f.reader();
  auto cps = audit::all_checkpoints(db);
  const auto concluded_idx = static_cast<std::uint64_t>(last->log_index);
  const audit::StoredCheckpoint* cp = nullptr;
  for (const auto& c : *cps) {
    if (c.tree_size > concluded_idx) {
      cp = &c;
      break;
    }
  }
  REQUIRE(cp);
  auto seed = eval::draw_seed("candidate_cap", r.t.id, cp->root, "3310.50", date);
  std::vector<std::string> ids = r.t.bid_ids;
  std::sort(ids.begin(), ids.end());
  eval::DrawStream s(*seed);
  auto picks = s.sample(4, 2);
  std::vector<std::string> expected = {ids[picks[0]], ids[picks[1]]};
  std::sort(expected.begin(), expected.end());
  CHECK(*drawn->candidates == expected);
}
