// EvaluationService: the due transitions applied before every command.
#include "eval_store.h"
#include "evaluation/service.h"

namespace sunbid::eval {

Status EvaluationService::catch_up(std::string_view tender) {
  SUNBID_TRY(tenders_.catch_up(tender));
  return {};
}

}  // namespace sunbid::eval
