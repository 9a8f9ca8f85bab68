#include "tender_core/tender_hooks.h"

#include <set>

#include "service_internal.h"
#include "store.h"
#include "tender_core/time.h"
#include "tender_core/unchecked_reads.h"
#include "tender_store.h"

namespace sunbid::core {

using audit::Statement;

namespace {

Result<PublicityWindow> open_publicity(audit::WriteTxn& txn, std::int64_t days) {
  SUNBID_ASSIGN_OR_RETURN(HolidayCalendar calendar, calendar_in_force(txn.db(), txn.now_ms()));
  PublicityWindow w;
  w.opens_ms = txn.now_ms();
  w.days = days;
  w.ends_ms = *granted_period_end_ms(calendar, w.opens_ms, days);
  w.calendar_version = calendar.version;
  return w;
}

}  // namespace

boost::json::object to_json(const PublicityWindow& w) {
  return {{"opens_at", format_rfc3339_ms(w.opens_ms)},
          {"days", w.days},
          {"ends_at", format_rfc3339_ms(w.ends_ms)},
          {"calendar_version", w.calendar_version}};
}

Result<std::optional<std::int64_t>> candidate_publicity_end(audit::Database& db,
                                                            std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender_state(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
  return candidate_publicity_end_ms(t);
}

Result<HolidayCalendar> calendar_in_force(audit::Database& db, std::int64_t at_ms) {
  SUNBID_ASSIGN_OR_RETURN(CalendarHistory h, detail::load_calendar_history(db));
  return h.in_force_at(at_ms);
}

Status mark_reviewing(audit::WriteTxn& txn, std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(txn.db(), tender_id));
  SUNBID_ASSIGN_OR_RETURN(TenderStatus to, next_status(row.status, TenderAction::start_review));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t pending,
                          detail::unanswered_objections(txn.db(), tender_id, ""));
  if (pending > 0) return detail::objection_unanswered();
  return detail::set_status(txn.db(), tender_id, to, std::nullopt);
}

Result<PublicityWindow> publicize_candidates(audit::WriteTxn& txn, std::string_view tender_id,
                                             const std::vector<std::string>& bid_ids) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(TenderStatus to, next_status(row.status, TenderAction::conclude_review));
  std::set<std::string> seen;
  if (bid_ids.empty()) {
    return make_error("candidates_invalid", "候选人名单为空 / the candidate list is empty");
  }
  for (const auto& id : bid_ids) {
    SUNBID_ASSIGN_OR_RETURN(Statement * st,
                            db.cached("SELECT 1 FROM opening_rows WHERE tender_id = ? AND "
                                      "bid_id = ? AND valid = 1"));
    st->bind(1, tender_id).bind(2, id);
    SUNBID_ASSIGN_OR_RETURN(bool found, st->step());
    st->reset();
    if (!found || !seen.insert(id).second) {
      return make_error("candidates_invalid",
                        "候选人不是有效投标或重复 / a candidate is not a valid bid or is repeated",
                        {{"bid_id", id}});
    }
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO tender_candidates(tender_id, bid_id) VALUES (?, ?)"));
    ins->bind(1, tender_id).bind(2, id);
    SUNBID_TRY(ins->run());
  }
  SUNBID_ASSIGN_OR_RETURN(
      Statement * up, db.cached("UPDATE tenders SET candidates_publicized_at_ms = ? WHERE id = ?"));
  up->bind(1, txn.now_ms()).bind(2, tender_id);
  SUNBID_TRY(up->run());
  SUNBID_TRY(detail::set_status(db, tender_id, to, std::nullopt));
  return open_publicity(txn, row.candidate_publicity_days);
}

Result<PublicityWindow> record_award(audit::WriteTxn& txn, std::string_view tender_id,
                                     std::string_view bid_id) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(TenderStatus to, next_status(row.status, TenderAction::decide));
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT 1 FROM tender_candidates WHERE "
                                                    "tender_id = ? AND bid_id = ?"));
  st->bind(1, tender_id).bind(2, bid_id);
  SUNBID_ASSIGN_OR_RETURN(bool found, st->step());
  st->reset();
  if (!found) {
    return make_error("award_invalid", "中标人不是候选人 / the award goes to a non-candidate",
                      {{"bid_id", bid_id}});
  }
  SUNBID_ASSIGN_OR_RETURN(
      Statement * up,
      db.cached("UPDATE tenders SET award_publicized_at_ms = ?, awarded_bid_id = ? WHERE id = ?"));
  up->bind(1, txn.now_ms()).bind(2, bid_id).bind(3, tender_id);
  SUNBID_TRY(up->run());
  SUNBID_TRY(detail::set_status(db, tender_id, to, std::nullopt));
  return open_publicity(txn, row.award_publicity_days);
}

Status fail_in_txn(audit::WriteTxn& txn, std::string_view tender_id, std::string_view reason) {
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(txn.db(), tender_id));
  SUNBID_ASSIGN_OR_RETURN(TenderStatus to, next_status(row.status, TenderAction::fail));
  SUNBID_ASSIGN_OR_RETURN(Statement * up,
                          txn.db().cached("UPDATE tenders SET end_reason = ? WHERE id = ?"));
  up->bind(1, reason).bind(2, tender_id);
  SUNBID_TRY(up->run());
  return detail::set_status(txn.db(), tender_id, to, std::nullopt);
}

Status publish_failure_notice(audit::WriteTxn& txn, std::string_view tender_id,
                              std::string_view reason) {
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(txn.db(), tender_id));
  std::string text;
  if (reason == "too_few_qualified") {
    const std::string n = std::to_string(row.min_valid_bids);
    text = "评审后合格的投标少于本招标要求的" + n + "个，招标失败 / fewer than the " + n +
           " qualified bids this tender requires after the review: the tender has failed";
  } else if (reason == "decision_failed_quorum") {
    text =
        "业主表决的参与未达专有部分面积和人数均三分之二以上，表决不成立，招标失败 / the owners' "
        "vote missed its quorum (two thirds of the area and of the owners): the tender has failed";
  } else if (reason == "decision_failed_no_winner") {
    text =
        "没有候选人获得参与表决的专有部分面积和人数均过半数，招标失败 / no candidate won more "
        "than half of the participating area and owners: the tender has failed";
  } else if (reason == "decision_failed_no_majority") {
    text =
        "票决未形成多数，招标失败 / the committee vote reached no majority: the tender has "
        "failed";
  } else {
    text = std::string(reason);
  }
  return detail::publish_failure_notice(txn, detail::system_draft("document.published"), row,
                                        reason, text, txn.now_ms());
}

Result<std::vector<OpenedBid>> opened_bids(audit::Database& db, std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(auto record, detail::unchecked_opening_record(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(auto snapshot, TenderService::rating_snapshot(db, tender_id));
  std::vector<OpenedBid> out;
  for (auto& r : record) {
    if (!r.valid || !r.bid) continue;
    OpenedBid b{r.bid_id, std::move(*r.bid), std::nullopt};
    for (const auto& [uscc, rating] : snapshot) {
      if (uscc == r.bidder_uscc) b.rating_at_deadline = rating;
    }
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<std::string>> opening_bidders(audit::Database& db, std::string_view tender_id) {
  return db.query_strings(
      "SELECT DISTINCT bidder_uscc FROM opening_rows WHERE tender_id = ? ORDER BY bidder_uscc",
      {tender_id});
}

Result<std::vector<ValidOpening>> valid_openings(audit::Database& db, std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT bid_id, bidder_uscc, price_fen FROM opening_rows "
                                    "WHERE tender_id = ? AND valid = 1 ORDER BY bid_id"));
  st->bind(1, tender_id);
  std::vector<ValidOpening> out;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    out.push_back(
        {std::string(st->column_text(0)), std::string(st->column_text(1)), st->column_int64(2)});
  }
  st->reset();
  return out;
}

Result<std::vector<std::string>> candidate_bid_ids(audit::Database& db,
                                                   std::string_view tender_id) {
  return db.query_strings(
      "SELECT bid_id FROM tender_candidates WHERE tender_id = ? ORDER BY bid_id", {tender_id});
}

Result<std::optional<std::string>> bid_address_digest(audit::Database& db,
                                                      std::string_view tender_id,
                                                      std::string_view bid_id) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st, db.cached("SELECT source_digest FROM bids WHERE tender_id = ? AND id = ?"));
  st->bind(1, tender_id).bind(2, bid_id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<std::string> out;
  if (row && !st->column_is_null(0)) out = std::string(st->column_text(0));
  st->reset();
  return out;
}

Result<TenderStages> tender_stages(audit::Database& db, std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT opening_index, candidates_publicized_at_ms, "
                                    "candidate_publicity_ended_ms FROM tenders WHERE id = ?"));
  st->bind(1, tender_id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  TenderStages out;
  if (row) {
    if (!st->column_is_null(0)) out.opening_index = st->column_int64(0);
    if (!st->column_is_null(1)) out.candidates_publicized_at_ms = st->column_int64(1);
    if (!st->column_is_null(2)) out.candidate_publicity_ended_ms = st->column_int64(2);
  }
  st->reset();
  return out;
}

Result<std::vector<Suspension>> tender_suspensions(audit::Database& db,
                                                   std::string_view tender_id) {
  return detail::load_suspensions(db, tender_id);
}

}  // namespace sunbid::core
