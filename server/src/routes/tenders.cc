// Tenders (tender_core/service.h): drafts, publication, amendments, the
// tenderer's and the supervisor's commands, the list and the view.
#include <boost/json/object.hpp>
#include <limits>

#include "assembly/selection_plan.h"
#include "audit_log/sqlite.h"
#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "tender_core/publicity.h"
#include "tender_core/time.h"
#include "tender_core/window_plan.h"
#include "wire/requests.h"
#include "wire/tender_json.h"

namespace sunbid::server::routes {

namespace {

Result<Response> answer_view(Ctx& c, std::uint64_t log_index) {
  SUNBID_ASSIGN_OR_RETURN(boost::json::object o, view_with_log_index(c, log_index));
  return ok_json(o);
}

}  // namespace

Result<Response> post_tenders(Ctx& c, const ReqNewTender& req) {
  SUNBID_ASSIGN_OR_RETURN(std::string id, c.s.tenders.create_draft(c.viewer, req.input));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v, core::TenderService::view(lease.db(), id, c.viewer));
  return created(tender_json(v));
}

Result<Response> patch_tender(Ctx& c, const ReqTenderPatch& req) {
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                          c.s.tenders.edit_draft(c.viewer, c.id(), req.edit));
  return answer_view(c, log_index);
}

Result<Response> post_publish(Ctx& c, const ReqEmpty&) {
  SUNBID_ASSIGN_OR_RETURN(core::Published p, c.s.tenders.publish(c.viewer, c.id()));
  SUNBID_ASSIGN_OR_RETURN(boost::json::object o, view_with_log_index(c, p.log_index));
  o["already_published"] = p.already_published;
  return ok_json(o);
}

// The windows of a draft's rules if published at `published_at` (now by
// default): the same functions publish() uses (tender_core/window_plan.h).
Result<Response> post_preview_windows(Ctx& c, const ReqWindowPlan& req) {
  const std::int64_t at = req.published_ms.value_or(c.now_ms());
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::WindowPlan p,
                          core::preview_windows(lease.db(), req.rules, c.s.tenders.settings(), at));
  // The selection plan gate publication applies (assembly/selection_plan.h),
  // for the tenderer's community.
  SUNBID_ASSIGN_OR_RETURN(core::PublishableRules checked,
                          core::publishable_rules(lease.db(), req.rules, c.s.tenders.settings()));
  SUNBID_TRY(assembly::check_selection_plan(lease.db(), c.viewer.community_id, "", checked.rules,
                                            c.s.tenders.settings().scale));
  return ok_json(window_plan_json(p));
}

Result<Response> post_amendment(Ctx& c, const ReqAmendment& req) {
  SUNBID_ASSIGN_OR_RETURN(core::Amended a,
                          c.s.tenders.amend(c.viewer, c.id(), req.text, req.new_bid_deadline_ms));
  return created(
      boost::json::object{{"log_index", idx(a.log_index)},
                          {"old_bid_deadline", core::format_rfc3339_ms(a.old_deadline_ms)},
                          {"new_bid_deadline", core::format_rfc3339_ms(a.new_deadline_ms)}});
}

Result<Response> post_cancel(Ctx& c, const ReqCancel& req) {
  SUNBID_ASSIGN_OR_RETURN(auto log_index,
                          c.s.tenders.cancel(c.viewer, c.id(), req.reason, req.rule));
  return answer_view(c, log_index);
}

Result<Response> post_suspend(Ctx& c, const ReqReason& req) {
  SUNBID_ASSIGN_OR_RETURN(auto log_index, c.s.tenders.suspend(c.viewer, c.id(), req.reason));
  return answer_view(c, log_index);
}

Result<Response> post_resume(Ctx& c, const ReqEmpty&) {
  SUNBID_ASSIGN_OR_RETURN(auto log_index, c.s.tenders.resume(c.viewer, c.id()));
  return answer_view(c, log_index);
}

Result<Response> post_extend_reveal(Ctx& c, const ReqRevealExtend& req) {
  SUNBID_ASSIGN_OR_RETURN(auto log_index,
                          c.s.tenders.extend_reveal(c.viewer, c.id(), req.seconds, req.reason));
  return answer_view(c, log_index);
}

// GET /tenders?status=&community=&district=&tier=&limit=&cursor= — in
// creation order; the cursor is the id of the last tender of the previous
// page. `community_id` is read as `community` (the name the handler took
// before the OpenAPI's was honoured).
Result<Response> get_tenders(Ctx& c) {
  core::TenderListQuery query;
  if (std::string s = query_text(c.query(), "status"); !s.empty()) {
    query.status = core::tender_status_from_string(s);
    if (!query.status) {
      return make_error("invalid_query", "状态无效 / unknown status", {{"field", "status"}});
    }
  }
  std::string community = query_text(c.query(), "community");
  if (community.empty()) community = query_text(c.query(), "community_id");
  if (!community.empty()) query.community_id = std::move(community);
  if (std::string d = query_text(c.query(), "district"); !d.empty()) query.district = std::move(d);
  if (std::string t = query_text(c.query(), "tier"); !t.empty()) query.service_tier = std::move(t);
  SUNBID_ASSIGN_OR_RETURN(const std::uint64_t n, list_limit(c.query()));
  query.limit = static_cast<std::size_t>(n);
  query.cursor = query_text(c.query(), "cursor");
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto page, core::TenderService::list(lease.db(), query, c.viewer));
  boost::json::array items;
  for (const auto& t : page.items) items.push_back(tender_json(t));
  return page_answer(std::move(items), page.next_cursor);
}

namespace {

// The view with what the viewer may see of the bids (tender_core's
// bids_visible_to): before the deadline only an enterprise's own bid, never
// a count.
Result<Response> tender_with_bids(audit::Database& db, const core::TenderView& v,
                                  const core::Actor& viewer, std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(auto bids,
                          core::TenderService::bids_visible_to(db, v.id, viewer, now_ms));
  boost::json::object o = tender_json(v);
  boost::json::array b;
  for (const auto& s : bids) b.push_back(bid_summary_json(s));
  o["bids"] = std::move(b);
  // The publicity windows (公示期) once started, as the clock applies them.
  SUNBID_ASSIGN_OR_RETURN(core::PublicityWindows w, core::publicity_windows(db, v.id));
  auto window = [](const std::optional<core::PublicityWindow>& x) -> boost::json::value {
    if (!x) return nullptr;
    boost::json::object out{{"starts_at", core::format_rfc3339_ms(x->start_ms)}};
    out["ends_at"] = x->end_ms ? boost::json::value(core::format_rfc3339_ms(*x->end_ms))
                               : boost::json::value(nullptr);
    return out;
  };
  o["candidate_publicity"] = window(w.candidates);
  o["award_publicity"] = window(w.award);
  return ok_json(o);
}

}  // namespace

// GET /tenders/{id}, the hot path: answered on the network thread from one
// read snapshot when nothing can be due — a draft has nothing time-driven,
// and a published tender nothing before its effective bid deadline
// (tender_core's catch_up contract) — and reused while no commit happened
// and the deadline has not come (TenderViewCache). Otherwise nullopt: the
// worker catches the tender up first.
Result<std::optional<Response>> get_tender_fast(Ctx& c) {
  // Read before the snapshot: the answer reflects at least these commits.
  const std::uint64_t commits = c.ledger().stats().commits;
  std::string cache_key = TenderViewCache::key(c.id(), c.viewer);
  if (auto hit = c.s.tender_views.find(cache_key, commits, c.now_ms())) return hit;
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  // One read transaction for every query below, ended on every path.
  audit::ReadTxn snap(lease.db());
  SUNBID_TRY(snap.begun());
  const std::int64_t now = c.now_ms();
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v,
                          core::TenderService::view(snap.db(), c.id(), c.viewer));
  const bool settled =
      v.status == core::TenderStatus::draft ||
      (v.status == core::TenderStatus::published && v.bid_deadline_ms && now < *v.bid_deadline_ms);
  if (!settled) return std::optional<Response>();
  SUNBID_ASSIGN_OR_RETURN(Response r, tender_with_bids(snap.db(), v, c.viewer, now));
  const std::int64_t until = v.status == core::TenderStatus::draft
                                 ? std::numeric_limits<std::int64_t>::max()
                                 : *v.bid_deadline_ms;
  c.s.tender_views.insert(std::move(cache_key), commits, until, r);
  return std::optional<Response>(std::move(r));
}

Result<Response> get_tender(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v, caught_up_view(c));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  return tender_with_bids(lease.db(), v, c.viewer, c.now_ms());
}

}  // namespace sunbid::server::routes
