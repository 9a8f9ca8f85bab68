// Tests of the Merkle math against a naive model written straight from
// RFC 6962 §2.1 (MTH, PATH, SUBPROOF) over an in-memory node store that is
// filled only through Frontier::append.
#include "audit_log/merkle.h"

#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace {

using sunbid::Hash;
using sunbid::Result;
using namespace sunbid::audit;

// The RFC's recursive definitions, memoised on the leaf range.
class NaiveTree {
 public:
  void add(const std::string& entry) { leaves_.push_back(leaf_hash(entry)); }
  std::uint64_t size() const { return leaves_.size(); }

  Hash mth(std::uint64_t lo, std::uint64_t hi) {
    if (hi == lo) return sunbid::sha256(std::string_view());
    if (hi - lo == 1) return leaves_[lo];
    auto key = std::make_pair(lo, hi);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    const std::uint64_t k = split(hi - lo);
    Hash h = node_hash(mth(lo, lo + k), mth(lo + k, hi));
    memo_.emplace(key, h);
    return h;
  }

  // PATH(m, D[lo:hi]); `left` records for each hash whether it sits left of the path.
  void path(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<Hash>& out,
            std::vector<bool>& left) {
    const std::uint64_t n = hi - lo;
    if (n <= 1) return;
    const std::uint64_t k = split(n);
    if (m < k) {
      path(m, lo, lo + k, out, left);
      out.push_back(mth(lo + k, hi));
      left.push_back(false);
    } else {
      path(m - k, lo + k, hi, out, left);
      out.push_back(mth(lo, lo + k));
      left.push_back(true);
    }
  }

  // SUBPROOF(m, D[lo:hi], b).
  void subproof(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool b,
                std::vector<Hash>& out) {
    const std::uint64_t n = hi - lo;
    if (m == n) {
      if (!b) out.push_back(mth(lo, hi));
      return;
    }
    const std::uint64_t k = split(n);
    if (m <= k) {
      subproof(m, lo, lo + k, b, out);
      out.push_back(mth(lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false, out);
      out.push_back(mth(lo, lo + k));
    }
  }

  const Hash& leaf(std::uint64_t i) const { return leaves_[i]; }

 private:
  // Largest power of two strictly below n, by doubling (independent of <bit>).
  static std::uint64_t split(std::uint64_t n) {
    std::uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }

  std::vector<Hash> leaves_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Hash> memo_;
};

// Perfect nodes as the storage layer would keep them, plus a counting reader.
struct NodeStore {
  std::map<NodeId, Hash> nodes;
  int calls = 0;
  std::size_t nodes_read = 0;

  NodeReader reader() {
    return [this](std::span<const NodeId> ids) -> Result<std::vector<Hash>> {
      ++calls;
      nodes_read += ids.size();
      std::vector<Hash> out;
      for (const NodeId& id : ids) {
        auto it = nodes.find(id);
        if (it == nodes.end())
          return sunbid::make_error("missing_node", "test store: no such node");
        out.push_back(it->second);
      }
      return out;
    };
  }
  void reset_counts() {
    calls = 0;
    nodes_read = 0;
  }
};

std::string entry(std::uint64_t i) {
  return "entry-" + std::to_string(i);
}

Hash flip(Hash h, int bit) {
  h[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return h;
}

std::size_t log_bound(std::uint64_t size) {
  return 2 * std::bit_width(size) + 1;
}

}  // namespace

TEST_CASE("hash primitives follow RFC 6962 domain separation", "[merkle]") {
  // Independently computed with Python hashlib:
  //   sha256(b"").hexdigest(), sha256(b"\x00").hexdigest(),
  //   sha256(b"\x01" + sha256(b"\x00").digest() * 2).hexdigest()
  CHECK(sunbid::hex_encode(empty_root()) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sunbid::hex_encode(leaf_hash("")) ==
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const Hash l = leaf_hash("");
  CHECK(sunbid::hex_encode(node_hash(l, l)) ==
        "fe43d66afa4a9a5c4f9c9da89f4ffb52635c8f342e7ffb731d68e36c5982072a");
}

TEST_CASE("frontier, roots and inclusion proofs match the RFC for sizes 1..300", "[merkle]") {
  NaiveTree naive;
  NodeStore store;
  Frontier frontier;
  CHECK(frontier.root() == empty_root());
  {
    auto r = root_at(0, store.reader());
    REQUIRE(r.ok());
    CHECK(*r == empty_root());
    CHECK(store.calls == 0);
  }

  for (std::uint64_t size = 1; size <= 300; ++size) {
    naive.add(entry(size - 1));
    std::vector<std::pair<NodeId, Hash>> completed;
    frontier.append(leaf_hash(entry(size - 1)), &completed);
    REQUIRE(frontier.size() == size);

    // The completed nodes are the leaf, then each new parent, lowest first,
    // and each is the MTH of the leaves it covers.
    REQUIRE(!completed.empty());
    CHECK(completed.front().first == NodeId{0, size - 1});
    CHECK(completed.size() == 1 + static_cast<std::size_t>(std::countr_zero(size)));
    for (std::size_t i = 0; i < completed.size(); ++i) {
      const auto& [id, h] = completed[i];
      CHECK(id.level == i);
      const std::uint64_t begin = id.index << id.level;
      const std::uint64_t end = (id.index + 1) << id.level;
      CHECK(end == size);
      CHECK(h == naive.mth(begin, end));
      store.nodes.emplace(id, h);
    }

    const Hash want_root = naive.mth(0, size);
    CHECK(frontier.root() == want_root);

    store.reset_counts();
    auto root = root_at(size, store.reader());
    REQUIRE(root.ok());
    CHECK(*root == want_root);
    CHECK(store.calls == 1);
    CHECK(store.nodes_read == static_cast<std::size_t>(std::popcount(size)));

    // A frontier rebuilt from storage behaves like the live one.
    store.reset_counts();
    auto roots = store.reader()(frontier_nodes(size));
    REQUIRE(roots.ok());
    auto rebuilt = Frontier::from_nodes(size, *roots);
    REQUIRE(rebuilt.ok());
    CHECK(rebuilt->root() == want_root);
    CHECK(rebuilt->size() == size);

    for (std::uint64_t index = 0; index < size; ++index) {
      std::vector<Hash> want;
      std::vector<bool> left;
      naive.path(index, 0, size, want, left);

      store.reset_counts();
      auto proof = inclusion_proof(index, size, store.reader());
      REQUIRE(proof.ok());
      CHECK(*proof == want);
      CHECK(store.calls == (want.empty() ? 0 : 1));
      CHECK(store.nodes_read <= log_bound(size));
      CHECK(verify_inclusion(naive.leaf(index), index, size, *proof, want_root).ok());
    }
  }

  // Appending past a rebuilt frontier gives the same tree as the live one.
  auto roots = store.reader()(frontier_nodes(77));
  REQUIRE(roots.ok());
  auto rebuilt = Frontier::from_nodes(77, *roots);
  REQUIRE(rebuilt.ok());
  for (std::uint64_t i = 77; i < 300; ++i) rebuilt->append(leaf_hash(entry(i)), nullptr);
  CHECK(rebuilt->root() == frontier.root());

  CHECK(Frontier::from_nodes(77, {}).error().code == "frontier_size_mismatch");
}

TEST_CASE("consistency proofs match RFC SUBPROOF for every m <= n <= 100", "[merkle]") {
  NaiveTree naive;
  NodeStore store;
  Frontier frontier;
  std::vector<std::pair<NodeId, Hash>> completed;
  for (std::uint64_t i = 0; i < 100; ++i) {
    naive.add(entry(i));
    frontier.append(leaf_hash(entry(i)), &completed);
  }
  for (const auto& [id, h] : completed) store.nodes.emplace(id, h);

  for (std::uint64_t n = 1; n <= 100; ++n) {
    const Hash root2 = naive.mth(0, n);
    for (std::uint64_t m = 1; m <= n; ++m) {
      const Hash root1 = naive.mth(0, m);
      std::vector<Hash> want;
      if (m < n) naive.subproof(m, 0, n, true, want);

      store.reset_counts();
      auto proof = consistency_proof(m, n, store.reader());
      REQUIRE(proof.ok());
      CHECK(*proof == want);
      CHECK(store.calls == (want.empty() ? 0 : 1));
      CHECK(store.nodes_read <= log_bound(n));
      CHECK(verify_consistency(m, n, *proof, root1, root2).ok());

      if (m == n) {
        CHECK(verify_consistency(m, n, *proof, root1, flip(root2, 0)).error().code ==
              "root_mismatch");
        continue;
      }
      // Tampering: every bit flip position class, dropped, extra, wrong roots.
      for (std::size_t i = 0; i < proof->size(); ++i) {
        auto bad = *proof;
        bad[i] = flip(bad[i], static_cast<int>((i * 37 + m) % 256));
        CHECK(verify_consistency(m, n, bad, root1, root2).error().code == "root_mismatch");
      }
      auto dropped = *proof;
      dropped.pop_back();
      CHECK(verify_consistency(m, n, dropped, root1, root2).error().code == "proof_length_wrong");
      auto extra = *proof;
      extra.push_back(root2);
      CHECK(verify_consistency(m, n, extra, root1, root2).error().code == "proof_length_wrong");
      CHECK(!verify_consistency(m, n, *proof, flip(root1, 255), root2).ok());
      CHECK(!verify_consistency(m, n, *proof, root1, flip(root2, 7)).ok());
      CHECK(!verify_consistency(m, n, *proof, root2, root1).ok());
    }
  }

  CHECK(consistency_proof(0, 5, store.reader()).error().code == "consistency_from_empty_tree");
  CHECK(consistency_proof(6, 5, store.reader()).error().code == "consistency_sizes_reversed");
  CHECK(verify_consistency(0, 0, {}, empty_root(), empty_root()).error().code ==
        "consistency_from_empty_tree");
  CHECK(verify_consistency(6, 5, {}, naive.mth(0, 6), naive.mth(0, 5)).error().code ==
        "consistency_sizes_reversed");
  // An empty proof between different sizes is never enough.
  CHECK(verify_consistency(4, 8, {}, naive.mth(0, 4), naive.mth(0, 8)).error().code ==
        "proof_length_wrong");
}

TEST_CASE("tampered inclusion proofs are refused with evidence", "[merkle]") {
  NaiveTree naive;
  for (std::uint64_t i = 0; i < 70; ++i) naive.add(entry(i));

  for (std::uint64_t size = 1; size <= 70; ++size) {
    const Hash root = naive.mth(0, size);
    for (std::uint64_t index = 0; index < size; ++index) {
      std::vector<Hash> proof;
      std::vector<bool> left;
      naive.path(index, 0, size, proof, left);
      const Hash& leaf = naive.leaf(index);
      REQUIRE(verify_inclusion(leaf, index, size, proof, root).ok());

      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i] = flip(bad[i], static_cast<int>((i * 53 + index) % 256));
        auto st = verify_inclusion(leaf, index, size, bad, root);
        REQUIRE(!st.ok());
        CHECK(st.error().code == "root_mismatch");
        CHECK(st.error().details.at("expected").as_string() == sunbid::hex_encode(root));
      }
      if (!proof.empty()) {
        auto dropped = proof;
        dropped.pop_back();
        auto st = verify_inclusion(leaf, index, size, dropped, root);
        REQUIRE(!st.ok());
        CHECK(st.error().code == "proof_length_wrong");
        CHECK(st.error().details.at("expected").as_uint64() == proof.size());
        CHECK(st.error().details.at("actual").as_uint64() == proof.size() - 1);
      }
      auto extra = proof;
      extra.push_back(root);
      CHECK(verify_inclusion(leaf, index, size, extra, root).error().code == "proof_length_wrong");
      CHECK(!verify_inclusion(flip(leaf, 3), index, size, proof, root).ok());
      CHECK(!verify_inclusion(leaf, index, size, proof, flip(root, 200)).ok());

      // A wrong index never verifies: the path's left/right turns name the leaf.
      for (std::uint64_t other = 0; other < size; ++other) {
        if (other != index) CHECK(!verify_inclusion(leaf, other, size, proof, root).ok());
      }
      // A wrong size verifies exactly when RFC PATH has the same shape there
      // (an inclusion proof cannot tell a right-edge node from a leaf), so the
      // size must come from a checkpoint, never from the proof.
      for (std::uint64_t other_size = index + 1; other_size <= 70; ++other_size) {
        if (other_size == size) continue;
        std::vector<Hash> other_proof;
        std::vector<bool> other_left;
        naive.path(index, 0, other_size, other_proof, other_left);
        const bool same_shape = other_left == left;
        CHECK(verify_inclusion(leaf, index, other_size, proof, root).ok() == same_shape);
      }
    }
  }
  CHECK(verify_inclusion(naive.leaf(0), 0, 0, {}, empty_root()).error().code ==
        "index_out_of_range");
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  CHECK(verify_inclusion(naive.leaf(0), max, max, {}, empty_root()).error().code ==
        "index_out_of_range");
}

TEST_CASE("planners handle 64-bit sizes without overflow", "[merkle]") {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  // A tree of 2^64 - 1 leaves: the last leaf is its own level-0 piece and
  // needs the 63 perfect subtrees to its left, of 2^1 up to 2^63 leaves;
  // worked out by hand from the binary expansion of 2^64 - 1.
  auto last = plan_inclusion(max - 1, max);
  REQUIRE(last.ok());
  REQUIRE(last->size() == 63);
  for (std::size_t i = 0; i < last->size(); ++i) {
    REQUIRE((*last)[i].size() == 1);
    CHECK((*last)[i][0].level == i + 1);
  }
  // Leaf 0: 63 siblings inside the left 2^63 subtree, then the right edge
  // [2^63, 2^64 - 1), which has 63 perfect pieces.
  auto first = plan_inclusion(0, max);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 64);
  CHECK(first->back().size() == 63);
  CHECK(first->back().front() == NodeId{62, 2});
  CHECK(frontier_nodes(max).size() == 64);
  auto cons = plan_consistency(max - 1, max);
  REQUIRE(cons.ok());
  CHECK(!cons->empty());
  CHECK(range_nodes(6, 8) == std::vector<NodeId>{NodeId{1, 3}});
  CHECK(range_nodes(8, 13) == std::vector<NodeId>{NodeId{2, 2}, NodeId{0, 12}});
}

TEST_CASE("reader failures and short answers are reported", "[merkle]") {
  NodeReader failing = [](std::span<const NodeId>) -> Result<std::vector<Hash>> {
    return sunbid::make_error("storage_failed", "test");
  };
  CHECK(root_at(5, failing).error().code == "storage_failed");
  NodeReader short_reader = [](std::span<const NodeId> ids) -> Result<std::vector<Hash>> {
    return std::vector<Hash>(ids.size() - 1);
  };
  CHECK(inclusion_proof(1, 5, short_reader).error().code == "node_reader_mismatch");
  CHECK(consistency_proof(3, 5, short_reader).error().code == "node_reader_mismatch");
}
