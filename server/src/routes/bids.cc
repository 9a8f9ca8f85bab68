// Sealed bids (tender_core): the commitment, its withdrawal and its reveal
// use the service's asynchronous commands (route.h kLedgerAsync: one group
// commit batches every bid in flight); the opening record.
#include <boost/json/object.hpp>

#include "audit_log/log_store.h"
#include "http/answer.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "wire/requests.h"
#include "tender_core/registry.h"
#include "wire/tender_json.h"

namespace sunbid::server::routes {

namespace {

Result<Response> log_index_answer(std::uint64_t log_index) {
  return ok_json(boost::json::object{{"log_index", idx(log_index)}});
}

}  // namespace

Result<Pending> post_bid(Ctx& c, const ReqBidCommitment& req) {
  SUNBID_TRY(c.s.rate_limit_writes(c.call));
  return pending<core::BidReceipt>(
      [&tenders = c.s.tenders, actor = c.viewer, id = c.id(),
       commitment = req.commitment_sha256_hex](auto done) {
        tenders.submit_bid_async(actor, id, commitment, std::move(done));
      },
      [](core::BidReceipt r) -> Result<Response> {
        return created(boost::json::object{{"bid_id", r.bid_id},
                                           {"log_index", idx(r.log_index)},
                                           {"entry", r.entry},
                                           {"replaced", r.replaced}});
      });
}

Result<Pending> delete_bid(Ctx& c) {
  SUNBID_TRY(c.s.rate_limit_writes(c.call));
  return pending<std::uint64_t>(
      [&tenders = c.s.tenders, actor = c.viewer, id = c.id()](auto done) {
        tenders.withdraw_bid_async(actor, id, std::move(done));
      },
      log_index_answer);
}

Result<Pending> post_reveal(Ctx& c, const ReqBidReveal& req) {
  return pending<std::uint64_t>(
      [&tenders = c.s.tenders, actor = c.viewer, id = c.id(), req](auto done) {
        tenders.reveal_bid_async(actor, id, req.salt_hex, req.bid, std::move(done));
      },
      log_index_answer);
}

Result<Response> get_opening(Ctx& c) {
  SUNBID_TRY(caught_up_view(c));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto rows, core::TenderService::opening(lease.db(), c.id(), c.viewer));
  boost::json::array items;
  for (const auto& r : rows) {
    SUNBID_ASSIGN_OR_RETURN(auto name, core::Registry::enterprise_name(lease.db(), r.bidder_uscc));
    items.push_back(opening_row_json(r, name));
  }
  return ok_json(boost::json::object{{"tender_id", c.id()}, {"items", std::move(items)}});
}

// GET /tenders/{id}/bids/mine: the caller's own live bid with its receipt
// — the bid.committed entry's exact bytes and log index, as the POST
// answered — so the bidder re-checks it after a reload. Only the bidder's
// own (an enterprise account's USCC); bid_not_found when it has none.
Result<Response> get_own_bid(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(core::TenderView v, caught_up_view(c));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto bids, core::TenderService::bids_visible_to(lease.db(), v.id,
                                                                          c.viewer, c.now_ms()));
  for (const auto& b : bids) {
    if (c.viewer.enterprise_uscc.empty() || b.bidder_uscc != c.viewer.enterprise_uscc) continue;
    SUNBID_ASSIGN_OR_RETURN(std::string entry, audit::read_entry_bytes(lease.db(), b.receipt_index));
    boost::json::object o = bid_summary_json(b);
    o["log_index"] = idx(b.receipt_index);
    o["entry"] = std::move(entry);
    return ok_json(std::move(o));
  }
  return make_error("bid_not_found", "未找到本企业对该招标的投标 / no bid of yours for this tender");
}

}  // namespace sunbid::server::routes
