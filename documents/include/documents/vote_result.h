// 投票结果公告 / 表决结果公告 (issue 14 §1): the result of an owners' vote
// under 民法典 art. 278 as a PDF — an owners_vote decision's round
// (投票结果公告, subject a tender) or an owners' assembly motion at its close
// (表决结果公告, subject a motion). One layout for both: participation (area
// and heads) against 2/3 of the roster, then each option's approval (area
// and heads) against more than 1/2 — or at least 3/4 — of the participation,
// each as an exact fraction and a percentage, the conclusion, and a bar
// chart of the same figures drawn with cairo (hatched bars for area, grey
// for heads, dashed threshold lines: legible in black and white).
//
// The figures arrive as integers (0.01 m², heads); the layout prints the
// fractions exactly and the percentages rounded half up to 0.01 % for
// reading only: the conclusions come from the caller's exact comparisons.
//
// Thread-safety: a pure function, safe for concurrent use (renderer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "documents/verification_footer.h"

namespace sunbid::documents {

struct VoteResultInput {
  std::string title;          // the document's title, e.g. "投票结果公告"
  std::string subject_title;  // the tender's or the motion's title
  std::vector<std::pair<std::string, std::string>> overview;  // 一、概况 key-value rows
  std::string approval_rule;  // e.g. "过半数 more than 1/2" / "四分之三以上 at least 3/4"
  bool three_quarters = false;           // the approval threshold: 3/4 (≥) or 1/2 (>)
  std::int64_t total_area_centi_m2 = 0;  // the roster frozen at the opening
  std::int64_t total_heads = 0;
  std::int64_t participating_area_centi_m2 = 0;  // abstentions included
  std::int64_t participating_heads = 0;
  std::int64_t abstain_area_centi_m2 = 0;
  std::int64_t abstain_heads = 0;
  bool area_quorum = false;
  bool head_quorum = false;
  struct Option {
    std::string label;  // a candidate "name（USCC）", or a motion's choice
    std::int64_t area_centi_m2 = 0;
    std::int64_t heads = 0;
    bool approved = false;  // reached the approval threshold on both
  };
  std::vector<Option> options;
  std::string conclusion;  // printed verbatim, e.g. "候选人 … 为中标人"
  std::string signer;      // under the text, right
  std::string issued_on;
  std::string english_subject;  // the PDF's /Subject
  std::int64_t event_time_ms = 0;
  std::optional<VerificationFooter> verification;
};

Result<std::string> render_vote_result(const VoteResultInput& vote);

// "66.67%": num/den as a percentage rounded half up to two decimals, exact
// in integers. REQUIRES: 0 <= num, 0 < den, num and den below 2^53.
std::string format_percent(std::int64_t num, std::int64_t den);

}  // namespace sunbid::documents
