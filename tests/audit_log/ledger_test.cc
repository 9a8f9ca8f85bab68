// The ledger on real files with synchronous=FULL: migrations, bad files,
// group commit, per-command rollback, acknowledgement after durability and
// fail-stop.
#include "audit_log/ledger.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <latch>
#include <thread>

#include "audit_log/sha256.h"
#include "temp_dir.h"

using namespace sunbid;
using namespace sunbid::audit;
using sunbid::testing::TempDir;

namespace {

std::vector<Migration> test_migrations() {
  return {{2, "items", "CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)"}};
}

LedgerOptions options_for(const TempDir& dir, std::vector<Migration> m = test_migrations()) {
  LedgerOptions o;
  o.data_dir = dir.path();
  o.migrations = std::move(m);
  return o;
}

Ledger::Command insert(std::string v) {
  return [v = std::move(v)](WriteTxn& txn) -> Status {
    SUNBID_ASSIGN_OR_RETURN(Statement * st, txn.db().cached("INSERT INTO items(v) VALUES (?)"));
    st->bind(1, v);
    return st->run();
  };
}

std::int64_t count_items(const std::filesystem::path& db_file) {
  auto db = Database::open(db_file, Database::Mode::kReadOnly);
  REQUIRE(db.ok());
  auto n = db->query_int64("SELECT count(*) FROM items");
  REQUIRE(n.ok());
  return *n;
}

bool has_item(Database& db, const std::string& v) {
  auto st = db.prepare("SELECT 1 FROM items WHERE v = ?");
  REQUIRE(st.ok());
  st->bind(1, v);
  auto row = st->step();
  REQUIRE(row.ok());
  return *row;
}

std::string file_digest(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return hex_encode(sha256(bytes));
}

// Holds the writer in a command of its own until release(): whatever is
// submitted meanwhile forms the next batch, exactly.
class HeldWriter {
 public:
  explicit HeldWriter(Ledger& l)
      : done_(l.submit([this](WriteTxn&) -> Status {
          started_.count_down();
          release_.wait();
          return {};
        })) {
    started_.wait();
  }
  Status release() {
    release_.count_down();
    return done_.get();
  }

 private:
  std::latch started_{1};
  std::latch release_{1};
  std::future<Status> done_;
};

class FailNextCommit : public FaultInjection {
 public:
  std::atomic<bool> armed{false};
  bool fail_commit() override { return armed.exchange(false); }
};

}  // namespace

TEST_CASE("migrations are applied in order, recorded, and not re-applied") {
  TempDir dir;
  {
    auto ledger = Ledger::open(options_for(dir));
    REQUIRE(ledger.ok());
    CHECK((*ledger)->schema_version() == 2);
    CHECK((*ledger)->execute(insert("a")).ok());
  }
  auto m = test_migrations();
  m.push_back({3, "more", "CREATE TABLE more(x INTEGER)"});
  auto ledger = Ledger::open(options_for(dir, m));
  REQUIRE(ledger.ok());
  CHECK((*ledger)->schema_version() == 3);
  auto reader = (*ledger)->open_reader();
  REQUIRE(reader.ok());
  CHECK(*reader->query_int64("SELECT count(*) FROM schema_migrations") == 3);
  CHECK(*reader->query_int64("PRAGMA application_id") == kApplicationId);
  auto mode = reader->prepare("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  REQUIRE(*mode->step());
  CHECK(mode->column_text(0) == "wal");
  CHECK(has_item(*reader, "a"));
}

TEST_CASE("a file that is not a sunbid database is refused and left untouched") {
  TempDir dir;
  auto file = database_file(dir.path());
  SECTION("garbage bytes") {
    std::ofstream(file, std::ios::binary) << std::string(8192, 'x');
  }
  SECTION("another application's SQLite database") {
    auto db = Database::open(file, Database::Mode::kReadWriteCreate);
    REQUIRE(db.ok());
    REQUIRE(db->exec("CREATE TABLE other(x)").ok());
  }
  std::string before = file_digest(file);
  auto ledger = Ledger::open(options_for(dir));
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.error().code == "not_a_sunbid_database");
  CHECK(ledger.error().message.find(file.string()) != std::string::npos);
  CHECK(file_digest(file) == before);
  CHECK_FALSE(std::filesystem::exists(file.string() + "-wal"));
}

TEST_CASE("a database with a newer schema is refused, naming both versions") {
  TempDir dir;
  auto m = test_migrations();
  m.push_back({3, "more", "CREATE TABLE more(x INTEGER)"});
  { REQUIRE(Ledger::open(options_for(dir, m)).ok()); }
  auto file = database_file(dir.path());
  std::string before = file_digest(file);
  auto ledger = Ledger::open(options_for(dir));  // this "binary" knows only version 2
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.error().code == "schema_too_new");
  CHECK(ledger.error().details.at("file_version").as_int64() == 3);
  CHECK(ledger.error().details.at("binary_version").as_int64() == 2);
  CHECK(ledger.error().message.find(file.string()) != std::string::npos);
  CHECK(file_digest(file) == before);
}

TEST_CASE("a failing migration leaves the database at its previous version") {
  TempDir dir;
  { REQUIRE(Ledger::open(options_for(dir)).ok()); }
  auto m = test_migrations();
  m.push_back({3, "good", "CREATE TABLE good(x INTEGER)"});
  m.push_back({4, "bad", "CREATE TABLE items(duplicate INTEGER)"});
  auto failed = Ledger::open(options_for(dir, m));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == "migration_failed");
  auto db = Database::open(database_file(dir.path()), Database::Mode::kReadOnly);
  REQUIRE(db.ok());
  CHECK(*db->query_int64("PRAGMA user_version") == 2);
  CHECK(*db->query_int64("SELECT count(*) FROM sqlite_master WHERE name='good'") == 0);
  CHECK(*db->query_int64("SELECT count(*) FROM schema_migrations") == 2);
}

TEST_CASE("duplicate migration versions are refused") {
  TempDir dir;
  auto m = test_migrations();
  m.push_back({2, "again", "CREATE TABLE again(x)"});
  auto ledger = Ledger::open(options_for(dir, m));
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.error().code == "invalid_migrations");
}

TEST_CASE("queued commands are committed together in one batch") {
  TempDir dir;
  auto ledger = Ledger::open(options_for(dir));
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  // Hold the writer inside a first command while 200 more queue up behind it.
  std::latch release(1);
  auto first = l.submit([&](WriteTxn& txn) {
    release.wait();
    return insert("first")(txn);
  });
  std::vector<std::future<Status>> futures;
  for (int i = 0; i < 200; ++i) futures.push_back(l.submit(insert("v" + std::to_string(i))));
  release.count_down();
  CHECK(first.get().ok());
  for (auto& f : futures) CHECK(f.get().ok());
  auto stats = l.stats();
  CHECK(stats.commands == 201);
  CHECK(stats.commits <= 3);  // the held one, then the 200 in one batch (at most split once)
  CHECK(count_items(l.db_path()) == 201);
}

TEST_CASE("a failing command rolls back only itself") {
  TempDir dir;
  auto ledger = Ledger::open(options_for(dir));
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  HeldWriter held(l);
  std::atomic<int> runs_of_a{0};
  auto a = l.submit([&](WriteTxn& txn) -> Status {
    ++runs_of_a;
    return insert("a")(txn);
  });
  auto b = l.submit([](WriteTxn& txn) -> Status {
    SUNBID_TRY(insert("b")(txn));  // its change happens, then the command refuses
    return make_error("refused_for_test", "测试拒绝 / refused for the test");
  });
  auto dup = l.submit(insert("a"));  // violates UNIQUE: a storage error, rolled back
  auto c = l.submit(insert("c"));
  CHECK(held.release().ok());
  CHECK(a.get().ok());
  Status sb = b.get();
  REQUIRE_FALSE(sb.ok());
  CHECK(sb.error().code == "refused_for_test");
  Status sd = dup.get();
  REQUIRE_FALSE(sd.ok());
  CHECK(sd.error().code == kStorageError);
  CHECK(sd.error().message.find("INSERT INTO items") != std::string::npos);  // carries the SQL
  CHECK(c.get().ok());
  auto reader = l.open_reader();
  REQUIRE(reader.ok());
  CHECK(has_item(*reader, "a"));
  CHECK_FALSE(has_item(*reader, "b"));
  CHECK(has_item(*reader, "c"));
  CHECK(l.stats().failed_commands == 2);
  CHECK_FALSE(l.failure());
  // b wrote before refusing: the batch ran again, each command in its
  // savepoint, and a's second run is the one that was kept.
  CHECK(runs_of_a == 2);
  CHECK(*reader->query_int64("SELECT count(*) FROM items") == 2);
}

TEST_CASE("refusals that wrote nothing need no savepoint: the batch runs once") {
  TempDir dir;
  auto ledger = Ledger::open(options_for(dir));
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  HeldWriter held(l);
  std::atomic<int> runs{0};
  auto counted = [&](std::string v) {
    return [&, v](WriteTxn& txn) -> Status {
      ++runs;
      return insert(v)(txn);
    };
  };
  auto a = l.submit(counted("a"));
  std::atomic<std::int64_t> seen{-1};
  auto refused = l.submit([&](WriteTxn& txn) -> Status {
    ++runs;
    // Reads, then refuses: nothing to undo.
    SUNBID_ASSIGN_OR_RETURN(std::int64_t n, txn.db().query_int64("SELECT count(*) FROM items"));
    seen = n;
    return make_error("refused_for_test", "测试拒绝 / refused for the test");
  });
  auto c = l.submit(counted("c"));
  CHECK(held.release().ok());
  CHECK(a.get().ok());
  CHECK(refused.get().error().code == "refused_for_test");
  CHECK(c.get().ok());
  CHECK(runs == 3);  // each command ran once: no second run with savepoints
  CHECK(seen == 1);  // it saw a's row, in the same transaction
  auto reader = l.open_reader();
  REQUIRE(reader.ok());
  CHECK(has_item(*reader, "a"));
  CHECK(has_item(*reader, "c"));
  CHECK(l.stats().failed_commands == 1);
}

TEST_CASE("a command is acknowledged only after its batch is durable") {
  TempDir dir;
  auto ledger = Ledger::open(options_for(dir));
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  auto reader = l.open_reader();
  REQUIRE(reader.ok());
  std::atomic<int> visible_at_ack{0};
  std::vector<std::future<Status>> fs;
  std::mutex mu;
  std::latch all(100);
  for (int i = 0; i < 100; ++i) {
    std::string v = "d" + std::to_string(i);
    l.submit(insert(v), [&, v](Status st) {
      REQUIRE(st.ok());
      // Another connection sees the row at the moment of acknowledgement:
      // the transaction holding it has committed.
      std::lock_guard lock(mu);
      if (has_item(*reader, v)) visible_at_ack++;
      all.count_down();
    });
  }
  all.wait();
  CHECK(visible_at_ack == 100);
}

TEST_CASE("a failed commit stops the writer for good") {
  TempDir dir;
  FailNextCommit faults;
  auto opts = options_for(dir);
  opts.faults = &faults;
  auto ledger = Ledger::open(opts);
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  REQUIRE(l.execute(insert("before")).ok());

  faults.armed = true;
  Status st = l.execute(insert("lost"));
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "ledger_stopped");
  REQUIRE(l.failure());

  // Fail-stop: nothing more is accepted, even though the disk is fine now.
  Status later = l.execute(insert("after"));
  REQUIRE_FALSE(later.ok());
  CHECK(later.error().code == "ledger_stopped");
  l.stop();
  CHECK(count_items(l.db_path()) == 1);
}

TEST_CASE("concurrent producers all get their commands durably applied") {
  TempDir dir;
  auto ledger = Ledger::open(options_for(dir));
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  std::vector<std::thread> producers;
  std::atomic<int> ok{0};
  for (int p = 0; p < 16; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < 50; ++i)
        if (l.execute(insert(std::to_string(p) + "/" + std::to_string(i))).ok()) ok++;
    });
  }
  for (auto& t : producers) t.join();
  CHECK(ok == 800);
  l.stop();
  CHECK(count_items(l.db_path()) == 800);
}

TEST_CASE("a migration numbered below the file's version but never applied is refused") {
  TempDir dir;
  auto m = test_migrations();
  m.push_back({4, "later", "CREATE TABLE later(x INTEGER)"});
  { REQUIRE(Ledger::open(options_for(dir, m)).ok()); }
  m.push_back({3, "merged_late", "CREATE TABLE merged_late(x INTEGER)"});
  auto ledger = Ledger::open(options_for(dir, m));
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.error().code == "migration_missing");
  CHECK(ledger.error().message.find("merged_late") != std::string::npos);
}

namespace {

struct Counter : WriterState {
  int value = 0;
};

// Bumps the writer's Counter (creating it at 0), then succeeds or fails.
Ledger::Command bump(bool fail) {
  return [fail](WriteTxn& txn) -> Status {
    if (txn.state<Counter>() == nullptr) txn.put_state(std::make_unique<Counter>());
    ++txn.state_for_update<Counter>().value;
    if (fail) return make_error("refused", "refused");
    return {};
  };
}

// The writer's Counter, or -1 when the ledger holds none.
int counter(Ledger& ledger) {
  int out = -2;
  REQUIRE(ledger
              .execute([&](WriteTxn& txn) -> Status {
                const Counter* c = txn.state<Counter>();
                out = c ? c->value : -1;
                return {};
              })
              .ok());
  return out;
}

}  // namespace

TEST_CASE("writer states live from command to command and are dropped with a rollback") {
  TempDir dir;
  auto ledger = Ledger::open(options_for(dir));
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  CHECK(counter(l) == -1);
  REQUIRE(l.execute(bump(false)).ok());
  REQUIRE(l.execute(bump(false)).ok());
  CHECK(counter(l) == 2);
  // Only reading a state in a refused command keeps it.
  CHECK_FALSE(l.execute([](WriteTxn& txn) -> Status {
                 CHECK(txn.state<Counter>() != nullptr);
                 return make_error("refused", "refused");
               }).ok());
  CHECK(counter(l) == 2);
  // A refused command that changed it drops it: it may hold that change.
  CHECK_FALSE(l.execute(bump(true)).ok());
  CHECK(counter(l) == -1);
  // So does a command that created it and was refused.
  CHECK_FALSE(l.execute(bump(true)).ok());
  CHECK(counter(l) == -1);
  REQUIRE(l.execute(bump(false)).ok());
  CHECK(counter(l) == 1);
}

TEST_CASE("under load a batch waits at most commit_delay for more commands, a lone caller never") {
  TempDir dir;
  auto o = options_for(dir);
  o.commit_delay = std::chrono::milliseconds(200);
  o.publish_checkpoints = false;
  auto ledger = Ledger::open(o);
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  auto elapsed_ms = [&](std::string v) {
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(l.execute(insert(std::move(v))).ok());
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };
  // Alone: nothing to wait for.
  CHECK(elapsed_ms("first") < 150);
  // Load: 21 commands in one batch.
  HeldWriter held(l);
  std::vector<std::future<Status>> burst;
  for (int i = 0; i < 20; ++i) burst.push_back(l.submit(insert("burst" + std::to_string(i))));
  CHECK(held.release().ok());
  for (auto& f : burst) CHECK(f.get().ok());
  // The next command is held for the others the batch's callers might send,
  // but no longer than commit_delay.
  const double waited = elapsed_ms("after the burst");
  CHECK(waited >= 150);
  CHECK(waited < 2000);
  // Then it was alone again: no wait.
  CHECK(elapsed_ms("alone again") < 150);
  CHECK(count_items(database_file(dir.path())) == 23);
}
