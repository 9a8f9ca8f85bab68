// EvaluationService: the due transitions applied before every command.
#include "eval_store.h"
#include "evaluation/service.h"

namespace sunbid::eval {

Status EvaluationService::catch_up(std::string_view tender) {
  SUNBID_TRY(tenders_.catch_up(tender));
  SUNBID_TRY(commit_pool_if_due(tender));
  SUNBID_TRY(open_vote_if_due(tender));
  SUNBID_TRY(decide_if_due(tender));
  return {};
}

}  // namespace sunbid::eval
