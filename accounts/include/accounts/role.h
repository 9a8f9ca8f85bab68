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

}  // namespace sunbid::accounts
