// Audit-log benchmarks (issue: audit_log):
//  1. durable appends through the ledger, 64 concurrent appenders,
//     synchronous=FULL, on a real file;
//  2. full verification of a 1,000,000-entry log (database copy and export),
//     with MB/s and the ratio to `openssl speed -seconds 3 sha256` at the
//     nearest block size, measured in the same run;
//  3. inclusion and consistency proofs from stored nodes at 1M and 10M leaves.
//
// Usage: bench_audit_log [--dir DIR] [--entries N] [--big N] [--skip-openssl]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "audit_log/verify.h"

using namespace sunbid;
using namespace sunbid::audit;
using Clock_ = std::chrono::steady_clock;

namespace {

double seconds_since(Clock_::time_point t0) {
  return std::chrono::duration<double>(Clock_::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

[[noreturn]] void die(const Error& e) {
  std::fprintf(stderr, "bench: %s\n", e.to_string().c_str());
  std::exit(2);
}

EntryDraft synthetic(std::uint64_t n) {
  EntryDraft d;
  d.actor = "A" + std::to_string(n % 977);
  d.role = "enterprise";
  d.tender = "T" + std::to_string(n % 1000);
  d.type = "bid.committed";
  d.source = std::string(64, 'a');
  d.payload = {{"bidder", "91350200MA2XXXXXXX"},
               {"commitment", std::string(64, 'c')},
               {"n", static_cast<std::int64_t>(n)}};
  return d;
}

std::unique_ptr<Ledger> open_ledger(const std::filesystem::path& dir) {
  LedgerOptions o;
  o.data_dir = dir;
  o.log_origin = "bench.sunbid.local/log";
  auto l = Ledger::open(o);
  if (!l.ok()) die(l.error());
  return std::move(l).value();
}

// 1. 64 appenders, one entry per command, each waits for its acknowledgement.
double appenders(Ledger& l, double seconds) {
  std::atomic<bool> go{false}, halt{false};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < 64; ++p) {
    threads.emplace_back([&, p] {
      while (!go) std::this_thread::yield();
      for (std::uint64_t i = 0; !halt; ++i) {
        Status st = l.execute([p, i](WriteTxn& txn) -> Status {
          SUNBID_TRY(txn.append(synthetic(i * 64 + static_cast<std::uint64_t>(p))));
          return {};
        });
        if (!st.ok()) die(st.error());
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  auto t0 = Clock_::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  halt = true;
  for (auto& t : threads) t.join();
  return static_cast<double>(done.load()) / seconds_since(t0);
}

// Tops the log up to `target` entries quickly (1,000 entries per command).
void top_up(Ledger& l, std::uint64_t target) {
  std::vector<std::future<Status>> fs;
  std::uint64_t size = l.committed_log().size;
  for (std::uint64_t at = size; at < target; at += 1000) {
    std::uint64_t n = std::min<std::uint64_t>(1000, target - at);
    fs.push_back(l.submit([n, at](WriteTxn& txn) -> Status {
      for (std::uint64_t i = 0; i < n; ++i) SUNBID_TRY(txn.append(synthetic(at + i)));
      return {};
    }));
    if (fs.size() >= 64) {
      for (auto& f : fs)
        if (Status st = f.get(); !st.ok()) die(st.error());
      fs.clear();
    }
  }
  for (auto& f : fs)
    if (Status st = f.get(); !st.ok()) die(st.error());
}

// `openssl speed -seconds 3 -bytes B sha256`: bytes per second.
double openssl_sha256(std::size_t block) {
  std::string cmd = "openssl speed -seconds 3 -bytes " + std::to_string(block) + " sha256 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return 0;
  char line[512];
  double result = 0;
  while (std::fgets(line, sizeof line, p)) {
    // "sha256  <rate>k" on the final table line.
    if (std::strncmp(line, "sha256", 6) == 0) {
      double kbytes = std::atof(line + 6);
      result = kbytes * 1000.0;
    }
  }
  pclose(p);
  return result;
}

void proofs(Database& db, std::uint64_t size, const char* label) {
  std::mt19937_64 rng(42);
  std::vector<double> inc, cons;
  NodeReader read = node_reader(db);
  for (int i = 0; i < 2001; ++i) {
    std::uint64_t index = rng() % size;
    auto t0 = Clock_::now();
    auto p = inclusion_proof(index, size, read);
    inc.push_back(seconds_since(t0) * 1e3);
    if (!p.ok()) die(p.error());
    std::uint64_t first = 1 + rng() % (size - 1);
    t0 = Clock_::now();
    auto c = consistency_proof(first, size, read);
    cons.push_back(seconds_since(t0) * 1e3);
    if (!c.ok()) die(c.error());
  }
  std::printf("proofs at %s leaves: inclusion median %.3f ms (p99 %.3f), consistency median %.3f "
              "ms (p99 %.3f), 2001 each\n",
              label, median(inc), [&] { auto v = inc; std::sort(v.begin(), v.end()); return v[v.size() * 99 / 100]; }(),
              median(cons), [&] { auto v = cons; std::sort(v.begin(), v.end()); return v[v.size() * 99 / 100]; }());
}

// A tree of `size` synthetic leaves stored as merkle_nodes only (what proofs
// read), built with the same Frontier the ledger uses.
void big_tree(const std::filesystem::path& file, std::uint64_t size) {
  std::filesystem::remove(file);
  auto db = Database::open(file, Database::Mode::kReadWriteCreate);
  if (!db.ok()) die(db.error());
  if (Status st = db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                           "CREATE TABLE merkle_nodes(level INTEGER NOT NULL, idx INTEGER NOT NULL,"
                           " hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;");
      !st.ok())
    die(st.error());
  Frontier f;
  std::vector<std::pair<NodeId, Hash>> completed;
  auto ins = db->prepare("INSERT INTO merkle_nodes(level, idx, hash) VALUES (?, ?, ?)");
  if (!ins.ok()) die(ins.error());
  (void)db->exec("BEGIN");
  for (std::uint64_t i = 0; i < size; ++i) {
    completed.clear();
    std::string leaf = "leaf " + std::to_string(i);
    f.append(leaf_hash(leaf), &completed);
    for (const auto& [id, h] : completed) {
      ins->bind(1, std::int64_t{id.level}).bind(2, static_cast<std::int64_t>(id.index)).bind_blob(3, h);
      if (Status st = ins->run(); !st.ok()) die(st.error());
    }
    if (i % 1'000'000 == 999'999) {
      (void)db->exec("COMMIT");
      (void)db->exec("BEGIN");
    }
  }
  (void)db->exec("COMMIT");
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "sunbid-bench-audit";
  std::uint64_t entries = 1'000'000, big = 10'000'000;
  bool skip_openssl = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!std::strcmp(argv[i], "--entries") && i + 1 < argc) entries = std::stoull(argv[++i]);
    else if (!std::strcmp(argv[i], "--big") && i + 1 < argc) big = std::stoull(argv[++i]);
    else if (!std::strcmp(argv[i], "--skip-openssl")) skip_openssl = true;
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto data = dir / "data";

  // 1. Durable appends.
  std::vector<double> rates;
  {
    auto l = open_ledger(data);
    for (int r = 0; r < 3; ++r) rates.push_back(appenders(*l, 3.0));
    std::printf("durable appends, 64 concurrent appenders, synchronous=FULL: median %.0f entries/s "
                "(runs: %.0f %.0f %.0f)\n",
                median(rates), rates[0], rates[1], rates[2]);
    top_up(*l, entries);
    l->stop();  // final checkpoint over everything
  }

  // 2. Full verification.
  auto db_file = database_file(data);
  std::string key = open_ledger(data)->verifier_key();
  std::vector<double> db_times, export_times;
  LogReport report;
  for (int r = 0; r < 3; ++r) {
    auto t0 = Clock_::now();
    auto rep = verify_log_database(db_file, {key, 0});
    db_times.push_back(seconds_since(t0));
    if (!rep.ok()) die(rep.error());
    report = *rep;
  }
  auto out = dir / "export";
  {
    auto db = Database::open(db_file, Database::Mode::kReadOnly);
    if (!db.ok()) die(db.error());
    auto s = export_log(*db, key, out, ExportOptions{});
    if (!s.ok()) die(s.error());
  }
  for (int r = 0; r < 3; ++r) {
    auto t0 = Clock_::now();
    auto rep = verify_log_export(out, {key, 0});
    export_times.push_back(seconds_since(t0));
    if (!rep.ok()) die(rep.error());
  }
  double mean_entry = static_cast<double>(report.bytes) / static_cast<double>(report.entries);
  double tdb = median(db_times), tex = median(export_times);
  std::printf("full verification of %llu entries (mean %.0f bytes): database %.2f s = %.0f "
              "entries/s, %.1f MB/s; export %.2f s = %.0f entries/s, %.1f MB/s (threads: %u)\n",
              static_cast<unsigned long long>(report.entries), mean_entry, tdb,
              report.entries / tdb, report.bytes / tdb / 1e6, tex, report.entries / tex,
              report.bytes / tex / 1e6, std::thread::hardware_concurrency());
  if (!skip_openssl) {
    // openssl speed's block sizes nearest to an entry.
    std::size_t block = mean_entry < 160 ? 64 : mean_entry < 640 ? 256 : 1024;
    double ossl = openssl_sha256(block);
    std::printf("openssl speed -seconds 3 -bytes %zu sha256 (one core): %.1f MB/s; export "
                "verification runs at %.2fx that (it hashes each entry twice: chain and leaf)\n",
                block, ossl / 1e6, (report.bytes / tex) / ossl);
  }

  // 3. Proofs.
  {
    auto db = Database::open(db_file, Database::Mode::kReadOnly);
    if (!db.ok()) die(db.error());
    proofs(*db, report.entries, "1M");
  }
  if (big > 0) {
    auto t0 = Clock_::now();
    auto big_file = dir / "big-tree.db";
    big_tree(big_file, big);
    std::printf("(built a %llu-leaf node store in %.0f s)\n", static_cast<unsigned long long>(big),
                seconds_since(t0));
    auto db = Database::open(big_file, Database::Mode::kReadOnly);
    if (!db.ok()) die(db.error());
    proofs(*db, big, "10M");
  }
  std::filesystem::remove_all(dir);
  return 0;
}
