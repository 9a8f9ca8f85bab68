// TenderService's sealed bids: commit (and replace), withdraw, reveal.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "audit_log/canonical_json.h"
#include "audit_log/log_store.h"
#include "bid_store.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

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

// Only the USCC types the platform lets bid (GB 32100 positions 1-2; 91 企业
// by default): a registered organisation of another type may object to the
// documents, but not bid.
Status require_bidder_type(const Actor& actor, const PlatformSettings& settings) {
  const std::string type = actor.enterprise_uscc.substr(0, 2);
  for (const auto& t : settings.bidder_uscc_types) {
    if (t == type) return ok_status();
  }
  boost::json::array allowed;
  for (const auto& t : settings.bidder_uscc_types) allowed.emplace_back(t);
  return make_error("bidder_type_not_allowed",
                    "只有企业（统一社会信用代码前两位为91）可以投标 / only an enterprise (USCC "
                    "type 91, 企业) may bid",
                    {{"uscc_type", type}, {"allowed", std::move(allowed)}});
}

// 资格条件 at submission: the registry record in force now must meet the
// tender's frozen thresholds. The refusal names the rating used. The
// snapshot at the deadline is the binding check (service_time.cc).
Status require_qualified(audit::Database& db, const TenderRow& row, const Actor& actor,
                         std::int64_t now_ms, const CreditScale& scale) {
  SUNBID_ASSIGN_OR_RETURN(auto rating, Registry::rating_as_of(db, actor.enterprise_uscc, now_ms));
  const std::vector<std::string> failures = detail::gate_failures(row, rating, scale);
  if (failures.empty()) return ok_status();
  boost::json::array failed;
  for (const auto& f : failures) failed.emplace_back(f);
  boost::json::object required;
  required["min_credit_grade"] = row.min_credit_grade;
  required["min_star_rating"] = row.min_star_rating;
  required["not_blacklisted"] = true;
  return make_error("bidder_not_qualified",
                    "不符合本招标的资格条件（信用等级、星级、未列入黑名单） / the enterprise does "
                    "not meet this tender's qualification conditions (credit grade, star rating, "
                    "not blacklisted)",
                    {{"rating", detail::rating_json(rating)},
                     {"as_of", format_rfc3339_ms(now_ms)},
                     {"required", std::move(required)},
                     {"failed", std::move(failed)}});
}

Error bid_not_found() {
  return make_error("bid_not_found",
                    "未找到本企业对该招标的投标 / no bid of yours for this tender");
}

// The tender (in a state that allows `action`), its timeline and the
// bidding enterprise, checked in the order every bid command refuses them,
// and the enterprise's live bid in the tender.
struct BidContext {
  TenderRow row;
  TenderTimeline timeline;
  std::int64_t now_ms = 0;
  std::optional<detail::LiveBid> existing;
};

Result<BidContext> load_bid_context(WriteTxn& txn, const Actor& actor, std::string_view tender_id,
                                    TenderAction action) {
  auto& db = txn.db();
  BidContext c;
  SUNBID_ASSIGN_OR_RETURN(c.row, detail::load_tender_state(db, tender_id));
  // To a bidder a draft does not exist: the same answer as an unknown id.
  if (c.row.status == TenderStatus::draft) {
    return detail::not_found("tender_not_found", "招标", "tender", tender_id);
  }
  SUNBID_TRY(next_status(c.row.status, action));
  SUNBID_ASSIGN_OR_RETURN(c.timeline, detail::load_timeline(db, c.row));
  c.now_ms = txn.now_ms();
  if (action == TenderAction::reveal_bid) {
    SUNBID_TRY(check_reveal_time(c.timeline, c.now_ms));
  } else {
    SUNBID_TRY(check_bid_time(c.timeline, c.now_ms));
  }
  SUNBID_TRY(require_enterprise(db, actor));
  SUNBID_ASSIGN_OR_RETURN(c.existing, detail::find_live_bid(txn, tender_id, actor.enterprise_uscc));
  return c;
}

// The private digest of the bidder's address, kept in bid_versions for
// clearing's same-address flag: stable within the tender, unlike the
// entries' per-entry source digests, and never published.
Result<std::string> address_link(WriteTxn& txn, const Actor& actor, std::string_view tender_id) {
  if (actor.source_address.empty()) return std::string();
  return txn.personal_digest("network_address", actor.source_address, tender_id);
}

// A bid entry: withheld until the transition that opens the reveal window
// releases it (never, for a tender that fails unopened or is cancelled).
Result<std::uint64_t> append_bid_entry(WriteTxn& txn, audit::EntryDraft draft,
                                       std::string_view tender_id, boost::json::object payload) {
  draft.tender = std::string(tender_id);
  payload["tender_id"] = tender_id;
  draft.payload = std::move(payload);
  draft.release_at_ms = detail::kReleaseAtRevealOpening;
  return txn.append(draft);
}

// bid.committed: a new version appended to bid_versions (rowid = its receipt
// index), which becomes the bidder's live bid.
Result<BidReceipt> commit_bid(WriteTxn& txn, const Actor& actor, const std::string& tender_id,
                              const std::string& commitment_hex, const PlatformSettings& settings) {
  SUNBID_ASSIGN_OR_RETURN(BidContext c,
                          load_bid_context(txn, actor, tender_id, TenderAction::submit_bid));
  SUNBID_TRY(require_bidder_type(actor, settings));
  SUNBID_TRY(require_qualified(txn.db(), c.row, actor, c.now_ms, settings.scale));
  const std::optional<detail::LiveBid>& existing = c.existing;
  SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft draft,
                          detail::draft_for(txn, actor, "bid.committed", tender_id));
  const std::int64_t index = static_cast<std::int64_t>(txn.log_size());
  BidReceipt receipt;
  boost::json::object p;
  if (existing) {
    receipt.bid_id = existing->bid_id;
    receipt.replaced = true;
    p["replaces"] = existing->receipt_index;
  } else {
    // The id comes from the log index, which is public anyway: it tells
    // nothing about how many bids this tender has.
    receipt.bid_id = "B" + std::to_string(index);
  }
  SUNBID_ASSIGN_OR_RETURN(std::string same_address, address_link(txn, actor, tender_id));
  SUNBID_TRY(
      detail::append_bid_version(txn, {index, tender_id, actor.enterprise_uscc, receipt.bid_id,
                                       commitment_hex, c.now_ms, std::move(same_address), false}));
  p["bid_id"] = receipt.bid_id;
  p["bidder_uscc"] = actor.enterprise_uscc;
  p["commitment"] = commitment_hex;
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, append_bid_entry(txn, std::move(draft), tender_id, p));
  if (idx != static_cast<std::uint64_t>(index)) {
    return make_error(audit::kStorageError, "投标回执序号错位 / bid receipt index mismatch");
  }
  receipt.log_index = idx;
  SUNBID_ASSIGN_OR_RETURN(receipt.entry, audit::read_entry_bytes(txn.db(), idx));
  return receipt;
}

// bid.withdrawn: a withdrawal version ends the live bid; the versions stay
// as history.
Result<std::uint64_t> withdraw_command(WriteTxn& txn, const Actor& actor,
                                       const std::string& tender_id) {
  SUNBID_ASSIGN_OR_RETURN(BidContext c,
                          load_bid_context(txn, actor, tender_id, TenderAction::withdraw_bid));
  if (!c.existing) return bid_not_found();
  const detail::LiveBid& existing = *c.existing;
  SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft draft,
                          detail::draft_for(txn, actor, "bid.withdrawn", tender_id));
  const std::int64_t index = static_cast<std::int64_t>(txn.log_size());
  SUNBID_ASSIGN_OR_RETURN(std::string same_address, address_link(txn, actor, tender_id));
  SUNBID_TRY(
      detail::append_bid_version(txn, {index, tender_id, actor.enterprise_uscc, existing.bid_id, "",
                                       c.now_ms, std::move(same_address), true}));
  boost::json::object p;
  p["bid_id"] = existing.bid_id;
  p["bidder_uscc"] = actor.enterprise_uscc;
  p["withdraws"] = existing.receipt_index;
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, append_bid_entry(txn, std::move(draft), tender_id, p));
  if (idx != static_cast<std::uint64_t>(index)) {
    return make_error(audit::kStorageError, "投标回执序号错位 / bid receipt index mismatch");
  }
  return idx;
}

// A reveal whose salt and bid were parsed and hashed before the command.
struct OpenedBid {
  Bid bid;
  std::string salt_hex;
  std::string canonical;
  std::string commitment_hex;
};

Result<OpenedBid> open_bid(std::string_view salt_hex, const boost::json::value& bid_json) {
  OpenedBid o;
  SUNBID_ASSIGN_OR_RETURN(auto salt, parse_salt_hex(salt_hex));
  SUNBID_ASSIGN_OR_RETURN(o.bid, bid_from_json(bid_json));
  // A price no scoring can handle would freeze a composite_score decision
  // (security A18): refused at reveal, so it never reaches the committee.
  if (o.bid.price_fen_per_m2_month > kMaxBidPriceFen) {
    return make_error("bid_price_out_of_range",
                      "报价超出上限 / the bid price is above the platform's bound",
                      {{"field", "price_fen_per_m2_month"}, {"max", kMaxBidPriceFen}});
  }
  SUNBID_ASSIGN_OR_RETURN(o.canonical, canonical_bid(o.bid));
  o.commitment_hex = hex_encode(bid_commitment(salt, o.canonical));
  o.salt_hex = std::string(salt_hex);
  return o;
}

// 菜单式服务 (docs/tenderer-kinds.md): a bid on a menu tender prices exactly
// the tender's items, a bid on any other tender none. Checked at the reveal,
// where the prices first show: a refused reveal changes nothing, and a bid
// never revealed is invalid in the opening record (not_revealed).
Status check_menu_prices(audit::Database& db, const std::string& tender_id, const Bid& bid) {
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  boost::system::error_code ec;
  const boost::json::value rules = boost::json::parse(row.rules_json, ec);
  std::vector<std::string> items;
  if (!ec && rules.is_object()) {
    if (const auto* m = rules.as_object().if_contains("menu_items"); m && m->is_array()) {
      for (const auto& v : m->as_array()) {
        if (v.is_string()) items.emplace_back(v.as_string());
      }
    }
  }
  if (bid.item_prices) {
    for (const auto& [item, price] : *bid.item_prices) {
      if (std::find(items.begin(), items.end(), item) == items.end()) {
        return make_error("menu_item_unknown",
                          "投标为招标未列出的菜单项报价：" + item +
                              " / the bid prices an item the tender does not list: " + item,
                          {{"field", "item_prices." + item}, {"item", item}});
      }
    }
  }
  for (const auto& item : items) {
    if (!bid.item_prices || bid.item_prices->count(item) == 0) {
      return make_error("menu_item_missing",
                        "投标缺少菜单项报价：" + item + " / the bid does not price the item " + item,
                        {{"field", "item_prices." + item}, {"item", item}});
    }
  }
  return ok_status();
}

Result<std::uint64_t> reveal_command(WriteTxn& txn, const Actor& actor,
                                     const std::string& tender_id, const OpenedBid& opened) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(BidContext c,
                          load_bid_context(txn, actor, tender_id, TenderAction::reveal_bid));
  if (!c.existing) return bid_not_found();
  const detail::LiveBid& existing = *c.existing;
  SUNBID_ASSIGN_OR_RETURN(
      auto revealed,
      detail::query_int(db, "SELECT 1 FROM bid_reveals WHERE bid_id = ?", existing.bid_id));
  if (revealed) {
    return make_error("bid_already_revealed", "投标已解密 / the bid is already revealed");
  }
  if (opened.bid.tender_id != tender_id || opened.bid.bidder_uscc != actor.enterprise_uscc ||
      opened.commitment_hex != existing.commitment) {
    return make_error("reveal_mismatch",
                      "解密内容与投标承诺不符 / the salt and bid do not open the commitment",
                      {{"commitment", existing.commitment}});
  }
  SUNBID_TRY(check_menu_prices(db, tender_id, opened.bid));
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT INTO bid_reveals(bid_id, salt_hex, bid_json, price_fen, revealed_ms) "
                "VALUES (?, ?, ?, ?, ?)"));
  ins->bind(1, existing.bid_id).bind(2, opened.salt_hex).bind(3, opened.canonical);
  ins->bind(4, opened.bid.price_fen_per_m2_month).bind(5, c.now_ms);
  SUNBID_TRY(ins->run());
  // Only the fact of the reveal: contents wait for the opening record.
  SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, "bid.revealed", tender_id));
  draft.tender = tender_id;
  draft.payload["tender_id"] = tender_id;
  draft.payload["bid_id"] = existing.bid_id;
  draft.payload["bidder_uscc"] = actor.enterprise_uscc;
  draft.payload["commitment"] = existing.commitment;
  return txn.append(draft);
}

// Queues `fn` on the ledger and completes `done` exactly once with its value
// (after the batch is durable) or its refusal.
template <class T>
void run_async(audit::Ledger& ledger, std::function<Result<T>(WriteTxn&)> fn,
               std::function<void(Result<T>)> done) {
  auto out = std::make_shared<std::optional<T>>();
  ledger.submit(
      [fn = std::move(fn), out](WriteTxn& txn) -> Status {
        auto r = fn(txn);
        if (!r.ok()) return std::move(r).error();
        out->emplace(std::move(r).value());
        return {};
      },
      [out, done = std::move(done)](Status st) {
        if (!st.ok()) {
          done(std::move(st).error());
        } else {
          done(std::move(**out));
        }
      });
}

}  // namespace

Result<BidReceipt> TenderService::submit_bid(const Actor& actor, std::string_view tender_id,
                                             std::string_view commitment_hex) {
  SUNBID_TRY(parse_commitment_hex(commitment_hex));
  SUNBID_TRY(catch_up(tender_id));
  const std::string tender(tender_id), commitment(commitment_hex);
  return ledger_.run<BidReceipt>(
      [&](WriteTxn& txn) { return commit_bid(txn, actor, tender, commitment, settings_); });
}

void TenderService::submit_bid_async(Actor actor, std::string tender_id, std::string commitment_hex,
                                     std::function<void(Result<BidReceipt>)> done) {
  if (auto st = parse_commitment_hex(commitment_hex); !st.ok()) return done(std::move(st).error());
  if (auto st = catch_up(tender_id); !st.ok()) return done(std::move(st).error());
  run_async<BidReceipt>(
      ledger_,
      [actor = std::move(actor), tender = std::move(tender_id),
       commitment = std::move(commitment_hex), &settings = settings_](WriteTxn& txn) {
        return commit_bid(txn, actor, tender, commitment, settings);
      },
      std::move(done));
}

Result<std::uint64_t> TenderService::withdraw_bid(const Actor& actor, std::string_view tender_id) {
  SUNBID_TRY(catch_up(tender_id));
  const std::string tender(tender_id);
  return ledger_.run<std::uint64_t>(
      [&](WriteTxn& txn) { return withdraw_command(txn, actor, tender); });
}

void TenderService::withdraw_bid_async(Actor actor, std::string tender_id,
                                       std::function<void(Result<std::uint64_t>)> done) {
  if (auto st = catch_up(tender_id); !st.ok()) return done(std::move(st).error());
  run_async<std::uint64_t>(
      ledger_,
      [actor = std::move(actor), tender = std::move(tender_id)](WriteTxn& txn) {
        return withdraw_command(txn, actor, tender);
      },
      std::move(done));
}

Result<std::uint64_t> TenderService::reveal_bid(const Actor& actor, std::string_view tender_id,
                                                std::string_view salt_hex,
                                                const boost::json::value& bid_json) {
  SUNBID_ASSIGN_OR_RETURN(OpenedBid opened, open_bid(salt_hex, bid_json));
  SUNBID_TRY(catch_up(tender_id));
  const std::string tender(tender_id);
  return ledger_.run<std::uint64_t>(
      [&](WriteTxn& txn) { return reveal_command(txn, actor, tender, opened); });
}

void TenderService::reveal_bid_async(Actor actor, std::string tender_id, std::string salt_hex,
                                     boost::json::value bid,
                                     std::function<void(Result<std::uint64_t>)> done) {
  auto opened = open_bid(salt_hex, bid);
  if (!opened.ok()) return done(std::move(opened).error());
  if (auto st = catch_up(tender_id); !st.ok()) return done(std::move(st).error());
  run_async<std::uint64_t>(
      ledger_,
      [actor = std::move(actor), tender = std::move(tender_id), o = std::move(opened).value()](
          WriteTxn& txn) { return reveal_command(txn, actor, tender, o); },
      std::move(done));
}

}  // namespace sunbid::core
