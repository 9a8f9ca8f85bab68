// 清标: the clearing report — a mechanical check of every opened bid that
// the committee receives before it reviews. Flags inform what only people
// can judge; they decide nothing (the review and the decision never read
// them). The qualification thresholds (credit grade, stars, not blacklisted,
// a rating on record) are not flags: they are a gate (tender_core/service.h),
// so a bid that fails them is invalid in the opening record and never
// reaches clearing.
//
// Checks, per valid bid of the opening record:
//   price_below_tier / price_above_tier   price outside the frozen tier's
//                                         reference range (质价不符), bounds
//                                         inclusive
//   required_item_missing                 a tier's required item that is not
//                                         a staffing role with head count > 0
//   identical_document                    a document digest also in another
//                                         bid (detail names the other bids)
//   same_source_address                   the bid was committed from the same
//                                         network address as another bid (the
//                                         salted digests within the tender's
//                                         scope share a salt, so equal digest
//                                         ⇔ equal address)
//
// Thread-safety: pure function, safe for concurrent use.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tender_core/bid_commitment.h"
#include "tender_core/credit.h"
#include "tender_core/registry.h"

namespace sunbid::eval {

struct ClearingBid {
  std::string bid_id;
  core::Bid bid;
  std::string source_digest;  // empty: unknown
};

struct ClearingFlag {
  std::string code;
  std::string
      detail;  // plain words; for identical_document / same_source_address the other bid ids
  bool operator==(const ClearingFlag&) const = default;
};

struct ClearingBidReport {
  std::string bid_id;
  std::string bidder_uscc;
  std::vector<ClearingFlag> flags;  // in the order of the checks above
};

struct ClearingReport {
  std::vector<ClearingBidReport> bids;  // sorted by bid id
};

ClearingReport clearing_report(const std::vector<ClearingBid>& bids, const core::ServiceTier& tier);

boost::json::object to_json(const ClearingReport& report);

}  // namespace sunbid::eval
