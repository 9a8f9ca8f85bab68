// EvaluationService::tick: what the platform does by itself as time passes.
#include "evaluation/service.h"
#include "tender_core/unchecked_reads.h"

namespace sunbid::eval {

Result<int> EvaluationService::tick(std::int64_t now_ms, std::vector<core::TickFailure>& failures) {
  SUNBID_ASSIGN_OR_RETURN(int applied, tenders_.tick(now_ms, &failures));
  // Evaluation's steps: the deciding tenders (a vote window to open, a
  // closed vote to decide), and the tenders whose bidding has closed
  // without the committee's pool list committed yet.
  std::vector<std::string> due;
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger_.open_reader());
    SUNBID_ASSIGN_OR_RETURN(auto deciding, core::detail::unchecked_list(
                                               db, core::TenderStatus::deciding, std::nullopt));
    for (const auto& t : deciding) due.push_back(t.id);
    for (auto status : {core::TenderStatus::reveal, core::TenderStatus::opened}) {
      SUNBID_ASSIGN_OR_RETURN(auto closed, core::detail::unchecked_list(db, status, std::nullopt));
      for (const auto& t : closed) {
        SUNBID_ASSIGN_OR_RETURN(bool committed, pool_committed(db, t.id));
        if (!committed) due.push_back(t.id);
      }
    }
  }
  for (const auto& id : due) {
    if (auto st = catch_up(id); !st.ok()) failures.push_back({id, std::move(st).error()});
  }
  return applied;
}

}  // namespace sunbid::eval
