// TenderService: issue 4's commands through the ledger — tenders (draft,
// edit, publish, amend, cancel, suspend/resume, fail), sealed bids
// (commit, replace, withdraw, reveal), the time-driven transitions (deadline,
// reveal window, publicity windows) and objections (异议). tender_core knows
// nothing of HTTP: the server is a thin adapter over these methods.
//
// Every command method runs exactly ONE ledger command: it validates
// (refusing with a stable snake_case code and a "中文 / English" message),
// writes its rows and appends exactly one entry. A refusal changes nothing
// and appends nothing. The exceptions: publish() on a tender already
// published answers the first publication's result and appends nothing
// (idempotent publish, `already_published` = true); the answer to a
// document objection that moves the deadline appends the answer and then
// the amendment notice (tender.amended), in one command.
//
// Time: before every command on a tender, the transitions of that tender
// that have become due are applied first (catch_up), each as its own command
// with its own entry whose payload carries `due_at` — the instant it became
// due — so the order is right with or without a background tick(). Inside a
// command the time gates are checked again against the command's own clock
// reading, so nothing slips between the catch-up and the command. A
// transition is applied exactly once: its command re-reads the status on the
// writer thread and does nothing when another got there first.
//
// The gate (issue 11; DESIGN "Qualification is a gate, not a flag"):
// - a commitment is refused (bidder_not_qualified, naming the rating used)
//   unless the enterprise's registry record in force now meets the frozen
//   thresholds (qualification_failures in credit.h), and
//   (bidder_type_not_allowed) unless its USCC type is one that may bid
//   (PlatformSettings::bidder_uscc_types, default 91 企业 only);
// - at the deadline, a tender with fewer live commitments than min_bidders
//   (never below 3, 条例 44) fails unopened (reason too_few_bidders): no
//   rating snapshot, no reveal window, no opening record, no bid entry ever
//   released. Otherwise the rating snapshot at the deadline is the binding
//   check: a bid that fails it is invalid in the opening record (reason
//   not_qualified, with its failures) and never reaches the committee.
//
// Confidentiality:
// - bid entries (bid.committed, bid.withdrawn) are withheld until the
//   transition that opens the reveal window, which releases them (release by
//   event, not by time); a tender that fails unopened or is cancelled never
//   releases them;
// - a draft's entries (tender.drafted, tender.edited; tender.cancelled of a
//   draft) are withheld until publication releases them; bid commands on a
//   draft answer tender_not_found, as for an unknown id;
// - before the deadline no view tells anyone but the bidder itself whether
//   or how many bids exist; bid contents are revealed to nobody but their
//   own bidder until the reveal window closes, when the opening record
//   (开标记录) becomes public at once;
// - objection entries carry the objector's account only as a salted digest
//   (`actor`), the objection and answer texts only as SHA-256.
//
// Entry types: tender.drafted, tender.edited, tender.published,
// tender.amended, tender.cancelled, tender.suspended, tender.resumed,
// tender.reveal_extended, tender.failed, tender.bidding_closed,
// tender.reveal_opened, tender.opened, tender.candidate_publicity_ended,
// tender.awarded, bid.committed, bid.withdrawn, bid.revealed,
// objection.filed, objection.answered, contract.recorded.
//
// Thread-safety: safe for concurrent use. Readers take a connection the
// calling thread owns (Ledger::open_reader), one per thread.
// REQUIRES: the ledger was opened with tender_core_migrations(); `clock` is
// the ledger's clock and outlives the service.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"
#include "tender_core/actor.h"
#include "tender_core/bid_commitment.h"
#include "tender_core/credit.h"
#include "tender_core/registry.h"
#include "tender_core/tender_machine.h"
#include "tender_core/tender_rules.h"

namespace sunbid::core {

inline constexpr std::int64_t kDaySeconds = 86'400;

// Platform settings (平台设置). Periods in calendar days, counted as
// calendar.h says (docs/periods.md).
struct PlatformSettings {
  // Minimum periods: the deadline's China date at least N days after.
  std::int64_t min_bidding_period_days = 20;          // publication -> deadline (法 24)
  std::int64_t min_period_after_amendment_days = 15;  // amendment -> deadline (条例 21)
  // "10日前": the last day to object is the deadline's date − (N + 1).
  std::int64_t document_objection_cutoff_days = 10;  // 条例 22
  // Granted: 24:00 China time of day N, rolled past rest days.
  std::int64_t objection_answer_days = 3;  // 条例 22, 54
  WindowMinimums window_minimums;          // checked at publication
  CreditScale scale = CreditScale::default_scale();
  // The USCC types (positions 1-2) whose holders may bid: 91 企业 by default;
  // N1-N3 collective economic organisations and the others do not.
  std::vector<std::string> bidder_uscc_types = {"91"};
  // Size caps of a draft, kept and served forever (security A10): the
  // title's UTF-8 bytes and the rules' canonical JSON bytes (after an edit's
  // merge). Over a cap: field_too_long, nothing stored.
  std::size_t max_title_bytes = 512;
  std::size_t max_rules_bytes = 64 * 1024;
  // 招标投标法 art. 46: the contract is signed within 30 days of the award
  // notice (a granted period, calendar.h). A contract signed or recorded
  // after it is flagged to supervisors, not refused: the record must exist.
  std::int64_t contract_days = 30;
};

struct TenderDraftInput {
  std::string community_id;
  std::string title;
  boost::json::object rules;  // tender_rules.h JSON; checked in full at publish
  // 重新招标: the failed or cancelled tender of the same community that this
  // one re-tenders (retender_invalid otherwise); logged and shown.
  std::optional<std::string> retender_of;
};

struct TenderDraftEdit {
  std::optional<std::string> title;
  // Members replace the draft's members of the same name (shallow merge).
  std::optional<boost::json::object> rules;
};

struct Published {
  std::uint64_t log_index = 0;  // of tender.published
  std::int64_t published_ms = 0;
  bool already_published = false;
};

struct Amended {
  std::uint64_t log_index = 0;
  std::int64_t old_deadline_ms = 0;  // effective deadlines
  std::int64_t new_deadline_ms = 0;
};

struct BidReceipt {
  std::string bid_id;
  std::uint64_t log_index = 0;  // of the bid.committed entry: the receipt
  std::string entry;            // that entry's exact bytes: the bidder checks its commitment in it
  bool replaced = false;
};

struct ObjectionFiled {
  std::string objection_id;
  std::string stage;  // document | candidates | award
  std::uint64_t log_index = 0;
  std::int64_t answer_due_ms = 0;  // exclusive; before suspensions
};

struct ObjectionAnswered {
  std::uint64_t log_index = 0;
  bool late = false;  // answered after the answer period: flagged to supervisors
  // A document objection's answer that moved the deadline: the amendment
  // notice (its own tender.amended entry, after the answer's).
  std::optional<Amended> deadline_moved;
};

// ---- the contract (合同), recorded after the award ----

// ReqContract of the OpenAPI.
struct ContractInput {
  std::string signed_on;            // the China date it was signed, YYYY-MM-DD
  std::int64_t term_months = 0;     // the service term, 1–120 months
  std::string document_sha256_hex;  // SHA-256 of the signed contract's file, 64 lowercase hex
};

// The contract as recorded (table tender_contracts; entry contract.recorded).
struct ContractRecord {
  std::string tender_id;
  std::string community_id;
  std::string signed_on;
  std::int64_t term_months = 0;
  std::string document_sha256_hex;
  std::string awarded_bid_id;
  std::int64_t recorded_ms = 0;
  // The award notice (中标通知书): the instant the award publicity ended and
  // the award became final (the tender.awarded transition). Until a logged
  // notice action exists (issue 14), the 30 days count from it.
  std::int64_t award_notice_ms = 0;
  std::int64_t due_ms = 0;     // exclusive end of the contract period (法 46)
  bool signed_late = false;    // signed after the period's last day
  bool recorded_late = false;  // recorded after the period ended
  std::uint64_t log_index = 0;
  bool late() const { return signed_late || recorded_late; }
};

struct ContractFlagPage {
  std::vector<ContractRecord> items;         // late contracts, in log order
  std::optional<std::uint64_t> next_cursor;  // the last item's log index when more follow
};

// ---- views ----

struct TenderView {
  std::string id;
  std::string community_id;
  std::string title;
  TenderStatus status = TenderStatus::draft;
  std::optional<TenderStatus> suspended_from;
  boost::json::object rules;  // the draft's, or the frozen rules once published
  std::optional<ServiceTier> tier;
  std::optional<std::int64_t> published_ms;
  std::optional<std::int64_t> bid_deadline_ms;  // effective (nullopt while suspended)
  std::optional<std::int64_t> reveal_close_ms;  // effective
  // A document objection is unanswered: the deadline cannot pass (条例 22).
  bool deadline_held = false;
  std::int64_t amendments = 0;
  std::optional<std::string> end_reason;  // cancelled / failed
  std::optional<std::string> awarded_bid_id;
  std::optional<std::string> retender_of;  // the failed or cancelled tender it re-tenders
  // A supervisor's cancellation cites the rule violated (物业管理条例 art. 19).
  std::optional<std::string> cancel_rule;
};

struct OpeningRow {
  std::string bid_id;
  std::string bidder_uscc;
  bool valid = false;
  // When invalid: not_revealed (撤销), or not_qualified (the rating snapshot
  // at the deadline fails the thresholds; `disqualified` says how).
  std::string reason;
  std::vector<std::string> disqualified;  // qualification_failures, when not_qualified
  std::optional<Bid> bid;                 // when valid
  // A valid bid on a menu tender: its items priced outside their reference
  // range (flags, not invalidity; registry.h menu_price_flags).
  std::vector<MenuPriceFlag> menu_flags;
};

struct BidSummary {
  std::string bid_id;
  std::string bidder_uscc;
  std::string commitment;
  std::uint64_t receipt_index = 0;
  bool revealed = false;   // shown to the bidder itself and supervisors
  std::optional<Bid> bid;  // the bidder's own once revealed; everyone's after opening
};

struct ObjectionView {
  std::string id;
  std::string stage;
  std::optional<std::string> objector_account;  // tenderer, supervisors and the objector only
  std::string objector_digest;
  std::string text;
  std::int64_t filed_ms = 0;
  std::optional<std::string> answer;
  std::optional<std::int64_t> answered_ms;
  // The answer period's end (exclusive; calendar days, extended by the
  // tender's suspensions): nullopt while a suspension lasts.
  std::optional<std::int64_t> answer_due_ms;
  bool overdue = false;  // unanswered past the answer period, or answered late
};

// What a reader may see: the role and relations of the viewer (the server
// fills it from the session; an anonymous reader has role "public").
using Viewer = Actor;

// What GET /tenders asks for.
struct TenderListQuery {
  std::optional<TenderStatus> status;
  std::optional<std::string> community_id;
  std::optional<std::string> district;      // the community's district (区), exact
  std::optional<std::string> service_tier;  // the rules' service tier code, exact
  std::string cursor;                       // empty: the first page
  std::size_t limit = 50;
};

struct TenderPage {
  std::vector<TenderView> items;
  std::optional<std::string> next_cursor;  // the last item's id when more follow
};

// What a later stage (the evaluation module, which owns the vote windows)
// adds to TenderService's commands. Each hook runs INSIDE the command's
// ledger transaction, before its one entry is appended: a refusal refuses
// the whole command (nothing written), and a hook may add fields to the
// entry's payload. Unset hooks do nothing. The dependency still points down:
// tender_core only calls what it was given.
struct TenderHooks {
  // publish, after the rules validated: may refuse (e.g. a decision
  // committee of the wrong size) and may freeze what it needs.
  std::function<Status(audit::WriteTxn&, std::string_view tender, std::string_view community,
                       const TenderRules& rules, boost::json::object& payload)>
      published;
  // cancel by the community's tenderer: may refuse (a binding vote has opened).
  std::function<Status(audit::WriteTxn&, std::string_view tender, const TenderRules& rules)>
      tenderer_cancels;
  // suspend, at `start_ms` (now): windows open then pause.
  std::function<Status(audit::WriteTxn&, std::string_view tender, std::int64_t start_ms,
                       boost::json::object& payload)>
      suspended;
  // resume: `ended` is the suspension just ended ([start_ms, *end_ms)).
  std::function<Status(audit::WriteTxn&, std::string_view tender, const Suspension& ended,
                       boost::json::object& payload)>
      resumed;
};

// One tender whose background step failed (tick): logged and skipped.
struct TickFailure {
  std::string tender_id;
  Error error;
};

class TenderService {
 public:
  TenderService(audit::Ledger& ledger, const Clock& clock, PlatformSettings settings = {})
      : ledger_(ledger), clock_(clock), settings_(std::move(settings)) {}
  TenderService(const TenderService&) = delete;
  TenderService& operator=(const TenderService&) = delete;

  // ---- tenders (tenderer of the community unless noted) ----
  // Refuses tender_invalid, community_not_found, not_tenderer_of_community,
  // retender_invalid, field_too_long (details field "/title" or "/rules",
  // limit_bytes: PlatformSettings max_title_bytes, max_rules_bytes);
  // edit_draft checks the merged rules.
  Result<std::string> create_draft(const Actor& actor, const TenderDraftInput& input);
  Result<std::uint64_t> edit_draft(const Actor& actor, std::string_view tender_id,
                                   const TenderDraftEdit& edit);
  // Validates every rule (tender_rules_from_json), the platform's minimum
  // windows (check_window_minimums: rules_invalid_value), the service tier
  // (service_tier_unknown), the bidding period (deadline_too_soon: the
  // deadline's China date less than min_bidding_period_days after today's)
  // and, for an owners_vote tender, that its community has a roster
  // (roster_required); runs the `published` hook; then freezes the rules and
  // the tier. Idempotent (see above).
  Result<Published> publish(const Actor& actor, std::string_view tender_id);
  // 补遗: before the deadline. The effective deadline becomes the later of
  // the current one and `new_deadline_ms` (an earlier one is refused:
  // amendment_deadline_earlier), moved — at its own time of day — to the
  // first China date min_period_after_amendment_days after the amendment's
  // when it is closer (条例 21; docs/periods.md). The document objection
  // cutoff then counts from the new deadline.
  Result<Amended> amend(const Actor& actor, std::string_view tender_id, std::string_view text,
                        std::optional<std::int64_t> new_deadline_ms);
  // The community's tenderer (refused by the `tenderer_cancels` hook once a
  // binding vote has opened: cancel_requires_supervisor), or a supervisor,
  // who must cite the rule violated (rule_required; 物业管理条例 art. 19):
  // `rule` is stored (TenderView::cancel_rule) and logged in the public
  // tender.cancelled entry. Refuses reason_required, rule_required,
  // not_tenderer_of_community and the state machine's codes.
  Result<std::uint64_t> cancel(const Actor& actor, std::string_view tender_id,
                               std::string_view reason, std::string_view rule = {});
  // Supervisor. Refuses not_supervisor, reason_required.
  Result<std::uint64_t> suspend(const Actor& actor, std::string_view tender_id,
                                std::string_view reason);
  Result<std::uint64_t> resume(const Actor& actor, std::string_view tender_id);
  // Supervisor, inside the reveal window; seconds > 0 (extension_invalid).
  Result<std::uint64_t> extend_reveal(const Actor& actor, std::string_view tender_id,
                                      std::int64_t seconds, std::string_view reason);
  // 流标 by the tenderer or a supervisor, in a state the table allows.
  Result<std::uint64_t> fail_tender(const Actor& actor, std::string_view tender_id,
                                    std::string_view reason);

  // ---- sealed bids (enterprise) ----
  // Before the deadline (bid_after_deadline at or after it). A second call
  // replaces the first. Refuses tender_not_found (also for a draft),
  // not_an_enterprise, enterprise_not_found, bidder_type_not_allowed,
  // bidder_not_qualified, commitment_invalid.
  Result<BidReceipt> submit_bid(const Actor& actor, std::string_view tender_id,
                                std::string_view commitment_hex);
  // Refuses bid_not_found.
  Result<std::uint64_t> withdraw_bid(const Actor& actor, std::string_view tender_id);
  // Inside the reveal window. Refuses salt_invalid, bid_invalid, bid_not_found,
  // bid_already_revealed, reveal_mismatch (the bid or salt does not open the
  // commitment, or names another tender or bidder).
  Result<std::uint64_t> reveal_bid(const Actor& actor, std::string_view tender_id,
                                   std::string_view salt_hex, const boost::json::value& bid);

  // ---- the same bid commands, asynchronous (for the server) ----
  // Each checks what needs no database (commitment_invalid, salt_invalid,
  // bid_invalid), applies a due time-driven transition of the tender first
  // (which waits for the ledger only when one is due), then queues the
  // command, which owns copies of its inputs. `done` runs exactly once: with
  // the same value or refusal as the synchronous form, on the ledger's writer
  // thread once the command's batch is durable (or it was refused), or on the
  // calling thread when refused before queueing. `done` must not block; it
  // must not call back into a synchronous method of this service or the
  // ledger on the writer thread.
  void submit_bid_async(Actor actor, std::string tender_id, std::string commitment_hex,
                        std::function<void(Result<BidReceipt>)> done);
  void withdraw_bid_async(Actor actor, std::string tender_id,
                          std::function<void(Result<std::uint64_t>)> done);
  void reveal_bid_async(Actor actor, std::string tender_id, std::string salt_hex,
                        boost::json::value bid, std::function<void(Result<std::uint64_t>)> done);

  // ---- objections (异议) ----
  // Document stage: any registered enterprise, while published and until
  // the deadline's date − (document_objection_cutoff_days + 1) (China time,
  // counted from the deadline as the tenderer last set it). While a document
  // objection is unanswered the deadline is held (条例 22): bids are still
  // accepted, bidding does not close, bid entries stay withheld. Candidates
  // / award stage: a bidder of the tender or an owner of the community,
  // inside the publicity window. The answer is due objection_answer_days
  // later (a granted period, calendar.h). Refuses objection_window_closed,
  // objection_not_entitled, objection_invalid, tender_suspended.
  Result<ObjectionFiled> file_objection(const Actor& actor, std::string_view tender_id,
                                        std::string_view text);
  // Tenderer of the community. Answering a document objection moves the
  // deadline to its time of day on the date that keeps the calendar days it
  // had left at filing — at least min_period_after_amendment_days when
  // `amends_documents` — as a second entry of the same command, a public
  // amendment notice (tender.amended, reason document_objection_answered).
  // Refuses objection_not_found, objection_already_answered,
  // objection_invalid (also: amends_documents on a publicity objection).
  Result<ObjectionAnswered> answer_objection(const Actor& actor, std::string_view tender_id,
                                             std::string_view objection_id, std::string_view text,
                                             bool amends_documents = false);

  // ---- the contract ----
  // The community's tenderer records the signed contract of an awarded
  // tender, once: a public contract.recorded entry (the document only as its
  // digest) from which the OCDS contract release is made. Refuses
  // contract_invalid (details.field /signed_on: not a date, before the award
  // notice's date, or after today's; /term_months: outside 1–120;
  // /document_sha256_hex: not 64 lowercase hex digits), contract_not_allowed
  // (the tender is not awarded), contract_already_recorded,
  // not_tenderer_of_community, tender_not_found.
  Result<ContractRecord> record_contract(const Actor& actor, std::string_view tender_id,
                                         const ContractInput& input);

  // ---- time ----
  // Applies the due transitions of one tender (each its own command and
  // entry); returns how many were applied.
  Result<int> catch_up(std::string_view tender_id);
  // Applies every due transition of every live tender as of `now_ms`
  // (clamped to the clock). A tender whose transition fails is skipped and
  // never stops the others: it goes to `failures` when given, else the first
  // such error is answered after every tender was tried.
  // REQUIRES: now_ms <= clock now.
  Result<int> tick(std::int64_t now_ms, std::vector<TickFailure>* failures = nullptr);

  // REQUIRES: called before the service is used concurrently.
  void set_hooks(TenderHooks hooks) { hooks_ = std::move(hooks); }
  // The hooks installed, for a later module to compose its own with them.
  const TenderHooks& hooks() const { return hooks_; }

  const PlatformSettings& settings() const { return settings_; }

  // ---- readers (the caller's own connection; `now_ms` from the clock) ----
  // The tender as `viewer` may see it. A draft exists only for its
  // community's tenderers, supervisors and the operator: to everyone else
  // it is tender_not_found, the very answer an unknown id gets (the same
  // message and details, so that nothing tells a hidden draft from no
  // tender at all).
  static Result<TenderView> view(audit::Database& db, std::string_view tender_id,
                                 const Viewer& viewer);
  // One page of the tenders `viewer` may see (drafts as above), oldest
  // first (created, then id), filtered by status and community; a page
  // after `query.cursor` (the last id of the previous page). Reads only the
  // page's tenders. Refuses invalid_query (field `cursor`) for a cursor that
  // is not a tender of the filtered list the viewer may see.
  // REQUIRES: query.limit >= 1.
  static Result<TenderPage> list(audit::Database& db, const TenderListQuery& query,
                                 const Viewer& viewer);
  // The opening record as `viewer` may see it: a draft the viewer may not
  // see is tender_not_found (as for view); otherwise refuses
  // opening_not_public until the reveal window has closed (the record is
  // logged at that instant). The unchecked readers (every tender, no viewer)
  // are in the private header tender_core/src/internal/tender_core/
  // unchecked_reads.h, which the server cannot include.
  static Result<std::vector<OpeningRow>> opening(audit::Database& db, std::string_view tender_id,
                                                 const Viewer& viewer);
  // The bids `viewer` may see now: before the opening record only the
  // viewer's own bid (an enterprise) — and, after the deadline, supervisors
  // and the community's tenderer see who bid and the commitments, never
  // contents; after the opening record, everyone sees every bid.
  static Result<std::vector<BidSummary>> bids_visible_to(audit::Database& db,
                                                         std::string_view tender_id,
                                                         const Viewer& viewer, std::int64_t now_ms);
  // Every objection, the objector's account only for the tenderer of the
  // community, supervisors and the objector.
  Result<std::vector<ObjectionView>> objections_visible_to(audit::Database& db,
                                                           std::string_view tender_id,
                                                           const Viewer& viewer,
                                                           std::int64_t now_ms) const;
  // Supervisors: objections unanswered past their answer period or answered
  // late, over all tenders.
  Result<std::vector<ObjectionView>> overdue_objections(audit::Database& db,
                                                        std::int64_t now_ms) const;
  // The recorded contract: public, as its entry is (a hidden draft is
  // tender_not_found, as for view). Refuses contract_not_found.
  static Result<ContractRecord> contract(audit::Database& db, std::string_view tender_id,
                                         const Viewer& viewer);
  // Supervisors: the contracts signed or recorded after the 30 days, in log
  // order, after the log index `after`. REQUIRES: limit >= 1.
  static Result<ContractFlagPage> late_contracts(audit::Database& db,
                                                 std::optional<std::uint64_t> after,
                                                 std::size_t limit);
  // The registry values copied at the deadline (nullopt: none in force).
  static Result<std::vector<std::pair<std::string, std::optional<CreditRating>>>> rating_snapshot(
      audit::Database& db, std::string_view tender_id);

 private:
  Result<bool> apply_one_due(std::string_view tender_id, std::int64_t limit_ms);
  // Whether a transition of the tender is due, read on a pooled reader
  // connection (so the request path costs no writer round trip when nothing
  // is due; the writer re-checks before applying anything).
  Result<bool> due_now(std::string_view tender_id, std::int64_t now_ms);

  audit::Ledger& ledger_;
  const Clock& clock_;
  PlatformSettings settings_;
  TenderHooks hooks_;
  // Published tenders with nothing due before the instant given: their
  // effective deadline as last read. Safe to be stale: a published tender's
  // deadline only ever moves later (amendments cannot bring it forward,
  // suspensions push it out), and nothing else of a published tender is
  // time-driven.
  std::mutex quiet_mu_;
  std::unordered_map<std::string, std::int64_t> quiet_until_;
};

std::optional<TenderStatus> tender_status_from_string(std::string_view s);

}  // namespace sunbid::core
