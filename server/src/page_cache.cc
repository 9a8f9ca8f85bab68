#include "server/page_cache.h"

namespace sunbid::server {

namespace {

std::size_t size_of(const PublicBody& b) {
  return b.identity.size() + b.gzipped.size() + b.digest.size();
}

}  // namespace

std::shared_ptr<const PublicBody> PageCache::find(std::uint64_t after, std::uint64_t limit) const {
  std::lock_guard lock(mu_);
  auto it = pages_.find({after, limit});
  return it == pages_.end() ? nullptr : it->second;
}

void PageCache::put(std::uint64_t after, std::uint64_t limit,
                    std::shared_ptr<const PublicBody> page) {
  const std::size_t size = size_of(*page);
  if (size > max_bytes_) return;
  std::lock_guard lock(mu_);
  const Key key{after, limit};
  if (pages_.contains(key)) return;  // made twice by concurrent requests: the same bytes
  while (bytes_ + size > max_bytes_ && !order_.empty()) {
    auto oldest = pages_.find(order_.front());
    bytes_ -= size_of(*oldest->second);
    pages_.erase(oldest);
    order_.pop_front();
  }
  pages_.emplace(key, std::move(page));
  order_.push_back(key);
  bytes_ += size;
}

}  // namespace sunbid::server
