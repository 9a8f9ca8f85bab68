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
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::eval {

struct Expert {
  std::string account;                     // the evaluator account's username
  std::vector<std::string> specialties;    // 专业
  std::string employer_uscc;               // empty: none on record
  std::vector<std::string> related_usccs;  // declared relations (关联关系)
  std::string title;                       // 职称; empty: none on record
};

// A committee rule: at least `min` members with `specialty` (the tender's
// `committee_specialties`, in rule order).
struct SpecialtyQuota {
  std::string specialty;
  std::size_t min = 0;
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

// ---- The committed pool list (docs/committee-draw.md, payload version 3) ----

inline constexpr std::string_view kPoolLeafTag = "sunbid/pool/v1\n";
inline constexpr int kCommitteeDrawnPoolListVersion = 3;

// The canonical expert record: the canonical JSON (RFC 8785 style) of
// {"account", "employer_uscc", "related_usccs": sorted distinct,
//  "specialties": sorted distinct, "title"}.
std::string expert_record_json(const Expert& e);

// SHA-256("sunbid/pool/v1\n" ‖ salt (32 raw bytes) ‖ expert_record_json(e)).
Hash pool_leaf(const Hash& salt, const Expert& e);

// Exclusions (the rules above) and the eligible experts sorted by account.
// Errors: invalid_expert, duplicate_expert.
struct PoolSplit {
  std::vector<Exclusion> exclusions;  // sorted by (account, reason, bidder_uscc)
  std::vector<Expert> eligible;       // sorted by account
};
Result<PoolSplit> split_pool(const std::vector<Expert>& pool,
                             const std::vector<std::string>& bidder_usccs,
                             const std::vector<std::string>& excluded_accounts);

// The draw over POSITIONS of the committed list `list` (the eligible experts
// in the committed order). One DrawStream(seed): for each quota in order,
// need = min − (members with the specialty drawn so far); `need` positions
// are sampled from the qualifying positions not yet drawn (ascending), by
// sample(|qualifying|, need); then the remaining positions (ascending) are
// sampled by sample(|rest|, min(|list|, committee_size + reserve_size) −
// drawn so far). In that order: the first committee_size are the members,
// the rest the reserves (order of succession).
// Errors: invalid_committee_size, too_few_experts (|list| < committee_size),
// committee_specialty_unavailable (a quota cannot be met; details specialty,
// min, qualifying), committee_specialties_invalid (mins exceed the size).
struct PositionDraw {
  std::vector<std::size_t> members;   // positions, draw order
  std::vector<std::size_t> reserves;  // positions, order of succession
};
Result<PositionDraw> draw_positions(const std::vector<Expert>& list,
                                    const std::vector<SpecialtyQuota>& quotas,
                                    std::size_t committee_size, std::size_t reserve_size,
                                    const Hash& seed);

// The fresh draw (补抽 from a new list, purpose `replacement-N`,
// docs/committee-draw.md): as draw_positions with no reserves, for `seats`
// vacant seats and `quotas` the minimums still unmet by the seated members.
// Unlike the committee draw, the quotas' sum may exceed `seats` (an expert
// holding several specialties can meet more than one): the quotas are
// sampled in order and refused when they need more positions than there are
// seats. Errors: invalid_committee_size (seats = 0), too_few_experts (|list|
// < seats), committee_specialty_unavailable (a quota cannot be met, or the
// quotas need more than `seats` positions; details specialty, min,
// qualifying, seats).
Result<std::vector<std::size_t>> draw_replacement_positions(
    const std::vector<Expert>& list, const std::vector<SpecialtyQuota>& quotas, std::size_t seats,
    const Hash& seed);

// Succession (补抽 from the reserves, docs/committee-draw.md): the reserve
// who takes a freed seat. `seated` are the specialties of the members still
// seated (the leaving one already gone; a pending fresh draw's quota counts
// as seated, one entry per seat it will fill with that specialty),
// `reserves` those of the remaining reserves in order of succession. For
// each quota in rule order whose count among `seated` is below its minimum,
// the first reserve holding that specialty; if such a minimum is unmet and
// no remaining reserve holds it, nullopt: the seat goes to a fresh draw
// (`replacement-N`). If every minimum is met, the first reserve. nullopt
// also when no reserve is left. Returns an index into `reserves`.
std::optional<std::size_t> next_reserve(const std::vector<std::vector<std::string>>& seated,
                                        const std::vector<std::vector<std::string>>& reserves,
                                        const std::vector<SpecialtyQuota>& quotas);

// ---- Version 2 (sorted-account sampling), kept to verify older trails ----

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
