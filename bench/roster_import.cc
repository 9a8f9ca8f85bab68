// Benchmark: importing a roster of 10,000 units through tender_core —
// parse_roster_csv + the durable ledger command (delete the old rows, insert
// every unit, update the totals, one entry) on a real file with
// synchronous=FULL. Prints each run and the median in milliseconds.
//
// Usage: bench_roster_import [--dir DIR] [--units N] [--runs N]
// Run from a release build: ./build/release/bench/bench_roster_import
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tender_core/registry.h"
#include "tender_core/schema.h"

using namespace sunbid;
using namespace sunbid::core;

namespace {

// Units "B-U-FFRR", areas 45-180 m², ~5% of owners hold a second unit, ~3%
// unsold units of the developer.
std::string make_roster(int units, std::uint32_t seed) {
  static const char* kNames[] = {"王伟", "李芳", "张娜", "刘秀英", "陈敏",   "杨静",
                                 "黄强", "赵磊", "吴军", "周洋",   "林海燕", "郑浩然"};
  std::mt19937 rng(seed);
  std::string csv = "unit,area_centi_m2,owner_key,owner_name,status\n";
  int owner = 0;
  for (int i = 0; i < units; ++i) {
    const int area = 4500 + static_cast<int>(rng() % 13501);
    char unit[32];
    std::snprintf(unit, sizeof unit, "%d-%d-%02d%02d", i / 1000 + 1, (i / 100) % 10 + 1,
                  (i / 4) % 25 + 1, i % 4 + 1);
    if (rng() % 100 < 3) {
      csv += std::string(unit) + "," + std::to_string(area) + ",DEV,厦门某置业有限公司,unsold\n";
      continue;
    }
    if (rng() % 100 >= 5) ++owner;
    csv += std::string(unit) + "," + std::to_string(area) + ",K" + std::to_string(owner) + "," +
           kNames[owner % 12] + std::to_string(owner) + ",sold\n";
  }
  return csv;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "sunbid-bench-roster";
  int units = 10000;
  int runs = 9;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--units")) units = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  std::filesystem::remove_all(dir);
  audit::LedgerOptions o;
  o.data_dir = dir;
  o.migrations = tender_core_migrations();
  auto ledger = audit::Ledger::open(o);
  if (!ledger.ok()) {
    std::fprintf(stderr, "%s\n", ledger.error().to_string().c_str());
    return 1;
  }
  Registry registry(**ledger);
  Actor admin;
  admin.account = "admin";
  admin.role = "admin";
  admin.source_address = "10.0.0.1";
  auto c = registry.create_community(admin, {"基准小区", "思明区", "鹭江街道", "厦门"});
  if (!c.ok()) return 1;
  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    // A different roster each run, so every import replaces every row.
    const std::string csv = make_roster(units, static_cast<std::uint32_t>(r + 1));
    const auto start = std::chrono::steady_clock::now();
    auto res = registry.import_roster(admin, c->id, csv);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!res.ok()) {
      std::fprintf(stderr, "%s\n", res.error().to_string().c_str());
      return 1;
    }
    std::printf("run %d: %d units, %lld owners, %.1f ms\n", r + 1, units,
                static_cast<long long>(res->totals.owners_headcount), ms);
    times.push_back(ms);
  }
  std::printf("median: %.1f ms to import %d units (parse + durable write; target < 200 ms)\n",
              median(times), units);
  ledger->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
