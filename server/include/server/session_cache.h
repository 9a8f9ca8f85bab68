// An in-memory cache of live sessions, so that an authenticated request does
// not query SQLite and hash twice: the router looks the bearer token up here
// first and falls back to find_session() on a miss.
//
// Keyed by SHA-256(token), exactly as the sessions table is: raw tokens are
// never stored. A hit is confirmed with a constant-time comparison of the
// stored and the computed hash (as find_session does), and an entry is never
// answered at or after its expiry. An account changes only by being disabled
// (its sessions deleted with it), so the cached AccountRecord cannot go stale
// otherwise; a session ends by expiry (checked on every lookup), by logout,
// by its owner ending its other sessions, or by the account being disabled
// (the caller erases the entries, before and after the commit that deletes
// the rows, so that a request racing the commit cannot leave one cached).
//
// Bounded: when kMaxEntries is reached, expired entries are dropped, and if
// none were, the whole cache is cleared (later requests refill it from the
// database).
//
// Thread-safety: safe for concurrent use (a reader/writer lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "accounts/accounts.h"
#include "audit_log/sha256.h"

namespace sunbid::server {

// SHA-256 of a session token: the key of the sessions table and of the cache.
Hash session_token_hash(const accounts::SessionToken& token);

class SessionCache {
 public:
  static constexpr std::size_t kMaxEntries = 100000;

  SessionCache() = default;
  SessionCache(const SessionCache&) = delete;
  SessionCache& operator=(const SessionCache&) = delete;

  // The cached live session with this token hash at `now_ms`, or nullopt
  // (not cached, or expired: an expired entry is dropped).
  std::optional<accounts::SessionInfo> find(const Hash& token_hash, std::int64_t now_ms);
  // Caches `session` without its account's password hash.
  // REQUIRES: `session` is the database's live session for `token_hash`.
  void insert(const Hash& token_hash, const accounts::SessionInfo& session, std::int64_t now_ms);
  void erase(const Hash& token_hash);
  // Every session of the account, but `keep` when given.
  void erase_account(const std::string& account_id, const Hash* keep = nullptr);
  std::size_t size() const;

 private:
  struct KeyHash {
    std::size_t operator()(const Hash& h) const noexcept;
  };
  struct Entry {
    Hash token_hash;
    accounts::SessionInfo session;
  };

  mutable std::shared_mutex mu_;
  std::unordered_map<Hash, Entry, KeyHash> entries_;
};

}  // namespace sunbid::server
