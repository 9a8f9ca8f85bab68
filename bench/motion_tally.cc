// Benchmark: the tally of an owners' assembly motion at its close —
// 1,000,000 owners, 1,000,000 ballots (for / against / abstain), a special
// matter (item 7: at least 3/4) — through assembly::tally_motion, the
// function the platform and sunbid-verify use. Prints the median of the runs
// (target: < 1 s, release; issue 13 benchmarks).
//   cmake --preset release && cmake --build --preset release --target bench_motion_tally
//   ./build/release/bench/bench_motion_tally [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "assembly/motion.h"

using namespace sunbid;

namespace {

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  constexpr int kOwners = 1'000'000;
  std::vector<eval::OwnerWeight> owners;
  std::vector<assembly::MotionBallot> ballots;
  owners.reserve(kOwners);
  ballots.reserve(kOwners);
  std::int64_t total_area = 0;
  for (int i = 0; i < kOwners; ++i) {
    char key[40];  // as long as a salted digest's hex
    std::snprintf(key, sizeof key, "%08x%08x%08x%08x", i * 2654435761u, i, ~i, i ^ 0x5bd1e995);
    const std::int64_t area = 5'000 + (i * 7919LL) % 15'000;
    owners.push_back({key, area});
    total_area += area;
  }
  const char* choices[] = {"for", "for", "for", "for",     "for",
                           "for", "for", "for", "against", "abstain"};
  for (int i = kOwners - 1; i >= 0; --i) {  // ballots in another order than the roster
    ballots.push_back({owners[static_cast<std::size_t>(i)].owner_key, choices[i % 10]});
  }
  const std::vector<std::string> options = {"for", "against"};
  std::vector<double> ms, cpu;
  for (int r = 0; r < runs; ++r) {
    std::vector<eval::OwnerWeight> roster = owners;  // the tally takes its roster
    const double c0 = thread_cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    auto t = assembly::tally_motion(std::move(roster), total_area, kOwners, options, 7, ballots);
    const auto t1 = std::chrono::steady_clock::now();
    cpu.push_back(thread_cpu_ms() - c0);
    if (!t.ok() || t->vote.participating_heads != kOwners ||
        t->outcome != assembly::MotionStatus::passed) {
      std::fprintf(stderr, "tally failed\n");
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "motion_tally: 1000000 owners, 1000000 ballots, item 7 (3/4), %d runs: "
      "median %.1f ms wall (min %.1f, max %.1f), median %.1f ms CPU\n",
      runs, ms[ms.size() / 2], ms.front(), ms.back(), cpu[cpu.size() / 2]);
  return 0;
}
