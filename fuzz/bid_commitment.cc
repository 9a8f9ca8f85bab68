// libFuzzer target: the bid object of a sealed bid (bid_commitment.h) on
// arbitrary bytes, through the strict JSON parser as the server will use it.
// Checks, beyond "no crash, no UB": an accepted bid satisfies the Bid
// invariant; its canonical JSON parses back to the same bid and is a fixed
// point; its commitment is deterministic and depends on the salt.
#include "tender_core/bid_commitment.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit_log/strict_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = sunbid::audit::parse_strict_json(text);
  if (!json.ok()) return 0;
  auto bid = sunbid::core::bid_from_json(*json);
  if (!bid.ok()) {
    if (bid.error().code != "bid_invalid") std::abort();
    return 0;
  }
  if (bid->tender_id.empty() || bid->bidder_uscc.empty() || bid->price_fen_per_m2_month <= 0) {
    std::abort();
  }
  for (const auto& [role, n] : bid->staffing) {
    if (n < 0) std::abort();
  }
  auto canonical = sunbid::core::canonical_bid(*bid);
  if (!canonical.ok()) return 0;  // invalid UTF-8 inside a string: refused at reveal
  auto again = sunbid::audit::parse_strict_json(*canonical);
  if (!again.ok()) std::abort();
  auto bid2 = sunbid::core::bid_from_json(*again);
  if (!bid2.ok() || !(*bid2 == *bid)) std::abort();
  auto canonical2 = sunbid::core::canonical_bid(*bid2);
  if (!canonical2.ok() || *canonical2 != *canonical) std::abort();
  std::array<std::uint8_t, sunbid::core::kBidSaltBytes> salt{};
  salt[0] = static_cast<std::uint8_t>(size);
  const auto c1 = sunbid::core::bid_commitment(salt, *canonical);
  if (sunbid::core::bid_commitment(salt, *canonical2) != c1) std::abort();
  salt[31] ^= 0x80;
  if (sunbid::core::bid_commitment(salt, *canonical) == c1) std::abort();
  return 0;
}
