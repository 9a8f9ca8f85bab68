#include "accounts/role.h"

#include <array>

namespace sunbid::accounts {

namespace {

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "admin", "tenderer", "enterprise", "evaluator", "owner", "supervisor"};

}  // namespace

std::string_view role_name(Role role) {
  return kRoleNames[static_cast<std::size_t>(role)];
}

std::optional<Role> parse_role(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

}  // namespace sunbid::accounts
