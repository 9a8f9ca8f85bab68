// The roles of DESIGN.md an account holds (one each). Who may do what with a
// role is the server's policy table (server/policy.h); the business relations
// a role implies (its community, USCC, owner key) are checked by tender_core
// and evaluation.
//
// Thread-safety: pure functions over constant data.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace sunbid::accounts {

// The order is the policy table's column order; the names are stored in the
// accounts table and written into entries, so neither changes.
enum class Role { kAdmin, kTenderer, kEnterprise, kEvaluator, kOwner, kSupervisor };

inline constexpr std::size_t kRoleCount = 6;

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

// The kind of organisation a tenderer account stands for (issue 13 §3; work
// points 三(三) and 十四; docs/tenderer-kinds.md): its relation to its
// community. A community's tenderer accounts are all of one kind.
// - owners_committee (业主委员会): elected by the owners' assembly;
// - provisional_committee (临时物业管理委员会): formed by the street office
//   where there is no owners' committee; the same powers and plan gate;
// - community_office (社区): small estates with no owners' organisation; it
//   organises the owners' motions (it never votes: it is not an owner) and
//   alone may tender menu services (菜单式服务).
// The names are stored and written into entries, so they never change.
enum class TendererKind { kOwnersCommittee, kProvisionalCommittee, kCommunityOffice };

inline constexpr std::size_t kTendererKindCount = 3;

std::string_view tenderer_kind_name(TendererKind kind);
std::optional<TendererKind> parse_tenderer_kind(std::string_view name);


}  // namespace sunbid::accounts
