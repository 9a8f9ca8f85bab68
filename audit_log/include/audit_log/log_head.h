// The writer's view of the end of the log: how many entries, the chain link
// for the next one, and the Merkle frontier. The ledger keeps a committed
// head and a pending one (advanced inside the current batch); the committed
// head advances only after the batch's COMMIT succeeded.
//
// Thread-safety: a value; the ledger guards its copies.
#pragma once

#include <cstdint>

#include "audit_log/merkle.h"
#include "audit_log/sha256.h"

namespace sunbid::audit {

struct LogHead {
  std::uint64_t size = 0;
  Hash prev{};  // SHA-256 of the last entry's bytes; zeros for the empty log
  std::int64_t last_time_ms = 0;
  Frontier frontier;
};

}  // namespace sunbid::audit
