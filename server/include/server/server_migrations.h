// The server module's schema migrations (version 3: accounts, sessions).
//
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "audit_log/ledger.h"

namespace sunbid::server {

std::vector<audit::Migration> server_migrations();

}  // namespace sunbid::server
