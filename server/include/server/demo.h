// The demonstration data of `sunbid serve --demo`, seeded ONCE through the
// real services (Registry, TenderService, create_account — every step a
// ledger command with its audit entry): a Xiamen community of 200 units, the
// service-tier table, five rated enterprises (one blacklisted, one below the
// tender's thresholds), an account for every role, the expert pool (the nine
// evaluator accounts with specialties and employers, evaluator9 employed by
// a bidder of the tender, so the committee draw excludes it), a published
// tender with three sealed bids, and — so that the demo's owners can vote
// on their phones — a second owners_vote tender IN its owners' vote window
// and an owners' assembly motion (议题) in its window.
//
// The owners first pass the community's selection plans (选聘方案, four
// motions of kind selection_plan voted by every roster owner; no tender
// publishes without one, docs/motions.md): the clock starts kPlanLeadDays
// (30) + kPastDays (50) days before now. Then the owners' vote tender has a
// past: from kPastDays before now it moves forward through its stages, every one through the
// real services (published; three bids sealed and revealed; the opening
// record; the committee drawn with a demo beacon value; every member's
// declaration and pass/fail review; the candidates publicized for 15 days,
// the vote notice); the motion is noticed 16+ days before its window. The
// bidding tender is drafted first (it stays T1) and published when the clock
// has returned to now, where the vote and the motion open. Entry times stay
// monotonic.
//
// Idempotent: when the demo's admin account already exists nothing is
// written and `already_seeded` is set (the passwords were printed at the
// first start only; they are random and never stored in clear) — except
// the expert pool entries a demo database seeded before the pool existed
// lacks, which are added then (once: an existing entry is skipped).
//
// The sealed bids' salts and bid objects are written to
// DATA_DIR/demo-bids/<username>.json (mode 0600), so the demo's bidders can
// reveal them later with curl.
//
// Thread-safety: call once, before the server starts answering.
// REQUIRES: the ledger's schema includes all_migrations(); `clock` is the
// ledger's clock and its time is now; it is left at now (or later, on a
// demo database seeded before).
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "accounts/password.h"
#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "audit_log/result.h"

namespace sunbid::server {

struct DemoAccount {
  std::string username;
  std::string password;  // demo only: printed once
  std::string role;
  std::string note;  // e.g. the enterprise's name or the owner's units
};

struct DemoSeed {
  bool already_seeded = false;
  std::string community_id;
  std::string tender_id;              // in its bidding period
  std::string vote_tender_id;         // in its owners' vote window
  std::string motion_id;              // in its voting window
  std::vector<DemoAccount> accounts;  // empty when already seeded
};

inline constexpr std::string_view kDemoAdminUsername = "admin";

// The clock of `sunbid serve --demo`: its base clock (the system's, or the
// dev clock), except while the demo seeds its past, when it answers the
// seeding clock's time. Thread-safety: seed before the server starts.
class DemoClock final : public Clock {
 public:
  explicit DemoClock(const Clock& base) : base_(base), seed_(base.now_ms()) {}
  std::int64_t now_ms() const override { return seeding_ ? seed_.now_ms() : base_.now_ms(); }
  // The clock seed_demo moves, from the base's time now.
  ManualClock& begin_seeding() {
    seed_.set_ms(base_.now_ms());
    seeding_ = true;
    return seed_;
  }
  void end_seeding() { seeding_ = false; }

 private:
  const Clock& base_;
  ManualClock seed_;
  std::atomic<bool> seeding_{false};
};

Result<DemoSeed> seed_demo(audit::Ledger& ledger, ManualClock& clock,
                           const std::filesystem::path& data_dir,
                           const accounts::ScryptParams& scrypt = {});

}  // namespace sunbid::server
