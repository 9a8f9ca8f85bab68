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

// 一、项目概况: the tender's name and id, the property, its address when
// given, and the tenderer.
void project_overview(Document& doc, const std::string& title, const std::string& tender_id,
                      const std::string& community_name, const std::string& community_address,
                      const std::string& tenderer_name);

// The signature block, the footer when `verification` is given, the PDF.
Result<std::string> sign_and_render(Document& doc, std::string tenderer_name, std::string issued_on,
                                    const std::optional<VerificationFooter>& verification);

}  // namespace sunbid::documents::detail
