#include "server/migrations.h"

namespace sunbid::server {

std::vector<audit::Migration> all_migrations() {
  // tender_core and evaluation add theirs here as they gain tables.
  return {};
}

}  // namespace sunbid::server
