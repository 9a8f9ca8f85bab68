// tender_core's tables in sunbid.db: migration version 2 (the audit log owns
// version 1). All of them are written only through ledger commands of
// Registry and TenderService (and the evaluation hooks of tender_hooks.h),
// each command together with exactly one audit entry.
//
// Tables:
//   core_counters(name, next)            id sequences ("community", "tender", ...)
//   communities                          one row per community (小区), with the
//                                        totals of its current roster
//   roster_units                         the roster rows (private: owner names
//                                        and keys never leave the database;
//                                        entries carry digests and totals)
//   enterprises(uscc, name, ...)         物业服务企业 by USCC
//   ratings                              the credit/star registry, each record
//                                        with its effective-from instant
//   service_tiers                        the tier table (reference price range)
//   tenders                              status, timeline, rules (draft JSON,
//                                        frozen at publish)
//   tender_suspensions, tender_amendments
//   bids                                 the live commitment per bidder
//   rating_snapshots                     registry values in force at the deadline
//   opening_rows                         the opening record (开标记录)
//   tender_candidates, objections
//
// Thread-safety: a pure function.
#pragma once

#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"

namespace sunbid::core {

inline constexpr int kTenderCoreSchemaVersion = 2;

std::vector<audit::Migration> tender_core_migrations();

// A SHA-256 (hex) over every row of every tender_core table and of
// audit_withheld, in a fixed order: lets a test (or an operator) check that a
// refused command changed nothing. Decides no outcome.
Result<std::string> core_tables_digest(audit::Database& db);

}  // namespace sunbid::core
