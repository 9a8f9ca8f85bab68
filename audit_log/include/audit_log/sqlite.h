// A thin RAII wrapper over SQLite 3: connections and prepared statements with
// typed bind/column, and errors that carry the SQL and SQLite's message.
//
// Only prepared statements reach the database (no string-built SQL with
// values in it); `exec` is for fixed DDL and pragmas.
//
// Thread-safety: one thread at a time per Database and per Statement (SQLite
// is built serialized here, but sunbid gives each thread its own connection).
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit_log/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sunbid::audit {

// Error code used for every storage failure.
inline constexpr const char* kStorageError = "storage_error";

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3_stmt* stmt, std::string sql) : stmt_(stmt), sql_(std::move(sql)) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text and blobs are copied.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, std::span<const std::uint8_t> bytes);
  Statement& bind_null(int index);

  // Advances: true when a row is available, false when done.
  Result<bool> step();
  // Steps to completion (for statements that return no rows) and resets.
  Status run();
  // Clears bindings and rewinds, ready for reuse.
  void reset();

  // Columns are 0-based. Views are valid until the next step/reset.
  std::int64_t column_int64(int col) const;
  std::string_view column_text(int col) const;
  std::span<const std::uint8_t> column_blob(int col) const;
  bool column_is_null(int col) const;

  const std::string& sql() const { return sql_; }

 private:
  Error error(int rc) const;

  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

class Database {
 public:
  enum class Mode {
    kReadWriteCreate,  // create the file if missing
    kReadWrite,        // the file must exist
    kReadOnly,         // never writes, never migrates (the verifier, readers)
  };

  static Result<Database> open(const std::filesystem::path& file, Mode mode);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more SQL statements without parameters (DDL, pragmas).
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  // A statement prepared once per connection and reused; returned reset.
  // The pointer stays valid for the life of the connection.
  Result<Statement*> cached(std::string_view sql);

  // Runs a query expected to yield exactly one integer (e.g. a pragma).
  Result<std::int64_t> query_int64(std::string_view sql);

  // Runs a cached query with text parameters (bound in order, 1-based) and
  // returns its first column of every row as text, in row order (NULL reads
  // as ""). REQUIRES: the query yields at least one column.
  Result<std::vector<std::string>> query_strings(std::string_view sql,
                                                 std::initializer_list<std::string_view> params);

  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  Error error(std::string_view sql) const;

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// A read transaction on a connection: BEGIN on construction, COMMIT (a read
// transaction has nothing to write) when it goes out of scope, on every
// path. Every query inside sees one snapshot of the database.
class ReadTxn {
 public:
  explicit ReadTxn(Database& db) : db_(db), begun_(db.exec("BEGIN")) {}
  ~ReadTxn() {
    if (begun_.ok()) (void)db_.exec("COMMIT");
  }
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;

  // Whether BEGIN succeeded; check it before reading.
  const Status& begun() const { return begun_; }
  Database& db() { return db_; }

 private:
  Database& db_;
  Status begun_;
};

}  // namespace sunbid::audit
