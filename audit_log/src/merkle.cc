#include "audit_log/merkle.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <string>

namespace sunbid::audit {
namespace {

// A leaf range [begin, end) of the tree.
struct Range {
  std::uint64_t begin;
  std::uint64_t end;
};

// The largest power of two strictly below n (RFC 6962's split point k).
// REQUIRES: n >= 2.
std::uint64_t split_point(std::uint64_t n) {
  return std::uint64_t{1} << (std::bit_width(n - 1) - 1);
}

ProofPlan to_plan(std::vector<Range> ranges_root_to_leaf) {
  ProofPlan plan;
  plan.reserve(ranges_root_to_leaf.size());
  for (auto it = ranges_root_to_leaf.rbegin(); it != ranges_root_to_leaf.rend(); ++it) {
    plan.push_back(range_nodes(it->begin, it->end));
  }
  return plan;
}

Error index_out_of_range(std::uint64_t index, std::uint64_t size) {
  return make_error("index_out_of_range",
                    "叶子序号超出树的大小 / leaf index is not below the tree size",
                    {{"index", index}, {"tree_size", size}});
}

Error proof_length_wrong(std::size_t expected, std::size_t actual) {
  return make_error("proof_length_wrong", "证明长度错误 / proof has the wrong number of hashes",
                    {{"expected", expected}, {"actual", actual}});
}

Error root_mismatch(std::string_view which, const Hash& expected, const Hash& computed) {
  return make_error(
      "root_mismatch",
      "计算出的根哈希与期望不符 / computed root hash does not match the expected one",
      {{"root", which}, {"expected", hex_encode(expected)}, {"computed", hex_encode(computed)}});
}

Error hash_length_wrong(std::string_view what, std::size_t length) {
  return make_error("hash_length_wrong", "哈希长度不是 32 字节 / hash is not 32 bytes long",
                    {{"what", what}, {"length", length}});
}

void shift(std::uint64_t& fn, std::uint64_t& sn) {
  fn >>= 1;
  sn >>= 1;
}

std::optional<Hash> to_hash(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 32) return std::nullopt;
  Hash h;
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

Result<std::vector<Hash>> to_hashes(std::span<const std::vector<std::uint8_t>> proof) {
  std::vector<Hash> out;
  out.reserve(proof.size());
  for (std::size_t i = 0; i < proof.size(); ++i) {
    auto h = to_hash(proof[i]);
    if (!h) return hash_length_wrong("proof[" + std::to_string(i) + "]", proof[i].size());
    out.push_back(*h);
  }
  return out;
}

Result<std::vector<Hash>> read_plan(const ProofPlan& plan, const NodeReader& read) {
  std::vector<NodeId> ids;
  for (const auto& element : plan) ids.insert(ids.end(), element.begin(), element.end());
  if (ids.empty()) return std::vector<Hash>{};
  SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> fetched, read(ids));
  return fold_plan(plan, fetched);
}

}  // namespace

Hash leaf_hash(std::string_view entry_bytes) {
  thread_local Sha256 h;  // reused: hashing is on the verifier's hot path
  h.update(std::uint8_t{0x00});
  h.update(entry_bytes);
  return h.finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
  thread_local Sha256 h;
  h.update(std::uint8_t{0x01});
  h.update(std::span<const std::uint8_t>(left));
  h.update(std::span<const std::uint8_t>(right));
  return h.finish();
}

Hash empty_root() {
  return sha256(std::string_view());
}

std::vector<NodeId> range_nodes(std::uint64_t begin, std::uint64_t end) {
  std::vector<NodeId> nodes;
  const std::uint64_t length = end - begin;
  std::uint64_t pos = begin;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t width = std::uint64_t{1} << level;
    if (length & width) {
      nodes.push_back(NodeId{static_cast<unsigned>(level), pos >> level});
      pos += width;
    }
  }
  return nodes;
}

std::vector<NodeId> frontier_nodes(std::uint64_t size) {
  return range_nodes(0, size);
}

Result<ProofPlan> plan_inclusion(std::uint64_t index, std::uint64_t size) {
  if (index >= size) return index_out_of_range(index, size);
  // Walk RFC 6962 PATH from the root down; each step's sibling subtree is one
  // proof hash. The recursion emits them leaf first, hence the reversal.
  std::vector<Range> siblings;
  std::uint64_t lo = 0;
  std::uint64_t hi = size;
  while (hi - lo > 1) {
    const std::uint64_t k = split_point(hi - lo);
    if (index < lo + k) {
      siblings.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      siblings.push_back({lo, lo + k});
      lo += k;
    }
  }
  return to_plan(std::move(siblings));
}

Result<ProofPlan> plan_consistency(std::uint64_t size1, std::uint64_t size2) {
  if (size1 == 0) {
    return make_error("consistency_from_empty_tree",
                      "不能证明与空树的一致性 / no consistency proof from an empty tree",
                      {{"size1", size1}, {"size2", size2}});
  }
  if (size1 > size2) {
    return make_error("consistency_sizes_reversed",
                      "旧树大于新树 / the first tree is larger than the second",
                      {{"size1", size1}, {"size2", size2}});
  }
  // RFC 6962 SUBPROOF(m, D[lo:hi], b), unrolled from the top down.
  std::vector<Range> path;
  std::uint64_t m = size1;
  std::uint64_t lo = 0;
  std::uint64_t hi = size2;
  bool whole_old_tree = true;  // the RFC's b: D[lo:hi] is still the old tree itself
  while (true) {
    const std::uint64_t n = hi - lo;
    if (m == n) {
      if (!whole_old_tree) path.push_back({lo, hi});
      break;
    }
    const std::uint64_t k = split_point(n);
    if (m <= k) {
      path.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      path.push_back({lo, lo + k});
      m -= k;
      lo += k;
      whole_old_tree = false;
    }
  }
  return to_plan(std::move(path));
}

Hash fold_range(std::span<const Hash> pieces) {
  if (pieces.empty()) return empty_root();
  Hash h = pieces.back();
  for (std::size_t i = pieces.size() - 1; i-- > 0;) h = node_hash(pieces[i], h);
  return h;
}

Result<std::vector<Hash>> fold_plan(const ProofPlan& plan, std::span<const Hash> fetched) {
  std::size_t needed = 0;
  for (const auto& element : plan) needed += element.size();
  if (needed != fetched.size()) {
    return make_error(
        "node_reader_mismatch",
        "存储返回的节点数与请求不符 / node reader returned the wrong number of hashes",
        {{"requested", needed}, {"returned", fetched.size()}});
  }
  std::vector<Hash> out;
  out.reserve(plan.size());
  std::size_t pos = 0;
  for (const auto& element : plan) {
    out.push_back(fold_range(fetched.subspan(pos, element.size())));
    pos += element.size();
  }
  return out;
}

Result<Hash> root_at(std::uint64_t size, const NodeReader& read) {
  if (size == 0) return empty_root();
  SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> root, read_plan(ProofPlan{frontier_nodes(size)}, read));
  return root.front();
}

Result<std::vector<Hash>> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                          const NodeReader& read) {
  SUNBID_ASSIGN_OR_RETURN(ProofPlan plan, plan_inclusion(index, size));
  return read_plan(plan, read);
}

Result<std::vector<Hash>> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                            const NodeReader& read) {
  SUNBID_ASSIGN_OR_RETURN(ProofPlan plan, plan_consistency(size1, size2));
  return read_plan(plan, read);
}

Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                        std::span<const Hash> proof, const Hash& root) {
  SUNBID_ASSIGN_OR_RETURN(ProofPlan plan, plan_inclusion(index, size));
  if (proof.size() != plan.size()) return proof_length_wrong(plan.size(), proof.size());

  // RFC 9162 §2.1.3.2.
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return proof_length_wrong(plan.size(), proof.size());
    if ((fn & 1) || fn == sn) {
      r = node_hash(p, r);
      while (!(fn & 1) && fn != 0) shift(fn, sn);
    } else {
      r = node_hash(r, p);
    }
    shift(fn, sn);
  }
  if (sn != 0) return proof_length_wrong(plan.size(), proof.size());
  if (r != root) return root_mismatch("root", root, r);
  return ok_status();
}

Status verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash> proof,
                          const Hash& root1, const Hash& root2) {
  SUNBID_ASSIGN_OR_RETURN(ProofPlan plan, plan_consistency(size1, size2));
  if (proof.size() != plan.size()) return proof_length_wrong(plan.size(), proof.size());
  if (size1 == size2) {
    if (root1 != root2) return root_mismatch("root2", root2, root1);
    return ok_status();
  }

  // RFC 9162 §2.1.4.2. When size1 is a power of two the old root is itself a
  // node of the new tree and is not repeated in the proof.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());

  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while (fn & 1) shift(fn, sn);
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return proof_length_wrong(plan.size(), proof.size());
    if ((fn & 1) || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while (!(fn & 1) && fn != 0) shift(fn, sn);
    } else {
      sr = node_hash(sr, c);
    }
    shift(fn, sn);
  }
  if (sn != 0) return proof_length_wrong(plan.size(), proof.size());
  if (fr != root1) return root_mismatch("root1", root1, fr);
  if (sr != root2) return root_mismatch("root2", root2, sr);
  return ok_status();
}

Status verify_inclusion_raw(std::span<const std::uint8_t> leaf, std::uint64_t index,
                            std::uint64_t size, std::span<const std::vector<std::uint8_t>> proof,
                            std::span<const std::uint8_t> root) {
  if (index >= size) return index_out_of_range(index, size);
  auto leaf_h = to_hash(leaf);
  if (!leaf_h) return hash_length_wrong("leaf", leaf.size());
  auto root_h = to_hash(root);
  if (!root_h) return hash_length_wrong("root", root.size());
  SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> hashes, to_hashes(proof));
  return verify_inclusion(*leaf_h, index, size, hashes, *root_h);
}

Status verify_consistency_raw(std::uint64_t size1, std::uint64_t size2,
                              std::span<const std::vector<std::uint8_t>> proof,
                              std::span<const std::uint8_t> root1,
                              std::span<const std::uint8_t> root2) {
  SUNBID_TRY(plan_consistency(size1, size2));
  if (size1 == size2) {
    // Equal sizes: only "same tree, nothing to prove" is consistent; the roots
    // are compared as opaque bytes.
    if (!proof.empty()) return proof_length_wrong(0, proof.size());
    if (!std::equal(root1.begin(), root1.end(), root2.begin(), root2.end())) {
      return make_error("root_mismatch",
                        "两棵同样大小的树根哈希不同 / equal sizes but different roots",
                        {{"root1", hex_encode(root1)}, {"root2", hex_encode(root2)}});
    }
    return ok_status();
  }
  auto root1_h = to_hash(root1);
  if (!root1_h) return hash_length_wrong("root1", root1.size());
  auto root2_h = to_hash(root2);
  if (!root2_h) return hash_length_wrong("root2", root2.size());
  SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> hashes, to_hashes(proof));
  return verify_consistency(size1, size2, hashes, *root1_h, *root2_h);
}

Result<Frontier> Frontier::from_nodes(std::uint64_t size, std::vector<Hash> roots) {
  const auto expected = static_cast<std::size_t>(std::popcount(size));
  if (roots.size() != expected) {
    return make_error("frontier_size_mismatch",
                      "边界节点数与树大小不符 / frontier hash count does not match the tree size",
                      {{"tree_size", size}, {"expected", expected}, {"actual", roots.size()}});
  }
  return Frontier(size, std::move(roots));
}

void Frontier::append(const Hash& leaf, std::vector<std::pair<NodeId, Hash>>* completed) {
  NodeId id{0, size_};
  Hash h = leaf;
  if (completed) completed->emplace_back(id, h);
  // Each trailing one bit of the old size is a perfect subtree that the new
  // leaf now pairs with (binary carry).
  while (id.index & 1) {
    h = node_hash(roots_.back(), h);
    roots_.pop_back();
    id = NodeId{id.level + 1, id.index >> 1};
    if (completed) completed->emplace_back(id, h);
  }
  roots_.push_back(h);
  ++size_;
}

Hash Frontier::root() const {
  return fold_range(roots_);
}

}  // namespace sunbid::audit
