#include "server/rate_limiter.h"

#include <algorithm>
#include <vector>

namespace sunbid::server {

RateLimiter::RateLimiter(int max_events, std::chrono::milliseconds window, std::size_t max_keys)
    : max_events_(static_cast<std::size_t>(std::max(1, max_events))),
      window_ms_(std::max<std::int64_t>(1, window.count())),
      max_keys_(std::max<std::size_t>(1, max_keys)) {}

void RateLimiter::make_room(std::int64_t now_ms) {
  if (events_.size() < max_keys_) return;
  std::erase_if(events_, [&](const auto& kv) { return kv.second.back() + window_ms_ <= now_ms; });
  if (events_.size() < max_keys_) return;
  std::vector<std::int64_t> last;
  last.reserve(events_.size());
  for (const auto& kv : events_) last.push_back(kv.second.back());
  std::size_t drop = std::max<std::size_t>(1, last.size() / 8);
  std::nth_element(last.begin(), last.begin() + static_cast<std::ptrdiff_t>(drop - 1), last.end());
  const std::int64_t cutoff = last[drop - 1];
  std::size_t dropped = 0;
  for (auto it = events_.begin(); it != events_.end() && dropped < drop;) {
    if (it->second.back() <= cutoff) {
      it = events_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
}

std::optional<std::int64_t> RateLimiter::acquire(std::string_view key, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = events_.find(std::string(key));
  if (it != events_.end()) {
    auto& q = it->second;
    while (!q.empty() && q.front() + window_ms_ <= now_ms) q.pop_front();
    if (q.size() >= max_events_) {
      return std::max<std::int64_t>(1, (q.front() + window_ms_ - now_ms + 999) / 1000);
    }
    q.push_back(now_ms);
    return std::nullopt;
  }
  make_room(now_ms);
  events_[std::string(key)].push_back(now_ms);
  return std::nullopt;
}

}  // namespace sunbid::server
