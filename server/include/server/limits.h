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

// GET /audit/entries answers at most this many entries per page, and stops
// a page early once it holds kMaxPageBytes (at least one entry per page).
inline constexpr std::uint64_t kMaxEntriesPerPage = 1000;
inline constexpr std::uint64_t kMaxPageBytes = 4 * 1024 * 1024;
// GET /tenders/{id}/trail answers at most this many entries per page.
inline constexpr std::uint64_t kMaxTrailEntriesPerPage = 1000;
// Objections: the text's size, and the objections per page.
inline constexpr std::uint64_t kMaxObjectionTextBytes = 16 * 1024;
inline constexpr std::uint64_t kObjectionsPerPage = 100;
// A tender draft's title (UTF-8 bytes) and rules (canonical JSON bytes):
// kept and served forever (core::PlatformSettings; field_too_long).
inline constexpr std::uint64_t kMaxTenderTitleBytes = 512;
inline constexpr std::uint64_t kMaxTenderRulesBytes = 64 * 1024;
// Bodies sent without a valid session (the only anonymous body is a login).
inline constexpr std::uint64_t kMaxAnonymousBodyBytes = 16 * 1024;
// Open connections from one client address (a trusted proxy's are not
// counted: its clients are told apart per request).
inline constexpr std::size_t kMaxConnectionsPerAddress = 64;
// Bid submissions and ballots (each may replace the last) per account within
// kReplacementWindow; beyond: 429 `too_many_replacements`.
inline constexpr int kMaxReplacementsPerWindow = 30;
inline constexpr std::chrono::minutes kReplacementWindow{60};
// Lists with ?limit= (GET /tenders): the default and the largest page.
inline constexpr std::uint64_t kDefaultListLimit = 100;
inline constexpr std::uint64_t kMaxListLimit = 500;

// Bearer sessions live this long.
inline constexpr std::chrono::hours kSessionLifetime{12};
// Login throttling (login_throttle.h): failures are counted per (account,
// client address) pair, and per client address across accounts. A pair's
// first kMaxLoginFailures failures are free; each further one doubles a
// delay from kLoginBackoffBase up to kLoginBackoffMax before the pair may try
// again. There is no lockout of an account as such: a stranger's failures
// delay only the stranger's own pair (security A9).
inline constexpr int kMaxLoginFailures = 5;
inline constexpr int kMaxAddressLoginFailures = 100;
inline constexpr std::chrono::seconds kLoginBackoffBase{1};
inline constexpr std::chrono::seconds kLoginBackoffMax{300};
// A pair's or an address's failures are forgotten this long after its last.
inline constexpr std::chrono::minutes kLoginFailureWindow{15};
// Throttle records kept in memory; beyond it expired ones go, then the
// oldest. Each record holds at most kMaxUsernameBytes + an address.
inline constexpr std::size_t kMaxThrottleKeys = 100000;
// Usernames are at most this long; a longer one at login is refused before
// any throttle state or scrypt is spent on it.
inline constexpr std::size_t kMaxUsernameBytes = 64;
// Logins (scrypt, 32 MiB and tens of ms each) run on a pool of this many
// threads, never on a network thread; beyond kMaxPendingLogins waiting, a
// login is answered 503 `login_busy` at once.
inline constexpr int kLoginThreads = 2;
inline constexpr int kMaxPendingLogins = 64;

// POST /dev/clock moves the dev clock by at most this much per call.
inline constexpr std::int64_t kMaxDevClockAdvanceS = 366LL * 24 * 3600;

// The settings that bound what one client can cost the server: the defaults
// above protect a public deployment; `sunbid serve`'s configuration may set
// each ("limits": {...}, config.h), and tests lower them.
struct Settings {
  std::size_t max_connections = kMaxConnections;
  std::size_t max_connections_per_address = kMaxConnectionsPerAddress;
  std::uint64_t max_anonymous_body_bytes = kMaxAnonymousBodyBytes;
  std::uint64_t max_body_bytes = kMaxBodyBytes;
  std::uint64_t max_roster_body_bytes = kMaxRosterBodyBytes;
  int login_threads = kLoginThreads;
  int max_pending_logins = kMaxPendingLogins;
  int max_login_failures = kMaxLoginFailures;
  int max_address_login_failures = kMaxAddressLoginFailures;
  std::chrono::seconds login_backoff_base = kLoginBackoffBase;
  std::chrono::seconds login_backoff_max = kLoginBackoffMax;
  std::chrono::seconds login_failure_window = kLoginFailureWindow;
  std::size_t max_throttle_keys = kMaxThrottleKeys;
  std::uint64_t max_entries_per_page = kMaxEntriesPerPage;
  std::uint64_t max_page_bytes = kMaxPageBytes;
  std::uint64_t max_trail_entries_per_page = kMaxTrailEntriesPerPage;
  std::uint64_t max_objection_text_bytes = kMaxObjectionTextBytes;
  std::uint64_t objections_per_page = kObjectionsPerPage;
  std::uint64_t max_tender_title_bytes = kMaxTenderTitleBytes;
  std::uint64_t max_tender_rules_bytes = kMaxTenderRulesBytes;
  int max_replacements_per_window = kMaxReplacementsPerWindow;
  std::chrono::seconds replacement_window = kReplacementWindow;
};

}  // namespace sunbid::server::limits
