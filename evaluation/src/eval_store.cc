#include "eval_store.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "accounts/accounts.h"
#include "evaluation/draw.h"
#include "tender_core/tender_hooks.h"
#include "tender_core/time.h"
#include "tender_core/unchecked_reads.h"

namespace sunbid::eval::detail {

using audit::Statement;

Result<audit::EntryDraft> draft_for(audit::WriteTxn& /*txn*/, const core::Actor& actor,
                                    std::string_view type, std::string_view tender) {
  audit::EntryDraft d;
  d.actor = actor.account;
  d.role = actor.role;
  d.type = std::string(type);
  if (!tender.empty()) d.tender = std::string(tender);
  if (!actor.source_address.empty()) {
    // Digested at append with a salt of the entry's own (entry_format.h).
    d.source_address = actor.source_address;
    d.source_scope = std::string(tender);
  }
  return d;
}

void withhold_until_decision(audit::EntryDraft& draft) {
  draft.release_at_ms = audit::kReleaseAtEvent;
}

Status release_committee_entries(audit::WriteTxn& txn, std::string_view tender) {
  return audit::release_tender_entries(txn.db(), tender, audit::kReleaseAtEvent, txn.now_ms());
}

Status publish_named_report(audit::WriteTxn& txn, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> seats, active_members(txn.db(), tender));
  std::vector<core::SeatMember> members;
  for (const auto& account : seats) {
    SUNBID_ASSIGN_OR_RETURN(std::optional<accounts::AccountRecord> a,
                            accounts::find_account_by_username(txn.db(), account));
    members.push_back({account, a ? a->display_name : std::string()});
  }
  return core::publish_named_evaluation_report(txn, tender, members);
}

Error refusal(std::string code, std::string_view zh, std::string_view en,
              boost::json::object details) {
  return make_error(std::move(code), std::string(zh) + " / " + std::string(en), std::move(details));
}

Result<TenderInfo> load_tender(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(core::TenderView view, core::detail::unchecked_view(db, tender));
  if (!view.tier || !view.published_ms) {
    return refusal("tender_not_published", "招标尚未发布", "the tender is not published",
                   {{"tender_id", tender}});
  }
  SUNBID_ASSIGN_OR_RETURN(core::TenderRules rules, core::tender_rules_from_json(view.rules));
  TenderInfo t{std::move(view), std::move(rules), {}, std::nullopt, std::nullopt, std::nullopt};
  t.tier = *t.view.tier;
  SUNBID_ASSIGN_OR_RETURN(core::TenderStages stages, core::tender_stages(db, tender));
  t.opening_index = stages.opening_index;
  t.candidates_publicized_at_ms = stages.candidates_publicized_at_ms;
  t.candidate_publicity_ended_ms = stages.candidate_publicity_ended_ms;
  return t;
}

Result<std::vector<core::Suspension>> suspensions(audit::Database& db, std::string_view tender) {
  return core::tender_suspensions(db, tender);
}

Result<std::vector<std::string>> frozen_voters(audit::Database& db, std::string_view tender) {
  return db.query_strings(
      "SELECT v.account FROM eval_decision_voters v WHERE v.tender_id = ? AND NOT EXISTS (SELECT "
      "1 FROM eval_decision_recusals r WHERE r.tender_id = v.tender_id AND r.account = "
      "v.account) ORDER BY v.account",
      {tender});
}

Status record_decision_index(audit::Database& db, std::string_view tender,
                             std::uint64_t log_index) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("UPDATE eval_decisions SET log_index = ? WHERE tender_id = ?"));
  st->bind(1, static_cast<std::int64_t>(log_index)).bind(2, tender);
  return st->run();
}

Status require_role(const core::Actor& actor, std::string_view role) {
  if (actor.role == role) return {};
  return refusal("not_" + std::string(role == "admin" ? "admin" : role), "无权操作",
                 "this command needs the role " + std::string(role), {{"role", actor.role}});
}

Status require_status(const TenderInfo& t, core::TenderStatus status) {
  if (t.view.status == status) return {};
  return refusal("tender_wrong_status", "招标所处阶段不允许此操作",
                 "the tender is not in the status this command needs",
                 {{"status", core::to_string(t.view.status)}, {"needs", core::to_string(status)}});
}

Status check_beacon(std::string_view beacon, std::string_view date) {
  SUNBID_TRY(check_beacon_value(beacon));
  SUNBID_ASSIGN_OR_RETURN(CivilDate d, parse_beacon_date(date));
  (void)d;
  return {};
}

Result<std::int64_t> entry_time_ms(audit::Database& db, std::uint64_t index) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT entry FROM audit_entries WHERE idx = ?"));
  st->bind(1, static_cast<std::int64_t>(index));
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::string text = row ? std::string(st->column_text(0)) : std::string();
  st->reset();
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  const boost::json::value* time =
      !ec && v.is_object() ? v.get_object().if_contains("time") : nullptr;
  if (!time || !time->is_string()) {
    return make_error(audit::kStorageError,
                      "日志条目缺失或损坏 / a log entry is missing or corrupt", {{"index", index}});
  }
  return core::parse_rfc3339_ms(time->get_string());
}

Result<std::optional<std::uint64_t>> bid_closing_index(audit::Database& db,
                                                       std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT t.idx FROM audit_tender_entries t JOIN audit_entries e ON e.idx = t.idx "
                "WHERE t.tender = ? AND CAST(e.entry AS TEXT) LIKE "
                "'%\"type\":\"tender.bidding_closed\"%' ORDER BY t.idx DESC LIMIT 1"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<std::uint64_t> out;
  if (row) out = static_cast<std::uint64_t>(st->column_int64(0));
  st->reset();
  return out;
}

Result<CivilDate> required_beacon_date(audit::Database& db, std::uint64_t fixed_index,
                                       std::optional<std::uint64_t> also_after_index,
                                       const RestDayTest& is_rest_day) {
  SUNBID_ASSIGN_OR_RETURN(std::int64_t fixed_ms, entry_time_ms(db, fixed_index));
  if (also_after_index) {
    SUNBID_ASSIGN_OR_RETURN(std::int64_t later_ms, entry_time_ms(db, *also_after_index));
    fixed_ms = std::max(fixed_ms, later_ms);
  }
  return first_trading_day_after(db, china_date_of(fixed_ms), is_rest_day);
}

Result<DrawBasis> draw_basis(audit::WriteTxn& txn, std::string_view tender,
                             std::string_view purpose, std::uint64_t fixed_index,
                             std::string_view beacon, std::string_view beacon_date,
                             const RestDayTest& is_rest_day,
                             std::optional<std::uint64_t> also_after_index) {
  SUNBID_TRY(check_beacon(beacon, beacon_date));
  SUNBID_ASSIGN_OR_RETURN(CivilDate required, required_beacon_date(txn.db(), fixed_index,
                                                                   also_after_index, is_rest_day));
  if (to_string(required) != beacon_date) {
    // Any other date would let a value known when the inputs were fixed, or
    // a choice among several values, steer the draw.
    return refusal("beacon_date_not_allowed",
                   "信标日期须为抽取输入确定之日（北京时间）后的第一个交易日",
                   "the beacon date must be the first trading day after the China date of the "
                   "entry that fixed the draw's inputs",
                   {{"beacon_date", beacon_date},
                    {"required", to_string(required)},
                    {"fixed_index", fixed_index}});
  }
  const CivilDate today = china_date_of(txn.now_ms());
  if (today < required) {
    // No index has closed on that date yet: any value would be made up.
    return refusal("beacon_date_in_future", "信标日期晚于今日（北京时间），该日收盘值尚未产生",
                   "the beacon date is after today (China time): that day's close does not "
                   "exist yet",
                   {{"beacon_date", beacon_date}, {"today", to_string(today)}});
  }
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          txn.db().cached("SELECT tree_size, root, note, signed_at_ms FROM "
                                          "checkpoints WHERE tree_size > ? "
                                          "ORDER BY tree_size LIMIT 1"));
  st->bind(1, static_cast<std::int64_t>(fixed_index));
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return refusal("checkpoint_pending", "尚无覆盖抽取输入的检查点，请稍后再试",
                   "no stored checkpoint covers the entry that fixed the draw's inputs yet",
                   {{"entry_index", fixed_index}});
  }
  DrawBasis b;
  b.checkpoint.tree_size = static_cast<std::uint64_t>(st->column_int64(0));
  auto root = st->column_blob(1);
  if (root.size() != b.checkpoint.root.size()) {
    st->reset();
    return make_error(audit::kStorageError, "检查点根损坏 / a stored checkpoint root is corrupt");
  }
  std::copy(root.begin(), root.end(), b.checkpoint.root.begin());
  b.checkpoint.note = std::string(st->column_text(2));
  b.checkpoint.signed_at_ms = st->column_int64(3);
  st->reset();
  SUNBID_ASSIGN_OR_RETURN(b.seed,
                          draw_seed(purpose, tender, b.checkpoint.root, beacon, beacon_date));
  b.json["purpose"] = purpose;
  b.json["fixed_index"] = fixed_index;
  b.json["checkpoint"] = {{"tree_size", b.checkpoint.tree_size},
                          {"root", hex_encode(b.checkpoint.root)},
                          {"note", b.checkpoint.note}};
  b.json["beacon"] = beacon;
  b.json["beacon_date"] = beacon_date;
  b.json["seed"] = hex_encode(b.seed);
  b.json["seed_version"] = kDrawSeedVersion;
  return b;
}

Status record_draw(audit::WriteTxn& txn, std::string_view tender, const DrawBasis& basis,
                   std::string_view purpose, std::string_view beacon, std::string_view date) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      txn.db().cached("INSERT INTO eval_draws(tender_id, seq, purpose, seed_hex, beacon, "
                      "beacon_date, checkpoint_size) VALUES (?, (SELECT COUNT(*) FROM eval_draws "
                      "WHERE tender_id = ?), ?, ?, ?, ?, ?)"));
  st->bind(1, tender).bind(2, tender).bind(3, purpose).bind(4, hex_encode(basis.seed));
  st->bind(5, beacon).bind(6, date).bind(7, static_cast<std::int64_t>(basis.checkpoint.tree_size));
  return st->run();
}

boost::json::object expert_json(const Expert& e) {
  return {{"account", e.account},
          {"employer_uscc", e.employer_uscc},
          {"related_usccs", string_array(e.related_usccs)},
          {"specialties", string_array(e.specialties)},
          {"title", e.title}};
}

Expert expert_of(const boost::json::object& o) {
  const auto text = [&](std::string_view k) {
    const auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  Expert e;
  e.account = text("account");
  e.employer_uscc = text("employer_uscc");
  e.title = text("title");
  if (const auto* v = o.if_contains("related_usccs")) e.related_usccs = strings_of(*v);
  if (const auto* v = o.if_contains("specialties")) e.specialties = strings_of(*v);
  return e;
}

Result<std::vector<Expert>> pool_as_of(audit::Database& db, std::uint64_t fixed_index,
                                       std::int64_t fixed_ms) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT v.record_json FROM eval_expert_versions v WHERE v.seq = ("
                "SELECT max(w.seq) FROM eval_expert_versions w WHERE w.account = v.account AND "
                "w.recorded_idx < ?1 AND w.effective_ms <= ?2) ORDER BY v.account"));
  st->bind(1, static_cast<std::int64_t>(fixed_index)).bind(2, fixed_ms);
  std::vector<Expert> pool;
  while (true) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    boost::system::error_code ec;
    auto v = boost::json::parse(st->column_text(0), ec);
    if (ec || !v.is_object()) {
      st->reset();
      return make_error(audit::kStorageError, "专家记录损坏 / an expert record is corrupt");
    }
    pool.push_back(expert_of(v.get_object()));
  }
  st->reset();
  return pool;
}

boost::json::array string_array(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> strings_of(const boost::json::value& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const auto& s : v.get_array()) {
    if (s.is_string()) out.emplace_back(s.get_string());
  }
  return out;
}

Result<boost::json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec) return make_error(audit::kStorageError, "存储的 JSON 损坏 / stored JSON is corrupt");
  return v;
}

std::string serialize(const boost::json::value& v) {
  return boost::json::serialize(v);
}

Result<bool> review_concluded(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> rows,
      db.query_strings("SELECT tender_id FROM eval_review_state WHERE tender_id = ?", {tender}));
  return !rows.empty();
}

Result<bool> committee_public(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(core::TenderView view, core::detail::unchecked_view(db, tender));
  using S = core::TenderStatus;
  return view.status == S::award_publicized || view.status == S::awarded ||
         view.status == S::failed || view.status == S::cancelled;
}

Result<std::vector<std::string>> active_members(audit::Database& db, std::string_view tender) {
  return db.query_strings(
      "SELECT account FROM eval_committee WHERE tender_id = ? AND status = 'member' "
      "ORDER BY draw_order",
      {tender});
}

Result<std::vector<ValidBid>> valid_bids(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(auto rows, core::valid_openings(db, tender));
  std::vector<ValidBid> out;
  for (auto& r : rows) out.push_back({std::move(r.bid_id), std::move(r.bidder_uscc), r.price_fen});
  return out;
}

bool is_replacement_purpose(std::string_view purpose) {
  constexpr std::string_view prefix = draw_purpose::kReplacementPrefix;
  if (!purpose.starts_with(prefix) || purpose.size() == prefix.size()) return false;
  const std::string_view n = purpose.substr(prefix.size());
  if (n.front() == '0' || n.size() > 9) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::optional<PendingDraw>> pending_draw(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT purpose, fixed_index, context_json FROM "
                                    "eval_pending_draws WHERE tender_id = ?"));
  st->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<PendingDraw> out;
  if (row) {
    PendingDraw p;
    p.purpose = std::string(st->column_text(0));
    p.fixed_index = static_cast<std::uint64_t>(st->column_int64(1));
    std::string ctx(st->column_text(2));
    st->reset();
    SUNBID_ASSIGN_OR_RETURN(boost::json::value v, parse_json(ctx));
    if (v.is_object()) p.context = v.get_object();
    out = std::move(p);
    return out;
  }
  st->reset();
  return out;
}

Status set_pending_draw(audit::Database& db, std::string_view tender, std::string_view purpose,
                        std::uint64_t fixed_index, const boost::json::object& context) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("INSERT OR REPLACE INTO eval_pending_draws(tender_id, purpose, fixed_index, "
                "context_json) VALUES (?, ?, ?, ?)"));
  st->bind(1, tender).bind(2, purpose).bind(3, static_cast<std::int64_t>(fixed_index));
  st->bind(4, serialize(context));
  return st->run();
}

Status clear_pending_draw(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("DELETE FROM eval_pending_draws WHERE tender_id = ?"));
  st->bind(1, tender);
  return st->run();
}

}  // namespace sunbid::eval::detail
