#include "evaluation/vote_proximity.h"

namespace sunbid::eval {

Result<bool> owners_vote_near(audit::Database& db, std::string_view community_id,
                              std::int64_t now_ms, std::int64_t horizon_ms) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * rounds,
      db.cached("SELECT 1 FROM eval_vote_rounds r JOIN tenders t ON t.id = r.tender_id "
                "WHERE t.community_id = ?1 AND t.decision_method = 'owners_vote' "
                "AND r.opens_ms <= ?2 AND (r.closes_ms > ?3 OR r.paused_ms IS NOT NULL) LIMIT 1"));
  rounds->bind(1, community_id).bind(2, horizon_ms).bind(3, now_ms);
  SUNBID_ASSIGN_OR_RETURN(bool open_round, rounds->step());
  rounds->reset();
  if (open_round) return true;
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * scheduled,
      db.cached("SELECT 1 FROM tenders t WHERE t.community_id = ?1 AND t.decision_method = "
                "'owners_vote' AND (t.status IN ('candidates_publicized', 'deciding') OR "
                "(t.status = 'suspended' AND t.suspended_from IN ('candidates_publicized', "
                "'deciding'))) AND NOT EXISTS (SELECT 1 FROM eval_vote_rounds r WHERE "
                "r.tender_id = t.id) LIMIT 1"));
  scheduled->bind(1, community_id);
  SUNBID_ASSIGN_OR_RETURN(bool pending, scheduled->step());
  scheduled->reset();
  return pending;
}

}  // namespace sunbid::eval
