// EvaluationService's readers that join what the public (or a supervisor)
// sees of a tender's evaluation: the candidates with their bids, the award
// once public, the review with its progress.
#include "evaluation/service.h"
#include "tender_core/unchecked_reads.h"

namespace sunbid::eval {

Result<ReviewsView> EvaluationService::reviews_visible_to(audit::Database& db,
                                                          std::string_view tender,
                                                          const core::Actor& viewer) {
  ReviewsView out;
  SUNBID_ASSIGN_OR_RETURN(out.marks, marks_visible_to(db, tender, viewer));
  if (viewer.role == "supervisor") {
    // Who has submitted, not what (security A8).
    SUNBID_ASSIGN_OR_RETURN(auto progress, review_progress(db, tender));
    out.progress = std::move(progress);
  }
  return out;
}

Result<std::vector<Candidate>> EvaluationService::candidate_list(audit::Database& db,
                                                                 std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> ids, candidates(db, tender));
  SUNBID_ASSIGN_OR_RETURN(auto opening, core::detail::unchecked_opening_record(db, tender));
  std::vector<Candidate> out;
  for (auto& id : ids) {
    Candidate c{std::move(id), {}, {}};
    for (const auto& row : opening) {
      if (row.bid_id != c.bid_id) continue;
      c.bidder_uscc = row.bidder_uscc;
      if (row.bid) c.price_fen_per_m2_month = row.bid->price_fen_per_m2_month;
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<AwardView> EvaluationService::award(audit::Database& db, std::string_view tender,
                                           const core::Actor& viewer) {
  SUNBID_ASSIGN_OR_RETURN(boost::json::object d, decision(db, tender, viewer));
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v, core::detail::unchecked_view(db, tender));
  const bool decided =
      v.status == core::TenderStatus::award_publicized || v.status == core::TenderStatus::awarded ||
      (v.status == core::TenderStatus::failed && d.at("state").as_string() != "not_started");
  if (!decided) {
    return make_error("award_not_public", "尚未定标 / the award is not public yet",
                      {{"tender_id", v.id}, {"status", std::string(core::to_string(v.status))}});
  }
  return AwardView{v.id, v.status, v.awarded_bid_id, std::move(d)};
}

Result<std::optional<EvaluationService::OwnersTurnout>> EvaluationService::owners_turnout(
    audit::Database& db, std::string_view tender) {
  std::optional<OwnersTurnout> out;
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Statement * st,
                            db.cached("SELECT round, opens_ms, closes_ms FROM "
                                      "eval_vote_rounds WHERE tender_id = ? "
                                      "ORDER BY round DESC LIMIT 1"));
    st->bind(1, tender);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (row) out = OwnersTurnout{st->column_int64(0), st->column_int64(1), st->column_int64(2)};
    st->reset();
  }
  if (!out) return out;
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * totals,
                          db.cached("SELECT COALESCE(SUM(area_centi_m2), 0), COUNT(*) FROM "
                                    "eval_roster_snapshot WHERE tender_id = ?"));
  totals->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, totals->step());
  if (row) {
    out->total_area_centi_m2 = totals->column_int64(0);
    out->total_heads = totals->column_int64(1);
  }
  totals->reset();
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * part,
      db.cached("SELECT COALESCE(SUM(s.area_centi_m2), 0), COUNT(*) FROM eval_ballots b JOIN "
                "eval_roster_snapshot s ON s.tender_id = b.tender_id AND s.owner_key = "
                "b.owner_key WHERE b.tender_id = ? AND b.round = ?"));
  part->bind(1, tender).bind(2, out->round);
  SUNBID_ASSIGN_OR_RETURN(row, part->step());
  if (row) {
    out->participating_area_centi_m2 = part->column_int64(0);
    out->participating_heads = part->column_int64(1);
  }
  part->reset();
  return out;
}

}  // namespace sunbid::eval
