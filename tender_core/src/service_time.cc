// TenderService's time-driven transitions: the deadline (rating snapshot,
// the binding qualification check), the reveal window (its opening releases
// the bid entries; its close writes the opening record), the publicity
// windows, and the 流标 that follow from them (fewer bidders than the floor:
// unopened; fewer valid bids than min_valid_bids).
#include <algorithm>
#include <boost/json/parse.hpp>
#include <map>

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

struct Planned {
  TenderAction action;
  TenderStatus to;
  std::int64_t due_at;
  std::string fail_reason;  // for fail
};

Result<std::int64_t> count_bids(audit::Database& db, std::string_view id) {
  SUNBID_ASSIGN_OR_RETURN(auto live, detail::live_bids(db, id));
  return static_cast<std::int64_t>(live.size());
}

// 条例 44 counts bidders: every live commitment, qualified or not.
std::int64_t bidder_floor(const TenderRow& row) {
  return std::max<std::int64_t>(kMinBidders, row.min_bidders);
}

constexpr std::string_view kTooFewBidders = "too_few_bidders";
constexpr std::string_view kNotQualified = "not_qualified";
constexpr std::string_view kAboveCeiling = "price_above_ceiling";

// The failure notice: the floor, never the number of bidders.
std::string too_few_bidders_notice(std::int64_t floor) {
  if (floor == kMinBidders) {
    return "投标人少于3个，依法不予开标，招标失败 / fewer than three bidders: the bids are "
           "not opened and the tender has failed";
  }
  const std::string n = std::to_string(floor);
  return "投标人少于本招标要求的" + n + "个，不予开标，招标失败 / fewer than the " + n +
         " bidders this tender requires: the bids are not opened and the tender has failed";
}
// The first transition of the tender due at now_ms, if any.
Result<std::optional<Planned>> plan(audit::Database& db, const TenderRow& row,
                                    std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
  if (row.status == TenderStatus::bidding_closed) {
    SUNBID_ASSIGN_OR_RETURN(std::int64_t bids, count_bids(db, row.id));
    if (bids < bidder_floor(row)) {
      // 不得开标: 流标 at the deadline, nothing revealed or opened.
      return std::optional<Planned>(Planned{TenderAction::fail, TenderStatus::failed,
                                            *effective_deadline_ms(t),
                                            std::string(kTooFewBidders)});
    }
  }
  if (row.status == TenderStatus::opened && !row.end_reason) {
    SUNBID_ASSIGN_OR_RETURN(
        auto valid, detail::query_int(db,
                                      "SELECT count(*) FROM opening_rows WHERE tender_id = ? AND "
                                      "valid = 1",
                                      row.id));
    if (valid.value_or(0) < row.min_valid_bids) {
      return std::optional<Planned>(Planned{TenderAction::fail, TenderStatus::failed,
                                            *reveal_close_ms(t), "too_few_valid_bids"});
    }
    return std::optional<Planned>();
  }
  auto due = due_transitions(t, now_ms);
  if (due.empty()) return std::optional<Planned>();
  Planned p{due[0].action, due[0].to, due[0].at_ms, ""};
  // A window held open by an objection became due when the last one was answered.
  std::string_view stage;
  if (p.action == TenderAction::end_candidate_publicity) stage = "candidates";
  if (p.action == TenderAction::end_award_publicity) stage = "award";
  if (!stage.empty()) {
    SUNBID_ASSIGN_OR_RETURN(auto answered, detail::last_answer_ms(db, row.id, stage));
    if (answered && *answered > p.due_at) p.due_at = *answered;
  }
  return std::optional<Planned>(p);
}

// The rating snapshot at the deadline, and with it the binding
// qualification check: each bid's record in force then, and whether it meets
// the frozen thresholds. A tender below its bidder floor takes no snapshot
// and its entry names no bid (it fails unopened next).
Status snapshot_ratings(WriteTxn& txn, const TenderRow& row, std::int64_t deadline,
                        const CreditScale& scale, boost::json::object& payload) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(std::vector<detail::LiveBid> list, detail::live_bids(db, row.id));
  if (static_cast<std::int64_t>(list.size()) < bidder_floor(row)) return ok_status();
  boost::json::array logged;
  for (const detail::LiveBid& b : list) {
    const std::string& uscc = b.bidder_uscc;
    // In force at the deadline, as the registry stood then (a back-dated
    // record entered after the deadline does not count).
    SUNBID_ASSIGN_OR_RETURN(auto rating, Registry::rating_as_of(db, uscc, deadline, deadline));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO rating_snapshots(tender_id, bidder_uscc, in_force, credit_grade, "
                  "credit_score, star_rating, blacklisted, effective_from_ms) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    ins->bind(1, row.id).bind(2, uscc).bind(3, std::int64_t{rating ? 1 : 0});
    boost::json::object o;
    o["bid_id"] = b.bid_id;
    o["bidder_uscc"] = uscc;
    o["commitment"] = b.commitment;
    if (rating) {
      ins->bind(4, rating->credit_grade).bind(5, std::int64_t{rating->credit_score});
      ins->bind(6, std::int64_t{rating->star_rating});
      ins->bind(7, std::int64_t{rating->blacklisted ? 1 : 0}).bind(8, rating->effective_from_ms);
    } else {
      for (int c = 4; c <= 8; ++c) ins->bind_null(c);
    }
    o["rating"] = detail::rating_json(rating);
    const std::vector<std::string> failures = detail::gate_failures(row, rating, scale);
    o["qualified"] = failures.empty();
    if (!failures.empty()) {
      boost::json::array f;
      for (const auto& x : failures) f.emplace_back(x);
      o["disqualified"] = std::move(f);
    }
    SUNBID_TRY(ins->run());
    logged.push_back(std::move(o));
  }
  payload["bids"] = std::move(logged);
  return ok_status();
}

// The qualification failures of each bidder on the snapshot at the deadline.
Result<std::map<std::string, std::vector<std::string>>> snapshot_failures(
    audit::Database& db, const TenderRow& row, const CreditScale& scale) {
  SUNBID_ASSIGN_OR_RETURN(auto snapshot, TenderService::rating_snapshot(db, row.id));
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [uscc, rating] : snapshot) {
    out[uscc] = detail::gate_failures(row, rating, scale);
  }
  return out;
}

Status write_opening(WriteTxn& txn, const TenderRow& row, const CreditScale& scale,
                     boost::json::object& payload) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(std::vector<detail::LiveBid> live, detail::live_bids(db, row.id));
  SUNBID_ASSIGN_OR_RETURN(auto failures, snapshot_failures(db, row, scale));
  SUNBID_ASSIGN_OR_RETURN(
      Statement * q, db.cached("SELECT bid_json, price_fen FROM bid_reveals WHERE bid_id = ?"));
  struct R {
    std::string id, uscc;
    std::optional<std::string> json;
    std::int64_t price = 0;
  };
  std::vector<R> rows;
  for (auto& b : live) {
    R r{std::move(b.bid_id), std::move(b.bidder_uscc), std::nullopt, 0};
    q->bind(1, r.id);
    auto found = q->step();
    if (found.ok() && *found) {
      r.json = std::string(q->column_text(0));
      r.price = q->column_int64(1);
    }
    q->reset();
    if (!found.ok()) return std::move(found).error();
    rows.push_back(std::move(r));
  }
  // 最高投标限价 (条例 27): the budget's maximum of the frozen rules.
  const std::optional<std::int64_t> ceiling = detail::price_ceiling(row);
  // 菜单式服务: the frozen tier's menu, for the out-of-range flags.
  std::optional<ServiceTier> tier = detail::frozen_tier(row);
  if (tier && tier->menu_items.empty()) tier.reset();
  boost::json::array record;
  std::int64_t valid = 0;
  for (const auto& r : rows) {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO opening_rows(tender_id, bid_id, bidder_uscc, valid, reason, "
                  "price_fen, bid_json, disqualified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    ins->bind(1, row.id).bind(2, r.id).bind(3, r.uscc);
    boost::json::object o;
    o["bid_id"] = r.id;
    o["bidder_uscc"] = r.uscc;
    auto fit = failures.find(r.uscc);
    // A bidder missing from the snapshot has no rating on record.
    const std::vector<std::string> failed =
        fit != failures.end() ? fit->second : std::vector<std::string>{std::string(kNoRating)};
    if (!failed.empty()) {
      // 否决 (条例 51(3)): fails the thresholds on the snapshot at the
      // deadline. Invalid whether revealed or not; never reaches the review.
      std::string joined;
      boost::json::array f;
      for (const auto& x : failed) {
        if (!joined.empty()) joined += ',';
        joined += x;
        f.emplace_back(x);
      }
      ins->bind(4, std::int64_t{0}).bind(5, kNotQualified).bind_null(6).bind_null(7);
      ins->bind(8, joined);
      o["valid"] = false;
      o["reason"] = kNotQualified;
      o["disqualified"] = std::move(f);
    } else if (r.json && ceiling && r.price > *ceiling) {
      // Above the price ceiling: invalid (条例 27, 51(5)); the price is shown.
      ins->bind(4, std::int64_t{0}).bind(5, kAboveCeiling).bind(6, r.price).bind_null(7);
      ins->bind_null(8);
      o["valid"] = false;
      o["reason"] = kAboveCeiling;
      o["price_fen_per_m2_month"] = r.price;
      o["ceiling_fen_per_m2_month"] = *ceiling;
    } else if (r.json) {
      ++valid;
      ins->bind(4, std::int64_t{1}).bind_null(5).bind(6, r.price).bind(7, *r.json).bind_null(8);
      boost::system::error_code ec;
      auto bid = boost::json::parse(*r.json, ec);
      if (ec || !bid.is_object()) {
        return make_error(audit::kStorageError, "存储的投标损坏 / a stored bid is corrupt");
      }
      o["valid"] = true;
      o["price_fen_per_m2_month"] = r.price;
      o["documents"] = bid.get_object()["documents"];
      if (const auto* items = bid.get_object().if_contains("item_prices");
          tier && items != nullptr && items->is_object()) {
        std::map<std::string, std::int64_t> prices;
        for (const auto& kv : items->get_object()) {
          if (kv.value().is_int64()) prices[std::string(kv.key())] = kv.value().get_int64();
        }
        o["item_prices"] = *items;
        o["menu_flags"] = to_json(menu_price_flags(*tier, prices));
      }
    } else {
      // 撤销: not revealed in the window.
      ins->bind(4, std::int64_t{0}).bind(5, "not_revealed").bind_null(6).bind_null(7);
      ins->bind_null(8);
      o["valid"] = false;
      o["reason"] = "not_revealed";
    }
    SUNBID_TRY(ins->run());
    record.push_back(std::move(o));
  }
  payload["record"] = std::move(record);
  payload["valid_bids"] = valid;
  payload["min_valid_bids"] = row.min_valid_bids;
  return ok_status();
}

std::string_view entry_type(TenderAction a) {
  switch (a) {
    case TenderAction::close_bidding:
      return "tender.bidding_closed";
    case TenderAction::open_reveal:
      return "tender.reveal_opened";
    case TenderAction::close_reveal:
      return "tender.opened";
    case TenderAction::end_candidate_publicity:
      return "tender.candidate_publicity_ended";
    case TenderAction::end_award_publicity:
      return "tender.awarded";
    default:
      return "tender.failed";
  }
}

}  // namespace

Result<bool> TenderService::apply_one_due(std::string_view tender_id, std::int64_t limit_ms) {
  return ledger_.run<bool>([&](WriteTxn& txn) -> Result<bool> {
    auto& db = txn.db();
    const std::int64_t now = std::min(limit_ms, txn.now_ms());
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_ASSIGN_OR_RETURN(std::optional<Planned> p, plan(db, row, now));
    if (!p) return false;  // nothing due (or another command applied it first)
    audit::EntryDraft draft = detail::system_draft(entry_type(p->action));
    draft.tender = std::string(tender_id);
    draft.payload["tender_id"] = tender_id;
    draft.payload["from"] = to_string(row.status);
    draft.payload["due_at"] = format_rfc3339_ms(p->due_at);
    switch (p->action) {
      case TenderAction::close_bidding:
        SUNBID_TRY(snapshot_ratings(txn, row, p->due_at, settings_.scale, draft.payload));
        break;
      case TenderAction::open_reveal: {
        SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
        draft.payload["reveal_close"] = format_rfc3339_ms(*reveal_close_ms(t));
        // Release by event: the bid entries become public with the window.
        SUNBID_TRY(audit::release_tender_entries(db, tender_id, detail::kReleaseAtRevealOpening,
                                                 txn.now_ms()));
        break;
      }
      case TenderAction::close_reveal: {
        SUNBID_TRY(write_opening(txn, row, settings_.scale, draft.payload));
        SUNBID_ASSIGN_OR_RETURN(Statement * up,
                                db.cached("UPDATE tenders SET opening_index = ? WHERE id = ?"));
        up->bind(1, static_cast<std::int64_t>(txn.log_size())).bind(2, tender_id);
        SUNBID_TRY(up->run());
        break;
      }
      case TenderAction::end_candidate_publicity: {
        // The instant the publicity really ended (objections answered,
        // suspensions over): the owners' or committee's vote opens then.
        SUNBID_ASSIGN_OR_RETURN(
            Statement * up,
            db.cached("UPDATE tenders SET candidate_publicity_ended_ms = ? WHERE id = ?"));
        up->bind(1, p->due_at).bind(2, tender_id);
        SUNBID_TRY(up->run());
        break;
      }
      case TenderAction::end_award_publicity:
        draft.payload["bid_id"] = row.awarded_bid_id.value_or("");
        break;
      case TenderAction::fail: {
        draft.payload["reason"] = p->fail_reason;
        if (p->fail_reason == kTooFewBidders) {
          draft.payload["min_bidders"] = bidder_floor(row);
          draft.payload["notice"] = too_few_bidders_notice(bidder_floor(row));
        }
        SUNBID_ASSIGN_OR_RETURN(Statement * up,
                                db.cached("UPDATE tenders SET end_reason = ? WHERE id = ?"));
        up->bind(1, p->fail_reason).bind(2, tender_id);
        SUNBID_TRY(up->run());
        break;
      }
      default:
        break;
    }
    SUNBID_TRY(detail::set_status(db, tender_id, p->to, std::nullopt));
    SUNBID_TRY(txn.append(draft));
    if (p->action == TenderAction::close_reveal) {
      // 开标记录表 (docs/documents.md): public with the opening record.
      SUNBID_TRY(detail::publish_opening_notice(txn, row, p->due_at));
    }
    if (p->action == TenderAction::fail) {
      // 流标公告 (docs/documents.md): the floor, never the number of bidders.
      std::string text;
      if (p->fail_reason == kTooFewBidders) {
        text = too_few_bidders_notice(bidder_floor(row));
      } else if (p->fail_reason == "too_few_valid_bids") {
        const std::string n = std::to_string(row.min_valid_bids);
        text = "有效投标少于本招标要求的" + n + "个，招标失败 / fewer than the " + n +
               " valid bids this tender requires: the tender has failed";
      } else {
        text = p->fail_reason;
      }
      SUNBID_TRY(detail::publish_failure_notice(txn, detail::system_draft("document.published"),
                                                row, p->fail_reason, text, p->due_at));
    }
    return true;
  });
}

Result<bool> TenderService::due_now(std::string_view tender_id, std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(audit::Ledger::ReaderLease lease, ledger_.reader());
  audit::ReadTxn txn(lease.db());
  SUNBID_TRY(txn.begun());
  audit::Database& db = txn.db();
  auto row = detail::load_tender(db, tender_id);
  if (!row.ok()) {
    if (row.error().code == "tender_not_found") return false;  // the command will say so
    return std::move(row).error();
  }
  SUNBID_ASSIGN_OR_RETURN(std::optional<Planned> p, plan(db, *row, now_ms));
  if (!p && row->status == TenderStatus::published) {
    auto t = detail::load_timeline(db, *row);
    if (t.ok()) {
      if (auto deadline = effective_deadline_ms(*t)) {
        std::lock_guard lock(quiet_mu_);
        quiet_until_[row->id] = *deadline;
      }
    }
  }
  return p.has_value();
}

Result<int> TenderService::catch_up(std::string_view tender_id) {
  const std::int64_t now = clock_.now_ms();
  {
    std::lock_guard lock(quiet_mu_);
    auto it = quiet_until_.find(std::string(tender_id));
    if (it != quiet_until_.end() && now < it->second) return 0;
  }
  SUNBID_ASSIGN_OR_RETURN(bool due, due_now(tender_id, now));
  if (!due) return 0;
  int applied = 0;
  for (;;) {
    auto r = apply_one_due(tender_id, now);
    if (!r.ok()) {
      if (r.error().code == "tender_not_found") return applied;  // the command will say so
      return std::move(r).error();
    }
    if (!*r) return applied;
    ++applied;
  }
}

Result<int> TenderService::tick(std::int64_t now_ms, std::vector<TickFailure>* failures) {
  std::vector<std::string> live;
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Database db, ledger_.open_reader());
    SUNBID_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("SELECT id FROM tenders WHERE status IN ('published', 'bidding_closed', "
                   "'reveal', 'opened', 'candidates_publicized', 'award_publicized') ORDER BY id"));
    for (;;) {
      SUNBID_ASSIGN_OR_RETURN(bool more, st.step());
      if (!more) break;
      live.emplace_back(st.column_text(0));
    }
  }
  int applied = 0;
  std::optional<Error> first_failure;
  for (const auto& id : live) {
    for (;;) {
      auto one = apply_one_due(id, now_ms);
      if (!one.ok()) {
        // One tender's failure never stops the others' transitions.
        if (failures) {
          failures->push_back({id, std::move(one).error()});
        } else if (!first_failure) {
          first_failure = std::move(one).error();
        }
        break;
      }
      if (!*one) break;
      ++applied;
    }
  }
  if (first_failure) return std::move(*first_failure);
  return applied;
}

}  // namespace sunbid::core
