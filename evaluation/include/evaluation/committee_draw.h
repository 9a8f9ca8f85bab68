// 专家抽取: drawing a tender's review committee and its ordered reserve list
// from the expert pool (专家库), conflicts excluded, by the verifiable draw.
//
// Exclusions (评定分离 and conflict of interest): an expert employed by any
// bidder, an expert declared related to any bidder, and every account taking
// part in this tender's decision. The eligible experts are sorted by account
// (byte order) before sampling, so the result does not depend on the order in
// which the pool was read. With a seed s and E eligible experts the draw is
//   DrawStream(s).sample(E, min(E, committee_size + reserve_size))
// members = the first committee_size indices, reserves = the rest, in draw order.
// The pool snapshot digest is specified byte for byte in docs/committee-draw.md.
//
// Thread-safety: pure function, safe for concurrent use.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::eval {

struct Expert {
  std::string account;  // the evaluator account's username
  std::vector<std::string> specialties;
  std::string employer_uscc;               // empty: none on record
  std::vector<std::string> related_usccs;  // declared relations (关联关系)
};

// Why an expert was not drawable. One record per (account, reason, bidder).
struct Exclusion {
  std::string account;
  std::string reason;       // "employed_by_bidder" | "related_to_bidder" | "takes_part_in_decision"
  std::string bidder_uscc;  // the bidder concerned; empty for takes_part_in_decision
  bool operator==(const Exclusion&) const = default;
};

struct CommitteeDraw {
  // Inputs, so the record is recomputable on its own.
  Hash seed{};
  std::size_t committee_size = 0;
  std::size_t reserve_size = 0;
  std::vector<std::string> bidder_usccs;       // sorted, distinct
  std::vector<std::string> excluded_accounts;  // sorted, distinct
  std::size_t pool_size = 0;
  Hash pool_digest{};  // SHA-256 of the sorted pool, docs/committee-draw.md
  // Outcome.
  std::vector<Exclusion> exclusions;  // sorted by (account, reason, bidder_uscc)
  std::size_t eligible_count = 0;
  std::vector<std::string> members;   // draw order
  std::vector<std::string> reserves;  // draw order = order of succession; may be
                                      // shorter than reserve_size if too few eligible
};

// The version of the `committee.drawn` payload written now. Version 1 (no
// `payload_version` member) logged the pool only by digest; version 2 adds
// `pool`: [{account, employer_uscc, related_usccs, specialties}] sorted by
// account, the lists sorted — the exact input of the digest and the draw.
inline constexpr int kCommitteeDrawnPayloadVersion = 2;

// The digest of the pool snapshot (docs/committee-draw.md). Input order of the
// pool and of each expert's lists does not matter.
// REQUIRES: accounts distinct (draw_committee checks it).
Hash expert_pool_digest(const std::vector<Expert>& pool);

// Errors: `invalid_committee_size` (committee_size = 0), `invalid_expert`
// (empty account), `duplicate_expert` (an account twice in the pool),
// `too_few_experts` (fewer eligible than committee_size; details carry
// pool_size, excluded and eligible counts and the committee size).
Result<CommitteeDraw> draw_committee(const std::vector<Expert>& pool,
                                     const std::vector<std::string>& bidder_usccs,
                                     const std::vector<std::string>& excluded_accounts,
                                     std::size_t committee_size, std::size_t reserve_size,
                                     const Hash& seed);

}  // namespace sunbid::eval
