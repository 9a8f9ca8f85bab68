// Internal: what every official notice's layout shares (tender_notice.cc,
// tender_amended.cc, tender_failed.cc): the body text style, the title with
// its centred subtitle, and the end — the tenderer's name and the date it
// issued the notice on the right, the verification footer on every page.
#pragma once

#include <optional>
#include <string>

#include "audit_log/result.h"
#include "documents/renderer.h"
#include "documents/verification_footer.h"

namespace sunbid::documents::detail {

// 12 pt body text with `after_mm` below it.
TextStyle body_text(double after_mm = 1.5);

// The notice's title, and `subtitle` centred under it in 13 pt.
void notice_title(Document& doc, std::string title, std::string subtitle);

// The signature block, the footer when `verification` is given, the PDF.
Result<std::string> sign_and_render(Document& doc, std::string tenderer_name, std::string issued_on,
                                    const std::optional<VerificationFooter>& verification);

}  // namespace sunbid::documents::detail
