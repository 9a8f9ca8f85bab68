// Official documents (公告, issue 14 §1; docs/documents.md): a tender's
// public list and each stored PDF. Public (action read_open_data): a
// document is listed and served once its document.published entry is
// public. Nothing is rendered here: the DocumentWorker renders off the
// network threads and the writer (server/document_publisher.h).
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "http/answer.h"
#include "server/public_body.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "server/document_publisher.h"
#include "tender_core/time.h"

namespace sunbid::server::routes {

namespace {

// The one answer for an unknown tender, an unknown document and one not yet
// public or not yet rendered: nothing tells them apart.
Error no_document() {
  return make_error("document_not_found", "文档不存在 / no such document");
}

// A decimal log index without sign or leading zeros; nullopt otherwise.
std::optional<std::uint64_t> parse_index(std::string_view s) {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s.front() == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  return v;
}

// The documents of `subject` (a tender id or a motion subject) whose
// published entry is public, by log index, as {<id_key>: id, items}.
Result<Response> documents_answer(Ctx& c, const std::string& subject, std::string_view id_key) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(std::vector<core::StoredDocument> docs,
                          core::tender_documents(lease.db(), subject, c.now_ms(), &c.viewer));
  boost::json::array items;
  for (const auto& d : docs) {
    boost::json::object o;
    o["kind"] = d.kind;
    o["title_zh"] = document_title_zh(d.kind);
    o["title_en"] = document_title_en(d.kind);
    o["log_index"] = d.log_index;
    o["source_sha256_hex"] = d.source_sha256_hex;
    o["published_at"] = core::format_rfc3339_ms(d.published_ms);
    if (d.pdf_sha256_hex) {
      o["status"] = "rendered";
      o["sha256_hex"] = *d.pdf_sha256_hex;
      o["rendered_log_index"] = *d.rendered_index;
      o["rendered_at"] = core::format_rfc3339_ms(*d.rendered_ms);
      o["checkpoint_size"] = *d.checkpoint_size;
      o["url"] = document_pdf_path(d.tender_id, d.log_index);
    } else {
      o["status"] = "rendering";
    }
    items.push_back(std::move(o));
  }
  return ok_json(boost::json::object{{id_key, c.id()}, {"items", std::move(items)}});
}

// The stored PDF of document {log_index} of `subject`, immutable, its ETag
// the PDF's SHA-256 (the digest of document.rendered and the list).
Result<Response> pdf_answer(Ctx& c, const std::string& subject, std::string_view ascii_prefix) {
  const auto index = parse_index(c.param("log_index"));
  if (!index) return no_document();
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(std::optional<core::DocumentPdf> found,
                          core::document_pdf(lease.db(), subject, *index, c.now_ms(), &c.viewer));
  if (!found) return no_document();
  const std::string etag = "\"" + *found->document.pdf_sha256_hex + "\"";
  Response r;
  // Cache-Control first: the Api adds no-store to answers without one. A
  // document shown only to the viewer's role (the 评标报告 before the
  // decision) is no shared cache's business.
  r.headers.emplace_back("Cache-Control", found->document.restricted
                                              ? "private, no-store"
                                              : "public, max-age=31536000, immutable");
  r.headers.emplace_back("ETag", etag);
  if (none_match_hits(c.call.request.if_none_match, etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  const std::string name = document_file_name(found->document.kind, subject, *index);
  const std::string ascii =
      std::string(ascii_prefix) + "-" + c.id() + "-" + std::to_string(*index) + ".pdf";
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + ascii +
                                                    "\"; filename*=UTF-8''" + percent_encode(name));
  r.content_type = "application/pdf";
  r.body = std::move(found->pdf);
  return r;
}

}  // namespace

// GET /tenders/{id}/documents: every document of the tender whose published
// entry is public, by log index. A document not rendered yet is listed with
// status "rendering" and without sha256_hex, rendered_at and url (its
// document.published entry is public already; its PDF follows within
// seconds). 404 tender_not_found as the tender's own view answers.
Result<Response> get_tender_documents(Ctx& c) {
  SUNBID_TRY(caught_up_view(c));
  return documents_answer(c, c.id(), "tender_id");
}

// GET /tenders/{id}/documents/{log_index}.pdf: the stored PDF.
Result<Response> get_tender_document_pdf(Ctx& c) {
  return pdf_answer(c, c.id(), "tender-document");
}

// GET /motions/{id}/documents: the motion's documents (its 表决结果公告 once
// closed), as a tender's. 404 motion_not_found as the motion's own view.
Result<Response> get_motion_documents(Ctx& c) {
  SUNBID_TRY(c.s.motions.catch_up(c.id()));
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(assembly::MotionView shown,
                            assembly::MotionService::motion(lease.db(), c.id(), c.viewer));
    (void)shown;  // only its visibility: a hidden draft is motion_not_found
  }
  return documents_answer(c, core::motion_document_subject(c.id()), "motion_id");
}

// GET /motions/{id}/documents/{log_index}.pdf: the same 404
// document_not_found for an unknown motion as for an unknown document.
Result<Response> get_motion_document_pdf(Ctx& c) {
  return pdf_answer(c, core::motion_document_subject(c.id()), "motion-document");
}

}  // namespace sunbid::server::routes
