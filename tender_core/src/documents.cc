#include "tender_core/documents.h"

#include "audit_log/canonical_json.h"
#include "audit_log/error_codes.h"
#include "audit_log/rows.h"
#include "audit_log/sha256.h"
#include "tender_core/document_kinds.h"

namespace sunbid::core {

using audit::Statement;

std::vector<audit::Migration> documents_migrations() {
  return {{kDocumentsMigration, "tender_core_documents",
           R"sql(
CREATE TABLE tender_documents (
  log_index     INTEGER PRIMARY KEY,
  tender_id     TEXT NOT NULL,
  kind          TEXT NOT NULL,
  source_json   TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  published_ms  INTEGER NOT NULL
);
CREATE INDEX tender_documents_by_tender ON tender_documents(tender_id, log_index);
CREATE TRIGGER tender_documents_no_update BEFORE UPDATE ON tender_documents
BEGIN SELECT RAISE(ABORT, 'documents are immutable'); END;
CREATE TRIGGER tender_documents_no_delete BEFORE DELETE ON tender_documents
BEGIN SELECT RAISE(ABORT, 'documents are immutable'); END;
CREATE TABLE tender_document_pdfs (
  log_index       INTEGER PRIMARY KEY REFERENCES tender_documents(log_index),
  pdf             BLOB NOT NULL,
  pdf_sha256      TEXT NOT NULL,
  rendered_index  INTEGER NOT NULL,
  rendered_ms     INTEGER NOT NULL,
  checkpoint_size INTEGER NOT NULL,
  checkpoint_root TEXT NOT NULL,
  verifier_key_id TEXT NOT NULL,
  public_base_url TEXT NOT NULL
);
CREATE TRIGGER tender_document_pdfs_no_update BEFORE UPDATE ON tender_document_pdfs
BEGIN SELECT RAISE(ABORT, 'stored PDFs are immutable'); END;
CREATE TRIGGER tender_document_pdfs_no_delete BEFORE DELETE ON tender_document_pdfs
BEGIN SELECT RAISE(ABORT, 'stored PDFs are immutable'); END;
)sql"}};
}

namespace {

constexpr std::string_view kColumns =
    "d.log_index, d.tender_id, d.kind, d.source_json, d.source_sha256, d.published_ms, "
    "p.pdf_sha256, p.rendered_index, p.rendered_ms, p.checkpoint_size, p.checkpoint_root, "
    "p.verifier_key_id, p.public_base_url";

StoredDocument read_row(const Statement& st) {
  StoredDocument d;
  d.log_index = static_cast<std::uint64_t>(st.column_int64(0));
  d.tender_id = std::string(st.column_text(1));
  d.kind = std::string(st.column_text(2));
  d.source_json = std::string(st.column_text(3));
  d.source_sha256_hex = std::string(st.column_text(4));
  d.published_ms = st.column_int64(5);
  if (!st.column_is_null(6)) {
    d.pdf_sha256_hex = std::string(st.column_text(6));
    d.rendered_index = static_cast<std::uint64_t>(st.column_int64(7));
    d.rendered_ms = st.column_int64(8);
    d.checkpoint_size = static_cast<std::uint64_t>(st.column_int64(9));
    d.checkpoint_root_hex = std::string(st.column_text(10));
    d.verifier_key_id = std::string(st.column_text(11));
    d.public_base_url = std::string(st.column_text(12));
  }
  return d;
}

// Runs `st` (already bound) and collects its rows.
Result<std::vector<StoredDocument>> collect(Statement& st) {
  std::vector<StoredDocument> out;
  SUNBID_TRY(audit::each_row(st, [&](Statement& row) { out.push_back(read_row(row)); }));
  return out;
}

// When the entry at `index` becomes public, if it is withheld at `now_ms`.
Result<std::optional<std::int64_t>> withheld_until(audit::Database& db, std::uint64_t index,
                                                   std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT release_at_ms FROM audit_withheld WHERE idx = ?"));
  st->bind(1, static_cast<std::int64_t>(index));
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<std::int64_t> out;
  if (row && now_ms < st->column_int64(0)) out = st->column_int64(0);
  st->reset();
  return out;
}

// Whether `doc` is shown at `now_ms` (to `viewer`, when given); sets
// doc.restricted when only the viewer's role shows it.
Result<bool> visible(audit::Database& db, StoredDocument& doc, std::int64_t now_ms,
                     const Actor* viewer) {
  SUNBID_ASSIGN_OR_RETURN(std::optional<std::int64_t> until,
                          withheld_until(db, doc.log_index, now_ms));
  if (!until) return true;
  if (viewer == nullptr || doc.kind != kEvaluationReportKind) return false;
  SUNBID_ASSIGN_OR_RETURN(bool reads, reads_report_before_decision(db, doc.tender_id, *viewer));
  doc.restricted = reads;
  return reads;
}

// Names the document's subject in an entry: a tender's as `tender` and
// payload tender_id; a motion's as the trail subject and payload motion_id.
void name_subject(audit::EntryDraft& draft, boost::json::object& payload,
                  std::string_view subject) {
  if (auto motion = motion_of_subject(subject)) {
    draft.subject = std::string(subject);
    payload["motion_id"] = *motion;
  } else {
    draft.tender = std::string(subject);
    payload["tender_id"] = subject;
  }
}

}  // namespace

std::string motion_document_subject(std::string_view motion_id) {
  return std::string(kMotionSubjectPrefix) + std::string(motion_id);
}

std::optional<std::string_view> motion_of_subject(std::string_view subject) {
  if (!subject.starts_with(kMotionSubjectPrefix)) return std::nullopt;
  return subject.substr(kMotionSubjectPrefix.size());
}

Result<std::uint64_t> publish_document(audit::WriteTxn& txn, audit::EntryDraft draft,
                                       std::string_view tender, std::string_view kind,
                                       const boost::json::object& source,
                                       std::optional<std::int64_t> release_at_ms) {
  SUNBID_ASSIGN_OR_RETURN(std::string text, audit::to_canonical_json(source));
  const std::string digest = hex_encode(sha256(text));
  const std::uint64_t index = txn.log_size();
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      txn.db().cached("INSERT INTO tender_documents(log_index, tender_id, kind, source_json, "
                      "source_sha256, published_ms) VALUES (?, ?, ?, ?, ?, ?)"));
  ins->bind(1, static_cast<std::int64_t>(index)).bind(2, tender).bind(3, kind).bind(4, text);
  ins->bind(5, digest).bind(6, txn.now_ms());
  SUNBID_TRY(ins->run());
  draft.type = "document.published";
  draft.release_at_ms = release_at_ms;  // nullopt: public with the event that publishes it
  boost::json::object p;
  name_subject(draft, p, tender);
  p["kind"] = kind;
  p["source_sha256"] = digest;
  draft.payload = std::move(p);
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t appended, txn.append(draft));
  if (appended != index) {
    return make_error("internal_error", "文档登记序号不一致 / the document's log index moved");
  }
  return appended;
}

Result<std::vector<StoredDocument>> unrendered_documents(audit::Database& db,
                                                         std::uint64_t log_size,
                                                         std::size_t limit) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT " + std::string(kColumns) +
                " FROM tender_documents d LEFT JOIN tender_document_pdfs p ON p.log_index = "
                "d.log_index WHERE p.log_index IS NULL AND d.log_index < ? ORDER BY d.log_index "
                "LIMIT ?"));
  st->bind(1, static_cast<std::int64_t>(log_size)).bind(2, static_cast<std::int64_t>(limit));
  return collect(*st);
}

Result<std::uint64_t> unrendered_count(audit::Database& db) {
  SUNBID_ASSIGN_OR_RETURN(
      std::int64_t n,
      db.query_int64("SELECT count(*) FROM tender_documents d WHERE NOT EXISTS (SELECT 1 FROM "
                     "tender_document_pdfs p WHERE p.log_index = d.log_index)"));
  return static_cast<std::uint64_t>(n);
}

Result<std::optional<std::uint64_t>> store_rendered_document(audit::WriteTxn& txn,
                                                             std::uint64_t log_index,
                                                             const RenderedPdf& rendered) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(std::optional<StoredDocument> doc, stored_document(db, log_index));
  if (!doc) {
    return make_error("document_not_found",
                      "文档不存在 / no such document: " + std::to_string(log_index),
                      {{"log_index", log_index}});
  }
  if (doc->pdf_sha256_hex) return std::optional<std::uint64_t>{};  // rendered before
  const std::string digest = hex_encode(sha256(rendered.pdf));
  const std::uint64_t index = txn.log_size();
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT INTO tender_document_pdfs(log_index, pdf, pdf_sha256, rendered_index, "
                "rendered_ms, checkpoint_size, checkpoint_root, verifier_key_id, public_base_url) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  ins->bind(1, static_cast<std::int64_t>(log_index));
  ins->bind_blob(
      2, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(rendered.pdf.data()),
                                       rendered.pdf.size()));
  ins->bind(3, digest).bind(4, static_cast<std::int64_t>(index)).bind(5, txn.now_ms());
  ins->bind(6, static_cast<std::int64_t>(rendered.checkpoint_size));
  ins->bind(7, rendered.checkpoint_root_hex).bind(8, rendered.verifier_key_id);
  ins->bind(9, rendered.public_base_url);
  SUNBID_TRY(ins->run());
  audit::EntryDraft draft;  // the system: no person renders
  draft.type = "document.rendered";
  // A withheld document's rendering is withheld with it: its entry would
  // otherwise tell that the document exists.
  SUNBID_ASSIGN_OR_RETURN(draft.release_at_ms, withheld_until(db, log_index, txn.now_ms()));
  boost::json::object p;
  name_subject(draft, p, doc->tender_id);
  p["kind"] = doc->kind;
  p["published_index"] = log_index;
  p["pdf_sha256"] = digest;
  draft.payload = std::move(p);
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t appended, txn.append(draft));
  return std::optional<std::uint64_t>(appended);
}

Result<std::vector<StoredDocument>> tender_documents(audit::Database& db, std::string_view tender,
                                                     std::int64_t now_ms, const Actor* viewer) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT " + std::string(kColumns) +
                " FROM tender_documents d LEFT JOIN tender_document_pdfs p ON p.log_index = "
                "d.log_index WHERE d.tender_id = ? ORDER BY d.log_index"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(std::vector<StoredDocument> all, collect(*st));
  std::vector<StoredDocument> out;
  for (auto& d : all) {
    SUNBID_ASSIGN_OR_RETURN(bool shown, visible(db, d, now_ms, viewer));
    if (shown) out.push_back(std::move(d));
  }
  return out;
}

Result<bool> reads_report_before_decision(audit::Database& db, std::string_view tender,
                                          const Actor& viewer) {
  if (viewer.role == "supervisor") return true;
  if (viewer.role != "tenderer" && viewer.role != "owner") return false;
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> community,
      db.query_strings("SELECT community_id FROM tenders WHERE id = ?", {tender}));
  return !community.empty() && !viewer.community_id.empty() &&
         community.front() == viewer.community_id;
}

Result<std::optional<StoredDocument>> stored_document(audit::Database& db,
                                                      std::uint64_t log_index) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT " + std::string(kColumns) +
                " FROM tender_documents d LEFT JOIN tender_document_pdfs p ON p.log_index = "
                "d.log_index WHERE d.log_index = ?"));
  st->bind(1, static_cast<std::int64_t>(log_index));
  SUNBID_ASSIGN_OR_RETURN(std::vector<StoredDocument> rows, collect(*st));
  if (rows.empty()) return std::optional<StoredDocument>{};
  return std::optional<StoredDocument>(std::move(rows.front()));
}

Result<std::optional<DocumentPdf>> document_pdf(audit::Database& db, std::string_view tender,
                                                std::uint64_t log_index, std::int64_t now_ms,
                                                const Actor* viewer) {
  SUNBID_ASSIGN_OR_RETURN(std::optional<StoredDocument> doc, stored_document(db, log_index));
  if (!doc || doc->tender_id != tender || !doc->pdf_sha256_hex) {
    return std::optional<DocumentPdf>{};
  }
  SUNBID_ASSIGN_OR_RETURN(bool shown, visible(db, *doc, now_ms, viewer));
  if (!shown) return std::optional<DocumentPdf>{};
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT pdf FROM tender_document_pdfs WHERE log_index = ?"));
  st->bind(1, static_cast<std::int64_t>(log_index));
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return std::optional<DocumentPdf>{};
  }
  auto blob = st->column_blob(0);
  DocumentPdf out{std::move(*doc),
                  std::string(reinterpret_cast<const char*>(blob.data()), blob.size())};
  st->reset();
  return std::optional<DocumentPdf>(std::move(out));
}

Result<std::vector<FeedDocument>> feed_documents(audit::Database& db, const FeedQuery& query,
                                                 std::int64_t now_ms) {
  // Public at now_ms: no withheld row releasing it later (withheld_until).
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      // A tender's document takes its title and community from the tender; a
      // motion's (no tenders row) from its own source, which names both.
      db.cached("SELECT " + std::string(kColumns) +
                ", coalesce(t.title, json_extract(d.source_json, '$.title')), c.id, c.name, "
                "c.district FROM tender_documents d "
                "JOIN tender_document_pdfs p ON p.log_index = d.log_index "
                "LEFT JOIN tenders t ON t.id = d.tender_id "
                "JOIN communities c ON c.id = coalesce(t.community_id, "
                "json_extract(d.source_json, '$.community.id')) "
                "WHERE (?1 IS NULL OR c.id = ?1) AND (?2 IS NULL OR c.district = ?2) "
                "AND NOT EXISTS (SELECT 1 FROM audit_withheld w WHERE w.idx = d.log_index "
                "AND w.release_at_ms > ?3) ORDER BY d.log_index DESC LIMIT ?4"));
  if (query.community_id) {
    st->bind(1, *query.community_id);
  } else {
    st->bind_null(1);
  }
  if (query.district) {
    st->bind(2, *query.district);
  } else {
    st->bind_null(2);
  }
  st->bind(3, now_ms).bind(4, static_cast<std::int64_t>(query.limit));
  std::vector<FeedDocument> out;
  SUNBID_TRY(audit::each_row(*st, [&](Statement& row) {
    FeedDocument f;
    f.document = read_row(row);
    f.tender_title = std::string(row.column_text(13));
    f.community_id = std::string(row.column_text(14));
    f.community_name = std::string(row.column_text(15));
    f.district = std::string(row.column_text(16));
    out.push_back(std::move(f));
  }));
  return out;
}

}  // namespace sunbid::core
