// Hooks for the evaluation module: the stages after the opening record
// (opened -> reviewing -> candidates publicized -> deciding -> award
// publicized) are driven by evaluation's own commands. Each hook runs INSIDE
// the caller's WriteTxn and changes only tender_core's rows; it appends NO
// entry — the caller's command appends its own single entry (e.g.
// "committee.drawn", "review.concluded", "decision.made") describing the
// change, so state and entry commit or roll back together.
//
// Before such a command, call TenderService::catch_up(tender_id) so the
// time-driven transitions are applied first. Each hook refuses (changing
// nothing) with the tender_machine codes when the tender is not in the
// required status, plus the codes listed.
//
// Thread-safety: run only on the ledger's writer thread (inside a command).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "tender_core/service.h"

namespace sunbid::core {

// opened -> reviewing (committee drawn). Refuses objection_unanswered while
// any objection of the tender is unanswered.
Status mark_reviewing(audit::WriteTxn& txn, std::string_view tender_id);

// A publicity window as it opens: its end computed now, with the calendar
// in force now (calendar.h). Suspensions may extend it and a later calendar
// change may move it later, never earlier. The caller logs it (to_json).
struct PublicityWindow {
  std::int64_t opens_ms = 0;
  std::int64_t days = 0;
  std::int64_t ends_ms = 0;  // exclusive: 24:00 China time of the last day
  std::int64_t calendar_version = 0;
};
boost::json::object to_json(const PublicityWindow& w);

// reviewing -> candidates_publicized; the candidate publicity window starts
// now. Refuses candidates_invalid (empty, repeated, or not a valid bid of the
// opening record).
Result<PublicityWindow> publicize_candidates(audit::WriteTxn& txn, std::string_view tender_id,
                                             const std::vector<std::string>& bid_ids);

// deciding -> award_publicized; the award publicity window starts now.
// Refuses award_invalid (not one of the candidates).
Result<PublicityWindow> record_award(audit::WriteTxn& txn, std::string_view tender_id,
                                     std::string_view bid_id);

// When the candidate publicity ends (exclusive; calendar days with the
// tender's suspensions and the calendar's history); nullopt before the
// candidates are publicized or while a suspension lasts.
Result<std::optional<std::int64_t>> candidate_publicity_end(audit::Database& db,
                                                            std::string_view tender_id);

// The holiday calendar in force at `at_ms` (for vote windows opening then).
Result<HolidayCalendar> calendar_in_force(audit::Database& db, std::int64_t at_ms);

// -> failed (流标) from any status the table allows, with a reason code.
Status fail_in_txn(audit::WriteTxn& txn, std::string_view tender_id, std::string_view reason);

// The 流标公告 of a tender fail_in_txn failed (docs/documents.md): call it in
// the same command AFTER the caller's own entry (review.concluded,
// decision.made), so that indices the caller recorded stay its entry's. It
// stores the notice's source and appends document.published (actor system).
// Reasons too_few_qualified, decision_failed_quorum,
// decision_failed_no_winner and decision_failed_no_majority print as
// sentences; others verbatim.
Status publish_failure_notice(audit::WriteTxn& txn, std::string_view tender_id,
                              std::string_view reason);

// The 中标候选人公示 (docs/documents.md): call it in the command that
// publicized the candidates (review.concluded, or the candidate-cap
// draw.made), AFTER that entry. It stores the notice's source — the
// candidates unranked (by USCC) with bidder, price and `reviews`' summary,
// the publicity window and how to object — and appends document.published
// (actor system). `seats`: the committee's size. Refuses
// candidates_invalid when the tender has no candidates.
struct CandidateReview {
  std::string bid_id;
  struct Criterion {
    std::string title;
    std::int64_t pass_seats = 0;  // seats that marked it 合格
  };
  std::vector<Criterion> criteria;  // in the tender's criteria order
};
Status publish_candidate_notice(audit::WriteTxn& txn, std::string_view tender_id,
                                std::int64_t seats, const std::vector<CandidateReview>& reviews);

// The 中标结果公示 (docs/documents.md): call it in the command that recorded
// the award (decision.made, or a decision draw's draw.made), AFTER that
// entry. Stores the winner, its price, the candidates and the publicity
// window; appends document.published (actor system). Refuses award_invalid
// when the tender has no award.
Status publish_award_notice(audit::WriteTxn& txn, std::string_view tender_id);

// The 评标报告 by seat (docs/documents.md): call it in the command that
// concluded the review, AFTER review.concluded. `report` is that entry's
// report {seats, criteria, bids} with `criteria_titles` {code: title} added;
// each bid gains its bidder. Stored with document.published (actor system)
// withheld until the decision (audit::kReleaseAtEvent) when `withheld`, else
// public (a review that failed the tender ends it: the committee is public).
Status publish_evaluation_report(audit::WriteTxn& txn, std::string_view tender_id,
                                 const boost::json::object& report, bool withheld);

// The 评标报告 with the members' names (docs/documents.md): call it in the
// command that makes the committee public (the decision, or the review that
// failed the tender), AFTER its entry. `members`: seat k is members[k - 1]
// ({account, name}). The report is the stored seat-numbered one's; public.
// Publishes nothing when the tender has no seat-numbered report.
struct SeatMember {
  std::string account;
  std::string name;  // display name; empty: the account
};
Status publish_named_evaluation_report(audit::WriteTxn& txn, std::string_view tender_id,
                                       const std::vector<SeatMember>& members);

// The valid bids of the opening record with their revealed contents and the
// rating snapshot (for clearing, review and decision).
struct OpenedBid {
  std::string bid_id;
  Bid bid;
  std::optional<CreditRating> rating_at_deadline;
};
Result<std::vector<OpenedBid>> opened_bids(audit::Database& db, std::string_view tender_id);

// ---- Reads for evaluation: tender_core's tables are read only here, so no
// other module runs SQL on them (architecture review §1.3).

// The USCCs of the opening record (every bidder at the deadline), sorted
// and distinct.
Result<std::vector<std::string>> opening_bidders(audit::Database& db, std::string_view tender_id);

// The opening record's valid rows: bid, bidder, price (fen per m² and
// month), by bid id.
struct ValidOpening {
  std::string bid_id;
  std::string bidder_uscc;
  std::int64_t price_fen = 0;
};
Result<std::vector<ValidOpening>> valid_openings(audit::Database& db, std::string_view tender_id);

// The publicized candidates (bid ids, sorted); empty before the review
// concluded.
Result<std::vector<std::string>> candidate_bid_ids(audit::Database& db, std::string_view tender_id);

// The private digest of the address a bid came from (clearing's
// same-address flag); nullopt when none was kept.
Result<std::optional<std::string>> bid_address_digest(audit::Database& db,
                                                      std::string_view tender_id,
                                                      std::string_view bid_id);

// When a published tender reached its stages.
struct TenderStages {
  std::optional<std::int64_t> opening_index;
  std::optional<std::int64_t> candidates_publicized_at_ms;
  std::optional<std::int64_t> candidate_publicity_ended_ms;
};
Result<TenderStages> tender_stages(audit::Database& db, std::string_view tender_id);

// The tender's suspensions, by start (the last may be open).
Result<std::vector<Suspension>> tender_suspensions(audit::Database& db, std::string_view tender_id);

}  // namespace sunbid::core
