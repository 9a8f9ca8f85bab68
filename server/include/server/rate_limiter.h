// A sliding-window rate limit per key (an account): at most `max_events`
// within `window`. Bid submissions and ballots (each may replace the last)
// go through it, so that one account cannot grow a tender's trail without
// bound (security A10).
//
// Bounded: at most `max_keys` keys; when full, keys whose events have all
// left the window go, then the oldest eighth. Each key keeps at most
// `max_events` instants. In memory only.
//
// Thread-safety: safe for concurrent use (one mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sunbid::server {

class RateLimiter {
 public:
  RateLimiter(int max_events, std::chrono::milliseconds window, std::size_t max_keys);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Records an event for `key` and answers nullopt, or answers the seconds
  // to wait (>= 1) and records nothing. Check and record are one step.
  std::optional<std::int64_t> acquire(std::string_view key, std::int64_t now_ms);

 private:
  void make_room(std::int64_t now_ms);

  const std::size_t max_events_;
  const std::int64_t window_ms_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> events_;
};

}  // namespace sunbid::server
