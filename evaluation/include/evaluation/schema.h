// The evaluation module's tables in sunbid.db (migration version 4; versions
// are global to the file: audit_log 1, tender_core 2, server 3, evaluation 4).
//
//   eval_experts          专家库: the expert pool (account, specialties,
//                         employer, declared relations)
//   eval_committee        per tender: drawn members (seat order) and the
//                         ordered reserve list, declarations, replacements
//   eval_reviews          one row per (tender, member, bid): the member's
//                         final marks and remarks; void once replaced
//   eval_review_state     per tender: the review's outcome once concluded
//   eval_pending_draws    a draw waiting for its beacon (purpose, the index
//                         of the entry that fixed its inputs, its context)
//   eval_draws            every draw made: seed, beacon, checkpoint used
//   eval_clearing         清标 report per tender (computed at the draw)
//   eval_vote_rounds      per tender and round: window, roster digest,
//                         candidates, voters (committee methods); paused_ms
//                         while a suspension that began inside it lasts (13)
//   eval_roster_snapshot  owners' weights copied when the vote window opens
//   eval_ballots          the current ballot per (tender, round, owner_key)
//   eval_committee_votes  one vote per (tender, round, tenderer account)
//   eval_decisions        per tender: the decision's state and result, and
//                         the index of its decision.made entry (migration 13)
//   eval_decision_voters  committee_vote / vote_then_lottery: the community's
//                         tenderer accounts frozen at publication (13)
//
// Migration 15 (issue 11): eval_experts gains `title` (职称);
//   eval_expert_versions  every version of an expert record, effective-dated
//                         (effective_ms) and ordered by the log index that
//                         recorded it; the draw reads the records as of the
//                         entry that fixed its inputs
//   eval_pool_commitments per tender and purpose: the committed list of
//                         eligible experts (salts, records, order), private
//                         until the decision releases it in committee.drawn
//
// Thread-safety: pure data.
#pragma once

#include <vector>

#include "audit_log/ledger.h"

namespace sunbid::eval {

inline constexpr int kEvaluationSchemaVersion = 4;
// The decision binds (issue 11): eval_decisions.log_index (the decision
// entry, so a repeated POST /decision answers the stored result),
// eval_vote_rounds.paused_ms (a suspension began inside the open window),
// eval_decision_voters (committee_vote voters frozen at publication).
inline constexpr int kDecisionBindsMigration = 13;
inline constexpr int kExpertHistorySchemaVersion = 15;
// Recusals of the deciding committee (legal M7): eval_decision_recusals.
inline constexpr int kDecisionRecusalsMigration = 24;

std::vector<audit::Migration> evaluation_migrations();

}  // namespace sunbid::eval
