// The router: the one path every /api/v1 request takes. It matches the route
// table (404, 405 with Allow), authenticates the bearer token (401), holds the
// body to its limit (413), asks the policy table (401/403), decodes the body
// into the route's request struct (400/415), runs the handler where the row
// says (route.h Run) and hands every Result to `reply`, the single exit.
//
// Thread-safety: safe for concurrent use. `reply` runs exactly once, on the
// calling thread, a pool thread or the ledger's writer thread.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http/context.h"
#include "http/route.h"

namespace sunbid::server {

using Reply = std::function<void(Result<Response>)>;

class Router {
 public:
  Router(Services& services, std::vector<RouteSpec> routes);
  // Lets queued work finish and answer.
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void dispatch(Request request, Reply reply);

  // The largest body the network layer may read for a request whose header
  // is `head` (Api::body_limit).
  std::uint64_t body_limit(const Request& head);
  // The peer, or the last X-Forwarded-For hop from a trusted proxy.
  std::string client_address(const Request& request) const;

 private:
  struct Entry {
    RouteSpec spec;
    std::vector<std::string> segments;
  };

  // The row for method and path; nullptr with `allowed` listing the methods
  // of the path (empty: no such path).
  const Entry* find(std::string_view method, const std::vector<std::string>& segments,
                    std::unordered_map<std::string, std::string>& params,
                    std::string& allowed) const;
  // The bearer token or the session cookie (http/cookie.h); sets
  // call.session, call.token and call.by_cookie.
  Status authenticate(Call& call);
  // The live session of `token` (the cache, else the database), or nullopt.
  Result<std::optional<accounts::SessionInfo>> find_session(const accounts::SessionToken& token);
  std::uint64_t body_limit_for(const Entry* route,
                               const std::optional<accounts::SessionInfo>& session) const;
  void run(const Entry& route, std::shared_ptr<Ctx> ctx, DecodedBody body, Reply reply);

  Services& s_;
  std::vector<Entry> routes_;
  // A synchronous command holds its worker until its batch is durable, so
  // the pool's size bounds how many of those one group commit can batch
  // (bench/https_vs_nginx.sh: 2 workers ~2,000 bids/s, p99 183 ms; 32
  // workers 6,500-8,000 bids/s, p99 34-43 ms). Bids use the asynchronous
  // commands and hold a worker only while they are queued.
  static constexpr int kWorkerThreads = 16;
  boost::asio::thread_pool workers_{kWorkerThreads};
  // scrypt (32 MiB, tens of ms) runs here, never on a network thread nor on
  // the workers; Services::pending_logins bounds its queue (security A9).
  boost::asio::thread_pool login_pool_;
};

}  // namespace sunbid::server
