// The account row and the fields its entries share, for the module's own
// commands that create an account (accounts.cc, activation.cc).
//
// Thread-safety: the writer thread, inside a command.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "accounts/accounts.h"

namespace sunbid::accounts {

// Inserts the account row. Error `username_taken` (field /username).
Status insert_account_row(audit::WriteTxn& txn, const std::string& id, const NewAccount& account,
                          const PasswordHash& password);
// account, account_role, username_digest, display_name_digest and the
// binding (community_id, enterprise_uscc_digest, owner_key_digest), as
// account.created carries them.
Status add_account_fields(audit::WriteTxn& txn, const std::string& id, const NewAccount& account,
                          boost::json::object& payload);

}  // namespace sunbid::accounts
