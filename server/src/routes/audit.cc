// The audit log (audit_log): the signed checkpoint, the verifier key, the
// public entries, inclusion and consistency proofs, a tender's trail; and the
// access record for supervisors (access_record.h).
#include <boost/json/object.hpp>

#include "accounts/access_record.h"
#include "audit_log/log_store.h"
#include "audit_log/merkle.h"
#include "audit_log/trail.h"
#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "server/limits.h"

namespace sunbid::server::routes {

Result<Response> get_checkpoint(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto cp, audit::latest_checkpoint(lease.db()));
  if (!cp) {
    return make_error("checkpoint_not_found",
                      "尚无已签名的检查点 / no checkpoint has been signed yet");
  }
  return text_response(cp->note);
}

Result<Response> get_key(Ctx& c) {
  return text_response(c.ledger().verifier_key());
}

// GET /audit/entries?start=&end=: entries are embedded byte for byte, so the
// served text is the stored one; a page ends early once it holds
// max_page_bytes (security A10).
Result<Response> get_entries(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto start, query_uint(c.query(), "start"));
  SUNBID_ASSIGN_OR_RETURN(auto end, query_uint(c.query(), "end"));
  const limits::Settings& l = c.s.options.limits;
  const std::uint64_t s = start.value_or(0);
  std::uint64_t e = end.value_or(s + l.max_entries_per_page);
  if (e < s) {
    return make_error("invalid_query", "end 不得小于 start / end must not be below start",
                      {{"field", "end"}});
  }
  e = std::min(e, s + l.max_entries_per_page);
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto page,
                          audit::public_entries(lease.db(), s, e, c.now_ms(), l.max_page_bytes));
  std::string out = "{\"items\":[";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) out += ',';
    out += page.items[i];
  }
  out += "],\"log_size\":" + std::to_string(page.log_size) + ",\"next_cursor\":";
  out += page.next < page.log_size ? std::to_string(page.next) : std::string("null");
  out += '}';
  Response r;
  r.body = std::move(out);
  return r;
}

// GET /access-record?start=&limit=: logins and logouts, for supervisors.
// Records are served as their exact bytes, so the chain can be checked
// against the daily public commitments.
Result<Response> get_access_record(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto start, query_uint(c.query(), "start"));
  SUNBID_ASSIGN_OR_RETURN(auto limit, query_uint(c.query(), "limit"));
  const std::uint64_t n = limit.value_or(limits::kMaxEntriesPerPage);
  if (n < 1 || n > limits::kMaxEntriesPerPage) {
    return make_error("invalid_query", "limit 须为 1 至 1000 / limit must be 1 to 1000",
                      {{"field", "limit"}});
  }
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto page,
                          accounts::read_access_record(lease.db(), start.value_or(0), n));
  boost::json::array items;
  for (const auto& it : page.items) {
    items.emplace_back(boost::json::object{
        {"seq", idx(it.seq)}, {"record", it.record}, {"hash", hex_encode(it.hash)}});
  }
  const std::uint64_t next = start.value_or(0) + page.items.size();
  return ok_json(
      boost::json::object{{"items", std::move(items)},
                          {"size", idx(page.size)},
                          {"head_sha256", hex_encode(page.head)},
                          {"next_cursor", next < page.size ? boost::json::value(idx(next))
                                                           : boost::json::value(nullptr)}});
}

namespace {

// A required query number (`invalid_query` when absent).
Result<std::uint64_t> required_uint(const Query& query, const std::string& name) {
  SUNBID_ASSIGN_OR_RETURN(auto v, query_uint(query, name));
  if (!v) {
    return make_error("invalid_query", "缺少 " + name + " / " + name + " is required",
                      {{"field", name}});
  }
  return *v;
}

}  // namespace

Result<Response> get_inclusion(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t index, required_uint(c.query(), "index"));
  SUNBID_ASSIGN_OR_RETURN(auto size, query_uint(c.query(), "tree_size"));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto a, audit::prove_inclusion(lease.db(), index, size));
  return ok_json(boost::json::object{{"index", idx(a.index)},
                                     {"tree_size", idx(a.tree_size)},
                                     {"leaf_hash", hex_encode(a.leaf)},
                                     {"proof", hex_list(a.proof)},
                                     {"checkpoint", a.checkpoint.note}});
}

Result<Response> get_consistency(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t first, required_uint(c.query(), "first"));
  SUNBID_ASSIGN_OR_RETURN(auto second, query_uint(c.query(), "second"));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto a, audit::prove_consistency(lease.db(), first, second));
  return ok_json(boost::json::object{{"first", idx(a.first)},
                                     {"second", idx(a.second)},
                                     {"proof", hex_list(a.proof)},
                                     {"first_checkpoint", a.first_checkpoint.note},
                                     {"checkpoint", a.checkpoint.note}});
}

// GET /tenders/{id}/trail?tree_size=&cursor=&limit=: the tender's released
// entries with their inclusion proofs, a page at a time against one
// checkpoint (audit_log/trail.h tender_trail_page): the first page is against
// the newest; the next pages name its tree_size and the cursor.
Result<Response> get_trail(Ctx& c) {
  audit::TrailPageRequest page;
  SUNBID_ASSIGN_OR_RETURN(page.tree_size, query_uint(c.query(), "tree_size"));
  SUNBID_ASSIGN_OR_RETURN(page.after, query_uint(c.query(), "cursor"));
  SUNBID_ASSIGN_OR_RETURN(page.limit,
                          query_limit(c.query(), c.s.options.limits.max_trail_entries_per_page));
  SUNBID_TRY(caught_up_view(c));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(
      boost::json::object trail,
      audit::tender_trail_page(lease.db(), c.id(), c.ledger().verifier_key(), c.now_ms(), page));
  return ok_json(trail);
}

}  // namespace sunbid::server::routes
