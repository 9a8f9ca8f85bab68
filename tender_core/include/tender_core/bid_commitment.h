// The sealed bid's commitment (docs/bid-commitment.md, byte for byte):
//
//   commitment = SHA-256( "sunbid/bid/v1\n"            14 bytes, ASCII, LF
//                       ‖ salt                         exactly 32 bytes
//                       ‖ canonical JSON of the bid )  docs/canonical-json.md
//
// and the bid object it commits to:
//   {"bidder_uscc": string, "documents": [{"name": string, "sha256_hex": string}],
//    "price_fen_per_m2_month": integer, "service_plan": string,
//    "staffing": {role: integer, ...}, "tender_id": string,
//    "item_prices": {item: integer, ...}}
// (documents in the bidder's order; strings compared as bytes).
// item_prices (菜单式服务, docs/tenderer-kinds.md) is present only in a bid
// on a menu tender: each menu item's price in fen per m² and month, > 0,
// summing to price_fen_per_m2_month (the total the decision compares). Which
// items a bid must price is the tender's, checked at the reveal.
// The fixed-length salt right after the fixed tag means no other split of the
// same bytes opens the commitment: the canonical bid is everything after byte
// 46.
//
// Thread-safety: pure functions on values.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::core {

inline constexpr std::string_view kBidCommitmentTag = "sunbid/bid/v1\n";
inline constexpr std::size_t kBidSaltBytes = 32;

struct BidDocument {
  std::string name;
  std::string sha256_hex;  // 64 lowercase hex characters

  bool operator==(const BidDocument&) const = default;
};

// The largest price a reveal accepts (10^12 fen per m² and month): scoring
// (evaluation's composite_score) is defined up to it, so a revealed bid can
// always be scored. A reveal above it is refused `bid_price_out_of_range`.
inline constexpr std::int64_t kMaxBidPriceFen = 1'000'000'000'000;

// Invariant (after bid_from_json): tender_id and bidder_uscc non-empty,
// price > 0, staffing counts >= 0, each document digest 64 lowercase hex.
struct Bid {
  std::string tender_id;
  std::string bidder_uscc;
  std::int64_t price_fen_per_m2_month = 0;
  std::map<std::string, std::int64_t> staffing;  // role -> head count
  std::string service_plan;
  std::vector<BidDocument> documents;
  // Menu tenders only: item code -> price (fen per m² and month).
  std::optional<std::map<std::string, std::int64_t>> item_prices;

  bool operator==(const Bid&) const = default;
};

// Strict: exactly the six members with their types, and item_prices when
// given (a non-empty object of positive integers summing to the price).
// Refusals: bid_invalid (details.field names the member).
Result<Bid> bid_from_json(const boost::json::value& json);
boost::json::object to_json(const Bid& bid);

// The canonical JSON bytes of the bid. Refuses invalid_utf8 (a string that is
// not UTF-8).
Result<std::string> canonical_bid(const Bid& bid);

// The commitment of `canonical_bid_bytes` under `salt`.
Hash bid_commitment(std::span<const std::uint8_t, kBidSaltBytes> salt,
                    std::string_view canonical_bid_bytes);

// Parses a salt given as exactly 64 lowercase hex characters; refuses
// salt_invalid.
Result<std::array<std::uint8_t, kBidSaltBytes>> parse_salt_hex(std::string_view salt_hex);

// Parses a commitment given as exactly 64 lowercase hex characters; refuses
// commitment_invalid.
Result<Hash> parse_commitment_hex(std::string_view hex);

}  // namespace sunbid::core
