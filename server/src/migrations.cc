#include "server/migrations.h"

#include <algorithm>

#include "server/server_migrations.h"

namespace sunbid::server {

std::vector<audit::Migration> all_migrations() {
  // tender_core and evaluation add theirs here as they gain tables.
  std::vector<audit::Migration> all;
  for (auto& m : server_migrations()) all.push_back(std::move(m));
  // Versions are global; the ledger applies them in this order.
  std::sort(all.begin(), all.end(), [](const audit::Migration& a, const audit::Migration& b) {
    return a.version < b.version;
  });
  return all;
}

}  // namespace sunbid::server
