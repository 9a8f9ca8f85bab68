// TenderService's readers: what each viewer may see of a tender, its bids,
// its opening record and its objections.
#include <boost/json/parse.hpp>

#include "bid_store.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/service.h"
#include "tender_core/unchecked_reads.h"

namespace sunbid::core {

using audit::Statement;
using detail::TenderRow;

namespace {

std::optional<boost::json::object> parse_obj(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

Result<Bid> stored_bid(std::string_view json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec) return make_error(audit::kStorageError, "存储的投标损坏 / a stored bid is corrupt");
  return bid_from_json(v);
}

Result<TenderView> make_view(audit::Database& db, const TenderRow& row) {
  TenderView v;
  v.id = row.id;
  v.community_id = row.community_id;
  v.title = row.title;
  v.status = row.status;
  v.suspended_from = row.suspended_from;
  if (auto rules = parse_obj(row.rules_json)) v.rules = std::move(*rules);
  if (row.tier_json) {
    if (auto tier = parse_obj(*row.tier_json)) {
      auto t = service_tier_from_json(*tier);
      if (t.ok()) v.tier = std::move(t).value();
    }
  }
  v.published_ms = row.published_ms;
  v.end_reason = row.end_reason;
  v.awarded_bid_id = row.awarded_bid_id;
  v.retender_of = row.retender_of;
  if (row.status == TenderStatus::cancelled) {
    // Read only here: the column exists from migration 14 on.
    SUNBID_ASSIGN_OR_RETURN(auto rule,
                            db.query_strings("SELECT cancel_rule FROM tenders WHERE id = ? AND "
                                             "cancel_rule IS NOT NULL",
                                             {row.id}));
    if (!rule.empty()) v.cancel_rule = rule.front();
  }
  if (row.published_ms) {
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    v.bid_deadline_ms = effective_deadline_ms(t);
    v.reveal_close_ms = reveal_close_ms(t);
    v.deadline_held = t.deadline_held && row.status == TenderStatus::published;
  }
  SUNBID_ASSIGN_OR_RETURN(
      auto n,
      detail::query_int(db, "SELECT count(*) FROM tender_amendments WHERE tender_id = ?", row.id));
  v.amendments = n.value_or(0);
  return v;
}

bool sees_objector(const Viewer& viewer, const TenderRow& row, std::string_view account) {
  return viewer.role == "supervisor" ||
         (viewer.role == "tenderer" && viewer.community_id == row.community_id) ||
         (!viewer.account.empty() && viewer.account == account);
}

}  // namespace

Result<TenderView> detail::unchecked_view(audit::Database& db, std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
  return make_view(db, row);
}

namespace {

// 草稿: a draft is seen only by its community's tenderers, supervisors and
// the operator.
bool may_see(TenderStatus status, std::string_view community_id, const Viewer& viewer) {
  if (status != TenderStatus::draft) return true;
  if (viewer.role == "admin" || viewer.role == "supervisor") return true;
  return viewer.role == "tenderer" && viewer.community_id == community_id;
}

}  // namespace

Result<TenderView> TenderService::view(audit::Database& db, std::string_view tender_id,
                                       const Viewer& viewer) {
  SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
  if (!may_see(row.status, row.community_id, viewer)) {
    return detail::not_found("tender_not_found", "招标", "tender", tender_id);
  }
  return make_view(db, row);
}

Result<TenderPage> TenderService::list(audit::Database& db, const TenderListQuery& query,
                                       const Viewer& viewer) {
  // Drafts: all (admin, supervisor), the viewer's community's (a tenderer),
  // or none. ?3 = 1: every draft; ?4: the community whose drafts are seen.
  const bool all_drafts = viewer.role == "admin" || viewer.role == "supervisor";
  const std::string_view own_community =
      viewer.role == "tenderer" ? std::string_view(viewer.community_id) : std::string_view("");
  const std::string_view status = query.status ? to_string(*query.status) : std::string_view("");
  const std::string_view community =
      query.community_id ? std::string_view(*query.community_id) : std::string_view("");
  // An absent filter binds '' (a default string_view has no data and would
  // bind NULL, for which `?1 = ''` is never true).
  const std::string_view district =
      query.district ? std::string_view(*query.district) : std::string_view("");
  const std::string_view tier =
      query.service_tier ? std::string_view(*query.service_tier) : std::string_view("");
  constexpr const char* kFilter =
      "(?1 = '' OR status = ?1) AND (?2 = '' OR community_id = ?2) AND "
      "(status != 'draft' OR ?3 = 1 OR (?4 != '' AND community_id = ?4)) AND "
      "(?8 = '' OR community_id IN (SELECT id FROM communities WHERE district = ?8)) AND "
      "(?9 = '' OR json_extract(rules_json, '$.service_tier') = ?9)";
  auto bind_filter = [&](Statement& st) {
    st.bind(1, status).bind(2, community).bind(3, std::int64_t{all_drafts ? 1 : 0});
    st.bind(4, own_community).bind(8, district).bind(9, tier);
  };
  std::optional<std::pair<std::int64_t, std::string>> after;
  if (!query.cursor.empty()) {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * st,
        db.cached(std::string("SELECT created_ms FROM tenders WHERE ") + kFilter + " AND id = ?5"));
    bind_filter(*st);
    st->bind(5, query.cursor);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (row) after.emplace(st->column_int64(0), query.cursor);
    st->reset();
    if (!after) {
      return make_error("invalid_query", "游标无效 / the cursor is not valid",
                        {{"field", "cursor"}});
    }
  }
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached(std::string("SELECT id FROM tenders WHERE ") + kFilter +
                " AND (?5 IS NULL OR (created_ms, id) > (?5, ?6)) ORDER BY created_ms, id "
                "LIMIT ?7"));
  bind_filter(*st);
  if (after) {
    st->bind(5, after->first).bind(6, after->second);
  } else {
    st->bind_null(5).bind_null(6);
  }
  st->bind(7, static_cast<std::int64_t>(query.limit) + 1);
  std::vector<std::string> ids;
  for (;;) {
    auto more = st->step();
    if (!more.ok()) {
      st->reset();
      return std::move(more).error();
    }
    if (!*more) break;
    ids.emplace_back(st->column_text(0));
  }
  st->reset();
  TenderPage page;
  const bool more = ids.size() > query.limit;
  if (more) ids.resize(query.limit);
  for (const auto& id : ids) {
    SUNBID_ASSIGN_OR_RETURN(TenderView v, detail::unchecked_view(db, id));
    page.items.push_back(std::move(v));
  }
  if (more) page.next_cursor = page.items.back().id;
  return page;
}

Result<std::vector<TenderView>> detail::unchecked_list(audit::Database& db,
                                                       std::optional<TenderStatus> status,
                                                       std::optional<std::string> community_id) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT id FROM tenders WHERE (?1 = '' OR status = ?1) AND "
                                    "(?2 = '' OR community_id = ?2) ORDER BY created_ms, id"));
  // An absent filter binds '' (a default string_view has no data and would
  // bind NULL, for which `?1 = ''` is never true).
  st->bind(1, status ? to_string(*status) : std::string_view(""));
  st->bind(2, community_id ? std::string_view(*community_id) : std::string_view(""));
  std::vector<std::string> ids;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool more, st->step());
    if (!more) break;
    ids.emplace_back(st->column_text(0));
  }
  st->reset();
  std::vector<TenderView> out;
  for (const auto& id : ids) {
    SUNBID_ASSIGN_OR_RETURN(TenderView v, detail::unchecked_view(db, id));
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<OpeningRow>> TenderService::opening(audit::Database& db,
                                                       std::string_view tender_id,
                                                       const Viewer& viewer) {
  SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
  if (!may_see(row.status, row.community_id, viewer)) {
    return detail::not_found("tender_not_found", "招标", "tender", tender_id);
  }
  return detail::unchecked_opening_record(db, tender_id);
}

Result<std::vector<OpeningRow>> detail::unchecked_opening_record(audit::Database& db,
                                                                 std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
  if (!row.opening_index) {
    return make_error("opening_not_public",
                      "解密期结束前开标记录不公开 / the opening record is public only once the "
                      "reveal window has closed");
  }
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT bid_id, bidder_uscc, valid, reason, bid_json, "
                                    "disqualified FROM opening_rows WHERE tender_id = ? ORDER BY "
                                    "bidder_uscc"));
  st->bind(1, tender_id);
  const std::optional<ServiceTier> tier = detail::frozen_tier(row);
  std::vector<OpeningRow> out;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool more, st->step());
    if (!more) break;
    OpeningRow r;
    r.bid_id = std::string(st->column_text(0));
    r.bidder_uscc = std::string(st->column_text(1));
    r.valid = st->column_int64(2) != 0;
    if (!st->column_is_null(3)) r.reason = std::string(st->column_text(3));
    if (!st->column_is_null(5)) {
      std::string_view list = st->column_text(5);
      while (!list.empty()) {
        const auto comma = list.find(',');
        r.disqualified.emplace_back(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
    }
    if (!st->column_is_null(4)) {
      auto bid = stored_bid(st->column_text(4));
      if (!bid.ok()) {
        st->reset();
        return std::move(bid).error();
      }
      r.bid = std::move(bid).value();
      if (tier && r.bid->item_prices) r.menu_flags = menu_price_flags(*tier, *r.bid->item_prices);
    }
    out.push_back(std::move(r));
  }
  st->reset();
  return out;
}

Result<std::vector<BidSummary>> TenderService::bids_visible_to(audit::Database& db,
                                                               std::string_view tender_id,
                                                               const Viewer& viewer,
                                                               std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
  const bool opened = row.opening_index.has_value();
  bool after_deadline = false;
  if (row.published_ms && row.status != TenderStatus::published &&
      !(row.status == TenderStatus::suspended && row.suspended_from == TenderStatus::published) &&
      row.status != TenderStatus::cancelled) {
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    auto deadline = effective_deadline_ms(t);
    after_deadline = deadline && now_ms >= *deadline;
  }
  // A tender that failed unopened (too few bidders) is like a cancelled one
  // to its tenderer: who bid is never disclosed (supervisors still see it).
  const bool failed_unopened = row.status == TenderStatus::failed && !opened && row.end_reason &&
                               *row.end_reason == "too_few_bidders";
  const bool overseer =
      viewer.role == "supervisor" ||
      (viewer.role == "tenderer" && viewer.community_id == row.community_id && !failed_unopened);
  SUNBID_ASSIGN_OR_RETURN(std::vector<detail::LiveBid> live, detail::live_bids(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(Statement * reveal,
                          db.cached("SELECT bid_json FROM bid_reveals WHERE bid_id = ?"));
  std::vector<BidSummary> out;
  for (auto& live_bid : live) {
    const std::string& uscc = live_bid.bidder_uscc;
    const bool own = viewer.role == "enterprise" && !viewer.enterprise_uscc.empty() &&
                     viewer.enterprise_uscc == uscc;
    if (!own && !opened && !(overseer && after_deadline)) continue;
    BidSummary b;
    b.bid_id = live_bid.bid_id;
    b.bidder_uscc = uscc;
    b.commitment = live_bid.commitment;
    b.receipt_index = static_cast<std::uint64_t>(live_bid.receipt_index);
    reveal->bind(1, live_bid.bid_id);
    auto has = reveal->step();
    if (!has.ok()) {
      reveal->reset();
      return std::move(has).error();
    }
    const bool has_reveal = *has;
    const std::string bid_json = has_reveal ? std::string(reveal->column_text(0)) : "";
    reveal->reset();
    if (own || opened || viewer.role == "supervisor") b.revealed = has_reveal;
    if (has_reveal && (own || opened)) {
      SUNBID_ASSIGN_OR_RETURN(b.bid, stored_bid(bid_json));
    }
    out.push_back(std::move(b));
  }
  return out;
}

namespace {

Result<std::vector<ObjectionView>> read_objections(audit::Database& db, Statement& st,
                                                   const Viewer& viewer, std::int64_t now_ms,
                                                   std::int64_t answer_days) {
  std::vector<ObjectionView> out;
  std::vector<std::pair<std::string, std::string>> tender_and_account;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool more, st.step());
    if (!more) break;
    ObjectionView o;
    o.id = std::string(st.column_text(0));
    tender_and_account.emplace_back(std::string(st.column_text(1)), std::string(st.column_text(3)));
    o.stage = std::string(st.column_text(2));
    o.objector_digest = std::string(st.column_text(4));
    o.text = std::string(st.column_text(5));
    o.filed_ms = st.column_int64(6);
    if (!st.column_is_null(7)) o.answer = std::string(st.column_text(7));
    if (!st.column_is_null(8)) o.answered_ms = st.column_int64(8);
    o.overdue = !st.column_is_null(9) && st.column_int64(9) != 0;  // answered late
    out.push_back(std::move(o));
  }
  st.reset();
  for (std::size_t i = 0; i < out.size(); ++i) {
    SUNBID_ASSIGN_OR_RETURN(out[i].answer_due_ms,
                            detail::objection_answer_due_ms(db, tender_and_account[i].first,
                                                            out[i].filed_ms, answer_days));
    if (!out[i].answered_ms && out[i].answer_due_ms && now_ms >= *out[i].answer_due_ms) {
      out[i].overdue = true;
    }
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_and_account[i].first));
    if (sees_objector(viewer, row, tender_and_account[i].second)) {
      out[i].objector_account = tender_and_account[i].second;
    }
  }
  return out;
}

constexpr std::string_view kObjectionColumns =
    "SELECT id, tender_id, stage, objector_account, objector_digest, text, filed_ms, "
    "answer_text, answered_ms, answered_late FROM objections ";

}  // namespace

Result<std::vector<ObjectionView>> TenderService::objections_visible_to(audit::Database& db,
                                                                        std::string_view tender_id,
                                                                        const Viewer& viewer,
                                                                        std::int64_t now_ms) const {
  SUNBID_TRY(detail::load_tender(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached(std::string(kObjectionColumns) +
                                                    "WHERE tender_id = ? ORDER BY filed_index"));
  st->bind(1, tender_id);
  return read_objections(db, *st, viewer, now_ms, settings_.objection_answer_days);
}

Result<std::vector<ObjectionView>> TenderService::overdue_objections(audit::Database& db,
                                                                     std::int64_t now_ms) const {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached(std::string(kObjectionColumns) +
                "WHERE answered_late = 1 OR answered_ms IS NULL ORDER BY filed_index"));
  Viewer supervisor;
  supervisor.role = "supervisor";
  SUNBID_ASSIGN_OR_RETURN(
      auto all, read_objections(db, *st, supervisor, now_ms, settings_.objection_answer_days));
  std::erase_if(all, [](const ObjectionView& o) { return !o.overdue; });
  return all;
}

Result<std::vector<std::pair<std::string, std::optional<CreditRating>>>>
TenderService::rating_snapshot(audit::Database& db, std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT bidder_uscc, in_force, credit_grade, credit_score, star_rating, "
                "blacklisted, effective_from_ms FROM rating_snapshots WHERE tender_id = ? "
                "ORDER BY bidder_uscc"));
  st->bind(1, tender_id);
  std::vector<std::pair<std::string, std::optional<CreditRating>>> out;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool more, st->step());
    if (!more) break;
    std::optional<CreditRating> r;
    if (st->column_int64(1) != 0) {
      r = CreditRating{std::string(st->column_text(2)),
                       static_cast<std::int32_t>(st->column_int64(3)),
                       static_cast<std::int32_t>(st->column_int64(4)), st->column_int64(5) != 0,
                       st->column_int64(6)};
    }
    out.emplace_back(std::string(st->column_text(0)), std::move(r));
  }
  st->reset();
  return out;
}

}  // namespace sunbid::core
