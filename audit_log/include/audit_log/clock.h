// The injectable clock. Every rule that depends on time asks a Clock, so tests
// can stand at the exact instant of a deadline.
//
// Thread-safety: safe for concurrent use.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sunbid {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual std::int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to (tests, and the server's --dev-clock
// mode, where it runs as system time plus an offset).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms) : now_(start_ms) {}
  std::int64_t now_ms() const override { return now_.load(); }
  void set_ms(std::int64_t t) { now_.store(t); }
  void advance_ms(std::int64_t d) { now_.fetch_add(d); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace sunbid
