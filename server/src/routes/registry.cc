// The registers (tender_core/registry.h): communities and their rosters,
// enterprises and their ratings, service tiers, the holiday calendar. The
// commands wait for their commit, so they run on the worker pool.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "accounts/activation.h"
#include "http/answer.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "tender_core/time.h"
#include "wire/requests.h"
#include "wire/tender_json.h"

namespace sunbid::server::routes {

Result<Response> post_communities(Ctx& c, const ReqCommunity& req) {
  SUNBID_ASSIGN_OR_RETURN(core::Community community,
                          c.s.registry.create_community(c.viewer, req.input));
  return created(community_json(community));
}

Result<Response> get_community(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::Community community, core::Registry::community(lease.db(), c.id()));
  return ok_json(community_json(community));
}

// GET /communities/{id}/roster: the roster as imported (业主名册), read-only:
// each unit with its exclusive area, owner and status, and the art. 278
// totals. The community's own tenderers (who keep the owners' register),
// the admin and supervisors; another community's tenderer is refused.
Result<Response> get_roster(Ctx& c) {
  if (c.viewer.role == "tenderer" && c.viewer.community_id != c.id()) {
    return make_error("not_tenderer_of_community",
                      "只有本小区的招标人可以查看业主名册 / only a tenderer of the community may "
                      "read its roster");
  }
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::Community community, core::Registry::community(lease.db(), c.id()));
  SUNBID_ASSIGN_OR_RETURN(std::vector<core::Unit> units,
                          core::Registry::roster_units(lease.db(), c.id()));
  boost::json::array items;
  for (const core::Unit& u : units) {
    items.push_back(
        boost::json::object{{"unit", u.unit},
                            {"area_centi_m2", u.area_centi_m2},
                            {"owner_name", u.owner_name},
                            {"status", u.status == core::UnitStatus::sold ? "sold" : "unsold"}});
  }
  boost::json::object o = community_json(community);
  o["items"] = std::move(items);
  return ok_json(o);
}

// PUT /communities/{id}/roster: the import disables the owner accounts of
// keys the roster no longer lists (accounts::disable_removed_owners, a roster
// hook); their cached sessions end with the answer.
Result<Response> put_roster(Ctx& c, const CsvBody& csv) {
  SUNBID_ASSIGN_OR_RETURN(core::RosterImport r,
                          c.s.registry.import_roster(c.viewer, c.id(), csv.text));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> disabled,
                          accounts::disabled_owner_accounts(lease.db(), c.id()));
  for (const std::string& account : disabled) c.s.sessions.erase_account(account);
  return ok_json(boost::json::object{{"units", r.totals.units},
                                     {"owners_headcount", r.totals.owners_headcount},
                                     {"total_area_centi_m2", r.totals.total_area_centi_m2},
                                     {"roster_version", r.roster_version},
                                     {"log_index", idx(r.log_index)}});
}

Result<Response> post_enterprises(Ctx& c, const ReqEnterprise& req) {
  SUNBID_ASSIGN_OR_RETURN(core::EnterpriseRegistered e,
                          c.s.registry.register_enterprise(c.viewer, req.input));
  boost::json::object o{{"uscc", e.uscc},
                        {"name", req.input.name},
                        {"pilot_exception", e.pilot_exception},
                        {"log_index", idx(e.log_index)}};
  o["warning"] = e.warning.empty() ? boost::json::value(nullptr) : boost::json::value(e.warning);
  return created(o);
}

Result<Response> put_ratings(Ctx& c, const ReqRatings& req) {
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                          c.s.registry.record_ratings(c.viewer, req.items));
  return ok_json(
      boost::json::object{{"recorded", idx(req.items.size())}, {"log_index", idx(log_index)}});
}

namespace {

boost::json::array tiers_json(const std::vector<core::ServiceTier>& tiers) {
  boost::json::array items;
  for (const auto& t : tiers) items.push_back(core::to_json(t));
  return items;
}

}  // namespace

// The whole table in one page (a handful of tiers).
Result<Response> get_service_tiers(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto tiers, core::Registry::service_tiers(lease.db()));
  return page_answer(tiers_json(tiers), std::nullopt);
}

Result<Response> put_service_tiers(Ctx& c, const ReqServiceTiers& req) {
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                          c.s.registry.replace_service_tiers(c.viewer, req.items));
  return ok_json(
      boost::json::object{{"items", tiers_json(req.items)}, {"log_index", idx(log_index)}});
}

// The platform holiday calendar (tender_core/calendar.h): public reading,
// the admin sets a new version.
Result<Response> get_calendar(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto calendar, core::Registry::calendar(lease.db()));
  return ok_json(core::to_json(calendar));
}

Result<Response> put_calendar(Ctx& c, const ReqCalendar& req) {
  SUNBID_ASSIGN_OR_RETURN(core::CalendarSet set,
                          c.s.registry.replace_calendar(c.viewer, req.calendar));
  core::HolidayCalendar stored = req.calendar;
  stored.version = set.version;
  boost::json::object out = core::to_json(stored);
  out["effective_from"] = core::format_rfc3339_ms(set.set_ms);
  out["log_index"] = idx(set.log_index);
  return ok_json(std::move(out));
}

}  // namespace sunbid::server::routes
