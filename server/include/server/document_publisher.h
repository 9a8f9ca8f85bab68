// The official documents' renderer side (issue 14 §1, docs/documents.md):
// after an event's command has stored a document's source data and appended
// its public document.published entry (tender_core/documents.h), this
// renders the PDF, once a signed checkpoint covers that entry, with the
// verification footer (the entry's index, the covering checkpoint's size and
// root hash, the source digest, the verifier key id and the QR link), stores
// it and appends document.rendered, in a ledger command of its own.
//
// Rendering never runs inside a ledger command (the writer) nor on a network
// thread: DocumentWorker runs catch_up on a thread of its own, at start (a
// restart catches up every document published but not rendered) and
// whenever the platform tick wakes it.
//
// Re-rendering: render_document(kind, source, footer) is a pure function of
// the stored source and the stored footer facts, so rendering a stored
// document again with a fresh renderer gives the stored PDF's bytes (within
// one build and font set, docs/documents.md "Byte stability").
//
// Thread-safety: render_document is safe for concurrent use. catch_up is
// safe to call from any thread but not from a ledger command; concurrent
// calls are serialized (a document is rendered by one of them; the other
// finds it stored and appends nothing). DocumentWorker: construct and
// destroy on one thread; wake() from any.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "audit_log/ledger.h"
#include "audit_log/result.h"
#include "documents/verification_footer.h"

namespace sunbid::server {

// The document's PDF from its stored source data (canonical JSON) and footer.
// Errors: document_source_invalid (the source lacks a member the layout
// needs, or names an unknown kind), document_render_failed.
Result<std::string> render_document(std::string_view kind, std::string_view source_json,
                                    const documents::VerificationFooter& footer);

// "<name>+<8 hex key id>" of a C2SP verifier key "<name>+<id>+<key>": what
// the footer prints and the verifier page pins.
std::string verifier_key_id(std::string_view verifier_key);

// The PDF's path under the API: /api/v1/tenders/{id}/documents/{index}.pdf,
// or /api/v1/motions/{id}/documents/{index}.pdf for a motion's document
// (`subject` as stored, core::motion_document_subject).
std::string document_pdf_path(std::string_view subject, std::uint64_t log_index);

// The 招标公告's file name, e.g. "招标公告-T1-7.pdf" (Content-Disposition);
// a motion's document is named by the motion id ("表决结果公告-M1-9.pdf").
std::string document_file_name(std::string_view kind, std::string_view tender_id,
                               std::uint64_t log_index);
// Its titles as the documents list shows them.
std::string_view document_title_zh(std::string_view kind);
std::string_view document_title_en(std::string_view kind);

class DocumentPublisher {
 public:
  // REQUIRES: the ledger outlives the publisher. `public_base_url` without
  // a trailing '/': the QR link's base.
  DocumentPublisher(audit::Ledger& ledger, std::string public_base_url)
      : ledger_(ledger), public_base_url_(std::move(public_base_url)) {}
  DocumentPublisher(const DocumentPublisher&) = delete;
  DocumentPublisher& operator=(const DocumentPublisher&) = delete;

  // Renders, stores and logs every document not yet rendered whose
  // published entry the newest stored checkpoint covers, oldest first.
  // Returns the number rendered by this call. Stops at the first failure
  // (later documents wait for the next call).
  Result<std::size_t> catch_up();

 private:
  audit::Ledger& ledger_;
  std::string public_base_url_;
  std::mutex mu_;  // one catch_up at a time
};

// A thread that runs publisher.catch_up() at start and after each wake();
// a failure is reported on stderr once until a later run succeeds.
class DocumentWorker {
 public:
  explicit DocumentWorker(DocumentPublisher& publisher);
  ~DocumentWorker();  // finishes the render in progress, then joins
  DocumentWorker(const DocumentWorker&) = delete;
  DocumentWorker& operator=(const DocumentWorker&) = delete;

  void wake();

 private:
  void loop();

  DocumentPublisher& publisher_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = true;  // the first run: catch up at start
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sunbid::server
