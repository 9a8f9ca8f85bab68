// EvaluationService: issue 5's commands through the ledger — the expert pool
// (专家库), the committee draw (专家抽取) with declarations and replacements
// (补抽), the clearing report (清标), the qualitative review (定性评审) with
// the candidate list, and the decision (定标) by the method frozen at
// publication, with every pending draw satisfied by a supervisor's beacon.
// No HTTP: the server maps its endpoints onto these methods.
//
// Every command method runs exactly ONE ledger command: it validates
// (refusing with a stable snake_case code and a "中文 / English" message),
// writes its rows, moves the tender through tender_core's hooks when the
// stage ends, and appends exactly one entry — except the review submission
// that completes the review, which appends its own review.submitted and
// then the public review.concluded. A refusal changes nothing and appends
// nothing.
//
// Confidentiality in the public log (docs/evaluation-service.md): the
// entries naming committee members (committee.drawn, committee.declared,
// committee.replaced, review.submitted) are withheld until an event and
// released by the command that awards or fails the decision, fails the
// tender in review, or (tender_core) cancels or fails the tender; ballots
// and committee votes are withheld until their window closes, or released
// earlier by the decide() that decides their round. review.concluded names
// seats 1..n, not members. Before each command the tender's due transitions are
// applied first, each as its own command with its own entry: tender_core's
// (TenderService::catch_up) and this module's one — the opening of an
// owners' or committee vote window (`decision.vote_opened`, with the roster
// snapshot's digest), due when the candidate publicity ends.
//
// Draws: seed = draw_seed(purpose, tender, root of the FIRST stored
// checkpoint whose tree covers the entry that fixed the draw's inputs,
// beacon, beacon date) (docs/draw.md). The fixing entry is the bid-closing
// entry for the committee draw, and for every later draw the entry that
// recorded the pending draw (review concluded, decision pending). The
// beacon date must be the first trading day after that entry's China date
// (beacon.h). While no stored
// checkpoint covers it the draw is refused with `checkpoint_pending`. Each
// draw entry carries the seed, every input, the checkpoint's size, root and
// signed note, the beacon and its date, and the result.
//
// Information barriers: a member's marks are visible to other members only
// once that member has submitted marks for every valid bid; nothing of the
// decision is readable by evaluators; the review's outcome is fixed before
// the decision starts and no decision command writes review rows.
//
// Entry types: expert.added, expert.updated, committee.pool_committed,
// committee.drawn, committee.declared,
// committee.replaced, review.submitted, review.concluded (by the system,
// after the completing review.submitted), draw.made, decision.vote_opened,
// ballot.cast, committee_vote.cast, decision.made.
//
// Thread-safety: safe for concurrent use; readers take the calling thread's
// own connection.
// A community's tenderer accounts (its owners' committee, the deciding
// committee of committee_vote and vote_then_lottery) come from the accounts
// module (accounts::tenderer_account_ids), read on the connection at hand.
//
// REQUIRES: the ledger was opened with tender_core_migrations(),
// accounts_migrations() and evaluation_migrations(); `clock` is the ledger's
// clock; `tenders` uses the same ledger; all outlive the service.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"
#include "evaluation/beacon.h"
#include "evaluation/clearing.h"
#include "tender_core/actor.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"

namespace sunbid::eval {

struct ExpertInput {
  std::string account;  // the evaluator account's username
  std::vector<std::string> specialties;
  std::optional<std::string> employer_uscc;
  std::vector<std::string> related_usccs;
  std::optional<std::string> title;  // 职称
};

// An update of an expert record (docs/committee-draw.md "Expert records"):
// absent fields keep their value; `employer_uscc` "" clears it. The new
// version takes effect at effective_from_ms (default: now; not in the past).
struct ExpertUpdate {
  std::optional<std::vector<std::string>> specialties;
  std::optional<std::string> employer_uscc;
  std::optional<std::vector<std::string>> related_usccs;
  std::optional<std::string> title;
  std::optional<std::int64_t> effective_from_ms;
};

struct CommitteeDrawn {
  std::uint64_t log_index = 0;
  std::vector<std::string> members;   // draw order
  std::vector<std::string> reserves;  // order of succession
  std::string seed_hex;
  std::uint64_t checkpoint_size = 0;
  std::string checkpoint_root_hex;
  boost::json::object record;  // the entry's payload: inputs and result
};

struct SeatChange {
  std::uint64_t log_index = 0;
  std::optional<std::string> successor;  // the reserve now holding the seat
  // The fresh draw this change opened ("replacement-N"): no reserve could
  // take the seat, which stays vacant until its beacon is entered.
  std::optional<std::string> replacement_draw;
};

struct ReviewInput {
  std::string bid_id;
  struct Mark {
    std::string criterion;
    bool pass = false;
    std::optional<std::string> reason;
  };
  std::vector<Mark> marks;
  std::optional<std::string> strengths;
  std::optional<std::string> weaknesses;
  std::optional<std::string> risks;
};

// What a command did to the stage: what the tender is waiting for next.
struct StageResult {
  std::uint64_t log_index = 0;
  // "reviewing", "candidate_cap_draw", "candidates_publicized", "failed",
  // "vote_round", "draw:<purpose>", "award_publicized".
  std::string next;
  std::optional<std::vector<std::string>> candidates;
  std::optional<std::string> winner;
  boost::json::object record;  // the entry's payload
};

struct BallotCast {
  std::uint64_t log_index = 0;
  bool replaced = false;
  int round = 1;
  std::string entry;  // the ballot entry's exact bytes: the owner's receipt
};

// One member's marks as a viewer may see them.
struct MarksView {
  std::string member;
  std::string bid_id;
  boost::json::object marks;  // {bid_id, marks: [...], strengths, weaknesses, risks}
};

// How far one active member is with the review: bids marked of those to mark.
struct ReviewProgress {
  std::string member;
  std::size_t submitted = 0;
  std::size_t of = 0;
};

// One ballot (owners_vote) or committee vote as a viewer may see it.
struct VoteView {
  int round = 0;
  std::string kind;                   // "ballot" | "committee_vote"
  std::optional<std::string> voter;   // owner_key or member account; see votes_visible_to
  std::int64_t area_centi_m2 = 0;     // ballots: the owner's weight; committee votes: 0
  std::optional<std::string> choice;  // the bid chosen; nullopt = abstention
};

// What a viewer may see of the review: marks (marks_visible_to), and for a
// supervisor each member's progress instead of contents (security A8).
struct ReviewsView {
  std::vector<MarksView> marks;
  std::optional<std::vector<ReviewProgress>> progress;  // supervisors only
};

// One candidate (候选人) with its bidder and price from the public opening
// record.
struct Candidate {
  std::string bid_id;
  std::string bidder_uscc;
  std::optional<std::int64_t> price_fen_per_m2_month;
};

// The decision once public (定标结果).
struct AwardView {
  std::string tender_id;
  core::TenderStatus status = core::TenderStatus::draft;
  std::optional<std::string> awarded_bid_id;
  boost::json::object decision;  // decision()'s state and result
};

struct CommitteeView {
  std::vector<std::string> members;   // active seats, draw order
  std::vector<std::string> reserves;  // remaining, order of succession
  std::vector<std::string> declared;  // members who declared no conflict
  std::size_t vacant_seats = 0;       // committee_size − members (0 before the draw)
  // A fresh draw waiting for its beacon ("replacement-N"): the committee is
  // incomplete and the review cannot conclude until it is drawn.
  std::optional<std::string> pending_draw;
};

class EvaluationService {
 public:
  EvaluationService(audit::Ledger& ledger, const Clock& clock, core::TenderService& tenders)
      : ledger_(ledger), clock_(clock), tenders_(tenders), is_rest_day_(platform_rest_days()) {
    tenders_.set_hooks(tender_hooks());
  }
  ~EvaluationService() { tenders_.set_hooks({}); }

  // For core::Registry::set_calendar_hook: a new calendar version extends
  // every open owners' vote round whose close, recomputed from its opening
  // with the calendar's history (vote_window.h), is later — never earlier;
  // a paused round is recomputed at its resumption. The release of its
  // withheld ballots moves to the new close, and each extension is a public
  // entry decision.vote_extended {tender_id, round, old_closes_at,
  // closes_at, calendar_version}.
  core::Registry::CalendarHook calendar_hook();
  EvaluationService(const EvaluationService&) = delete;
  EvaluationService& operator=(const EvaluationService&) = delete;

  // Admin. Refuses not_admin, expert_invalid, expert_exists. The account id
  // is taken as given (add_expert_account checks it is an evaluator's).
  // USCCs are normalised (spaces removed, upper case) and validated
  // (tender_core's validate_uscc); specialties and the title trimmed. The
  // entry `expert.added` carries the account, the effective time and only a
  // salted digest of the record (docs/committee-draw.md).
  Result<std::uint64_t> add_expert(const core::Actor& admin, const ExpertInput& input);
  // Admin: the pool entry of the evaluator account `username` (POST
  // /experts). Only evaluator accounts enter the pool, and an account has one
  // role, so no account that takes part in a decision (tenderer, owner) can
  // ever be drawn. Refuses account_not_found and expert_not_evaluator (both
  // naming /account_username), then as add_expert with the account's id.
  struct ExpertAdded {
    std::string account_id;
    std::uint64_t log_index = 0;
  };
  Result<ExpertAdded> add_expert_account(const core::Actor& admin, std::string_view username,
                                         ExpertInput input);

  // Admin: a new, effective-dated version of an expert record
  // (`expert.updated`, like expert.added). Refuses not_admin, expert_invalid,
  // expert_not_found.
  Result<std::uint64_t> update_expert(const core::Actor& admin, std::string_view account,
                                      const ExpertUpdate& update);

  // The rest-day test for beacon dates (beacon.h). By default the platform
  // holiday calendar now in force (tender_core's calendar.h: holidays are
  // rest days, and so are weekends, which no trading day is anyway); a test
  // may replace it. REQUIRES: set before use, once.
  void set_rest_day_test(RestDayTest test) { is_rest_day_ = std::move(test); }
  static RestDayTest platform_rest_days();

  // The beacon date the tender's next draw of `purpose` needs ("committee"
  // before the committee draw, else the pending draw's purpose), on the
  // caller's connection. Refuses no_pending_draw, pool_not_committed.
  Result<std::string> required_beacon_date(audit::Database& db, std::string_view tender,
                                           std::string_view purpose) const;

  // Supervisor; tender `opened`. Draws committee_size members and as many
  // reserves (fewer if the pool is short) over the positions of the pool
  // list committed after the bid closing (`committee.pool_committed`),
  // the specialty minimums first, computes the clearing report, moves the
  // tender to `reviewing`. Refuses not_supervisor, beacon_invalid,
  // beacon_date_not_allowed, beacon_date_in_future (the date is after
  // today, China time), tender_wrong_status, checkpoint_pending,
  // too_few_experts, committee_specialty_unavailable, the hook's codes
  // (objection_unanswered).
  Result<CommitteeDrawn> draw_committee(const core::Actor& supervisor, std::string_view tender,
                                        std::string_view beacon, std::string_view beacon_date);

  // A drawn member, before submitting any review. `false` frees the seat for
  // the successor (next_reserve: the first reserve holding a specialty
  // minimum the departure left unmet, else the first reserve), who must
  // declare in turn; with no reserve to take it (none left, or none holding
  // that minimum) the seat stays vacant and the same command opens a fresh
  // draw (SeatChange::replacement_draw, docs/committee-draw.md). Refuses
  // not_evaluator, not_a_committee_member, already_declared,
  // tender_wrong_status.
  Result<SeatChange> declare(const core::Actor& evaluator, std::string_view tender,
                             bool no_conflict, std::optional<std::string> detail);

  // Supervisor (补抽): the successor (as for declare) takes the member's
  // seat; the member's marks are void. With no reserve to take it (none
  // left, or none holding a minimum the departure left unmet) the seat goes
  // to a fresh draw (`replacement-N`: a new committed list, its own beacon
  // through enter_beacon; docs/committee-draw.md), as for a declaration.
  // Refuses not_supervisor, reason_required, not_a_committee_member,
  // member_has_submitted, tender_wrong_status.
  Result<SeatChange> replace_member(const core::Actor& supervisor, std::string_view tender,
                                    std::string_view member, std::string_view reason);

  // A declared, active member; final once submitted. The submission that
  // completes the review concludes it in the same command (two entries; the
  // result's log_index and record are review.concluded's). Refuses
  // not_evaluator, not_a_committee_member, not_declared, already_submitted,
  // review_closed, the validate_review_submission codes.
  Result<StageResult> submit_review(const core::Actor& evaluator, std::string_view tender,
                                    const ReviewInput& input);

  // Supervisor: the beacon of the pending draw of `purpose`. For a fresh
  // draw (`replacement-N`, tender reviewing) the drawn experts take the
  // vacant seats (`committee.redrawn`, withheld until the decision; next
  // "reviewing", or "draw:replacement-N+1" when seats are still vacant).
  // Refuses not_supervisor, no_pending_draw, beacon_invalid,
  // beacon_date_not_allowed, beacon_date_in_future, checkpoint_pending, and
  // for a fresh draw too_few_experts, committee_specialty_unavailable (the
  // supervisor may then cancel the tender).
  Result<StageResult> enter_beacon(const core::Actor& supervisor, std::string_view tender,
                                   std::string_view purpose, std::string_view beacon,
                                   std::string_view beacon_date);

  // An owner of the community (owners_vote), inside the open vote window;
  // `candidate` nullopt = abstain; a later ballot replaces the earlier.
  // Refuses not_owner (role), not_an_owner (of this community), wrong_method,
  // vote_window_closed, not_a_candidate, owner_not_on_roster.
  Result<BallotCast> cast_ballot(const core::Actor& owner, std::string_view tender,
                                 std::optional<std::string> candidate);
  // The same, answered by `done` once the ballot is durable (on the ledger's
  // writer thread, or at once on a refusal before the command): no thread
  // waits for the commit, so one group commit batches every ballot in flight.
  // It may wait for the tender's due transitions (catch_up) first.
  void cast_ballot_async(core::Actor owner, std::string tender,
                         std::optional<std::string> candidate,
                         std::function<void(Result<BallotCast>)> done);

  // A tenderer account of the community (committee_vote, vote_then_lottery),
  // in the current round. Refuses not_tenderer, wrong_method, not_a_voter,
  // wrong_round, vote_window_closed, not_a_candidate, already_voted.
  Result<std::uint64_t> committee_vote(const core::Actor& tenderer, std::string_view tender,
                                       std::string_view candidate, int round);

  // Recusal (legal M7, 回避): a member of the deciding committee frozen at
  // publication (committee_vote, vote_then_lottery) with a conflict of
  // interest declares it, from publication until the decision. The member
  // leaves the voters of the open round and of every later round, so the
  // count and the quorum ("all members") are over the others. Before voting
  // only: a vote already cast in the open round stands (already_voted).
  // More than half of the frozen committee must remain (recusal_quorum: the
  // decision then fails by its own rules or a new committee is needed).
  // Public entry decision.recused {tender_id, member, reason, round?}.
  // Refuses not_tenderer, wrong_method, not_a_voter, already_recused,
  // already_voted, recusal_quorum, tender_wrong_status (draft, decided or
  // ended), decision_pending_draw, reason_required (an empty reason).
  Result<std::uint64_t> declare_recusal(const core::Actor& tenderer, std::string_view tender,
                                        std::string_view reason);

  // Tenderer of the community (POST /decision), idempotent: a decision
  // already made (awarded or failed) is answered as stored, appending
  // nothing. Methods with a vote (owners_vote, committee_vote,
  // vote_then_lottery) are never decided by this click: the platform
  // decides them itself when the window closes or, for the committee
  // methods, once every voter voted (catch_up, the background tick); until
  // then this refuses vote_window_open. The other methods run on this click.
  // Refuses not_tenderer, not_tenderer_of_community, tender_wrong_status,
  // vote_window_open, decision_pending_draw (a draw waits for its beacon),
  // the hook's codes.
  Result<StageResult> decide(const core::Actor& tenderer, std::string_view tender);

  // Applies the tender's due transitions, each its own command and entry:
  // tender_core's, the committee's pool commitment once bidding has closed,
  // the opening of the vote window (decision.vote_opened), and the decision
  // of a closed vote (decision.made by the system).
  Status catch_up(std::string_view tender);

  // The platform's background step as of `now_ms`: tender_core's due
  // transitions of every live tender (TenderService::tick), then
  // evaluation's: the committee's pool list once bidding has closed (before
  // the beacon date; docs/committee-draw.md), the opening of a vote window,
  // the decision of a closed vote. A tender whose step fails goes to
  // `failures` and is skipped: it never stops the others (legal D3).
  // Answers the number of tender_core transitions applied.
  // REQUIRES: now_ms <= clock now.
  Result<int> tick(std::int64_t now_ms, std::vector<core::TickFailure>& failures);

  // ---- readers (the caller's own connection) ----
  // Whether the committee's pool list of the tender is committed (or the
  // committee drawn without one).
  static Result<bool> pool_committed(audit::Database& db, std::string_view tender);
  // Marks `viewer` may see: evaluators see their own, and another member's
  // only once that member has submitted every bid; supervisors, like
  // everybody else, see no marks before the review concluded (they see
  // review_progress instead; security A8), and until the
  // decision they see `member` as the seat number ("1".."n", the report's).
  // Supervisors and the tender's drawn evaluators always see accounts.
  // Per active member (in seat order), how many bids it has marked: what a
  // supervisor follows while the review runs.
  static Result<std::vector<ReviewProgress>> review_progress(audit::Database& db,
                                                             std::string_view tender);
  static Result<std::vector<MarksView>> marks_visible_to(audit::Database& db,
                                                         std::string_view tender,
                                                         const core::Actor& viewer);
  // Committee members and supervisors; the community's tenderer once the
  // review concluded. Refuses not_allowed.
  static Result<ClearingReport> clearing_report(audit::Database& db, std::string_view tender,
                                                const core::Actor& viewer);
  // Public once publicized: unranked, sorted by bid id. Refuses
  // candidates_not_public.
  static Result<std::vector<std::string>> candidates(audit::Database& db, std::string_view tender);
  // The committee as `viewer` may see it: supervisors at any time, an
  // evaluator drawn for this tender (member, reserve, declined or replaced)
  // at any time, everybody else once the decision is made (award publicized
  // or awarded) or the tender failed or was cancelled (招标投标法 art. 37).
  // Refuses
  // not_allowed. (There is no unchecked form: the server once called one
  // and disclosed the committee, architecture review S1.)
  static Result<CommitteeView> committee(audit::Database& db, std::string_view tender,
                                         const core::Actor& viewer);
  // Ballots and committee votes `viewer` may see at `now_ms`, by round, then
  // voter. Evaluators see nothing of the decision (not_allowed). While a
  // round is open (before its window closes and before it is decided) a
  // voter sees only their own ballot or vote, and nobody else anything of
  // that round (ballot secrecy); once it is closed everybody else sees every
  // ballot of it. An owner's `owner_key` is shown only to that owner and to
  // supervisors (others see nullopt); committee votes name their member.
  static Result<std::vector<VoteView>> votes_visible_to(audit::Database& db,
                                                        std::string_view tender,
                                                        const core::Actor& viewer,
                                                        std::int64_t now_ms);
  // The round of the tender's decision vote (owners' or committee) open at
  // `now_ms`: opened (decision.vote_opened written; the window opens lazily,
  // so catch_up first), not decided, its window not closed or paused by a
  // suspension. nullopt when none (GET /me lists an owner's open votes).
  struct VoteRoundOpen {
    std::int64_t round = 0;
    std::int64_t opens_ms = 0;
    std::int64_t closes_ms = 0;
  };
  static Result<std::optional<VoteRoundOpen>> open_round(audit::Database& db,
                                                         std::string_view tender,
                                                         std::int64_t now_ms);
  // The participation in the owners' vote's latest round, public as a
  // motion's turnout (no choices, issue 13 §2): the frozen roster's totals
  // and the area and heads of the owners who have cast a ballot
  // (abstentions included). nullopt before the vote opens.
  struct OwnersTurnout {
    std::int64_t round = 0;
    std::int64_t opens_ms = 0;
    std::int64_t closes_ms = 0;
    std::int64_t total_area_centi_m2 = 0;
    std::int64_t total_heads = 0;
    std::int64_t participating_area_centi_m2 = 0;
    std::int64_t participating_heads = 0;
  };
  static Result<std::optional<OwnersTurnout>> owners_turnout(audit::Database& db,
                                                             std::string_view tender);
  // The decision's state and result; refuses not_allowed to evaluators.
  static Result<boost::json::object> decision(audit::Database& db, std::string_view tender,
                                              const core::Actor& viewer);
  // marks_visible_to, plus review_progress for a supervisor.
  static Result<ReviewsView> reviews_visible_to(audit::Database& db, std::string_view tender,
                                                const core::Actor& viewer);
  // The publicized candidates (candidates()) joined with the opening record:
  // unranked, sorted by bid id. Refuses candidates_not_public.
  static Result<std::vector<Candidate>> candidate_list(audit::Database& db,
                                                       std::string_view tender);
  // The decision, public once it is made: award publicized, awarded, or a
  // failed tender whose decision had started. Before that nothing of it (no
  // tally, no ballot) is shown to anyone: award_not_public; evaluators are
  // refused not_allowed (segregation of duties), as by decision().
  static Result<AwardView> award(audit::Database& db, std::string_view tender,
                                 const core::Actor& viewer);

 private:
  Result<bool> open_vote_if_due(std::string_view tender);
  Result<bool> decide_if_due(std::string_view tender);
  // What the decision adds to TenderService's commands (service_windows.cc):
  // publish freezes the deciding committee (odd, >= 5:
  // decision_committee_invalid); a tenderer's cancel is refused once the
  // vote binds (cancel_requires_supervisor); suspend pauses an open vote
  // window and the release of its ballots and votes; resume extends it
  // (vote_window.h) and moves those releases to the new close.
  core::TenderHooks tender_hooks();
  // Once bidding has closed (reveal or opened, no committee yet): commits the
  // eligible experts as of the bid-closing entry, salted, in an order drawn
  // from server randomness, in the public `committee.pool_committed`.
  Result<bool> commit_pool_if_due(std::string_view tender);

  audit::Ledger& ledger_;
  const Clock& clock_;
  core::TenderService& tenders_;
  RestDayTest is_rest_day_;
};

}  // namespace sunbid::eval
