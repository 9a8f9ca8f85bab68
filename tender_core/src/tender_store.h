// Internal: the tenders row and the timeline built from it, shared by the
// service's commands, its readers and the evaluation hooks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"
#include "tender_core/registry.h"
#include "tender_core/tender_machine.h"

namespace sunbid::core::detail {

struct TenderRow {
  std::string id;
  std::string community_id;
  std::string title;
  TenderStatus status = TenderStatus::draft;
  std::optional<TenderStatus> suspended_from;
  std::string rules_json;
  std::optional<std::string> tier_json;
  std::optional<std::string> decision_method;
  std::int64_t min_valid_bids = 0;
  std::int64_t bid_deadline_ms = 0;
  std::int64_t reveal_window_s = 0;
  std::int64_t reveal_extensions_s = 0;
  std::int64_t candidate_publicity_days = 0;
  std::int64_t award_publicity_days = 0;
  std::int64_t document_objections_open = 0;  // unanswered: the deadline is held
  // The deadline (before suspensions) the document objection cutoff counts
  // from: set at publication and by the tenderer's amendments, never by an
  // objection's answer.
  std::optional<std::int64_t> objection_cutoff_basis_ms;
  std::optional<std::int64_t> candidates_publicized_at_ms;
  std::optional<std::int64_t> award_publicized_at_ms;
  std::optional<std::int64_t> published_ms;
  std::optional<std::int64_t> publish_index;
  std::optional<std::int64_t> opening_index;
  std::optional<std::string> end_reason;
  std::optional<std::string> awarded_bid_id;
  // The frozen gate (0 / empty until published): fewer live commitments at
  // the deadline than min_bidders fail the tender unopened; a bidder must
  // meet min_credit_grade and min_star_rating and not be blacklisted.
  std::int64_t min_bidders = 0;
  std::string min_credit_grade;
  std::int64_t min_star_rating = 0;
  std::optional<std::string> retender_of;  // the failed or cancelled tender this one re-tenders
  // The tenderer's kind at the draft (accounts/role.h): owners_committee,
  // provisional_committee or community_office.
  std::string tenderer_kind = "owners_committee";
};

// Refuses tender_not_found.
Result<TenderRow> load_tender(audit::Database& db, std::string_view id);
// The price ceiling (最高投标限价, 条例 27) of a published tender: its frozen
// budget's maximum (fen per m² and month); nullopt when it states none.
std::optional<std::int64_t> price_ceiling(const TenderRow& row);
// The service tier frozen at publication (tier_json); nullopt before it.
std::optional<ServiceTier> frozen_tier(const TenderRow& row);

// The same row without its documents (rules_json empty, tier_json unset):
// what the bid commands check, read for every bid.
Result<TenderRow> load_tender_state(audit::Database& db, std::string_view id);

// The timeline of the row: suspensions from tender_suspensions,
// objection_pending when an objection of the current publicity stage is
// unanswered, deadline_held while a document objection is, and the holiday
// calendar's history once candidates have been publicized.
Result<TenderTimeline> load_timeline(audit::Database& db, const TenderRow& row);

Status set_status(audit::Database& db, std::string_view id, TenderStatus status,
                  std::optional<TenderStatus> suspended_from);

// Number of unanswered objections of the tender (all stages when `stage` is empty).
Result<std::int64_t> unanswered_objections(audit::Database& db, std::string_view id,
                                           std::string_view stage);

// The latest answer instant among the objections of `stage`.
Result<std::optional<std::int64_t>> last_answer_ms(audit::Database& db, std::string_view id,
                                                   std::string_view stage);

Error objection_unanswered();

// The tender's suspensions in order (tender_suspensions).
Result<std::vector<Suspension>> load_suspensions(audit::Database& db, std::string_view id);

// When the answer to an objection filed at `filed_ms` is due (exclusive): a
// period of `days` granted from the filing, with the tender's suspensions
// and the calendar's history; nullopt while a suspension lasts.
Result<std::optional<std::int64_t>> objection_answer_due_ms(audit::Database& db,
                                                            std::string_view tender_id,
                                                            std::int64_t filed_ms,
                                                            std::int64_t days);

// Every version of the platform holiday calendar (calendar_versions).
Result<CalendarHistory> load_calendar_history(audit::Database& db);

}  // namespace sunbid::core::detail
