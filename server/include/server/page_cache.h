// PageCache: the complete pages of the OCDS feed, kept to be served again
// without a read or a serialization.
//
// A page of `limit` releases after log index `after` never changes once it
// is complete: releases are made in log order, never after a later one, and
// never changed (publication/ocds.h), so its bytes, gzip and ETag are kept
// under (after, limit). A page with fewer releases (the feed's end) is never
// kept. At most `max_bytes` are kept; the oldest pages go first.
//
// Thread-safety: safe for concurrent use (one mutex; a found page is shared,
// immutable).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "server/public_body.h"

namespace sunbid::server {

class PageCache {
 public:
  explicit PageCache(std::size_t max_bytes = std::size_t{32} << 20) : max_bytes_(max_bytes) {}

  std::shared_ptr<const PublicBody> find(std::uint64_t after, std::uint64_t limit) const;
  void put(std::uint64_t after, std::uint64_t limit, std::shared_ptr<const PublicBody> page);

 private:
  using Key = std::pair<std::uint64_t, std::uint64_t>;
  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<const PublicBody>> pages_;  // guarded by mu_
  std::deque<Key> order_;                                    // oldest first; guarded by mu_
  std::size_t bytes_ = 0;                                    // guarded by mu_
};

}  // namespace sunbid::server
