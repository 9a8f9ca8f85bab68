// The audit entry: the one persisted, publicly served form of every state
// change (docs/audit-entry.md specifies it byte for byte).
//
// An entry is the canonical JSON (docs/canonical-json.md) of an object with
// exactly these members, shown here in their canonical (sorted) order:
//   actor    string   the account id, or "system"
//   index    integer  0-based position in the log
//   payload  object   what changed; type-specific; integers only
//   prev     string   lowercase hex SHA-256 of the previous entry's exact
//                     bytes; 64 zeros for entry 0
//   role     string   the actor's role ("system" for the system)
//   source   string | null   salted digest (hex) of the network address, or
//                     null for the system
//   tender   string | null   the tender id the change belongs to
//   time     string   RFC 3339 UTC with milliseconds
//   type     string   e.g. "tender.published"
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit_log/canonical_json.h"
#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::audit {

// What a command asks the log to record; the ledger adds index, time and prev.
struct EntryDraft {
  std::string actor = "system";
  std::string role = "system";
  std::optional<std::string> source;  // a personal digest (hex), never an address
  std::optional<std::string> tender;
  // The trail the entry belongs to when it is not a tender's: a subject key
  // such as "motion:M-1" (motion_trail_subject). Not part of the entry's
  // bytes (the entry's `tender` stays null); it only indexes the entry under
  // that key, as `tender` does, for subject_trail_page (trail.h).
  std::optional<std::string> subject;
  std::string type;
  boost::json::object payload;
  // Kept beside the entry, not in it: before this instant public reads show
  // only the entry's stub (index, leaf hash, entry hash; a bid's entries
  // before its deadline). The log adds `payload.blind`, a fresh 32-byte
  // random value, to every entry appended withheld, so that its leaf hash
  // cannot be brute-forced from the guessable rest (docs/audit-entry.md).
  std::optional<std::int64_t> release_at_ms;
  // The actor's network address in clear (instead of `source`): WriteTxn
  // digests it at append with a salt of the entry's own, HMAC-SHA-256(digest
  // key, index ‖ "network_address"), so two entries of one person do not
  // link; the value is kept once per (source_scope, kind) in personal_data.
  std::optional<std::string> source_address;
  std::string source_scope;
};

// The payload member that blinds a withheld entry: 64 lowercase hex.
inline constexpr std::string_view kBlindMember = "blind";

// The chain link of entry 0.
inline constexpr Hash kGenesisPrev{};

// Encodes the entry's exact bytes. `source`, when given, is the entry's
// `source` member (the draft's own must then be empty); `blind`, when not
// empty, is added to the payload as `blind`.
// Errors: those of to_canonical_json (a double or invalid UTF-8 in the
// payload), `invalid_entry` for an empty type or actor, a draft with both a
// source digest and an address, or a payload that sets `blind` itself.
Result<std::string> encode_entry(const EntryDraft& draft, std::uint64_t index, std::int64_t time_ms,
                                 const Hash& prev,
                                 std::optional<std::string_view> source = std::nullopt,
                                 std::string_view blind = {});

// The public stub of a withheld entry, as the feed and a public export show
// it: the canonical JSON {"entry_hash":"<hex>","index":N,"leaf_hash":"<hex>"},
// so the chain (the next entry's prev = entry_hash) and the Merkle tree
// (leaf_hash) verify through it.
std::string encode_stub(std::uint64_t index, std::string_view entry_bytes);

struct StubView {
  std::uint64_t index = 0;
  Hash entry_hash{};
  Hash leaf_hash{};
};
// Parses a stub line exactly as encode_stub writes it; nullopt otherwise.
std::optional<StubView> parse_stub(std::string_view bytes);

// The members of a checked entry; views point into the entry's bytes.
struct EntryView {
  std::uint64_t index = 0;
  Hash prev{};
  std::string_view time;    // raw, with quotes
  std::string_view type;    // raw, with quotes
  std::string_view tender;  // raw: a string with quotes, or null
};

// Checks that `bytes` is a well-formed entry: canonical JSON, exactly the
// members above with their types, a valid time, a 64-hex prev. `scratch` is
// reused across calls to avoid allocation.
// Error `invalid_entry` naming the member at fault (or the canonical-form
// error of check_canonical, passed through).
Result<EntryView> parse_entry(std::string_view bytes, TopLevelFields& scratch);

// The digest that links the next entry to this one.
inline Hash entry_hash(std::string_view bytes) {
  return sha256(bytes);
}

}  // namespace sunbid::audit
