// The award notice (中标通知书, 招标投标法 art. 45; docs/documents.md): once
// the award publicity is over and the winner final (status awarded), the
// community's tenderer issues it, a logged action (award_notice.issued),
// and the same command publishes the notice to the winner (award_notice)
// and the result notice to every other bidder (award_result_notice). The
// contract's 30 days (art. 46, docs/contract.md) count from it. Issuing is
// idempotent: a repeat answers the first issue and appends nothing.
//
// No table of its own: the notice is its documents (tender_documents, kind
// award_notice then award_result_notice), whose document.published entries
// directly follow award_notice.issued in the same command.
//
// Thread-safety: issue_award_notice runs a ledger command (any thread, not
// inside a command); award_notice reads on a connection the caller owns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit_log/ledger.h"
#include "audit_log/result.h"
#include "audit_log/sqlite.h"
#include "tender_core/actor.h"
#include "tender_core/service.h"

namespace sunbid::core {

// The notice as issued (entry award_notice.issued; its two documents).
struct AwardNoticeRecord {
  std::string tender_id;
  std::string awarded_bid_id;
  std::int64_t issued_ms = 0;
  std::int64_t contract_due_ms = 0;  // exclusive end of the 30 days of 法 46
  std::uint64_t log_index = 0;       // award_notice.issued
  std::uint64_t notice_index = 0;    // document.published of the 中标通知书
  std::uint64_t result_index = 0;    // document.published of the 中标结果通知书
  bool repeated = false;             // answered from an earlier issue: nothing appended
};

// The community's tenderer issues the 中标通知书 of an awarded tender (the
// award publicity over, no objection pending): award_notice.issued, then
// the two documents' document.published entries, in one command. A repeat
// appends nothing and answers the first issue (repeated = true). Refuses
// award_notice_not_allowed (the tender is not awarded),
// not_tenderer_of_community, tender_not_found.
// REQUIRES: `ledger` is the one `tenders` writes through.
Result<AwardNoticeRecord> issue_award_notice(TenderService& tenders, audit::Ledger& ledger,
                                             const Actor& actor, std::string_view tender_id);

// The issued notice of `tender_id`, when there is one (public, as its entry is).
Result<std::optional<AwardNoticeRecord>> award_notice(audit::Database& db,
                                                      std::string_view tender_id);

}  // namespace sunbid::core
