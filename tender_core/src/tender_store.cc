#include "tender_store.h"

#include <boost/json/parse.hpp>
#include <limits>

#include "store.h"
#include "tender_core/service.h"

namespace sunbid::core::detail {

using audit::Statement;

namespace {

std::optional<std::int64_t> opt_int(const Statement& st, int col) {
  if (st.column_is_null(col)) return std::nullopt;
  return st.column_int64(col);
}

std::optional<std::string> opt_text(const Statement& st, int col) {
  if (st.column_is_null(col)) return std::nullopt;
  return std::string(st.column_text(col));
}

}  // namespace

namespace {

Result<TenderRow> read_tender(audit::Database& db, std::string_view id, bool with_documents) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached(with_documents
                    ? "SELECT community_id, title, status, suspended_from, rules_json, tier_json, "
                      "decision_method, min_valid_bids, bid_deadline_ms, reveal_window_s, "
                      "reveal_extensions_s, candidate_publicity_days, award_publicity_days, "
                      "candidates_publicized_at_ms, award_publicized_at_ms, published_ms, "
                      "publish_index, opening_index, end_reason, awarded_bid_id, min_bidders, "
                      "min_credit_grade, min_star_rating, retender_of, document_objections_open, "
                      "objection_cutoff_basis_ms, tenderer_kind FROM tenders WHERE id = ?"
                    : "SELECT community_id, title, status, suspended_from, '', NULL, "
                      "decision_method, min_valid_bids, bid_deadline_ms, reveal_window_s, "
                      "reveal_extensions_s, candidate_publicity_days, award_publicity_days, "
                      "candidates_publicized_at_ms, award_publicized_at_ms, published_ms, "
                      "publish_index, opening_index, end_reason, awarded_bid_id, min_bidders, "
                      "min_credit_grade, min_star_rating, retender_of, document_objections_open, "
                      "objection_cutoff_basis_ms, tenderer_kind FROM tenders WHERE id = ?"));
  st->bind(1, id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return not_found("tender_not_found", "招标", "tender", id);
  }
  TenderRow r;
  r.id = std::string(id);
  r.community_id = std::string(st->column_text(0));
  r.title = std::string(st->column_text(1));
  auto status = tender_status_from_string(st->column_text(2));
  auto from = opt_text(*st, 3);
  r.rules_json = std::string(st->column_text(4));
  r.tier_json = opt_text(*st, 5);
  r.decision_method = opt_text(*st, 6);
  r.min_valid_bids = st->column_int64(7);
  r.bid_deadline_ms = st->column_int64(8);
  r.reveal_window_s = st->column_int64(9);
  r.reveal_extensions_s = st->column_int64(10);
  r.candidate_publicity_days = st->column_int64(11);
  r.award_publicity_days = st->column_int64(12);
  r.candidates_publicized_at_ms = opt_int(*st, 13);
  r.award_publicized_at_ms = opt_int(*st, 14);
  r.published_ms = opt_int(*st, 15);
  r.publish_index = opt_int(*st, 16);
  r.opening_index = opt_int(*st, 17);
  r.end_reason = opt_text(*st, 18);
  r.awarded_bid_id = opt_text(*st, 19);
  r.min_bidders = st->column_int64(20);
  r.min_credit_grade = opt_text(*st, 21).value_or("");
  r.min_star_rating = st->column_int64(22);
  r.retender_of = opt_text(*st, 23);
  r.document_objections_open = st->column_int64(24);
  r.objection_cutoff_basis_ms = opt_int(*st, 25);
  r.tenderer_kind = std::string(st->column_text(26));
  st->reset();
  if (!status) return make_error(audit::kStorageError, "招标状态损坏 / corrupt tender status");
  r.status = *status;
  if (from) r.suspended_from = tender_status_from_string(*from);
  return r;
}

}  // namespace

Result<TenderRow> load_tender(audit::Database& db, std::string_view id) {
  return read_tender(db, id, true);
}

Result<TenderRow> load_tender_state(audit::Database& db, std::string_view id) {
  return read_tender(db, id, false);
}

Result<TenderTimeline> load_timeline(audit::Database& db, const TenderRow& row) {
  TenderTimeline t;
  t.status = row.status;
  t.bid_deadline_ms = row.bid_deadline_ms;
  t.reveal_window_s = row.reveal_window_s;
  t.reveal_extensions_s = row.reveal_extensions_s;
  t.candidates_publicized_at_ms = row.candidates_publicized_at_ms;
  t.candidate_publicity_days = row.candidate_publicity_days;
  t.award_publicized_at_ms = row.award_publicized_at_ms;
  t.award_publicity_days = row.award_publicity_days;
  t.deadline_held = row.document_objections_open > 0;
  SUNBID_ASSIGN_OR_RETURN(t.suspensions, load_suspensions(db, row.id));
  std::string_view stage;
  if (row.status == TenderStatus::candidates_publicized) stage = "candidates";
  if (row.status == TenderStatus::award_publicized) stage = "award";
  if (!stage.empty()) {
    SUNBID_ASSIGN_OR_RETURN(std::int64_t n, unanswered_objections(db, row.id, stage));
    t.objection_pending = n > 0;
  }
  if (row.candidates_publicized_at_ms) {
    SUNBID_ASSIGN_OR_RETURN(CalendarHistory history, load_calendar_history(db));
    t.calendar = std::make_shared<const CalendarHistory>(std::move(history));
  }
  return t;
}

Result<std::vector<Suspension>> load_suspensions(audit::Database& db, std::string_view id) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached(
          "SELECT start_ms, end_ms FROM tender_suspensions WHERE tender_id = ? ORDER BY seq"));
  st->bind(1, id);
  std::vector<Suspension> out;
  for (;;) {
    auto more = st->step();
    if (!more.ok()) {
      st->reset();
      return std::move(more).error();
    }
    if (!*more) break;
    out.push_back(Suspension{st->column_int64(0), opt_int(*st, 1)});
  }
  st->reset();
  return out;
}

Result<std::optional<std::int64_t>> objection_answer_due_ms(audit::Database& db,
                                                            std::string_view tender_id,
                                                            std::int64_t filed_ms,
                                                            std::int64_t days) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<Suspension> suspensions, load_suspensions(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(CalendarHistory history, load_calendar_history(db));
  return granted_period_end_ms(history, filed_ms, days, suspensions);
}

Result<CalendarHistory> load_calendar_history(audit::Database& db) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT version, set_ms, holidays, working_days FROM "
                                    "calendar_versions ORDER BY version"));
  std::vector<CalendarHistory::Version> versions;
  for (;;) {
    auto more = st->step();
    if (!more.ok()) {
      st->reset();
      return std::move(more).error();
    }
    if (!*more) break;
    HolidayCalendar c;
    c.version = st->column_int64(0);
    const std::int64_t set_ms = st->column_int64(1);
    for (int col : {2, 3}) {
      boost::system::error_code ec;
      auto v = boost::json::parse(st->column_text(col), ec);
      if (ec || !v.is_array()) {
        st->reset();
        return make_error(audit::kStorageError, "节假日安排损坏 / a stored calendar is corrupt");
      }
      for (const auto& d : v.get_array()) {
        if (!d.is_string()) continue;
        auto date = parse_china_date(d.get_string());
        if (date.ok()) (col == 2 ? c.holidays : c.working_days).insert(*date);
      }
    }
    if (c.version != static_cast<std::int64_t>(versions.size()) + 1 ||
        (!versions.empty() && set_ms < versions.back().set_ms)) {
      st->reset();
      return make_error(audit::kStorageError, "节假日安排版本损坏 / calendar versions are corrupt");
    }
    versions.push_back({std::move(c), set_ms});
  }
  st->reset();
  return CalendarHistory(std::move(versions));
}

Status set_status(audit::Database& db, std::string_view id, TenderStatus status,
                  std::optional<TenderStatus> suspended_from) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st, db.cached("UPDATE tenders SET status = ?, suspended_from = ? WHERE id = ?"));
  st->bind(1, to_string(status));
  if (suspended_from) {
    st->bind(2, to_string(*suspended_from));
  } else {
    st->bind_null(2);
  }
  st->bind(3, id);
  return st->run();
}

Result<std::int64_t> unanswered_objections(audit::Database& db, std::string_view id,
                                           std::string_view stage) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT count(*) FROM objections WHERE tender_id = ? AND answered_ms IS NULL "
                "AND (?2 = '' OR stage = ?2)"));
  st->bind(1, id).bind(2, stage);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::int64_t n = row ? st->column_int64(0) : 0;
  st->reset();
  return n;
}

Result<std::optional<std::int64_t>> last_answer_ms(audit::Database& db, std::string_view id,
                                                   std::string_view stage) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT max(answered_ms) FROM objections WHERE tender_id = ? AND stage = ?"));
  st->bind(1, id).bind(2, stage);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<std::int64_t> out;
  if (row && !st->column_is_null(0)) out = st->column_int64(0);
  st->reset();
  return out;
}

Error objection_unanswered() {
  return make_error("objection_unanswered",
                    "尚有未答复的异议，招标不能进入下一阶段 / an objection is unanswered; the "
                    "tender cannot move to its next stage");
}

std::optional<ServiceTier> frozen_tier(const TenderRow& row) {
  if (!row.tier_json) return std::nullopt;
  boost::system::error_code ec;
  auto tj = boost::json::parse(*row.tier_json, ec);
  if (ec || !tj.is_object()) return std::nullopt;
  auto t = service_tier_from_json(tj.as_object());
  if (!t.ok()) return std::nullopt;
  return std::move(t).value();
}

std::optional<std::int64_t> price_ceiling(const TenderRow& row) {
  boost::system::error_code ec;
  const auto frozen = boost::json::parse(row.rules_json, ec);
  if (ec || !frozen.is_object()) return std::nullopt;
  const auto* budget = frozen.get_object().if_contains("budget_fen_per_m2_month");
  const auto* max =
      budget != nullptr && budget->is_object() ? budget->get_object().if_contains("max") : nullptr;
  if (max == nullptr || !max->is_int64()) return std::nullopt;
  return max->get_int64();
}

}  // namespace sunbid::core::detail
