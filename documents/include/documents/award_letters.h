// The letters that close an award (招标投标法 art. 45; issue 14 §1), issued by
// the tenderer's logged action after the award publicity, as PDFs:
//  - 中标通知书 (award notice) to the winner: the award, its price, and the
//    30 days within which the contract is signed (art. 46);
//  - 中标结果通知书 (result notice) to the other bidders, ONE document
//    addressed to all of them: what it tells each is the same public fact
//    (who won, at what price), so one public document informs every bidder
//    with one log entry; each bidder finds its name in the list.
// Neither carries an electronic signature in the sense of 电子签名法: the
// log entry of the tenderer's action is the record (a known gap, printed on
// the notice). Pure functions of plain structs; every page carries the
// verification footer when one is given.
//
// Thread-safety: pure functions, safe for concurrent use (renderer.h).
#pragma once

#include <string>
#include <vector>

#include "audit_log/result.h"
#include "documents/stage_notices.h"

namespace sunbid::documents {

struct AwardLetterInput {
  StageNoticeHeader notice;  // event: the notice's issue (issued_on, the PDF's dates)
  std::string decision_method;
  std::string
      award_publicity;  // e.g. "2026-07-01 10:00（北京时间）至 2026-07-04 24:00（北京时间）"
  BidderLine winner;      // with its price
  std::string issued_at;  // China time
  std::int64_t contract_days = 30;
  std::string contract_due;               // the last day, e.g. "2026-08-03 24:00（北京时间）"
  std::vector<BidderLine> other_bidders;  // result notice only, the opening record's order
};

Result<std::string> render_award_notice(const AwardLetterInput& letter);
Result<std::string> render_award_result_notice(const AwardLetterInput& letter);

}  // namespace sunbid::documents
