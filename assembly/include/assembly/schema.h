// The owners' assembly's tables in sunbid.db (migration version 28):
//
//   assembly_motions          one row per motion: community, status, the
//                             request, notice and window instants, frozen
//                             roster totals, the result once closed
//   assembly_roster_snapshot  owners' weights copied when the window opens
//   assembly_ballots          the current ballot per (motion, owner_key)
//
// Thread-safety: a value.
#pragma once

#include <vector>

#include "audit_log/ledger.h"

namespace sunbid::assembly {

inline constexpr int kAssemblySchemaVersion = 28;

std::vector<audit::Migration> assembly_migrations();

}  // namespace sunbid::assembly
