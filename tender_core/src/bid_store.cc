#include "bid_store.h"

#include <map>
#include <memory>
#include <utility>

namespace sunbid::core::detail {

using audit::Statement;
using audit::WriteTxn;

namespace {

// The tail's index on the writer: the newest version per (tender, bidder)
// after bid_merge.merged_upto, in key order (the merge's order).
struct BidTail : audit::WriterState {
  struct Newest {
    std::int64_t receipt_index;
    bool withdrawn;
  };
  std::map<std::pair<std::string, std::string>, Newest> newest;
  std::int64_t rows = 0;  // tail rows, replaced versions included
};

// Resets a cached statement on every path out of a reading loop.
struct ResetOnExit {
  Statement* st;
  ~ResetOnExit() { st->reset(); }
};

Result<BidTail*> tail(WriteTxn& txn) {
  if (BidTail* t = txn.state<BidTail>()) return t;
  auto built = std::make_unique<BidTail>();
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      txn.db().cached("SELECT receipt_index, tender_id, bidder_uscc, withdrawn FROM bid_versions "
                      "WHERE receipt_index > (SELECT merged_upto FROM bid_merge) "
                      "ORDER BY receipt_index"));
  ResetOnExit reset{st};
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool more, st->step());
    if (!more) break;
    built->newest[{std::string(st->column_text(1)), std::string(st->column_text(2))}] =
        BidTail::Newest{st->column_int64(0), st->column_int64(3) != 0};
    ++built->rows;
  }
  return &txn.put_state(std::move(built));
}

// The version row at `receipt_index` as a live bid.
Result<LiveBid> version_at(audit::Database& db, std::string bidder_uscc,
                           std::int64_t receipt_index) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT bid_id, commitment, submitted_ms, source_digest FROM bid_versions "
                "WHERE receipt_index = ?"));
  ResetOnExit reset{st};
  st->bind(1, receipt_index);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    return make_error(audit::kStorageError,
                      "投标版本缺失 / a bid version is missing: " + std::to_string(receipt_index));
  }
  LiveBid b;
  b.bidder_uscc = std::move(bidder_uscc);
  b.receipt_index = receipt_index;
  b.bid_id = std::string(st->column_text(0));
  b.commitment = std::string(st->column_text(1));
  b.submitted_ms = st->column_int64(2);
  if (!st->column_is_null(3)) b.source_digest = std::string(st->column_text(3));
  return b;
}

}  // namespace

Result<std::vector<LiveBid>> live_bids(audit::Database& db, std::string_view tender_id) {
  // One statement, so one snapshot: bid_current and the tail as of the same
  // commit (a merge moves rows from one to the other).
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT 0, bidder_uscc, receipt_index, 0 FROM bid_current WHERE tender_id = ?1 "
                "UNION ALL "
                "SELECT 1, bidder_uscc, receipt_index, withdrawn FROM bid_versions "
                "WHERE receipt_index > (SELECT merged_upto FROM bid_merge) AND tender_id = ?1 "
                "ORDER BY 1, 3"));
  std::map<std::string, std::int64_t, std::less<>> live;
  {
    ResetOnExit reset{st};
    st->bind(1, tender_id);
    for (;;) {
      SUNBID_ASSIGN_OR_RETURN(bool more, st->step());
      if (!more) break;
      std::string bidder(st->column_text(1));
      if (st->column_int64(3) != 0) {
        live.erase(bidder);
      } else {
        live[std::move(bidder)] = st->column_int64(2);
      }
    }
  }
  // Versions are never changed or deleted: reading them apart is safe.
  std::vector<LiveBid> out;
  out.reserve(live.size());
  for (auto& [bidder, index] : live) {
    SUNBID_ASSIGN_OR_RETURN(LiveBid b, version_at(db, bidder, index));
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::optional<LiveBid>> find_live_bid(WriteTxn& txn, std::string_view tender_id,
                                             std::string_view bidder_uscc) {
  SUNBID_ASSIGN_OR_RETURN(BidTail * t, tail(txn));
  std::optional<std::int64_t> index;
  auto it = t->newest.find({std::string(tender_id), std::string(bidder_uscc)});
  if (it != t->newest.end()) {
    if (it->second.withdrawn) return std::optional<LiveBid>();
    index = it->second.receipt_index;
  } else {
    SUNBID_ASSIGN_OR_RETURN(Statement * st,
                            txn.db().cached("SELECT receipt_index FROM bid_current WHERE "
                                            "tender_id = ? AND bidder_uscc = ?"));
    ResetOnExit reset{st};
    st->bind(1, tender_id).bind(2, bidder_uscc);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) return std::optional<LiveBid>();
    index = st->column_int64(0);
  }
  SUNBID_ASSIGN_OR_RETURN(LiveBid b, version_at(txn.db(), std::string(bidder_uscc), *index));
  return std::optional<LiveBid>(std::move(b));
}

Status append_bid_version(WriteTxn& txn, const BidVersion& v) {
  SUNBID_TRY(tail(txn));
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      txn.db().cached("INSERT INTO bid_versions(receipt_index, tender_id, bidder_uscc, bid_id, "
                      "commitment, submitted_ms, source_digest, withdrawn) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  ins->bind(1, v.receipt_index).bind(2, v.tender_id).bind(3, v.bidder_uscc).bind(4, v.bid_id);
  ins->bind(5, v.commitment).bind(6, v.submitted_ms).bind(7, v.source_digest);
  ins->bind(8, std::int64_t{v.withdrawn ? 1 : 0});
  SUNBID_TRY(ins->run());
  BidTail& t = txn.state_for_update<BidTail>();
  t.newest[{v.tender_id, v.bidder_uscc}] = BidTail::Newest{v.receipt_index, v.withdrawn};
  ++t.rows;
  if (t.rows >= kBidTailLimit) return merge_bid_tail(txn);
  return ok_status();
}

Status merge_bid_tail(WriteTxn& txn) {
  SUNBID_TRY(tail(txn));
  BidTail& t = txn.state_for_update<BidTail>();
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(
      Statement * upsert,
      db.cached("INSERT INTO bid_current(tender_id, bidder_uscc, receipt_index) VALUES (?, ?, ?) "
                "ON CONFLICT (tender_id, bidder_uscc) DO UPDATE SET "
                "receipt_index = excluded.receipt_index"));
  SUNBID_ASSIGN_OR_RETURN(
      Statement * del,
      db.cached("DELETE FROM bid_current WHERE tender_id = ? AND bidder_uscc = ?"));
  for (const auto& [key, newest] : t.newest) {  // key order: leaf by leaf
    if (newest.withdrawn) {
      del->bind(1, key.first).bind(2, key.second);
      SUNBID_TRY(del->run());
    } else {
      upsert->bind(1, key.first).bind(2, key.second).bind(3, newest.receipt_index);
      SUNBID_TRY(upsert->run());
    }
  }
  SUNBID_ASSIGN_OR_RETURN(
      Statement * mark,
      db.cached("UPDATE bid_merge SET merged_upto = "
                "(SELECT coalesce(max(receipt_index), 0) FROM bid_versions)"));
  SUNBID_TRY(mark->run());
  t.newest.clear();
  t.rows = 0;
  return ok_status();
}

}  // namespace sunbid::core::detail
