// Exports of the audit log: the whole log (entries.jsonl + checkpoint + key)
// and one tender's trail (docs/tender-trail.md; schemas/tender-trail.schema.json):
//
//   {"checkpoint": "<signed note>", "key": "<verifier key>", "tree_size": N,
//    "entries": [{"index": i, "entry": "<exact canonical JSON>",
//                 "proof": ["<hex>", ...]}, ...]}
//
// Each entry carries its RFC 6962 inclusion proof against the checkpoint, so
// a trail verifies offline with nothing but a pinned key.
//
// Thread-safety: functions use the connection they are given; one thread at a
// time per connection.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::audit {

struct ExportSummary {
  std::uint64_t entries = 0;      // exported (= the checkpoint's size)
  std::uint64_t not_covered = 0;  // entries after the newest checkpoint, left out
  std::uint64_t withheld = 0;     // written as stubs (public view) or in full (private)
};

struct ExportOptions {
  // Entries withheld at this instant are written as their stubs
  // (encode_stub), as the public feed shows them.
  std::int64_t now_ms = 0;
  // The private view: withheld entries in full (bids before their deadline,
  // ballots in an open window). Its files are created with mode 0600.
  bool include_withheld = false;
};

// Writes OUT/entries.jsonl, OUT/checkpoint and OUT/key from a database
// (read-only), up to the newest stored checkpoint so the export is
// self-consistent: by default the public view (withheld entries as stubs,
// files 0644), with include_withheld the private one (files 0600). Error
// `checkpoint_not_found` if none was signed yet, `export_failed`.
Result<ExportSummary> export_log(Database& db, const std::string& verifier_key,
                                 const std::filesystem::path& out, const ExportOptions& options);

// One tender's trail against the newest checkpoint. Entries still withheld at
// `now_ms` are left out (they become part of later trails once released).
Result<boost::json::object> tender_trail(Database& db, std::string_view tender,
                                         const std::string& verifier_key, std::int64_t now_ms);

// One page of a tender's trail (security A10): the same document as
// tender_trail, against the checkpoint of `tree_size` (the newest when
// absent; error `checkpoint_not_found` when no checkpoint of that size is
// stored), holding at most `limit` released entries with index > `after`,
// plus "next_cursor": the last index served when more may follow, else null.
// Every page of one walk names the same tree_size, so the pages together are
// the trail relative to one checkpoint, and each page verifies on its own
// (verify_trail). An entry released while the pages are read appears in the
// pages read after its release.
struct TrailPageRequest {
  std::optional<std::uint64_t> tree_size;
  std::optional<std::uint64_t> after;
  std::uint64_t limit = 1000;  // REQUIRES: >= 1
};
Result<boost::json::object> tender_trail_page(Database& db, std::string_view tender,
                                              const std::string& verifier_key, std::int64_t now_ms,
                                              const TrailPageRequest& page);

// The verified content of a trail.
struct TrailEntry {
  std::uint64_t index = 0;
  std::string entry;
};
struct VerifiedTrail {
  std::string origin;
  std::uint64_t tree_size = 0;
  std::vector<TrailEntry> entries;
};

// Checks a trail against a pinned key (or, unpinned, against the key it
// carries, saying so in `key_pinned`): the checkpoint's signature, every
// entry's canonical form and members, every inclusion proof, and the chain
// link between entries that are adjacent in the log. Error codes as in
// verify.h (entry_invalid, checkpoint_invalid, proof_invalid, input_unusable).
Result<VerifiedTrail> verify_trail(std::string_view trail_json,
                                   const std::optional<std::string>& pinned_key);

}  // namespace sunbid::audit
