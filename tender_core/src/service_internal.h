// Internal helpers of TenderService's commands (service*.cc).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "tender_core/actor.h"
#include "tender_core/credit.h"
#include "tender_store.h"

namespace sunbid::core::detail {

// Release by event, not by time (issue 11). The release instants of entries
// withheld until an event of their tender rather than an instant; both are
// distinct from every real instant and from audit::kReleaseAtEvent (the
// committee's, released at the decision or when the tender ends):
// - bid entries (bid.committed, bid.withdrawn): until the transition that
//   opens the reveal window. A tender that fails unopened (fewer bidders than
//   its floor) or is cancelled never releases them, so nobody learns who bid;
//   amendments and suspensions need not move them.
// - a draft's entries (tender.drafted, tender.edited, and tender.cancelled of
//   a draft): until publication; a draft never published stays unseen.
inline constexpr std::int64_t kReleaseAtRevealOpening = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kReleaseAtPublication = std::numeric_limits<std::int64_t>::max() - 2;

// The 流标公告 (issue 14 §1): inside the command that failed the tender,
// after its tender.failed entry, stores the notice's source and appends its
// document.published entry from `draft` (the failing actor's, or the
// system's). `reason_text` is what the notice prints as the reason: never a
// count of bidders ("fewer than three bidders", not how many).
// `failed_ms`: the failure's instant (the PDF's dates).
Status publish_failure_notice(audit::WriteTxn& txn, audit::EntryDraft draft, const TenderRow& row,
                              std::string_view reason, std::string_view reason_text,
                              std::int64_t failed_ms);

// The 补遗/更正公告 (issue 14 §1): inside the command that amended the
// tender, after its tender.amended entry, stores the notice's source and
// appends its document.published entry from `draft`. `amended_ms`: the
// amendment's instant (the PDF's dates).
Status publish_amendment_notice(audit::WriteTxn& txn, audit::EntryDraft draft, const TenderRow& row,
                                std::int64_t amendment, std::string_view text,
                                std::int64_t old_deadline_ms, std::int64_t new_deadline_ms,
                                std::int64_t amended_ms);

// The 开标记录表 (issue 14 §1): inside the tick's command that wrote the
// opening record, after its tender.opened entry: every bidder at the
// deadline with its name, price (valid bids), document digests and
// valid/invalid with the reason; appends document.published (actor system).
// `opened_ms`: the reveal window's close (the PDF's dates).
Status publish_opening_notice(audit::WriteTxn& txn, const TenderRow& row, std::int64_t opened_ms);

// The 中标通知书 and the 中标结果通知书 (issue 14 §1): inside the tenderer's
// award-notice command, after its award_notice.issued entry, stores both
// sources and appends their document.published entries (actor the
// tenderer, who issues them). `issued_ms` is the notice's instant (the PDFs'
// dates), `contract_due_ms` the end of the contract's 30 days. Returns the
// two entries' indices (notice, result notice).
Result<std::pair<std::uint64_t, std::uint64_t>> publish_award_letters(
    audit::WriteTxn& txn, const Actor& actor, const TenderRow& row, std::int64_t issued_ms,
    std::int64_t contract_due_ms, std::int64_t contract_days);

// The members every notice's source starts with: kind, format 1, tender_id,
// title, community and tenderer (docs/documents.md).
Result<boost::json::object> notice_source(audit::Database& db, const TenderRow& row,
                                          std::string_view kind);

Status require_tenderer(const Actor& actor, const TenderRow& row);
Status require_supervisor(const Actor& actor);
Status require_text(std::string_view text, std::string_view code, std::string_view what_zh,
                    std::string_view what_en);

// A rating as entries and refusals show it: {credit_grade, credit_score,
// star_rating, blacklisted, effective_from}, or null when none is in force.
boost::json::value rating_json(const std::optional<CreditRating>& rating);

// The qualification failures of `rating` against the tender's frozen
// thresholds (empty: it qualifies). REQUIRES: the tender is published.
std::vector<std::string> gate_failures(const TenderRow& row,
                                       const std::optional<CreditRating>& rating,
                                       const CreditScale& scale);

// Refuses when a time-driven transition of the tender is due at the
// command's instant (the caller's catch-up raced with the clock); the caller
// retries after another catch-up.
Status require_no_due(const TenderTimeline& t, std::int64_t now_ms);

}  // namespace sunbid::core::detail
