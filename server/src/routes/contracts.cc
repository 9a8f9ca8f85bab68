// The contract (合同) after the award: recorded by the tenderer, public, and
// flagged to supervisors when late (招标投标法 art. 46; docs/contract.md).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "tender_core/award_notice.h"
#include "tender_core/time.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

namespace {

boost::json::object contract_json(const core::ContractRecord& r) {
  boost::json::array late;
  if (r.signed_late) late.emplace_back("signed_late");
  if (r.recorded_late) late.emplace_back("recorded_late");
  return {{"tender_id", r.tender_id},
          {"community_id", r.community_id},
          {"awarded_bid_id", r.awarded_bid_id},
          {"signed_on", r.signed_on},
          {"term_months", r.term_months},
          {"document_sha256_hex", r.document_sha256_hex},
          {"award_notice_at", core::format_rfc3339_ms(r.award_notice_ms)},
          {"due_at", core::format_rfc3339_ms(r.due_ms)},
          {"recorded_at", core::format_rfc3339_ms(r.recorded_ms)},
          {"late", std::move(late)},
          {"log_index", idx(r.log_index)}};
}

boost::json::object award_notice_json(const core::AwardNoticeRecord& r) {
  return {{"tender_id", r.tender_id},
          {"awarded_bid_id", r.awarded_bid_id},
          {"issued_at", core::format_rfc3339_ms(r.issued_ms)},
          {"contract_due_at", core::format_rfc3339_ms(r.contract_due_ms)},
          {"log_index", idx(r.log_index)},
          {"notice_log_index", idx(r.notice_index)},
          {"result_notice_log_index", idx(r.result_index)},
          {"already_issued", r.repeated}};
}

}  // namespace

// POST /tenders/{id}/award-notice: the 中标通知书 (招标投标法 art. 45), issued
// once; a repeat answers 200 with the first issue and appends nothing.
Result<Response> post_award_notice(Ctx& c, const ReqEmpty&) {
  SUNBID_ASSIGN_OR_RETURN(core::AwardNoticeRecord r,
                          core::issue_award_notice(c.s.tenders, c.ledger(), c.viewer, c.id()));
  return r.repeated ? ok_json(award_notice_json(r)) : created(award_notice_json(r));
}

Result<Response> post_contract(Ctx& c, const ReqContract& req) {
  SUNBID_ASSIGN_OR_RETURN(core::ContractRecord r,
                          c.s.tenders.record_contract(c.viewer, c.id(), req.input));
  return created(contract_json(r));
}

Result<Response> get_contract(Ctx& c) {
  SUNBID_TRY(caught_up_view(c));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(core::ContractRecord r,
                          core::TenderService::contract(lease.db(), c.id(), c.viewer));
  return ok_json(contract_json(r));
}

// GET /contract-flags?cursor=&limit=: contracts signed or recorded after the
// 30 days, oldest first; the cursor is the last item's log index.
Result<Response> get_contract_flags(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(const std::uint64_t n, list_limit(c.query()));
  SUNBID_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> after,
                          query_uint(c.query(), "cursor"));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(
      core::ContractFlagPage page,
      core::TenderService::late_contracts(lease.db(), after, static_cast<std::size_t>(n)));
  boost::json::array items;
  for (const auto& r : page.items) items.push_back(contract_json(r));
  std::optional<std::string> next;
  if (page.next_cursor) next = std::to_string(*page.next_cursor);
  return page_answer(std::move(items), next);
}

}  // namespace sunbid::server::routes
