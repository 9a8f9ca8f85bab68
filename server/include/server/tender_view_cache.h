// Rendered GET /tenders/{id} answers, reused while nothing can have changed.
//
// An entry is keyed by the tender id and the viewer's relation fields (role,
// community, enterprise, owner key: everything the view and the bid
// visibility rules look at), so one viewer is never shown another's answer.
// It is stamped with the ledger's commit count read *before* the read
// snapshot it was built from, and with the instant until which time alone
// cannot change it (the tender's effective bid deadline). It is answered only
// while the commit count is unchanged — every durable change of any kind
// bumps it, and a client's write is acknowledged only after the bump — and
// the clock is before that instant. So a hit is exactly what a fresh read
// would answer.
//
// Bounded: at kMaxEntries the cache is cleared.
//
// Thread-safety: safe for concurrent use (a reader/writer lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/http_message.h"
#include "tender_core/actor.h"

namespace sunbid::server {

class TenderViewCache {
 public:
  static constexpr std::size_t kMaxEntries = 4096;

  TenderViewCache() = default;
  TenderViewCache(const TenderViewCache&) = delete;
  TenderViewCache& operator=(const TenderViewCache&) = delete;

  static std::string key(std::string_view tender_id, const core::Actor& viewer);

  // The cached answer, when it was stamped with `commits` and `now_ms` is
  // before its validity end.
  std::optional<Response> find(const std::string& key, std::uint64_t commits,
                               std::int64_t now_ms) const;
  // REQUIRES: `commits` was read before the snapshot `answer` was built
  // from; nothing in `answer` changes by time alone before `valid_until_ms`.
  void insert(std::string key, std::uint64_t commits, std::int64_t valid_until_ms,
              const Response& answer);

 private:
  struct Entry {
    std::uint64_t commits = 0;
    std::int64_t valid_until_ms = 0;
    Response answer;
  };
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace sunbid::server
