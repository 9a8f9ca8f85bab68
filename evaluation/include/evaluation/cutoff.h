// Selection at a boundary: "the k best by some integer key", where items tied
// at the boundary are left to a verifiable draw, and the draw among tied ids.
//
// Used by the candidate cap (lowest prices), the owners' run-off (two largest
// areas), the vote-then-lottery shortlist (most votes) and every tie-break.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "audit_log/sha256.h"

namespace sunbid::eval {

struct KeyedId {
  std::string id;
  std::int64_t key = 0;
};

// The outcome of choosing `cap` items by key.
// Invariant: certain.size() + draw_count == min(cap, number of items);
// draw_count < tied.size() whenever draw_count > 0 (otherwise the tied items
// would simply be certain); both lists sorted by id (byte order).
struct Cutoff {
  std::vector<std::string> certain;  // selected whatever a draw says
  std::vector<std::string> tied;     // share the boundary key
  std::size_t draw_count = 0;        // places left for the tied items
  bool needs_draw() const { return draw_count > 0; }
};

enum class Prefer { kSmallest, kLargest };

// REQUIRES: ids distinct (callers validate their inputs first).
Cutoff cutoff(std::vector<KeyedId> items, std::size_t cap, Prefer prefer);

// The draw among tied ids: the ids are sorted by byte order, then
// DrawStream(seed).sample(ids.size(), count) picks them. Returns the chosen
// ids in draw order. For count = 1 this is ids[uniform(n)].
// REQUIRES: count ≤ ids.size().
std::vector<std::string> draw_among(std::vector<std::string> ids, std::size_t count,
                                    const Hash& seed);

// certain ∪ draw_among(tied, draw_count, seed), sorted by id.
std::vector<std::string> resolve_cutoff(const Cutoff& c, const Hash& seed);

}  // namespace sunbid::eval
