// The access record (访问记录): logins and logouts, kept off the public log
// (docs/access-record.md). Their timing next to the stubs of sealed bids
// would tell who bid (security review A4), so they go to a hash-chained
// table that supervisors read, and only its head is committed, once a China
// day, in a public entry.
//
// Table (migration 17, accounts_migrations()):
//   access_record(seq, time_ms, record, hash)  append-only (triggers)
//   access_record_commits(day, seq, head, log_index)  one per China day
//
// A record is the canonical JSON of
//   {"account", "event" ("session.created" | "session.closed"),
//    "expires_ms" (created only), "prev", "role", "seq", "source", "time"}
// where prev is the hex SHA-256 of the previous record's bytes (64 zeros for
// seq 0) and source the platform-wide salted digest of the address (null
// without one). Head = SHA-256 of the newest record's bytes.
//
// Thread-safety: the write functions run on the ledger's writer thread inside
// a WriteTxn; the readers on a connection the calling thread owns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"

namespace sunbid::accounts {

struct AccessEvent {
  std::string event;  // "session.created" or "session.closed"
  std::string account;
  std::string role;
  std::optional<std::string> client_address;
  std::optional<std::int64_t> expires_ms;
};

// Appends one record; returns its seq. Writes no audit entry.
Result<std::uint64_t> append_access_record(audit::WriteTxn& txn, const AccessEvent& event);

// The China (UTC+8) date of an instant, "YYYY-MM-DD", and the instant its
// day starts.
std::string china_date(std::int64_t ms);
std::int64_t china_day_start_ms(std::int64_t ms);

// Commits the head of the record as it stood at the end of the last China
// day that has ended by `now_ms` (the newest record before that day's 24:00),
// in the public entry "access_record.committed" {"day", "head_sha256"}, once
// per day; nothing when that day is committed already or the record was
// empty then. Returns whether an entry was appended.
Result<bool> commit_access_record_day(audit::WriteTxn& txn, std::int64_t now_ms);

// The last committed day, or nullopt.
Result<std::optional<std::string>> last_committed_day(audit::Database& db);

struct AccessRecordItem {
  std::uint64_t seq = 0;
  std::string record;  // exact canonical bytes
  Hash hash{};
};
struct AccessRecordPage {
  std::vector<AccessRecordItem> items;
  std::uint64_t size = 0;  // records in all
  Hash head{};             // of the whole record (zeros when empty)
};
// Records [start, start + limit), oldest first.
Result<AccessRecordPage> read_access_record(audit::Database& db, std::uint64_t start,
                                            std::uint64_t limit);

// Checks the chain of records [0, size): each record's prev and seq, and
// returns the head. Error `access_record_corrupt` naming the record.
Result<Hash> verify_access_record(audit::Database& db);

}  // namespace sunbid::accounts
