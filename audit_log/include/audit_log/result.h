// Result<T> and Status: errors as values, used by every sunbid module.
//
// A domain refusal carries a stable code (English snake_case, e.g.
// "bid_after_deadline") that clients and tests rely on, its kind (looked up in
// the registry audit_log/error_codes.h), a human message (Chinese first, then
// English) and optional structured details. Exceptions never cross a module
// boundary; the server turns an Error into an HTTP answer in one place, by its
// kind.
//
// Thread-safety: values; one thread at a time per object, like std::variant.
#pragma once

#include <boost/json/object.hpp>
#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "audit_log/error_codes.h"

namespace sunbid {

struct Error {
  std::string code;     // stable, snake_case
  std::string message;  // "中文 / English"
  boost::json::object details;
  ErrorKind kind = ErrorKind::internal;  // from the registry; see make_error

  // "code: message" for logs and CLI output.
  std::string to_string() const { return code + ": " + message; }
};

// The error for a registered code: its kind comes from the registry, and a
// code the registry lacks is `internal` (tests/server/error_kinds_test.cc
// fails on such a code in the sources).
inline Error make_error(std::string code, std::string message, boost::json::object details = {}) {
  const ErrorKind kind = error_kind(code);
  return Error{std::move(code), std::move(message), std::move(details), kind};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !ok()
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() {
  return {};
}

}  // namespace sunbid

// Propagates an error from an expression yielding Result<T> or Status.
#define SUNBID_TRY(expr)                                                        \
  do {                                                                          \
    auto sunbid_try_status_ = (expr);                                           \
    if (!sunbid_try_status_.ok()) return std::move(sunbid_try_status_).error(); \
  } while (0)

#define SUNBID_CONCAT_INNER(a, b) a##b
#define SUNBID_CONCAT(a, b) SUNBID_CONCAT_INNER(a, b)
// Declares `lhs` from the value of a Result<T>, or returns its error.
#define SUNBID_ASSIGN_OR_RETURN(lhs, expr)                             \
  auto SUNBID_CONCAT(sunbid_result_, __LINE__) = (expr);               \
  if (!SUNBID_CONCAT(sunbid_result_, __LINE__).ok())                   \
    return std::move(SUNBID_CONCAT(sunbid_result_, __LINE__)).error(); \
  lhs = std::move(SUNBID_CONCAT(sunbid_result_, __LINE__)).value()
