// The API: request in, response out, no I/O. A route table maps
// (method, path pattern) to an action of the policy table and a handler; the
// router authenticates the bearer token, asks the policy, parses nothing the
// handler does not need, and turns every Error into the answer of
// error_response() — the one place where that happens.
//
// Handlers that change state submit a ledger command and answer from its
// completion callback (on the ledger's writer thread), so no network thread
// waits for a commit; `handle_async` passes that answer on. `handle` waits
// for it (tests, the fuzz target).
//
// Registry and tender commands (tender_core) wait for their commit, so they
// run on a worker pool of the Api, never on the calling thread. A
// background thread calls TenderService::tick every `tick_interval`, and
// POST /dev/clock ticks at once after moving the clock.
//
// Thread-safety: safe for concurrent use; each calling thread borrows a
// read-only connection from an internal pool.
//
// REQUIRES: the ledger outlives the Api, and its schema includes
// all_migrations() (migrations.h).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accounts/activation_code.h"
#include "accounts/password.h"
#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "publication/ocds.h"
#include "server/http_message.h"
#include "server/limits.h"
#include "server/static_site.h"

namespace sunbid::server {

// The clock of --dev-clock: system time plus an offset that POST /dev/clock
// advances (never backwards).
class DevClock final : public Clock {
 public:
  std::int64_t now_ms() const override { return base_.now_ms() + offset_ms_.load(); }
  void advance_ms(std::int64_t d) { offset_ms_.fetch_add(d); }

 private:
  SystemClock base_;
  std::atomic<std::int64_t> offset_ms_{0};
};

struct ApiOptions {
  audit::Ledger* ledger = nullptr;  // REQUIRES: non-null
  const Clock* clock = nullptr;     // nullptr: the system clock
  // Non-null only with --dev-clock: then POST /dev/clock exists.
  DevClock* dev_clock = nullptr;
  // Peers whose X-Forwarded-For is believed (exact IP addresses).
  std::vector<std::string> trusted_proxies;
  // For new accounts; tests may lower N to keep the suite fast.
  accounts::ScryptParams scrypt;
  // Extra Prometheus lines appended to GET /metrics (e.g. the server's
  // connection gauges); may be empty.
  std::function<std::string()> extra_metrics;
  // How often the background tick applies the tenders' time-driven
  // transitions (TenderService::tick); zero: no background tick (tests
  // drive time themselves; requests still catch their tender up).
  std::chrono::milliseconds tick_interval{1000};
  // Caps and rate limits (limits.h); the defaults protect a public
  // deployment, tests lower them.
  limits::Settings limits;
  // Open data: the ocid prefix and the publisher (publication/ocds.h).
  publication::OcdsSettings ocds;
  // The web application served at `/` (static_site.h); null: none, every
  // path outside /api/v1 is a JSON 404.
  std::shared_ptr<const StaticSite> web;
  // Where people reach the platform: the base of the activation link
  // `{public_base_url}/activate#code=…` (config.h), without a trailing slash.
  std::string public_base_url = "https://127.0.0.1:8443";
  // The key of the activation codes' HMACs (accounts/activation_code.h);
  // nullopt: DATA_DIR/activation.key beside the ledger's database, loaded
  // (created on first use) when a code is first issued or presented.
  std::optional<accounts::ActivationKey> activation_key;
};

class Api {
 public:
  explicit Api(ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Answers `request`; `reply` runs exactly once, on this thread or on the
  // ledger's writer thread, and must not block.
  void handle_async(Request request, std::function<void(Response)> reply);
  // Answers `request`, waiting for a ledger commit if there is one.
  Response handle(Request request);

  // The address a request is attributed to: the peer, or the last
  // X-Forwarded-For hop when the peer is a trusted proxy.
  std::string client_address(const Request& request) const;

  // The largest body the server may read for a request whose header is
  // `head` (its body not read yet): authenticates on the header first, so
  // that a caller without a valid session may send only a small body
  // (limits.max_anonymous_body_bytes), and only an admin a roster upload's
  // 16 MiB (security A11). Safe on a network thread (no scrypt, no commit).
  std::uint64_t body_limit(const Request& head);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sunbid::server
