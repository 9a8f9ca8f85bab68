#include "audit_log/log_store.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <boost/json/parse.hpp>

#include "audit_log/entry_format.h"
#include "audit_log/log_head.h"
#include "audit_log/time_format.h"
#include "log_writer.h"

namespace sunbid::audit {

std::vector<Migration> audit_log_migrations() {
  return {{1, "audit_log",
           R"sql(
CREATE TABLE audit_entries (
  idx   INTEGER PRIMARY KEY,
  entry BLOB NOT NULL
);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TABLE audit_tender_entries (
  idx      INTEGER PRIMARY KEY REFERENCES audit_entries(idx),
  tender   TEXT NOT NULL,
  prev_idx INTEGER
);
CREATE TABLE audit_tender_heads (
  tender   TEXT PRIMARY KEY,
  last_idx INTEGER NOT NULL,
  entries  INTEGER NOT NULL
);
CREATE TABLE audit_withheld (
  idx           INTEGER PRIMARY KEY REFERENCES audit_entries(idx),
  release_at_ms INTEGER NOT NULL
);
CREATE TABLE merkle_nodes (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
  tree_size    INTEGER PRIMARY KEY,
  root         BLOB NOT NULL,
  note         TEXT NOT NULL,
  signed_at_ms INTEGER NOT NULL
);
CREATE TABLE personal_data (
  digest TEXT PRIMARY KEY,
  kind   TEXT NOT NULL,
  scope  TEXT NOT NULL,
  value  TEXT NOT NULL,
  salt   BLOB NOT NULL,
  UNIQUE (scope, kind, value)
);
)sql"}};
}

// ---- writer side ----

Result<LogHead> load_log_head(Database& db) {
  LogHead head;
  SUNBID_ASSIGN_OR_RETURN(std::int64_t count, db.query_int64("SELECT count(*) FROM audit_entries"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t next,
                          db.query_int64("SELECT coalesce(max(idx) + 1, 0) FROM audit_entries"));
  if (count != next) {
    return make_error(
        "log_corrupt",
        fmt::format("审计日志不连续 / the audit log has gaps: {} entries, next index {}", count,
                    next));
  }
  head.size = static_cast<std::uint64_t>(count);
  if (head.size > 0) {
    SUNBID_ASSIGN_OR_RETURN(Statement last,
                            db.prepare("SELECT entry FROM audit_entries WHERE idx = ?"));
    last.bind(1, static_cast<std::int64_t>(head.size - 1));
    SUNBID_ASSIGN_OR_RETURN(bool row, last.step());
    if (!row) return make_error("log_corrupt", "审计日志末条缺失 / last entry missing");
    auto blob = last.column_blob(0);
    std::string_view bytes(reinterpret_cast<const char*>(blob.data()), blob.size());
    head.prev = entry_hash(bytes);
    TopLevelFields scratch;
    SUNBID_ASSIGN_OR_RETURN(EntryView view, parse_entry(bytes, scratch));
    head.last_time_ms = *parse_rfc3339_ms_utc(view.time.substr(1, 24));
  }
  std::vector<NodeId> ids = frontier_nodes(head.size);
  SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> roots, node_reader(db)(ids));
  SUNBID_ASSIGN_OR_RETURN(head.frontier, Frontier::from_nodes(head.size, std::move(roots)));
  return head;
}

Result<std::uint64_t> append_entry(Database& db, LogHead& head, const EntryDraft& draft,
                                   std::int64_t now_ms, std::optional<std::string_view> source) {
  // Entry times never go backwards, even if the system clock does.
  std::int64_t time_ms = std::max(now_ms, head.last_time_ms);
  // A withheld entry is blinded: everything else in it may be guessable (a
  // run-off ballot's voter, weight and neighbours are public), so without a
  // secret of its own its leaf hash could be brute-forced from the stub.
  std::string blind;
  if (draft.release_at_ms) {
    std::array<std::uint8_t, 32> rnd{};
    if (RAND_bytes(rnd.data(), static_cast<int>(rnd.size())) != 1) {
      return make_error("internal_error", "随机数生成失败 / random number generation failed");
    }
    blind = hex_encode(std::span<const std::uint8_t>(rnd));
  }
  SUNBID_ASSIGN_OR_RETURN(std::string bytes,
                          encode_entry(draft, head.size, time_ms, head.prev, source, blind));
  const auto index = static_cast<std::int64_t>(head.size);
  {
    SUNBID_ASSIGN_OR_RETURN(Statement * ins,
                            db.cached("INSERT INTO audit_entries(idx, entry) VALUES (?, ?)"));
    ins->bind(1, index).bind_blob(
        2, std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    SUNBID_TRY(ins->run());
  }
  if (draft.release_at_ms) {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins, db.cached("INSERT INTO audit_withheld(idx, release_at_ms) VALUES (?, ?)"));
    ins->bind(1, index).bind(2, *draft.release_at_ms);
    SUNBID_TRY(ins->run());
  }
  // A tender's entries, or another subject's (a motion's), under one key:
  // tender ids never contain ':', subject keys always do.
  const std::optional<std::string>& trail_key = draft.tender ? draft.tender : draft.subject;
  if (trail_key) {
    // Each tender's entries form a list linked backwards from its head. An
    // index keyed (tender, idx) would dirty one page per active tender in
    // every batch; appending by idx and updating the small heads table
    // touches only a few pages.
    std::optional<std::int64_t> prev_in_tender;
    {
      SUNBID_ASSIGN_OR_RETURN(
          Statement * q, db.cached("SELECT last_idx FROM audit_tender_heads WHERE tender = ?"));
      q->bind(1, *trail_key);
      SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
      if (row) prev_in_tender = q->column_int64(0);
      q->reset();
    }
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO audit_tender_entries(idx, tender, prev_idx) VALUES (?, ?, ?)"));
    ins->bind(1, index).bind(2, *trail_key);
    if (prev_in_tender)
      ins->bind(3, *prev_in_tender);
    else
      ins->bind_null(3);
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(
        Statement * head,
        db.cached("INSERT INTO audit_tender_heads(tender, last_idx, entries) VALUES (?, ?, 1) "
                  "ON CONFLICT(tender) DO UPDATE SET last_idx = excluded.last_idx, "
                  "entries = entries + 1"));
    head->bind(1, *trail_key).bind(2, index);
    SUNBID_TRY(head->run());
  }
  std::vector<std::pair<NodeId, Hash>> completed;
  Frontier frontier = head.frontier;
  frontier.append(leaf_hash(bytes), &completed);
  SUNBID_ASSIGN_OR_RETURN(Statement * node,
                          db.cached("INSERT INTO merkle_nodes(level, idx, hash) VALUES (?, ?, ?)"));
  for (const auto& [id, hash] : completed) {
    node->reset();
    node->bind(1, std::int64_t{id.level})
        .bind(2, static_cast<std::int64_t>(id.index))
        .bind_blob(3, hash);
    SUNBID_TRY(node->run());
  }
  head.frontier = std::move(frontier);
  head.prev = entry_hash(bytes);
  head.last_time_ms = time_ms;
  head.size += 1;
  return static_cast<std::uint64_t>(index);
}

Result<std::string> personal_digest(Database& db, std::string_view kind, std::string_view value,
                                    std::string_view scope) {
  {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * find,
        db.cached("SELECT digest FROM personal_data WHERE scope = ? AND kind = ? AND value = ?"));
    find->bind(1, scope).bind(2, kind).bind(3, value);
    SUNBID_ASSIGN_OR_RETURN(bool row, find->step());
    if (row) {
      std::string digest(find->column_text(0));
      find->reset();
      return digest;
    }
    find->reset();
  }
  std::array<std::uint8_t, 16> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return make_error("internal_error", "随机数生成失败 / random number generation failed");
  }
  Sha256 h;
  h.update(std::span<const std::uint8_t>(salt)).update(value);
  std::string digest = hex_encode(h.finish());
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached(
          "INSERT INTO personal_data(digest, kind, scope, value, salt) VALUES (?, ?, ?, ?, ?)"));
  ins->bind(1, digest).bind(2, kind).bind(3, scope).bind(4, value).bind_blob(5, salt);
  SUNBID_TRY(ins->run());
  return digest;
}

Status store_checkpoint(Database& db, const StoredCheckpoint& c) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT OR IGNORE INTO checkpoints(tree_size, root, note, signed_at_ms) "
                "VALUES (?, ?, ?, ?)"));
  ins->bind(1, static_cast<std::int64_t>(c.tree_size))
      .bind_blob(2, c.root)
      .bind(3, c.note)
      .bind(4, c.signed_at_ms);
  return ins->run();
}

// ---- reader side ----

NodeReader node_reader(Database& db) {
  return [&db](std::span<const NodeId> ids) -> Result<std::vector<Hash>> {
    std::vector<Hash> out;
    out.reserve(ids.size());
    SUNBID_ASSIGN_OR_RETURN(Statement * q,
                            db.cached("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?"));
    for (const NodeId& id : ids) {
      q->reset();
      q->bind(1, std::int64_t{id.level}).bind(2, static_cast<std::int64_t>(id.index));
      SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
      auto blob = row ? q->column_blob(0) : std::span<const std::uint8_t>{};
      if (blob.size() != 32) {
        q->reset();
        return make_error("log_corrupt",
                          fmt::format("默克尔节点缺失 / Merkle node (level {}, index {}) missing",
                                      id.level, id.index));
      }
      Hash h;
      std::copy(blob.begin(), blob.end(), h.begin());
      out.push_back(h);
    }
    q->reset();
    return out;
  };
}

namespace {

Result<StoredCheckpoint> checkpoint_from_row(Statement& q) {
  StoredCheckpoint c;
  c.tree_size = static_cast<std::uint64_t>(q.column_int64(0));
  auto root = q.column_blob(1);
  if (root.size() != 32)
    return make_error("log_corrupt", "检查点根哈希长度错误 / checkpoint root length");
  std::copy(root.begin(), root.end(), c.root.begin());
  c.note = std::string(q.column_text(2));
  c.signed_at_ms = q.column_int64(3);
  return c;
}

constexpr const char* kCheckpointColumns =
    "SELECT tree_size, root, note, signed_at_ms FROM checkpoints";

}  // namespace

Result<std::optional<StoredCheckpoint>> latest_checkpoint(Database& db) {
  SUNBID_ASSIGN_OR_RETURN(Statement * q, db.cached(std::string(kCheckpointColumns) +
                                                   " ORDER BY tree_size DESC LIMIT 1"));
  SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
  if (!row) return std::optional<StoredCheckpoint>{};
  auto c = checkpoint_from_row(*q);
  q->reset();
  if (!c.ok()) return std::move(c).error();
  return std::optional<StoredCheckpoint>(std::move(c).value());
}

Result<StoredCheckpoint> checkpoint_at(Database& db, std::uint64_t tree_size) {
  SUNBID_ASSIGN_OR_RETURN(Statement * q,
                          db.cached(std::string(kCheckpointColumns) + " WHERE tree_size = ?"));
  q->bind(1, static_cast<std::int64_t>(tree_size));
  SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
  if (!row) {
    return make_error("checkpoint_not_found",
                      fmt::format("没有大小为 {} 的检查点 / no stored checkpoint of size {}",
                                  tree_size, tree_size),
                      {{"tree_size", static_cast<std::int64_t>(tree_size)}});
  }
  auto c = checkpoint_from_row(*q);
  q->reset();
  return c;
}

Result<std::vector<StoredCheckpoint>> all_checkpoints(Database& db) {
  SUNBID_ASSIGN_OR_RETURN(Statement q,
                          db.prepare(std::string(kCheckpointColumns) + " ORDER BY tree_size"));
  std::vector<StoredCheckpoint> out;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool row, q.step());
    if (!row) break;
    SUNBID_ASSIGN_OR_RETURN(StoredCheckpoint c, checkpoint_from_row(q));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::uint64_t> log_size(Database& db) {
  // A cached statement: public reads ask this on every request (the OCDS
  // feed's catch-up check), and preparing it each time cost more than the read.
  SUNBID_ASSIGN_OR_RETURN(Statement * q,
                          db.cached("SELECT coalesce(max(idx) + 1, 0) FROM audit_entries"));
  SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
  const std::int64_t n = row ? q->column_int64(0) : 0;
  q->reset();
  return static_cast<std::uint64_t>(n);
}

Result<std::string> read_entry_bytes(Database& db, std::uint64_t index) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<StoredEntry> e, read_entries(db, index, index + 1));
  if (e.size() != 1) return make_error("log_corrupt", "条目缺失 / entry missing");
  return std::move(e[0].bytes);
}

Result<std::vector<StoredEntry>> read_entries(Database& db, std::uint64_t start,
                                              std::uint64_t end) {
  std::vector<StoredEntry> out;
  if (end <= start) return out;
  SUNBID_ASSIGN_OR_RETURN(
      Statement * q,
      db.cached("SELECT e.idx, e.entry, w.release_at_ms FROM audit_entries e "
                "LEFT JOIN audit_withheld w ON w.idx = e.idx WHERE e.idx >= ? AND e.idx < ? "
                "ORDER BY e.idx"));
  q->bind(1, static_cast<std::int64_t>(start)).bind(2, static_cast<std::int64_t>(end));
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) break;
    StoredEntry e;
    e.index = static_cast<std::uint64_t>(q->column_int64(0));
    auto blob = q->column_blob(1);
    e.bytes.assign(reinterpret_cast<const char*>(blob.data()), blob.size());
    if (!q->column_is_null(2)) e.release_at_ms = q->column_int64(2);
    out.push_back(std::move(e));
  }
  q->reset();
  return out;
}

std::string public_form(const StoredEntry& e, std::int64_t now_ms) {
  return withheld_at(e, now_ms) ? encode_stub(e.index, e.bytes) : e.bytes;
}

Result<PublicPage> public_entries(Database& db, std::uint64_t start, std::uint64_t end,
                                  std::int64_t now_ms, std::size_t max_bytes) {
  PublicPage page;
  SUNBID_ASSIGN_OR_RETURN(page.log_size, log_size(db));
  end = std::min(end, page.log_size);
  constexpr std::uint64_t kChunk = 32;
  std::size_t bytes = 0;
  std::uint64_t from = start;
  for (; from < end && (page.items.empty() || bytes < max_bytes); from += kChunk) {
    SUNBID_ASSIGN_OR_RETURN(std::vector<StoredEntry> chunk,
                            read_entries(db, from, std::min(end, from + kChunk)));
    for (const auto& entry : chunk) {
      if (!page.items.empty() && bytes >= max_bytes) break;
      page.items.push_back(public_form(entry, now_ms));
      bytes += page.items.back().size() + 1;
    }
  }
  page.next = start + page.items.size();
  return page;
}

namespace {

Result<StoredCheckpoint> checkpoint_or_latest(Database& db, std::optional<std::uint64_t> size) {
  if (size) return checkpoint_at(db, *size);
  SUNBID_ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, latest_checkpoint(db));
  if (!latest) {
    return make_error("checkpoint_not_found", "尚无检查点 / no checkpoint has been signed yet");
  }
  return std::move(*latest);
}

}  // namespace

Result<InclusionAnswer> prove_inclusion(Database& db, std::uint64_t index,
                                        std::optional<std::uint64_t> tree_size) {
  // One read transaction: the checkpoint and the nodes come from one snapshot.
  ReadTxn txn(db);  // one snapshot; ended on every path
  SUNBID_TRY(txn.begun());
  auto body = [&]() -> Result<InclusionAnswer> {
    InclusionAnswer a;
    SUNBID_ASSIGN_OR_RETURN(a.checkpoint, checkpoint_or_latest(db, tree_size));
    a.index = index;
    a.tree_size = a.checkpoint.tree_size;
    SUNBID_ASSIGN_OR_RETURN(a.proof, inclusion_proof(index, a.tree_size, node_reader(db)));
    SUNBID_ASSIGN_OR_RETURN(std::vector<Hash> leaf,
                            node_reader(db)(std::vector<NodeId>{{0, index}}));
    a.leaf = leaf[0];
    return a;
  };
  return body();
}

Result<ConsistencyAnswer> prove_consistency(Database& db, std::uint64_t first,
                                            std::optional<std::uint64_t> second) {
  ReadTxn txn(db);  // one snapshot; ended on every path
  SUNBID_TRY(txn.begun());
  auto body = [&]() -> Result<ConsistencyAnswer> {
    ConsistencyAnswer a;
    SUNBID_ASSIGN_OR_RETURN(a.checkpoint, checkpoint_or_latest(db, second));
    SUNBID_ASSIGN_OR_RETURN(a.first_checkpoint, checkpoint_at(db, first));
    a.first = first;
    a.second = a.checkpoint.tree_size;
    SUNBID_ASSIGN_OR_RETURN(a.proof, consistency_proof(first, a.second, node_reader(db)));
    return a;
  };
  return body();
}

Result<PersonalValue> open_personal_digest(Database& db, std::string_view digest_hex) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * q,
      db.cached("SELECT kind, scope, value, salt FROM personal_data WHERE digest = ?"));
  q->bind(1, digest_hex);
  SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
  if (!row) {
    return make_error("digest_not_found", "找不到该摘要 / no personal value behind that digest");
  }
  PersonalValue v;
  v.kind = std::string(q->column_text(0));
  v.scope = std::string(q->column_text(1));
  v.value = std::string(q->column_text(2));
  auto salt = q->column_blob(3);
  v.salt.assign(salt.begin(), salt.end());
  q->reset();
  return v;
}

Result<PersonalValue> open_source_digest(Database& db, const DigestKey& key, std::uint64_t index) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<StoredEntry> e, read_entries(db, index, index + 1));
  if (e.empty()) {
    return make_error("index_out_of_range", "没有该条目 / no entry at that index",
                      {{"index", static_cast<std::int64_t>(index)}});
  }
  auto parsed = boost::json::parse(e[0].bytes);
  const auto& o = parsed.as_object();
  const auto* src = o.if_contains("source");
  if (src == nullptr || !src->is_string()) {
    return make_error("digest_not_found", "该条目没有来源摘要 / the entry has no source digest");
  }
  const std::string digest(src->as_string());
  const auto* tender = o.if_contains("tender");
  const std::string scope = tender && tender->is_string() ? std::string(tender->as_string()) : "";
  constexpr std::string_view kKind = "network_address";
  // The entry's scope first (a tender's few addresses), then every scope.
  for (const char* sql :
       {"SELECT scope, value, salt FROM personal_data WHERE kind = ? AND scope = ?",
        "SELECT scope, value, salt FROM personal_data WHERE kind = ?"}) {
    SUNBID_ASSIGN_OR_RETURN(Statement q, db.prepare(sql));
    q.bind(1, kKind);
    if (std::string_view(sql).find("scope = ?") != std::string_view::npos) q.bind(2, scope);
    for (;;) {
      SUNBID_ASSIGN_OR_RETURN(bool row, q.step());
      if (!row) break;
      std::string value(q.column_text(1));
      if (key.entry_digest(index, kKind, value) == digest) {
        PersonalValue v;
        v.kind = std::string(kKind);
        v.scope = std::string(q.column_text(0));
        v.value = std::move(value);
        Hash salt = key.entry_salt(index, kKind);
        v.salt.assign(salt.begin(), salt.end());
        return v;
      }
    }
  }
  return make_error("digest_not_found", "找不到该摘要 / no personal value behind that digest");
}

}  // namespace sunbid::audit

namespace sunbid::audit {

Result<std::vector<std::uint64_t>> tender_entry_indices(Database& db, std::string_view tender) {
  std::vector<std::uint64_t> out;
  std::optional<std::int64_t> at;
  {
    SUNBID_ASSIGN_OR_RETURN(Statement * q,
                            db.cached("SELECT last_idx FROM audit_tender_heads WHERE tender = ?"));
    q->bind(1, tender);
    SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
    if (row) at = q->column_int64(0);
    q->reset();
  }
  SUNBID_ASSIGN_OR_RETURN(
      Statement * q, db.cached("SELECT tender, prev_idx FROM audit_tender_entries WHERE idx = ?"));
  while (at) {
    q->bind(1, *at);
    SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
    if (!row || q->column_text(0) != tender) {
      q->reset();
      return make_error("log_corrupt", "招标条目链断开 / a tender's entry list is broken");
    }
    out.push_back(static_cast<std::uint64_t>(*at));
    std::optional<std::int64_t> prev;
    if (!q->column_is_null(1)) prev = q->column_int64(1);
    q->reset();
    if (prev && *prev >= *at)
      return make_error("log_corrupt", "招标条目链成环 / a tender's entry list loops");
    at = prev;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Status move_tender_release(Database& db, std::string_view tender, std::int64_t release_at_ms) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::uint64_t> indices, tender_entry_indices(db, tender));
  SUNBID_ASSIGN_OR_RETURN(Statement * up,
                          db.cached("UPDATE audit_withheld SET release_at_ms = ? WHERE idx = ? "
                                    "AND release_at_ms <> ?"));
  for (std::uint64_t idx : indices) {
    up->bind(1, release_at_ms).bind(2, static_cast<std::int64_t>(idx)).bind(3, kReleaseAtEvent);
    SUNBID_TRY(up->run());
  }
  return {};
}

Status release_tender_entries(Database& db, std::string_view tender, std::int64_t withheld_until_ms,
                              std::int64_t now_ms) {
  if (withheld_until_ms <= now_ms) return {};
  SUNBID_ASSIGN_OR_RETURN(
      Statement * up,
      db.cached("UPDATE audit_withheld SET release_at_ms = ? WHERE release_at_ms = ? AND idx IN "
                "(SELECT idx FROM audit_tender_entries WHERE tender = ?)"));
  up->bind(1, now_ms).bind(2, withheld_until_ms).bind(3, tender);
  return up->run();
}

Status retime_tender_entries(Database& db, std::string_view tender, std::int64_t withheld_until_ms,
                             std::int64_t release_at_ms) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * up,
      db.cached("UPDATE audit_withheld SET release_at_ms = ? WHERE release_at_ms = ? AND idx IN "
                "(SELECT idx FROM audit_tender_entries WHERE tender = ?)"));
  up->bind(1, release_at_ms).bind(2, withheld_until_ms).bind(3, tender);
  return up->run();
}

}  // namespace sunbid::audit
