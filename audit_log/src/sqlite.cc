#include "audit_log/sqlite.h"

#include <sqlite3.h>

#include <fmt/format.h>

namespace sunbid::audit {

namespace {

Error storage_error(std::string_view what, std::string_view sql) {
  return make_error(kStorageError,
                    fmt::format("数据库错误 / database error: {} (SQL: {})", what, sql));
}

}  // namespace

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = std::move(other.sql_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

// Bind errors (out-of-range index, out of memory) are programming errors or
// resource exhaustion; they surface at step(), where SQLite reports them
// again with the statement's message.
Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> bytes) {
  // A zero-length blob must still be a blob, not NULL.
  static const std::uint8_t kEmpty = 0;
  sqlite3_bind_blob64(stmt_, index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Error Statement::error(int rc) const {
  sqlite3* db = sqlite3_db_handle(stmt_);
  return storage_error(fmt::format("{} ({})", sqlite3_errmsg(db), sqlite3_errstr(rc)), sql_);
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = error(rc);
  sqlite3_reset(stmt_);
  return e;
}

Status Statement::run() {
  auto r = step();
  if (!r.ok()) {
    reset();
    return std::move(r).error();
  }
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string_view Statement::column_text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::span<const std::uint8_t> Statement::column_blob(int col) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

// ---- Database ----

Result<Database> Database::open(const std::filesystem::path& file, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  switch (mode) {
    case Mode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case Mode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return make_error(kStorageError, fmt::format("无法打开数据库 / cannot open database {}: {}",
                                                 file.string(), msg));
  }
  sqlite3_extended_result_codes(db, 1);
  // Readers and the writer may briefly contend (WAL checkpoints); wait rather
  // than fail.
  sqlite3_busy_timeout(db, 5000);
  return Database(db, file);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    cache_.clear();
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Database::~Database() {
  cache_.clear();  // statements are finalized before the connection closes
  sqlite3_close_v2(db_);
}

Error Database::error(std::string_view sql) const {
  return storage_error(sqlite3_errmsg(db_), sql);
}

Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string what = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    return storage_error(what, sql);
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return error(sql);
  return Statement(stmt, std::string(sql));
}

Result<Statement*> Database::cached(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end()) {
    it->second->reset();
    return it->second.get();
  }
  SUNBID_ASSIGN_OR_RETURN(Statement stmt, prepare(sql));
  auto owned = std::make_unique<Statement>(std::move(stmt));
  Statement* raw = owned.get();
  cache_.emplace(std::string(sql), std::move(owned));
  return raw;
}

Result<std::int64_t> Database::query_int64(std::string_view sql) {
  SUNBID_ASSIGN_OR_RETURN(Statement stmt, prepare(sql));
  SUNBID_ASSIGN_OR_RETURN(bool row, stmt.step());
  if (!row) return storage_error("query returned no row", sql);
  return stmt.column_int64(0);
}

Result<std::vector<std::string>> Database::query_strings(
    std::string_view sql, std::initializer_list<std::string_view> params) {
  SUNBID_ASSIGN_OR_RETURN(Statement * stmt, cached(sql));
  int index = 1;
  for (const std::string_view p : params) stmt->bind(index++, p);
  std::vector<std::string> out;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) {
      stmt->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    out.emplace_back(stmt->column_text(0));
  }
  stmt->reset();
  return out;
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

}  // namespace sunbid::audit
