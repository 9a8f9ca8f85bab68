// Benchmark: sealed-bid commitments through tender_core (no HTTP).
//
// 1,000 published tenders, 64 registered enterprises, 64 concurrent bidders,
// each with one commitment in flight at a time (the catch-up check on a
// reader, then one durable ledger command with its withheld bid.committed
// entry), submitting its next one once the last is acknowledged. Durable:
// synchronous=FULL on a real file, group commit (the ledger's default
// batching). Two ways of driving the same 64 bidders:
//   async    TenderService::submit_bid_async, as the HTTPS server calls it:
//            an acknowledgement puts its bidder back on a queue that two
//            driver threads (the server's two network threads) serve;
//   threads  TenderService::submit_bid from 64 threads, each blocked until
//            its acknowledgement (on 2 cores: a thread switch per bid).
// Prints each run and the median in commands/s.
//
// Usage: bench_tender_bids [--mode async|threads] [--dir DIR] [--seconds S] [--runs N]
// Run from a release build: ./build/release/bench/bench_tender_bids
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "audit_log/sha256.h"
#include "tender_core/registry.h"
#include "tender_core/schema.h"
#include "tender_core/service.h"
#include "tender_core/time.h"
#include "tender_core/uscc.h"

using namespace sunbid;
using namespace sunbid::core;

namespace {

constexpr int kTenders = 1000;
constexpr int kBidders = 64;

// A valid USCC for enterprise number i (region 350200, Xiamen).
std::string make_uscc(int i) {
  char body[9];
  std::snprintf(body, sizeof body, "B%07d", i);
  std::string org = std::string(body) + organization_code_check_character(body);
  std::string first17 = "91350200" + org;
  return first17 + uscc_check_character(first17);
}

Actor actor(std::string account, std::string role, std::string community = "",
            std::string uscc = "") {
  Actor a;
  a.account = std::move(account);
  a.role = std::move(role);
  a.source_address = "10.0.0.1";
  a.community_id = std::move(community);
  a.enterprise_uscc = std::move(uscc);
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

struct RunResult {
  double per_second;
  std::uint64_t commits;
  double cpu_us_per_bid;  // the whole process: writer, drivers, checkpointer
};

double process_cpu_us() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

enum class Mode { async, threads };

RunResult run_once(const std::filesystem::path& dir, double seconds, Mode mode) {
  std::filesystem::remove_all(dir);
  ManualClock clock(parse_rfc3339_ms("2025-06-01T00:00:00Z").value());
  audit::LedgerOptions o;
  o.data_dir = dir;
  o.migrations = tender_core_migrations();
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
  std::vector<Actor> bidders;
  for (int i = 0; i < kBidders; ++i) {
    const std::string uscc = make_uscc(i);
    if (auto r = registry.register_enterprise(admin, {uscc, "企业" + std::to_string(i)}); !r.ok()) {
      die(r.error());
    }
    bidders.push_back(actor("ent-" + std::to_string(i), "enterprise", "", uscc));
  }
  {
    // Rated above the tenders' thresholds: a commitment passes the
    // qualification gate (one registry read per bid, measured here too).
    std::vector<core::RatingInput> ratings;
    for (const auto& b : bidders) {
      ratings.push_back({b.enterprise_uscc, {"AA", 9000, 4, false, 0}});
    }
    if (auto r = registry.record_ratings(admin, ratings); !r.ok()) die(r.error());
  }
  const Actor tenderer = actor("tenderer", "tenderer", c->id);
  std::vector<std::string> tenders(kTenders);
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < kBidders; ++t) {
      threads.emplace_back([&, t] {
        for (int i = t; i < kTenders; i += kBidders) {
          auto id = service.create_draft(tenderer, {c->id, "招标", rules("2025-07-01T02:00:00Z")});
          if (!id.ok()) die(id.error());
          if (auto p = service.publish(tenderer, *id); !p.ok()) die(p.error());
          tenders[static_cast<std::size_t>(i)] = *id;
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  const auto commits_before = (*ledger)->stats().commits;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::thread> threads;
  // Bidder b's n-th commitment: its tender and a fresh random commitment.
  std::vector<std::mt19937_64> rngs;
  for (int b = 0; b < kBidders; ++b) rngs.emplace_back(static_cast<std::uint64_t>(b) + 1);
  std::vector<std::uint64_t> sent(kBidders, 0);
  auto next_bid = [&](int b) {
    const auto ub = static_cast<std::size_t>(b);
    const auto& tender = tenders[(ub * 131 + sent[ub]++ * 7) % kTenders];
    return std::make_pair(tender, hex_encode(sha256(std::to_string(rngs[ub]()) + tender +
                                                    bidders[ub].enterprise_uscc)));
  };
  // async: bidders whose last commitment was acknowledged, waiting for a driver.
  std::mutex ready_mu;
  std::condition_variable ready_cv;
  std::deque<int> ready;
  std::atomic<int> in_flight{0};
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_us();
  if (mode == Mode::async) {
    for (int b = 0; b < kBidders; ++b) ready.push_back(b);
    for (int d = 0; d < 2; ++d) {
      threads.emplace_back([&] {
        for (;;) {
          int b;
          {
            std::unique_lock lock(ready_mu);
            ready_cv.wait(lock, [&] { return !ready.empty() || stop.load(); });
            if (stop.load()) return;
            b = ready.front();
            ready.pop_front();
          }
          auto [tender, commitment] = next_bid(b);
          in_flight.fetch_add(1);
          service.submit_bid_async(bidders[static_cast<std::size_t>(b)], tender,
                                   std::move(commitment), [&, b](Result<BidReceipt> r) {
                                     if (!r.ok()) die(r.error());
                                     done.fetch_add(1, std::memory_order_relaxed);
                                     {
                                       std::lock_guard lock(ready_mu);
                                       ready.push_back(b);
                                     }
                                     ready_cv.notify_one();
                                     in_flight.fetch_sub(1);
                                   });
        }
      });
    }
  }
  for (int b = 0; mode == Mode::threads && b < kBidders; ++b) {
    threads.emplace_back([&, b] {
      while (!stop.load(std::memory_order_relaxed)) {
        auto [tender, commitment] = next_bid(b);
        auto r = service.submit_bid(bidders[static_cast<std::size_t>(b)], tender, commitment);
        if (!r.ok()) die(r.error());
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  // Acknowledged within the measured time; what is still in flight is waited
  // for below and not counted.
  const std::uint64_t acknowledged = done.load();
  const double cpu_used = process_cpu_us() - cpu_start;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  {
    std::lock_guard lock(ready_mu);
    stop = true;
  }
  ready_cv.notify_all();
  for (auto& th : threads) th.join();
  while (in_flight.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  RunResult r{static_cast<double>(acknowledged) / elapsed,
              (*ledger)->stats().commits - commits_before,
              cpu_used / static_cast<double>(std::max<std::uint64_t>(acknowledged, 1))};
  ledger->reset();
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "sunbid-bench-tender-bids";
  double seconds = 5;
  int runs = 5;
  Mode mode = Mode::async;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--mode")) {
      if (!std::strcmp(argv[i + 1], "threads")) {
        mode = Mode::threads;
      } else if (std::strcmp(argv[i + 1], "async")) {
        std::fprintf(stderr, "--mode is async or threads\n");
        return 2;
      }
    }
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  std::vector<double> rates;
  for (int r = 0; r < runs; ++r) {
    RunResult res = run_once(dir, seconds, mode);
    std::printf("run %d: %.0f bid commitments/s (%llu commits, %.1f us CPU per bid)\n", r + 1,
                res.per_second, static_cast<unsigned long long>(res.commits), res.cpu_us_per_bid);
    std::fflush(stdout);
    rates.push_back(res.per_second);
  }
  std::printf(
      "median: %.0f bid commitments/s (%s: %d bidders, %d open tenders, durable, group "
      "commit; target >= 20000)\n",
      median(rates), mode == Mode::async ? "async" : "threads", kBidders, kTenders);
  return 0;
}
