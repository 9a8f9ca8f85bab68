// EvaluationService: the fresh draw (补抽 from a new list, replacement-N).
#include <algorithm>
#include <set>

#include "accounts/relations.h"
#include "evaluation/committee_draw.h"
#include "evaluation/draw.h"
#include "redraw.h"
#include "tender_core/tender_hooks.h"

namespace sunbid::eval::detail {

using audit::Statement;
using audit::WriteTxn;

namespace {

std::vector<SpecialtyQuota> quotas_of(const boost::json::value& v) {
  std::vector<SpecialtyQuota> out;
  if (!v.is_array()) return out;
  for (const auto& q : v.get_array()) {
    if (!q.is_object()) continue;
    const auto& o = q.get_object();
    out.push_back({std::string(o.at("specialty").as_string()),
                   static_cast<std::size_t>(o.at("min").to_number<std::int64_t>())});
  }
  return out;
}

boost::json::array quota_json(const std::vector<SpecialtyQuota>& quotas) {
  boost::json::array a;
  for (const auto& q : quotas) a.push_back({{"specialty", q.specialty}, {"min", q.min}});
  return a;
}

struct Commitment {
  std::uint64_t log_index = 0;
  std::uint64_t fixed_index = 0;
  boost::json::object list;  // the private opening: pool, list, inputs
};

Result<std::optional<Commitment>> commitment(audit::Database& db, std::string_view tender,
                                             std::string_view purpose) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT log_index, fixed_index, list_json FROM "
                                    "eval_pool_commitments WHERE tender_id = ? AND purpose = ?"));
  st->bind(1, tender).bind(2, purpose);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<Commitment> out;
  if (!row) {
    st->reset();
    return out;
  }
  Commitment c;
  c.log_index = static_cast<std::uint64_t>(st->column_int64(0));
  c.fixed_index = static_cast<std::uint64_t>(st->column_int64(1));
  std::string text(st->column_text(2));
  st->reset();
  SUNBID_ASSIGN_OR_RETURN(boost::json::value v, parse_json(text));
  if (v.is_object()) c.list = v.get_object();
  out = std::move(c);
  return out;
}

}  // namespace

std::vector<SpecialtyQuota> tender_quotas(const TenderInfo& t) {
  std::vector<SpecialtyQuota> quotas;
  for (const auto& q : t.rules.committee_specialties) {
    quotas.push_back({q.specialty, static_cast<std::size_t>(q.min)});
  }
  return quotas;
}

Result<SeatState> seat_state(audit::Database& db, std::string_view tender) {
  SeatState s;
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT account, status FROM eval_committee WHERE "
                                    "tender_id = ? ORDER BY draw_order"));
  st->bind(1, tender);
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    std::string account(st->column_text(0));
    const std::string_view status = st->column_text(1);
    if (status == "member") s.seated.push_back(account);
    if (status == "reserve") s.reserves.push_back(account);
    s.drawn.push_back(std::move(account));
  }
  st->reset();
  std::sort(s.drawn.begin(), s.drawn.end());
  // Each committed list's records, in log order: an account drawn by a
  // fresh draw is in no later list (the drawn are removed), so the last
  // record seen is the one it was drawn with.
  SUNBID_ASSIGN_OR_RETURN(Statement * c,
                          db.cached("SELECT purpose, list_json FROM eval_pool_commitments WHERE "
                                    "tender_id = ? ORDER BY log_index"));
  c->bind(1, tender);
  std::vector<std::pair<std::string, std::string>> rows;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool row, c->step());
    if (!row) break;
    rows.emplace_back(std::string(c->column_text(0)), std::string(c->column_text(1)));
  }
  c->reset();
  std::map<std::string, std::vector<SpecialtyQuota>> quota_of;
  for (const auto& [purpose, text] : rows) {
    SUNBID_ASSIGN_OR_RETURN(boost::json::value v, parse_json(text));
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    std::map<std::string, std::vector<std::string>> records;
    for (const auto& r : o.at("pool").as_array()) {
      Expert e = expert_of(r.as_object());
      records[e.account] = e.specialties;
    }
    for (const auto& l : o.at("list").as_array()) {
      const std::string account(l.at("account").as_string());
      s.specialties[account] = records[account];
    }
    if (purpose == draw_purpose::kCommittee) {
      s.bidder_usccs = strings_of(o.at("bidder_usccs"));
    } else if (is_replacement_purpose(purpose)) {
      ++s.replacements;
      if (const auto* q = o.if_contains("quota")) quota_of[purpose] = quotas_of(*q);
    }
  }
  SUNBID_ASSIGN_OR_RETURN(std::optional<PendingDraw> p, pending_draw(db, tender));
  if (p && is_replacement_purpose(p->purpose)) {
    s.pending = p->purpose;
    s.pending_quota = quota_of[p->purpose];
  }
  return s;
}

std::vector<std::vector<std::string>> counted_seated(const SeatState& s) {
  std::vector<std::vector<std::string>> out;
  for (const auto& a : s.seated) {
    const auto it = s.specialties.find(a);
    out.push_back(it == s.specialties.end() ? std::vector<std::string>() : it->second);
  }
  for (const auto& q : s.pending_quota) {
    for (std::size_t i = 0; i < q.min; ++i) out.push_back({q.specialty});
  }
  return out;
}

Result<std::optional<std::string>> open_replacement_if_vacant(WriteTxn& txn, const TenderInfo& t,
                                                              std::uint64_t fixing_index) {
  auto& db = txn.db();
  const std::string& tender = t.view.id;
  SUNBID_ASSIGN_OR_RETURN(SeatState s, seat_state(db, tender));
  const auto size = static_cast<std::size_t>(t.rules.committee_size);
  if (s.pending || s.seated.size() >= size) return std::optional<std::string>();
  const std::size_t seats = size - s.seated.size();
  // The quota: each minimum the seated members leave unmet, in rule order.
  std::vector<SpecialtyQuota> quota;
  const auto seated = counted_seated(s);
  for (const auto& q : tender_quotas(t)) {
    std::size_t have = 0;
    for (const auto& sp : seated) {
      have += std::find(sp.begin(), sp.end(), q.specialty) != sp.end() ? 1 : 0;
    }
    if (have < q.min) quota.push_back({q.specialty, q.min - have});
  }
  const std::string purpose =
      std::string(draw_purpose::kReplacementPrefix) + std::to_string(s.replacements + 1);
  SUNBID_ASSIGN_OR_RETURN(std::int64_t fixed_ms, entry_time_ms(db, fixing_index));
  SUNBID_ASSIGN_OR_RETURN(std::vector<Expert> pool, pool_as_of(db, fixing_index, fixed_ms));
  std::vector<std::string> bidders = s.bidder_usccs;
  if (bidders.empty()) {
    SUNBID_ASSIGN_OR_RETURN(bidders, core::opening_bidders(db, tender));
  }
  // 评定分离, recomputed for the fixing entry.
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> excluded,
                          accounts::tenderer_account_ids(db, t.view.community_id));
  std::sort(excluded.begin(), excluded.end());
  excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());
  SUNBID_ASSIGN_OR_RETURN(PoolSplit split, split_pool(pool, bidders, excluded));
  std::vector<Expert> fresh;
  for (auto& e : split.eligible) {
    if (!std::binary_search(s.drawn.begin(), s.drawn.end(), e.account)) {
      fresh.push_back(std::move(e));
    }
  }
  SUNBID_ASSIGN_OR_RETURN(CommittedList committed, shuffle_and_salt(std::move(fresh)));
  boost::json::array pool_records, exclusions;
  for (const auto& e : pool) pool_records.push_back(expert_json(e));
  for (const auto& e : split.exclusions) {
    exclusions.push_back(
        {{"account", e.account}, {"reason", e.reason}, {"bidder_uscc", e.bidder_uscc}});
  }
  const std::uint64_t idx = txn.log_size();
  const boost::json::object priv{{"fixed_ms", fixed_ms},
                                 {"pool", std::move(pool_records)},
                                 {"bidder_usccs", string_array(bidders)},
                                 {"excluded_accounts", string_array(excluded)},
                                 {"already_drawn", string_array(s.drawn)},
                                 {"seats", seats},
                                 {"quota", quota_json(quota)},
                                 {"exclusions", std::move(exclusions)},
                                 {"list", std::move(committed.opened)}};
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT INTO eval_pool_commitments(tender_id, purpose, log_index, fixed_index, "
                "list_json) VALUES (?, ?, ?, ?, ?)"));
  ins->bind(1, tender).bind(2, purpose).bind(3, static_cast<std::int64_t>(idx));
  ins->bind(4, static_cast<std::int64_t>(fixing_index)).bind(5, serialize(priv));
  SUNBID_TRY(ins->run());
  SUNBID_TRY(set_pending_draw(db, tender, purpose, fixing_index, {{"commitment_index", idx}}));
  audit::EntryDraft d;
  d.type = "committee.pool_committed";
  d.tender = tender;
  d.payload = {{"tender_id", tender},
               {"purpose", purpose},
               {"fixed_index", fixing_index},
               {"list_size", committed.list.size()},
               {"commitments", std::move(committed.commitments)}};
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t appended, txn.append(d));
  (void)appended;
  return std::optional<std::string>(purpose);
}

Result<StageResult> replacement_draw(WriteTxn& txn, const core::Actor& supervisor,
                                     const TenderInfo& t, const PendingDraw& pending,
                                     std::string_view beacon, std::string_view beacon_date,
                                     const RestDayTest& is_rest_day) {
  auto& db = txn.db();
  const std::string& tender = t.view.id;
  SUNBID_TRY(require_status(t, core::TenderStatus::reviewing));
  SUNBID_ASSIGN_OR_RETURN(std::optional<Commitment> c, commitment(db, tender, pending.purpose));
  if (!c) {
    return make_error(audit::kStorageError,
                      "补抽名单缺失 / the fresh draw's committed list is missing");
  }
  SUNBID_ASSIGN_OR_RETURN(
      DrawBasis basis, draw_basis(txn, tender, pending.purpose, c->fixed_index, beacon, beacon_date,
                                  is_rest_day, c->log_index));
  const auto& o = c->list;
  std::map<std::string, Expert> by_account;
  for (const auto& v : o.at("pool").as_array()) {
    Expert e = expert_of(v.as_object());
    by_account[e.account] = e;
  }
  std::vector<Expert> list;
  for (const auto& v : o.at("list").as_array()) {
    list.push_back(by_account.at(std::string(v.at("account").as_string())));
  }
  const auto seats = static_cast<std::size_t>(o.at("seats").to_number<std::int64_t>());
  const std::vector<SpecialtyQuota> quota = quotas_of(o.at("quota"));
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::size_t> positions,
                          draw_replacement_positions(list, quota, seats, basis.seed));
  SUNBID_TRY(clear_pending_draw(db, tender));
  SUNBID_TRY(record_draw(txn, tender, basis, pending.purpose, beacon, beacon_date));
  std::vector<std::string> members;
  boost::json::array positions_json;
  for (const auto p : positions) {
    members.push_back(list[p].account);
    positions_json.emplace_back(p);
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO eval_committee(tender_id, account, draw_order, status) VALUES "
                  "(?1, ?2, (SELECT COALESCE(MAX(draw_order), -1) + 1 FROM eval_committee "
                  "WHERE tender_id = ?1), 'member')"));
    ins->bind(1, tender).bind(2, list[p].account);
    SUNBID_TRY(ins->run());
  }
  boost::json::object payload;
  payload["payload_version"] = 1;
  payload["tender_id"] = tender;
  payload["draw"] = basis.json;
  payload["commitment_index"] = c->log_index;
  payload["pool"] = o.at("pool");
  payload["list"] = o.at("list");
  payload["inputs"] = {{"bidder_usccs", o.at("bidder_usccs")},
                       {"excluded_accounts", o.at("excluded_accounts")},
                       {"already_drawn", o.at("already_drawn")},
                       {"seats", seats},
                       {"quota", o.at("quota")}};
  payload["exclusions"] = o.at("exclusions");
  payload["eligible_count"] = list.size();
  payload["positions"] = std::move(positions_json);
  payload["members"] = string_array(members);
  SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                          draft_for(txn, supervisor, "committee.redrawn", tender));
  d.payload = payload;
  withhold_until_decision(d);
  StageResult out;
  SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
  out.next = "reviewing";
  // Seats vacated while this draw was pending wait for the next one, fixed
  // by this entry.
  SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> next,
                          open_replacement_if_vacant(txn, t, out.log_index));
  if (next) out.next = "draw:" + *next;
  out.record = std::move(payload);
  return out;
}

}  // namespace sunbid::eval::detail
