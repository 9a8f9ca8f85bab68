// The route table's row: one endpoint as data (method, path pattern, policy
// action, how it runs, its body, its handler), and the handler shapes.
//
// A handler is a plain function of its resource file (routes/*.cc):
//   Result<Response> h(Ctx&)                    no body
//   Result<Response> h(Ctx&, const ReqX&)       a body decoded into ReqX (wire/requests.h)
//   Result<Pending>  h(Ctx&[, const ReqX&])     a ledger command and its answer
// It never takes a callback and never posts to another thread: the router
// decodes the body, picks the thread by the row's Run, and has the single
// error exit.
//
// How a route runs (Run):
//   kInline           on the network thread (reads of one snapshot, no wait);
//   kWorker           on the worker pool (commands that wait for their
//                     commit, reads that first catch a tender up);
//   kInlineThenWorker `fast` on the network thread answers when it can
//                     (nullopt: it cannot), else the handler on the pool;
//   kLedgerAsync      the handler (network thread) returns a Pending; the
//                     router starts it on the worker pool and answers from
//                     its completion on the ledger's writer thread, so no
//                     thread waits for a commit (bids: one group commit
//                     batches every bid in flight);
//   kLogin            as kLedgerAsync, but started on the login pool (scrypt).
//
// Thread-safety: rows are immutable after the table is built.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/result.h"
#include "http/context.h"
#include "server/policy.h"

namespace sunbid::server {

enum class Run { kInline, kWorker, kInlineThenWorker, kLedgerAsync, kLogin };

// kNone: any body is ignored. kJson: a JSON object, decoded by the handler's
// request struct. kOptionalJson: the same, an empty body read as {}.
// kCsvUpload: text/csv taken as it is, up to the roster limit for an admin
// (limits.h max_roster_body_bytes; security A11).
enum class Body { kNone, kJson, kOptionalJson, kCsvUpload };

// The body of a kCsvUpload route.
struct CsvBody {
  static constexpr std::string_view kSchema = "";
  std::string text;
};

// A ledger command in flight: `start` queues it (it may first wait for a
// tender's due transitions, never for a commit) and calls `done` exactly
// once, from the ledger's writer thread or its own, with the answer.
struct Pending {
  std::function<void(std::function<void(Result<Response>)>)> start;
};

// A command with an asynchronous form `submit(done(Result<T>))` (tender_core's
// submit_bid_async, ...) and the pure answer to its result.
template <class T, class Submit, class Answer>
Pending pending(Submit submit, Answer answer) {
  return Pending{[submit = std::move(submit),
                  answer = std::move(answer)](std::function<void(Result<Response>)> done) mutable {
    submit([done = std::move(done), answer](Result<T> r) {
      if (!r.ok()) return done(std::move(r).error());
      done(answer(std::move(r).value()));
    });
  }};
}

// A ledger command `command(WriteTxn&) -> Result<T>` and the pure answer to
// its result. T is default-constructible.
template <class T, class Command, class Answer>
Pending ledger_command(audit::Ledger& ledger, Command command, Answer answer) {
  return pending<T>(
      [&ledger, command = std::move(command)](std::function<void(Result<T>)> done) {
        auto out = std::make_shared<T>();
        ledger.submit(
            [command, out](audit::WriteTxn& txn) -> Status {
              SUNBID_ASSIGN_OR_RETURN(*out, command(txn));
              return {};
            },
            [out, done = std::move(done)](Status st) {
              if (!st.ok()) return done(std::move(st).error());
              done(std::move(*out));
            });
      },
      std::move(answer));
}

using DecodedBody = std::shared_ptr<const void>;

struct RouteSpec {
  std::string method;
  std::string pattern;  // below /api/v1; "{name}" matches one segment
  Action action;
  Run run = Run::kWorker;
  Body body = Body::kNone;
  std::string_view request_schema;  // the OpenAPI Req* schema, "" without one
  // Reads the request's body into the handler's struct (null for kNone).
  std::function<Result<DecodedBody>(const Request&)> decode;
  std::function<Result<Response>(Ctx&, const void*)> answer;
  std::function<Result<Pending>(Ctx&, const void*)> command;
  std::function<Result<std::optional<Response>>(Ctx&)> fast;
};

// The JSON object of a kJson / kOptionalJson body: `unsupported_media_type`
// (415) for another Content-Type, `invalid_json` / `invalid_field` (400).
Result<boost::json::object> json_object_body(const Request& request, bool optional);

namespace detail {

template <class Req>
std::function<Result<DecodedBody>(const Request&)> decoder(Body body) {
  if constexpr (std::is_same_v<Req, CsvBody>) {
    if (body != Body::kCsvUpload)
      throw std::logic_error("a CsvBody handler needs Body::kCsvUpload");
    return [](const Request& r) -> Result<DecodedBody> {
      if (!r.content_type.starts_with("text/csv")) {
        return make_error("unsupported_media_type",
                          "名册须为 text/csv / the roster must be text/csv",
                          {{"expected", "text/csv"}});
      }
      return DecodedBody(std::make_shared<const CsvBody>(CsvBody{r.body}));
    };
  } else {
    if (body != Body::kJson && body != Body::kOptionalJson) {
      throw std::logic_error("a request struct needs Body::kJson or Body::kOptionalJson");
    }
    const bool optional = body == Body::kOptionalJson;
    return [optional](const Request& r) -> Result<DecodedBody> {
      SUNBID_ASSIGN_OR_RETURN(boost::json::object o, json_object_body(r, optional));
      SUNBID_ASSIGN_OR_RETURN(Req req, Req::decode(o));
      return DecodedBody(std::make_shared<const Req>(std::move(req)));
    };
  }
}

inline void require_no_body(Body body) {
  if (body != Body::kNone)
    throw std::logic_error("a handler without a request struct needs Body::kNone");
}

}  // namespace detail

// A route answered by `handler` (Run kInline or kWorker).
inline RouteSpec route(std::string method, std::string pattern, Action action, Run run, Body body,
                       Result<Response> (*handler)(Ctx&)) {
  detail::require_no_body(body);
  RouteSpec r{std::move(method), std::move(pattern), action, run, body, ""};
  r.answer = [handler](Ctx& c, const void*) { return handler(c); };
  return r;
}

template <class Req>
RouteSpec route(std::string method, std::string pattern, Action action, Run run, Body body,
                Result<Response> (*handler)(Ctx&, const Req&)) {
  RouteSpec r{std::move(method), std::move(pattern), action, run, body, Req::kSchema};
  r.decode = detail::decoder<Req>(body);
  r.answer = [handler](Ctx& c, const void* b) { return handler(c, *static_cast<const Req*>(b)); };
  return r;
}

// A route whose handler returns a ledger command (Run kLedgerAsync or kLogin).
inline RouteSpec route(std::string method, std::string pattern, Action action, Run run, Body body,
                       Result<Pending> (*handler)(Ctx&)) {
  detail::require_no_body(body);
  RouteSpec r{std::move(method), std::move(pattern), action, run, body, ""};
  r.command = [handler](Ctx& c, const void*) { return handler(c); };
  return r;
}

template <class Req>
RouteSpec route(std::string method, std::string pattern, Action action, Run run, Body body,
                Result<Pending> (*handler)(Ctx&, const Req&)) {
  RouteSpec r{std::move(method), std::move(pattern), action, run, body, Req::kSchema};
  r.decode = detail::decoder<Req>(body);
  r.command = [handler](Ctx& c, const void* b) { return handler(c, *static_cast<const Req*>(b)); };
  return r;
}

// A route of Run kInlineThenWorker: `fast` on the network thread, else
// `handler` on the worker pool.
inline RouteSpec route(std::string method, std::string pattern, Action action, Run run, Body body,
                       Result<Response> (*handler)(Ctx&),
                       Result<std::optional<Response>> (*fast)(Ctx&)) {
  if (run != Run::kInlineThenWorker) throw std::logic_error("a fast path needs kInlineThenWorker");
  RouteSpec r = route(std::move(method), std::move(pattern), action, run, body, handler);
  r.fast = [fast](Ctx& c) { return fast(c); };
  return r;
}

// The route table (routes/table.cc): every row, in matching order; with
// `dev_clock` also POST /dev/clock.
std::vector<RouteSpec> all_routes(bool dev_clock);

}  // namespace sunbid::server
