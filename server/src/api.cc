// The Api: the services, the router over the route table (routes/*.cc), and
// the background tick. Handlers, decoding and threading live in http/,
// routes/ and wire/; see docs/server.md.
#include "server/api.h"

#include <algorithm>

#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <thread>

#include "http/context.h"
#include "http/route.h"
#include "http/router.h"
#include "server/error_response.h"

namespace sunbid::server {

struct Api::Impl {
  explicit Impl(ApiOptions o)
      : services(std::move(o)),
        router(services, all_routes(services.options.dev_clock != nullptr)) {
    if (services.options.tick_interval.count() > 0) {
      // Documents are rendered on a thread of their own (never the writer's
      // or a network thread's): at start, which catches up a restart, and
      // after every tick.
      document_worker = std::make_unique<DocumentWorker>(services.documents);
      ticker = std::thread([this] { tick_loop(); });
    }
  }

  ~Impl() {
    {
      std::lock_guard lock(tick_mu);
      stopping = true;
    }
    tick_cv.notify_all();
    if (ticker.joinable()) ticker.join();
    document_worker.reset();  // before the services it renders for
  }

  // The background tick: time-driven transitions happen without requests.
  // A failure is reported once, not every second.
  void tick_loop() {
    bool reported = false;
    std::unique_lock lock(tick_mu);
    while (!stopping) {
      tick_cv.wait_for(lock, services.options.tick_interval, [&] { return stopping; });
      if (stopping) break;
      lock.unlock();
      auto r = services.tick.run(services.now_ms());
      if (!r.ok() && !reported) {
        std::fprintf(stderr, "sunbid: background tick failed: %s\n", r.error().to_string().c_str());
        reported = true;
      } else if (r.ok()) {
        reported = false;
      }
      // A checkpoint covering a newly published document may exist now.
      if (document_worker) document_worker->wake();
      lock.lock();
    }
  }

  Services services;
  // Declared after the services: its pools finish their queued work (and
  // answer) before the services go.
  Router router;
  std::mutex tick_mu;
  std::condition_variable tick_cv;
  bool stopping = false;
  std::thread ticker;
  std::unique_ptr<DocumentWorker> document_worker;
};

Api::Api(ApiOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Api::~Api() = default;

std::uint64_t Api::body_limit(const Request& head) {
  try {
    return impl_->router.body_limit(head);
  } catch (const std::exception&) {
    return impl_->services.options.limits.max_anonymous_body_bytes;
  }
}

std::string Api::client_address(const Request& request) const {
  return impl_->router.client_address(request);
}

void Api::handle_async(Request request, std::function<void(Response)> reply) {
  Metrics& metrics = impl_->services.metrics;
  // Exactly one place turns errors into answers; every answer is counted.
  Reply finish = [&metrics, reply = std::move(reply)](Result<Response> r) {
    Response resp = r.ok() ? std::move(r).value() : error_response(r.error());
    if (!r.ok() && resp.status >= 500) {
      // The one sink for server faults: the client saw only "internal
      // server error", the operator sees the cause.
      std::fprintf(stderr, "sunbid: %d %s\n", resp.status, r.error().to_string().c_str());
    }
    int cls = resp.status / 100;
    if (cls >= 1 && cls <= 5)
      metrics.responses_by_class[static_cast<std::size_t>(cls)].fetch_add(1);
    // The web app's files, the documents' PDFs and open data say their own
    // (static_site.h, server/public_body.h); other API answers are never
    // stored.
    const bool own = std::any_of(resp.headers.begin(), resp.headers.end(),
                                 [](const auto& h) { return h.first == "Cache-Control"; });
    if (!own) resp.headers.emplace_back("Cache-Control", "no-store");
    reply(std::move(resp));
  };
  try {
    impl_->router.dispatch(std::move(request), finish);
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
