// Bid storage (migration 6): every commitment and withdrawal is a row of
// bid_versions, appended in log order; bid_current holds the live bid per
// (tender, bidder) as of the versions up to bid_merge.merged_upto. The
// versions after it, the tail, are applied to bid_current in one sorted pass
// once kBidTailLimit of them have accumulated, so a commitment dirties only
// the tails of append-only tables instead of a random leaf per tender.
//
// The writer finds a bidder's live bid through an in-memory index of the tail
// (a WriterState, rebuilt from bid_versions whenever the ledger drops it);
// readers combine bid_current with the tail in one statement.
//
// Thread-safety: the functions taking a WriteTxn run on the ledger's writer
// thread only; live_bids runs on any connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"

namespace sunbid::core::detail {

// Tail rows after which they are merged into bid_current. A reader of one
// tender scans at most this many rows of the tail.
inline constexpr std::int64_t kBidTailLimit = 1024;

struct LiveBid {
  std::string bidder_uscc;
  std::int64_t receipt_index = 0;  // the log index of its bid.committed entry
  std::string bid_id;
  std::string commitment;
  std::int64_t submitted_ms = 0;
  std::optional<std::string> source_digest;
};

// The live bids of a tender, ordered by bidder. One consistent snapshot even
// while the writer merges.
Result<std::vector<LiveBid>> live_bids(audit::Database& db, std::string_view tender_id);

// The live bid of `bidder_uscc` in the tender, as the open transaction sees it.
Result<std::optional<LiveBid>> find_live_bid(audit::WriteTxn& txn, std::string_view tender_id,
                                             std::string_view bidder_uscc);

// One row of bid_versions: a commitment, or the withdrawal of the live bid
// (`withdrawn`, with that bid's id and an empty commitment).
struct BidVersion {
  std::int64_t receipt_index = 0;  // the log index of the version's entry
  std::string tender_id;
  std::string bidder_uscc;
  std::string bid_id;
  std::string commitment;
  std::int64_t submitted_ms = 0;
  std::string source_digest;
  bool withdrawn = false;
};

// Appends the version (it becomes the bidder's live bid, or ends it) and
// merges the tail into bid_current when it is full.
Status append_bid_version(audit::WriteTxn& txn, const BidVersion& version);

// Applies the whole tail to bid_current now.
Status merge_bid_tail(audit::WriteTxn& txn);

}  // namespace sunbid::core::detail
