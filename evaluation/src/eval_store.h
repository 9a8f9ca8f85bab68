// Internal helpers of EvaluationService's commands: entry drafts, the tender
// as the evaluation sees it, the checkpoint that fixes a draw, json columns.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/log_store.h"
#include "audit_log/sqlite.h"
#include "evaluation/beacon.h"
#include "evaluation/committee_draw.h"
#include "tender_core/actor.h"
#include "tender_core/service.h"
#include "tender_core/tender_rules.h"

namespace sunbid::eval::detail {

// An entry draft for `actor` on `tender`, its address digested in the tender's scope.
Result<audit::EntryDraft> draft_for(audit::WriteTxn& txn, const core::Actor& actor,
                                    std::string_view type, std::string_view tender);

// The committee entries (drawn, declared, replaced, review.submitted) name
// the members, confidential until the decision (招标投标法 art. 37): they are
// appended withheld until an event (audit::kReleaseAtEvent) and released by
// the command that decides (award or 流标) or ends the tender.
void withhold_until_decision(audit::EntryDraft& draft);
Status release_committee_entries(audit::WriteTxn& txn, std::string_view tender);

// The 评标报告 with the members' names (core::publish_named_evaluation_report):
// the active members in draw order (seat k = k-th) with their display names.
// Call it after the entry of the command that makes the committee public.
Status publish_named_report(audit::WriteTxn& txn, std::string_view tender);

struct TenderInfo {
  core::TenderView view;
  core::TenderRules rules;
  core::ServiceTier tier;
  std::optional<std::int64_t> opening_index;
  std::optional<std::int64_t> candidates_publicized_at_ms;
  // The instant the candidate publicity really ended (the transition to
  // deciding: objections answered, suspensions over).
  std::optional<std::int64_t> candidate_publicity_ended_ms;
};
// REQUIRES: the tender was published. Refuses tender_not_found.
Result<TenderInfo> load_tender(audit::Database& db, std::string_view tender);

Error refusal(std::string code, std::string_view zh, std::string_view en,
              boost::json::object details = {});

Status require_role(const core::Actor& actor, std::string_view role);
Status require_status(const TenderInfo& t, core::TenderStatus status);

// The beacon in canonical form and its date a calendar date (beacon.h).
// Refuses beacon_invalid.
Status check_beacon(std::string_view beacon, std::string_view beacon_date);

// The time (unix ms) of the log entry at `index`, from its `time` member.
Result<std::int64_t> entry_time_ms(audit::Database& db, std::uint64_t index);

// The index of the tender's bid-closing entry (`tender.bidding_closed`), the
// entry that fixes the committee draw's inputs (the bidders); nullopt before.
Result<std::optional<std::uint64_t>> bid_closing_index(audit::Database& db,
                                                       std::string_view tender);

// The beacon date a draw must carry: the first trading day strictly after
// the China date of the entry at `fixed_index` (or of `also_after_index`,
// when given and later: the committee's pool commitment).
Result<CivilDate> required_beacon_date(audit::Database& db, std::uint64_t fixed_index,
                                       std::optional<std::uint64_t> also_after_index,
                                       const RestDayTest& is_rest_day);

// The seed of a draw with everything needed to recompute it: the first
// stored checkpoint with tree_size > fixed_index. Refuses beacon_invalid,
// beacon_date_not_allowed (not required_beacon_date), beacon_date_in_future
// (the required date is after today's China date: its close is not known
// yet; the date itself is accepted from its 00:00), checkpoint_pending.
struct DrawBasis {
  Hash seed{};
  audit::StoredCheckpoint checkpoint;
  boost::json::object
      json;  // purpose, fixed_index, checkpoint{size, root, note}, beacon, date, seed
};
Result<DrawBasis> draw_basis(audit::WriteTxn& txn, std::string_view tender,
                             std::string_view purpose, std::uint64_t fixed_index,
                             std::string_view beacon, std::string_view beacon_date,
                             const RestDayTest& is_rest_day,
                             std::optional<std::uint64_t> also_after_index = std::nullopt);
// Records the draw in eval_draws.
Status record_draw(audit::WriteTxn& txn, std::string_view tender, const DrawBasis& basis,
                   std::string_view purpose, std::string_view beacon, std::string_view date);

// Expert records as JSON objects {account, employer_uscc, related_usccs,
// specialties, title} (the canonical record's members).
boost::json::object expert_json(const Expert& e);
Expert expert_of(const boost::json::object& o);

// The pool as it stood at the entry `fixed_index`, written at `fixed_ms`: per
// account the latest version recorded by an entry before it and effective
// by then (a later or back-dated version does not count). Sorted by account.
Result<std::vector<Expert>> pool_as_of(audit::Database& db, std::uint64_t fixed_index,
                                       std::int64_t fixed_ms);

// A committed pool list (docs/committee-draw.md): `list` in an order drawn
// from server randomness (Fisher–Yates over RAND_bytes), each with a fresh
// 32-byte salt; `commitments` the hex leaves (pool_leaf), `opened` the
// [{salt, account}] that opens them, position 0 first.
struct CommittedList {
  std::vector<Expert> list;
  boost::json::array commitments;
  boost::json::array opened;
};
Result<CommittedList> shuffle_and_salt(std::vector<Expert> list);

boost::json::array string_array(const std::vector<std::string>& v);
std::vector<std::string> strings_of(const boost::json::value& v);
Result<boost::json::value> parse_json(std::string_view text);
std::string serialize(const boost::json::value& v);

// Whether the tender's review has concluded (review.concluded written).
Result<bool> review_concluded(audit::Database& db, std::string_view tender);

// Whether the committee is public: the decision was made (award publicized
// or awarded) or the tender ended (failed, cancelled) — exactly when
// release_committee_entries has run. Refuses tender_not_found.
Result<bool> committee_public(audit::Database& db, std::string_view tender);

// Active committee members in draw order (status member).
Result<std::vector<std::string>> active_members(audit::Database& db, std::string_view tender);
// The valid bids of the opening record: id and price, sorted by bid id.
struct ValidBid {
  std::string bid_id;
  std::string bidder_uscc;
  std::int64_t price_fen = 0;
};
Result<std::vector<ValidBid>> valid_bids(audit::Database& db, std::string_view tender);

// The tender's suspensions, sorted by start (tender_core's rows).
Result<std::vector<core::Suspension>> suspensions(audit::Database& db, std::string_view tender);

// The decision's entry (decision.made, or the draw.made that decided): kept
// with the stored result so a repeated POST /decision answers it.
Status record_decision_index(audit::Database& db, std::string_view tender, std::uint64_t log_index);

// committee_vote / vote_then_lottery: the deciding committee frozen at
// publication, without the members who recused themselves (sorted; empty
// for a tender published before it was frozen).
Result<std::vector<std::string>> frozen_voters(audit::Database& db, std::string_view tender);

// Whether `purpose` is a fresh draw's, "replacement-N" (N ≥ 1, no leading
// zero; docs/committee-draw.md).
bool is_replacement_purpose(std::string_view purpose);

// Pending draw of a tender (at most one at a time).
struct PendingDraw {
  std::string purpose;
  std::uint64_t fixed_index = 0;
  boost::json::object context;
};
Result<std::optional<PendingDraw>> pending_draw(audit::Database& db, std::string_view tender);
Status set_pending_draw(audit::Database& db, std::string_view tender, std::string_view purpose,
                        std::uint64_t fixed_index, const boost::json::object& context);
Status clear_pending_draw(audit::Database& db, std::string_view tender);

}  // namespace sunbid::eval::detail
