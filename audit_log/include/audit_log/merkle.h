// RFC 6962 / RFC 9162 Merkle tree math, apart from storage.
//
// The tree over entries D[0:n] is the one of RFC 6962 §2.1:
//   leaf hash  = SHA-256(0x00 ‖ entry bytes)
//   node hash  = SHA-256(0x01 ‖ left ‖ right)
//   empty tree = SHA-256("")
//   MTH(D[0:n]) splits at k = the largest power of two < n.
//
// Every hash the log needs is built from *perfect* subtrees (NodeId): a node at
// `level` covers the 2^level leaves [index·2^level, (index+1)·2^level). Storage
// only answers "the hashes of these perfect nodes" (NodeReader); the planners
// below say which nodes a root or a proof needs, and the combining functions
// fold the fetched hashes into the answer. A subtree on the right edge of a
// tree whose size is not a power of two is not perfect: it is folded from its
// perfect pieces (largest first, combined right to left), never rehashed from
// leaves.
//
// Proofs are ordered from the leaf (or the old tree) up to the root, exactly as
// RFC 6962 PATH / PROOF and RFC 9162 inclusion_path / consistency_path.
//
// Thread-safety: the free functions are pure and safe for concurrent use (a
// NodeReader is called from the calling thread only). A Frontier is a value used
// by one thread at a time.
//
// Conventions beyond RFC 9162 (see /work/shared/conformance/rfc6962/README.md):
// sizes and indices are full 64-bit; a consistency proof from size 0 is always
// refused; for size1 == size2 the proof must be empty and the roots equal byte
// for byte (whatever their length).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::audit {

Hash leaf_hash(std::string_view entry_bytes);
Hash node_hash(const Hash& left, const Hash& right);
Hash empty_root();

// The perfect subtree covering leaves [index·2^level, (index+1)·2^level).
// Invariant: level <= 63 for any node of a tree with at most 2^64 - 1 leaves.
struct NodeId {
  unsigned level = 0;
  std::uint64_t index = 0;

  bool operator==(const NodeId&) const = default;
  auto operator<=>(const NodeId&) const = default;
};

// Answers the hashes of the given perfect nodes, in the same order and count.
// REQUIRES of the implementation: returns exactly ids.size() hashes or an error.
using NodeReader = std::function<Result<std::vector<Hash>>(std::span<const NodeId>)>;

// ---- Planners: which perfect nodes are needed (pure index arithmetic) ------

// The perfect pieces of the leaf range [begin, end), largest first. This is
// MTH's decomposition when `begin` is a multiple of bit_ceil(end - begin) (or 0),
// which holds for every subtree of an RFC 6962 tree.
// REQUIRES: begin <= end.
std::vector<NodeId> range_nodes(std::uint64_t begin, std::uint64_t end);

// The roots of the perfect subtrees of a tree of `size` leaves, left to right
// (largest first) — one per set bit of `size`.
std::vector<NodeId> frontier_nodes(std::uint64_t size);

// A proof as a plan: one element per proof hash, each element the perfect pieces
// (largest first) of the subtree whose MTH is that proof hash.
using ProofPlan = std::vector<std::vector<NodeId>>;

// RFC 6962 §2.1.1 PATH(index, D[0:size]). Error `index_out_of_range` unless
// index < size.
Result<ProofPlan> plan_inclusion(std::uint64_t index, std::uint64_t size);
// RFC 6962 §2.1.2 PROOF(size1, D[0:size2]). Errors: `consistency_from_empty_tree`
// for size1 == 0, `consistency_sizes_reversed` for size1 > size2. size1 == size2
// gives the empty plan.
Result<ProofPlan> plan_consistency(std::uint64_t size1, std::uint64_t size2);

// ---- Combining: from fetched hashes to the answer ---------------------------

// Folds the hashes of a range's perfect pieces (largest first) into its MTH:
// h = pieces.back(); then h = node_hash(pieces[i], h) for i from the back.
// An empty range gives empty_root().
Hash fold_range(std::span<const Hash> pieces);
// Folds a plan whose pieces were fetched in plan order (all pieces of element 0,
// then of element 1, ...). Error `node_reader_mismatch` if the count differs.
Result<std::vector<Hash>> fold_plan(const ProofPlan& plan, std::span<const Hash> fetched);

// ---- Reading through storage: one batched reader call each -----------------

// MTH(D[0:size]); size 0 gives empty_root() without calling the reader.
Result<Hash> root_at(std::uint64_t size, const NodeReader& read);
// Errors: those of plan_inclusion, the reader's, `node_reader_mismatch`.
Result<std::vector<Hash>> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                          const NodeReader& read);
// Errors: those of plan_consistency, the reader's, `node_reader_mismatch`.
Result<std::vector<Hash>> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                            const NodeReader& read);

// ---- Verifiers (RFC 9162 §2.1.3.2 and §2.1.4.2) -----------------------------
//
// Error codes: `index_out_of_range`, `consistency_from_empty_tree`,
// `consistency_sizes_reversed`, `proof_length_wrong` (details: expected, actual),
// `root_mismatch` (details: expected and computed root hex, and for consistency
// which root), `hash_length_wrong` (raw variants only).

Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                        std::span<const Hash> proof, const Hash& root);
Status verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash> proof,
                          const Hash& root1, const Hash& root2);

// The same checks on untrusted byte strings of any length (as decoded from JSON
// or base64): a leaf, root or proof hash that is not 32 bytes is refused, except
// that for size1 == size2 the roots are only compared byte for byte.
Status verify_inclusion_raw(std::span<const std::uint8_t> leaf, std::uint64_t index,
                            std::uint64_t size, std::span<const std::vector<std::uint8_t>> proof,
                            std::span<const std::uint8_t> root);
Status verify_consistency_raw(std::uint64_t size1, std::uint64_t size2,
                              std::span<const std::vector<std::uint8_t>> proof,
                              std::span<const std::uint8_t> root1,
                              std::span<const std::uint8_t> root2);

// ---- Frontier (compact range) -----------------------------------------------

// The O(log n) roots of the perfect subtrees of a tree of size n: enough to
// append leaves and compute the root without reading anything else.
//
// Invariant: roots().size() == popcount(size()); roots()[i] is the hash of
// frontier_nodes(size())[i].
class Frontier {
 public:
  Frontier() = default;  // the empty tree

  // From the hashes of frontier_nodes(size), in that order, read from storage.
  // Error `frontier_size_mismatch` if the count is not popcount(size).
  static Result<Frontier> from_nodes(std::uint64_t size, std::vector<Hash> roots);

  // Appends one leaf hash. If `completed` is not null, appends to it every
  // perfect node this completes: the leaf itself at level 0, then each newly
  // completed parent, lowest first, so the caller can store them.
  // REQUIRES: size() < UINT64_MAX.
  void append(const Hash& leaf, std::vector<std::pair<NodeId, Hash>>* completed);

  Hash root() const;
  std::uint64_t size() const { return size_; }
  std::span<const Hash> roots() const { return roots_; }

 private:
  Frontier(std::uint64_t size, std::vector<Hash> roots) : size_(size), roots_(std::move(roots)) {}

  std::uint64_t size_ = 0;
  std::vector<Hash> roots_;  // largest subtree first
};

}  // namespace sunbid::audit
