// Reads shared by the route files: a tender as the viewer may see it, after
// its due time-driven transitions (a hidden draft is tender_not_found, as an
// unknown id: TenderService::view).
//
// Thread-safety: call on a worker (catching up may wait for a commit).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "http/context.h"
#include "server/http_message.h"

namespace sunbid::server {

// After tender_core's due transitions (TenderService::catch_up).
Result<core::TenderView> caught_up_view(Ctx& c);
// After tender_core's and the evaluation's due transitions (the vote
// window: EvaluationService::catch_up).
Result<core::TenderView> caught_up_for_evaluation(Ctx& c);
// tender_not_found unless the viewer may see the tender.
Status require_visible(Ctx& c);
Status require_visible(Services& s, const std::string& id, const core::Actor& viewer);
// The tender caught up for evaluation, then `read(db, view)` over a read
// connection.
template <class Read>
Result<Response> evaluation_read(Ctx& c, Read read) {
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v, caught_up_for_evaluation(c));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  return read(lease.db(), v);
}

// An enterprise as the public registry shows it: {uscc, name (null when not
// registered), rating (null when none is in force at `at_ms`, else
// credit_grade, credit_score, star_rating, blacklisted, effective_from)}.
Result<boost::json::object> enterprise_json(audit::Database& db, const std::string& uscc,
                                            std::int64_t at_ms);

// The stored source of the tender's newest public 中标候选人公示
// (docs/documents.md `candidate_publicity`: candidates [{bid_id, …, review
// [{title, pass_seats}]}], seats); empty when none is public.
Result<boost::json::object> candidate_notice_source(audit::Database& db, const std::string& tender,
                                                    std::int64_t now_ms);

// The tender's view (tender_json) as the viewer sees it now, with the
// command's log_index.
Result<boost::json::object> view_with_log_index(Ctx& c, std::uint64_t log_index);

}  // namespace sunbid::server
