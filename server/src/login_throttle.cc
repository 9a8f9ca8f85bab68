#include "server/login_throttle.h"

#include <chrono>

#include "server/limits.h"

namespace sunbid::server {

namespace {

constexpr std::int64_t kWindowMs =
    std::chrono::duration_cast<std::chrono::milliseconds>(limits::kLoginFailureWindow).count();

std::string account_key(std::string_view username) {
  return "u:" + std::string(username);
}
std::string address_key(std::string_view address) {
  return "a:" + std::string(address);
}

}  // namespace

std::optional<std::int64_t> LoginThrottle::wait_for(const std::string& key, std::int64_t now_ms) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  Failures& f = it->second;
  while (!f.empty() && f.front() + kWindowMs <= now_ms) f.pop_front();
  if (f.size() < static_cast<std::size_t>(limits::kMaxLoginFailures)) return std::nullopt;
  // The attempt is allowed again once enough failures have left the window.
  std::int64_t until = f[f.size() - limits::kMaxLoginFailures] + kWindowMs;
  std::int64_t wait_ms = until - now_ms;
  return std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
}

std::optional<std::int64_t> LoginThrottle::retry_after_s(std::string_view username,
                                                         std::string_view address,
                                                         std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto a = wait_for(account_key(username), now_ms);
  auto b = wait_for(address_key(address), now_ms);
  if (a && b) return std::max(*a, *b);
  return a ? a : b;
}

void LoginThrottle::add(const std::string& key, std::int64_t now_ms) {
  Failures& f = failures_[key];
  f.push_back(now_ms);
  // Older failures than the limit needs are never consulted again.
  while (f.size() > static_cast<std::size_t>(limits::kMaxLoginFailures)) f.pop_front();
}

void LoginThrottle::prune(std::int64_t now_ms) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    if (it->second.empty() || it->second.back() + kWindowMs <= now_ms) {
      it = failures_.erase(it);
    } else {
      ++it;
    }
  }
}

void LoginThrottle::record_failure(std::string_view username, std::string_view address,
                                   std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (failures_.size() >= limits::kMaxThrottleKeys) prune(now_ms);
  add(account_key(username), now_ms);
  add(address_key(address), now_ms);
}

void LoginThrottle::record_success(std::string_view username) {
  std::lock_guard lock(mu_);
  failures_.erase(account_key(username));
}

}  // namespace sunbid::server
