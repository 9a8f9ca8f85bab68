#include "server/migrations.h"

#include <algorithm>

#include "evaluation/schema.h"
#include "server/server_migrations.h"
#include "tender_core/schema.h"

namespace sunbid::server {

std::vector<audit::Migration> all_migrations() {
  // Versions are global to the file (docs/ledger.md): audit_log 1 (added by
  // the ledger itself), tender_core 2, server 3; evaluation takes the next.
  std::vector<audit::Migration> all = core::tender_core_migrations();
  for (auto& m : server_migrations()) all.push_back(std::move(m));
  for (auto& m : eval::evaluation_migrations()) all.push_back(std::move(m));
  std::sort(all.begin(), all.end(), [](const audit::Migration& a, const audit::Migration& b) {
    return a.version < b.version;
  });
  return all;
}

}  // namespace sunbid::server
