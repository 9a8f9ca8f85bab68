// Every module's schema migrations, in the order the whole database file
// applies them (the audit log's own are added by the ledger itself).
#pragma once

#include <vector>

#include "audit_log/ledger.h"

namespace sunbid::server {

std::vector<audit::Migration> all_migrations();

}  // namespace sunbid::server
