// The verification footer of a published document (issue 14, "No circular
// footer"): on every page, the log index of the document.published entry,
// the covering checkpoint's size and root hash, the SHA-256 of the document's
// source data, the verifier key id, and a QR code of
// {public_base_url}/verify#index=N, where the in-browser verifier checks the
// entry's inclusion proof under the pinned key and the source digest.
//
// A PDF cannot carry its own digest: that one is in the document.rendered
// entry and the documents list, never in the footer.
//
// Thread-safety: pure functions; the hook returned is safe to call from the
// thread that renders.
#pragma once

#include <cstdint>
#include <string>

#include "documents/renderer.h"

namespace sunbid::documents {

struct VerificationFooter {
  std::int64_t log_index = 0;        // the document.published entry
  std::int64_t checkpoint_size = 0;  // the checkpoint that covers it (size > log_index)
  std::string checkpoint_root_hex;   // its root hash, 64 lowercase hex
  std::string source_sha256_hex;     // SHA-256 of the source data (canonical JSON), 64 hex
  std::string verifier_key_id;       // the key id the verifier page pins
  std::string public_base_url;       // the platform setting, without a trailing '/'
};

// The footer's height on the page (mm): pass it to Document::footer.
inline constexpr double kVerificationFooterHeightMm = 24.0;

// "{public_base_url}/verify#index=N": the QR code's content. The fragment
// never reaches a server.
std::string verification_url(const VerificationFooter& f);

// The footer's lines (Chinese first, then English) and QR text.
Footer verification_footer(const VerificationFooter& f);

// The same footer on every page: doc.footer(verification_footer_hook(f),
// kVerificationFooterHeightMm).
FooterHook verification_footer_hook(const VerificationFooter& f);

}  // namespace sunbid::documents
