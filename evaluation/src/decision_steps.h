// Internal: the decision's draw steps, called by enter_beacon for the
// purposes that belong to the decision (lottery, tie_break, runoff_tie,
// shortlist_tie, elimination_tie).
#pragma once

#include "eval_store.h"
#include "evaluation/service.h"

namespace sunbid::eval::detail {

// Runs inside enter_beacon's command after the seed was derived; fills
// `out` (next stage, record) and the payload of the command's entry.
Status resume_decision_draw(audit::WriteTxn& txn, const TenderInfo& t, const PendingDraw& pending,
                            const DrawBasis& basis, StageResult& out, boost::json::object& payload);

}  // namespace sunbid::eval::detail
