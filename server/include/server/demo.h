// The demonstration data of `sunbid serve --demo`, seeded ONCE through the
// real services (Registry, TenderService, create_account — every step a
// ledger command with its audit entry): a Xiamen community of 200 units, the
// service-tier table, five rated enterprises (one blacklisted, one below the
// tender's thresholds), an account for every role, the expert pool (the nine
// evaluator accounts with specialties and employers, evaluator9 employed by
// a bidder of the tender, so the committee draw excludes it), and a
// published tender with two sealed bids.
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
// ledger's clock.
#pragma once

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
  std::string tender_id;
  std::vector<DemoAccount> accounts;  // empty when already seeded
};

inline constexpr std::string_view kDemoAdminUsername = "admin";

Result<DemoSeed> seed_demo(audit::Ledger& ledger, const Clock& clock,
                           const std::filesystem::path& data_dir,
                           const accounts::ScryptParams& scrypt = {});

}  // namespace sunbid::server
