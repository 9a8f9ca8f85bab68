#include "audit_log/trail.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <cerrno>

#include "audit_log/checkpoint.h"
#include "audit_log/entry_format.h"
#include "audit_log/log_store.h"
#include "audit_log/strict_json.h"
#include "audit_log/verify.h"

namespace sunbid::audit {

namespace {

// A file written through a descriptor created with `mode` (a private export
// must never exist, even briefly, with a wider mode).
class OutFile {
 public:
  OutFile(const std::filesystem::path& p, mode_t mode) : path_(p) {
    ::unlink(p.c_str());  // an existing file would keep its own mode
    fd_ = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd_ >= 0) ::fchmod(fd_, mode);  // the umask may have narrowed it; never widened
    ok_ = fd_ >= 0;
  }
  ~OutFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  void write(std::string_view bytes) {
    buf_.append(bytes);
    if (buf_.size() >= (1u << 20)) flush_buffer();
  }
  Status finish() {
    flush_buffer();
    if (ok_ && ::fsync(fd_) != 0) ok_ = false;
    if (!ok_) {
      return make_error("export_failed", fmt::format("无法写入 / cannot write {}", path_.string()));
    }
    return {};
  }

 private:
  void flush_buffer() {
    std::size_t done = 0;
    while (ok_ && done < buf_.size()) {
      ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        ok_ = false;
      else
        done += static_cast<std::size_t>(n);
    }
    buf_.clear();
  }
  std::filesystem::path path_;
  int fd_ = -1;
  bool ok_ = false;
  std::string buf_;
};

Status write_file(const std::filesystem::path& p, std::string_view bytes, mode_t mode) {
  OutFile f(p, mode);
  f.write(bytes);
  return f.finish();
}

Error unusable(std::string_view reason) {
  return make_error("input_unusable", fmt::format("unusable input: {}", reason));
}

}  // namespace

Result<ExportSummary> export_log(Database& db, const std::string& verifier_key,
                                 const std::filesystem::path& out, const ExportOptions& options) {
  const mode_t mode = options.include_withheld ? 0600 : 0644;
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    return make_error("export_failed", fmt::format("无法创建目录 / cannot create {}: {}",
                                                   out.string(), ec.message()));
  }
  ReadTxn txn(db);  // one snapshot; ended on every path
  SUNBID_TRY(txn.begun());
  auto body = [&]() -> Result<ExportSummary> {
    SUNBID_ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> cp, latest_checkpoint(db));
    if (!cp) {
      return make_error("checkpoint_not_found", "尚无检查点 / no checkpoint has been signed yet");
    }
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t size, log_size(db));
    ExportSummary summary{cp->tree_size, size - cp->tree_size, 0};
    OutFile entries(out / "entries.jsonl", mode);
    constexpr std::uint64_t kChunk = 65536;
    for (std::uint64_t start = 0; start < cp->tree_size; start += kChunk) {
      SUNBID_ASSIGN_OR_RETURN(std::vector<StoredEntry> chunk,
                              read_entries(db, start, std::min(cp->tree_size, start + kChunk)));
      for (const StoredEntry& e : chunk) {
        if (withheld_at(e, options.now_ms)) {
          ++summary.withheld;
          if (!options.include_withheld) {
            entries.write(encode_stub(e.index, e.bytes));
            entries.write("\n");
            continue;
          }
        }
        entries.write(e.bytes);
        entries.write("\n");
      }
    }
    SUNBID_TRY(entries.finish());
    SUNBID_TRY(write_file(out / "checkpoint", cp->note, mode));
    SUNBID_TRY(write_file(out / "key", verifier_key + "\n", 0644));
    return summary;
  };
  return body();
}

Result<boost::json::object> tender_trail(Database& db, std::string_view tender,
                                         const std::string& verifier_key, std::int64_t now_ms) {
  ReadTxn txn(db);  // one snapshot; ended on every path
  SUNBID_TRY(txn.begun());
  auto body = [&]() -> Result<boost::json::object> {
    SUNBID_ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> cp, latest_checkpoint(db));
    if (!cp) {
      return make_error("checkpoint_not_found", "尚无检查点 / no checkpoint has been signed yet");
    }
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::uint64_t> indices, tender_entry_indices(db, tender));
    boost::json::array entries;
    for (std::uint64_t idx : indices) {
      if (idx >= cp->tree_size) break;
      SUNBID_ASSIGN_OR_RETURN(std::vector<StoredEntry> e, read_entries(db, idx, idx + 1));
      if (e.size() != 1) return make_error("log_corrupt", "条目缺失 / entry missing");
      if (withheld_at(e[0], now_ms)) continue;
      SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> proof,
                              inclusion_proof(idx, cp->tree_size, node_reader(db)));
      boost::json::array proof_hex;
      for (const Hash& h : proof) proof_hex.emplace_back(hex_encode(h));
      entries.emplace_back(boost::json::object{{"index", static_cast<std::int64_t>(idx)},
                                               {"entry", e[0].bytes},
                                               {"proof", std::move(proof_hex)}});
    }
    return boost::json::object{{"checkpoint", cp->note},
                               {"key", verifier_key},
                               {"tree_size", static_cast<std::int64_t>(cp->tree_size)},
                               {"entries", std::move(entries)}};
  };
  return body();
}

Result<boost::json::object> tender_trail_page(Database& db, std::string_view tender,
                                              const std::string& verifier_key, std::int64_t now_ms,
                                              const TrailPageRequest& page) {
  ReadTxn txn(db);  // one snapshot; ended on every path
  SUNBID_TRY(txn.begun());
  auto body = [&]() -> Result<boost::json::object> {
    std::optional<StoredCheckpoint> cp;
    if (page.tree_size) {
      SUNBID_ASSIGN_OR_RETURN(StoredCheckpoint at, checkpoint_at(db, *page.tree_size));
      cp = std::move(at);
    } else {
      SUNBID_ASSIGN_OR_RETURN(cp, latest_checkpoint(db));
    }
    if (!cp) {
      return make_error("checkpoint_not_found", "尚无检查点 / no checkpoint has been signed yet");
    }
    SUNBID_ASSIGN_OR_RETURN(std::vector<std::uint64_t> indices, tender_entry_indices(db, tender));
    boost::json::array entries;
    boost::json::value next = nullptr;
    const std::uint64_t limit = std::max<std::uint64_t>(1, page.limit);
    std::optional<std::uint64_t> last;
    for (std::uint64_t idx : indices) {
      if (idx >= cp->tree_size) break;
      if (page.after && idx <= *page.after) continue;
      SUNBID_ASSIGN_OR_RETURN(std::vector<StoredEntry> e, read_entries(db, idx, idx + 1));
      if (e.size() != 1) return make_error("log_corrupt", "条目缺失 / entry missing");
      if (withheld_at(e[0], now_ms)) continue;
      if (entries.size() == limit) {
        next = static_cast<std::int64_t>(*last);
        break;
      }
      SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> proof,
                              inclusion_proof(idx, cp->tree_size, node_reader(db)));
      boost::json::array proof_hex;
      for (const Hash& h : proof) proof_hex.emplace_back(hex_encode(h));
      entries.emplace_back(boost::json::object{{"index", static_cast<std::int64_t>(idx)},
                                               {"entry", e[0].bytes},
                                               {"proof", std::move(proof_hex)}});
      last = idx;
    }
    return boost::json::object{{"checkpoint", cp->note},
                               {"key", verifier_key},
                               {"tree_size", static_cast<std::int64_t>(cp->tree_size)},
                               {"entries", std::move(entries)},
                               {"next_cursor", std::move(next)}};
  };
  return body();
}

Result<VerifiedTrail> verify_trail(std::string_view trail_json,
                                   const std::optional<std::string>& pinned_key) {
  auto parsed = parse_strict_json(trail_json);
  if (!parsed.ok()) return unusable("the trail is not valid JSON: " + parsed.error().message);
  if (!parsed->is_object()) return unusable("the trail is not a JSON object");
  const boost::json::object& o = parsed->as_object();
  auto str = [&](std::string_view k) -> const boost::json::string* {
    auto it = o.find(k);
    return it != o.end() && it->value().is_string() ? &it->value().as_string() : nullptr;
  };
  const auto* note = str("checkpoint");
  const auto* key = str("key");
  auto size_it = o.find("tree_size");
  auto entries_it = o.find("entries");
  if (!note || !key || size_it == o.end() || !size_it->value().is_int64() ||
      entries_it == o.end() || !entries_it->value().is_array()) {
    return unusable("the trail lacks checkpoint, key, tree_size or entries");
  }
  std::string use_key = pinned_key ? *pinned_key : std::string(key->c_str());
  SUNBID_ASSIGN_OR_RETURN(Checkpoint cp, verify_checkpoint_note(*note, use_key));
  if (cp.size != static_cast<std::uint64_t>(size_it->value().as_int64())) {
    return make_error("checkpoint_invalid",
                      fmt::format("checkpoint (tree size {}): the trail claims tree_size {}",
                                  cp.size, size_it->value().as_int64()));
  }
  VerifiedTrail out;
  out.origin = cp.origin;
  out.tree_size = cp.size;
  TopLevelFields scratch;
  std::optional<std::pair<std::uint64_t, Hash>> previous;  // index and hash of the previous entry
  for (const auto& v : entries_it->value().as_array()) {
    if (!v.is_object()) return unusable("a trail entry is not an object");
    const auto& e = v.as_object();
    auto idx_it = e.find("index");
    auto entry_it = e.find("entry");
    auto proof_it = e.find("proof");
    if (idx_it == e.end() || !idx_it->value().is_int64() || idx_it->value().as_int64() < 0 ||
        entry_it == e.end() || !entry_it->value().is_string() || proof_it == e.end() ||
        !proof_it->value().is_array()) {
      return unusable("a trail entry lacks index, entry or proof");
    }
    auto index = static_cast<std::uint64_t>(idx_it->value().as_int64());
    std::string_view bytes = entry_it->value().as_string();
    auto entry_err = [&](std::string_view why) {
      return make_error("entry_invalid", fmt::format("entry {}: {}", index, why),
                        {{"entry", static_cast<std::int64_t>(index)}});
    };
    if (previous && index <= previous->first) return entry_err("out of order in the trail");
    auto view = parse_entry(bytes, scratch);
    if (!view.ok()) return entry_err(view.error().message);
    if (view->index != index) return entry_err(fmt::format("carries index {}", view->index));
    if (previous && previous->first + 1 == index && view->prev != previous->second) {
      return entry_err("chain link to the previous entry broken");
    }
    std::vector<Hash> proof;
    for (const auto& h : proof_it->value().as_array()) {
      auto hash = h.is_string() ? hash_from_hex(h.as_string()) : std::nullopt;
      if (!hash) return entry_err("proof hash is not 64 hex characters");
      proof.push_back(*hash);
    }
    if (Status st = verify_inclusion(leaf_hash(bytes), index, cp.size, proof, cp.root); !st.ok()) {
      return make_error(
          "proof_invalid",
          fmt::format("entry {}: inclusion proof fails: {}", index, st.error().message),
          {{"entry", static_cast<std::int64_t>(index)}});
    }
    previous.emplace(index, entry_hash(bytes));
    out.entries.push_back({index, std::string(bytes)});
  }
  return out;
}

}  // namespace sunbid::audit
