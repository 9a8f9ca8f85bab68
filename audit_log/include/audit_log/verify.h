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
  explicit LogVerifier(unsigned threads = 0, std::vector<std::uint64_t> record_sizes = {});

  // Checks the next entries: canonical form, members, index, chain link,
  // non-decreasing time; grows the tree. Error entry_invalid for the first
  // bad one; after an error the verifier must not be fed again.
  Status feed(std::span<const std::string_view> entries);

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
};

// A database copy (opened read-only, never migrated): every entry and every
// stored checkpoint.
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
