// The HTTPS server's limits, in one place: sizes, timeouts and caps that keep
// slow or hostile clients from holding resources.
//
// Thread-safety: constants only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sunbid::server::limits {

// Request line plus headers; beyond it the connection answers 431 and closes.
inline constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;
// Request bodies: 1 MiB in general, 16 MiB for roster uploads; beyond: 413.
inline constexpr std::uint64_t kMaxBodyBytes = 1024 * 1024;
inline constexpr std::uint64_t kMaxRosterBodyBytes = 16 * 1024 * 1024;

// The TLS handshake must complete within this time.
inline constexpr std::chrono::seconds kHandshakeTimeout{10};
// A kept-alive connection may wait this long for the next request's headers
// (the whole header must arrive within it: slow senders are dropped).
inline constexpr std::chrono::seconds kIdleTimeout{30};
// Reading one request's body, and writing one response.
inline constexpr std::chrono::seconds kReadTimeout{60};
inline constexpr std::chrono::seconds kWriteTimeout{60};
// After SIGTERM, in-flight requests get this long before connections are cut.
inline constexpr std::chrono::seconds kShutdownGrace{20};

// Open connections beyond this are accepted and closed at once.
inline constexpr std::size_t kMaxConnections = 4096;
// Requests served on one kept-alive connection before it is closed.
inline constexpr std::uint32_t kMaxRequestsPerConnection = 10000;

// GET /audit/entries answers at most this many entries per page.
inline constexpr std::uint64_t kMaxEntriesPerPage = 1000;
// Lists with ?limit= (GET /tenders): the default and the largest page.
inline constexpr std::uint64_t kDefaultListLimit = 100;
inline constexpr std::uint64_t kMaxListLimit = 500;

// Bearer sessions live this long.
inline constexpr std::chrono::hours kSessionLifetime{12};
// Login throttling: this many failures within the window, per account and per
// client address, refuse further attempts (429) until the window allows.
inline constexpr int kMaxLoginFailures = 5;
inline constexpr std::chrono::minutes kLoginFailureWindow{15};
// Throttle records kept in memory before old ones are pruned.
inline constexpr std::size_t kMaxThrottleKeys = 100000;

// POST /dev/clock moves the dev clock by at most this much per call.
inline constexpr std::int64_t kMaxDevClockAdvanceS = 366LL * 24 * 3600;

// The body limit for a request target (the path without the query).
constexpr std::uint64_t body_limit_for(std::string_view method, std::string_view target) {
  // PUT /api/v1/communities/{id}/roster
  constexpr std::string_view kPrefix = "/api/v1/communities/";
  constexpr std::string_view kSuffix = "/roster";
  std::string_view path = target.substr(0, target.find('?'));
  if (method == "PUT" && path.size() > kPrefix.size() + kSuffix.size() &&
      path.substr(0, kPrefix.size()) == kPrefix &&
      path.substr(path.size() - kSuffix.size()) == kSuffix) {
    return kMaxRosterBodyBytes;
  }
  return kMaxBodyBytes;
}

}  // namespace sunbid::server::limits
