#include "server/login_throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace sunbid::server {

namespace {

std::int64_t to_ms(std::chrono::seconds s) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(s).count();
}

std::string pair_key(std::string_view username, std::string_view bucket) {
  std::string k = "p:";
  k += bucket;
  k += '\n';
  k += username;
  return k;
}

std::string address_key(std::string_view bucket) {
  return "a:" + std::string(bucket);
}

}  // namespace

LoginThrottle::LoginThrottle(const limits::Settings& settings)
    : settings_(settings),
      window_ms_(
          to_ms(std::chrono::duration_cast<std::chrono::seconds>(settings.login_failure_window))) {}

std::string LoginThrottle::address_bucket(std::string_view address) {
  std::string text(address.substr(0, 64));
  unsigned char v6[16];
  if (text.find(':') != std::string::npos && inet_pton(AF_INET6, text.c_str(), v6) == 1) {
    // An IPv4-mapped address stays the IPv4 address it maps.
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped, kMapped + 12, v6)) {
      char out[INET_ADDRSTRLEN];
      if (inet_ntop(AF_INET, v6 + 12, out, sizeof out)) return out;
    }
    std::fill(v6 + 8, v6 + 16, 0);
    char out[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, v6, out, sizeof out)) return std::string(out) + "/64";
  }
  return text;
}

std::optional<std::int64_t> LoginThrottle::wait_for(const std::string& key, std::int64_t now_ms) {
  auto it = records_.find(key);
  if (it == records_.end()) return std::nullopt;
  const Record& r = it->second;
  if (r.last_ms + window_ms_ <= now_ms) {
    records_.erase(it);
    return std::nullopt;
  }
  if (now_ms >= r.allowed_from_ms) return std::nullopt;
  return std::max<std::int64_t>(1, (r.allowed_from_ms - now_ms + 999) / 1000);
}

void LoginThrottle::add(const std::string& key, int free_failures, std::int64_t now_ms) {
  Record& r = records_[key];
  if (r.failures > 0 && r.last_ms + window_ms_ <= now_ms) r = Record{};
  r.failures += 1;
  r.last_ms = now_ms;
  if (r.failures >= static_cast<std::uint32_t>(std::max(1, free_failures))) {
    // base × 2^(failures − free), capped.
    const std::int64_t cap = to_ms(settings_.login_backoff_max);
    std::int64_t delay = to_ms(settings_.login_backoff_base);
    for (std::uint32_t i = static_cast<std::uint32_t>(std::max(1, free_failures));
         i < r.failures && delay < cap; ++i) {
      delay *= 2;
    }
    r.allowed_from_ms = now_ms + std::min(delay, cap);
  }
}

void LoginThrottle::make_room(std::int64_t now_ms) {
  if (records_.size() < settings_.max_throttle_keys) return;
  std::erase_if(records_, [&](const auto& kv) { return kv.second.last_ms + window_ms_ <= now_ms; });
  if (records_.size() < settings_.max_throttle_keys) return;
  // Still full within the window: the oldest eighth goes (at least one).
  std::vector<std::int64_t> times;
  times.reserve(records_.size());
  for (const auto& kv : records_) times.push_back(kv.second.last_ms);
  std::size_t drop = std::max<std::size_t>(1, times.size() / 8);
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   times.end());
  const std::int64_t cutoff = times[drop - 1];
  std::size_t dropped = 0;
  for (auto it = records_.begin(); it != records_.end() && dropped < drop;) {
    if (it->second.last_ms <= cutoff) {
      it = records_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
}

std::optional<std::int64_t> LoginThrottle::begin(std::string_view username,
                                                 std::string_view address, std::int64_t now_ms) {
  const std::string bucket = address_bucket(address);
  const std::string pk = pair_key(username.substr(0, limits::kMaxUsernameBytes), bucket);
  const std::string ak = address_key(bucket);
  std::lock_guard lock(mu_);
  auto a = wait_for(pk, now_ms);
  auto b = wait_for(ak, now_ms);
  if (a || b) return std::max(a.value_or(0), b.value_or(0));
  make_room(now_ms);
  add(pk, settings_.max_login_failures, now_ms);
  add(ak, settings_.max_address_login_failures, now_ms);
  return std::nullopt;
}

void LoginThrottle::succeeded(std::string_view username, std::string_view address) {
  const std::string bucket = address_bucket(address);
  std::lock_guard lock(mu_);
  records_.erase(pair_key(username.substr(0, limits::kMaxUsernameBytes), bucket));
  auto it = records_.find(address_key(bucket));
  if (it != records_.end() && it->second.failures > 0) {
    if (--it->second.failures == 0) records_.erase(it);
  }
}

std::size_t LoginThrottle::size() const {
  std::lock_guard lock(mu_);
  return records_.size();
}

}  // namespace sunbid::server
