#include "audit_log/ledger.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "audit_log/checkpoint.h"
#include "audit_log/log_store.h"
#include "log_writer.h"

namespace sunbid::audit {

namespace {

Error stopped_error(const Error& cause) {
  return make_error("ledger_stopped",
                    "账本已停止写入 / the ledger has stopped writing: " + cause.message,
                    {{"cause", cause.code}});
}

constexpr const char* kSchemaMigrationsDdl =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))";

}  // namespace

WriterState* WriterStates::find(std::type_index type) const {
  auto it = states_.find(type);
  return it == states_.end() ? nullptr : it->second.get();
}

WriterState& WriterStates::put(std::type_index type, std::unique_ptr<WriterState> state) {
  touched_.push_back(type);
  auto& slot = states_[type];
  slot = std::move(state);
  return *slot;
}

void WriterStates::touch(std::type_index type) { touched_.push_back(type); }

void WriterStates::command_ended(bool rolled_back) {
  if (rolled_back) {
    for (const auto& t : touched_) states_.erase(t);
  }
  touched_.clear();
}

void WriterStates::drop_all() {
  states_.clear();
  touched_.clear();
}

Result<std::uint64_t> WriteTxn::append(const EntryDraft& draft) {
  if (!draft.source_address) return append_entry(db_, head_, draft, clock_.now_ms());
  if (digest_key_ == nullptr) {
    return make_error("internal_error", "没有摘要密钥 / no digest key for a source address");
  }
  constexpr std::string_view kKind = "network_address";
  // The value is kept once per (scope, kind); the entry's digest has a salt
  // of its own, so that nobody can link two entries by their source.
  SUNBID_TRY(personal_digest(kKind, *draft.source_address, draft.source_scope));
  std::string source = digest_key_->entry_digest(head_.size, kKind, *draft.source_address);
  return append_entry(db_, head_, draft, clock_.now_ms(), source);
}

namespace {

// Digests of personal values already in personal_data (rows are never
// changed or deleted), so that an actor's address digest is a hash lookup.
struct DigestCache : WriterState {
  std::unordered_map<std::string, std::string> digests;
};
constexpr std::size_t kDigestCacheMax = 1 << 16;

}  // namespace

Result<std::string> WriteTxn::personal_digest(std::string_view kind, std::string_view value,
                                              std::string_view scope) {
  // Length-prefixed: no choice of separator could be confused with a value.
  std::string key = fmt::format("{}:{}{}:{}{}", kind.size(), kind, scope.size(), scope, value);
  DigestCache* cache = state<DigestCache>();
  if (cache) {
    if (auto it = cache->digests.find(key); it != cache->digests.end()) return it->second;
  }
  SUNBID_ASSIGN_OR_RETURN(std::string digest, audit::personal_digest(db_, kind, value, scope));
  // Touched: a row this command created goes with a rollback of it.
  cache = cache ? &state_for_update<DigestCache>() : &put_state(std::make_unique<DigestCache>());
  if (cache->digests.size() >= kDigestCacheMax) cache->digests.clear();
  cache->digests.emplace(std::move(key), digest);
  return digest;
}

struct Ledger::Impl {
  LedgerOptions options;
  // Idle reader connections (Ledger::reader).
  std::mutex readers_mu;
  std::vector<std::unique_ptr<Database>> idle_readers;  // guarded by readers_mu
  Database writer;
  std::filesystem::path db_path;
  SystemClock system_clock;
  const Clock* clock;
  SigningKey key;
  std::string verifier_key;
  DigestKey digest_key;

  // The log's head: `pending` is advanced by commands on the writer thread;
  // `committed` is copied from it after each successful COMMIT.
  LogHead pending;
  WriterStates states;  // writer thread only
  mutable std::mutex head_mu;
  LogHead committed;         // guarded by head_mu
  std::uint64_t published = 0;  // size of the newest stored checkpoint; guarded by head_mu

  // Checkpoint publisher: signs off the writer's critical path.
  std::condition_variable publish_cv;
  bool publish_stop = false;  // guarded by head_mu
  std::thread publisher_thread;

  std::mutex mu;
  std::condition_variable cv;
  struct Pending {
    Command command;
    Done done;
  };
  std::deque<Pending> queue;
  std::size_t queued_at_commit = 0;  // queue length when the last batch committed; guarded by mu
  static constexpr std::size_t kSiblings = 8;
  bool stopping = false;  // the writer exits once the queue is empty
  bool closing = false;   // stop() has begun: only internal commands are queued
  std::mutex stop_mu;
  std::optional<Error> failure;  // guarded by mu once the writer runs

  // Queues a command even while closing (the final barrier and checkpoint).
  Status enqueue_internal_and_wait(Command command) {
    auto promise = std::make_shared<std::promise<Status>>();
    auto future = promise->get_future();
    {
      std::lock_guard lock(mu);
      if (failure) return stopped_error(*failure);
      if (stopping) return make_error("ledger_stopped", "账本已关闭 / the ledger has stopped");
      queue.push_back({std::move(command), [promise](Status st) { promise->set_value(std::move(st)); }});
    }
    cv.notify_one();
    return future.get();
  }

  std::atomic<std::uint64_t> commands{0};
  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> failed_commands{0};

  // Background WAL checkpointer: keeps checkpoints off the request path.
  std::mutex ckpt_mu;
  std::condition_variable ckpt_cv;
  bool ckpt_wanted = false;
  bool ckpt_stop = false;
  std::thread writer_thread;
  std::thread checkpointer_thread;

  Impl(LedgerOptions opts, Database db, std::filesystem::path path, SigningKey k, DigestKey dk,
       LogHead head, std::uint64_t published_size)
      : options(std::move(opts)),
        writer(std::move(db)),
        db_path(std::move(path)),
        clock(options.clock ? options.clock : &system_clock),
        key(std::move(k)),
        verifier_key(key.verifier_key()),
        digest_key(std::move(dk)),
        pending(head),
        committed(std::move(head)),
        published(published_size) {}

  // Signs a checkpoint of `head` (no lock needed: `head` is a copy).
  StoredCheckpoint sign(const LogHead& head) const {
    StoredCheckpoint c;
    c.tree_size = head.size;
    c.root = head.frontier.root();
    c.note = key.sign_note(format_checkpoint_body({options.log_origin, c.tree_size, c.root}));
    c.signed_at_ms = clock->now_ms();
    return c;
  }

  void publisher_loop(Ledger* ledger) {
    auto last = std::chrono::steady_clock::now() - options.checkpoint_interval;
    for (;;) {
      {
        std::unique_lock lock(head_mu);
        publish_cv.wait(lock, [&] { return publish_stop || committed.size > published; });
        if (publish_stop) return;
      }
      // At most one checkpoint per interval.
      auto next = last + options.checkpoint_interval;
      {
        std::unique_lock lock(head_mu);
        if (publish_cv.wait_until(lock, next, [&] { return publish_stop; })) return;
      }
      last = std::chrono::steady_clock::now();
      if (!ledger->publish_checkpoint().ok()) return;  // the writer has stopped
    }
  }

  void fail_stop(Error cause) {
    std::lock_guard lock(mu);
    if (!failure) failure = std::move(cause);
  }

  std::optional<Error> current_failure() {
    std::lock_guard lock(mu);
    return failure;
  }

  // Runs fixed transaction-control SQL through cached statements.
  Status control(std::string_view sql) {
    SUNBID_ASSIGN_OR_RETURN(Statement * stmt, writer.cached(sql));
    return stmt->run();
  }

  // Best-effort rollback on a path that already fails the batch: its own
  // error adds nothing, since the writer stops either way.
  void abandon() { (void)control("ROLLBACK"); }

  // A batch first runs without savepoints: SAVEPOINT/RELEASE around every
  // command copied each page a command touched into the sub-journal again,
  // a quarter of the writer's time. A refused command that wrote nothing
  // (the usual refusal: checks come before writes) needs no rollback. One
  // that wrote and then failed cannot be undone alone: the transaction is
  // rolled back and the batch runs again, each command in its savepoint.
  // Commands are functions of their inputs and the database (their effects
  // outside it happen in `done`), so running one again before its batch is
  // durable is safe.
  void run_batch(std::vector<Pending>& batch) {
    if (!execute_batch(batch, false)) (void)execute_batch(batch, true);
  }

  // False when the batch must run again with savepoints (nothing of it was
  // kept and nobody was completed); true when every command was completed.
  bool execute_batch(std::vector<Pending>& batch, bool savepoints) {
    std::vector<Status> results(batch.size());
    std::uint64_t refused = 0;
    auto fail_all = [&](const Error& cause) {
      fail_stop(cause);
      Error e = stopped_error(cause);
      for (auto& p : batch) p.done(e);
      return true;
    };

    if (Status st = control("BEGIN IMMEDIATE"); !st.ok()) return fail_all(st.error());
    const LogHead batch_start = pending;
    WriteTxn txn(writer, pending, *clock, &states, &digest_key);
    auto fail_all_restore = [&](const Error& cause) {
      pending = batch_start;
      states.drop_all();  // they may hold changes of the batch's commands
      return fail_all(cause);
    };
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const LogHead before = pending;
      const sqlite3_int64 changes_before = sqlite3_total_changes64(writer.handle());
      if (savepoints) {
        if (Status st = control("SAVEPOINT cmd"); !st.ok()) {
          abandon();
          return fail_all_restore(st.error());
        }
      }
      Status result;
      try {
        result = batch[i].command(txn);
      } catch (const std::exception& e) {
        result = make_error("internal_error", fmt::format("内部错误 / internal error: {}", e.what()));
      }
      if (sqlite3_get_autocommit(writer.handle()) != 0) {
        // SQLite rolled the whole transaction back by itself (I/O error, disk
        // full): earlier commands of the batch are gone too. Stop.
        Error cause = result.ok() ? make_error(kStorageError, "transaction rolled back by SQLite")
                                  : result.error();
        return fail_all_restore(cause);
      }
      if (result.ok()) {
        if (savepoints) {
          if (Status st = control("RELEASE cmd"); !st.ok()) {
            abandon();
            return fail_all_restore(st.error());
          }
        }
        states.command_ended(false);
      } else if (!savepoints && (sqlite3_total_changes64(writer.handle()) != changes_before ||
                                 pending.size != before.size)) {
        // Refused after writing: only a savepoint could undo it alone.
        if (Status st = control("ROLLBACK"); !st.ok()) {
          return fail_all_restore(st.error());
        }
        pending = batch_start;
        states.drop_all();
        return false;
      } else {
        pending = before;  // the command's entries were rolled back with it
        states.command_ended(true);
        if (savepoints) {
          Status st = control("ROLLBACK TO cmd");
          if (st.ok()) st = control("RELEASE cmd");
          if (!st.ok()) {
            abandon();
            return fail_all_restore(st.error());
          }
        }
        ++refused;
      }
      results[i] = std::move(result);
    }

    if (options.faults != nullptr && options.faults->fail_commit()) {
      abandon();
      return fail_all_restore(make_error(kStorageError, "提交失败（注入） / commit failed (injected)"));
    }
    if (Status st = control("COMMIT"); !st.ok()) {
      // Never retry: after a failed fsync the file's state is unknown.
      if (sqlite3_get_autocommit(writer.handle()) == 0) abandon();
      return fail_all_restore(st.error());
    }
    commits.fetch_add(1, std::memory_order_relaxed);
    commands.fetch_add(batch.size(), std::memory_order_relaxed);
    {
      std::lock_guard lock(mu);
      queued_at_commit = queue.size();
    }
    failed_commands.fetch_add(refused, std::memory_order_relaxed);
    {
      // Durable: the derived in-memory state may advance now.
      std::lock_guard lock(head_mu);
      bool grew = pending.size > committed.size;
      committed = pending;
      if (grew) publish_cv.notify_one();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
    return true;
  }

  void writer_loop() {
    std::vector<Pending> batch;
    for (;;) {
      const std::size_t last_batch = batch.size();
      batch.clear();
      std::optional<Error> failed;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return !queue.empty() || stopping; });
        if (queue.empty()) break;  // stopping, and nothing left
        // Group commit delay: a commit costs about as much as a dozen bids,
        // and callers that wait for their acknowledgement before sending
        // again split into two halves that commit in turn. Under load (the
        // last batch and those queued behind it were at least kSiblings)
        // wait up to commit_delay for as many commands again, so that they
        // share one commit; a lone caller never waits.
        const std::size_t expected =
            std::min(last_batch + queued_at_commit, options.max_batch);
        if (options.commit_delay.count() > 0 && expected >= kSiblings &&
            queue.size() < expected) {
          cv.wait_for(lock, options.commit_delay,
                      [&] { return queue.size() >= expected || stopping; });
        }
        std::size_t n = std::min(queue.size(), options.max_batch);
        for (std::size_t i = 0; i < n; ++i) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
        failed = failure;
      }
      if (failed) {
        Error e = stopped_error(*failed);
        for (auto& p : batch) p.done(e);
        continue;
      }
      run_batch(batch);
    }
  }

  static int on_wal(void* arg, sqlite3*, const char*, int pages) {
    auto* self = static_cast<Impl*>(arg);
    if (pages >= self->options.wal_checkpoint_pages) {
      std::lock_guard lock(self->ckpt_mu);
      self->ckpt_wanted = true;
      self->ckpt_cv.notify_one();
    }
    return SQLITE_OK;
  }

  void checkpointer_loop(Database db) {
    for (;;) {
      {
        std::unique_lock lock(ckpt_mu);
        ckpt_cv.wait_for(lock, std::chrono::seconds(1), [&] { return ckpt_wanted || ckpt_stop; });
        if (ckpt_stop) break;
        ckpt_wanted = false;
      }
      int rc = sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                         nullptr);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
        // A failed checkpoint means a failed write or fsync of the main file.
        fail_stop(make_error(kStorageError,
                             fmt::format("WAL 检查点失败 / WAL checkpoint failed: {}",
                                         sqlite3_errmsg(db.handle()))));
        break;
      }
    }
    sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
};

Ledger::Ledger(std::unique_ptr<Impl> impl, std::filesystem::path db_path, std::int64_t version)
    : impl_(std::move(impl)), db_path_(std::move(db_path)), schema_version_(version) {}

Result<std::int64_t> Ledger::check_file(const std::filesystem::path& db_file,
                                        std::int64_t binary_version) {
  std::error_code ec;
  if (!std::filesystem::exists(db_file, ec) || std::filesystem::file_size(db_file, ec) == 0) {
    return std::int64_t{0};
  }
  auto not_sunbid = [&](std::string_view why) {
    return make_error("not_a_sunbid_database",
                      fmt::format("{} 不是 sunbid 数据库 / {} is not a sunbid database: {}",
                                  db_file.string(), db_file.string(), why),
                      {{"file", db_file.string()}});
  };
  SUNBID_ASSIGN_OR_RETURN(Database db, Database::open(db_file, Database::Mode::kReadOnly));
  auto app_id = db.query_int64("PRAGMA application_id");
  if (!app_id.ok()) return not_sunbid(app_id.error().message);
  SUNBID_ASSIGN_OR_RETURN(std::int64_t version, db.query_int64("PRAGMA user_version"));
  if (*app_id != kApplicationId) {
    SUNBID_ASSIGN_OR_RETURN(std::int64_t tables,
                            db.query_int64("SELECT count(*) FROM sqlite_master"));
    if (*app_id != 0 || tables != 0 || version != 0)
      return not_sunbid(fmt::format("application_id {:#x}", *app_id));
    return std::int64_t{0};  // an empty SQLite file: treated as new
  }
  if (version > binary_version) {
    return make_error(
        "schema_too_new",
        fmt::format("数据库 {} 的结构版本 {} 高于本程序支持的版本 {} / database {} has schema "
                    "version {}, newer than this binary's version {}",
                    db_file.string(), version, binary_version, db_file.string(), version,
                    binary_version),
        {{"file", db_file.string()}, {"file_version", version}, {"binary_version", binary_version}});
  }
  return version;
}

namespace {

// The data directory 0700; the database, its WAL and shared-memory files
// 0600. A new database file is created here with 0600 before SQLite opens it
// (SQLite gives the -wal and -shm files the database file's mode); files of
// an older installation are tightened.
Status restrict_file_modes(const std::filesystem::path& dir, const std::filesystem::path& db_file) {
  auto fail = [](const std::filesystem::path& p, int err) {
    return make_error(kStorageError,
                      fmt::format("无法设置文件权限 / cannot restrict the mode of {}: {}",
                                  p.string(), std::strerror(err)));
  };
  if (::chmod(dir.c_str(), 0700) != 0) return fail(dir, errno);
  int fd = ::open(db_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail(db_file, errno);
  ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::path p = db_file.string() + suffix;
    if (::chmod(p.c_str(), 0600) != 0 && errno != ENOENT) return fail(p, errno);
  }
  return {};
}

Status apply_migrations(Database& db, const std::vector<Migration>& migrations,
                        std::int64_t& version) {
  SUNBID_TRY(db.exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> Status {
    SUNBID_TRY(db.exec(kSchemaMigrationsDdl));
    SUNBID_ASSIGN_OR_RETURN(std::int64_t current, db.query_int64("PRAGMA user_version"));
    // A migration numbered below the file's version that the file never
    // recorded would be skipped for good: refuse instead of guessing.
    SUNBID_ASSIGN_OR_RETURN(Statement recorded,
                            db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
    for (const Migration& m : migrations) {
      if (m.version > current) break;
      recorded.bind(1, std::int64_t{m.version});
      SUNBID_ASSIGN_OR_RETURN(bool found, recorded.step());
      recorded.reset();
      if (!found) {
        return make_error("migration_missing",
                          fmt::format("数据库缺少迁移 {} ({})，但其版本已是 {} / the database is at "
                                      "version {} but never applied migration {} ({})",
                                      m.version, m.name, current, current, m.version, m.name));
      }
    }
    for (const Migration& m : migrations) {
      if (m.version <= current) continue;
      if (Status st = db.exec(m.sql); !st.ok()) {
        return make_error("migration_failed",
                          fmt::format("迁移 {} ({}) 失败 / migration {} ({}) failed: {}", m.version,
                                      m.name, m.version, m.name, st.error().message));
      }
      SUNBID_ASSIGN_OR_RETURN(
          Statement rec, db.prepare("INSERT INTO schema_migrations(version, name) VALUES (?, ?)"));
      rec.bind(1, std::int64_t{m.version}).bind(2, m.name);
      SUNBID_TRY(rec.run());
      current = m.version;
    }
    // Pragmas take no bound parameters; the values are integers we produced.
    SUNBID_TRY(db.exec(fmt::format("PRAGMA user_version = {}", current)));
    SUNBID_TRY(db.exec(fmt::format("PRAGMA application_id = {}", kApplicationId)));
    version = current;
    return {};
  };
  Status st = body();
  if (!st.ok()) {
    (void)db.exec("ROLLBACK");  // the migration's own error is the one to report
    return st;
  }
  return db.exec("COMMIT");
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::open(LedgerOptions options) {
  {
    std::vector<Migration> all = audit_log_migrations();
    all.insert(all.end(), options.migrations.begin(), options.migrations.end());
    options.migrations = std::move(all);
  }
  std::sort(options.migrations.begin(), options.migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  std::int64_t binary_version = 0;
  for (std::size_t i = 0; i < options.migrations.size(); ++i) {
    const Migration& m = options.migrations[i];
    if (m.version <= 0 || (i > 0 && options.migrations[i - 1].version == m.version)) {
      return make_error("invalid_migrations",
                        fmt::format("迁移编号无效或重复 / migration version {} is invalid or "
                                    "duplicated",
                                    m.version));
    }
    binary_version = m.version;
  }

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return make_error(kStorageError,
                      fmt::format("无法创建数据目录 / cannot create data directory {}: {}",
                                  options.data_dir.string(), ec.message()));
  }
  std::filesystem::path db_file = database_file(options.data_dir);
  // Every check happens before anything is written to the file.
  SUNBID_TRY(check_file(db_file, binary_version));
  SUNBID_TRY(restrict_file_modes(options.data_dir, db_file));

  SUNBID_ASSIGN_OR_RETURN(Database db, Database::open(db_file, Database::Mode::kReadWriteCreate));
  {
    SUNBID_ASSIGN_OR_RETURN(Statement mode, db.prepare("PRAGMA journal_mode=WAL"));
    SUNBID_ASSIGN_OR_RETURN(bool row, mode.step());
    if (!row || mode.column_text(0) != "wal") {
      return make_error(kStorageError, fmt::format("无法启用 WAL / cannot enable WAL on {}",
                                                   db_file.string()));
    }
  }
  SUNBID_TRY(db.exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0"));
  // Each command runs in its own SAVEPOINT, whose sub-journal (the pages'
  // contents before the command) once past 64 KiB spills to a temporary
  // file and is then never truncated within the batch: every page a command
  // touches became a pwrite. In memory it is a memcpy. The sub-journal only
  // serves ROLLBACK TO inside the open transaction; crash recovery uses the
  // WAL alone, so durability is unchanged.
  SUNBID_TRY(db.exec("PRAGMA temp_store=MEMORY"));
  // The writer's page cache: every command reads the B-tree pages of the
  // tables it touches; with SQLite's default 2 MiB most of them became a
  // pread once the tables outgrew it. The cache fills only as pages are read.
  SUNBID_TRY(db.exec("PRAGMA cache_size=-65536"));
  std::int64_t version = 0;
  SUNBID_TRY(apply_migrations(db, options.migrations, version));

  SUNBID_ASSIGN_OR_RETURN(Database ckpt_db, Database::open(db_file, Database::Mode::kReadWrite));
  SUNBID_TRY(ckpt_db.exec("PRAGMA synchronous=FULL"));

  SUNBID_ASSIGN_OR_RETURN(LogHead head, load_log_head(db));
  SUNBID_ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, latest_checkpoint(db));
  SUNBID_ASSIGN_OR_RETURN(
      SigningKey key,
      SigningKey::load_or_create(signing_key_file(options.data_dir), options.log_origin));
  SUNBID_ASSIGN_OR_RETURN(DigestKey digest_key,
                          DigestKey::load_or_create(digest_key_file(options.data_dir)));

  auto impl = std::make_unique<Impl>(std::move(options), std::move(db), db_file, std::move(key),
                                     std::move(digest_key), std::move(head),
                                     latest ? latest->tree_size : 0);
  sqlite3_wal_hook(impl->writer.handle(), &Impl::on_wal, impl.get());
  Impl* raw = impl.get();
  impl->writer_thread = std::thread([raw] { raw->writer_loop(); });
  impl->checkpointer_thread =
      std::thread([raw, c = std::move(ckpt_db)]() mutable { raw->checkpointer_loop(std::move(c)); });
  auto ledger = std::unique_ptr<Ledger>(new Ledger(std::move(impl), db_file, version));
  if (ledger->impl_->options.publish_checkpoints) {
    Ledger* self = ledger.get();
    ledger->impl_->publisher_thread = std::thread([self] { self->impl_->publisher_loop(self); });
  }
  return ledger;
}

Ledger::~Ledger() { stop(); }

void Ledger::stop() {
  std::lock_guard stop_once(impl_->stop_mu);  // stop() may be called again, e.g. by ~Ledger
  {
    std::lock_guard lock(impl_->mu);
    impl_->closing = true;  // refuse new commands from outside
  }
  {
    std::lock_guard lock(impl_->head_mu);
    impl_->publish_stop = true;
  }
  impl_->publish_cv.notify_all();
  if (impl_->publisher_thread.joinable()) impl_->publisher_thread.join();
  // A final checkpoint covering everything queued before stop(): the barrier
  // waits for the queue to drain, then the checkpoint is signed and stored.
  if (impl_->writer_thread.joinable()) {
    (void)impl_->enqueue_internal_and_wait([](WriteTxn&) -> Status { return {}; });
    if (!failure()) (void)publish_checkpoint_internal();
  }
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->writer_thread.joinable()) impl_->writer_thread.join();
  {
    std::lock_guard lock(impl_->ckpt_mu);
    impl_->ckpt_stop = true;
  }
  impl_->ckpt_cv.notify_all();
  if (impl_->checkpointer_thread.joinable()) impl_->checkpointer_thread.join();
}

void Ledger::submit(Command command, Done done) {
  std::optional<Error> refused;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->failure) {
      refused = stopped_error(*impl_->failure);
    } else if (impl_->stopping || impl_->closing) {
      refused = make_error("ledger_stopped", "账本已关闭 / the ledger is shutting down");
    } else {
      impl_->queue.push_back({std::move(command), std::move(done)});
    }
  }
  if (refused) {
    done(std::move(*refused));
    return;
  }
  impl_->cv.notify_one();
}

std::future<Status> Ledger::submit(Command command) {
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  submit(std::move(command), [promise](Status st) { promise->set_value(std::move(st)); });
  return future;
}

Result<Database> Ledger::open_reader() const {
  SUNBID_ASSIGN_OR_RETURN(Database db, Database::open(db_path_, Database::Mode::kReadOnly));
  SUNBID_TRY(db.exec("PRAGMA foreign_keys=ON"));
  return db;
}

Result<Ledger::ReaderLease> Ledger::reader() const {
  {
    std::lock_guard lock(impl_->readers_mu);
    if (!impl_->idle_readers.empty()) {
      auto db = std::move(impl_->idle_readers.back());
      impl_->idle_readers.pop_back();
      return ReaderLease(*this, std::move(db));
    }
  }
  SUNBID_ASSIGN_OR_RETURN(Database db, open_reader());
  return ReaderLease(*this, std::make_unique<Database>(std::move(db)));
}

Ledger::ReaderLease::~ReaderLease() {
  if (!db_) return;
  constexpr std::size_t kMaxIdleReaders = 64;
  std::lock_guard lock(ledger_->impl_->readers_mu);
  auto& idle = ledger_->impl_->idle_readers;
  if (idle.size() < kMaxIdleReaders) idle.push_back(std::move(db_));
}

std::optional<Error> Ledger::failure() const { return impl_->current_failure(); }

Ledger::LogInfo Ledger::committed_log() const {
  std::lock_guard lock(impl_->head_mu);
  return {impl_->committed.size, impl_->committed.frontier.root()};
}

const std::string& Ledger::verifier_key() const {
  return impl_->verifier_key;
}

const DigestKey& Ledger::digest_key() const {
  return impl_->digest_key;
}

Status Ledger::publish_checkpoint() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->closing) return make_error("ledger_stopped", "账本已关闭 / the ledger is shutting down");
  }
  return publish_checkpoint_internal();
}

Status Ledger::publish_checkpoint_internal() {
  LogHead head;
  {
    std::lock_guard lock(impl_->head_mu);
    if (impl_->committed.size <= impl_->published) return {};
    head = impl_->committed;
  }
  StoredCheckpoint c = impl_->sign(head);
  SUNBID_TRY(impl_->enqueue_internal_and_wait(
      [&c](WriteTxn& txn) -> Status { return store_checkpoint(txn.db(), c); }));
  std::lock_guard lock(impl_->head_mu);
  impl_->published = std::max(impl_->published, c.tree_size);
  return {};
}

LedgerStats Ledger::stats() const {
  return {impl_->commands.load(), impl_->commits.load(), impl_->failed_commands.load()};
}

}  // namespace sunbid::audit
