// Throughput of the canonical-JSON checker on audit-entry-like texts.
//
// Usage: bench_canonical_json [entries=200000] [runs=5]
// Prints the median over `runs` of: checker alone (MB/s and entries/s) with
// top-level field capture and reading index/prev, and checker plus the
// RFC 6962 leaf hash SHA-256(0x00 || entry), as the audit verifier does.
#include "audit_log/canonical_json.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "audit_log/sha256.h"

using namespace sunbid;
using namespace sunbid::audit;

namespace {

std::string random_hex(std::mt19937_64& rng, int n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(digits[rng() % 16]);
  return s;
}

// One entry in the shape of DESIGN.md's audit entry, about 400 bytes.
std::string make_entry(std::mt19937_64& rng, std::int64_t index) {
  static const char* types[] = {"bid.commit", "tender.publish", "review.vote", "decision.record"};
  static const char* names[] = {"阳光花园业主大会", "金色家园物业服务有限公司",
                                "第三次业主大会表决", "Riverside Property Services"};
  boost::json::object payload;
  payload["tender_name"] = names[rng() % 4];
  payload["price_fen"] = static_cast<std::int64_t>(rng() % 100000000);
  payload["area"] = static_cast<std::int64_t>(rng() % 10000000);
  payload["documents"] = boost::json::array{boost::json::string(random_hex(rng, 16))};
  payload["note"] = "已提交\"承诺书\"";
  boost::json::object entry;
  entry["index"] = index;
  entry["time"] = "2026-11-28T13:39:18.123Z";
  entry["actor"] = "u-" + random_hex(rng, 12);
  entry["role"] = "bidder";
  entry["source"] = random_hex(rng, 32);
  entry["tender"] = "T-2026-" + std::to_string(rng() % 10000);
  entry["type"] = types[rng() % 4];
  entry["payload"] = std::move(payload);
  entry["prev"] = random_hex(rng, 64);
  auto text = to_canonical_json(entry);
  if (!text.ok()) {
    std::fprintf(stderr, "encode failed: %s\n", text.error().to_string().c_str());
    std::exit(1);
  }
  return std::move(text).value();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int entries = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  std::mt19937_64 rng(1);
  std::vector<std::string> texts;
  texts.reserve(static_cast<std::size_t>(entries));
  std::size_t total_bytes = 0;
  for (int i = 0; i < entries; ++i) {
    texts.push_back(make_entry(rng, i));
    total_bytes += texts.back().size();
  }
  std::printf("%d entries, %.1f bytes on average, %.1f MB in all\n", entries,
              static_cast<double>(total_bytes) / entries, total_bytes / 1e6);
  std::printf("sample: %s\n", texts[0].c_str());

  std::vector<double> check_secs, check_hash_secs;
  TopLevelFields fields;
  std::int64_t sink = 0;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (const std::string& t : texts) {
      Status s = check_canonical(t, &fields);
      if (!s.ok()) {
        std::fprintf(stderr, "checker refused an entry: %s\n", s.error().to_string().c_str());
        return 1;
      }
      auto index = raw_to_int64(fields.find("index"));
      sink += index.ok() ? *index : 0;
      sink += static_cast<std::int64_t>(fields.find("prev").size());
    }
    auto t1 = std::chrono::steady_clock::now();
    Sha256 hasher;
    for (const std::string& t : texts) {
      Status s = check_canonical(t, &fields);
      if (!s.ok()) return 1;
      auto index = raw_to_int64(fields.find("index"));
      sink += index.ok() ? *index : 0;
      Hash leaf = hasher.update(std::uint8_t{0x00}).update(t).finish();
      sink += leaf[0];
    }
    auto t2 = std::chrono::steady_clock::now();
    check_secs.push_back(std::chrono::duration<double>(t1 - t0).count());
    check_hash_secs.push_back(std::chrono::duration<double>(t2 - t1).count());
  }
  const double c = median(check_secs), ch = median(check_hash_secs);
  std::printf("checker (with field capture), median of %d: %.0f MB/s, %.0f entries/s\n", runs,
              total_bytes / c / 1e6, entries / c);
  std::printf("checker + leaf SHA-256, median of %d:       %.0f MB/s, %.0f entries/s\n", runs,
              total_bytes / ch / 1e6, entries / ch);
  std::printf("(sink %lld)\n", static_cast<long long>(sink));
  return 0;
}
