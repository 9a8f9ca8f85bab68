#include "evaluation/cutoff.h"

#include <algorithm>

#include "evaluation/draw.h"

namespace sunbid::eval {

Cutoff cutoff(std::vector<KeyedId> items, std::size_t cap, Prefer prefer) {
  // Best first; ids break the order only for a deterministic layout, never
  // for selection (equal keys at the boundary go to the draw).
  std::sort(items.begin(), items.end(), [prefer](const KeyedId& a, const KeyedId& b) {
    if (a.key != b.key) return prefer == Prefer::kSmallest ? a.key < b.key : a.key > b.key;
    return a.id < b.id;
  });
  Cutoff out;
  if (cap >= items.size()) {
    for (auto& it : items) out.certain.push_back(std::move(it.id));
    std::sort(out.certain.begin(), out.certain.end());
    return out;
  }
  if (cap == 0) return out;
  const std::int64_t boundary = items[cap - 1].key;
  std::size_t tied_begin = cap - 1;
  while (tied_begin > 0 && items[tied_begin - 1].key == boundary) --tied_begin;
  std::size_t tied_end = cap;
  while (tied_end < items.size() && items[tied_end].key == boundary) ++tied_end;
  for (std::size_t i = 0; i < tied_begin; ++i) out.certain.push_back(std::move(items[i].id));
  if (tied_end - tied_begin == cap - tied_begin) {
    // Nobody beyond the cap shares the boundary key: no draw.
    for (std::size_t i = tied_begin; i < cap; ++i) out.certain.push_back(std::move(items[i].id));
  } else {
    for (std::size_t i = tied_begin; i < tied_end; ++i) out.tied.push_back(std::move(items[i].id));
    out.draw_count = cap - tied_begin;
  }
  std::sort(out.certain.begin(), out.certain.end());
  std::sort(out.tied.begin(), out.tied.end());
  return out;
}

std::vector<std::string> draw_among(std::vector<std::string> ids, std::size_t count,
                                    const Hash& seed) {
  std::sort(ids.begin(), ids.end());
  DrawStream stream(seed);
  std::vector<std::string> out;
  for (std::size_t index : stream.sample(ids.size(), std::min(count, ids.size())))
    out.push_back(ids[index]);
  return out;
}

std::vector<std::string> resolve_cutoff(const Cutoff& c, const Hash& seed) {
  std::vector<std::string> out = c.certain;
  if (c.needs_draw()) {
    for (auto& id : draw_among(c.tied, c.draw_count, seed)) out.push_back(std::move(id));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sunbid::eval
