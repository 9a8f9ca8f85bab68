#include "audit_log/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "audit_log/entry_format.h"
#include "audit_log/log_store.h"
#include "audit_log/sqlite.h"

namespace sunbid::audit {

namespace {

Error entry_error(std::uint64_t n, std::string_view reason) {
  return make_error("entry_invalid", fmt::format("entry {}: {}", n, reason),
                    {{"entry", static_cast<std::int64_t>(n)}});
}

Error checkpoint_error(std::uint64_t size, std::string_view reason) {
  return make_error("checkpoint_invalid", fmt::format("checkpoint (tree size {}): {}", size, reason),
                    {{"tree_size", static_cast<std::int64_t>(size)}});
}

Error unusable(std::string_view reason) {
  return make_error("input_unusable", fmt::format("unusable input: {}", reason));
}

// What one worker learns about one entry.
struct Checked {
  bool ok = false;
  bool stub = false;
  std::string reason;  // when !ok
  std::uint64_t index = 0;
  Hash prev{};
  Hash self{};
  Hash leaf{};
  std::string_view time;
};

void check_range(std::span<const std::string_view> entries, std::span<Checked> out,
                 bool allow_stubs) {
  TopLevelFields scratch;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Checked& c = out[i];
    if (allow_stubs) {
      if (auto stub = parse_stub(entries[i])) {
        c.ok = c.stub = true;
        c.index = stub->index;
        c.self = stub->entry_hash;
        c.leaf = stub->leaf_hash;
        continue;
      }
    }
    auto view = parse_entry(entries[i], scratch);
    if (!view.ok()) {
      c.reason = view.error().message;
      continue;
    }
    c.ok = true;
    c.index = view->index;
    c.prev = view->prev;
    c.time = view->time;
    c.self = entry_hash(entries[i]);
    c.leaf = leaf_hash(entries[i]);
  }
}

}  // namespace

LogVerifier::LogVerifier(unsigned threads, std::vector<std::uint64_t> record_sizes,
                         bool allow_stubs)
    : threads_(threads ? threads : std::max(1u, std::thread::hardware_concurrency())),
      record_sizes_(std::move(record_sizes)),
      allow_stubs_(allow_stubs) {
  std::sort(record_sizes_.begin(), record_sizes_.end());
  record_sizes_.erase(std::unique(record_sizes_.begin(), record_sizes_.end()), record_sizes_.end());
  if (!record_sizes_.empty() && record_sizes_.front() == 0) {
    recorded_.emplace_back(0, empty_root());
  }
}

Status LogVerifier::feed(std::span<const std::string_view> entries) {
  std::vector<Checked> checked(entries.size());
  // Parsing and hashing are independent per entry: split across threads.
  unsigned workers = entries.size() < 4096 ? 1 : threads_;
  if (workers <= 1) {
    check_range(entries, checked, allow_stubs_);
  } else {
    std::vector<std::thread> pool;
    std::size_t per = (entries.size() + workers - 1) / workers;
    for (unsigned w = 0; w < workers; ++w) {
      std::size_t begin = std::min(entries.size(), w * per);
      std::size_t end = std::min(entries.size(), begin + per);
      pool.emplace_back([&, begin, end] {
        check_range(entries.subspan(begin, end - begin),
                    std::span<Checked>(checked).subspan(begin, end - begin), allow_stubs_);
      });
    }
    for (auto& t : pool) t.join();
  }
  // Links between entries are checked in order.
  auto next_record = std::lower_bound(record_sizes_.begin(), record_sizes_.end(), size() + 1);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::uint64_t n = size();
    const Checked& c = checked[i];
    if (!c.ok) return entry_error(n, c.reason);
    if (c.index != n)
      return entry_error(n, fmt::format("carries index {}, expected {}", c.index, n));
    if (c.stub) {
      // A withheld entry: its own link and time are inside the hidden bytes;
      // the next entry's link is checked against its entry hash.
      prev_ = c.self;
      ++stubs_;
    } else if (c.prev != prev_) {
      return entry_error(n, fmt::format("chain link broken: prev is {}, the previous entry hashes "
                                        "to {}",
                                        hex_encode(c.prev), hex_encode(prev_)));
    }
    if (!c.stub) {
      if (c.time < last_time_) {
        return entry_error(
            n, fmt::format("time {} is before the previous entry's {}", c.time, last_time_));
      }
      last_time_.assign(c.time);
      prev_ = c.self;
    }
    frontier_.append(c.leaf, nullptr);
    bytes_ += entries[i].size();
    if (next_record != record_sizes_.end() && *next_record == frontier_.size()) {
      recorded_.emplace_back(frontier_.size(), frontier_.root());
      ++next_record;
    }
  }
  return {};
}

std::optional<Hash> LogVerifier::root_at(std::uint64_t size) const {
  for (const auto& [s, h] : recorded_)
    if (s == size) return h;
  if (size == this->size()) return root();
  return std::nullopt;
}

Status check_checkpoint_against(const Checkpoint& cp, const LogVerifier& log) {
  if (cp.size > log.size()) {
    return checkpoint_error(cp.size, fmt::format("covers {} entries but the log holds only {}: the "
                                                 "log was truncated",
                                                 cp.size, log.size()));
  }
  std::optional<Hash> root = log.root_at(cp.size);
  if (!root) return checkpoint_error(cp.size, "no recomputed root at this size (internal)");
  if (*root != cp.root) {
    return checkpoint_error(cp.size, fmt::format("root mismatch: signed {}, recomputed {}; the "
                                                 "entries up to index {} were altered",
                                                 hex_encode(cp.root), hex_encode(*root),
                                                 cp.size - 1));
  }
  return {};
}

namespace {

// MTH over recomputed leaves (RFC 6962 §2.1).
Hash tree_hash(std::span<const Hash> leaves) {
  if (leaves.empty()) return empty_root();
  if (leaves.size() == 1) return leaves[0];
  std::uint64_t k = 1;
  while (k * 2 < leaves.size()) k *= 2;
  return node_hash(tree_hash(leaves.subspan(0, k)), tree_hash(leaves.subspan(k)));
}

// The hash the stored nodes give a subtree, or nullopt if one is missing.
std::optional<Hash> stored_hash(const NodeReader* nodes, std::uint64_t lo, std::uint64_t hi) {
  if (nodes == nullptr) return std::nullopt;
  std::vector<NodeId> ids = range_nodes(lo, hi);
  auto got = (*nodes)(ids);
  if (!got.ok() || got->size() != ids.size()) return std::nullopt;
  return fold_range(*got);
}

}  // namespace

std::optional<Blame> blame_changed_entry(std::span<const Hash> leaves,
                                         std::vector<std::pair<std::uint64_t, Hash>> checkpoints,
                                         const NodeReader* nodes) {
  std::sort(checkpoints.begin(), checkpoints.end());
  // The bracket: leaves below a matching checkpoint's size are genuine.
  std::uint64_t clean = 0;
  std::optional<std::pair<std::uint64_t, Hash>> convicting;
  Frontier f;
  for (const auto& [size, root] : checkpoints) {
    if (size == 0 || size > leaves.size()) continue;
    while (f.size() < size) f.append(leaves[f.size()], nullptr);
    if (f.root() == root) {
      clean = size;
    } else {
      convicting.emplace(size, root);
      break;
    }
  }
  if (!convicting) return std::nullopt;
  Blame blame;
  blame.tree_size = convicting->first;
  std::uint64_t lo = 0, hi = convicting->first;
  // Invariant: [lo, hi) holds a leaf that differs from the genuine one; `g`,
  // when known, is the genuine hash of the subtree [lo, hi).
  std::optional<Hash> g = convicting->second;
  while (hi - lo > 1) {
    std::uint64_t k = 1;
    while (k * 2 < hi - lo) k *= 2;
    const std::uint64_t mid = lo + k;
    const Hash e_left = tree_hash(leaves.subspan(lo, k));
    const Hash e_right = tree_hash(leaves.subspan(mid, hi - mid));
    std::optional<Hash> g_left, g_right;
    if (mid <= clean) g_left = e_left;
    if (g) {
      // Any pair of candidates that hashes to the genuine parent is genuine.
      std::vector<Hash> lefts{e_left}, rights{e_right};
      if (auto s = stored_hash(nodes, lo, mid)) lefts.push_back(*s);
      if (auto s = stored_hash(nodes, mid, hi)) rights.push_back(*s);
      if (g_left) lefts = {*g_left};
      for (const Hash& l : lefts) {
        for (const Hash& r : rights) {
          if (!g_right && node_hash(l, r) == *g) {
            g_left = l;
            g_right = r;
          }
        }
      }
    }
    if (g_left && *g_left != e_left) {
      hi = mid;
      g = g_left;
    } else if (g_left) {
      lo = mid;
      g = g_right;
    } else if (g_right && *g_right != e_right) {
      lo = mid;
      g = g_right;
    } else if (g_right) {
      hi = mid;
      g = std::nullopt;
    } else {
      break;  // no genuine hash for either half: the range is as narrow as can be proven
    }
  }
  blame.first = std::max(lo, clean);
  blame.last = hi - 1;
  return blame;
}

Result<Checkpoint> verify_checkpoint_note(std::string_view note, std::string_view pinned_key) {
  auto verifier = Verifier::parse(pinned_key);
  if (!verifier.ok()) return unusable("the pinned key: " + verifier.error().message);
  auto cp = verifier->verify_checkpoint(note);
  if (!cp.ok()) {
    auto shape = parse_signed_checkpoint(note);
    std::uint64_t size = shape.ok() ? shape->first.size : 0;
    return checkpoint_error(size, cp.error().message);
  }
  return cp;
}

namespace {

// Checks a note's signature (pinned) or only its shape (unpinned).
Result<Checkpoint> open_checkpoint(std::string_view note, const std::optional<std::string>& key) {
  if (key) return verify_checkpoint_note(note, *key);
  auto shape = parse_signed_checkpoint(note);
  if (!shape.ok()) return checkpoint_error(0, shape.error().message);
  return std::move(shape->first);
}

std::string unpinned_note() {
  return "key not pinned: signatures were not checked, only internal consistency";
}

struct DbVerification {
  LogReport report;
  std::unique_ptr<LogVerifier> log;
};

Result<DbVerification> verify_database_core(const std::filesystem::path& db_file,
                                            const VerifyOptions& options,
                                            std::vector<std::uint64_t> extra_sizes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_file, ec)) {
    return unusable(fmt::format("{} is not a file", db_file.string()));
  }
  auto opened = Database::open(db_file, Database::Mode::kReadOnly);
  if (!opened.ok()) return unusable(opened.error().message);
  Database& db = *opened;
  auto tables = db.query_int64(
      "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN "
      "('audit_entries','checkpoints')");
  if (!tables.ok() || *tables != 2) {
    return unusable(fmt::format("{} is not a sunbid database (no audit log tables)",
                                db_file.string()));
  }
  // One read transaction: entries and checkpoints from one snapshot.
  if (Status st = db.exec("BEGIN"); !st.ok()) return unusable(st.error().message);

  auto stored = all_checkpoints(db);
  if (!stored.ok()) return unusable(stored.error().message);
  std::vector<Checkpoint> cps;
  std::vector<std::uint64_t> sizes = std::move(extra_sizes);
  for (const StoredCheckpoint& s : *stored) {
    SUNBID_ASSIGN_OR_RETURN(Checkpoint cp, open_checkpoint(s.note, options.pinned_key));
    if (cp.size != s.tree_size || cp.root != s.root) {
      return checkpoint_error(s.tree_size, "the signed note does not match its stored size or root");
    }
    if (!cps.empty() && cp.origin != cps.front().origin) {
      return checkpoint_error(cp.size, fmt::format("origin \"{}\" differs from \"{}\"", cp.origin,
                                                   cps.front().origin));
    }
    sizes.push_back(cp.size);
    cps.push_back(std::move(cp));
  }

  auto log = std::make_unique<LogVerifier>(options.threads, sizes);
  auto q = db.prepare("SELECT idx, entry FROM audit_entries ORDER BY idx");
  if (!q.ok()) return unusable(q.error().message);
  constexpr std::size_t kChunk = 8192;
  std::vector<std::string> chunk_bytes;
  std::vector<std::string_view> chunk;
  chunk_bytes.reserve(kChunk);
  std::uint64_t expected = 0;
  auto flush = [&]() -> Status {
    chunk.clear();
    for (const auto& b : chunk_bytes) chunk.emplace_back(b);
    SUNBID_TRY(log->feed(chunk));
    chunk_bytes.clear();
    return {};
  };
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return unusable(row.error().message);
    if (!*row) break;
    auto idx = static_cast<std::uint64_t>(q->column_int64(0));
    if (idx != expected) {
      SUNBID_TRY(flush());
      return entry_error(expected, idx > expected
                                       ? fmt::format("missing (the next stored entry is {})", idx)
                                       : std::string("stored out of order"));
    }
    ++expected;
    auto blob = q->column_blob(1);
    chunk_bytes.emplace_back(reinterpret_cast<const char*>(blob.data()), blob.size());
    if (chunk_bytes.size() == kChunk) SUNBID_TRY(flush());
  }
  SUNBID_TRY(flush());
  (void)db.exec("COMMIT");

  for (const Checkpoint& cp : cps) SUNBID_TRY(check_checkpoint_against(cp, *log));

  DbVerification out;
  out.report.entries = log->size();
  out.report.bytes = log->bytes();
  out.report.root = log->root();
  out.report.checkpoints_checked = cps.size();
  if (!cps.empty()) out.report.checkpoint = cps.back();
  out.report.key_pinned = options.pinned_key.has_value();
  out.report.key_note =
      options.pinned_key ? "signatures checked against the pinned key" : unpinned_note();
  {
    // Withheld at the time of verification (a copy holds them in full).
    auto w =
        db.query_int64(fmt::format("SELECT count(*) FROM audit_withheld WHERE release_at_ms > {}",
                                   std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count()));
    if (w.ok()) out.report.withheld = static_cast<std::uint64_t>(*w);
  }
  out.log = std::move(log);
  return out;
}

// After a failure: names the changed entry from the signed checkpoints and
// the stored tree (blame_changed_entry), or nullopt when the entries cannot
// be read as a gap-free sequence or every checkpoint matches.
std::optional<Error> blame_in_database(const std::filesystem::path& db_file,
                                       const VerifyOptions& options) {
  auto opened = Database::open(db_file, Database::Mode::kReadOnly);
  if (!opened.ok()) return std::nullopt;
  Database& db = *opened;
  if (!db.exec("BEGIN").ok()) return std::nullopt;
  std::vector<Hash> leaves;
  {
    auto q = db.prepare("SELECT idx, entry FROM audit_entries ORDER BY idx");
    if (!q.ok()) return std::nullopt;
    for (;;) {
      auto row = q->step();
      if (!row.ok()) return std::nullopt;
      if (!*row) break;
      if (static_cast<std::uint64_t>(q->column_int64(0)) != leaves.size()) return std::nullopt;
      auto blob = q->column_blob(1);
      leaves.push_back(
          leaf_hash(std::string_view(reinterpret_cast<const char*>(blob.data()), blob.size())));
    }
  }
  auto stored = all_checkpoints(db);
  if (!stored.ok()) return std::nullopt;
  std::vector<std::pair<std::uint64_t, Hash>> cps;
  for (const StoredCheckpoint& s : *stored) {
    auto cp = open_checkpoint(s.note, options.pinned_key);
    if (!cp.ok()) return std::nullopt;  // the checkpoint itself is at fault: that error stands
    cps.emplace_back(cp->size, cp->root);
  }
  NodeReader nodes = node_reader(db);
  std::optional<Blame> b = blame_changed_entry(leaves, std::move(cps), &nodes);
  (void)db.exec("COMMIT");
  if (!b) return std::nullopt;
  const std::string why = fmt::format(
      "no longer matches what the signed checkpoint (tree size {}) commits to", b->tree_size);
  if (b->exact()) {
    return make_error("entry_invalid", fmt::format("entry {}: its bytes {}", b->first, why),
                      {{"entry", static_cast<std::int64_t>(b->first)},
                       {"tree_size", static_cast<std::int64_t>(b->tree_size)}});
  }
  return make_error("entry_invalid",
                    fmt::format("entry {}: it or one of the entries up to {} {}; the stored "
                                "Merkle nodes were altered too",
                                b->first, b->last, why),
                    {{"entry", static_cast<std::int64_t>(b->first)},
                     {"last", static_cast<std::int64_t>(b->last)},
                     {"tree_size", static_cast<std::int64_t>(b->tree_size)}});
}

Result<DbVerification> verify_database_impl(const std::filesystem::path& db_file,
                                            const VerifyOptions& options,
                                            std::vector<std::uint64_t> extra_sizes) {
  auto r = verify_database_core(db_file, options, std::move(extra_sizes));
  if (r.ok()) return r;
  const Error& e = r.error();
  // A changed entry shows first as its successor's broken chain link, or (the
  // last entry, or a rewritten chain) as a checkpoint's root mismatch; the
  // signed roots say which entry it was.
  const bool entry_fault = e.code == "entry_invalid";
  const bool root_fault =
      e.code == "checkpoint_invalid" && e.message.find("root mismatch") != std::string::npos;
  if (!entry_fault && !root_fault) return r;
  std::optional<Error> blamed = blame_in_database(db_file, options);
  if (!blamed) return r;
  if (entry_fault) {
    auto it = e.details.find("entry");
    const std::int64_t failed_at = it != e.details.end() ? it->value().as_int64() : -1;
    if (blamed->details.at("entry").as_int64() > failed_at) return r;
  }
  return *blamed;
}

Result<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  if (!in) return unusable(fmt::format("cannot read {}", p.string()));
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) return unusable(fmt::format("cannot read {}", p.string()));
  return bytes;
}

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

Result<LogReport> verify_log_database(const std::filesystem::path& db_file,
                                      const VerifyOptions& options) {
  SUNBID_ASSIGN_OR_RETURN(DbVerification v, verify_database_impl(db_file, options, {}));
  return std::move(v.report);
}

Result<LogReport> verify_log_export(const std::filesystem::path& dir, const VerifyOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return unusable(fmt::format("{} is not a directory", dir.string()));
  }
  SUNBID_ASSIGN_OR_RETURN(std::string entries_text, read_file(dir / "entries.jsonl"));
  SUNBID_ASSIGN_OR_RETURN(std::string note, read_file(dir / "checkpoint"));
  std::optional<std::string> export_key;
  if (std::filesystem::exists(dir / "key", ec)) {
    SUNBID_ASSIGN_OR_RETURN(std::string k, read_file(dir / "key"));
    export_key = trim_newline(std::move(k));
  }
  return verify_export_contents(entries_text, note, export_key, options);
}

Result<LogReport> verify_export_contents(std::string_view entries_text, std::string_view note,
                                         const std::optional<std::string>& export_key,
                                         const VerifyOptions& options) {
  LogReport report;
  std::optional<std::string> key = options.pinned_key;
  if (key) {
    report.key_pinned = true;
    report.key_note = "signature checked against the pinned key";
    if (export_key && *export_key != *key) report.key_note += " (the export's own key file differs)";
  } else if (export_key) {
    key = export_key;
    report.key_note = "key not pinned: the signature was checked only against the export's own key file";
  } else {
    report.key_note = unpinned_note();
  }
  SUNBID_ASSIGN_OR_RETURN(Checkpoint cp, open_checkpoint(note, key));

  std::vector<std::string_view> lines;
  std::string_view text(entries_text);
  if (!text.empty() && text.back() != '\n') {
    return unusable("entries.jsonl does not end with a newline (truncated file?)");
  }
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  LogVerifier log(options.threads, {cp.size}, /*allow_stubs=*/true);
  constexpr std::size_t kChunk = 8192;
  for (std::size_t i = 0; i < lines.size(); i += kChunk) {
    std::size_t n = std::min(kChunk, lines.size() - i);
    SUNBID_TRY(log.feed(std::span<const std::string_view>(lines).subspan(i, n)));
  }
  // A well-formed tail past the checkpoint is not covered by any signature.
  if (lines.size() > cp.size) {
    return entry_error(cp.size, fmt::format("the export holds {} entries but its checkpoint covers "
                                            "only {}",
                                            lines.size(), cp.size));
  }
  SUNBID_TRY(check_checkpoint_against(cp, log));
  report.entries = log.size();
  report.withheld = log.stubs();
  report.bytes = log.bytes();
  report.root = log.root();
  report.checkpoint = cp;
  report.checkpoints_checked = 1;
  return report;
}

Result<LogReport> verify_consistency_with_database(std::string_view old_note,
                                                   const std::filesystem::path& db_file,
                                                   const VerifyOptions& options) {
  if (!options.pinned_key) return unusable("a consistency check needs a pinned key (--key)");
  SUNBID_ASSIGN_OR_RETURN(Checkpoint old_cp, verify_checkpoint_note(old_note, *options.pinned_key));
  SUNBID_ASSIGN_OR_RETURN(DbVerification v, verify_database_impl(db_file, options, {old_cp.size}));
  if (v.report.checkpoint && v.report.checkpoint->origin != old_cp.origin) {
    return checkpoint_error(old_cp.size, fmt::format("the old checkpoint's origin \"{}\" is not "
                                                     "the database's \"{}\"",
                                                     old_cp.origin, v.report.checkpoint->origin));
  }
  // The recomputed tree at the old size must have the old root: the log only
  // grew since.
  SUNBID_TRY(check_checkpoint_against(old_cp, *v.log));
  // And the database's own stored nodes must prove it too (what the server
  // serves as /audit/proof/consistency).
  if (v.report.checkpoint && v.report.checkpoint->size > old_cp.size && old_cp.size > 0) {
    auto opened = Database::open(db_file, Database::Mode::kReadOnly);
    if (!opened.ok()) return unusable(opened.error().message);
    const Checkpoint& latest = *v.report.checkpoint;
    auto proof = consistency_proof(old_cp.size, latest.size, node_reader(*opened));
    Status st = proof.ok() ? verify_consistency(old_cp.size, latest.size, *proof, old_cp.root,
                                                latest.root)
                           : Status(std::move(proof).error());
    if (!st.ok()) {
      return make_error("proof_invalid",
                        fmt::format("consistency proof {} → {} from the database's stored nodes "
                                    "fails: {}",
                                    old_cp.size, latest.size, st.error().message));
    }
  }
  return std::move(v.report);
}

}  // namespace sunbid::audit
