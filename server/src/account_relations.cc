#include "server/account_relations.h"

namespace sunbid::server {

Result<std::vector<std::string>> tenderer_account_ids(audit::Database& db,
                                                      std::string_view community) {
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * st,
                          db.cached("SELECT id FROM accounts WHERE role = 'tenderer' AND "
                                    "community_id = ? ORDER BY id"));
  st->bind(1, community);
  std::vector<std::string> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    out.emplace_back(st->column_text(0));
  }
  st->reset();
  return out;
}

}  // namespace sunbid::server
