// TenderService's sealed bids: commit (and replace), withdraw, reveal.
#include "audit_log/canonical_json.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/service.h"

namespace sunbid::core {

using audit::Statement;
using audit::WriteTxn;
using detail::TenderRow;

namespace {

Status require_enterprise(audit::Database& db, const Actor& actor) {
  if (actor.role != "enterprise" || actor.enterprise_uscc.empty()) {
    return make_error("not_an_enterprise", "只有物业服务企业可以投标 / only an enterprise may bid");
  }
  SUNBID_ASSIGN_OR_RETURN(
      auto exists,
      detail::query_int(db, "SELECT 1 FROM enterprises WHERE uscc = ?", actor.enterprise_uscc));
  if (!exists) {
    return detail::not_found("enterprise_not_found", "企业", "enterprise", actor.enterprise_uscc);
  }
  return ok_status();
}

struct StoredBid {
  std::string id;
  std::string commitment;
  std::int64_t receipt_index = 0;
};

Result<std::optional<StoredBid>> find_bid(audit::Database& db, std::string_view tender_id,
                                          std::string_view uscc) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT id, commitment, receipt_index FROM bids WHERE "
                                    "tender_id = ? AND bidder_uscc = ?"));
  st->bind(1, tender_id).bind(2, uscc);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<StoredBid> out;
  if (row) {
    out = StoredBid{std::string(st->column_text(0)), std::string(st->column_text(1)),
                    st->column_int64(2)};
  }
  st->reset();
  return out;
}

Error bid_not_found() {
  return make_error("bid_not_found",
                    "未找到本企业对该招标的投标 / no bid of yours for this tender");
}

// A bid entry: withheld until the effective deadline. The only withheld
// entries of a tender are its bid entries, so audit_withheld joined with
// audit_tender_entries finds them when the deadline moves.
Result<std::uint64_t> append_bid_entry(WriteTxn& txn, const Actor& actor, std::string_view type,
                                       std::string_view tender_id, std::int64_t release_ms,
                                       boost::json::object payload) {
  SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, type, tender_id));
  draft.tender = std::string(tender_id);
  payload["tender_id"] = tender_id;
  draft.payload = std::move(payload);
  draft.release_at_ms = release_ms;
  return txn.append(draft);
}

}  // namespace

Result<BidReceipt> TenderService::submit_bid(const Actor& actor, std::string_view tender_id,
                                             std::string_view commitment_hex) {
  SUNBID_TRY(parse_commitment_hex(commitment_hex));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<BidReceipt>([&](WriteTxn& txn) -> Result<BidReceipt> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_TRY(next_status(row.status, TenderAction::submit_bid));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    const std::int64_t now = txn.now_ms();
    SUNBID_TRY(check_bid_time(t, now));
    SUNBID_TRY(require_enterprise(db, actor));
    const std::int64_t deadline = *effective_deadline_ms(t);
    SUNBID_ASSIGN_OR_RETURN(auto existing, find_bid(db, tender_id, actor.enterprise_uscc));
    std::string source_digest;
    if (!actor.source_address.empty()) {
      SUNBID_ASSIGN_OR_RETURN(
          source_digest, txn.personal_digest("network_address", actor.source_address, tender_id));
    }
    const std::int64_t index = static_cast<std::int64_t>(txn.log_size());
    BidReceipt receipt;
    receipt.log_index = static_cast<std::uint64_t>(index);
    boost::json::object p;
    if (existing) {
      receipt.bid_id = existing->id;
      receipt.replaced = true;
      SUNBID_ASSIGN_OR_RETURN(
          Statement * up,
          db.cached("UPDATE bids SET commitment = ?, receipt_index = ?, submitted_ms = ?, "
                    "source_digest = ? WHERE tender_id = ? AND bidder_uscc = ?"));
      up->bind(1, commitment_hex).bind(2, index).bind(3, now).bind(4, source_digest);
      up->bind(5, tender_id).bind(6, actor.enterprise_uscc);
      SUNBID_TRY(up->run());
      p["replaces"] = existing->receipt_index;
    } else {
      // The id comes from the log index, which is public anyway: it tells
      // nothing about how many bids this tender has.
      receipt.bid_id = "B" + std::to_string(index);
      SUNBID_ASSIGN_OR_RETURN(
          Statement * ins,
          db.cached("INSERT INTO bids(id, tender_id, bidder_uscc, commitment, receipt_index, "
                    "submitted_ms, source_digest) VALUES (?, ?, ?, ?, ?, ?, ?)"));
      ins->bind(1, receipt.bid_id).bind(2, tender_id).bind(3, actor.enterprise_uscc);
      ins->bind(4, commitment_hex).bind(5, index).bind(6, now).bind(7, source_digest);
      SUNBID_TRY(ins->run());
    }
    p["bid_id"] = receipt.bid_id;
    p["bidder_uscc"] = actor.enterprise_uscc;
    p["commitment"] = commitment_hex;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx,
                            append_bid_entry(txn, actor, "bid.committed", tender_id, deadline, p));
    receipt.log_index = idx;
    return receipt;
  });
}

Result<std::uint64_t> TenderService::withdraw_bid(const Actor& actor, std::string_view tender_id) {
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_TRY(next_status(row.status, TenderAction::withdraw_bid));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    SUNBID_TRY(check_bid_time(t, txn.now_ms()));
    SUNBID_TRY(require_enterprise(db, actor));
    SUNBID_ASSIGN_OR_RETURN(auto existing, find_bid(db, tender_id, actor.enterprise_uscc));
    if (!existing) return bid_not_found();
    SUNBID_ASSIGN_OR_RETURN(Statement * del,
                            db.cached("DELETE FROM bids WHERE tender_id = ? AND bidder_uscc = ?"));
    del->bind(1, tender_id).bind(2, actor.enterprise_uscc);
    SUNBID_TRY(del->run());
    boost::json::object p;
    p["bid_id"] = existing->id;
    p["bidder_uscc"] = actor.enterprise_uscc;
    p["withdraws"] = existing->receipt_index;
    return append_bid_entry(txn, actor, "bid.withdrawn", tender_id, *effective_deadline_ms(t), p);
  });
}

Result<std::uint64_t> TenderService::reveal_bid(const Actor& actor, std::string_view tender_id,
                                                std::string_view salt_hex,
                                                const boost::json::value& bid_json) {
  SUNBID_ASSIGN_OR_RETURN(auto salt, parse_salt_hex(salt_hex));
  SUNBID_ASSIGN_OR_RETURN(Bid bid, bid_from_json(bid_json));
  SUNBID_ASSIGN_OR_RETURN(std::string canonical, canonical_bid(bid));
  const std::string opened = hex_encode(bid_commitment(salt, canonical));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_TRY(next_status(row.status, TenderAction::reveal_bid));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    const std::int64_t now = txn.now_ms();
    SUNBID_TRY(check_reveal_time(t, now));
    SUNBID_TRY(require_enterprise(db, actor));
    SUNBID_ASSIGN_OR_RETURN(auto existing, find_bid(db, tender_id, actor.enterprise_uscc));
    if (!existing) return bid_not_found();
    SUNBID_ASSIGN_OR_RETURN(
        auto revealed,
        detail::query_int(db, "SELECT 1 FROM bid_reveals WHERE bid_id = ?", existing->id));
    if (revealed) {
      return make_error("bid_already_revealed", "投标已解密 / the bid is already revealed");
    }
    if (bid.tender_id != tender_id || bid.bidder_uscc != actor.enterprise_uscc ||
        opened != existing->commitment) {
      return make_error("reveal_mismatch",
                        "解密内容与投标承诺不符 / the salt and bid do not open the commitment",
                        {{"commitment", existing->commitment}});
    }
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO bid_reveals(bid_id, salt_hex, bid_json, price_fen, revealed_ms) "
                  "VALUES (?, ?, ?, ?, ?)"));
    ins->bind(1, existing->id).bind(2, salt_hex).bind(3, canonical);
    ins->bind(4, bid.price_fen_per_m2_month).bind(5, now);
    SUNBID_TRY(ins->run());
    // Only the fact of the reveal: contents wait for the opening record.
    SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, "bid.revealed", tender_id));
    draft.tender = std::string(tender_id);
    draft.payload["tender_id"] = tender_id;
    draft.payload["bid_id"] = existing->id;
    draft.payload["bidder_uscc"] = actor.enterprise_uscc;
    draft.payload["commitment"] = existing->commitment;
    return txn.append(draft);
  });
}

}  // namespace sunbid::core
