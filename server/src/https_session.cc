#include "https_session.h"

#include <openssl/err.h>

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/container/small_vector.hpp>
#include <charconv>
#include <exception>
#include <functional>
#include <optional>
#include <thread>

#include "server/error_response.h"
#include "server/limits.h"

namespace sunbid::server::net {

namespace http = beast::http;

void serialize(std::string& out, const Response& r, unsigned version, bool keep_alive,
               std::initializer_list<std::pair<std::string_view, std::string_view>> extra) {
  struct Field {
    std::string_view name, value;
  };
  boost::container::small_vector<Field, 16> fields;
  auto set = [&](std::string_view name, std::string_view value) {
    auto same = [&](const Field& f) { return beast::iequals(f.name, name); };
    fields.erase(std::remove_if(fields.begin(), fields.end(), same), fields.end());
    fields.push_back({name, value});
  };
  if (!r.content_type.empty()) set("Content-Type", r.content_type);
  set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  set("X-Content-Type-Options", "nosniff");
  set("X-Frame-Options", "DENY");
  set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  set("Referrer-Policy", "no-referrer");
  // After the defaults: the web app's pages carry their own policy
  // (static_site.h kAppCsp) and cache lifetime.
  for (const auto& [k, v] : r.headers) set(k, v);
  if (version >= 11 && !keep_alive) set("Connection", "close");
  if (version < 11 && keep_alive) set("Connection", "keep-alive");
  // No Content-Length on answers that cannot have a body (Beast's
  // prepare_payload; the Api gives them none).
  const bool bodiless = r.status / 100 == 1 || r.status == 204 || r.status == 304;
  char length[24];
  if (!bodiless) {
    auto [end, ec] = std::to_chars(length, length + sizeof length, r.body.size());
    set("Content-Length", std::string_view(length, static_cast<std::size_t>(end - length)));
  }
  for (const auto& [k, v] : extra) set(k, v);

  out.clear();
  const unsigned code = static_cast<unsigned>(r.status);
  // "HTTP/X.Y ### <reason>", as Beast writes it for any version and code.
  auto digit = [](unsigned d) { return static_cast<char>('0' + d % 10); };
  out.append("HTTP/");
  out += digit(version / 10);
  out += '.';
  out += digit(version);
  out += ' ';
  out += digit(code / 100);
  out += digit(code / 10);
  out += digit(code);
  out += ' ';
  out.append(http::obsolete_reason(static_cast<http::status>(code)));
  out.append("\r\n");
  for (const Field& f : fields) {
    out.append(f.name);
    out.append(": ");
    out.append(f.value);
    out.append("\r\n");
  }
  out.append("\r\n");
  out.append(r.body);
}

namespace {

// One request handed to the Api.
struct ApiCall {
  std::thread::id thread = std::this_thread::get_id();
  bool inside = true;  // read only on `thread`
  std::optional<Response> answer;
  std::function<void(Response)> resume;
};

// Hands `req` to the Api. A GET answered from the view cache comes back on
// this thread before handle_async returns: then `call->answer` holds it
// and no trip through the io_context is needed. An answer from the
// ledger's or a worker's thread is posted to the connection's io_context
// and awaited with later_answer().
void start_api(SessionHost& host, Conn& conn, Request req, const std::shared_ptr<ApiCall>& call) {
  host.inflight.fetch_add(1);
  auto ex = conn.socket.get_executor();
  host.api.handle_async(std::move(req), [&host, call, ex](Response r) {
    if (std::this_thread::get_id() == call->thread && call->inside) {
      call->answer = std::move(r);
    } else {
      // Runs after the session has suspended in later_answer (one thread
      // runs the io_context), so `resume` is set by then.
      asio::post(ex, [call, r = std::move(r)]() mutable { call->resume(std::move(r)); });
    }
    host.inflight.fetch_sub(1);
  });
  call->inside = false;
  // Whatever OpenSSL work the Api did on this thread leaves nothing in the
  // error queue that the next TLS call would take for its own.
  ERR_clear_error();
}

Task<Response> later_answer(std::shared_ptr<ApiCall> call) {
  return asio::async_initiate<const asio::use_awaitable_t<Executor>, void(Response)>(
      [call = std::move(call)](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        call->resume = [h](Response r) { (*h)(std::move(r)); };
      },
      asio::use_awaitable_t<Executor>{});
}

Task<void> write_error(SessionHost& host, const std::shared_ptr<Conn>& conn, const Error& error,
                       unsigned version) {
  serialize(conn->out, error_response(error), version, false, {{"Cache-Control", "no-store"}});
  set_timeout(conn, host.timeouts.write);
  co_await tls_write(*conn, conn->out);
}

Error body_too_large(std::uint64_t limit) {
  return make_error("body_too_large", "请求体过大 / the request body is too large",
                    {{"limit_bytes", static_cast<std::int64_t>(limit)}});
}

// The request as the Api takes it.
Request to_request(http::request<http::string_body>&& msg, const std::string& peer) {
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.authorization = std::string(msg[http::field::authorization]);
  req.content_type = std::string(msg[http::field::content_type]);
  req.origin = std::string(msg[http::field::origin]);
  req.host = std::string(msg[http::field::host]);
  req.accept = std::string(msg[http::field::accept]);
  req.if_none_match = std::string(msg[http::field::if_none_match]);
  req.accept_encoding = std::string(msg[http::field::accept_encoding]);
  // Every X-Forwarded-For field, joined: a proxy may append a field of
  // its own rather than extend the client's (security B1).
  for (const auto& field : msg) {
    if (field.name() == http::field::cookie) {
      // HTTP/2 splits cookies over fields; HTTP/1.1 clients may too.
      if (!req.cookie.empty()) req.cookie += "; ";
      req.cookie.append(field.value().data(), field.value().size());
      continue;
    }
    if (!beast::iequals(field.name_string(), "X-Forwarded-For")) continue;
    if (!req.x_forwarded_for.empty()) req.x_forwarded_for += ", ";
    req.x_forwarded_for.append(field.value().data(), field.value().size());
  }
  req.body = std::move(msg.body());
  req.peer_address = peer;
  return req;
}

Task<void> serve(SessionHost& host, const std::shared_ptr<Conn>& conn, std::string peer) {
  set_timeout(conn, host.timeouts.handshake);
  // (No co_await inside a condition or a ?: here: g++ 12 miscompiles some.)
  bool shaken = co_await tls_handshake(*conn);
  if (!shaken) {  // not TLS, a refused protocol or suite, or too slow
    host.failed_handshakes.fetch_add(1);
    co_return;
  }

  for (std::uint32_t served = 0; served < limits::kMaxRequestsPerConnection; ++served) {
    if (host.stopping.load()) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(limits::kMaxHeaderBytes);
    // No body limit while the header is read: Beast would fail the header
    // read itself on a large Content-Length (a 400), whereas the answer is
    // a 413 from the route's own limit, checked right after the header.
    parser.body_limit(boost::none);
    set_timeout(conn, host.timeouts.idle);
    auto hdr_ec = co_await read_message(*conn, parser, true);
    if (hdr_ec) {
      if (hdr_ec == http::error::body_limit) {
        co_await write_error(
            host, conn, make_error("body_too_large", "请求体过大 / the request body is too large"),
            11);
      } else if (hdr_ec == http::error::header_limit) {
        co_await write_error(
            host, conn,
            make_error("header_too_large", "请求头过大 / the request header is too large"), 11);
      } else if (hdr_ec.category() ==
                     boost::system::error_code(http::error::end_of_stream).category() &&
                 hdr_ec != http::error::end_of_stream && hdr_ec != http::error::partial_message) {
        co_await write_error(
            host, conn, make_error("bad_request", "HTTP 请求无效 / malformed HTTP request"), 11);
      }
      break;
    }
    conn->busy = true;
    auto& head = parser.get();
    unsigned version = head.version();
    // Authenticated on the header before any of the body is read: an
    // anonymous caller may send only a small body (security A11). A
    // request without a body (most GETs) skips the lookup.
    const bool has_body =
        parser.chunked() || (parser.content_length() && *parser.content_length() > 0);
    std::uint64_t limit = 0;
    if (has_body) {
      Request head_only;
      head_only.method = std::string(head.method_string());
      head_only.target = std::string(head.target());
      head_only.authorization = std::string(head[http::field::authorization]);
      head_only.cookie = std::string(head[http::field::cookie]);
      limit = host.api.body_limit(head_only);
    }
    if (parser.content_length() && *parser.content_length() > limit) {
      co_await write_error(host, conn, body_too_large(limit), version);
      break;
    }
    parser.body_limit(limit);
    set_timeout(conn, host.timeouts.read);
    auto body_ec = co_await read_message(*conn, parser, false);
    if (body_ec) {
      if (body_ec == http::error::body_limit) {
        co_await write_error(host, conn, body_too_large(limit), version);
      }
      break;
    }
    auto msg = parser.release();
    bool keep_alive = msg.keep_alive();
    // The Api's work is not timed (as before: only reads and writes are).
    set_deadline(conn, Clock::time_point::max());
    auto call = std::make_shared<ApiCall>();
    start_api(host, *conn, to_request(std::move(msg), peer), call);
    Response resp;
    if (call->answer) {
      resp = std::move(*call->answer);
    } else {
      resp = co_await later_answer(call);
    }
    keep_alive =
        keep_alive && !host.stopping.load() && served + 1 < limits::kMaxRequestsPerConnection;
    serialize(conn->out, resp, version, keep_alive);
    set_timeout(conn, host.timeouts.write);
    auto wr_ec = co_await tls_write(*conn, conn->out);
    conn->busy = false;
    if (conn->out.capacity() > 64 * 1024) conn->out = std::string();  // keep no large answer
    if (wr_ec || !keep_alive) break;
  }
  co_await tls_shutdown(conn);
}

}  // namespace

Task<void> run_session(SessionHost& host, std::shared_ptr<Conn> conn, std::string peer) {
  // The timer's pending wait holds the connection: it is cancelled however
  // the session ends.
  std::exception_ptr failure;
  try {
    co_await serve(host, conn, std::move(peer));
  } catch (...) {
    failure = std::current_exception();
  }
  end_deadline(*conn);
  if (failure) std::rethrow_exception(failure);
}

void close_connection(Conn& conn, bool only_idle) {
  if (only_idle && conn.busy) return;
  boost::system::error_code ignored;
  conn.socket.cancel(ignored);
}

}  // namespace sunbid::server::net
