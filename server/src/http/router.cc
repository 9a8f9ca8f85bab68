#include "http/router.h"

#include <arpa/inet.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/url/parse.hpp>

#include "audit_log/strict_json.h"
#include "http/cookie.h"
#include "server/config.h"

namespace sunbid::server {

namespace {

constexpr std::string_view kApiPrefix = "/api/v1";

std::vector<std::string> split(std::string_view path) {
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

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& segs,
           std::unordered_map<std::string, std::string>& params) {
  if (pattern.size() != segs.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& p = pattern[i];
    const std::size_t close = p.find('}');
    if (p.size() > 2 && p.front() == '{' && close == p.size() - 1) {
      if (segs[i].empty()) return false;
      params[p.substr(1, p.size() - 2)] = segs[i];
    } else if (p.size() > 2 && p.front() == '{' && close != std::string::npos) {
      // "{name}.pdf": a parameter followed by a literal suffix in one segment.
      const std::string_view suffix = std::string_view(p).substr(close + 1);
      const std::string& seg = segs[i];
      if (seg.size() <= suffix.size() || !seg.ends_with(suffix)) return false;
      params[p.substr(1, close - 1)] = seg.substr(0, seg.size() - suffix.size());
    } else if (p != segs[i]) {
      return false;
    }
  }
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool is_valid_ip(const std::string& text) {
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

bool is_loopback(std::string_view address) {
  return is_loopback_host(address) && address != "localhost";
}

Error not_found() {
  return make_error("not_found", "未找到 / not found");
}

// The path below /api/v1 of an origin-form target (percent-decoded), or
// nullopt when it is outside the API.
std::optional<std::string> api_path(const boost::urls::url_view& url) {
  std::string path = url.path();
  if (!path.starts_with(kApiPrefix) ||
      (path.size() > kApiPrefix.size() && path[kApiPrefix.size()] != '/')) {
    return std::nullopt;
  }
  return path.substr(kApiPrefix.size());
}

// Runs `work` and hands its answer to `reply`; nothing it throws escapes.
template <class Work>
void answer_with(const Reply& reply, Work&& work) {
  Result<Response> r = make_error("internal_error", "no answer");
  try {
    r = work();
  } catch (const std::exception& e) {
    r = make_error("internal_error", e.what());
  }
  reply(std::move(r));
}

// Starts a pending command; a throw before it is queued answers 500.
void start_pending(const Pending& p, const Reply& reply) {
  try {
    p.start(reply);
  } catch (const std::exception& e) {
    reply(make_error("internal_error", e.what()));
  }
}

}  // namespace

Result<boost::json::object> json_object_body(const Request& request, bool optional) {
  if (optional && request.body.empty()) return boost::json::object{};
  const std::string& ct = request.content_type;
  if (!ct.empty() && !ct.starts_with("application/json")) {
    return make_error("unsupported_media_type",
                      "请求体须为 JSON / the body must be application/json");
  }
  SUNBID_ASSIGN_OR_RETURN(boost::json::value v, audit::parse_strict_json(request.body));
  if (!v.is_object()) {
    return make_error("invalid_field", "请求体须为 JSON 对象 / the body must be a JSON object",
                      {{"field", ""}});
  }
  return std::move(v.as_object());
}

Router::Router(Services& services, std::vector<RouteSpec> routes)
    : s_(services),
      login_pool_(static_cast<std::size_t>(std::max(1, services.options.limits.login_threads))) {
  for (auto& r : routes) {
    auto segments = split(r.pattern);
    routes_.push_back(Entry{std::move(r), std::move(segments)});
  }
}

Router::~Router() {
  login_pool_.join();
  workers_.join();
}

const Router::Entry* Router::find(std::string_view method, const std::vector<std::string>& segs,
                                  std::unordered_map<std::string, std::string>& params,
                                  std::string& allowed) const {
  std::unordered_map<std::string, std::string> p;
  for (const Entry& r : routes_) {
    if (!match(r.segments, segs, p)) continue;
    if (r.spec.method == method) {
      params = std::move(p);
      return &r;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += r.spec.method;
  }
  return nullptr;
}

void Router::dispatch(Request request, Reply reply) {
  Call call;
  call.client_address = client_address(request);
  call.request = std::move(request);
  const Request& req = call.request;

  auto url = boost::urls::parse_origin_form(req.target);
  if (!url)
    return reply(make_error("bad_request", "请求目标无效 / the request target is malformed"));
  auto path = api_path(*url);
  if (!path) {
    // Outside the API: the web application, when the server has one.
    if (!s_.options.web) return reply(not_found());
    if (req.method != "GET") {
      return reply(make_error("method_not_allowed", "不支持该方法 / method not allowed",
                              {{"allow", "GET"}}));
    }
    return reply(s_.options.web->answer(url->path()));
  }
  call.path = std::move(*path);
  for (auto p : url->params()) {
    if (call.query.contains(p.key)) {
      return reply(make_error("invalid_query", "查询参数重复 / a query parameter is repeated",
                              {{"field", p.key}}));
    }
    call.query.emplace(p.key, p.value);
  }

  std::string allowed;
  const Entry* route = find(req.method, split(call.path), call.params, allowed);
  if (!route) {
    if (allowed.empty()) return reply(not_found());
    return reply(make_error("method_not_allowed", "不支持该方法 / method not allowed",
                            {{"allow", allowed}}));
  }
  if (auto st = authenticate(call); !st.ok()) return reply(std::move(st).error());
  // A cookie rides along with any request the browser sends, also one a
  // foreign page triggers: a write on its strength must come from our own
  // pages (issue 15; SameSite=Strict is the first line).
  if (call.by_cookie && req.method != "GET" && req.method != "HEAD" &&
      !is_own_origin(req.origin, req.host)) {
    return reply(make_error("origin_mismatch",
                            "请求来源不是本站 / the request's Origin is not this site",
                            {{"origin", req.origin}}));
  }
  // The network layer read no more than this (body_limit); a caller of
  // Api::handle() is held to the same.
  if (std::uint64_t limit = body_limit_for(route, call.session); req.body.size() > limit) {
    return reply(make_error("body_too_large", "请求体过大 / the request body is too large",
                            {{"limit_bytes", static_cast<std::int64_t>(limit)}}));
  }
  Caller caller;
  if (call.session) {
    caller.role = call.session->account.role;
    caller.tenderer_kind = call.session->account.tenderer_kind;
  }
  // A proxied request is never the host's own: behind a proxy on the same
  // host every client would otherwise be "loopback" (security B1).
  caller.loopback = is_loopback(call.client_address) && req.x_forwarded_for.empty();
  if (auto st = authorize(route->spec.action, caller); !st.ok())
    return reply(std::move(st).error());

  DecodedBody body;
  if (route->spec.decode) {
    auto decoded = route->spec.decode(req);
    if (!decoded.ok()) return reply(std::move(decoded).error());
    body = std::move(decoded).value();
  }
  core::Actor viewer = call.viewer();
  run(*route, std::make_shared<Ctx>(Ctx{s_, std::move(call), std::move(viewer)}), std::move(body),
      std::move(reply));
}

void Router::run(const Entry& route, std::shared_ptr<Ctx> ctx, DecodedBody body, Reply reply) {
  const RouteSpec& spec = route.spec;
  auto on_worker = [this, &spec, ctx, body, reply]() {
    boost::asio::post(workers_, [&spec, ctx, body, reply]() {
      answer_with(reply, [&] { return spec.answer(*ctx, body.get()); });
    });
  };
  switch (spec.run) {
    case Run::kInline:
      return reply(spec.answer(*ctx, body.get()));
    case Run::kWorker:
      return on_worker();
    case Run::kInlineThenWorker: {
      auto fast = spec.fast(*ctx);
      if (!fast.ok()) return reply(std::move(fast).error());
      if (*fast) return reply(std::move(**fast));
      return on_worker();
    }
    case Run::kLedgerAsync:
    case Run::kLogin: {
      auto p = spec.command(*ctx, body.get());
      if (!p.ok()) return reply(std::move(p).error());
      auto& pool = spec.run == Run::kLogin ? login_pool_ : workers_;
      boost::asio::post(pool, [p = std::move(p).value(), reply = std::move(reply)]() {
        start_pending(p, reply);
      });
      return;
    }
  }
}

// Anonymous callers send small bodies (a login); sessions 1 MiB; an admin's
// roster upload 16 MiB (security A11).
std::uint64_t Router::body_limit_for(const Entry* route,
                                     const std::optional<accounts::SessionInfo>& session) const {
  const limits::Settings& l = s_.options.limits;
  if (!session) return l.max_anonymous_body_bytes;
  if (route && route->spec.body == Body::kCsvUpload &&
      session->account.role == accounts::Role::kAdmin) {
    return l.max_roster_body_bytes;
  }
  return l.max_body_bytes;
}

std::uint64_t Router::body_limit(const Request& head) {
  Call call;
  call.request.authorization = head.authorization;
  call.request.cookie = head.cookie;
  if (!authenticate(call).ok() || !call.session) return s_.options.limits.max_anonymous_body_bytes;
  const Entry* route = nullptr;
  auto url = boost::urls::parse_origin_form(head.target);
  if (url) {
    if (auto path = api_path(*url)) {
      std::unordered_map<std::string, std::string> params;
      std::string allowed;
      route = find(head.method, split(*path), params, allowed);
    }
  }
  return body_limit_for(route, call.session);
}

// A presented bearer token must be valid, even on public endpoints: a
// client whose session expired learns it at once. A session cookie that is
// no longer valid is ignored instead (the request is anonymous): a browser
// keeps sending it to public pages until it expires, and any route that
// needs a session still answers 401.
Status Router::authenticate(Call& call) {
  const std::string& h = call.request.authorization;
  auto invalid = [] {
    return make_error("session_invalid", "会话无效或已过期 / the session is invalid or expired");
  };
  if (h.empty()) {
    auto value = session_cookie_value(call.request.cookie);
    if (!value) return {};
    auto token = accounts::parse_session_token(*value);
    if (!token) return {};
    SUNBID_ASSIGN_OR_RETURN(call.session, find_session(*token));
    if (call.session) {
      call.token = token;
      call.by_cookie = true;
    }
    return {};
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (!h.starts_with(kBearer)) return invalid();
  auto token = accounts::parse_session_token(trim(std::string_view(h).substr(kBearer.size())));
  if (!token) return invalid();
  SUNBID_ASSIGN_OR_RETURN(auto session, find_session(*token));
  if (!session) return invalid();
  call.session = std::move(session);
  call.token = token;
  return {};
}

Result<std::optional<accounts::SessionInfo>> Router::find_session(
    const accounts::SessionToken& token) {
  const std::int64_t now = s_.now_ms();
  const Hash key = session_token_hash(token);
  std::optional<accounts::SessionInfo> session = s_.sessions.find(key, now);
  if (!session) {
    SUNBID_ASSIGN_OR_RETURN(auto lease, s_.ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(session, accounts::find_session(lease.db(), token, now));
    if (!session) return session;
    s_.sessions.insert(key, *session, now);
  }
  return session;
}

std::string Router::client_address(const Request& req) const {
  const auto& trusted = s_.options.trusted_proxies;
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

}  // namespace sunbid::server
