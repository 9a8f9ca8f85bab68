#include "accounts/schema.h"

namespace sunbid::accounts {

// The names keep their "server_" prefix: versions and names are what a
// database file already records, and the tables moved with their module.
std::vector<audit::Migration> accounts_migrations() {
  return {
      {3, "server_accounts", R"sql(
CREATE TABLE accounts (
  id              TEXT PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  role            TEXT NOT NULL CHECK (role IN
                    ('admin', 'tenderer', 'enterprise', 'evaluator', 'owner', 'supervisor')),
  display_name    TEXT NOT NULL,
  community_id    TEXT,
  enterprise_uscc TEXT,
  owner_key       TEXT,
  password_kdf    TEXT NOT NULL CHECK (password_kdf = 'scrypt'),
  password_n      INTEGER NOT NULL,
  password_r      INTEGER NOT NULL,
  password_p      INTEGER NOT NULL,
  password_salt   BLOB NOT NULL,
  password_hash   BLOB NOT NULL,
  created_ms      INTEGER NOT NULL
) STRICT;
CREATE TABLE sessions (
  token_hash  BLOB PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  created_ms  INTEGER NOT NULL,
  expires_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_account ON sessions(account_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_ms);
)sql"},
      // Owner onboarding (issue 13 §1, accounts/activation.h,
      // docs/activation.md): codes kept only as HMAC-SHA-256(activation key,
      // code); certificate tails only as salted digests.
      {26, "accounts_activation_codes", R"sql(
CREATE TABLE activation_codes (
  code_hmac     BLOB PRIMARY KEY,
  batch_id      TEXT NOT NULL,
  community_id  TEXT NOT NULL,
  owner_key     TEXT NOT NULL,
  purpose       TEXT NOT NULL CHECK (purpose IN ('activate', 'reset')),
  account_id    TEXT,
  issued_by     TEXT NOT NULL,
  issued_ms     INTEGER NOT NULL,
  expires_ms    INTEGER NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('issued', 'used', 'revoked')),
  ended_ms      INTEGER,
  used_account  TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX activation_codes_by_key ON activation_codes(community_id, owner_key, state);
CREATE TABLE roster_certificate_tails (
  community_id  TEXT NOT NULL,
  unit          TEXT NOT NULL,
  owner_key     TEXT NOT NULL,
  salt          BLOB NOT NULL,
  digest        BLOB NOT NULL,
  PRIMARY KEY (community_id, unit)
) STRICT, WITHOUT ROWID;
CREATE INDEX roster_certificate_tails_by_key ON roster_certificate_tails(community_id, owner_key);
)sql"},
      // Activations and resets within 15 days before an owners' vote,
      // flagged to supervisors (issue 13, "Who holds credentials").
      {27, "accounts_activation_flags", R"sql(
CREATE TABLE activation_flags (
  log_index     INTEGER PRIMARY KEY,
  community_id  TEXT NOT NULL,
  account_id    TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('activation', 'reset')),
  at_ms         INTEGER NOT NULL
) STRICT;
CREATE INDEX activation_flags_by_community ON activation_flags(community_id, log_index);
)sql"},
      // The access record (accounts/access_record.h, docs/access-record.md):
      // logins and logouts off the public log, hash-chained, append-only.
      {17, "server_access_record", R"sql(
CREATE TABLE access_record (
  seq     INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  record  BLOB NOT NULL,
  hash    BLOB NOT NULL
) STRICT;
CREATE INDEX access_record_by_time ON access_record(time_ms);
CREATE TRIGGER access_record_no_update BEFORE UPDATE ON access_record
BEGIN SELECT RAISE(ABORT, 'the access record is append-only'); END;
CREATE TRIGGER access_record_no_delete BEFORE DELETE ON access_record
BEGIN SELECT RAISE(ABORT, 'the access record is append-only'); END;
CREATE TABLE access_record_commits (
  day       TEXT PRIMARY KEY,
  seq       INTEGER NOT NULL,
  head      BLOB NOT NULL,
  log_index INTEGER NOT NULL
) STRICT;
)sql"},
      // Issue 11 (security A7, A17): accounts can be disabled; a second
      // account bound to an enterprise or an owner key waits for a
      // supervisor's approval.
      {19, "server_account_limits", R"sql(
ALTER TABLE accounts ADD COLUMN disabled_ms INTEGER;
CREATE INDEX accounts_by_uscc ON accounts(enterprise_uscc) WHERE enterprise_uscc IS NOT NULL;
CREATE INDEX accounts_by_owner_key ON accounts(community_id, owner_key)
  WHERE owner_key IS NOT NULL;
CREATE TABLE account_approvals (
  id              TEXT PRIMARY KEY,
  username        TEXT NOT NULL,
  role            TEXT NOT NULL,
  display_name    TEXT NOT NULL,
  community_id    TEXT,
  enterprise_uscc TEXT,
  owner_key       TEXT,
  password_n      INTEGER NOT NULL,
  password_r      INTEGER NOT NULL,
  password_p      INTEGER NOT NULL,
  password_salt   BLOB NOT NULL,
  password_hash   BLOB NOT NULL,
  requested_by    TEXT NOT NULL,
  requested_ms    INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
  approved_by     TEXT,
  approved_ms     INTEGER,
  account_id      TEXT
) STRICT;
)sql"},
  };
}

}  // namespace sunbid::accounts
