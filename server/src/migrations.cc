#include "server/migrations.h"

#include <algorithm>

#include "accounts/schema.h"
#include "assembly/schema.h"
#include "evaluation/schema.h"
#include "publication/ocds.h"
#include "tender_core/schema.h"

namespace sunbid::server {

std::vector<audit::Migration> all_migrations() {
  // Versions are global to the file (docs/ledger.md): audit_log 1 (added by
  // the ledger itself), tender_core 2, accounts 3; the modules interleave
  // after that. Sorted by version here.
  std::vector<audit::Migration> all = core::tender_core_migrations();
  for (auto& m : accounts::accounts_migrations()) all.push_back(std::move(m));
  for (auto& m : eval::evaluation_migrations()) all.push_back(std::move(m));
  for (auto& m : publication::publication_migrations()) all.push_back(std::move(m));
  for (auto& m : assembly::assembly_migrations()) all.push_back(std::move(m));
  std::sort(all.begin(), all.end(), [](const audit::Migration& a, const audit::Migration& b) {
    return a.version < b.version;
  });
  return all;
}

}  // namespace sunbid::server
