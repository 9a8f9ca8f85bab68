// JSON forms of tender_core's values in API answers (API.md "Tenders",
// "Bids", "Publicity and objections"), and of the registry's inputs. Times
// are RFC 3339 UTC with milliseconds; money, area and scores are integers.
//
// These functions only shape what they are given: what a viewer may see was
// decided before, by tender_core's views (bids_visible_to,
// objections_visible_to) — nothing here adds a bid's content or count.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "audit_log/result.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/window_plan.h"

namespace sunbid::server {

boost::json::object community_json(const core::Community& c);
boost::json::object tender_json(const core::TenderView& t);
boost::json::object window_plan_json(const core::WindowPlan& p);
boost::json::object bid_summary_json(const core::BidSummary& b);
// bidder_name: the registered name (Registry::enterprise_name), null when
// the enterprise is not registered.
boost::json::object opening_row_json(const core::OpeningRow& r,
                                     const std::optional<std::string>& bidder_name);
boost::json::object objection_json(const core::ObjectionView& o);

}  // namespace sunbid::server
