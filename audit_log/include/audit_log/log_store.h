// The audit log's storage in sunbid.db, and the reads served from it.
//
// Tables (migration 1, owned by audit_log):
//   audit_entries(idx, entry)        each entry's exact bytes; append-only
//                                    (triggers refuse UPDATE and DELETE)
//   audit_tender_entries(idx, tender, prev_idx), audit_tender_heads(tender,
//                                    last_idx, entries): each tender's entries
//                                    as a list linked backwards from its head
//   audit_withheld(idx, release_at_ms)  entries public only from that instant
//   merkle_nodes(level, idx, hash)   every perfect subtree hash (merkle.h NodeId)
//   checkpoints(tree_size, root, note, signed_at_ms)  signed C2SP notes
//   personal_data(digest, kind, scope, value, salt)   the private openings of
//                                    the salted digests entries carry
//
// Sequencing (an index is durably assigned) and integration (the tree grows)
// happen in the same savepoint as the state change that caused the entry;
// publishing (a checkpoint is signed) happens after the batch is durable.
//
// Thread-safety: the reader functions take a connection that the calling
// thread owns; they are safe for concurrent use on different connections.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/digest_key.h"
#include "audit_log/ledger.h"
#include "audit_log/merkle.h"
#include "audit_log/sqlite.h"

namespace sunbid::audit {

// The audit log's migrations; the ledger always applies them first.
std::vector<Migration> audit_log_migrations();

// A NodeReader over merkle_nodes of `db` (point reads by primary key).
NodeReader node_reader(Database& db);

struct StoredCheckpoint {
  std::uint64_t tree_size = 0;
  Hash root{};
  std::string note;  // the signed note, exactly as served
  std::int64_t signed_at_ms = 0;
};

// The newest stored checkpoint, or nullopt when none was signed yet.
Result<std::optional<StoredCheckpoint>> latest_checkpoint(Database& db);
// The stored checkpoint of exactly `tree_size`; error `checkpoint_not_found`.
Result<StoredCheckpoint> checkpoint_at(Database& db, std::uint64_t tree_size);
// Every stored checkpoint, oldest first.
Result<std::vector<StoredCheckpoint>> all_checkpoints(Database& db);

// Number of entries in the log.
Result<std::uint64_t> log_size(Database& db);

struct StoredEntry {
  std::uint64_t index = 0;
  std::string bytes;
  std::optional<std::int64_t> release_at_ms;  // set when the entry is (or was) withheld
};
// Entries [start, end) in order (end clamped to the log size).
Result<std::vector<StoredEntry>> read_entries(Database& db, std::uint64_t start, std::uint64_t end);
// The exact bytes of entry `index` (a receipt's entry, read back in the
// command that appended it); log_corrupt when it is missing.
Result<std::string> read_entry_bytes(Database& db, std::uint64_t index);

// Whether the entry is still withheld at `now_ms`: the one rule every public
// reader (the feed, the trail, the export) applies.
inline bool withheld_at(const StoredEntry& e, std::int64_t now_ms) {
  return e.release_at_ms && now_ms < *e.release_at_ms;
}

// The entry as the public sees it at `now_ms`: its exact bytes, or while it
// is withheld its stub {entry_hash, index, leaf_hash} (encode_stub), through
// which the chain and the tree still verify. The stub names no release
// instant (that would tie a bid to its tender and let anyone count the
// tender's bids, 电子招标投标办法 arts. 21, 27); the entry's blind keeps its
// hashes from being brute-forced (docs/audit-entry.md).
std::string public_form(const StoredEntry& e, std::int64_t now_ms);

// One page of the public feed: entries from `start` up to `end` (clamped to
// the log size) in public form, ending early once the items hold
// `max_bytes` (a page holds at least one entry; entries are read a few at a
// time, so one large entry beyond the bound at most is in memory).
struct PublicPage {
  std::vector<std::string> items;
  std::uint64_t log_size = 0;
  std::uint64_t next = 0;  // the index after the last item
};
// REQUIRES: start <= end.
Result<PublicPage> public_entries(Database& db, std::uint64_t start, std::uint64_t end,
                                  std::int64_t now_ms, std::size_t max_bytes);

// The indices of a tender's entries, ascending.
Result<std::vector<std::uint64_t>> tender_entry_indices(Database& db, std::string_view tender);

// The release time of an entry withheld until an event rather than an
// instant (the evaluation's committee entries, public once the decision is
// made or the tender ends): far in the future, distinct from every real
// instant and from tender_core's "deadline unknown" (INT64_MAX), and
// replaced by the event's time with release_tender_entries.
inline constexpr std::int64_t kReleaseAtEvent = std::numeric_limits<std::int64_t>::max() - 1;

// Moves the release time of every withheld entry of `tender` (the deadline
// was amended) except those withheld until an event (kReleaseAtEvent).
// Writer side: call inside a command.
Status move_tender_release(Database& db, std::string_view tender, std::int64_t release_at_ms);

// Releases at `now_ms` every entry of `tender` still withheld until exactly
// `withheld_until_ms` (kReleaseAtEvent, or an instant such as a vote
// window's close that the event came before); entries withheld until any
// other instant, and those already public, are left alone. Nothing happens
// when `withheld_until_ms <= now_ms`. Writer side: call inside the command
// whose event it is.
Status release_tender_entries(Database& db, std::string_view tender, std::int64_t withheld_until_ms,
                              std::int64_t now_ms);

// Moves to `release_at_ms` the release of every entry of `tender` still
// withheld until exactly `withheld_until_ms` (a vote window's close that a
// suspension paused or extended); others are left alone. Writer side: call
// inside the command that moves the window.
Status retime_tender_entries(Database& db, std::string_view tender, std::int64_t withheld_until_ms,
                             std::int64_t release_at_ms);

// An inclusion proof against a stored checkpoint.
struct InclusionAnswer {
  std::uint64_t index = 0;
  std::uint64_t tree_size = 0;
  Hash leaf{};
  std::vector<Hash> proof;
  StoredCheckpoint checkpoint;
};
// `tree_size` must be a stored checkpoint's size (nullopt: the latest).
// Errors: `checkpoint_not_found`, `index_out_of_range`.
Result<InclusionAnswer> prove_inclusion(Database& db, std::uint64_t index,
                                        std::optional<std::uint64_t> tree_size);

struct ConsistencyAnswer {
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  std::vector<Hash> proof;
  StoredCheckpoint first_checkpoint;
  StoredCheckpoint checkpoint;  // the second, which the answer is relative to
};
Result<ConsistencyAnswer> prove_consistency(Database& db, std::uint64_t first,
                                            std::optional<std::uint64_t> second);

// Opens a personal digest: the value and salt behind it (supervisors only;
// the server enforces who may call this). Error `digest_not_found`.
struct PersonalValue {
  std::string kind;
  std::string scope;
  std::string value;
  std::vector<std::uint8_t> salt;
};
Result<PersonalValue> open_personal_digest(Database& db, std::string_view digest_hex);

// Opens entry `index`'s `source` (a per-entry digest, DigestKey): the value
// kept for the entry's scope (its tender, else platform-wide) whose digest
// under the entry's salt matches. Errors `digest_not_found` (no source, or
// no stored value matches), `index_out_of_range`.
Result<PersonalValue> open_source_digest(Database& db, const DigestKey& key, std::uint64_t index);

}  // namespace sunbid::audit
