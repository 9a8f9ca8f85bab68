// Evaluation (评标): the expert pool, the committee's draw, declarations and
// replacements, the reviews, the clearing report, the candidates and the
// draws. Who may act on THIS tender (a drawn member, a supervisor) is the
// evaluation service's answer; each handler first requires that the tender
// is one the caller may see, so that a draft stays invisible (404).
#include <boost/json/object.hpp>

#include "http/answer.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "tender_core/time.h"
#include "wire/eval_json.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

// POST /experts: the pool entry of an evaluator account
// (EvaluationService::add_expert_account).
Result<Response> post_experts(Ctx& c, const ReqExpert& req) {
  SUNBID_ASSIGN_OR_RETURN(
      auto added, c.s.evaluation.add_expert_account(c.viewer, req.account_username, req.input));
  return created(boost::json::object{{"account_id", added.account_id},
                                     {"account_username", req.account_username},
                                     {"log_index", idx(added.log_index)}});
}

// PATCH /experts/{id}: a new, effective-dated version of the record of the
// evaluator account {id} (docs/committee-draw.md "Expert records").
Result<Response> patch_expert(Ctx& c, const ReqExpertUpdate& req) {
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                          c.s.evaluation.update_expert(c.viewer, c.id(), req.update));
  return ok_json(boost::json::object{{"account_id", c.id()}, {"log_index", idx(log_index)}});
}

Result<Response> post_committee_draw(Ctx& c, const ReqCommitteeDraw& req) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(
      eval::CommitteeDrawn d,
      c.s.evaluation.draw_committee(c.viewer, c.id(), req.beacon, req.beacon_date));
  return created(committee_drawn_json(d));
}

Result<Response> post_declaration(Ctx& c, const ReqDeclaration& req) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(eval::SeatChange s,
                          c.s.evaluation.declare(c.viewer, c.id(), req.no_conflict, req.detail));
  return ok_json(seat_change_json(s));
}

Result<Response> post_replace(Ctx& c, const ReqReplace& req) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(eval::SeatChange s,
                          c.s.evaluation.replace_member(c.viewer, c.id(), req.member, req.reason));
  return ok_json(seat_change_json(s));
}

Result<Response> post_review(Ctx& c, const ReqReview& req) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(eval::StageResult s,
                          c.s.evaluation.submit_review(c.viewer, c.id(), req.input));
  return created(stage_json(s, false));
}

Result<Response> post_draw(Ctx& c, const ReqDraw& req) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(
      eval::StageResult s,
      c.s.evaluation.enter_beacon(c.viewer, c.id(), req.purpose, req.beacon, req.beacon_date));
  return created(stage_json(s, true));
}

// GET /tenders/{id}/committee — 招标投标法 art. 37: the checked read
// (supervisors, the tender's own drawn evaluators; everybody else only after
// the decision).
Result<Response> get_committee(Ctx& c) {
  return evaluation_read(
      c, [&](audit::Database& db, const core::TenderView& v) -> Result<Response> {
        SUNBID_ASSIGN_OR_RETURN(auto view, eval::EvaluationService::committee(db, v.id, c.viewer));
        boost::json::object o = committee_json(view);
        o["tender_id"] = v.id;
        return ok_json(o);
      });
}

Result<Response> get_clearing_report(Ctx& c) {
  return evaluation_read(
      c, [&](audit::Database& db, const core::TenderView& v) -> Result<Response> {
        SUNBID_ASSIGN_OR_RETURN(auto report,
                                eval::EvaluationService::clearing_report(db, v.id, c.viewer));
        boost::json::object o = eval::to_json(report);
        o["tender_id"] = v.id;
        return ok_json(o);
      });
}

// GET /tenders/{id}/reviews: the marks the viewer may see (independence:
// another member's only once that member and the viewer marked every bid);
// a supervisor's progress.
Result<Response> get_reviews(Ctx& c) {
  return evaluation_read(
      c, [&](audit::Database& db, const core::TenderView& v) -> Result<Response> {
        SUNBID_ASSIGN_OR_RETURN(auto r,
                                eval::EvaluationService::reviews_visible_to(db, v.id, c.viewer));
        boost::json::object o = marks_json(r.marks);
        o["tender_id"] = v.id;
        if (r.progress) {
          boost::json::array p;
          for (const auto& m : *r.progress) {
            p.push_back({{"member", m.member}, {"submitted", idx(m.submitted)}, {"of", idx(m.of)}});
          }
          o["progress"] = std::move(p);
        }
        return ok_json(o);
      });
}

// GET /tenders/{id}/candidates: unranked, with bidders (their registered
// name and the rating in force at the deadline) and prices.
Result<Response> get_candidates(Ctx& c) {
  return evaluation_read(
      c, [&](audit::Database& db, const core::TenderView& v) -> Result<Response> {
        SUNBID_ASSIGN_OR_RETURN(auto list, eval::EvaluationService::candidate_list(db, v.id));
        // The review summary the 中标候选人公示 printed (per criterion, the
        // seats that marked it 合格): its stored source, public with it.
        SUNBID_ASSIGN_OR_RETURN(boost::json::object notice,
                                candidate_notice_source(db, v.id, c.now_ms()));
        boost::json::array items;
        for (const auto& k : list) {
          boost::json::object item{{"bid_id", k.bid_id}};
          if (!k.bidder_uscc.empty()) {
            item["bidder_uscc"] = k.bidder_uscc;
            SUNBID_ASSIGN_OR_RETURN(
                item["bidder"], enterprise_json(db, k.bidder_uscc, v.bid_deadline_ms.value_or(0)));
          }
          if (k.price_fen_per_m2_month) item["price_fen_per_m2_month"] = *k.price_fen_per_m2_month;
          if (const auto* cands = notice.if_contains("candidates"); cands && cands->is_array()) {
            for (const auto& e : cands->as_array()) {
              const auto* bid = e.is_object() ? e.as_object().if_contains("bid_id") : nullptr;
              const auto* review = e.is_object() ? e.as_object().if_contains("review") : nullptr;
              if (bid && review && bid->is_string() && bid->as_string() == k.bid_id) {
                item["review"] = *review;
              }
            }
          }
          items.push_back(std::move(item));
        }
        boost::json::object out{
            {"tender_id", v.id}, {"items", std::move(items)}, {"next_cursor", nullptr}};
        const auto* seats = notice.if_contains("seats");
        out["review_seats"] = seats && seats->is_int64() ? *seats : boost::json::value(nullptr);
        return ok_json(std::move(out));
      });
}

// GET /tenders/{id}/turnout: the owners' vote's participation, public
// during the window (no choices); round null before the vote opens.
Result<Response> get_owners_turnout(Ctx& c) {
  return evaluation_read(c, [](audit::Database& db, const core::TenderView& v) -> Result<Response> {
    SUNBID_ASSIGN_OR_RETURN(auto t, eval::EvaluationService::owners_turnout(db, v.id));
    if (!t) {
      return ok_json(boost::json::object{{"tender_id", v.id}, {"round", nullptr}});
    }
    // The tally's integer rule (owners_vote.cc): 3·part ≥ 2·total.
    return ok_json(boost::json::object{
        {"tender_id", v.id},
        {"round", t->round},
        {"opens_at", core::format_rfc3339_ms(t->opens_ms)},
        {"closes_at", core::format_rfc3339_ms(t->closes_ms)},
        {"total_area_centi_m2", t->total_area_centi_m2},
        {"total_heads", t->total_heads},
        {"participating_area_centi_m2", t->participating_area_centi_m2},
        {"participating_heads", t->participating_heads},
        {"area_quorum", 3 * t->participating_area_centi_m2 >= 2 * t->total_area_centi_m2},
        {"head_quorum", 3 * t->participating_heads >= 2 * t->total_heads}});
  });
}

}  // namespace sunbid::server::routes
