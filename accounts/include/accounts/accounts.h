// Accounts and bearer sessions (tables of migrations 3 and 19, accounts_migrations()).
//
// The accounts module sits below evaluation and above tender_core
// (server -> evaluation -> accounts -> tender_core -> audit_log): the server
// authenticates with it, evaluation asks it for a community's tenderer
// accounts (relations.h), and tender_core never calls it (it receives actors).
// The coming owner onboarding (activation codes) lives here too.
//
// An account has a role (role.h), a username (unique), a display name and,
// depending on the role, a community, an enterprise USCC or an owner key.
// Passwords are kept only as scrypt hashes (password.h).
//
// A session is a bearer token of 256 random bits (RAND_bytes), handed to the
// client once and stored only as its SHA-256, with an expiry instant.
//
// State changes are ledger commands. An account created writes its row and
// exactly one audit entry in the same savepoint; a session opened or closed
// writes its row and one record of the access record (access_record.h), not
// a public entry: its timing beside the stubs of sealed bids would tell who
// bid. Names, usernames, USCCs and network addresses enter entries only as
// digests, never in clear.
//
// Thread-safety: free functions; the write functions run on the ledger's
// writer thread inside a WriteTxn, the read functions on a connection the
// calling thread owns.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/password.h"
#include "accounts/role.h"
#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"

namespace sunbid::accounts {

struct NewAccount {
  std::string username;
  Role role = Role::kOwner;
  std::string display_name;
  std::optional<std::string> community_id;
  std::optional<std::string> enterprise_uscc;
  std::optional<std::string> owner_key;
  // A tenderer's kind of organisation (role.h); only a tenderer carries one,
  // and an account created without it is an owners' committee's.
  std::optional<TendererKind> tenderer_kind;
};

// Checks the fields and the role's requirements (a tenderer and an owner
// belong to one community, an owner to one owner_key, an enterprise to one
// valid USCC; other roles carry none of these).
// Errors `invalid_field` / `missing_field` naming the field (a tenderer_kind
// on another role: `invalid_field` /tenderer_kind).
Status validate_new_account(const NewAccount& account);
// A password is 8 to 1024 bytes. Error `invalid_field` {"field": "/password"}.
Status validate_password(std::string_view password);

// Who performs a state change, as its audit entry records it.
struct Actor {
  std::string account_id = "system";
  std::string role = "system";
  std::optional<std::string> client_address;  // digested before it is logged
};

// Inserts the account and its audit entry ("account.created"); returns its
// id, "acct-" and 16 random hex digits.
// REQUIRES: validate_new_account(account) is ok; `password` hashed already.
// Error `username_taken` (409); `tenderer_kind_mixed` (409, details.field
// /tenderer_kind, details.community_kind) when the community already has an
// enabled tenderer account of another kind.
Result<std::string> create_account(audit::WriteTxn& txn, const NewAccount& account,
                                   const PasswordHash& password, const Actor& actor);
// The same with an id the caller chooses (fixtures and imports that keep
// their ids). REQUIRES: no account has `id`; it does not start with "acct-".
Result<std::string> create_account_with_id(audit::WriteTxn& txn, std::string id,
                                           const NewAccount& account, const PasswordHash& password,
                                           const Actor& actor);

struct AccountRecord {
  std::string id;
  std::string username;
  Role role = Role::kOwner;
  std::string display_name;
  std::optional<std::string> community_id;
  std::optional<std::string> enterprise_uscc;
  std::optional<std::string> owner_key;
  PasswordHash password;
  // A disabled account cannot log in and has no session (security A17).
  bool disabled = false;
  // A tenderer's kind (owners_committee for a tenderer created before kinds
  // existed); nullopt for every other role.
  std::optional<TendererKind> tenderer_kind;
};

Result<std::optional<AccountRecord>> find_account_by_username(audit::Database& db,
                                                              std::string_view username);
Result<std::optional<AccountRecord>> find_account_by_id(audit::Database& db, std::string_view id);

// A login's password check: the account `username` names when `password` is
// its password. Refuses `invalid_credentials` for an unknown username or a
// wrong password alike — an unknown username is checked against `dummy`, so
// that the answer takes the same scrypt time and does not tell which
// usernames exist — and `account_disabled` when the password is right but
// the account disabled.
Result<AccountRecord> check_login(audit::Database& db, std::string_view username,
                                  std::string_view password, const PasswordHash& dummy);
Result<std::int64_t> count_accounts(audit::Database& db);

// The enabled account, other than none, that already holds the enterprise
// USCC or the (community, owner key) binding `account` asks for; nullopt when
// the binding is free. One account per binding: a second one needs a
// supervisor's approval (security A7).
Result<std::optional<std::string>> binding_holder(audit::Database& db, const NewAccount& account);

// create_account, refused with `account_binding_held` (409, details.field the
// binding) while another enabled account holds the binding.
Result<std::string> create_unshared_account(audit::WriteTxn& txn, const NewAccount& account,
                                            const PasswordHash& password, const Actor& actor);

// The admin asks for an account whose binding another account holds: the
// request (password hashed) waits in account_approvals, logged
// "account.approval_requested". Returns its id. Error `username_taken`.
Result<std::string> request_account_approval(audit::WriteTxn& txn, const NewAccount& account,
                                             const PasswordHash& password, const Actor& actor);
struct ApprovedAccount {
  std::string account_id;
  std::string username;
  Role role = Role::kOwner;
};
// A supervisor approves a pending request: the account is created
// ("account.created") and the approval logged ("account.approval_granted").
// Errors `approval_not_found`, `approval_not_pending`, `username_taken`.
Result<ApprovedAccount> approve_account(audit::WriteTxn& txn, std::string_view approval_id,
                                        const Actor& actor);

// A request waiting for a supervisor (what GET /account-approvals shows; no
// password material).
struct PendingApproval {
  std::string id;
  std::string username;
  Role role = Role::kOwner;
  std::string display_name;
  std::optional<std::string> community_id;
  std::optional<std::string> enterprise_uscc;
  std::optional<std::string> owner_key;
  std::string requested_by;  // the admin's account id
  std::int64_t requested_ms = 0;
  // The enabled account that holds the binding now (nullopt: it was freed
  // since, e.g. that account was disabled).
  std::optional<std::string> binding_held_by;
};
struct PendingApprovalPage {
  std::vector<PendingApproval> items;
  std::optional<std::string> next_cursor;  // the last item's id when more follow
};
// The pending requests, oldest first, `limit` of them after the request
// `cursor` (empty: from the first). Error `invalid_query` (field `cursor`)
// for a cursor that is not a pending request. REQUIRES: limit >= 1.
Result<PendingApprovalPage> pending_approvals(audit::Database& db, std::string_view cursor,
                                              std::size_t limit);

// Disables the account and deletes its sessions, logged "account.disabled"
// with the number of sessions revoked. Answers false when it was disabled
// already (then nothing is written). Errors `account_not_found`,
// `invalid_field` (reason empty or over 500 bytes).
Result<bool> disable_account(audit::WriteTxn& txn, std::string_view account_id,
                             std::string_view reason, const Actor& actor);

using SessionToken = std::array<std::uint8_t, 32>;

// A fresh random token (RAND_bytes). Error `crypto_failure`.
Result<SessionToken> new_session_token();
// The token as the client sends it: 64 lowercase hex characters.
std::string format_session_token(const SessionToken& token);
std::optional<SessionToken> parse_session_token(std::string_view text);

// Stores SHA-256(token) for the account until `expires_ms`, and the access
// record's "session.created".
Status open_session(audit::WriteTxn& txn, const SessionToken& token, const AccountRecord& account,
                    std::int64_t expires_ms, const Actor& actor);
// Deletes the session and records "session.closed" in the access record.
// Error `session_invalid` when it no longer exists.
Status close_session(audit::WriteTxn& txn, const SessionToken& token, const Actor& actor);
// Deletes every session of the actor's account but `keep`, and writes
// "session.others_closed" with their number; answers it.
Result<std::int64_t> close_other_sessions(audit::WriteTxn& txn, const SessionToken& keep,
                                          const Actor& actor);

struct SessionInfo {
  AccountRecord account;
  std::int64_t expires_ms = 0;
};
// The live session of `token` at `now_ms`, or nullopt (unknown, expired, or
// its account disabled).
Result<std::optional<SessionInfo>> find_session(audit::Database& db, const SessionToken& token,
                                                std::int64_t now_ms);

}  // namespace sunbid::accounts
