// Offline verification of the audit log: what `sunbid-verify` runs, with no
// server code. Trust comes from a pinned verifier key; without one only the
// internal consistency is checked and the report says so.
//
// Every check names what failed: the first bad entry ("entry N: reason"), or
// the checkpoint at fault.
//
// Error codes and their meaning (sunbid-verify maps them to exit codes):
//   entry_invalid       an entry is malformed, out of place, or breaks the
//                       chain (details.entry = its index)            → exit 1
//   checkpoint_invalid  a checkpoint is unsigned by the pinned key, garbled,
//                       beyond the log, or its root differs from the
//                       recomputed one (details.tree_size)            → exit 1
//   proof_invalid       an inclusion or consistency proof fails       → exit 1
//   input_unusable      the input cannot be read as a log at all      → exit 2
//
// Thread-safety: the functions are safe for concurrent use; a LogVerifier is
// used by one thread at a time (it uses worker threads internally).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/checkpoint.h"
#include "audit_log/merkle.h"
#include "audit_log/result.h"

namespace sunbid::audit {

struct VerifyOptions {
  std::optional<std::string> pinned_key;  // a C2SP verifier key string
  unsigned threads = 0;                   // 0: all cores
};

struct LogReport {
  std::uint64_t entries = 0;
  // Withheld entries: stub lines of an export (encode_stub), or, in a
  // database copy, entries whose release time is still ahead of the clock.
  std::uint64_t withheld = 0;
  std::uint64_t bytes = 0;
  Hash root{};  // recomputed over all entries
  std::optional<Checkpoint> checkpoint;  // the newest checkpoint, checked
  std::size_t checkpoints_checked = 0;
  bool key_pinned = false;
  std::string key_note;  // how the signature was (or was not) checked
};

// The streaming core: feed entries in index order from any source.
class LogVerifier {
 public:
  // `record_sizes`: tree sizes at which to remember the root (the sizes of
  // the checkpoints to check).
  // `allow_stubs`: a public export's stub lines (entry_format.h) stand for
  // withheld entries; the next entry's chain link is checked against the
  // stub's entry hash and its leaf hash grows the tree.
  explicit LogVerifier(unsigned threads = 0, std::vector<std::uint64_t> record_sizes = {},
                       bool allow_stubs = false);

  // Checks the next entries: canonical form, members, index, chain link,
  // non-decreasing time; grows the tree. Error entry_invalid for the first
  // bad one; after an error the verifier must not be fed again.
  Status feed(std::span<const std::string_view> entries);
  std::uint64_t stubs() const { return stubs_; }

  std::uint64_t size() const { return frontier_.size(); }
  std::uint64_t bytes() const { return bytes_; }
  Hash root() const { return frontier_.root(); }
  // The root recorded when the tree had `size` leaves (one of record_sizes).
  std::optional<Hash> root_at(std::uint64_t size) const;

 private:
  unsigned threads_;
  std::vector<std::uint64_t> record_sizes_;  // sorted
  std::vector<std::pair<std::uint64_t, Hash>> recorded_;
  Frontier frontier_;
  Hash prev_{};
  std::string last_time_;
  std::uint64_t bytes_ = 0;
  bool allow_stubs_ = false;
  std::uint64_t stubs_ = 0;
};

// Which entries no longer match what a signed checkpoint commits to, found
// from the signed roots alone: the smallest checkpoint whose root differs
// from the recomputed one bounds the change from above, the largest that
// matches from below, and a descent from the differing root through the
// stored Merkle nodes narrows it to one leaf. A stored node is used only
// when it hashes with its sibling to a hash already proven genuine, so
// rewritten nodes cannot move the blame; they can only leave it a range.
struct Blame {
  std::uint64_t first = 0;  // the changed entry (exact) or the range's ends
  std::uint64_t last = 0;
  std::uint64_t tree_size = 0;  // the checkpoint that convicts it
  bool exact() const { return first == last; }
};
// `leaves`: the leaf hashes recomputed from the entries as they are now;
// `checkpoints`: (size, signed root) pairs, checked already; `nodes`: the
// stored tree (may be null). Nullopt when every checkpoint matches.
std::optional<Blame> blame_changed_entry(std::span<const Hash> leaves,
                                         std::vector<std::pair<std::uint64_t, Hash>> checkpoints,
                                         const NodeReader* nodes);

// A database copy (opened read-only, never migrated): every entry and every
// stored checkpoint. When an entry was changed, the error names it (its
// bytes no longer match what the signed checkpoints commit to,
// blame_changed_entry), not the next entry whose chain link broke.
Result<LogReport> verify_log_database(const std::filesystem::path& db_file,
                                      const VerifyOptions& options);
// An export directory (entries.jsonl, checkpoint, key).
Result<LogReport> verify_log_export(const std::filesystem::path& dir, const VerifyOptions& options);

// The same from memory: the text of entries.jsonl, the checkpoint note and
// the export's own key file (if any).
Result<LogReport> verify_export_contents(std::string_view entries_text, std::string_view note,
                                         const std::optional<std::string>& export_key,
                                         const VerifyOptions& options);

// A signed checkpoint note against a pinned key.
Result<Checkpoint> verify_checkpoint_note(std::string_view note, std::string_view pinned_key);

// An old checkpoint (signed by the pinned key) against a database copy: the
// database verifies as a log, covers the old checkpoint's size, and its tree
// at that size has the old root — so the log only grew (no truncation, no
// rewrite). The database's own stored consistency proof is checked too.
Result<LogReport> verify_consistency_with_database(std::string_view old_note,
                                                   const std::filesystem::path& db_file,
                                                   const VerifyOptions& options);

// Checks one signed checkpoint of a log against recomputed roots; shared by
// the verifiers. `verifier` null means unpinned (shape only).
Status check_checkpoint_against(const Checkpoint& cp, const LogVerifier& log);

}  // namespace sunbid::audit
