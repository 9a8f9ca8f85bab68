#include "server/migrations.h"

#include "tender_core/schema.h"

namespace sunbid::server {

std::vector<audit::Migration> all_migrations() {
  // tender_core and evaluation add theirs here as they gain tables.
  std::vector<audit::Migration> all = core::tender_core_migrations();
  return all;
}

}  // namespace sunbid::server
