#include "evaluation/clearing.h"

#include <algorithm>
#include <map>
#include <set>

namespace sunbid::eval {

namespace {

std::string join_others(const std::set<std::string>& ids, const std::string& self) {
  std::string out;
  for (const auto& id : ids) {
    if (id == self) continue;
    if (!out.empty()) out += ",";
    out += id;
  }
  return out;
}

}  // namespace

ClearingReport clearing_report(const std::vector<ClearingBid>& bids,
                               const core::ServiceTier& tier) {
  std::map<std::string, std::set<std::string>> by_document;  // sha256 -> bid ids
  std::map<std::string, std::set<std::string>> by_source;    // digest -> bid ids
  for (const auto& b : bids) {
    for (const auto& d : b.bid.documents) by_document[d.sha256_hex].insert(b.bid_id);
    if (!b.source_digest.empty()) by_source[b.source_digest].insert(b.bid_id);
  }
  ClearingReport report;
  for (const auto& b : bids) {
    ClearingBidReport r{b.bid_id, b.bid.bidder_uscc, {}};
    const std::int64_t price = b.bid.price_fen_per_m2_month;
    if (price < tier.min_fen_per_m2_month) {
      r.flags.push_back({"price_below_tier", std::to_string(price) + " < " +
                                                 std::to_string(tier.min_fen_per_m2_month)});
    }
    if (price > tier.max_fen_per_m2_month) {
      r.flags.push_back({"price_above_tier", std::to_string(price) + " > " +
                                                 std::to_string(tier.max_fen_per_m2_month)});
    }
    for (const auto& item : tier.required_items) {
      auto it = b.bid.staffing.find(item);
      if (it == b.bid.staffing.end() || it->second <= 0) {
        r.flags.push_back({"required_item_missing", item});
      }
    }
    std::set<std::string> doc_others;
    for (const auto& d : b.bid.documents) {
      for (const auto& id : by_document[d.sha256_hex]) {
        if (id != b.bid_id) doc_others.insert(id);
      }
    }
    if (!doc_others.empty()) {
      r.flags.push_back({"identical_document", join_others(doc_others, b.bid_id)});
    }
    if (!b.source_digest.empty() && by_source[b.source_digest].size() > 1) {
      r.flags.push_back({"same_source_address", join_others(by_source[b.source_digest], b.bid_id)});
    }
    report.bids.push_back(std::move(r));
  }
  std::sort(report.bids.begin(), report.bids.end(),
            [](const auto& a, const auto& b) { return a.bid_id < b.bid_id; });
  return report;
}

boost::json::object to_json(const ClearingReport& report) {
  boost::json::array bids;
  for (const auto& b : report.bids) {
    boost::json::array flags;
    for (const auto& f : b.flags) flags.push_back({{"code", f.code}, {"detail", f.detail}});
    bids.push_back({{"bid_id", b.bid_id}, {"bidder_uscc", b.bidder_uscc}, {"flags", flags}});
  }
  return {{"bids", bids}};
}

}  // namespace sunbid::eval
