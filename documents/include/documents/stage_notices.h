// The official documents of the stages after the bid deadline (issue 14 §1)
// as PDFs, pure functions of plain structs for the publication worker:
//  - 开标记录表 (opening record): every bidder at the deadline, its price
//    (yuan per m² per month), its documents' SHA-256 digests, valid or
//    invalid with the reason;
//  - 中标候选人公示 (candidate publicity): the candidates unranked, each with
//    its price and the review summary (发改委令第10号), the publicity window
//    (China time) and how to object;
//  - 中标结果公示 (award publicity): the winner and its price, the candidates,
//    the publicity window and how to object.
// No score and no rank anywhere. Texts arrive formatted (prices as exact
// decimals from integer fen, times in China time): the layouts print them
// verbatim. Every page carries the verification footer when one is given.
//
// Thread-safety: pure functions, safe for concurrent use (renderer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_log/result.h"
#include "documents/verification_footer.h"

namespace sunbid::documents {

// What every stage notice starts and ends with.
struct StageNoticeHeader {
  std::string tender_id;       // 项目编号
  std::string title;           // 项目名称
  std::string tenderer_name;   // 招标人
  std::string community_name;  // 物业名称
  std::string community_address;
  std::string issued_on;           // the date under the tenderer, e.g. "2026年6月22日"
  std::int64_t event_time_ms = 0;  // the event: the PDF's dates
  std::optional<VerificationFooter> verification;
};

struct BidderLine {
  std::string name;   // the registered name (empty: the USCC stands alone)
  std::string uscc;   // 统一社会信用代码
  std::string price;  // e.g. "3.25"; empty: no price (not revealed, not qualified)
};

struct OpeningRecordInput {
  StageNoticeHeader notice;
  std::string bid_deadline;   // e.g. "2026-06-20 17:00（北京时间）"
  std::string opened_at;      // the reveal window's close
  std::string price_ceiling;  // e.g. "4.00 元/m²·月"; empty: the tender has none
  std::int64_t valid_bids = 0;
  std::int64_t min_valid_bids = 0;
  struct DocumentDigest {
    std::string name;
    std::string sha256_hex;
  };
  struct Row {
    BidderLine bidder;
    bool valid = false;
    std::string conclusion;  // e.g. "有效 valid", "无效：未揭示报价（撤销） invalid: not revealed"
    std::vector<DocumentDigest> documents;  // valid bids' documents
  };
  std::vector<Row> rows;  // in the record's order (by USCC)
};

struct PublicityTerms {
  std::string from;                    // China time
  std::string until;                   // China time (24:00 of the last day)
  std::int64_t days = 0;               // calendar days as the tender fixed them
  std::vector<std::string> objecting;  // 异议方式, one paragraph each
};

struct CandidatePublicityInput {
  StageNoticeHeader notice;
  std::string decision_method;  // 评定方式
  std::int64_t seats = 0;       // the committee's size
  struct Candidate {
    BidderLine bidder;
    std::vector<std::string> review;  // e.g. "服务方案：合格（5/5 席）"
  };
  std::vector<Candidate> candidates;  // unranked (by USCC)
  PublicityTerms publicity;
};

struct AwardPublicityInput {
  StageNoticeHeader notice;
  std::string decision_method;
  std::string decided_at;  // China time
  BidderLine winner;
  std::vector<BidderLine> candidates;  // unranked (by USCC), the winner among them
  PublicityTerms publicity;
};

// 评标报告 (qualitative evaluation report): per bid and criterion, pass/fail
// by seat with the reasons, and each seat's strengths, weaknesses and risks.
// By seat numbers until the decision (members empty), with the members'
// names at the decision. No score and no rank.
struct EvaluationReportInput {
  StageNoticeHeader notice;
  std::int64_t seats = 0;
  std::vector<std::string> members;  // seat k's name at [k - 1]; empty: seat numbers only
  struct Criterion {
    std::string title;
    std::int64_t pass_seats = 0;
    std::int64_t fail_seats = 0;
    bool failed = false;               // the committee's conclusion on it
    std::vector<std::string> reasons;  // "席位 2：…", one per seat that failed it
  };
  struct Bid {
    BidderLine bidder;
    bool qualified = false;
    std::vector<Criterion> criteria;
    std::vector<std::string> remarks;  // "席位 1 优势：…；不足：…；风险：…"
  };
  std::vector<Bid> bids;  // in the report's order (by bid id): unranked
};

Result<std::string> render_opening_record(const OpeningRecordInput& record);
Result<std::string> render_evaluation_report(const EvaluationReportInput& report);
Result<std::string> render_candidate_publicity(const CandidatePublicityInput& notice);
Result<std::string> render_award_publicity(const AwardPublicityInput& notice);

}  // namespace sunbid::documents
