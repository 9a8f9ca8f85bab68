// Benchmark (issue 13): issuing activation codes for 10,000 owner keys — one
// durable ledger command on a real file with synchronous=FULL: the roster
// and the community's accounts read, per key a revocation of its previous
// unused codes, a fresh code (RAND_bytes, check symbol, HMAC-SHA-256) and
// its row, then the batch's one entry. Each run after the first also
// revokes the previous run's codes (a full re-issue). Prints each run and
// the median in milliseconds. Target: under 2 s.
//
// Usage: bench_activation_codes [--dir DIR] [--owners N] [--runs N]
// Run from a release build: ./build/release/bench/bench_activation_codes
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "accounts/activation.h"
#include "accounts/schema.h"
#include "tender_core/registry.h"
#include "tender_core/schema.h"

using namespace sunbid;

namespace {

// One unit per owner key, "B-U-FFRR", areas 45-180 m².
std::string make_roster(int owners) {
  std::string csv = "unit,area_centi_m2,owner_key,owner_name,status\n";
  for (int i = 0; i < owners; ++i) {
    char unit[32];
    std::snprintf(unit, sizeof unit, "%d-%d-%02d%02d", i / 1000 + 1, (i / 100) % 10 + 1,
                  (i / 4) % 25 + 1, i % 4 + 1);
    csv += std::string(unit) + "," + std::to_string(4500 + (i * 7919) % 13501) + ",K" +
           std::to_string(i) + ",业主" + std::to_string(i) + ",sold\n";
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
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "sunbid-bench-activation";
  int owners = 10000;
  int runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--owners")) owners = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  std::filesystem::remove_all(dir);
  audit::LedgerOptions o;
  o.data_dir = dir;
  o.migrations = core::tender_core_migrations();
  for (auto& m : accounts::accounts_migrations()) o.migrations.push_back(std::move(m));
  auto ledger = audit::Ledger::open(o);
  if (!ledger.ok()) {
    std::fprintf(stderr, "%s\n", ledger.error().to_string().c_str());
    return 1;
  }
  core::Registry registry(**ledger);
  core::Actor admin;
  admin.account = "admin";
  admin.role = "admin";
  admin.source_address = "10.0.0.1";
  auto c = registry.create_community(admin, {"基准小区", "思明区", "鹭江街道", "厦门"});
  if (!c.ok()) return 1;
  if (auto r = registry.import_roster(admin, c->id, make_roster(owners)); !r.ok()) {
    std::fprintf(stderr, "%s\n", r.error().to_string().c_str());
    return 1;
  }
  auto key = accounts::ActivationKey::load_or_create(accounts::activation_key_file(dir));
  if (!key.ok()) return 1;
  accounts::Issuer issuer{accounts::Actor{"acct-supervisor", "supervisor", "10.0.0.2"},
                          accounts::Role::kSupervisor, std::nullopt};
  accounts::IssueRequest req;
  req.community_id = c->id;
  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto batch = (*ledger)->run<accounts::IssuedBatch>([&](audit::WriteTxn& txn) {
      return accounts::issue_activation_codes(txn, *key, req, issuer);
    });
    const double t =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!batch.ok() || batch->codes.size() != static_cast<std::size_t>(owners)) {
      std::fprintf(stderr, "issue failed: %s\n",
                   batch.ok() ? "wrong count" : batch.error().to_string().c_str());
      return 1;
    }
    std::printf("run %d: %d codes (%lld revoked) in %.1f ms\n", r + 1, owners,
                static_cast<long long>(batch->codes_revoked), t);
    ms.push_back(t);
  }
  const double med = median(ms);
  std::printf("median: %.1f ms for %d owner keys (target < 2000 ms): %s\n", med, owners,
              med < 2000 ? "ok" : "SLOW");
  (*ledger)->stop();
  std::filesystem::remove_all(dir);
  return med < 2000 ? 0 : 2;
}
