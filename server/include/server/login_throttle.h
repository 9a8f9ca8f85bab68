// Login throttling (security A9): failures are counted per (account, client
// address) pair and per client address across accounts, never per account
// alone, so that a stranger's failures cannot keep a bidder out during the
// reveal window: they delay only the stranger's own pair and address.
//
// A pair's first `max_login_failures` failures within the window are free;
// each further one doubles the delay before the pair may try again, from
// `login_backoff_base` up to `login_backoff_max` (soft backoff, never a
// lockout). An address's limit is `max_address_login_failures`, with the same
// backoff: one address cannot spend unbounded scrypt on guesses across many
// accounts. IPv6 addresses are counted per /64 (one host's allocation).
//
// begin() checks and records in one critical section: concurrent attempts
// each count as a failure until succeeded() takes theirs back.
//
// Bounded: at most `max_throttle_keys` records, each at most
// limits::kMaxUsernameBytes plus an address (REQUIRES: callers refuse longer
// usernames first); when full, expired records go, then the oldest eighth.
// In memory only (a restart forgets).
//
// Thread-safety: safe for concurrent use (one mutex).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/limits.h"

namespace sunbid::server {

class LoginThrottle {
 public:
  explicit LoginThrottle(const limits::Settings& settings = {});
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // Seconds the caller must wait (>= 1), recording nothing; or nullopt when
  // the attempt may go on, in which case it is recorded as a failure of the
  // pair and of the address until succeeded() is called.
  std::optional<std::int64_t> begin(std::string_view username, std::string_view address,
                                    std::int64_t now_ms);
  // The attempt begun for this pair succeeded: the pair's failures are
  // cleared, and the address's provisional failure taken back.
  void succeeded(std::string_view username, std::string_view address);

  std::size_t size() const;

  // The key an address is counted under: itself, or its /64 for IPv6.
  static std::string address_bucket(std::string_view address);

 private:
  struct Record {
    std::uint32_t failures = 0;
    std::int64_t last_ms = 0;
    std::int64_t allowed_from_ms = 0;
  };
  std::optional<std::int64_t> wait_for(const std::string& key, std::int64_t now_ms);
  void add(const std::string& key, int free_failures, std::int64_t now_ms);
  void make_room(std::int64_t now_ms);

  limits::Settings settings_;
  std::int64_t window_ms_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace sunbid::server
