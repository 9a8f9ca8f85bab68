// tender_core's tables in sunbid.db: migrations 2 (the base tables), 5
// (bid storage: bid_versions + bid_current, `bids` becomes a view), 6
// (bid_current merged from a bounded tail of bid_versions), 11 (the
// qualification gate and bidder floor on the tenders row, retender_of), 14
// (the decision binds: cancel_rule, candidate_publicity_ended_ms) and 21
// (periods in calendar days, the holiday calendar, document objections that
// hold the deadline) and 29 (tender_contracts); version
// numbers are global to the file (docs/ledger.md). All of them are written only through ledger
// commands of Registry and TenderService (and the evaluation hooks of tender_hooks.h), each command
// together with exactly one audit entry.
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
//                                        frozen at publish), the frozen gate
//                                        (min_bidders, min_credit_grade,
//                                        min_star_rating), retender_of
//   tender_suspensions, tender_amendments
//   bid_versions                         every commitment and withdrawal,
//                                        appended in log order (rowid =
//                                        receipt index)
//   bid_current(tender, bidder, receipt) the live bid per bidder as of the
//                                        versions up to bid_merge.merged_upto
//                                        (migration 6); later versions (the
//                                        tail) are merged in batches
//   bids (view)                          the live commitment per bidder, in
//                                        the shape of migration 2's table
//   rating_snapshots                     registry values in force at the deadline
//   opening_rows                         the opening record (开标记录)
//   tender_candidates, objections
//   calendar_versions                    the platform holiday calendar, one
//                                        row per version (calendar.h)
//   tender_contracts                     the contract recorded after the
//                                        award (one per tender)
//   tender_documents, tender_document_pdfs  official documents' source data
//                                        and PDFs (documents.h)
//   tenderer_kinds                       each tenderer account's kind of
//                                        organisation (accounts/role.h)
//
// Thread-safety: a pure function.
#pragma once

#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"

namespace sunbid::core {

inline constexpr int kTenderCoreBaseMigration = 2;
inline constexpr int kBidStorageMigration = 5;
inline constexpr int kBidTailMigration = 6;
inline constexpr int kGateMigration = 11;
// tenders.cancel_rule (a supervisor's cancellation cites the rule violated)
// and tenders.candidate_publicity_ended_ms (the instant the candidate
// publicity really ended: objections answered, suspensions over).
inline constexpr int kDecisionBindsMigration = 14;
inline constexpr int kPeriodsMigration = 21;
// tender_contracts: the signed contract of an awarded tender (法 46).
inline constexpr int kContractMigration = 29;
// Migration 30 (tender_core/documents.h): tender_documents and
// tender_document_pdfs, the official documents' source data and PDFs.
// tenderer_kinds (each tenderer account's kind, written by accounts),
// tenders.tenderer_kind (frozen at the draft) and service_tiers.menu_items
// (菜单式服务; issue 13 §3, docs/tenderer-kinds.md).
inline constexpr int kTendererKindsMigration = 33;
// The newest schema version tender_core's migrations bring a file to.
inline constexpr int kTenderCoreSchemaVersion = 33;

std::vector<audit::Migration> tender_core_migrations();

// A SHA-256 (hex) over every row of every tender_core table and of
// audit_withheld, in a fixed order: lets a test (or an operator) check that a
// refused command changed nothing. Decides no outcome.
Result<std::string> core_tables_digest(audit::Database& db);

}  // namespace sunbid::core
