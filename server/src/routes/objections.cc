// Objections (异议) during publicity and after, and their answers.
#include <algorithm>
#include <boost/json/object.hpp>

#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "tender_core/time.h"
#include "wire/requests.h"
#include "wire/tender_json.h"

namespace sunbid::server::routes {

namespace {

// An objection's (or an answer's) text is at most max_objection_text_bytes
// (security A10): each is kept and served forever.
Status check_objection_text(const Ctx& c, const std::string& text) {
  const std::uint64_t limit = c.s.options.limits.max_objection_text_bytes;
  if (text.size() > limit) {
    return make_error("objection_too_long", "异议内容过长 / the objection text is too long",
                      {{"field", "/text"}, {"limit_bytes", idx(limit)}});
  }
  return {};
}

}  // namespace

Result<Response> post_objection(Ctx& c, const ReqText& req) {
  SUNBID_TRY(check_objection_text(c, req.text));
  SUNBID_TRY(c.s.rate_limit_writes(c.call));
  SUNBID_ASSIGN_OR_RETURN(core::ObjectionFiled o,
                          c.s.tenders.file_objection(c.viewer, c.id(), req.text));
  return created(boost::json::object{{"id", o.objection_id},
                                     {"stage", o.stage},
                                     {"log_index", idx(o.log_index)},
                                     {"answer_due", core::format_rfc3339_ms(o.answer_due_ms)}});
}

Result<Response> post_objection_answer(Ctx& c, const ReqObjectionAnswer& req) {
  SUNBID_TRY(check_objection_text(c, req.text));
  SUNBID_ASSIGN_OR_RETURN(core::ObjectionAnswered a,
                          c.s.tenders.answer_objection(c.viewer, c.id(), c.param("oid"), req.text,
                                                       req.amends_documents));
  boost::json::object out{{"log_index", idx(a.log_index)}, {"late", a.late}};
  out["deadline_moved"] = nullptr;
  if (a.deadline_moved) {
    out["deadline_moved"] = {
        {"log_index", idx(a.deadline_moved->log_index)},
        {"old_deadline", core::format_rfc3339_ms(a.deadline_moved->old_deadline_ms)},
        {"new_deadline", core::format_rfc3339_ms(a.deadline_moved->new_deadline_ms)}};
  }
  return ok_json(std::move(out));
}

// GET /tenders/{id}/objections?limit=&cursor=: in filing order, at most
// `limit` (default and largest objections_per_page) per page; the cursor is
// the id of the last objection of the previous page.
Result<Response> get_objections(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(const std::uint64_t n,
                          query_limit(c.query(), c.s.options.limits.objections_per_page));
  const std::string cursor = query_text(c.query(), "cursor");
  SUNBID_TRY(caught_up_view(c));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(
      auto list, c.s.tenders.objections_visible_to(lease.db(), c.id(), c.viewer, c.now_ms()));
  std::size_t start = 0;
  if (!cursor.empty()) {
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const core::ObjectionView& o) { return o.id == cursor; });
    if (it == list.end()) {
      return make_error("invalid_query", "游标无效 / the cursor is not valid",
                        {{"field", "cursor"}});
    }
    start = static_cast<std::size_t>(it - list.begin()) + 1;
  }
  boost::json::array items;
  std::optional<std::string> next;
  for (std::size_t i = start; i < list.size(); ++i) {
    if (items.size() == n) {
      next = list[i - 1].id;
      break;
    }
    items.push_back(objection_json(list[i]));
  }
  return page_answer(std::move(items), next);
}

}  // namespace sunbid::server::routes
