#include "accounts/relations.h"

#include "tender_core/registry.h"

namespace sunbid::accounts {

Result<std::vector<std::string>> tenderer_account_ids(audit::Database& db,
                                                      std::string_view community) {
  return db.query_strings(
      "SELECT id FROM accounts WHERE role = 'tenderer' AND community_id = ? ORDER BY id",
      {community});
}

Status check_account_relations(audit::Database& db, const NewAccount& account) {
  auto refuse = [](std::string field, std::string zh, std::string en) {
    return make_error("account_relation_invalid", zh + " / " + en, {{"field", field}});
  };
  if (account.community_id) {
    auto c = core::Registry::community(db, *account.community_id);
    if (!c.ok()) {
      if (c.error().code != "community_not_found") return std::move(c).error();
      return refuse("/community_id", "小区不存在", "no such community");
    }
    if (account.owner_key) {
      SUNBID_ASSIGN_OR_RETURN(bool on_roster, core::Registry::owner_on_roster(
                                                  db, *account.community_id, *account.owner_key));
      if (!on_roster) {
        return refuse("/owner_key", "该小区名册中没有此业主",
                      "the community's roster has no such owner_key");
      }
    }
  }
  if (account.enterprise_uscc) {
    SUNBID_ASSIGN_OR_RETURN(bool registered,
                            core::Registry::enterprise_registered(db, *account.enterprise_uscc));
    if (!registered) {
      return refuse("/enterprise_uscc", "企业未登记", "no such registered enterprise");
    }
  }
  return {};
}

}  // namespace sunbid::accounts
