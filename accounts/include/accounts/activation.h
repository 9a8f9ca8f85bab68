// Owner onboarding from the roster (issue 13 §1): activation codes issued
// for a community's owner keys, activation of an owner account with one, a
// supervisor's reset code for an owner who lost the password, and the
// roster's certificate tails (docs/activation.md).
//
// Who may issue:
//   - the community's tenderer or a supervisor, for owner keys without an
//     (enabled) account: every such key of the roster, or the keys listed;
//   - only a supervisor, for a listed key that holds an account (`reissue`):
//     a reset code, which when used sets that account's password (same
//     account id) and revokes its sessions.
// Issuing for a key revokes its previous unused codes. A code is single-use
// and expires at the end of its validity period (60 days by default, counted
// as LAW.md §10 counts days: 24:00 China time of the 60th day after the day
// of issue, moved past rest days of the platform's holiday calendar).
//
// Storage (migrations 26 and 27): activation_codes keeps per code only
// HMAC-SHA-256(activation key, code) (activation_code.h), its owner key,
// purpose, state (issued | used | revoked), batch and expiry;
// roster_certificate_tails keeps per roster unit with a certificate_tail a
// random 16-byte salt and SHA-256("sunbid/certificate-tail/v1\n" ‖ salt ‖
// normalized tail); activation_flags lists the activations and resets made
// within kVoteFlagDays of an owners' vote, for supervisors.
//
// Entries (one per command; personal data only as salted digests, never a
// code, an HMAC or a tail):
//   activation.codes_issued   {batch, community_id, roster_version, purpose
//                              (activate | reset), codes_issued, codes_revoked,
//                              keys_with_account?, expires_at, accounts?
//                              (reset: the account ids)}
//   account.activated         {account, account_role "owner", community_id,
//                              owner_key_digest, username_digest,
//                              display_name_digest, batch, near_vote}
//   account.password_reset    {account, community_id, owner_key_digest, batch,
//                              sessions_revoked, near_vote}
//
// Thread-safety: free functions; commands run on the ledger's writer thread
// inside a WriteTxn, readers on a connection the calling thread owns.
// REQUIRES: the ledger was opened with tender_core's and accounts' migrations.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.h"
#include "accounts/activation_code.h"
#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"
#include "tender_core/actor.h"
#include "tender_core/registry.h"
#include "tender_core/roster.h"

namespace sunbid::accounts {

inline constexpr std::int64_t kDefaultCodeValidDays = 60;
inline constexpr std::int64_t kMaxCodeValidDays = 366;
// An activation or reset this close before an owners' vote is flagged to
// supervisors (issue 13, "Who holds credentials").
inline constexpr std::int64_t kVoteFlagDays = 15;
// At most this many keys may be listed in one request.
inline constexpr std::size_t kMaxListedOwnerKeys = 100'000;

enum class CodePurpose { kActivate, kReset };
std::string_view purpose_name(CodePurpose purpose);

// The issuing account as the rules see it.
struct Issuer {
  Actor actor;
  Role role = Role::kTenderer;
  std::optional<std::string> community_id;  // a tenderer's community
};

struct IssueRequest {
  std::string community_id;
  // nullopt: every roster key without an enabled account.
  std::optional<std::vector<std::string>> owner_keys;
  // Listed keys that hold an account get a reset code (supervisor only).
  bool reissue = false;
  std::int64_t valid_days = kDefaultCodeValidDays;
};

struct IssuedUnit {
  std::string unit;
  std::int64_t area_centi_m2 = 0;
};

// One owner key's code, what its letter shows (issue 13, activation letters).
struct IssuedCode {
  std::string owner_key;
  // The part of the owner's first unit (bytewise order) before its first
  // `-`; the whole unit when it has none. An owner with units in several
  // buildings is listed under the first.
  std::string building;
  std::vector<IssuedUnit> units;  // ordered by unit
  std::int64_t area_centi_m2 = 0;
  std::int64_t headcount = 1;  // one owner (SPC interpretation art. 9)
  bool developer = false;      // the developer's unsold units
  std::string code;            // grouped: XXXX-XXXX-XXXX-C; shown only here
  CodePurpose purpose = CodePurpose::kActivate;
  std::optional<std::string> account_id;  // a reset code's account
  std::int64_t expires_ms = 0;
};

struct IssuedBatch {
  std::string batch_id;  // "actb-" and 16 hex digits
  std::string community_id;
  std::string community_name;
  std::int64_t roster_version = 0;
  std::int64_t issued_ms = 0;
  std::int64_t expires_ms = 0;
  std::int64_t codes_revoked = 0;
  std::uint64_t log_index = 0;
  // Ordered by building, then by first unit: the order letters print in.
  std::vector<IssuedCode> codes;
};

// Issues codes for the request (see the file comment). An empty selection
// (every key has an account) is a batch of no codes, still logged.
// Errors: `community_not_found`, `roster_not_imported`,
// `not_tenderer_of_community`, `forbidden` (a role other than tenderer or
// supervisor), `reset_needs_supervisor` (reissue by a tenderer),
// `owner_key_unknown` / `owner_has_account` / `invalid_field` (a listed key
// not on the roster / holding an account without reissue / repeated; each
// naming /owner_keys/N, never the key), `invalid_field` /valid_days.
Result<IssuedBatch> issue_activation_codes(audit::WriteTxn& txn, const ActivationKey& key,
                                           const IssueRequest& request, const Issuer& issuer);

// Whether an owners' vote of the community is open at `now_ms` or opens at
// or before `horizon_ms` (evaluation answers; the motions of issue 13 §2
// join it there).
using VoteProximity = std::function<Result<bool>(audit::Database&, std::string_view community_id,
                                                 std::int64_t now_ms, std::int64_t horizon_ms)>;

struct ActivationInput {
  std::string code;          // as typed
  std::string username;      // a reset keeps the account's; empty allowed then
  std::string display_name;  // empty: the owner's roster name, or the owner key
  std::optional<std::string> certificate_tail;
};

struct Activated {
  std::string account_id;
  std::string username;
  std::string community_id;
  bool reset = false;
  std::int64_t sessions_revoked = 0;
  bool near_vote = false;
  std::uint64_t log_index = 0;
};

// The code `presented` names, as a reader sees it, for the refusals an
// anonymous caller may learn before any password is hashed. Errors:
// `activation_code_invalid` (not 13 symbols, or the check symbol fails),
// `activation_code_unknown`, `activation_code_expired`,
// `activation_code_used`, `activation_code_revoked`. None of them carries the
// code or its HMAC.
Status check_presented_code(audit::Database& db, const ActivationKey& key,
                            std::string_view presented, std::int64_t now_ms);

// Uses the code: an activate code creates the owner account bound to
// (community, owner key); a reset code sets its account's password and
// deletes its sessions (the caller drops them from any cache). Errors: those
// of check_presented_code; `owner_has_account` (an activate code for a key
// that got an account meanwhile); `certificate_tail_required`,
// `certificate_tail_mismatch`; `username_taken`; `invalid_field` (/username,
// /display_name); `account_not_found` / `account_disabled` (a reset code's
// account is gone or disabled).
// REQUIRES: `password` is the new password's hash (validate_password first).
Result<Activated> activate_with_code(audit::WriteTxn& txn, const ActivationKey& key,
                                     const ActivationInput& input, const PasswordHash& password,
                                     const Actor& actor, const VoteProximity& near_vote);

// The activation link of a letter's QR code: `{base_url}/activate#code=`
// and the grouped code. The code travels in the fragment, which browsers
// never send to the server, so it stays out of request lines and access
// logs; the web app reads it and POSTs it to /activate.
std::string activation_link(std::string_view base_url, std::string_view grouped_code);

// A registry roster hook (core::Registry::add_roster_hook): replaces the
// community's certificate tail digests with those of `roster`.
Status store_certificate_tails(audit::WriteTxn& txn, std::string_view community_id,
                               const core::Roster& roster);

// A registry roster hook (core::Registry::add_roster_hook, after the
// community.roster_imported entry): the owner accounts of the community
// whose owner key the new roster no longer lists are disabled (one
// "account.disabled" entry each, reason roster_key_removed, their sessions
// deleted), and the unused activation and reset codes of those keys are
// revoked (one "activation.codes_revoked" entry {community_id,
// roster_version?, codes_revoked} when any was). A key that returns in a
// later roster keeps its account disabled: a supervisor decides.
Status disable_removed_owners(audit::WriteTxn& txn, std::string_view community_id,
                              const core::Roster& roster, const core::Actor& actor);
// Adds accounts' two roster hooks to `registry`: store_certificate_tails,
// then disable_removed_owners. Before any command (not synchronized).
void add_roster_hooks(core::Registry& registry);

// The ids of the community's disabled owner accounts (the server drops their
// cached sessions after an import).
Result<std::vector<std::string>> disabled_owner_accounts(audit::Database& db,
                                                         std::string_view community_id);

// A certificate tail as compared: ASCII whitespace trimmed at both ends,
// ASCII letters upper-cased.
std::string normalize_certificate_tail(std::string_view tail);

// An activation or reset made within kVoteFlagDays before an owners' vote.
struct ActivationFlag {
  std::uint64_t log_index = 0;
  std::string community_id;
  std::string account_id;
  bool reset = false;
  std::int64_t at_ms = 0;
};
struct ActivationFlagPage {
  std::vector<ActivationFlag> items;
  std::optional<std::uint64_t> next_cursor;  // the next log index
};
// The flags, oldest first, from log index `after` (exclusive; nullopt: the
// first), optionally of one community. REQUIRES: limit >= 1.
Result<ActivationFlagPage> activation_flags(audit::Database& db,
                                            std::optional<std::string_view> community_id,
                                            std::optional<std::uint64_t> after, std::size_t limit);

}  // namespace sunbid::accounts
