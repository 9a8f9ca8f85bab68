// RFC 6962 / RFC 9162 conformance: every vector of transparency-dev/merkle's
// testdata/inclusion and testdata/consistency, plus the reference tree of
// tree-heads.json (roots of sizes 0..8 and every complete-subtree hash).
//
// The subtreeinclusion/ and subtreeconsistency/ folders (an Internet-Draft
// extension, optional per the README) are not exercised.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "audit_log/merkle.h"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using sunbid::Hash;
using namespace sunbid::audit;

const fs::path kRoot = fs::path(SUNBID_CONFORMANCE_DIR) / "rfc6962";

json::value read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// 64-bit unsigned exactly: boost::json keeps values above INT64_MAX as uint64.
std::uint64_t get_u64(const json::value& v) {
  if (v.is_uint64()) return v.as_uint64();
  REQUIRE(v.is_int64());
  REQUIRE(v.as_int64() >= 0);
  return static_cast<std::uint64_t>(v.as_int64());
}

std::vector<std::uint8_t> get_b64(const json::value& v) {
  auto bytes = sunbid::base64_decode(std::string(v.as_string()));
  REQUIRE(bytes.has_value());
  return *bytes;
}

// "proof": null means the same as [].
std::vector<std::vector<std::uint8_t>> get_proof(const json::value& v) {
  std::vector<std::vector<std::uint8_t>> out;
  if (v.is_null()) return out;
  for (const auto& e : v.as_array()) out.push_back(get_b64(e));
  return out;
}

std::vector<std::vector<std::uint8_t>> to_bytes(const std::vector<Hash>& hashes) {
  std::vector<std::vector<std::uint8_t>> out;
  for (const Hash& h : hashes) out.emplace_back(h.begin(), h.end());
  return out;
}

std::vector<fs::path> vector_files(const std::string& family) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kRoot / "testdata" / family)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The reference tree D of tree-heads.json, stored the way the ledger stores it.
struct ReferenceTree {
  std::vector<std::string> inputs;
  std::map<NodeId, Hash> nodes;
  Frontier frontier;

  ReferenceTree() {
    const auto doc = read_json(kRoot / "tree-heads.json");
    for (const auto& hex : doc.at("leafInputsHex").as_array()) {
      auto bytes = sunbid::hex_decode(std::string(hex.as_string()));
      REQUIRE(bytes.has_value());
      inputs.emplace_back(bytes->begin(), bytes->end());
    }
    std::vector<std::pair<NodeId, Hash>> completed;
    for (const auto& input : inputs) frontier.append(leaf_hash(input), &completed);
    for (const auto& [id, h] : completed) nodes.emplace(id, h);
  }

  NodeReader reader() const {
    return [this](std::span<const NodeId> ids) -> sunbid::Result<std::vector<Hash>> {
      std::vector<Hash> out;
      for (const NodeId& id : ids) {
        auto it = nodes.find(id);
        if (it == nodes.end()) return sunbid::make_error("missing_node", "reference tree");
        out.push_back(it->second);
      }
      return out;
    };
  }
};

}  // namespace

TEST_CASE("tree-heads.json: roots of sizes 0..8 and every complete subtree", "[rfc6962]") {
  const auto doc = read_json(kRoot / "tree-heads.json");
  ReferenceTree tree;
  REQUIRE(tree.inputs.size() == 8);

  const auto& heads = doc.at("treeHeads").as_array();
  REQUIRE(heads.size() == 9);
  Frontier growing;
  for (const auto& head : heads) {
    const std::uint64_t size = get_u64(head.at("treeSize"));
    const std::string want(head.at("rootHashHex").as_string());
    INFO("tree size " << size);
    while (growing.size() < size) growing.append(leaf_hash(tree.inputs[growing.size()]), nullptr);
    CHECK(sunbid::hex_encode(growing.root()) == want);
    auto root = root_at(size, tree.reader());
    REQUIRE(root.ok());
    CHECK(sunbid::hex_encode(*root) == want);
  }

  std::size_t checked = 0;
  for (const auto& level_entry : doc.at("nodeHashesHex").as_array()) {
    const auto level = static_cast<unsigned>(get_u64(level_entry.at("level")));
    const auto& hashes = level_entry.at("hashes").as_array();
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      INFO("level " << level << " index " << i);
      auto it = tree.nodes.find(NodeId{level, i});
      REQUIRE(it != tree.nodes.end());
      CHECK(sunbid::hex_encode(it->second) == std::string(hashes[i].as_string()));
      ++checked;
    }
  }
  CHECK(checked == 15);
  CHECK(tree.nodes.size() == 15);  // nothing stored beyond the perfect nodes
}

TEST_CASE("inclusion vectors", "[rfc6962]") {
  const auto files = vector_files("inclusion");
  CHECK(files.size() == 98);
  ReferenceTree tree;
  int happy = 0;
  for (const auto& path : files) {
    const auto v = read_json(path);
    const std::string desc(v.at("desc").as_string());
    INFO(path.string() << " — " << desc);
    const std::uint64_t index = get_u64(v.at("leafIdx"));
    const std::uint64_t size = get_u64(v.at("treeSize"));
    const auto leaf = get_b64(v.at("leafHash"));
    const auto root = get_b64(v.at("root"));
    const auto proof = get_proof(v.at("proof"));
    const bool want_err = v.at("wantErr").as_bool();

    auto st = verify_inclusion_raw(leaf, index, size, proof, root);
    const std::string verdict = st.ok() ? "verified" : st.error().to_string();
    INFO("verifier said: " << verdict);
    CHECK(st.ok() == !want_err);
    if (!want_err) ++happy;

    // The numbered folders' happy paths are over the reference tree: rebuild them.
    const std::string folder = path.parent_path().filename().string();
    if (!want_err && folder.size() == 1 && std::isdigit(static_cast<unsigned char>(folder[0]))) {
      auto built = inclusion_proof(index, size, tree.reader());
      REQUIRE(built.ok());
      CHECK(to_bytes(*built) == proof);
      auto built_root = root_at(size, tree.reader());
      REQUIRE(built_root.ok());
      CHECK(std::vector<std::uint8_t>(built_root->begin(), built_root->end()) == root);
      CHECK(std::vector<std::uint8_t>(leaf.begin(), leaf.end()) ==
            to_bytes({leaf_hash(tree.inputs[index])}).front());
    }
  }
  CHECK(happy == 6);
}

TEST_CASE("consistency vectors", "[rfc6962]") {
  const auto files = vector_files("consistency");
  CHECK(files.size() == 98);
  ReferenceTree tree;
  int happy = 0;
  for (const auto& path : files) {
    const auto v = read_json(path);
    const std::string desc(v.at("desc").as_string());
    INFO(path.string() << " — " << desc);
    const std::uint64_t size1 = get_u64(v.at("size1"));
    const std::uint64_t size2 = get_u64(v.at("size2"));
    const auto root1 = get_b64(v.at("root1"));
    const auto root2 = get_b64(v.at("root2"));
    const auto proof = get_proof(v.at("proof"));
    const bool want_err = v.at("wantErr").as_bool();

    auto st = verify_consistency_raw(size1, size2, proof, root1, root2);
    const std::string verdict = st.ok() ? "verified" : st.error().to_string();
    INFO("verifier said: " << verdict);
    CHECK(st.ok() == !want_err);
    if (!want_err) ++happy;

    const std::string folder = path.parent_path().filename().string();
    if (!want_err && folder.size() == 1 && std::isdigit(static_cast<unsigned char>(folder[0]))) {
      auto built = consistency_proof(size1, size2, tree.reader());
      REQUIRE(built.ok());
      CHECK(to_bytes(*built) == proof);
      auto r1 = root_at(size1, tree.reader());
      auto r2 = root_at(size2, tree.reader());
      REQUIRE((r1.ok() && r2.ok()));
      CHECK(std::vector<std::uint8_t>(r1->begin(), r1->end()) == root1);
      CHECK(std::vector<std::uint8_t>(r2->begin(), r2->end()) == root2);
    }
  }
  CHECK(happy == 6);
}
