// The owners' assembly's tables in sunbid.db (migration version 28):
//
//   assembly_motions          one row per motion: community, status, the
//                             request, notice and window instants, frozen
//                             roster totals, the result once closed
//   assembly_roster_snapshot  owners' weights copied when the window opens
//   assembly_ballots          the current ballot per (motion, owner_key)
//
// Migration 31 (the selection plan gate, docs/motions.md):
//   assembly_motions.closed_index  the motion.closed entry's log index
//   assembly_plan_uses        one row per published tender: the passed
//                             selection-plan motion it follows
//
// Migration 32 (paper ballots, 书面投票, docs/motions.md):
//   assembly_motions.tally_ms  the instant of the tally: the window's end,
//                             or kPaperLateDays later with paper ballots
//   assembly_paper_ballots    one row per (motion, owner_key): the two
//                             entries (who, choice, scan digest, proxy) and
//                             the state (pending, counted, mismatch, void,
//                             superseded); private to supervisors
//   assembly_scrutineers      the owners' 监票人 accounts of a motion
//
// Thread-safety: a value.
#pragma once

#include <vector>

#include "audit_log/ledger.h"

namespace sunbid::assembly {

inline constexpr int kAssemblySchemaVersion = 28;
inline constexpr int kSelectionPlanMigration = 31;
inline constexpr int kPaperBallotMigration = 32;

std::vector<audit::Migration> assembly_migrations();

}  // namespace sunbid::assembly
