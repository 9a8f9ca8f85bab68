#include "server/api.h"

#include <arpa/inet.h>

#include <array>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "accounts/access_record.h"
#include "accounts/accounts.h"
#include "accounts/relations.h"
#include "audit_log/entry_format.h"
#include "audit_log/log_store.h"
#include "audit_log/merkle.h"
#include "audit_log/strict_json.h"
#include "audit_log/time_format.h"
#include "audit_log/trail.h"
#include "eval_json.h"
#include "evaluation/service.h"
#include "json_fields.h"
#include "server/config.h"
#include "server/error_response.h"
#include "server/limits.h"
#include "server/login_throttle.h"
#include "server/policy.h"
#include "server/rate_limiter.h"
#include "server/session_cache.h"
#include "server/tender_view_cache.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/tender_rules.h"
#include "tender_core/time.h"
#include "tender_json.h"

namespace sunbid::server {

namespace {

constexpr std::string_view kApiPrefix = "/api/v1";

using Reply = std::function<void(Result<Response>)>;

Response json_response(int status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

Response text_response(std::string body) {
  Response r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

bool is_valid_ip(const std::string& text) {
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

bool is_loopback(std::string_view address) {
  return is_loopback_host(address) && address != "localhost";
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Parses a decimal uint64 query value; nullopt when absent.
Result<std::optional<std::uint64_t>> query_uint(
    const std::unordered_map<std::string, std::string>& query, const std::string& name) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::optional<std::uint64_t>{};
  const std::string& s = it->second;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.size() > 19) {
    return make_error("invalid_query",
                      "查询参数须为非负整数 / the query parameter must be a non-negative integer",
                      {{"field", name}});
  }
  return std::optional<std::uint64_t>(v);
}

// The ?limit= of a list: 1 to 500, default 50.
Result<std::uint64_t> list_limit(const std::unordered_map<std::string, std::string>& query) {
  SUNBID_ASSIGN_OR_RETURN(auto limit, query_uint(query, "limit"));
  const std::uint64_t n = limit.value_or(limits::kDefaultListLimit);
  if (n < 1 || n > limits::kMaxListLimit) {
    return make_error("invalid_query", "limit 须为 1 至 500 / limit must be 1 to 500",
                      {{"field", "limit"}});
  }
  return n;
}

boost::json::array hex_list(const std::vector<Hash>& hashes) {
  boost::json::array a;
  for (const Hash& h : hashes) a.emplace_back(hex_encode(h));
  return a;
}

}  // namespace

// What a handler sees of a request.
struct Call {
  Request request;
  std::string path;  // below /api/v1
  std::unordered_map<std::string, std::string> query;
  std::unordered_map<std::string, std::string> params;  // {name} path segments
  std::string client_address;
  std::optional<accounts::SessionInfo> session;
  std::optional<accounts::SessionToken> token;

  accounts::Actor actor() const {
    accounts::Actor a;
    if (session) {
      a.account_id = session->account.id;
      a.role = std::string(accounts::role_name(session->account.role));
    } else {
      a.account_id = "anonymous";
      a.role = "anonymous";
    }
    a.client_address = client_address;
    return a;
  }
};

namespace {

// The tender service's settings that are server limits (draft size caps).
core::PlatformSettings platform_settings(const limits::Settings& l) {
  core::PlatformSettings s;
  s.max_title_bytes = static_cast<std::size_t>(l.max_tender_title_bytes);
  s.max_rules_bytes = static_cast<std::size_t>(l.max_tender_rules_bytes);
  return s;
}

}  // namespace

struct Api::Impl {
  using Handler = void (Impl::*)(Call&, Reply);
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" matches one segment
    Action action;
    Handler handler;
  };

  explicit Impl(ApiOptions o)
      : options(std::move(o)),
        clock(options.clock ? options.clock : &system_clock),
        registry(*options.ledger),
        service(*options.ledger, *clock, platform_settings(options.limits)),
        evaluation(*options.ledger, *clock, service) {
    registry.set_calendar_hook(evaluation.calendar_hook());
    add_routes();
    if (options.tick_interval.count() > 0) ticker = std::thread([this] { tick_loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(tick_mu);
      stopping = true;
    }
    tick_cv.notify_all();
    if (ticker.joinable()) ticker.join();
    login_pool.join();
    workers.join();  // lets queued commands finish and answer
  }

  // The background tick: time-driven transitions happen without requests.
  // A failure is reported once, not every second.
  void tick_loop() {
    bool reported = false;
    std::unique_lock lock(tick_mu);
    while (!stopping) {
      tick_cv.wait_for(lock, options.tick_interval, [&] { return stopping; });
      if (stopping) break;
      lock.unlock();
      auto r = tick_all(clock->now_ms());
      if (!r.ok() && !reported) {
        std::fprintf(stderr, "sunbid: background tick failed: %s\n", r.error().to_string().c_str());
        reported = true;
      } else if (r.ok()) {
        reported = false;
      }
      lock.lock();
    }
  }

  // The platform's background step (EvaluationService::tick; a tender whose
  // step fails is logged and skipped), then the access record's daily
  // commitment. Answers the number of tender_core transitions applied.
  Result<int> tick_all(std::int64_t now) {
    std::vector<core::TickFailure> failed;
    SUNBID_ASSIGN_OR_RETURN(int applied, evaluation.tick(now, failed));
    for (const auto& f : failed) {
      std::fprintf(stderr, "sunbid: background tick skipped tender %s: %s\n", f.tender_id.c_str(),
                   f.error.to_string().c_str());
    }
    SUNBID_TRY(commit_access_record(now));
    return applied;
  }

  // Once a China day has passed, its access record's head goes into a
  // public entry (access_record.h); the day last done is remembered so that
  // the tick writes nothing otherwise.
  Status commit_access_record(std::int64_t now) {
    const std::string day = accounts::china_date(accounts::china_day_start_ms(now) - 1);
    {
      std::lock_guard lock(access_mu);
      if (!access_committed_day.empty() && access_committed_day >= day) return {};
    }
    {
      SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
      SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> last,
                              accounts::last_committed_day(lease.db()));
      if (!last || *last < day) {
        SUNBID_TRY(ledger().run<bool>(
            [now](audit::WriteTxn& txn) { return accounts::commit_access_record_day(txn, now); }));
      }
    }
    std::lock_guard lock(access_mu);
    // Also when the record was empty at that day's end: later records belong
    // to later days.
    if (access_committed_day < day) access_committed_day = day;
    return {};
  }

  ApiOptions options;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  core::Registry registry;
  core::TenderService service;
  eval::EvaluationService evaluation;
  std::mutex access_mu;
  std::string access_committed_day;  // guarded by access_mu
  std::mutex tick_mu;
  std::condition_variable tick_cv;
  bool stopping = false;
  std::thread ticker;
  LoginThrottle throttle{options.limits};
  // Logins waiting for or running on login_pool.
  std::atomic<int> pending_logins{0};
  // Bids, withdrawals, ballots and objections per account (each may replace
  // or add to a tender's record; security A10).
  RateLimiter replacements{
      options.limits.max_replacements_per_window,
      std::chrono::duration_cast<std::chrono::milliseconds>(options.limits.replacement_window),
      options.limits.max_throttle_keys};
  SessionCache sessions;
  TenderViewCache tender_views;
  std::vector<Route> routes;
  std::once_flag dummy_once;
  accounts::PasswordHash dummy_hash;

  std::array<std::atomic<std::uint64_t>, 6> responses_by_class{};
  std::atomic<std::uint64_t> login_failures{0};
  std::atomic<std::uint64_t> login_throttled{0};
  std::atomic<std::uint64_t> logins{0};
  // Declared last, so it is built after everything its jobs use. A
  // synchronous tender or evaluation command holds its worker until its batch
  // is durable, so the pool's size bounds how many of those one group commit
  // can batch (bench/https_vs_nginx.sh: 2 workers ~2,000 bids/s, p99 183 ms;
  // 32 workers 6,500-8,000 bids/s, p99 34-43 ms). Bids use the asynchronous
  // commands and hold a worker only while they are queued.
  static constexpr int kWorkerThreads = 16;
  boost::asio::thread_pool workers{kWorkerThreads};
  // scrypt (32 MiB, tens of ms) runs here, never on a network thread nor on
  // the command workers; pending_logins bounds its queue (security A9).
  boost::asio::thread_pool login_pool{
      static_cast<std::size_t>(std::max(1, options.limits.login_threads))};

  audit::Ledger& ledger() { return *options.ledger; }

  // ---- The route table ------------------------------------------------------
  // Tender and evaluation endpoints are added here, each naming its policy
  // action; the router does authentication and authorization for all.
  void add_routes() {
    add("GET", "/health", Action::kReadHealth, &Impl::get_health);
    add("GET", "/metrics", Action::kReadMetrics, &Impl::get_metrics);
    add("POST", "/sessions", Action::kCreateSession, &Impl::post_sessions);
    add("DELETE", "/sessions/current", Action::kDeleteSession, &Impl::delete_session);
    add("DELETE", "/sessions/others", Action::kDeleteSession, &Impl::delete_other_sessions);
    add("POST", "/accounts", Action::kCreateAccount, &Impl::post_accounts);
    add("POST", "/accounts/{id}/disable", Action::kManageAccounts, &Impl::post_disable_account);
    add("POST", "/account-approvals", Action::kCreateAccount, &Impl::post_account_approval);
    add("GET", "/account-approvals", Action::kApproveAccount, &Impl::get_account_approvals);
    add("POST", "/account-approvals/{id}/approve", Action::kApproveAccount,
        &Impl::post_approve_account);
    add("GET", "/audit/checkpoint", Action::kReadAudit, &Impl::get_checkpoint);
    add("GET", "/audit/key", Action::kReadAudit, &Impl::get_key);
    add("GET", "/audit/entries", Action::kReadAudit, &Impl::get_entries);
    add("GET", "/audit/proof/inclusion", Action::kReadAudit, &Impl::get_inclusion);
    add("GET", "/audit/proof/consistency", Action::kReadAudit, &Impl::get_consistency);
    add("GET", "/access-record", Action::kReadAccessRecord, &Impl::get_access_record);
    add("POST", "/communities", Action::kManageRegistry, &Impl::post_communities);
    add("GET", "/communities/{id}", Action::kReadRegistry, &Impl::get_community);
    add("PUT", "/communities/{id}/roster", Action::kManageRegistry, &Impl::put_roster);
    add("POST", "/enterprises", Action::kManageRegistry, &Impl::post_enterprises);
    add("PUT", "/registry/ratings", Action::kManageRegistry, &Impl::put_ratings);
    add("GET", "/service-tiers", Action::kReadRegistry, &Impl::get_service_tiers);
    add("PUT", "/service-tiers", Action::kManageRegistry, &Impl::put_service_tiers);
    add("GET", "/calendar", Action::kReadRegistry, &Impl::get_calendar);
    add("PUT", "/calendar", Action::kManageRegistry, &Impl::put_calendar);
    add("POST", "/tenders", Action::kManageTender, &Impl::post_tenders);
    add("GET", "/tenders", Action::kReadTender, &Impl::get_tenders);
    add("GET", "/tenders/{id}", Action::kReadTender, &Impl::get_tender);
    add("PATCH", "/tenders/{id}", Action::kManageTender, &Impl::patch_tender);
    add("POST", "/tenders/{id}/publish", Action::kManageTender, &Impl::post_publish);
    add("POST", "/tenders/{id}/amendments", Action::kManageTender, &Impl::post_amendment);
    add("POST", "/tenders/{id}/cancel", Action::kCancelTender, &Impl::post_cancel);
    add("POST", "/tenders/{id}/suspend", Action::kSuperviseTender, &Impl::post_suspend);
    add("POST", "/tenders/{id}/resume", Action::kSuperviseTender, &Impl::post_resume);
    add("POST", "/tenders/{id}/reveal-window/extend", Action::kSuperviseTender,
        &Impl::post_extend_reveal);
    add("POST", "/tenders/{id}/bids", Action::kBid, &Impl::post_bid);
    add("DELETE", "/tenders/{id}/bids/mine", Action::kBid, &Impl::delete_bid);
    add("POST", "/tenders/{id}/bids/mine/reveal", Action::kBid, &Impl::post_reveal);
    add("GET", "/tenders/{id}/opening", Action::kReadTender, &Impl::get_opening);
    add("POST", "/tenders/{id}/objections", Action::kFileObjection, &Impl::post_objection);
    add("GET", "/tenders/{id}/objections", Action::kReadTender, &Impl::get_objections);
    add("POST", "/tenders/{id}/objections/{oid}/answer", Action::kAnswerObjection,
        &Impl::post_objection_answer);
    add("GET", "/tenders/{id}/trail", Action::kReadTender, &Impl::get_trail);
    add("POST", "/experts", Action::kManageExperts, &Impl::post_experts);
    add("PATCH", "/experts/{id}", Action::kManageExperts, &Impl::patch_expert);
    add("POST", "/tenders/{id}/committee/draw", Action::kSuperviseEvaluation,
        &Impl::post_committee_draw);
    add("GET", "/tenders/{id}/committee", Action::kReadEvaluation, &Impl::get_committee);
    add("POST", "/tenders/{id}/committee/declaration", Action::kEvaluate, &Impl::post_declaration);
    add("POST", "/tenders/{id}/committee/replace", Action::kSuperviseEvaluation,
        &Impl::post_replace);
    add("GET", "/tenders/{id}/clearing-report", Action::kReadEvaluation,
        &Impl::get_clearing_report);
    add("POST", "/tenders/{id}/reviews", Action::kEvaluate, &Impl::post_review);
    add("GET", "/tenders/{id}/reviews", Action::kReadEvaluation, &Impl::get_reviews);
    add("GET", "/tenders/{id}/candidates", Action::kReadTender, &Impl::get_candidates);
    add("POST", "/tenders/{id}/draws", Action::kSuperviseEvaluation, &Impl::post_draw);
    add("POST", "/tenders/{id}/ballots", Action::kCastBallot, &Impl::post_ballot);
    add("POST", "/tenders/{id}/committee-votes", Action::kCommitteeVote,
        &Impl::post_committee_vote);
    add("POST", "/tenders/{id}/decision-committee/recusal", Action::kCommitteeVote,
        &Impl::post_recusal);
    add("POST", "/tenders/{id}/decision", Action::kDecide, &Impl::post_decision);
    add("GET", "/tenders/{id}/award", Action::kReadDecision, &Impl::get_award);
    if (options.dev_clock)
      add("POST", "/dev/clock", Action::kAdvanceDevClock, &Impl::post_dev_clock);
  }

  void add(std::string method, std::string_view pattern, Action action, Handler handler) {
    Route r{std::move(method), split(pattern), action, handler};
    routes.push_back(std::move(r));
  }

  static std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '/') {
        ++i;
        continue;
      }
      std::size_t j = path.find('/', i);
      if (j == std::string_view::npos) j = path.size();
      out.emplace_back(path.substr(i, j - i));
      i = j;
    }
    return out;
  }

  static bool match(const Route& r, const std::vector<std::string>& segs,
                    std::unordered_map<std::string, std::string>& params) {
    if (r.segments.size() != segs.size()) return false;
    params.clear();
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const std::string& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (segs[i].empty()) return false;
        params[p.substr(1, p.size() - 2)] = segs[i];
      } else if (p != segs[i]) {
        return false;
      }
    }
    return true;
  }

  // ---- The router -----------------------------------------------------------
  void dispatch(Request request, Reply reply) {
    Call call;
    call.client_address = client_address(request);
    call.request = std::move(request);
    const Request& req = call.request;

    auto url = boost::urls::parse_origin_form(req.target);
    if (!url) {
      return reply(make_error("bad_request", "请求目标无效 / the request target is malformed"));
    }
    std::string path = url->path();  // percent-decoded
    if (!path.starts_with(kApiPrefix) ||
        (path.size() > kApiPrefix.size() && path[kApiPrefix.size()] != '/')) {
      return reply(not_found());
    }
    call.path = path.substr(kApiPrefix.size());
    for (auto p : url->params()) {
      if (call.query.contains(p.key)) {
        return reply(make_error("invalid_query", "查询参数重复 / a query parameter is repeated",
                                {{"field", p.key}}));
      }
      call.query.emplace(p.key, p.value);
    }

    auto segs = split(call.path);
    const Route* found = nullptr;
    std::string allowed_methods;
    std::unordered_map<std::string, std::string> params;
    for (const Route& r : routes) {
      if (!match(r, segs, params)) continue;
      if (r.method == req.method) {
        found = &r;
        call.params = params;
        break;
      }
      if (!allowed_methods.empty()) allowed_methods += ", ";
      allowed_methods += r.method;
    }
    if (!found) {
      if (allowed_methods.empty()) return reply(not_found());
      return reply(make_error("method_not_allowed", "不支持该方法 / method not allowed",
                              {{"allow", allowed_methods}}));
    }

    if (auto st = authenticate(call); !st.ok()) return reply(std::move(st).error());
    // The network layer read no more than this (body_limit); a caller of
    // handle() is held to the same.
    if (std::uint64_t limit = body_limit_for_session(req, call.session); req.body.size() > limit) {
      return reply(body_too_large(limit));
    }
    Caller caller;
    if (call.session) caller.role = call.session->account.role;
    // A proxied request is never the host's own: behind a proxy on the same
    // host every client would otherwise be "loopback" (security B1).
    caller.loopback = is_loopback(call.client_address) && req.x_forwarded_for.empty();
    if (auto st = authorize(found->action, caller); !st.ok()) return reply(std::move(st).error());
    (this->*(found->handler))(call, std::move(reply));
  }

  static Error not_found() { return make_error("not_found", "未找到 / not found"); }

  static Error body_too_large(std::uint64_t limit) {
    return make_error("body_too_large", "请求体过大 / the request body is too large",
                      {{"limit_bytes", static_cast<std::int64_t>(limit)}});
  }

  // Anonymous callers send small bodies (a login); sessions 1 MiB; an
  // admin's roster upload 16 MiB (security A11).
  std::uint64_t body_limit_for_session(const Request& req,
                                       const std::optional<accounts::SessionInfo>& session) const {
    const limits::Settings& l = options.limits;
    if (!session) return l.max_anonymous_body_bytes;
    if (session->account.role == accounts::Role::kAdmin &&
        limits::is_roster_upload(req.method, req.target)) {
      return l.max_roster_body_bytes;
    }
    return l.max_body_bytes;
  }

  std::uint64_t body_limit(const Request& head) {
    Call call;
    call.request.authorization = head.authorization;
    if (!authenticate(call).ok()) return options.limits.max_anonymous_body_bytes;
    return body_limit_for_session(head, call.session);
  }

  // A presented token must be valid, even on public endpoints: a client
  // whose session expired learns it at once.
  Status authenticate(Call& call) {
    const std::string& h = call.request.authorization;
    if (h.empty()) return {};
    constexpr std::string_view kBearer = "Bearer ";
    auto invalid = [] {
      return make_error("session_invalid", "会话无效或已过期 / the session is invalid or expired");
    };
    if (!h.starts_with(kBearer)) return invalid();
    auto token = accounts::parse_session_token(trim(std::string_view(h).substr(kBearer.size())));
    if (!token) return invalid();
    const std::int64_t now = clock->now_ms();
    const Hash key = session_token_hash(*token);
    std::optional<accounts::SessionInfo> session = sessions.find(key, now);
    if (!session) {
      SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
      SUNBID_ASSIGN_OR_RETURN(session, accounts::find_session(lease.db(), *token, now));
      if (!session) return invalid();
      sessions.insert(key, *session, now);
    }
    call.session = std::move(session);
    call.token = token;
    return {};
  }

  std::string client_address(const Request& req) const {
    const auto& trusted = options.trusted_proxies;
    if (req.x_forwarded_for.empty() ||
        std::find(trusted.begin(), trusted.end(), req.peer_address) == trusted.end()) {
      return req.peer_address;
    }
    // The last hop is the one our trusted proxy appended; earlier ones are
    // whatever the client claimed. The network layer joins every
    // X-Forwarded-For field with ", " (a proxy may add a field of its own
    // instead of extending the client's), so "last" is the proxy's.
    std::string_view xff = req.x_forwarded_for;
    std::size_t comma = xff.rfind(',');
    std::string last = trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    return is_valid_ip(last) ? last : req.peer_address;
  }

  Result<boost::json::object> json_body(const Call& call) {
    const std::string& ct = call.request.content_type;
    if (!ct.empty() && !ct.starts_with("application/json")) {
      return make_error("unsupported_media_type",
                        "请求体须为 JSON / the body must be application/json");
    }
    SUNBID_ASSIGN_OR_RETURN(boost::json::value v, audit::parse_strict_json(call.request.body));
    if (!v.is_object()) {
      return make_error("invalid_field", "请求体须为 JSON 对象 / the body must be a JSON object",
                        {{"field", ""}});
    }
    return std::move(v.as_object());
  }

  // ---- Operations -----------------------------------------------------------
  void get_health(Call&, Reply reply) {
    bool failing = ledger().failure().has_value();
    boost::json::object o{{"status", failing ? "failing" : "ok"},
                          {"time", format_rfc3339_ms(clock->now_ms())}};
    reply(json_response(failing ? 503 : 200, o));
  }

  void get_metrics(Call&, Reply reply) {
    std::string out;
    auto line = [&](std::string_view name, std::string_view type, std::string_view help,
                    std::uint64_t value) {
      out += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
      out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
      out += std::string(name) + " " + std::to_string(value) + "\n";
    };
    out += "# HELP sunbid_http_responses_total HTTP responses by status class.\n";
    out += "# TYPE sunbid_http_responses_total counter\n";
    for (std::size_t c = 1; c <= 5; ++c) {
      out += "sunbid_http_responses_total{class=\"" + std::to_string(c) + "xx\"} " +
             std::to_string(responses_by_class[c].load()) + "\n";
    }
    line("sunbid_logins_total", "counter", "Successful logins.", logins.load());
    line("sunbid_login_failures_total", "counter", "Failed logins.", login_failures.load());
    line("sunbid_login_throttled_total", "counter", "Logins refused by throttling.",
         login_throttled.load());
    auto stats = ledger().stats();
    line("sunbid_ledger_commands_total", "counter", "Ledger commands run.", stats.commands);
    line("sunbid_ledger_commits_total", "counter", "Ledger transactions committed.", stats.commits);
    line("sunbid_ledger_failed_commands_total", "counter", "Ledger commands refused or failed.",
         stats.failed_commands);
    line("sunbid_ledger_stopped", "gauge", "1 when the ledger has stopped for good.",
         ledger().failure() ? 1 : 0);
    line("sunbid_audit_log_size", "gauge", "Entries in the audit log.",
         ledger().committed_log().size);
    if (options.extra_metrics) out += options.extra_metrics();
    Response r = text_response(std::move(out));
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    reply(std::move(r));
  }

  void post_dev_clock(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    auto advance = f.required_int("advance_s");
    if (!advance.ok()) return reply(std::move(advance).error());
    if (auto st = f.finish(); !st.ok()) return reply(std::move(st).error());
    if (*advance < 1 || *advance > limits::kMaxDevClockAdvanceS) {
      return reply(make_error("invalid_field",
                              "advance_s 须为 1 至 31622400 / advance_s must be 1 to 31622400",
                              {{"field", "/advance_s"}}));
    }
    std::int64_t seconds = *advance;
    accounts::Actor actor = call.actor();
    DevClock* dev = options.dev_clock;
    // The jump is logged, so a trail read later shows why time leapt.
    ledger().submit(
        [actor, seconds](audit::WriteTxn& txn) -> Status {
          audit::EntryDraft d;
          d.actor = actor.account_id;
          d.role = actor.role;
          d.source_address = actor.client_address;
          d.type = "dev.clock_advanced";
          d.payload["advance_s"] = seconds;
          SUNBID_TRY(txn.append(d));
          return {};
        },
        [this, dev, seconds, reply](Status st) {
          if (!st.ok()) return reply(std::move(st).error());
          dev->advance_ms(seconds * 1000);
          // The jump's transitions are applied before the answer (on the
          // worker pool: this callback runs on the ledger's writer thread).
          in_worker(reply, [this]() -> Result<Response> {
            std::int64_t now = clock->now_ms();
            SUNBID_ASSIGN_OR_RETURN(int applied, tick_all(now));
            return json_response(200, boost::json::object{{"time", format_rfc3339_ms(now)},
                                                          {"transitions_applied", applied}});
          });
        });
  }

  // ---- Accounts and sessions ------------------------------------------------
  const accounts::PasswordHash& dummy() {
    std::call_once(dummy_once, [&] {
      auto h = accounts::hash_password("sunbid-dummy-password", options.scrypt);
      if (h.ok()) dummy_hash = std::move(h).value();
    });
    return dummy_hash;
  }

  void post_sessions(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    auto username = f.required_string("username");
    if (!username.ok()) return reply(std::move(username).error());
    auto password = f.required_string("password");
    if (!password.ok()) return reply(std::move(password).error());
    if (auto st = f.finish(); !st.ok()) return reply(std::move(st).error());

    auto wrong = [] {
      return make_error("invalid_credentials", "用户名或密码错误 / wrong username or password");
    };
    // No account has a longer name: refused before any throttle state or
    // scrypt is spent on it.
    if (username->size() > limits::kMaxUsernameBytes) {
      login_failures.fetch_add(1);
      return reply(wrong());
    }
    if (pending_logins.fetch_add(1) >= options.limits.max_pending_logins) {
      pending_logins.fetch_sub(1);
      return reply(make_error("login_busy", "登录繁忙，请稍后再试 / too many logins in progress",
                              {{"retry_after_s", 1}}));
    }
    std::int64_t now = clock->now_ms();
    if (auto wait = throttle.begin(*username, call.client_address, now)) {
      pending_logins.fetch_sub(1);
      login_throttled.fetch_add(1);
      return reply(make_error("too_many_attempts",
                              "登录失败次数过多，请稍后再试 / too many failed logins; try later",
                              {{"retry_after_s", *wait}}));
    }
    boost::asio::post(login_pool,
                      [this, user = std::move(username).value(), pass = std::move(password).value(),
                       actor = call.actor(), now, reply = std::move(reply)]() mutable {
                        struct Done {
                          std::atomic<int>& n;
                          ~Done() { n.fetch_sub(1); }
                        } done{pending_logins};
                        try {
                          login(user, pass, std::move(actor), now, std::move(reply));
                        } catch (const std::exception& e) {
                          reply(make_error("internal_error", e.what()));
                        }
                      });
  }

  // On login_pool: the password check, then the session's ledger command.
  void login(const std::string& username, const std::string& password, accounts::Actor actor,
             std::int64_t now, Reply reply) {
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto account = accounts::find_account_by_username(lease->db(), username);
    if (!account.ok()) return reply(std::move(account).error());
    // An unknown username costs the same scrypt as a wrong password, so the
    // answer time does not tell which usernames exist.
    bool ok = *account ? accounts::verify_password(password, (*account)->password)
                       : (accounts::verify_password(password, dummy()), false);
    if (!ok) {
      login_failures.fetch_add(1);
      return reply(
          make_error("invalid_credentials", "用户名或密码错误 / wrong username or password"));
    }
    throttle.succeeded(username, actor.client_address.value_or(""));
    if ((*account)->disabled) {
      return reply(make_error("account_disabled", "账户已停用 / the account is disabled"));
    }
    auto token = accounts::new_session_token();
    if (!token.ok()) return reply(std::move(token).error());
    std::int64_t expires =
        now +
        std::chrono::duration_cast<std::chrono::milliseconds>(limits::kSessionLifetime).count();
    actor.account_id = (*account)->id;
    actor.role = std::string(accounts::role_name((*account)->role));
    accounts::AccountRecord rec = std::move(**account);
    accounts::SessionToken tok = *token;
    ledger().submit(
        [tok, rec, expires, actor](audit::WriteTxn& txn) {
          return accounts::open_session(txn, tok, rec, expires, actor);
        },
        [this, tok, rec, expires, reply](Status st) {
          if (!st.ok()) return reply(std::move(st).error());
          logins.fetch_add(1);
          reply(json_response(
              201, boost::json::object{{"token", accounts::format_session_token(tok)},
                                       {"role", std::string(accounts::role_name(rec.role))},
                                       {"account_id", rec.id},
                                       {"expires_at", format_rfc3339_ms(expires)}}));
        });
  }

  void delete_session(Call& call, Reply reply) {
    accounts::SessionToken tok = *call.token;  // present: the policy requires a session
    // Dropped from the cache now and again once the row is gone, so that a
    // request racing the commit cannot leave it cached.
    const Hash key = session_token_hash(tok);
    sessions.erase(key);
    ledger().submit([tok, actor = call.actor()](
                        audit::WriteTxn& txn) { return accounts::close_session(txn, tok, actor); },
                    [this, key, reply](Status st) {
                      sessions.erase(key);
                      if (!st.ok()) return reply(std::move(st).error());
                      Response r;
                      r.status = 204;
                      r.content_type.clear();
                      reply(std::move(r));
                    });
  }

  // POST /accounts and POST /account-approvals take the same body; an
  // account whose enterprise or owner binding another account holds is
  // refused by the first (409 account_binding_held) and waits for a
  // supervisor by the second (security A7).
  void post_accounts(Call& call, Reply reply) { new_account(call, std::move(reply), false); }
  void post_account_approval(Call& call, Reply reply) { new_account(call, std::move(reply), true); }

  void new_account(Call& call, Reply reply, bool approval) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    auto parsed = parse_new_account(*body);
    if (!parsed.ok()) return reply(std::move(parsed).error());
    accounts::NewAccount account = std::move(parsed->first);
    std::string password = std::move(parsed->second);
    if (auto st = accounts::validate_new_account(account); !st.ok())
      return reply(std::move(st).error());
    if (auto st = accounts::validate_password(password); !st.ok())
      return reply(std::move(st).error());
    if (auto st = check_account_relations(account); !st.ok()) return reply(std::move(st).error());
    auto hash = accounts::hash_password(password, options.scrypt);
    if (!hash.ok()) return reply(std::move(hash).error());
    auto id = std::make_shared<std::string>();
    ledger().submit(
        [account, approval, hash = std::move(hash).value(), actor = call.actor(),
         id](audit::WriteTxn& txn) -> Status {
          if (approval) {
            SUNBID_ASSIGN_OR_RETURN(*id,
                                    accounts::request_account_approval(txn, account, hash, actor));
          } else {
            SUNBID_ASSIGN_OR_RETURN(*id,
                                    accounts::create_unshared_account(txn, account, hash, actor));
          }
          return Status{};
        },
        [account, approval, id, reply](Status st) {
          if (!st.ok()) return reply(std::move(st).error());
          if (approval) {
            return reply(json_response(
                202,
                boost::json::object{{"id", *id},
                                    {"state", "pending"},
                                    {"username", account.username},
                                    {"role", std::string(accounts::role_name(account.role))}}));
          }
          reply(json_response(
              201, boost::json::object{{"id", *id},
                                       {"username", account.username},
                                       {"role", std::string(accounts::role_name(account.role))}}));
        });
  }

  void post_approve_account(Call& call, Reply reply) {
    auto body = optional_json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    if (auto st = JsonFields(*body).finish(); !st.ok()) return reply(std::move(st).error());
    auto approved = std::make_shared<accounts::ApprovedAccount>();
    std::string approval_id = call.params.at("id");
    ledger().submit(
        [approval_id, actor = call.actor(), approved](audit::WriteTxn& txn) -> Status {
          SUNBID_ASSIGN_OR_RETURN(*approved, accounts::approve_account(txn, approval_id, actor));
          return Status{};
        },
        [approval_id, approved, reply](Status st) {
          if (!st.ok()) return reply(std::move(st).error());
          reply(json_response(
              201, boost::json::object{{"id", approved->account_id},
                                       {"username", approved->username},
                                       {"role", std::string(accounts::role_name(approved->role))},
                                       {"approval", approval_id}}));
        });
  }

  // GET /account-approvals?limit=&cursor=: the requests waiting for a
  // supervisor, oldest first, each with the account that holds its binding
  // now; never password material.
  void get_account_approvals(Call& call, Reply reply) {
    auto limit = list_limit(call.query);
    if (!limit.ok()) return reply(std::move(limit).error());
    const std::uint64_t n = *limit;
    std::string cursor;
    if (auto it = call.query.find("cursor"); it != call.query.end()) cursor = it->second;
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto page = accounts::pending_approvals(lease->db(), cursor, static_cast<std::size_t>(n));
    if (!page.ok()) return reply(std::move(page).error());
    auto opt = [](const std::optional<std::string>& v) {
      return v ? boost::json::value(*v) : boost::json::value(nullptr);
    };
    boost::json::array items;
    for (const auto& a : page->items) {
      items.push_back({{"id", a.id},
                       {"state", "pending"},
                       {"username", a.username},
                       {"role", std::string(accounts::role_name(a.role))},
                       {"display_name", a.display_name},
                       {"community_id", opt(a.community_id)},
                       {"enterprise_uscc", opt(a.enterprise_uscc)},
                       {"owner_key", opt(a.owner_key)},
                       {"requested_by", a.requested_by},
                       {"requested_at", format_rfc3339_ms(a.requested_ms)},
                       {"binding_held_by", opt(a.binding_held_by)}});
    }
    reply(ok_json(
        boost::json::object{{"items", std::move(items)}, {"next_cursor", opt(page->next_cursor)}}));
  }

  // POST /accounts/{id}/disable {reason}: the account can no longer log in,
  // and its sessions end at once (the cache drops them before and after the
  // commit).
  void post_disable_account(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    auto reason = f.required_string("reason");
    if (!reason.ok()) return reply(std::move(reason).error());
    if (auto st = f.finish(); !st.ok()) return reply(std::move(st).error());
    std::string account_id = call.params.at("id");
    sessions.erase_account(account_id);
    auto changed = std::make_shared<bool>(false);
    ledger().submit(
        [account_id, reason = *reason, actor = call.actor(),
         changed](audit::WriteTxn& txn) -> Status {
          SUNBID_ASSIGN_OR_RETURN(*changed,
                                  accounts::disable_account(txn, account_id, reason, actor));
          return Status{};
        },
        [this, account_id, changed, reply](Status st) {
          sessions.erase_account(account_id);
          if (!st.ok()) return reply(std::move(st).error());
          reply(json_response(
              200, boost::json::object{
                       {"id", account_id}, {"disabled", true}, {"already_disabled", !*changed}}));
        });
  }

  // DELETE /sessions/others: the caller ends every other session of its
  // account (a token left on another device, a leaked one).
  void delete_other_sessions(Call& call, Reply reply) {
    accounts::SessionToken tok = *call.token;  // present: the policy requires a session
    const Hash keep = session_token_hash(tok);
    const std::string account_id = call.session->account.id;
    sessions.erase_account(account_id, &keep);
    auto closed = std::make_shared<std::int64_t>(0);
    ledger().submit(
        [tok, actor = call.actor(), closed](audit::WriteTxn& txn) -> Status {
          SUNBID_ASSIGN_OR_RETURN(*closed, accounts::close_other_sessions(txn, tok, actor));
          return Status{};
        },
        [this, keep, account_id, closed, reply](Status st) {
          sessions.erase_account(account_id, &keep);
          if (!st.ok()) return reply(std::move(st).error());
          reply(json_response(200, boost::json::object{{"sessions_closed", *closed}}));
        });
  }

  // The community, owner key and USCC an account names must exist in
  // tender_core's registers (communities and rosters are never deleted, so
  // reading before the command is enough).
  Status check_account_relations(const accounts::NewAccount& account) {
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
    return accounts::check_account_relations(lease.db(), account);
  }

  static Result<std::pair<accounts::NewAccount, std::string>> parse_new_account(
      const boost::json::object& body) {
    JsonFields f(body);
    accounts::NewAccount a;
    SUNBID_ASSIGN_OR_RETURN(a.username, f.required_string("username"));
    SUNBID_ASSIGN_OR_RETURN(std::string password, f.required_string("password"));
    SUNBID_ASSIGN_OR_RETURN(std::string role, f.required_string("role"));
    auto r = accounts::parse_role(role);
    if (!r) {
      return make_error("invalid_field", "角色无效 / unknown role",
                        {{"field", "/role"}, {"value", role}});
    }
    a.role = *r;
    SUNBID_ASSIGN_OR_RETURN(a.display_name, f.required_string("display_name"));
    SUNBID_ASSIGN_OR_RETURN(a.community_id, f.optional_string("community_id"));
    SUNBID_ASSIGN_OR_RETURN(a.enterprise_uscc, f.optional_string("enterprise_uscc"));
    SUNBID_ASSIGN_OR_RETURN(a.owner_key, f.optional_string("owner_key"));
    SUNBID_TRY(f.finish());
    return std::make_pair(std::move(a), std::move(password));
  }

  // ---- Registers and tenders ------------------------------------------------
  // tender_core's commands wait for their ledger commit, so they run on the
  // worker pool, never on a network thread; each handler parses and checks
  // its body first (a malformed request never reaches tender_core).

  void in_worker(Reply reply, std::function<Result<Response>()> work) {
    boost::asio::post(workers, [reply = std::move(reply), work = std::move(work)]() {
      Result<Response> r = make_error("internal_error", "no answer");
      try {
        r = work();
      } catch (const std::exception& e) {
        r = make_error("internal_error", e.what());
      }
      reply(std::move(r));
    });
  }

  // The bid commands have asynchronous forms: `start` runs on a worker (it
  // waits only when a time-driven transition of the tender is due), queues
  // the command and returns; the answer is built on the ledger's writer
  // thread once the batch is durable, so no thread waits for the commit and
  // one group commit batches as many bids as are in flight.
  template <class T>
  void in_worker_async(Reply reply, std::function<void(std::function<void(Result<T>)>)> start,
                       std::function<Result<Response>(T)> answer) {
    boost::asio::post(workers, [reply = std::move(reply), start = std::move(start),
                                answer = std::move(answer)]() mutable {
      auto done = [reply, answer = std::move(answer)](Result<T> r) {
        if (!r.ok()) return reply(std::move(r).error());
        reply(answer(std::move(r).value()));
      };
      try {
        start(std::move(done));
      } catch (const std::exception& e) {
        reply(make_error("internal_error", e.what()));
      }
    });
  }

  // A JSON body that may be empty (commands without parameters).
  Result<boost::json::object> optional_json_body(const Call& call) {
    if (call.request.body.empty()) return boost::json::object{};
    return json_body(call);
  }

  // The tender_core actor (relations included) of the caller; anonymous
  // readers are "public".
  static core::Actor core_actor(const Call& call) {
    core::Actor a;
    if (call.session) {
      const accounts::AccountRecord& acc = call.session->account;
      a.account = acc.id;
      a.role = std::string(accounts::role_name(acc.role));
      a.community_id = acc.community_id.value_or("");
      a.enterprise_uscc = acc.enterprise_uscc.value_or("");
      a.owner_key = acc.owner_key.value_or("");
    } else {
      a.account = "anonymous";
      a.role = "public";
    }
    a.source_address = call.client_address;
    return a;
  }

  static Result<std::string> required_text(JsonFields& f, std::string_view name) {
    return f.required_string(name);
  }

  // The caller's next bid, withdrawal, ballot or objection within the rate
  // limit, or `too_many_replacements` (429, Retry-After).
  Status rate_limit_writes(const Call& call) {
    if (!call.session) return {};
    if (auto wait = replacements.acquire(call.session->account.id, clock->now_ms())) {
      return make_error("too_many_replacements",
                        "提交过于频繁，请稍后再试 / too many submissions; try later",
                        {{"retry_after_s", *wait}});
    }
    return {};
  }

  static Response created(const boost::json::value& v) { return json_response(201, v); }
  static Response ok_json(const boost::json::value& v) { return json_response(200, v); }
  static std::int64_t idx(std::uint64_t i) { return static_cast<std::int64_t>(i); }

  // The view of a tender the viewer may see (a hidden draft is
  // tender_not_found, as an unknown id).
  static Result<core::TenderView> visible_tender(audit::Database& db, const std::string& id,
                                                 const core::Actor& viewer) {
    return core::TenderService::view(db, id, viewer);
  }

  Result<core::TenderView> caught_up_view(const std::string& id, const core::Actor& viewer) {
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
    // Only an existing tender is caught up (and a draft has nothing due).
    SUNBID_ASSIGN_OR_RETURN(core::TenderView v, visible_tender(lease.db(), id, viewer));
    if (v.status == core::TenderStatus::draft) return v;
    if (auto c = service.catch_up(id); !c.ok()) return std::move(c).error();
    return visible_tender(lease.db(), id, viewer);
  }

  // -- registers --
  void post_communities(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    core::CommunityInput in;
    auto parse = [&]() -> Status {
      SUNBID_ASSIGN_OR_RETURN(in.name, f.required_string("name"));
      SUNBID_ASSIGN_OR_RETURN(in.district, f.required_string("district"));
      SUNBID_ASSIGN_OR_RETURN(in.street, f.required_string("street"));
      SUNBID_ASSIGN_OR_RETURN(in.address, f.required_string("address"));
      return f.finish();
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    in_worker(reply, [this, in, actor = core_actor(call)]() -> Result<Response> {
      SUNBID_ASSIGN_OR_RETURN(core::Community c, registry.create_community(actor, in));
      return created(community_json(c));
    });
  }

  void get_community(Call& call, Reply reply) {
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto c = core::Registry::community(lease->db(), call.params.at("id"));
    if (!c.ok()) return reply(std::move(c).error());
    reply(ok_json(community_json(*c)));
  }

  void put_roster(Call& call, Reply reply) {
    const std::string& ct = call.request.content_type;
    if (!ct.starts_with("text/csv")) {
      return reply(make_error("unsupported_media_type",
                              "名册须为 text/csv / the roster must be text/csv",
                              {{"expected", "text/csv"}}));
    }
    in_worker(
        reply,
        [this, id = call.params.at("id"), csv = std::move(call.request.body),
         actor = core_actor(call)]() -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(core::RosterImport r, registry.import_roster(actor, id, csv));
          return ok_json(boost::json::object{{"units", r.totals.units},
                                             {"owners_headcount", r.totals.owners_headcount},
                                             {"total_area_centi_m2", r.totals.total_area_centi_m2},
                                             {"roster_version", r.roster_version},
                                             {"log_index", idx(r.log_index)}});
        });
  }

  void post_enterprises(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    core::EnterpriseInput in;
    auto parse = [&]() -> Status {
      SUNBID_ASSIGN_OR_RETURN(in.uscc, f.required_string("uscc"));
      SUNBID_ASSIGN_OR_RETURN(in.name, f.required_string("name"));
      return f.finish();
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    in_worker(reply, [this, in, actor = core_actor(call)]() -> Result<Response> {
      SUNBID_ASSIGN_OR_RETURN(core::EnterpriseRegistered e,
                              registry.register_enterprise(actor, in));
      boost::json::object o{{"uscc", e.uscc},
                            {"name", in.name},
                            {"pilot_exception", e.pilot_exception},
                            {"log_index", idx(e.log_index)}};
      o["warning"] =
          e.warning.empty() ? boost::json::value(nullptr) : boost::json::value(e.warning);
      return created(o);
    });
  }

  void put_ratings(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    auto items = ratings_from_json(*body);
    if (!items.ok()) return reply(std::move(items).error());
    in_worker(
        reply,
        [this, items = std::move(items).value(), actor = core_actor(call)]() -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index, registry.record_ratings(actor, items));
          return ok_json(boost::json::object{{"recorded", static_cast<std::int64_t>(items.size())},
                                             {"log_index", idx(log_index)}});
        });
  }

  void get_service_tiers(Call&, Reply reply) {
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto tiers = core::Registry::service_tiers(lease->db());
    if (!tiers.ok()) return reply(std::move(tiers).error());
    boost::json::array items;
    for (const auto& t : *tiers) items.push_back(core::to_json(t));
    // The whole table in one page (a handful of tiers), in the list shape of
    // API.md's conventions.
    reply(ok_json(boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}}));
  }

  void put_service_tiers(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    auto tiers = service_tiers_from_json(*body);
    if (!tiers.ok()) return reply(std::move(tiers).error());
    in_worker(
        reply,
        [this, tiers = std::move(tiers).value(), actor = core_actor(call)]() -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                                  registry.replace_service_tiers(actor, tiers));
          boost::json::array items;
          for (const auto& t : tiers) items.push_back(core::to_json(t));
          return ok_json(
              boost::json::object{{"items", std::move(items)}, {"log_index", idx(log_index)}});
        });
  }

  // The platform holiday calendar (tender_core/calendar.h): public reading,
  // the admin sets a new version.
  void get_calendar(Call&, Reply reply) {
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto calendar = core::Registry::calendar(lease->db());
    if (!calendar.ok()) return reply(std::move(calendar).error());
    reply(ok_json(core::to_json(*calendar)));
  }

  void put_calendar(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    auto calendar = core::calendar_from_json(*body);
    if (!calendar.ok()) return reply(std::move(calendar).error());
    in_worker(reply,
              [this, calendar = std::move(calendar).value(),
               actor = core_actor(call)]() -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(core::CalendarSet set,
                                        registry.replace_calendar(actor, calendar));
                core::HolidayCalendar stored = calendar;
                stored.version = set.version;
                boost::json::object out = core::to_json(stored);
                out["effective_from"] = core::format_rfc3339_ms(set.set_ms);
                out["log_index"] = idx(set.log_index);
                return ok_json(std::move(out));
              });
  }

  // -- tenders --
  // A draft holds any subset of the rules (checked in full at publication),
  // but never a member that is not a rule (API.md: unknown fields are 400).
  static Status refuse_unknown_rule_fields(const boost::json::object& rules) {
    for (const auto& kv : rules) {
      if (!core::is_tender_rule_field(kv.key())) {
        return make_error("unknown_field", "未知字段 / unknown field",
                          {{"field", "/" + std::string(kv.key())}});
      }
    }
    return {};
  }

  // POST /tenders: community_id, title and retender_of belong to the tender
  // record; every other member is a rule (tender_rules.h), checked in full at
  // publication.
  void post_tenders(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    core::TenderDraftInput in;
    for (const auto& [key, field] :
         {std::pair{"community_id", &in.community_id}, std::pair{"title", &in.title}}) {
      const boost::json::value* v = body->if_contains(key);
      if (!v) {
        return reply(make_error("missing_field", "缺少必填字段 / a required field is missing",
                                {{"field", "/" + std::string(key)}}));
      }
      if (!v->is_string()) {
        return reply(make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                                {{"field", "/" + std::string(key)}, {"expected", "string"}}));
      }
      *field = std::string(v->as_string());
      body->erase(key);
    }
    // 重新招标: the failed or cancelled tender this draft re-tenders.
    if (const boost::json::value* v = body->if_contains("retender_of")) {
      if (!v->is_string()) {
        return reply(make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                                {{"field", "/retender_of"}, {"expected", "string"}}));
      }
      in.retender_of = std::string(v->as_string());
      body->erase("retender_of");
    }
    if (Status st = refuse_unknown_rule_fields(*body); !st.ok())
      return reply(std::move(st).error());
    in.rules = std::move(*body);
    in_worker(reply, [this, in, actor = core_actor(call)]() -> Result<Response> {
      SUNBID_ASSIGN_OR_RETURN(std::string id, service.create_draft(actor, in));
      SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
      SUNBID_ASSIGN_OR_RETURN(core::TenderView v, core::TenderService::view(lease.db(), id, actor));
      return created(tender_json(v));
    });
  }

  void patch_tender(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    core::TenderDraftEdit edit;
    if (const boost::json::value* t = body->if_contains("title")) {
      if (!t->is_string()) {
        return reply(make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                                {{"field", "/title"}, {"expected", "string"}}));
      }
      edit.title = std::string(t->as_string());
      body->erase("title");
    }
    if (body->contains("community_id")) {
      return reply(make_error("invalid_field",
                              "招标所属小区不可修改 / a tender's community cannot change",
                              {{"field", "/community_id"}}));
    }
    if (Status st = refuse_unknown_rule_fields(*body); !st.ok())
      return reply(std::move(st).error());
    if (!body->empty()) edit.rules = std::move(*body);
    in_worker(
        reply,
        [this, id = call.params.at("id"), edit, actor = core_actor(call)]() -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index, service.edit_draft(actor, id, edit));
          SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
          SUNBID_ASSIGN_OR_RETURN(core::TenderView v,
                                  core::TenderService::view(lease.db(), id, actor));
          boost::json::object o = tender_json(v);
          o["log_index"] = idx(log_index);
          return ok_json(o);
        });
  }

  void post_publish(Call& call, Reply reply) {
    auto body = optional_json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    if (auto st = JsonFields(*body).finish(); !st.ok()) return reply(std::move(st).error());
    in_worker(reply,
              [this, id = call.params.at("id"), actor = core_actor(call)]() -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(core::Published p, service.publish(actor, id));
                SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
                SUNBID_ASSIGN_OR_RETURN(core::TenderView v,
                                        core::TenderService::view(lease.db(), id, actor));
                boost::json::object o = tender_json(v);
                o["log_index"] = idx(p.log_index);
                o["already_published"] = p.already_published;
                return ok_json(o);
              });
  }

  void post_amendment(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    std::string text;
    std::optional<std::int64_t> new_deadline;
    auto parse = [&]() -> Status {
      SUNBID_ASSIGN_OR_RETURN(text, f.required_string("text"));
      SUNBID_ASSIGN_OR_RETURN(auto d, f.optional_string("new_bid_deadline"));
      SUNBID_TRY(f.finish());
      if (d) {
        auto ms = core::parse_rfc3339_ms(*d);
        if (!ms.ok()) {
          return make_error("invalid_field", "时间格式无效 / not an RFC 3339 time",
                            {{"field", "/new_bid_deadline"}});
        }
        new_deadline = *ms;
      }
      return {};
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    in_worker(reply,
              [this, id = call.params.at("id"), text, new_deadline,
               actor = core_actor(call)]() -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(core::Amended a,
                                        service.amend(actor, id, text, new_deadline));
                return created(boost::json::object{
                    {"log_index", idx(a.log_index)},
                    {"old_bid_deadline", core::format_rfc3339_ms(a.old_deadline_ms)},
                    {"new_bid_deadline", core::format_rfc3339_ms(a.new_deadline_ms)}});
              });
  }

  // cancel and suspend {reason}; resume {}; reveal-window/extend {seconds, reason}.
  enum class TenderCommand { kCancel, kSuspend, kResume, kExtendReveal };

  void tender_command(Call& call, Reply reply, TenderCommand command) {
    auto body = optional_json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    std::string reason;
    std::string rule;  // cancel: the rule violated (required of a supervisor)
    std::int64_t seconds = 0;
    auto parse = [&]() -> Status {
      if (command != TenderCommand::kResume) {
        SUNBID_ASSIGN_OR_RETURN(reason, f.required_string("reason"));
      }
      if (command == TenderCommand::kCancel) {
        SUNBID_ASSIGN_OR_RETURN(auto r, f.optional_string("rule"));
        rule = r.value_or("");
      }
      if (command == TenderCommand::kExtendReveal) {
        SUNBID_ASSIGN_OR_RETURN(seconds, f.required_int("seconds"));
      }
      return f.finish();
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    in_worker(reply,
              [this, command, reason, rule, seconds, id = call.params.at("id"),
               actor = core_actor(call)]() -> Result<Response> {
                Result<std::uint64_t> r = std::uint64_t{0};
                switch (command) {
                  case TenderCommand::kCancel:
                    r = service.cancel(actor, id, reason, rule);
                    break;
                  case TenderCommand::kSuspend:
                    r = service.suspend(actor, id, reason);
                    break;
                  case TenderCommand::kResume:
                    r = service.resume(actor, id);
                    break;
                  case TenderCommand::kExtendReveal:
                    r = service.extend_reveal(actor, id, seconds, reason);
                    break;
                }
                if (!r.ok()) return std::move(r).error();
                SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
                SUNBID_ASSIGN_OR_RETURN(core::TenderView v,
                                        core::TenderService::view(lease.db(), id, actor));
                boost::json::object o = tender_json(v);
                o["log_index"] = idx(*r);
                return ok_json(o);
              });
  }
  void post_cancel(Call& c, Reply r) { tender_command(c, std::move(r), TenderCommand::kCancel); }
  void post_suspend(Call& c, Reply r) { tender_command(c, std::move(r), TenderCommand::kSuspend); }
  void post_resume(Call& c, Reply r) { tender_command(c, std::move(r), TenderCommand::kResume); }
  void post_extend_reveal(Call& c, Reply r) {
    tender_command(c, std::move(r), TenderCommand::kExtendReveal);
  }

  // GET /tenders?status=&community_id=&limit=&cursor= — in creation order;
  // the cursor is the id of the last tender of the previous page.
  void get_tenders(Call& call, Reply reply) {
    std::optional<core::TenderStatus> status;
    if (auto it = call.query.find("status"); it != call.query.end() && !it->second.empty()) {
      status = core::tender_status_from_string(it->second);
      if (!status) {
        return reply(
            make_error("invalid_query", "状态无效 / unknown status", {{"field", "status"}}));
      }
    }
    std::optional<std::string> community;
    if (auto it = call.query.find("community_id"); it != call.query.end() && !it->second.empty()) {
      community = it->second;
    }
    auto limit = list_limit(call.query);
    if (!limit.ok()) return reply(std::move(limit).error());
    const std::uint64_t n = *limit;
    core::TenderListQuery query{status, std::move(community), {}, static_cast<std::size_t>(n)};
    if (auto it = call.query.find("cursor"); it != call.query.end()) query.cursor = it->second;
    core::Actor viewer = core_actor(call);
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto page = core::TenderService::list(lease->db(), query, viewer);
    if (!page.ok()) return reply(std::move(page).error());
    boost::json::array items;
    for (const auto& t : page->items) items.push_back(tender_json(t));
    boost::json::value next = nullptr;
    if (page->next_cursor) next = boost::json::string(*page->next_cursor);
    reply(ok_json(boost::json::object{{"items", std::move(items)}, {"next_cursor", next}}));
  }

  // GET /tenders/{id}: the public view; `bids` holds what the viewer may see
  // of the bids (tender_core's bids_visible_to): before the deadline only an
  // enterprise's own bid, never a count.
  //
  // The hot path answers on the calling thread from one read snapshot: a
  // draft has nothing time-driven, and a published tender nothing before its
  // effective bid deadline (tender_core's catch_up contract), so no
  // transition can be due and no commit is awaited. Any other state goes to
  // the worker pool, which catches the tender up first. Hot-path answers are
  // reused while no commit happened and the deadline has not come
  // (TenderViewCache).
  void get_tender(Call& call, Reply reply) {
    const std::string& id = call.params.at("id");
    core::Actor viewer = core_actor(call);
    // Read before the snapshot: the answer reflects at least these commits.
    const std::uint64_t commits = ledger().stats().commits;
    std::string cache_key = TenderViewCache::key(id, viewer);
    if (auto hit = tender_views.find(cache_key, commits, clock->now_ms())) {
      return reply(std::move(*hit));
    }
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    std::optional<Result<Response>> answer;
    {
      // One read transaction for every query below; ended on every path
      // (the connection goes back to the pool).
      audit::ReadTxn snap(lease->db());
      if (!snap.begun().ok()) return reply(snap.begun().error());
      const std::int64_t now = clock->now_ms();
      auto v = visible_tender(snap.db(), id, viewer);
      if (!v.ok()) {
        answer.emplace(std::move(v).error());
      } else if (v->status == core::TenderStatus::draft ||
                 (v->status == core::TenderStatus::published && v->bid_deadline_ms &&
                  now < *v->bid_deadline_ms)) {
        answer.emplace(tender_with_bids(snap.db(), *v, viewer, now));
        if (answer->ok()) {
          const std::int64_t until = v->status == core::TenderStatus::draft
                                         ? std::numeric_limits<std::int64_t>::max()
                                         : *v->bid_deadline_ms;
          tender_views.insert(std::move(cache_key), commits, until, answer->value());
        }
      }
    }
    if (answer) return reply(std::move(*answer));
    in_worker(reply, [this, id, viewer]() -> Result<Response> {
      SUNBID_ASSIGN_OR_RETURN(core::TenderView v, caught_up_view(id, viewer));
      SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
      return tender_with_bids(lease.db(), v, viewer, clock->now_ms());
    });
  }

  Result<Response> tender_with_bids(audit::Database& db, const core::TenderView& v,
                                    const core::Actor& viewer, std::int64_t now_ms) {
    SUNBID_ASSIGN_OR_RETURN(auto bids,
                            core::TenderService::bids_visible_to(db, v.id, viewer, now_ms));
    boost::json::object o = tender_json(v);
    boost::json::array b;
    for (const auto& s : bids) b.push_back(bid_summary_json(s));
    o["bids"] = std::move(b);
    return ok_json(o);
  }

  // -- bids --
  void post_bid(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    std::string commitment;
    auto parse = [&]() -> Status {
      SUNBID_ASSIGN_OR_RETURN(commitment, f.required_string("commitment_sha256_hex"));
      return f.finish();
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    if (auto st = rate_limit_writes(call); !st.ok()) return reply(std::move(st).error());
    in_worker_async<core::BidReceipt>(
        std::move(reply),
        [this, commitment, id = call.params.at("id"), actor = core_actor(call)](auto done) {
          service.submit_bid_async(actor, id, commitment, std::move(done));
        },
        [](core::BidReceipt r) -> Result<Response> {
          return created(boost::json::object{
              {"bid_id", r.bid_id}, {"log_index", idx(r.log_index)}, {"replaced", r.replaced}});
        });
  }

  void delete_bid(Call& call, Reply reply) {
    if (auto st = rate_limit_writes(call); !st.ok()) return reply(std::move(st).error());
    in_worker_async<std::uint64_t>(
        std::move(reply),
        [this, id = call.params.at("id"), actor = core_actor(call)](auto done) {
          service.withdraw_bid_async(actor, id, std::move(done));
        },
        log_index_answer);
  }

  static Result<Response> log_index_answer(std::uint64_t log_index) {
    return ok_json(boost::json::object{{"log_index", idx(log_index)}});
  }

  void post_reveal(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    std::string salt;
    boost::json::value bid;
    auto parse = [&]() -> Status {
      SUNBID_ASSIGN_OR_RETURN(salt, f.required_string("salt_hex"));
      SUNBID_ASSIGN_OR_RETURN(bid, f.required_value("bid"));
      return f.finish();
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    in_worker_async<std::uint64_t>(
        std::move(reply),
        [this, salt, bid, id = call.params.at("id"), actor = core_actor(call)](auto done) {
          service.reveal_bid_async(actor, id, salt, bid, std::move(done));
        },
        log_index_answer);
  }

  void get_opening(Call& call, Reply reply) {
    in_worker(
        reply, [this, id = call.params.at("id"), viewer = core_actor(call)]() -> Result<Response> {
          if (auto v = caught_up_view(id, viewer); !v.ok()) return std::move(v).error();
          SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
          SUNBID_ASSIGN_OR_RETURN(auto rows, core::TenderService::opening_record(lease.db(), id));
          boost::json::array items;
          for (const auto& r : rows) items.push_back(opening_row_json(r));
          return ok_json(boost::json::object{{"tender_id", id}, {"items", std::move(items)}});
        });
  }

  // -- objections --
  // An objection's (or an answer's) text is at most max_objection_text_bytes
  // (security A10): each is kept and served forever.
  Status check_objection_text(const std::string& text) const {
    const std::uint64_t limit = options.limits.max_objection_text_bytes;
    if (text.size() > limit) {
      return make_error("objection_too_long", "异议内容过长 / the objection text is too long",
                        {{"field", "/text"}, {"limit_bytes", static_cast<std::int64_t>(limit)}});
    }
    return {};
  }

  void post_objection(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    std::string text;
    auto parse = [&]() -> Status {
      SUNBID_ASSIGN_OR_RETURN(text, f.required_string("text"));
      return f.finish();
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    if (auto st = check_objection_text(text); !st.ok()) return reply(std::move(st).error());
    if (auto st = rate_limit_writes(call); !st.ok()) return reply(std::move(st).error());
    in_worker(
        reply,
        [this, text, id = call.params.at("id"), actor = core_actor(call)]() -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(core::ObjectionFiled o, service.file_objection(actor, id, text));
          return created(
              boost::json::object{{"id", o.objection_id},
                                  {"stage", o.stage},
                                  {"log_index", idx(o.log_index)},
                                  {"answer_due", core::format_rfc3339_ms(o.answer_due_ms)}});
        });
  }

  void post_objection_answer(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    JsonFields f(*body);
    std::string text;
    bool amends = false;
    auto parse = [&]() -> Status {
      SUNBID_ASSIGN_OR_RETURN(text, f.required_string("text"));
      SUNBID_ASSIGN_OR_RETURN(auto a, f.optional_bool("amends_documents"));
      amends = a.value_or(false);
      return f.finish();
    };
    if (auto st = parse(); !st.ok()) return reply(std::move(st).error());
    if (auto st = check_objection_text(text); !st.ok()) return reply(std::move(st).error());
    in_worker(reply,
              [this, text, amends, id = call.params.at("id"), oid = call.params.at("oid"),
               actor = core_actor(call)]() -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(core::ObjectionAnswered a,
                                        service.answer_objection(actor, id, oid, text, amends));
                boost::json::object out{{"log_index", idx(a.log_index)}, {"late", a.late}};
                out["deadline_moved"] = nullptr;
                if (a.deadline_moved) {
                  out["deadline_moved"] = {
                      {"log_index", idx(a.deadline_moved->log_index)},
                      {"old_deadline", core::format_rfc3339_ms(a.deadline_moved->old_deadline_ms)},
                      {"new_deadline", core::format_rfc3339_ms(a.deadline_moved->new_deadline_ms)}};
                }
                return ok_json(std::move(out));
              });
  }

  // GET /tenders/{id}/objections?limit=&cursor=: in filing order, at most
  // `limit` (default and largest objections_per_page) per page; the cursor
  // is the id of the last objection of the previous page.
  void get_objections(Call& call, Reply reply) {
    auto limit = query_uint(call.query, "limit");
    if (!limit.ok()) return reply(std::move(limit).error());
    const std::uint64_t most = options.limits.objections_per_page;
    const std::uint64_t n = limit->value_or(most);
    if (n < 1 || n > most) {
      return reply(make_error("invalid_query", "limit 超出范围 / limit is out of range",
                              {{"field", "limit"}, {"max", static_cast<std::int64_t>(most)}}));
    }
    std::string cursor;
    if (auto it = call.query.find("cursor"); it != call.query.end()) cursor = it->second;
    in_worker(
        reply,
        [this, n, cursor, id = call.params.at("id"),
         viewer = core_actor(call)]() -> Result<Response> {
          if (auto v = caught_up_view(id, viewer); !v.ok()) return std::move(v).error();
          SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
          SUNBID_ASSIGN_OR_RETURN(
              auto list, service.objections_visible_to(lease.db(), id, viewer, clock->now_ms()));
          std::size_t start = 0;
          if (!cursor.empty()) {
            auto it = std::find_if(list.begin(), list.end(),
                                   [&](const core::ObjectionView& o) { return o.id == cursor; });
            if (it == list.end()) {
              return make_error("invalid_query", "游标无效 / the cursor is not valid",
                                {{"field", "cursor"}});
            }
            start = static_cast<std::size_t>(it - list.begin()) + 1;
          }
          boost::json::array items;
          boost::json::value next = nullptr;
          for (std::size_t i = start; i < list.size(); ++i) {
            if (items.size() == n) {
              next = boost::json::string(list[i - 1].id);
              break;
            }
            items.push_back(objection_json(list[i]));
          }
          return ok_json(boost::json::object{{"items", std::move(items)}, {"next_cursor", next}});
        });
  }

  // GET /tenders/{id}/trail?tree_size=&cursor=&limit=: the tender's released
  // entries with their inclusion proofs, a page at a time against one
  // checkpoint (audit_log/trail.h tender_trail_page): the first page is
  // against the newest; the next pages name its tree_size and the cursor.
  void get_trail(Call& call, Reply reply) {
    audit::TrailPageRequest page;
    const std::uint64_t most = options.limits.max_trail_entries_per_page;
    auto tree_size = query_uint(call.query, "tree_size");
    if (!tree_size.ok()) return reply(std::move(tree_size).error());
    auto cursor = query_uint(call.query, "cursor");
    if (!cursor.ok()) return reply(std::move(cursor).error());
    auto limit = query_uint(call.query, "limit");
    if (!limit.ok()) return reply(std::move(limit).error());
    page.tree_size = *tree_size;
    page.after = *cursor;
    page.limit = limit->value_or(most);
    if (page.limit < 1 || page.limit > most) {
      return reply(make_error("invalid_query", "limit 超出范围 / limit is out of range",
                              {{"field", "limit"}, {"max", static_cast<std::int64_t>(most)}}));
    }
    in_worker(
        reply,
        [this, page, id = call.params.at("id"), viewer = core_actor(call)]() -> Result<Response> {
          if (auto v = caught_up_view(id, viewer); !v.ok()) return std::move(v).error();
          SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
          SUNBID_ASSIGN_OR_RETURN(boost::json::object trail,
                                  audit::tender_trail_page(lease.db(), id, ledger().verifier_key(),
                                                           clock->now_ms(), page));
          return ok_json(trail);
        });
  }

  // ---- Evaluation and decision ------------------------------------------------
  // The evaluation service's commands wait for their commit, so they run on
  // the worker pool. Who may act on THIS tender (a drawn member, an owner or
  // tenderer of its community) is the service's answer; the handlers check
  // only that the tender is one the caller may see, so a draft stays
  // invisible to everyone else (404), as in the tender endpoints.

  // The tender's due transitions (tender_core's and the vote window), then
  // its view as the viewer may see it.
  Result<core::TenderView> caught_up_for_evaluation(const std::string& id,
                                                    const core::Actor& viewer) {
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(core::TenderView v, visible_tender(lease.db(), id, viewer));
    if (v.status == core::TenderStatus::draft) return v;
    SUNBID_TRY(evaluation.catch_up(id));
    return visible_tender(lease.db(), id, viewer);
  }

  Status require_visible(const std::string& id, const core::Actor& viewer) {
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(core::TenderView v, visible_tender(lease.db(), id, viewer));
    (void)v;
    return {};
  }

  // Parses the body with `parse`, then runs `work` on the worker pool.
  template <class Parsed, class Work>
  void eval_command(Call& call, Reply reply, Result<Parsed> (*parse)(const boost::json::object&),
                    Work work) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    auto parsed = parse(*body);
    if (!parsed.ok()) return reply(std::move(parsed).error());
    in_worker(reply,
              [this, work, parsed = std::move(parsed).value(), id = call.params.at("id"),
               actor = core_actor(call)]() -> Result<Response> {
                SUNBID_TRY(require_visible(id, actor));
                return work(id, actor, parsed);
              });
  }

  // POST /experts: the pool entry of an evaluator account. Only evaluator
  // accounts enter the pool, and an account has one role, so no account
  // that takes part in a decision (tenderer, owner) can ever be drawn.
  void post_experts(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    auto req = expert_from_json(*body);
    if (!req.ok()) return reply(std::move(req).error());
    in_worker(reply,
              [this, req = std::move(req).value(), actor = core_actor(call)]() -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
                SUNBID_ASSIGN_OR_RETURN(auto account, accounts::find_account_by_username(
                                                          lease.db(), req.account_username));
                if (!account) {
                  return make_error("account_not_found", "账户不存在 / no such account",
                                    {{"field", "/account_username"}});
                }
                if (account->role != accounts::Role::kEvaluator) {
                  return make_error(
                      "expert_not_evaluator",
                      "专家库只收评标专家账户 / only evaluator accounts enter the expert pool",
                      {{"field", "/account_username"},
                       {"role", std::string(accounts::role_name(account->role))}});
                }
                eval::ExpertInput in = req.input;
                in.account = account->id;
                SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index, evaluation.add_expert(actor, in));
                return created(boost::json::object{{"account_id", account->id},
                                                   {"account_username", req.account_username},
                                                   {"log_index", idx(log_index)}});
              });
  }

  // PATCH /experts/{id}: a new, effective-dated version of the record of the
  // evaluator account {id} (docs/committee-draw.md "Expert records").
  void patch_expert(Call& call, Reply reply) {
    auto body = json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    auto update = expert_update_from_json(*body);
    if (!update.ok()) return reply(std::move(update).error());
    in_worker(
        reply,
        [this, update = std::move(update).value(), id = call.params.at("id"),
         actor = core_actor(call)]() -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                                  evaluation.update_expert(actor, id, update));
          return ok_json(boost::json::object{{"account_id", id}, {"log_index", idx(log_index)}});
        });
  }

  static Result<BeaconRequest> committee_beacon(const boost::json::object& body) {
    return beacon_from_json(body, false);
  }
  static Result<BeaconRequest> draw_beacon(const boost::json::object& body) {
    return beacon_from_json(body, true);
  }

  void post_committee_draw(Call& call, Reply reply) {
    eval_command(call, std::move(reply), &committee_beacon,
                 [this](const std::string& id, const core::Actor& actor,
                        const BeaconRequest& b) -> Result<Response> {
                   SUNBID_ASSIGN_OR_RETURN(
                       eval::CommitteeDrawn d,
                       evaluation.draw_committee(actor, id, b.beacon, b.beacon_date));
                   return created(committee_drawn_json(d));
                 });
  }

  void post_declaration(Call& call, Reply reply) {
    eval_command(call, std::move(reply), &declaration_from_json,
                 [this](const std::string& id, const core::Actor& actor,
                        const DeclarationRequest& d) -> Result<Response> {
                   SUNBID_ASSIGN_OR_RETURN(eval::SeatChange s,
                                           evaluation.declare(actor, id, d.no_conflict, d.detail));
                   return ok_json(seat_change_json(s));
                 });
  }

  void post_replace(Call& call, Reply reply) {
    eval_command(call, std::move(reply), &replace_from_json,
                 [this](const std::string& id, const core::Actor& actor,
                        const ReplaceRequest& r) -> Result<Response> {
                   SUNBID_ASSIGN_OR_RETURN(eval::SeatChange s, evaluation.replace_member(
                                                                   actor, id, r.member, r.reason));
                   return ok_json(seat_change_json(s));
                 });
  }

  void post_review(Call& call, Reply reply) {
    eval_command(call, std::move(reply), &review_from_json,
                 [this](const std::string& id, const core::Actor& actor,
                        const eval::ReviewInput& in) -> Result<Response> {
                   SUNBID_ASSIGN_OR_RETURN(eval::StageResult s,
                                           evaluation.submit_review(actor, id, in));
                   return created(stage_json(s, false));
                 });
  }

  void post_draw(Call& call, Reply reply) {
    eval_command(call, std::move(reply), &draw_beacon,
                 [this](const std::string& id, const core::Actor& actor,
                        const BeaconRequest& b) -> Result<Response> {
                   SUNBID_ASSIGN_OR_RETURN(
                       eval::StageResult s,
                       evaluation.enter_beacon(actor, id, b.purpose, b.beacon, b.beacon_date));
                   return created(stage_json(s, true));
                 });
  }

  void post_ballot(Call& call, Reply reply) {
    if (auto st = rate_limit_writes(call); !st.ok()) return reply(std::move(st).error());
    eval_command(
        call, std::move(reply), &ballot_from_json,
        [this](const std::string& id, const core::Actor& actor,
               const std::optional<std::string>& choice) -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(eval::BallotCast b, evaluation.cast_ballot(actor, id, choice));
          return created(boost::json::object{
              {"log_index", idx(b.log_index)}, {"replaced", b.replaced}, {"round", b.round}});
        });
  }

  void post_committee_vote(Call& call, Reply reply) {
    eval_command(
        call, std::move(reply), &committee_vote_from_json,
        [this](const std::string& id, const core::Actor& actor,
               const CommitteeVoteRequest& v) -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                                  evaluation.committee_vote(actor, id, v.candidate, v.round));
          return created(boost::json::object{{"log_index", idx(log_index)}, {"round", v.round}});
        });
  }

  // A member of the deciding committee declares a conflict (legal M7).
  void post_recusal(Call& call, Reply reply) {
    eval_command(call, std::move(reply), &recusal_from_json,
                 [this](const std::string& id, const core::Actor& actor,
                        const std::string& reason) -> Result<Response> {
                   SUNBID_ASSIGN_OR_RETURN(std::uint64_t log_index,
                                           evaluation.declare_recusal(actor, id, reason));
                   return created(boost::json::object{{"log_index", idx(log_index)}});
                 });
  }

  void post_decision(Call& call, Reply reply) {
    auto body = optional_json_body(call);
    if (!body.ok()) return reply(std::move(body).error());
    if (auto st = JsonFields(*body).finish(); !st.ok()) return reply(std::move(st).error());
    in_worker(reply,
              [this, id = call.params.at("id"), actor = core_actor(call)]() -> Result<Response> {
                SUNBID_TRY(require_visible(id, actor));
                SUNBID_ASSIGN_OR_RETURN(eval::StageResult s, evaluation.decide(actor, id));
                boost::json::object o = stage_json(s, true);
                // API.md: {method, inputs, tally?, seed?, result}. Methods whose
                // entry names no separate inputs (owners_vote: the ballots are
                // their own entries; a pending draw) decided over the candidates.
                if (!o.contains("inputs")) {
                  boost::json::object inputs;
                  if (const auto* c = o.if_contains("candidates")) inputs["candidates"] = *c;
                  o["inputs"] = std::move(inputs);
                }
                return ok_json(o);
              });
  }

  // A reader of the evaluation: catches the tender up, then answers `read`
  // over a read connection.
  template <class Read>
  void eval_read(Call& call, Reply reply, Read read) {
    in_worker(
        reply,
        [this, read, id = call.params.at("id"), viewer = core_actor(call)]() -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(core::TenderView v, caught_up_for_evaluation(id, viewer));
          SUNBID_ASSIGN_OR_RETURN(auto lease, ledger().reader());
          return read(lease.db(), v, viewer);
        });
  }

  void get_committee(Call& call, Reply reply) {
    eval_read(call, std::move(reply),
              [](audit::Database& db, const core::TenderView& v,
                 const core::Actor& viewer) -> Result<Response> {
                // 招标投标法 art. 37: the checked read (supervisors, the tender's own
                // drawn evaluators; everybody else only after the decision).
                SUNBID_ASSIGN_OR_RETURN(eval::CommitteeView c,
                                        eval::EvaluationService::committee(db, v.id, viewer));
                boost::json::object o = committee_json(c);
                o["tender_id"] = v.id;
                return ok_json(o);
              });
  }

  void get_clearing_report(Call& call, Reply reply) {
    eval_read(call, std::move(reply),
              [](audit::Database& db, const core::TenderView& v,
                 const core::Actor& viewer) -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(eval::ClearingReport r,
                                        eval::EvaluationService::clearing_report(db, v.id, viewer));
                boost::json::object o = eval::to_json(r);
                o["tender_id"] = v.id;
                return ok_json(o);
              });
  }

  // GET /tenders/{id}/reviews: the marks the viewer may see (independence:
  // another member's only once that member and the viewer marked every bid);
  // a supervisor's progress.
  void get_reviews(Call& call, Reply reply) {
    eval_read(call, std::move(reply),
              [](audit::Database& db, const core::TenderView& v,
                 const core::Actor& viewer) -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(
                    eval::ReviewsView r,
                    eval::EvaluationService::reviews_visible_to(db, v.id, viewer));
                boost::json::object o = marks_json(r.marks);
                o["tender_id"] = v.id;
                if (r.progress) {
                  boost::json::array p;
                  for (const auto& m : *r.progress) {
                    p.push_back({{"member", m.member},
                                 {"submitted", static_cast<std::int64_t>(m.submitted)},
                                 {"of", static_cast<std::int64_t>(m.of)}});
                  }
                  o["progress"] = std::move(p);
                }
                return ok_json(o);
              });
  }

  // GET /tenders/{id}/candidates: unranked, with bidders and prices.
  void get_candidates(Call& call, Reply reply) {
    eval_read(
        call, std::move(reply),
        [](audit::Database& db, const core::TenderView& v, const core::Actor&) -> Result<Response> {
          SUNBID_ASSIGN_OR_RETURN(auto list, eval::EvaluationService::candidate_list(db, v.id));
          boost::json::array items;
          for (const auto& c : list) {
            boost::json::object item{{"bid_id", c.bid_id}};
            if (!c.bidder_uscc.empty()) item["bidder_uscc"] = c.bidder_uscc;
            if (c.price_fen_per_m2_month)
              item["price_fen_per_m2_month"] = *c.price_fen_per_m2_month;
            items.push_back(std::move(item));
          }
          return ok_json(boost::json::object{
              {"tender_id", v.id}, {"items", std::move(items)}, {"next_cursor", nullptr}});
        });
  }

  // GET /tenders/{id}/award: the decision once public (EvaluationService::award).
  void get_award(Call& call, Reply reply) {
    eval_read(call, std::move(reply),
              [](audit::Database& db, const core::TenderView& v,
                 const core::Actor& viewer) -> Result<Response> {
                SUNBID_ASSIGN_OR_RETURN(eval::AwardView a,
                                        eval::EvaluationService::award(db, v.id, viewer));
                return ok_json(boost::json::object{
                    {"tender_id", a.tender_id},
                    {"status", std::string(core::to_string(a.status))},
                    {"awarded_bid_id", a.awarded_bid_id ? boost::json::value(*a.awarded_bid_id)
                                                        : boost::json::value(nullptr)},
                    {"decision", std::move(a.decision)}});
              });
  }

  // ---- The audit log ----------------------------------------------------------
  void get_checkpoint(Call&, Reply reply) {
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto cp = audit::latest_checkpoint(lease->db());
    if (!cp.ok()) return reply(std::move(cp).error());
    if (!*cp) {
      return reply(make_error("checkpoint_not_found",
                              "尚无已签名的检查点 / no checkpoint has been signed yet"));
    }
    reply(text_response((*cp)->note));
  }

  void get_key(Call&, Reply reply) { reply(text_response(ledger().verifier_key())); }

  void get_entries(Call& call, Reply reply) {
    auto start = query_uint(call.query, "start");
    if (!start.ok()) return reply(std::move(start).error());
    auto end = query_uint(call.query, "end");
    if (!end.ok()) return reply(std::move(end).error());
    const std::uint64_t per_page = options.limits.max_entries_per_page;
    std::uint64_t s = start->value_or(0);
    std::uint64_t e = end->value_or(s + per_page);
    if (e < s) {
      return reply(make_error("invalid_query", "end 不得小于 start / end must not be below start",
                              {{"field", "end"}}));
    }
    e = std::min(e, s + per_page);
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    // A page ends early once it holds max_page_bytes (security A10).
    auto page =
        audit::public_entries(lease->db(), s, e, clock->now_ms(), options.limits.max_page_bytes);
    if (!page.ok()) return reply(std::move(page).error());
    // Entries are embedded byte for byte, so the served text is the stored one.
    std::string out = "{\"items\":[";
    for (std::size_t i = 0; i < page->items.size(); ++i) {
      if (i > 0) out += ',';
      out += page->items[i];
    }
    out += "],\"log_size\":" + std::to_string(page->log_size) + ",\"next_cursor\":";
    out += page->next < page->log_size ? std::to_string(page->next) : std::string("null");
    out += '}';
    Response r;
    r.body = std::move(out);
    reply(std::move(r));
  }

  // GET /access-record?start=&limit=: logins and logouts, for supervisors
  // (access_record.h). Records are served as their exact bytes, so the
  // chain can be checked against the daily public commitments.
  void get_access_record(Call& call, Reply reply) {
    auto start = query_uint(call.query, "start");
    if (!start.ok()) return reply(std::move(start).error());
    auto limit = query_uint(call.query, "limit");
    if (!limit.ok()) return reply(std::move(limit).error());
    std::uint64_t n = limit->value_or(limits::kMaxEntriesPerPage);
    if (n < 1 || n > limits::kMaxEntriesPerPage) {
      return reply(make_error("invalid_query", "limit 须为 1 至 1000 / limit must be 1 to 1000",
                              {{"field", "limit"}}));
    }
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto page = accounts::read_access_record(lease->db(), start->value_or(0), n);
    if (!page.ok()) return reply(std::move(page).error());
    boost::json::array items;
    for (const auto& it : page->items) {
      items.emplace_back(boost::json::object{{"seq", static_cast<std::int64_t>(it.seq)},
                                             {"record", it.record},
                                             {"hash", hex_encode(it.hash)}});
    }
    std::uint64_t next = start->value_or(0) + page->items.size();
    reply(json_response(
        200,
        boost::json::object{
            {"items", std::move(items)},
            {"size", static_cast<std::int64_t>(page->size)},
            {"head_sha256", hex_encode(page->head)},
            {"next_cursor", next < page->size ? boost::json::value(static_cast<std::int64_t>(next))
                                              : boost::json::value(nullptr)}}));
  }

  void get_inclusion(Call& call, Reply reply) {
    auto index = query_uint(call.query, "index");
    if (!index.ok()) return reply(std::move(index).error());
    if (!*index) {
      return reply(
          make_error("invalid_query", "缺少 index / index is required", {{"field", "index"}}));
    }
    auto size = query_uint(call.query, "tree_size");
    if (!size.ok()) return reply(std::move(size).error());
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto a = audit::prove_inclusion(lease->db(), **index, *size);
    if (!a.ok()) return reply(std::move(a).error());
    reply(json_response(200,
                        boost::json::object{{"index", static_cast<std::int64_t>(a->index)},
                                            {"tree_size", static_cast<std::int64_t>(a->tree_size)},
                                            {"leaf_hash", hex_encode(a->leaf)},
                                            {"proof", hex_list(a->proof)},
                                            {"checkpoint", a->checkpoint.note}}));
  }

  void get_consistency(Call& call, Reply reply) {
    auto first = query_uint(call.query, "first");
    if (!first.ok()) return reply(std::move(first).error());
    if (!*first) {
      return reply(
          make_error("invalid_query", "缺少 first / first is required", {{"field", "first"}}));
    }
    auto second = query_uint(call.query, "second");
    if (!second.ok()) return reply(std::move(second).error());
    auto lease = ledger().reader();
    if (!lease.ok()) return reply(std::move(lease).error());
    auto a = audit::prove_consistency(lease->db(), **first, *second);
    if (!a.ok()) return reply(std::move(a).error());
    reply(json_response(200, boost::json::object{{"first", static_cast<std::int64_t>(a->first)},
                                                 {"second", static_cast<std::int64_t>(a->second)},
                                                 {"proof", hex_list(a->proof)},
                                                 {"first_checkpoint", a->first_checkpoint.note},
                                                 {"checkpoint", a->checkpoint.note}}));
  }
};

Api::Api(ApiOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

std::uint64_t Api::body_limit(const Request& head) {
  try {
    return impl_->body_limit(head);
  } catch (const std::exception&) {
    return impl_->options.limits.max_anonymous_body_bytes;
  }
}
Api::~Api() = default;

std::string Api::client_address(const Request& request) const {
  return impl_->client_address(request);
}

void Api::handle_async(Request request, std::function<void(Response)> reply) {
  Impl* impl = impl_.get();
  // Exactly one place turns errors into answers; every answer is counted.
  Reply finish = [impl, reply = std::move(reply)](Result<Response> r) {
    Response resp = r.ok() ? std::move(r).value() : error_response(r.error());
    if (!r.ok() && resp.status >= 500) {
      // The one sink for server faults: the client saw only "internal
      // server error", the operator sees the cause.
      std::fprintf(stderr, "sunbid: %d %s\n", resp.status, r.error().to_string().c_str());
    }
    int cls = resp.status / 100;
    if (cls >= 1 && cls <= 5) impl->responses_by_class[static_cast<std::size_t>(cls)].fetch_add(1);
    resp.headers.emplace_back("Cache-Control", "no-store");
    reply(std::move(resp));
  };
  try {
    impl->dispatch(std::move(request), finish);
  } catch (const std::exception& e) {
    // Nothing a handler throws (e.g. std::bad_alloc) may cross into the
    // network layer; the ledger rolled back whatever the command did.
    finish(make_error("internal_error", e.what()));
  }
}

Response Api::handle(Request request) {
  std::promise<Response> p;
  auto f = p.get_future();
  handle_async(std::move(request), [&p](Response r) { p.set_value(std::move(r)); });
  return f.get();
}

}  // namespace sunbid::server
