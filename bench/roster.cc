// Benchmark: parse_roster_csv + totals + owner_weights on synthetic rosters of
// 10,000 and 100,000 units (Chinese owner names, unit codes like "3-2-1502",
// areas 45-180 m², ~5% of owners holding several units, ~3% unsold units held
// by the developer). Prints the median of several runs per size.
// Run from a release build: ./build/release/bench/bench_roster
#include "tender_core/roster.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

std::string make_roster(int units, std::uint32_t seed) {
  static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                    "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"};
  static const char* kGiven[] = {"伟",   "芳",   "娜",   "秀英", "敏",   "静",   "丽",
                                 "强",   "磊",   "军",   "洋",   "勇",   "艳",   "杰",
                                 "娟",   "涛",   "明",   "超",   "秀兰", "霞",   "建国",
                                 "志强", "海燕", "子涵", "浩然", "欣怡", "宇轩", "雨桐"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> area(4500, 18000);
  std::uniform_int_distribution<int> pct(0, 99);
  std::string csv = "unit,area_centi_m2,owner_key,owner_name,status\n";
  csv.reserve(static_cast<std::size_t>(units) * 60);
  int owner = 0;
  int extra_units_left = 0;  // units still to give to the current multi-unit owner
  std::string owner_key, owner_name;
  int n = 0;
  for (int building = 1; n < units; ++building) {
    for (int entrance = 1; entrance <= 4 && n < units; ++entrance) {
      for (int floor = 1; floor <= 30 && n < units; ++floor) {
        for (int room = 1; room <= 4 && n < units; ++room, ++n) {
          const std::string unit = std::to_string(building) + "-" + std::to_string(entrance) + "-" +
                                   std::to_string(floor * 100 + room);
          if (pct(rng) < 3) {
            csv +=
                unit + "," + std::to_string(area(rng)) + ",developer,某某置业发展有限公司,unsold\n";
            continue;
          }
          if (extra_units_left == 0) {
            ++owner;
            owner_key = "owner-" + std::to_string(owner);
            owner_name = std::string(kSurnames[rng() % 20]) + kGiven[rng() % 28];
            // ~5% of owners hold 2-3 units.
            extra_units_left = pct(rng) < 5 ? 1 + static_cast<int>(rng() % 2) : 0;
          } else {
            --extra_units_left;
          }
          csv += unit + "," + std::to_string(area(rng)) + "," + owner_key + "," + owner_name +
                 ",sold\n";
        }
      }
    }
  }
  return csv;
}

void run(int units, int reps) {
  const std::string csv = make_roster(units, 20250701u + static_cast<std::uint32_t>(units));
  std::vector<double> parse_ms, total_ms;
  std::int64_t sink = 0;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = sunbid::core::parse_roster_csv(csv);
    const auto t1 = std::chrono::steady_clock::now();
    if (!r.ok()) {
      std::fprintf(stderr, "synthetic roster refused: %s\n", r.error().to_string().c_str());
      std::exit(1);
    }
    const auto t = sunbid::core::totals(*r);
    const auto w = sunbid::core::owner_weights(*r);
    const auto t2 = std::chrono::steady_clock::now();
    sink += t.owners_headcount + static_cast<std::int64_t>(w.size());
    parse_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    total_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
    if (i == 0) {
      std::printf("units=%lld owners=%lld area=%lld centi-m2 bytes=%zu\n",
                  static_cast<long long>(t.units), static_cast<long long>(t.owners_headcount),
                  static_cast<long long>(t.total_area_centi_m2), csv.size());
    }
  }
  std::sort(parse_ms.begin(), parse_ms.end());
  std::sort(total_ms.begin(), total_ms.end());
  std::printf(
      "%d units: parse median %.2f ms, parse+totals+owner_weights median %.2f ms (%d runs)\n",
      units, parse_ms[parse_ms.size() / 2], total_ms[total_ms.size() / 2], reps);
  if (sink == 0) std::printf("unexpected\n");
}

}  // namespace

int main() {
  run(10'000, 21);
  run(100'000, 7);
  return 0;
}
