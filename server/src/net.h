// Types shared by the HTTPS listener, its sessions and their connections:
// every connection lives on one io_context run by one thread, so the
// concrete executor is used throughout (no strand, no type-erased
// any_io_executor on each operation; docs/server.md says why).
//
// Internal to the server library; Asio stays behind server/https_server.h.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace sunbid::server::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

using Executor = asio::io_context::executor_type;
using Socket = tcp::socket::rebind_executor<Executor>::other;
using Acceptor = tcp::acceptor::rebind_executor<Executor>::other;
using Timer = asio::steady_timer::rebind_executor<Executor>::other;
template <class T>
using Task = asio::awaitable<T, Executor>;
using Clock = std::chrono::steady_clock;

inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable_t<Executor>{});

}  // namespace sunbid::server::net
