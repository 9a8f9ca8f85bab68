// Who asks: the account behind a command and what the server knows of it.
//
// The server fills an Actor from the authenticated session; tender_core trusts
// the role (role-based authorization is the server's one policy table) but
// enforces the business relations itself: a tenderer acts only for its own
// community, an enterprise only for its own USCC, an owner only in its own
// community.
//
// Thread-safety: a value.
#pragma once

#include <string>

namespace sunbid::core {

struct Actor {
  std::string account;          // the account id; goes into entries as `actor`
  std::string role;             // admin, tenderer, enterprise, evaluator, owner, supervisor
  std::string source_address;   // network address; entries carry only its salted digest
  std::string community_id;     // tenderer and owner accounts: their community
  std::string enterprise_uscc;  // enterprise accounts: their USCC
  std::string owner_key;        // owner accounts: their roster key
  // Tenderer accounts: their kind of organisation (accounts/role.h:
  // owners_committee, provisional_committee, community_office); a tender
  // freezes it at its draft. Empty: an owners' committee.
  std::string tenderer_kind;
};

}  // namespace sunbid::core
