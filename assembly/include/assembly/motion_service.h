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
  // Whether a motion of the community is open (the roster lock).
  static Result<bool> roster_locked(audit::Database& db, std::string_view community_id);

 private:
  Result<int> apply_due(std::string_view motion_id);

  audit::Ledger& ledger_;
  const Clock& clock_;
};

}  // namespace sunbid::assembly
