// MotionService: owners' assembly motions (业主大会议题) through the ledger
// (docs/motions.md). No HTTP: the server maps its endpoints onto these
// methods.
//
// Lifecycle (MotionStatus): a tenderer of the community creates a draft,
// gives notice (the opening instant is fixed then: the request's, or the
// earliest allowed, 00:00 China time of the 16th day after the notice's
// day), may cancel it until it opens; the platform opens it at that instant
// (the roster snapshot frozen, the roster of the community locked until the
// close), owners on the snapshot cast secret ballots (a later one replaces
// the earlier), and at the close the platform tallies once: passed,
// rejected or failed_quorum.
//
// Every command runs exactly ONE ledger command that appends exactly one
// entry; a refusal changes nothing. Entries carry no `tender`; they are
// indexed under the subject key "motion:<id>" (motion_subject), so
// GET /motions/{id}/trail is that subject's trail:
//   motion.created   (withheld until the notice: a draft is the tenderer's)
//   motion.noticed, motion.cancelled,
//   motion.opened    (system; roster digest and totals, window, threshold)
//   motion.ballot_cast (owner as a salted digest in the motion's scope, its
//                    area, choice; withheld until the close: ballot secrecy)
//   motion.closed    (system; the tally and the outcome)
//   motion.scrutineer_designated (an owner's 监票人 account for the motion)
//   motion.paper_ballot_entered  (one copy of a paper ballot; the second
//                    copy's entry says whether the two matched: counted,
//                    mismatch or superseded; withheld until the tally)
//   motion.paper_ballot_resolved (a supervisor's decision on a mismatch)
// Before each command the motion's due transitions (opening, close) are
// applied, each its own command and entry (catch_up); tick() does so for
// every due motion.
//
// Thread-safety: safe for concurrent use; readers take the caller's own
// connection.
// REQUIRES: the ledger was opened with the migrations of tender_core,
// accounts, evaluation and assembly_migrations(); ledger, clock and
// registry outlive the service.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assembly/motion.h"
#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"
#include "tender_core/actor.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"

namespace sunbid::assembly {

// The trail subject key of a motion: "motion:" + id.
std::string motion_subject(std::string_view motion_id);

struct MotionView {
  std::string id;
  std::string community_id;
  MotionStatus status = MotionStatus::draft;
  MotionInput input;
  std::vector<std::string> options;  // effective options (without "abstain")
  std::string created_by;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> noticed_ms;
  std::optional<std::int64_t> opens_ms;
  std::optional<std::int64_t> closes_ms;
  std::optional<std::int64_t> total_area_centi_m2;  // the frozen roster, once open
  std::optional<std::int64_t> total_heads;
  std::optional<std::int64_t> tally_ms;  // the tally: closes_ms, + kPaperLateDays with paper
  std::optional<boost::json::object> result;  // motion.closed's payload, once closed
  std::uint64_t log_index = 0;                // the entry of the command that answered
};

struct MotionBallotCast {
  std::uint64_t log_index = 0;
  std::string entry;  // the ballot entry's exact bytes: the owner's receipt
  bool replaced = false;
};

// Public during the window and after (no choices): participation against the
// 2/3 quorum of the frozen roster.
struct Turnout {
  std::string motion_id;
  MotionStatus status = MotionStatus::draft;
  std::int64_t total_area_centi_m2 = 0;
  std::int64_t total_heads = 0;
  std::int64_t participating_area_centi_m2 = 0;
  std::int64_t participating_heads = 0;
  bool area_quorum = false;
  bool head_quorum = false;
  std::optional<std::int64_t> opens_ms;
  std::optional<std::int64_t> closes_ms;
};

// ReqPaperBallot: one copy of a paper ballot (书面投票) as an entrant typed it.
struct PaperBallotInput {
  std::string owner_key;
  std::string choice;            // an option or "abstain"
  std::string scan_sha256_hex;   // the scan's SHA-256 (the scan itself is not uploaded)
  int entry = 1;                 // 1: a tenderer clerk; 2: a supervisor or a 监票人
  bool proxy = false;            // cast by a proxy (授权委托书)
  std::optional<std::string> proxy_name;
  std::string proxy_authorisation_sha256_hex;  // when proxy
  std::optional<std::int64_t> stamped_ms;      // required after the window's end
};

// The answer to an entry or a resolution: the entry appended (its bytes:
// the entrant sees the choice it typed) and the paper ballot's state.
struct PaperBallotStep {
  std::uint64_t log_index = 0;
  std::string entry;
  std::string paper_ballot_id;  // "P<seq>", per motion
  std::string status;           // pending | counted | mismatch | void | superseded
};

// One copy as stored (private: supervisors, and each entrant its own copy).
struct PaperEntryView {
  int entry = 1;
  std::string account_id;
  std::string choice;
  std::string scan_sha256_hex;
  std::optional<std::string> proxy_name;
  std::optional<std::string> proxy_authorisation_sha256_hex;
  std::optional<std::int64_t> stamped_ms;
  std::int64_t entered_ms = 0;
  std::uint64_t log_index = 0;
};
struct PaperBallotView {
  std::string id;
  std::string owner_key;
  std::int64_t area_centi_m2 = 0;
  std::string status;
  std::optional<std::string> choice;  // counted or resolved
  bool proxy = false;                 // flagged to supervisors
  std::vector<PaperEntryView> entries;
  std::optional<std::string> resolved_by;
  std::optional<std::string> resolution;
};

struct MotionTickFailure {
  std::string motion_id;
  Error error;
};

class MotionService {
 public:
  // Installs the roster lock on `registry` (a community with an open motion
  // refuses a roster import).
  MotionService(audit::Ledger& ledger, const Clock& clock, core::Registry& registry);
  MotionService(const MotionService&) = delete;
  MotionService& operator=(const MotionService&) = delete;

  // A tenderer of the community. Refuses not_tenderer,
  // not_tenderer_of_community, community_not_found, the validate() codes.
  Result<MotionView> create(const core::Actor& tenderer, std::string_view community_id,
                            const MotionInput& input);
  // The motion's tenderer side gives notice; `opens_ms` absent: the earliest
  // allowed. Refuses not_tenderer, not_tenderer_of_community,
  // motion_not_found, motion_wrong_status (not a draft),
  // motion_notice_too_short, motion_roster_missing.
  Result<MotionView> give_notice(const core::Actor& tenderer, std::string_view motion_id,
                                 std::optional<std::int64_t> opens_ms);
  // Before the window opens (draft or noticed). Refuses not_tenderer,
  // not_tenderer_of_community, motion_not_found, motion_wrong_status.
  Result<MotionView> cancel(const core::Actor& tenderer, std::string_view motion_id,
                            std::optional<std::string> reason);
  // An owner on the frozen roster, inside the window; `choice` an option or
  // "abstain". Refuses not_owner, not_an_owner, motion_not_found,
  // vote_window_closed, motion_choice_invalid, owner_not_on_roster.
  Result<MotionBallotCast> cast_ballot(const core::Actor& owner, std::string_view motion_id,
                                       std::string_view choice);
  // The same, answered by `done` once durable (ledger group commit).
  void cast_ballot_async(core::Actor owner, std::string motion_id, std::string choice,
                         std::function<void(Result<MotionBallotCast>)> done);

  // ---- paper ballots (书面投票, docs/motions.md) ----
  // The tenderer of the community names an owner account of the community
  // as a 监票人 (scrutineer) of the motion, before its window opens; a
  // scrutineer may enter copy 2. Answers the entry's log index. Refuses
  // not_tenderer, not_tenderer_of_community, motion_not_found,
  // motion_wrong_status, paper_ballots_not_enabled, scrutineer_invalid.
  Result<std::uint64_t> designate_scrutineer(const core::Actor& tenderer,
                                             std::string_view motion_id,
                                             std::string_view account_id);
  // One copy of a paper ballot. Copy 1: a tenderer of the community; copy 2:
  // a supervisor or a scrutineer of the motion; never the same account for
  // both (paper_ballot_same_clerk). Inside the window, or until the tally
  // for a paper stamped before the window's end. When both copies are in:
  // counted if choice, scan and proxy digests match, else mismatch (for a
  // supervisor); superseded if the owner has an electronic ballot. Refuses
  // motion_not_found, paper_ballots_not_enabled, paper_ballot_not_entrant,
  // paper_ballot_same_clerk, paper_ballot_entry_exists, vote_window_closed,
  // paper_ballot_late, motion_choice_invalid, owner_not_on_roster.
  Result<PaperBallotStep> enter_paper_ballot(const core::Actor& entrant,
                                             std::string_view motion_id,
                                             const PaperBallotInput& in);
  // A supervisor decides a mismatch: an option, "abstain", or "void" (not
  // counted), with a reason; before the tally. Refuses not_supervisor,
  // motion_not_found, paper_ballot_not_found, paper_ballot_not_mismatched,
  // vote_window_closed, motion_choice_invalid.
  Result<PaperBallotStep> resolve_paper_ballot(const core::Actor& supervisor,
                                               std::string_view motion_id,
                                               std::string_view paper_ballot_id,
                                               std::string_view choice, std::string_view reason);

  // The motion's due transitions, each its own command and entry.
  Status catch_up(std::string_view motion_id);
  // Every due transition as of now; a motion whose step fails goes to
  // `failures` and never stops the others. Answers the transitions applied.
  Result<int> tick(std::vector<MotionTickFailure>& failures);

  // ---- readers (the caller's own connection) ----
  // A draft is visible to the tenderers of its community, supervisors and
  // the admin only (motion_not_found to others); every other motion to all.
  static Result<MotionView> motion(audit::Database& db, std::string_view motion_id,
                                   const core::Actor& viewer);
  // Newest first.
  static Result<std::vector<MotionView>> community_motions(audit::Database& db,
                                                           std::string_view community_id,
                                                           const core::Actor& viewer);
  // motion_not_found for a draft (to anyone: no window yet).
  static Result<Turnout> turnout(audit::Database& db, std::string_view motion_id);
  // The paper ballots of a motion: all of them for a supervisor; for anyone
  // else only the copies it entered (the 唱票 exception: a clerk sees the
  // choices it typed). Refuses motion_not_found.
  static Result<std::vector<PaperBallotView>> paper_ballots(audit::Database& db,
                                                            std::string_view motion_id,
                                                            const core::Actor& viewer);
  // Whether a motion of the community is open (the roster lock).
  static Result<bool> roster_locked(audit::Database& db, std::string_view community_id);

 private:
  Result<int> apply_due(std::string_view motion_id);

  audit::Ledger& ledger_;
  const Clock& clock_;
};

}  // namespace sunbid::assembly
