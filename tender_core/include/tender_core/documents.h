// Official documents (公告, issue 14 §1): what the log records of them and
// where their source data and PDFs are kept. Rendering is not here: tender_core
// does not link the renderer (documents/); the server's DocumentPublisher
// renders (server/document_publisher.h).
//
// The pipeline (docs/documents.md):
//  1. The event's command (e.g. TenderService::publish) builds the document's
//     source data, a JSON object of plain facts, and calls publish_document
//     INSIDE its own command: the source's canonical JSON is stored
//     (tender_documents) and a public `document.published {kind,
//     source_sha256}` entry is appended, in the same savepoint as the event.
//  2. After the commit, once a signed checkpoint covers that entry, a worker
//     off the writer renders the PDF from the stored source with the
//     verification footer and calls store_rendered_document in a command of
//     its own: the PDF is stored (tender_document_pdfs) and a
//     `document.rendered {kind, published_index, pdf_sha256}` entry appended.
//     Storing twice stores nothing and appends nothing (idempotent).
//
// Invariants:
//  - a document's identity is its published entry's index (`log_index`);
//  - a tender_documents row exists iff its document.published entry does
//    (same savepoint); a tender_document_pdfs row iff its document.rendered
//    entry does; rows are immutable (triggers refuse UPDATE and DELETE);
//  - source_sha256 = SHA-256 of source_json, which is canonical JSON
//    (docs/canonical-json.md).
//
// Thread-safety: the writer functions run inside a ledger command (writer
// thread); the readers take a connection the calling thread owns.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/result.h"
#include "audit_log/sqlite.h"
#include "tender_core/actor.h"

namespace sunbid::core {

// Migration 30: tender_documents (the source data) and tender_document_pdfs.
inline constexpr int kDocumentsMigration = 30;

// The kinds of document; the source's own "kind" member and the entries'.
inline constexpr std::string_view kTenderNoticeKind = "tender_notice";    // 招标公告
inline constexpr std::string_view kTenderFailedKind = "tender_failed";    // 流标公告
inline constexpr std::string_view kTenderAmendedKind = "tender_amended";  // 补遗/更正公告
inline constexpr std::string_view kOpeningRecordKind = "opening_record";  // 开标记录表
inline constexpr std::string_view kCandidatePublicityKind =
    "candidate_publicity";                                                  // 中标候选人公示
inline constexpr std::string_view kAwardPublicityKind = "award_publicity";  // 中标结果公示
// 评标报告 in two renderings: by seat at the review's conclusion (withheld
// from the public until the decision; read before it by the community's
// owners and tenderers and by supervisors), and with the members' names at
// the decision (public).
inline constexpr std::string_view kEvaluationReportKind = "evaluation_report";
inline constexpr std::string_view kEvaluationReportNamedKind = "evaluation_report_named";

// Inside a command: stores `source` (canonical JSON) as document `kind` of
// `tender` and appends the public document.published entry from `draft`
// (actor and source already set by the caller; type, tender and payload are
// set here). Returns the entry's index. Errors: those of canonical JSON
// (a double in `source`), storage. `release_at_ms`: when the entry is
// withheld (the seat-numbered 评标报告: audit::kReleaseAtEvent); nullopt:
// public at once.
Result<std::uint64_t> publish_document(audit::WriteTxn& txn, audit::EntryDraft draft,
                                       std::string_view tender, std::string_view kind,
                                       const boost::json::object& source,
                                       std::optional<std::int64_t> release_at_ms = std::nullopt);

struct StoredDocument {
  std::uint64_t log_index = 0;  // the document.published entry
  std::string tender_id;
  std::string kind;
  std::string source_json;  // canonical JSON, exactly as hashed
  std::string source_sha256_hex;
  std::int64_t published_ms = 0;
  // Set once rendered:
  std::optional<std::string> pdf_sha256_hex;
  std::optional<std::uint64_t> rendered_index;  // the document.rendered entry
  std::optional<std::int64_t> rendered_ms;
  std::optional<std::uint64_t> checkpoint_size;  // the footer's checkpoint
  std::optional<std::string> checkpoint_root_hex;
  std::optional<std::string> verifier_key_id;
  std::optional<std::string> public_base_url;  // the footer's QR link base
  // Not public yet: shown only to a viewer who reads it before the decision.
  bool restricted = false;
};

// Whether `viewer` reads the seat-numbered 评标报告 of `tender` before it is
// public: supervisors, and the tender's community's tenderers and owners
// (评定分离: those who decide read it).
Result<bool> reads_report_before_decision(audit::Database& db, std::string_view tender,
                                          const Actor& viewer);

// Documents not yet rendered whose published entry lies below `log_size`
// (a checkpoint of that size covers them), oldest first, at most `limit`.
Result<std::vector<StoredDocument>> unrendered_documents(audit::Database& db,
                                                         std::uint64_t log_size, std::size_t limit);

// How many documents have no PDF yet (GET /metrics: the worker's backlog).
Result<std::uint64_t> unrendered_count(audit::Database& db);

// What the worker rendered for document `log_index`.
struct RenderedPdf {
  std::string pdf;
  std::uint64_t checkpoint_size = 0;
  std::string checkpoint_root_hex;
  std::string verifier_key_id;
  std::string public_base_url;
};

// Inside a command: stores the PDF of document `log_index` and appends
// document.rendered {kind, published_index, pdf_sha256} (actor system).
// Returns the entry's index, or nullopt when the document was already
// rendered (nothing stored, nothing appended). Error `document_not_found`.
Result<std::optional<std::uint64_t>> store_rendered_document(audit::WriteTxn& txn,
                                                             std::uint64_t log_index,
                                                             const RenderedPdf& rendered);

// The documents of `tender` whose published entry is public at `now_ms`,
// by log index (without PDFs); with `viewer`, also the withheld 评标报告 when
// reads_report_before_decision (StoredDocument::restricted set).
Result<std::vector<StoredDocument>> tender_documents(audit::Database& db, std::string_view tender,
                                                     std::int64_t now_ms,
                                                     const Actor* viewer = nullptr);

// Document `log_index` (without its PDF); nullopt when there is none.
Result<std::optional<StoredDocument>> stored_document(audit::Database& db, std::uint64_t log_index);

// The stored PDF of document `log_index` of `tender`, when it exists, is
// rendered and its published entry is public at `now_ms`; else nullopt.
struct DocumentPdf {
  StoredDocument document;
  std::string pdf;
};
Result<std::optional<DocumentPdf>> document_pdf(audit::Database& db, std::string_view tender,
                                                std::uint64_t log_index, std::int64_t now_ms,
                                                const Actor* viewer = nullptr);

// The notice feed (公告订阅, issue 14 §3): rendered documents whose published
// entry is public at `now_ms`, newest first, platform-wide or of one
// community or one district (区).
struct FeedQuery {
  std::optional<std::string> community_id;
  std::optional<std::string> district;
  std::size_t limit = 50;  // REQUIRES: >= 1
};
struct FeedDocument {
  StoredDocument document;  // rendered: pdf_sha256_hex and rendered_* are set
  std::string tender_title;
  std::string community_id;
  std::string community_name;
  std::string district;
};
Result<std::vector<FeedDocument>> feed_documents(audit::Database& db, const FeedQuery& query,
                                                 std::int64_t now_ms);

std::vector<audit::Migration> documents_migrations();

}  // namespace sunbid::core
