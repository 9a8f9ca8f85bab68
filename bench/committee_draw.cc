// Benchmark: draw a committee of 7 plus 7 reserves from a pool of 100,000
// experts, 1,000 of them excluded through declared relations to the bidders.
// Prints the median of the runs (target: < 50 ms in a release build).
//   cmake --preset release && cmake --build --preset release --target bench_committee_draw
//   ./build/release/bench/bench_committee_draw [runs]
#include "evaluation/committee_draw.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace sunbid;
using namespace sunbid::eval;

namespace {

// CPU time of this thread: on a shared machine the wall-clock median also
// counts time spent waiting for a core, so both are reported.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 21;
  const std::vector<std::string> bidders{"91110000BIDDER0001", "91110000BIDDER0002",
                                         "91110000BIDDER0003", "91110000BIDDER0004",
                                         "91110000BIDDER0005"};
  std::vector<Expert> pool;
  pool.reserve(100'000);
  for (int i = 0; i < 100'000; ++i) {
    Expert e;
    e.account = "expert-" + std::to_string(1'000'003LL * i % 100'000 + 100'000);  // shuffled
    e.specialties = {"property", i % 3 == 0 ? "finance" : "engineering"};
    e.employer_uscc = "9131000000000" + std::to_string(10'000 + i % 50'000);
    e.related_usccs = {"9144000000000" + std::to_string(10'000 + i % 70'000)};
    if (i % 100 == 0) e.related_usccs.push_back(bidders[static_cast<std::size_t>(i / 100) % 5]);
    pool.push_back(std::move(e));
  }
  Hash seed = sha256("bench seed");
  std::vector<double> ms, cpu;
  std::size_t excluded = 0;
  for (int r = 0; r < runs; ++r) {
    seed[0] = static_cast<std::uint8_t>(r);
    const double c0 = thread_cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    auto draw = draw_committee(pool, bidders, {}, 7, 7, seed);
    const auto t1 = std::chrono::steady_clock::now();
    cpu.push_back(thread_cpu_ms() - c0);
    if (!draw.ok() || draw->members.size() != 7 || draw->reserves.size() != 7) {
      std::fprintf(stderr, "draw failed\n");
      return 1;
    }
    excluded = draw->pool_size - draw->eligible_count;
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "committee_draw: pool 100000, excluded %zu, committee 7 + 7 reserves, %d runs: "
      "median %.2f ms wall (min %.2f, max %.2f), median %.2f ms CPU\n",
      excluded, runs, ms[ms.size() / 2], ms.front(), ms.back(), cpu[cpu.size() / 2]);
  return 0;
}
