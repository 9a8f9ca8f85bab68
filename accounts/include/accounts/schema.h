// The accounts module's schema migrations. They were the server's until
// issue 12 moved accounts below evaluation; versions and names are unchanged
// (a database written before opens as it is):
//   3  server_accounts        accounts, sessions (accounts.h)
//   12 accounts_activation_codes  activation_codes, roster_certificate_tails (activation.h)
//   16 accounts_activation_flags  activation_flags (activation.h)
//   17 server_access_record   access_record, access_record_commits (access_record.h)
//   19 server_account_limits  accounts.disabled_ms, account_approvals (accounts.h)
//
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "audit_log/ledger.h"

namespace sunbid::accounts {

std::vector<audit::Migration> accounts_migrations();

}  // namespace sunbid::accounts
