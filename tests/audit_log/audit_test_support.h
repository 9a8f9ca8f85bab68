// Shared set-up for audit-log tests: a ledger on a real file in a temp dir
// with a manual clock, and helpers to append entries.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "audit_log/ledger.h"
#include "temp_dir.h"

namespace sunbid::testing {

inline constexpr std::int64_t kTestEpochMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

struct TestLog {
  TempDir dir;
  ManualClock clock{kTestEpochMs};
  std::unique_ptr<audit::Ledger> ledger;

  explicit TestLog(bool publish = true, std::chrono::milliseconds interval = std::chrono::milliseconds(1000)) {
    open(publish, interval);
  }

  void open(bool publish = true, std::chrono::milliseconds interval = std::chrono::milliseconds(1000)) {
    audit::LedgerOptions o;
    o.data_dir = dir.path();
    o.clock = &clock;
    o.log_origin = "test.sunbid.local/log";
    o.publish_checkpoints = publish;
    o.checkpoint_interval = interval;
    auto l = audit::Ledger::open(std::move(o));
    REQUIRE(l.ok());
    ledger = std::move(l).value();
  }

  // Appends `count` entries, `per_command` per ledger command.
  void fill(std::uint64_t count, std::uint64_t per_command = 100) {
    std::vector<std::future<Status>> fs;
    for (std::uint64_t done = 0; done < count; done += per_command) {
      std::uint64_t n = std::min(per_command, count - done);
      fs.push_back(ledger->submit([this, n](audit::WriteTxn& txn) -> Status {
        for (std::uint64_t i = 0; i < n; ++i) {
          audit::EntryDraft d;
          d.type = "test.entry";
          d.tender = (txn.log_size() % 3 == 0) ? std::optional<std::string>("T1") : std::nullopt;
          d.payload = {{"n", static_cast<std::int64_t>(txn.log_size())}, {"text", "测试 / test"}};
          SUNBID_TRY(txn.append(d));
          clock.advance_ms(7);
        }
        return {};
      }));
    }
    for (auto& f : fs) REQUIRE(f.get().ok());
  }

  std::filesystem::path db_file() const { return audit::database_file(dir.path()); }
};

}  // namespace sunbid::testing
