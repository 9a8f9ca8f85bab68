// Relations of accounts that other modules ask the server about, because
// accounts live in the server's tables (migration 3).
//
// tenderer_account_ids: the tenderer accounts of a community — its owners'
// committee, the deciding committee of `committee_vote` and
// `vote_then_lottery`. It is the evaluation service's TendererAccounts
// callback; it runs on whatever connection it is given (the ledger's
// writer connection inside a command).
//
// Thread-safety: free functions over the caller's connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::server {

// Account ids, sorted, of the accounts with role tenderer and this community.
Result<std::vector<std::string>> tenderer_account_ids(audit::Database& db,
                                                      std::string_view community);

}  // namespace sunbid::server
