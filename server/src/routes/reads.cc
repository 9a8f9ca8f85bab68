#include "routes/reads.h"

#include <boost/json/parse.hpp>

#include "http/answer.h"
#include "tender_core/documents.h"
#include "tender_core/registry.h"
#include "tender_core/time.h"
#include "wire/tender_json.h"

namespace sunbid::server {

namespace {

// Catches an existing, published tender up with `catch_up`, then reads it
// again (a draft has nothing due).
template <class CatchUp>
Result<core::TenderView> caught_up(Ctx& c, CatchUp catch_up) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v,
                          core::TenderService::view(lease.db(), c.id(), c.viewer));
  if (v.status == core::TenderStatus::draft) return v;
  SUNBID_TRY(catch_up(c.id()));
  return core::TenderService::view(lease.db(), c.id(), c.viewer);
}

}  // namespace

Result<core::TenderView> caught_up_view(Ctx& c) {
  return caught_up(c, [&](const std::string& id) { return c.s.tenders.catch_up(id); });
}

Result<core::TenderView> caught_up_for_evaluation(Ctx& c) {
  return caught_up(c, [&](const std::string& id) { return c.s.evaluation.catch_up(id); });
}

Status require_visible(Ctx& c) {
  return require_visible(c.s, c.id(), c.viewer);
}

Status require_visible(Services& s, const std::string& id, const core::Actor& viewer) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, s.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v, core::TenderService::view(lease.db(), id, viewer));
  (void)v;
  return {};
}

Result<boost::json::object> view_with_log_index(Ctx& c, std::uint64_t log_index) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v,
                          core::TenderService::view(lease.db(), c.id(), c.viewer));
  boost::json::object o = tender_json(v);
  o["log_index"] = idx(log_index);
  return o;
}

Result<boost::json::object> enterprise_json(audit::Database& db, const std::string& uscc,
                                            std::int64_t at_ms) {
  SUNBID_ASSIGN_OR_RETURN(auto name, core::Registry::enterprise_name(db, uscc));
  SUNBID_ASSIGN_OR_RETURN(auto rating, core::Registry::rating_as_of(db, uscc, at_ms));
  boost::json::value r = nullptr;
  if (rating) {
    r = boost::json::object{{"credit_grade", rating->credit_grade},
                            {"credit_score", rating->credit_score},
                            {"star_rating", rating->star_rating},
                            {"blacklisted", rating->blacklisted},
                            {"effective_from", core::format_rfc3339_ms(rating->effective_from_ms)}};
  }
  return boost::json::object{{"uscc", uscc}, {"name", or_null(name)}, {"rating", std::move(r)}};
}

Result<boost::json::object> candidate_notice_source(audit::Database& db, const std::string& tender,
                                                    std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(auto docs, core::tender_documents(db, tender, now_ms));
  boost::json::object out;
  for (const auto& d : docs) {  // by log index: the newest notice last
    if (d.kind != core::kCandidatePublicityKind) continue;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(d.source_json, ec);
    if (!ec && v.is_object()) out = std::move(v.as_object());
  }
  return out;
}

}  // namespace sunbid::server
