// JSON forms of the evaluation endpoints' answers (API.md "Evaluation",
// "Decision"), built from the evaluation service's results (the request
// bodies are wire/requests.h). The answer builders only shape what they are given: what a viewer
// may see was decided by the service's readers (marks_visible_to, decision).
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "evaluation/service.h"

namespace sunbid::server {

boost::json::object committee_drawn_json(const eval::CommitteeDrawn& d);
boost::json::object seat_change_json(const eval::SeatChange& s);
boost::json::object committee_json(const eval::CommitteeView& v);
// {log_index, next, candidates?, winner?}; with `with_record` also every
// member of the entry's payload (the decision's method, inputs, tally,
// seed, result; a draw's record).
boost::json::object stage_json(const eval::StageResult& s, bool with_record);
boost::json::object marks_json(const std::vector<eval::MarksView>& marks);

}  // namespace sunbid::server
