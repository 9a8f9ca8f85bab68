// Group commit against one transaction per command, in the same run.
//
// 64 concurrent producers each submit small insert commands and wait for
// each acknowledgement (durable, synchronous=FULL, on a real file). The same
// ledger runs once with batching (max_batch 4096) and once with max_batch 1,
// which is one transaction — one fsync — per command.
//
// Usage: bench_ledger_group_commit [--dir DIR] [--seconds S] [--runs N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "audit_log/ledger.h"

using namespace sunbid;
using namespace sunbid::audit;

namespace {

struct Run {
  double per_second;
  std::uint64_t commands;
  std::uint64_t commits;
};

Run run_once(const std::filesystem::path& dir, std::size_t max_batch, double seconds) {
  std::filesystem::remove_all(dir);
  LedgerOptions o;
  o.data_dir = dir;
  o.max_batch = max_batch;
  o.migrations = {{100, "bench", "CREATE TABLE bench(id INTEGER PRIMARY KEY, producer INTEGER, "
                               "seq INTEGER, payload TEXT)"}};
  auto ledger = Ledger::open(o);
  if (!ledger.ok()) {
    std::fprintf(stderr, "%s\n", ledger.error().to_string().c_str());
    std::exit(2);
  }
  Ledger& l = **ledger;
  constexpr int kProducers = 64;
  std::atomic<bool> go{false}, halt{false};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      while (!go) std::this_thread::yield();
      for (std::int64_t i = 0; !halt; ++i) {
        Status st = l.execute([p, i](WriteTxn& txn) -> Status {
          SUNBID_ASSIGN_OR_RETURN(
              Statement * s,
              txn.db().cached("INSERT INTO bench(producer, seq, payload) VALUES (?, ?, ?)"));
          s->bind(1, std::int64_t{p}).bind(2, i).bind(3, "a small command of about sixty bytes..");
          return s->run();
        });
        if (!st.ok()) {
          std::fprintf(stderr, "%s\n", st.error().to_string().c_str());
          std::exit(2);
        }
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  auto start = std::chrono::steady_clock::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  halt = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto stats = l.stats();
  l.stop();
  return {static_cast<double>(done.load()) / elapsed, stats.commands, stats.commits};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "sunbid-bench-ledger";
  double seconds = 3;
  int runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  std::vector<double> group, single;
  for (int r = 0; r < runs; ++r) {
    Run g = run_once(dir, 4096, seconds);
    Run s = run_once(dir, 1, seconds);
    std::printf("run %d: group commit %.0f cmd/s (%.1f cmd/commit), one txn per command %.0f cmd/s\n",
                r + 1, g.per_second, double(g.commands) / double(std::max<std::uint64_t>(1, g.commits)),
                s.per_second);
    group.push_back(g.per_second);
    single.push_back(s.per_second);
  }
  std::filesystem::remove_all(dir);
  double g = median(group), s = median(single);
  std::printf("median: group commit %.0f commands/s, one transaction per command %.0f commands/s, "
              "ratio %.1fx (64 producers, synchronous=FULL, %s)\n",
              g, s, g / s, dir.parent_path().c_str());
  return 0;
}
