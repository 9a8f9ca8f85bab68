#include "server/account_relations.h"

namespace sunbid::server {

Result<std::vector<std::string>> tenderer_account_ids(audit::Database& db,
                                                      std::string_view community) {
  return db.query_strings(
      "SELECT id FROM accounts WHERE role = 'tenderer' AND community_id = ? ORDER BY id",
      {community});
}

}  // namespace sunbid::server
