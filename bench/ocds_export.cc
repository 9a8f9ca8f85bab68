// Benchmark: OCDS open data for 10,000 tenders (issue 14: "export 10,000
// tenders as OCDS: under 10 s").
//
// Publishes N tenders through tender_core (each with one amendment: two
// releases a tender), then measures, on the real database file:
//   make    OcdsPublisher::catch_up — the releases made from the log after
//           the fact, as the platform's tick does (once);
//   export  OcdsPublisher::export_all — every release as one release
//           package written to a file (`sunbid ocds export`), --runs times.
// Prints each run and the medians.
//
// Usage: bench_ocds_export [--tenders N] [--runs R] [--dir DIR]
// Run from a release build: ./build/release/bench/bench_ocds_export
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "publication/ocds.h"
#include "tender_core/registry.h"
#include "tender_core/schema.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

using namespace sunbid;
using namespace sunbid::core;

namespace {

Actor actor(std::string account, std::string role, std::string community = "") {
  Actor a;
  a.account = std::move(account);
  a.role = std::move(role);
  a.source_address = "10.0.0.1";
  a.community_id = std::move(community);
  return a;
}

boost::json::object rules(std::string_view deadline) {
  boost::json::object r;
  r["service_tier"] = "T2";
  r["area_centi_m2"] = 12345600;
  r["qualification"] = {{"min_credit_grade", "A"}, {"min_star_rating", 3}};
  r["criteria"] =
      boost::json::array{boost::json::object{{"code", "staffing"}, {"title", "人员配置"}}};
  r["committee_size"] = 5;
  r["min_valid_bids"] = 3;
  r["candidate_cap"] = 3;
  r["candidate_cap_method"] = "lowest_price";
  r["decision"] = {{"method", "lowest_price"}};
  r["beacon_source"] = "上证综合指数收盘值";
  r["bid_deadline"] = deadline;
  r["reveal_window_s"] = 86400;
  r["candidate_publicity_days"] = 3;
  r["vote_window_days"] = 0;
  r["vote_window_s"] = 0;
  r["award_publicity_days"] = 3;
  return r;
}

void die(const Error& e) {
  std::fprintf(stderr, "%s\n", e.to_string().c_str());
  std::exit(1);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  int tenders = 10000;
  int runs = 3;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "sunbid-bench-ocds";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--tenders")) tenders = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  ManualClock clock(parse_rfc3339_ms("2025-06-01T00:00:00Z").value());
  audit::LedgerOptions o;
  o.data_dir = dir;
  o.migrations = tender_core_migrations();
  for (auto& m : publication::publication_migrations()) o.migrations.push_back(std::move(m));
  o.clock = &clock;
  auto ledger = audit::Ledger::open(o);
  if (!ledger.ok()) die(ledger.error());
  Registry registry(**ledger);
  TenderService service(**ledger, clock);
  const Actor admin = actor("admin", "admin");
  auto c = registry.create_community(admin, {"基准小区", "思明区", "鹭江街道", "厦门"});
  if (!c.ok()) die(c.error());
  if (auto r = registry.replace_service_tiers(admin, {{"T2", "二级", 150, 300, {}}}); !r.ok()) {
    die(r.error());
  }
  const Actor tenderer = actor("tenderer", "tenderer", c->id);
  const auto setup = std::chrono::steady_clock::now();
  {
    // 32 threads so that group commit batches the publications.
    std::vector<std::thread> threads;
    for (int t = 0; t < 32; ++t) {
      threads.emplace_back([&, t] {
        for (int i = t; i < tenders; i += 32) {
          auto id = service.create_draft(
              tenderer, {c->id, "招标" + std::to_string(i), rules("2025-07-01T02:00:00Z")});
          if (!id.ok()) die(id.error());
          if (auto p = service.publish(tenderer, *id); !p.ok()) die(p.error());
          if (auto a = service.amend(tenderer, *id, "补遗 / amendment", std::nullopt); !a.ok()) {
            die(a.error());
          }
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  std::printf("setup: %d tenders published and amended in %.1f s\n", tenders, seconds_since(setup));

  const publication::OcdsPublisher publisher({});
  const auto make_start = std::chrono::steady_clock::now();
  auto made = publisher.catch_up(**ledger);
  if (!made.ok()) die(made.error());
  const double make_s = seconds_since(make_start);
  std::printf("make: %zu releases from the log in %.2f s\n", *made, make_s);

  auto reader = (*ledger)->open_reader();
  if (!reader.ok()) die(reader.error());
  std::vector<double> times;
  const auto out_path = dir / "export.json";
  for (int r = 0; r < runs; ++r) {
    const auto t = std::chrono::steady_clock::now();
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    if (auto st = publisher.export_all(*reader, out); !st.ok()) die(st.error());
    out.close();
    times.push_back(seconds_since(t));
    std::printf("export run %d: %.2f s, %ju bytes\n", r + 1, times.back(),
                static_cast<std::uintmax_t>(std::filesystem::file_size(out_path)));
  }
  std::printf(
      "median: export of %d tenders (%zu releases) %.2f s; make %.2f s; make + export "
      "%.2f s (target < 10 s)\n",
      tenders, *made, median(times), make_s, make_s + median(times));
  (*ledger)->stop();
  std::filesystem::remove_all(dir);
  return 0;
}
