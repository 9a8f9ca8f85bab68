// Verifiable randomness: the seed of a draw and the deterministic sampler that
// turns it into indices. Specified byte for byte in docs/draw.md.
//
// Every draw of a tender (committee, replacement-N, candidate cap, lottery,
// tie-break, run-off tie) derives its seed from public values only:
//   seed = SHA-256("sunbid/draw/v1\n" ‖ purpose ‖ "\n" ‖ tender_id ‖ "\n" ‖
//                  checkpoint_root (32 raw bytes) ‖ beacon ‖ "\n" ‖
//                  beacon_date ‖ "\n")
// (draws logged before the date entered the seed, without `seed_version`
// 2 in their entry, used the same bytes without `beacon_date ‖ "\n"`:
// draw_seed_undated, kept so older trails still verify)
// and consumes it through DrawStream, SHA-256 in counter mode, so anyone
// (sunbid-verify included) recomputes the same result from the trail.
//
// Thread-safety: draw_seed is safe for concurrent use; a DrawStream is used by
// one thread at a time (it is a cursor).
//
// Invariant: a DrawStream's output depends only on its seed and on the
// sequence of calls made on it; nothing else (no clock, no global state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::eval {

// The purposes a draw may be made for. A purpose is part of the seed, so two
// draws of one tender with the same beacon never share a stream.
namespace draw_purpose {
inline constexpr std::string_view kCommittee = "committee";  // 专家抽取
// 补抽 from a fresh list: "replacement-1", "replacement-2", … (prefix + N).
inline constexpr std::string_view kReplacementPrefix = "replacement-";
inline constexpr std::string_view kCandidateCap = "candidate_cap";      // 候选人数上限
inline constexpr std::string_view kLottery = "lottery";                 // 抽签
inline constexpr std::string_view kTieBreak = "tie_break";              // 同分/同价抽签
inline constexpr std::string_view kRunoffTie = "runoff_tie";            // 决选名额并列
inline constexpr std::string_view kShortlistTie = "shortlist_tie";      // 票决抽签入围并列
inline constexpr std::string_view kEliminationTie = "elimination_tie";  // 票决淘汰并列
}  // namespace draw_purpose

inline constexpr std::string_view kDrawDomainTag = "sunbid/draw/v1\n";

// The seed of one draw. Refuses (code `invalid_draw_field`) a purpose, tender
// id or beacon that contains "\n", or an empty purpose or tender id: the "\n"
// framing is what makes the concatenation unambiguous.
Result<Hash> draw_seed(std::string_view purpose, std::string_view tender_id,
                       const Hash& checkpoint_root, std::string_view beacon,
                       std::string_view beacon_date);

// The seed of draws logged before the beacon date entered it (no
// `seed_version` in the entry's `draw`). Verification of old trails only.
Result<Hash> draw_seed_undated(std::string_view purpose, std::string_view tender_id,
                               const Hash& checkpoint_root, std::string_view beacon);

// The `seed_version` member of a draw entry's `draw` object written now.
inline constexpr int kDrawSeedVersion = 2;

// SHA-256 in counter mode: block_i = SHA-256(seed ‖ uint64_be(i)), i = 0, 1, …;
// each block gives four big-endian uint64 words, consumed in order.
class DrawStream {
 public:
  explicit DrawStream(const Hash& seed);
  DrawStream(const DrawStream&) = delete;
  DrawStream& operator=(const DrawStream&) = delete;

  const Hash& seed() const { return seed_; }

  // The next 64-bit word of the stream.
  std::uint64_t next_word();

  // Uniform in [0, n) by rejection sampling: with r = 2^64 mod n, words
  // w ≥ 2^64 − r are skipped (none when r = 0); the result is w mod n.
  // REQUIRES: n ≥ 1.
  std::uint64_t uniform(std::uint64_t n);

  // k distinct indices of [0, population), in draw order, by partial
  // Fisher–Yates: a = [0..population); for i in 0..k−1:
  // j = i + uniform(population − i); swap(a[i], a[j]); result = a[0..k).
  // REQUIRES: k ≤ population.
  std::vector<std::size_t> sample(std::size_t population, std::size_t k);

 private:
  Hash seed_;
  Hash block_{};
  std::uint64_t counter_ = 0;   // index of the next block to compute
  unsigned word_in_block_ = 4;  // 4 = current block exhausted
};

}  // namespace sunbid::eval
