// Decision (定标): owners' ballots, the deciding committee's votes and
// recusals, the decision, and the award once public.
#include <boost/json/object.hpp>

#include "http/answer.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "wire/eval_json.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

// Owners vote by the thousand near a window's close: the ballot is a
// ledger-async command (route.h kLedgerAsync), batched like bids.
Result<Pending> post_ballot(Ctx& c, const ReqBallot& req) {
  SUNBID_TRY(c.s.rate_limit_writes(c.call));
  return pending<eval::BallotCast>(
      [&s = c.s, viewer = c.viewer, id = c.id(), candidate = req.candidate](auto done) {
        if (auto st = require_visible(s, id, viewer); !st.ok()) return done(std::move(st).error());
        s.evaluation.cast_ballot_async(viewer, id, candidate, std::move(done));
      },
      [](eval::BallotCast b) -> Result<Response> {
        return created(boost::json::object{{"log_index", idx(b.log_index)},
                                           {"replaced", b.replaced},
                                           {"round", b.round},
                                           {"entry", std::move(b.entry)}});
      });
}

Result<Response> post_committee_vote(Ctx& c, const ReqCommitteeVote& req) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index, c.s.evaluation.committee_vote(
                                                       c.viewer, c.id(), req.candidate, req.round));
  return created(boost::json::object{{"log_index", idx(log_index)}, {"round", req.round}});
}

// A member of the deciding committee declares a conflict (legal M7).
Result<Response> post_recusal(Ctx& c, const ReqRecusal& req) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                          c.s.evaluation.declare_recusal(c.viewer, c.id(), req.reason));
  return created(boost::json::object{{"log_index", idx(log_index)}});
}

// API.md: {method, inputs, tally?, seed?, result}. Methods whose entry names
// no separate inputs (owners_vote: the ballots are their own entries; a
// pending draw) decided over the candidates.
Result<Response> post_decision(Ctx& c, const ReqDecision&) {
  SUNBID_TRY(require_visible(c));
  SUNBID_ASSIGN_OR_RETURN(eval::StageResult s, c.s.evaluation.decide(c.viewer, c.id()));
  boost::json::object o = stage_json(s, true);
  if (!o.contains("inputs")) {
    boost::json::object inputs;
    if (const auto* k = o.if_contains("candidates")) inputs["candidates"] = *k;
    o["inputs"] = std::move(inputs);
  }
  return ok_json(o);
}

// GET /tenders/{id}/award: the decision once public (EvaluationService::award).
Result<Response> get_award(Ctx& c) {
  return evaluation_read(
      c, [&](audit::Database& db, const core::TenderView& v) -> Result<Response> {
        SUNBID_ASSIGN_OR_RETURN(eval::AwardView a,
                                eval::EvaluationService::award(db, v.id, c.viewer));
        // The winner as the candidate list names it: registered name and
        // rating at the deadline, and its price.
        boost::json::value winner = nullptr;
        if (a.awarded_bid_id) {
          SUNBID_ASSIGN_OR_RETURN(auto list, eval::EvaluationService::candidate_list(db, v.id));
          for (const auto& k : list) {
            if (k.bid_id != *a.awarded_bid_id) continue;
            boost::json::object w{{"bid_id", k.bid_id}, {"bidder_uscc", k.bidder_uscc}};
            w["bidder"] = nullptr;
            if (!k.bidder_uscc.empty()) {
              SUNBID_ASSIGN_OR_RETURN(
                  w["bidder"], enterprise_json(db, k.bidder_uscc, v.bid_deadline_ms.value_or(0)));
            }
            w["price_fen_per_m2_month"] = k.price_fen_per_m2_month
                                              ? boost::json::value(*k.price_fen_per_m2_month)
                                              : boost::json::value(nullptr);
            winner = std::move(w);
          }
        }
        return ok_json(boost::json::object{{"tender_id", a.tender_id},
                                           {"status", std::string(core::to_string(a.status))},
                                           {"awarded_bid_id", or_null(a.awarded_bid_id)},
                                           {"winner", std::move(winner)},
                                           {"decision", std::move(a.decision)}});
      });
}

}  // namespace sunbid::server::routes
