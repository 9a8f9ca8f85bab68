// Reading every row of a prepared statement: the loop every reader writes
// (step, stop at the end, reset on every path, an error answered as it came).
//
// Thread-safety: as the statement's connection (one thread at a time).
#pragma once

#include <utility>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::audit {

// Calls `row(st)` for each row of `st` (already bound), then resets it — on
// an error too. `row` returns void.
template <class F>
Status each_row(Statement& st, F&& row) {
  for (;;) {
    auto more = st.step();
    if (!more.ok()) {
      st.reset();
      return std::move(more).error();
    }
    if (!*more) break;
    row(st);
  }
  st.reset();
  return ok_status();
}

}  // namespace sunbid::audit
