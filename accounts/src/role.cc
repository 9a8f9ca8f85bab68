#include "accounts/role.h"

#include <array>

namespace sunbid::accounts {

namespace {

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "admin", "tenderer", "enterprise", "evaluator", "owner", "supervisor"};

constexpr std::array<std::string_view, kTendererKindCount> kTendererKindNames = {
    "owners_committee", "provisional_committee", "community_office"};

}  // namespace

std::string_view tenderer_kind_name(TendererKind kind) {
  return kTendererKindNames[static_cast<std::size_t>(kind)];
}

std::optional<TendererKind> parse_tenderer_kind(std::string_view name) {
  for (std::size_t i = 0; i < kTendererKindNames.size(); ++i) {
    if (kTendererKindNames[i] == name) return static_cast<TendererKind>(i);
  }
  return std::nullopt;
}

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
