// What a handler is given: the request as the router read it (Call), the
// services the Api owns (Services), and the one viewer of the request (Ctx).
//
// The router builds a Call once per request: path below /api/v1, query and
// path parameters, the authenticated session, the client address. A Ctx
// adds the tender_core actor that every rule below takes as its viewer, so
// that no handler composes one of its own.
//
// Thread-safety: Services is safe for concurrent use (each member says how);
// a Call and a Ctx belong to one request and move with it between threads,
// never shared.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "accounts/accounts.h"
#include "assembly/motion_service.h"
#include "audit_log/clock.h"
#include "audit_log/ledger.h"
#include "evaluation/service.h"
#include "server/page_cache.h"
#include "publication/ocds.h"
#include "server/api.h"
#include "server/document_publisher.h"
#include "server/login_throttle.h"
#include "server/rate_limiter.h"
#include "server/session_cache.h"
#include "server/tender_view_cache.h"
#include "tender_core/actor.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"

namespace sunbid::server {

using Query = std::unordered_map<std::string, std::string>;

struct Call {
  Request request;
  std::string path;  // below /api/v1
  Query query;
  std::unordered_map<std::string, std::string> params;  // {name} path segments
  std::string client_address;
  std::optional<accounts::SessionInfo> session;
  std::optional<accounts::SessionToken> token;
  bool by_cookie = false;  // the session came from the cookie, not a bearer token

  // The actor of the server's own audit entries (accounts, sessions).
  accounts::Actor actor() const;
  // The actor tender_core and evaluation take (relations included);
  // anonymous readers are "public".
  core::Actor viewer() const;
};

// Counters of GET /metrics.
struct Metrics {
  std::array<std::atomic<std::uint64_t>, 6> responses_by_class{};
  std::atomic<std::uint64_t> logins{0};
  std::atomic<std::uint64_t> login_failures{0};
  std::atomic<std::uint64_t> login_throttled{0};
};

// The platform's background step (EvaluationService::tick; a tender whose
// step fails is logged and skipped), the owners' assembly motions' (opening
// and close, MotionService::tick; likewise), then the access record's daily
// commitment: once a China day has passed, its access record's head goes into
// a public entry (access_record.h). Safe for concurrent use.
class PlatformTick {
 public:
  PlatformTick(audit::Ledger& ledger, eval::EvaluationService& evaluation,
               assembly::MotionService& motions, const publication::OcdsPublisher& ocds)
      : ledger_(ledger), evaluation_(evaluation), motions_(motions), ocds_(ocds) {}
  // The number of tender_core transitions applied.
  Result<int> run(std::int64_t now_ms);

 private:
  Status commit_access_record(std::int64_t now_ms);

  audit::Ledger& ledger_;
  eval::EvaluationService& evaluation_;
  assembly::MotionService& motions_;
  const publication::OcdsPublisher& ocds_;
  std::mutex mu_;
  std::string committed_day_;  // the last day committed; guarded by mu_
};

// The state handlers share, owned by the Api.
struct Services {
  explicit Services(ApiOptions o);

  audit::Ledger& ledger() const { return *options.ledger; }
  std::int64_t now_ms() const { return clock->now_ms(); }
  // The hash an unknown username is checked against, so that its answer
  // takes as long as a wrong password's.
  const accounts::PasswordHash& dummy_password();
  // The caller's next bid, withdrawal, ballot or objection within the rate
  // limit, or `too_many_replacements` (429, Retry-After; security A10).
  Status rate_limit_writes(const Call& call);
  // The activation key (ApiOptions::activation_key, or loaded from beside
  // the database on first use; its load error, e.g. key_file_permissions,
  // answers every activation request until fixed).
  Result<const accounts::ActivationKey*> activation_key();

  ApiOptions options;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  core::Registry registry;
  core::TenderService tenders;
  eval::EvaluationService evaluation;
  assembly::MotionService motions;
  publication::OcdsPublisher ocds{options.ocds};
  // The OCDS feed's complete pages (routes/open_data.cc).
  PageCache ocds_pages;
  PlatformTick tick{*options.ledger, evaluation, motions, ocds};
  // Official documents' PDFs, rendered after their event's commit by the
  // Api's DocumentWorker (server/document_publisher.h).
  DocumentPublisher documents{*options.ledger, options.public_base_url};
  SessionCache sessions;
  TenderViewCache tender_views;
  LoginThrottle throttle{options.limits};
  // Logins waiting for or running on the login pool (security A9).
  std::atomic<int> pending_logins{0};
  RateLimiter replacements;
  // Failed activations (POST /activate), counted like failed logins per
  // (code, client address) and per client address, so that codes cannot be
  // enumerated (docs/activation.md).
  LoginThrottle activation_throttle{options.limits};
  Metrics metrics;

 private:
  std::mutex key_mu_;
  std::optional<accounts::ActivationKey> activation_key_;  // guarded by key_mu_ until set
  std::once_flag dummy_once_;
  accounts::PasswordHash dummy_hash_;
};

// One request as a handler sees it.
struct Ctx {
  Services& s;
  Call call;
  core::Actor viewer;  // call.viewer(), computed once

  const std::string& param(const char* name) const { return call.params.at(name); }
  // The {id} of the path.
  const std::string& id() const { return param("id"); }
  const Query& query() const { return call.query; }
  std::int64_t now_ms() const { return s.now_ms(); }
  audit::Ledger& ledger() const { return s.ledger(); }
};

}  // namespace sunbid::server
