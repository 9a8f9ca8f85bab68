// sunbid: the command line. Every subcommand takes --data-dir DIR
// (default ./sunbid-data); the database is DIR/sunbid.db.
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

#include <fmt/format.h>

#include "audit_log/ledger.h"
#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "server/migrations.h"

using namespace sunbid;
using namespace sunbid::audit;

namespace {

int fail(const Error& e) {
  std::fprintf(stderr, "sunbid: %s\n", e.to_string().c_str());
  return 1;
}

Result<std::unique_ptr<Ledger>> open_ledger(const std::string& data_dir) {
  LedgerOptions o;
  o.data_dir = data_dir;
  o.migrations = server::all_migrations();
  return Ledger::open(std::move(o));
}

// Appends `count` synthetic entries, each through its own ledger command (the
// real append path), with a bounded number in flight so group commit works.
int audit_fill(const std::string& data_dir, std::uint64_t count) {
  auto ledger = open_ledger(data_dir);
  if (!ledger.ok()) return fail(ledger.error());
  Ledger& l = **ledger;
  const std::uint64_t start_size = l.committed_log().size;
  constexpr std::uint64_t kInFlight = 8192;
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t in_flight = 0;
  std::optional<Error> error;
  auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < count; ++i) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kInFlight || error; });
      if (error) break;
      ++in_flight;
    }
    EntryDraft draft;
    draft.type = "synthetic.fill";
    draft.payload = {{"n", static_cast<std::int64_t>(start_size + i)},
                     {"note", "合成条目 / synthetic entry for load and verification tests"}};
    l.submit([draft = std::move(draft)](WriteTxn& txn) -> Status {
               SUNBID_TRY(txn.append(draft));
               return {};
             },
             [&](Status st) {
               std::lock_guard lock(mu);
               --in_flight;
               if (!st.ok() && !error) error = st.error();
               cv.notify_all();
             });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  if (error) return fail(*error);
  l.stop();  // writes the final checkpoint covering every entry
  if (auto f = l.failure()) return fail(*f);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto info = l.committed_log();
  std::printf("appended %llu entries in %.2f s (%.0f entries/s); log size %llu, root %s\n",
              static_cast<unsigned long long>(count), s, static_cast<double>(count) / s,
              static_cast<unsigned long long>(info.size), hex_encode(info.root).c_str());
  return 0;
}

int audit_export(const std::string& data_dir, const std::string& out) {
  // Opening the ledger brings the schema up to date and, on stop, signs a
  // checkpoint covering every entry; the export then reads a snapshot.
  auto ledger = open_ledger(data_dir);
  if (!ledger.ok()) return fail(ledger.error());
  std::string key = (*ledger)->verifier_key();
  (*ledger)->stop();
  auto reader = (*ledger)->open_reader();
  if (!reader.ok()) return fail(reader.error());
  auto summary = export_log(*reader, key, out);
  if (!summary.ok()) return fail(summary.error());
  std::printf("exported %llu entries to %s (entries.jsonl, checkpoint, key)\n",
              static_cast<unsigned long long>(summary->entries), out.c_str());
  if (summary->not_covered > 0) {
    std::printf("note: %llu newer entries are not yet covered by a checkpoint and were left out\n",
                static_cast<unsigned long long>(summary->not_covered));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sunbid — 物业服务电子招投标与评定分离系统 / electronic tendering and "
      "evaluation for residential property services"};
  app.set_version_flag("--version", std::string("sunbid ") + SUNBID_VERSION);
  app.require_subcommand(0, 1);

  std::string data_dir = "./sunbid-data";
  auto* audit = app.add_subcommand("audit", "审计日志 / the audit log");
  audit->require_subcommand(1);

  auto* fill = audit->add_subcommand(
      "fill", "追加合成条目 / append N synthetic entries through the ledger");
  std::uint64_t entries = 0;
  fill->add_option("--data-dir", data_dir, "data directory")->capture_default_str();
  fill->add_option("--entries", entries, "number of entries")->required()->check(CLI::PositiveNumber);

  auto* exp = audit->add_subcommand(
      "export", "导出日志 / export entries.jsonl, checkpoint and key for offline verification");
  std::string out;
  exp->add_option("--data-dir", data_dir, "data directory")->capture_default_str();
  exp->add_option("--out", out, "output directory")->required();

  CLI11_PARSE(app, argc, argv);
  if (fill->parsed()) return audit_fill(data_dir, entries);
  if (exp->parsed()) return audit_export(data_dir, out);
  std::fputs(app.help().c_str(), stdout);
  return 0;
}
