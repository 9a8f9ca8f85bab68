// Relations between accounts and tender_core's registers (communities, their
// owner rosters, registered enterprises), asked by evaluation and the server.
//
// tenderer_account_ids: the tenderer accounts of a community — its owners'
// committee, the deciding committee of `committee_vote` and
// `vote_then_lottery`. Evaluation calls it on the connection it holds (the
// ledger's writer connection inside a command).
//
// check_account_relations: the community, owner key and USCC a new account
// names must exist in tender_core's registers. Communities, rosters and
// enterprises are never deleted, so a check on a reader before the account's
// ledger command is enough.
//
// Thread-safety: free functions over the caller's connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.h"
#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::accounts {

// Account ids, sorted, of the accounts with role tenderer and this community.
Result<std::vector<std::string>> tenderer_account_ids(audit::Database& db,
                                                      std::string_view community);

// OK when every community, (community, owner key) and enterprise USCC the
// account names is registered. Error `account_relation_invalid` with
// details.field "/community_id", "/owner_key" or "/enterprise_uscc" (the
// first that fails, in that order); a register's own error otherwise.
Status check_account_relations(audit::Database& db, const NewAccount& account);

}  // namespace sunbid::accounts
