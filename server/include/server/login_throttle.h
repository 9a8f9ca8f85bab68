// Login throttling: failed logins counted per account and per client
// address; kMaxLoginFailures within kLoginFailureWindow refuse further
// attempts for that key until the oldest failure leaves the window.
//
// In memory only (a restart forgets), bounded by kMaxThrottleKeys.
//
// Thread-safety: safe for concurrent use (one mutex).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sunbid::server {

class LoginThrottle {
 public:
  LoginThrottle() = default;
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // Seconds the caller must wait (>= 1), or nullopt when the attempt may go on.
  std::optional<std::int64_t> retry_after_s(std::string_view username, std::string_view address,
                                            std::int64_t now_ms);
  void record_failure(std::string_view username, std::string_view address, std::int64_t now_ms);
  // A successful login clears the account's failures (not the address's).
  void record_success(std::string_view username);

 private:
  using Failures = std::deque<std::int64_t>;
  std::optional<std::int64_t> wait_for(const std::string& key, std::int64_t now_ms);
  void add(const std::string& key, std::int64_t now_ms);
  void prune(std::int64_t now_ms);

  std::mutex mu_;
  std::unordered_map<std::string, Failures> failures_;
};

}  // namespace sunbid::server
