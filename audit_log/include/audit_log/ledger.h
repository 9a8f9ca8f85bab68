// The ledger: the only way anything is written to sunbid's database.
//
// One database file DATA_DIR/sunbid.db (WAL, foreign_keys=ON, and
// synchronous=FULL on the writer). One schema version for the whole file:
// every module contributes numbered migrations, applied in order at open in
// one transaction and recorded in `schema_migrations`.
//
// One writer thread applies commands with group commit: it takes a batch of
// queued commands, runs them in one transaction (a failing command rolls back
// only itself: a refusal that wrote nothing needs no undo; after one that
// wrote, the batch runs again with each command in its own SAVEPOINT, so a
// command may run more than once before it is acknowledged and must be a
// function of its inputs and the database), commits with one
// fsync, and only then completes each caller. A failed COMMIT (or an injected
// one) stops the writer for good — fail-stop: an fsync is never retried and
// the database is never assumed good afterwards; every pending and later
// caller gets `ledger_stopped`.
//
// Invariants:
//  - a command's completion callback runs only after the transaction holding
//    its changes is durable, or after its changes were rolled back;
//  - a command that returns an error changed nothing (its savepoint was
//    rolled back);
//  - in-memory state derived from the database (the audit log's chain head
//    and Merkle frontier) advances only after the commit succeeded; the
//    writer's own WriterStates follow the open transaction and are dropped
//    with any command or batch that is rolled back.
//
// Thread-safety: `submit`, `execute` and `open_reader` are safe for
// concurrent use. Commands run on the writer thread, one at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "audit_log/clock.h"
#include "audit_log/digest_key.h"
#include "audit_log/entry_format.h"
#include "audit_log/log_head.h"
#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::audit {

// One numbered schema change. Versions are global to the database file; each
// module takes the next free number when it adds a migration, so that the
// order of application never changes between releases.
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Test hook: lets a test fail a commit as the disk would.
class FaultInjection {
 public:
  virtual ~FaultInjection() = default;
  // Called just before COMMIT; returning true makes that commit fail.
  virtual bool fail_commit() = 0;
};

class WriteTxn;

struct LedgerOptions {
  std::filesystem::path data_dir;
  // The other modules' migrations; the audit log's own (audit_log_migrations)
  // are always added.
  std::vector<Migration> migrations;
  // Time of entries; nullptr means the system clock.
  const Clock* clock = nullptr;
  // The checkpoint origin line and the signing key's name.
  std::string log_origin = "localhost/sunbid";
  // At most one checkpoint per interval, signed off the writer's path.
  std::chrono::milliseconds checkpoint_interval{1000};
  bool publish_checkpoints = true;
  // Most commands in one transaction. 1 gives one transaction per command
  // (the benchmark's baseline).
  std::size_t max_batch = 4096;
  // Under load, how long the writer may hold a batch for the commands the
  // last batch's callers are about to send (a group commit delay, as
  // PostgreSQL's commit_delay); zero never waits. A lone caller never waits.
  std::chrono::microseconds commit_delay{500};
  // WAL pages after which the background checkpointer is woken.
  int wal_checkpoint_pages = 4000;
  FaultInjection* faults = nullptr;
};

struct LedgerStats {
  std::uint64_t commands = 0;
  std::uint64_t commits = 0;
  std::uint64_t failed_commands = 0;
};

class Ledger {
 public:
  using Command = std::function<Status(WriteTxn&)>;
  using Done = std::function<void(Status)>;

  // Opens (creating if needed) DATA_DIR/sunbid.db and brings its schema up to
  // the newest migration. The data directory is kept at mode 0700 and the
  // database with its WAL and shared-memory files at 0600 (they hold
  // personal data, salts and bids being revealed); DATA_DIR/digest.key is
  // created (0600) when absent. Refuses a file that is not a sunbid database, or
  // whose schema version is newer than the binary's, leaving it untouched.
  static Result<std::unique_ptr<Ledger>> open(LedgerOptions options);

  // Checks an existing database file without changing it: the same checks as
  // open() (a sunbid database; schema not newer than `binary_version`).
  static Result<std::int64_t> check_file(const std::filesystem::path& db_file,
                                         std::int64_t binary_version);

  ~Ledger();  // drains the queue, stops the writer and the checkpointer
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Queues a command. `done` runs on the writer thread once the command's
  // batch is durable (OK) or the command was refused or failed (its error);
  // it must not block.
  void submit(Command command, Done done);
  std::future<Status> submit(Command command);
  // Submits and waits.
  Status execute(Command command) { return submit(std::move(command)).get(); }

  // Runs `fn` on the writer thread inside the command's savepoint and returns
  // its value once durable.
  template <class T>
  Result<T> run(std::function<Result<T>(WriteTxn&)> fn) {
    std::optional<T> out;
    Status st = execute([&](WriteTxn& txn) -> Status {
      auto r = fn(txn);
      if (!r.ok()) return std::move(r).error();
      out.emplace(std::move(r).value());
      return {};
    });
    if (!st.ok()) return std::move(st).error();
    return std::move(*out);
  }

  // A new read-only connection for a reader thread (short read transactions).
  Result<Database> open_reader() const;

  // A read-only connection borrowed from the ledger's pool (a new one when
  // none is idle), given back when the lease ends: the one pool of reader
  // connections for every module and the server. At most 64 idle
  // connections are kept. REQUIRES: the lease ends before the ledger.
  class ReaderLease {
   public:
    ReaderLease(ReaderLease&& o) noexcept : ledger_(o.ledger_), db_(std::move(o.db_)) {}
    ReaderLease& operator=(ReaderLease&&) = delete;
    ~ReaderLease();
    Database& db() { return *db_; }

   private:
    friend class Ledger;
    ReaderLease(const Ledger& l, std::unique_ptr<Database> db) : ledger_(&l), db_(std::move(db)) {}
    const Ledger* ledger_;
    std::unique_ptr<Database> db_;
  };
  Result<ReaderLease> reader() const;

  // Stops accepting commands, finishes those queued, writes a final
  // checkpoint covering the whole log, joins the threads.
  void stop();

  struct LogInfo {
    std::uint64_t size = 0;
    Hash root{};
  };
  // The log as of the last durable commit.
  LogInfo committed_log() const;
  // The C2SP verifier key of the log's signing key.
  const std::string& verifier_key() const;
  // The server digest key (digest_key.h): opens per-entry source digests.
  const DigestKey& digest_key() const;
  // Signs and stores a checkpoint of the committed log now (if it grew since
  // the last one) and waits until it is durable.
  Status publish_checkpoint();

  // Non-empty once the writer has stopped for good (fail-stop).
  std::optional<Error> failure() const;
  LedgerStats stats() const;
  std::int64_t schema_version() const { return schema_version_; }
  const std::filesystem::path& db_path() const { return db_path_; }

 private:
  struct Impl;
  Ledger(std::unique_ptr<Impl> impl, std::filesystem::path db_path, std::int64_t version);

  Status publish_checkpoint_internal();

  std::unique_ptr<Impl> impl_;
  std::filesystem::path db_path_;
  std::int64_t schema_version_;
};

// What a command sees: the writer's connection inside its savepoint, the
// clock, and the audit log (pending head of the current batch).
// In-memory state a module derives from the database on the writer thread
// (an index of recent rows, say), kept by the ledger from command to command.
// It must be rebuildable from the database at any time: the ledger drops it
// whenever a command that created or changed it is rolled back (refused, or
// its batch failed), so it never holds a change the database does not.
class WriterState {
 public:
  virtual ~WriterState() = default;
};

// The writer's states, one per type; writer thread only.
class WriterStates {
 public:
  WriterState* find(std::type_index type) const;
  // Installs (replacing) the state of `type`; marks it changed by the
  // current command.
  WriterState& put(std::type_index type, std::unique_ptr<WriterState> state);
  // Marks the existing state of `type` as about to be changed by the current
  // command.
  void touch(std::type_index type);
  // After each command: keeps (ok) or drops (rolled back) what it changed.
  void command_ended(bool rolled_back);
  void drop_all();

 private:
  std::unordered_map<std::type_index, std::unique_ptr<WriterState>> states_;
  std::vector<std::type_index> touched_;
};

class WriteTxn {
 public:
  WriteTxn(Database& db, LogHead& head, const Clock& clock, WriterStates* states = nullptr,
           const DigestKey* digest_key = nullptr)
      : db_(db),
        head_(head),
        clock_(clock),
        states_(states ? states : &own_states_),
        digest_key_(digest_key) {}
  Database& db() { return db_; }

  // The ledger's in-memory state of type T, or nullptr when there is none
  // (never built, or dropped after a rollback): reading it changes nothing.
  template <class T>
  T* state() const {
    return static_cast<T*>(states_->find(typeid(T)));
  }
  // Installs T, built by the caller from the database, as changed by this
  // command.
  template <class T>
  T& put_state(std::unique_ptr<T> state) {
    return static_cast<T&>(states_->put(typeid(T), std::move(state)));
  }
  // Call before changing an existing state in a command.
  template <class T>
  T& state_for_update() {
    states_->touch(typeid(T));
    return *state<T>();
  }
  std::int64_t now_ms() const { return clock_.now_ms(); }

  // Appends one entry in this command's savepoint; returns its index. A
  // draft withheld (release_at_ms) gets a fresh `payload.blind`; a draft
  // with `source_address` gets its per-entry source digest
  // (entry_format.h). Error `internal_error` for a source address without a
  // digest key.
  Result<std::uint64_t> append(const EntryDraft& draft);
  // A salted digest of a personal value (name, phone, owner key) for use in
  // entries; `scope` is the tender id (or "" for platform-wide records),
  // within which the same value keeps its salt (so one owner's ballots
  // link). Network addresses in `source` use EntryDraft::source_address
  // instead (a salt per entry); this digest of an address is for private
  // tables only (the bid store's same-address check).
  Result<std::string> personal_digest(std::string_view kind, std::string_view value,
                                      std::string_view scope);
  // Entries in the log including those appended so far in this batch.
  std::uint64_t log_size() const { return head_.size; }

 private:
  Database& db_;
  LogHead& head_;
  const Clock& clock_;
  WriterStates own_states_;
  WriterStates* states_;
  const DigestKey* digest_key_;
};

// The file name of the database inside a data directory.
inline std::filesystem::path database_file(const std::filesystem::path& data_dir) {
  return data_dir / "sunbid.db";
}

// The log's Ed25519 signing key inside a data directory (mode 0600).
inline std::filesystem::path signing_key_file(const std::filesystem::path& data_dir) {
  return data_dir / "log-signing.key";
}

// sunbid's SQLite application_id ("SUNB"), set on every sunbid database.
inline constexpr std::int64_t kApplicationId = 0x53554E42;

}  // namespace sunbid::audit
