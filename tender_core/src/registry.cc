#include "tender_core/registry.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>
#include <set>

#include "audit_log/sha256.h"
#include "store.h"
#include "tender_core/time.h"
#include "tender_core/uscc.h"
#include "tender_store.h"

namespace sunbid::core {

namespace {

using audit::Statement;
using audit::WriteTxn;

Error tier_invalid(std::size_t item, std::string field, std::string why_zh, std::string why_en) {
  boost::json::object d;
  d["item"] = static_cast<std::int64_t>(item);
  d["field"] = field;
  return make_error("service_tier_invalid",
                    "服务等级无效：" + why_zh + " / invalid service tier: " + why_en, std::move(d));
}

Status check_tier(const ServiceTier& t, std::size_t item) {
  if (t.code.empty()) return tier_invalid(item, "code", "代码为空", "empty code");
  if (t.name.empty()) return tier_invalid(item, "name", "名称为空", "empty name");
  if (t.min_fen_per_m2_month < 0) {
    return tier_invalid(item, "min_fen_per_m2_month", "下限为负", "negative minimum");
  }
  if (t.max_fen_per_m2_month < t.min_fen_per_m2_month) {
    return tier_invalid(item, "max_fen_per_m2_month", "上限低于下限", "maximum below minimum");
  }
  std::set<std::string> seen;
  for (const auto& it : t.required_items) {
    if (it.empty() || !seen.insert(it).second) {
      return tier_invalid(item, "required_items", "必备项为空或重复", "empty or repeated item");
    }
  }
  if (t.menu_items.size() > kMaxMenuItems) {
    return tier_invalid(item, "menu_items", "菜单项超过30项", "more than 30 menu items");
  }
  std::set<std::string> menu;
  for (std::size_t i = 0; i < t.menu_items.size(); ++i) {
    const MenuItem& m = t.menu_items[i];
    const std::string at = "menu_items[" + std::to_string(i) + "]";
    if (m.code.empty() || m.code.size() > 64 || !menu.insert(m.code).second) {
      return tier_invalid(item, at + ".code", "菜单项代码为空、过长或重复",
                          "empty, too long or repeated menu item code");
    }
    if (m.name.empty()) return tier_invalid(item, at + ".name", "菜单项名称为空", "empty name");
    if (m.min_fen_per_m2_month < 0 || m.max_fen_per_m2_month < m.min_fen_per_m2_month) {
      return tier_invalid(item, at + ".max_fen_per_m2_month", "菜单项参考价区间无效",
                          "the menu item's reference price range is invalid");
    }
  }
  return ok_status();
}

boost::json::array menu_json(const std::vector<MenuItem>& items) {
  boost::json::array a;
  for (const auto& m : items) {
    a.push_back(boost::json::object{{"code", m.code},
                                    {"name", m.name},
                                    {"min_fen_per_m2_month", m.min_fen_per_m2_month},
                                    {"max_fen_per_m2_month", m.max_fen_per_m2_month}});
  }
  return a;
}

// The stored or sent menu: refuses service_tier_invalid (field menu_items...).
Result<std::vector<MenuItem>> menu_from_json(const boost::json::value& v, std::size_t item) {
  if (!v.is_array()) return tier_invalid(item, "menu_items", "应为数组", "array expected");
  std::vector<MenuItem> out;
  const auto& arr = v.get_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string at = "menu_items[" + std::to_string(i) + "]";
    const auto* o = arr[i].if_object();
    const boost::json::value* code = o ? o->if_contains("code") : nullptr;
    const boost::json::value* name = o ? o->if_contains("name") : nullptr;
    const boost::json::value* lo = o ? o->if_contains("min_fen_per_m2_month") : nullptr;
    const boost::json::value* hi = o ? o->if_contains("max_fen_per_m2_month") : nullptr;
    if (o == nullptr || o->size() != 4 || code == nullptr || !code->is_string() ||
        name == nullptr || !name->is_string() || lo == nullptr || !lo->is_int64() ||
        hi == nullptr || !hi->is_int64()) {
      return tier_invalid(item, at,
                          "应为 {code, name, min_fen_per_m2_month, max_fen_per_m2_month}",
                          "must be {code, name, min_fen_per_m2_month, max_fen_per_m2_month}");
    }
    out.push_back(MenuItem{std::string(code->get_string()), std::string(name->get_string()),
                           lo->get_int64(), hi->get_int64()});
  }
  return out;
}

// Whether an owners' vote of the community is open now.
Result<bool> vote_open(audit::Database& db, std::string_view community_id) {
  SUNBID_ASSIGN_OR_RETURN(
      auto n,
      detail::query_int(db,
                        "SELECT count(*) FROM tenders WHERE community_id = ? AND decision_method = "
                        "'owners_vote' AND (status = 'deciding' OR (status = 'suspended' AND "
                        "suspended_from = 'deciding'))",
                        community_id));
  return n.value_or(0) > 0;
}

}  // namespace

boost::json::object to_json(const ServiceTier& tier) {
  boost::json::object o;
  o["code"] = tier.code;
  o["name"] = tier.name;
  o["min_fen_per_m2_month"] = tier.min_fen_per_m2_month;
  o["max_fen_per_m2_month"] = tier.max_fen_per_m2_month;
  boost::json::array items;
  for (const auto& i : tier.required_items) items.emplace_back(i);
  o["required_items"] = std::move(items);
  if (!tier.menu_items.empty()) o["menu_items"] = menu_json(tier.menu_items);
  return o;
}

const MenuItem* find_menu_item(const ServiceTier& tier, std::string_view code) {
  for (const auto& m : tier.menu_items) {
    if (m.code == code) return &m;
  }
  return nullptr;
}

std::vector<MenuPriceFlag> menu_price_flags(
    const ServiceTier& tier, const std::map<std::string, std::int64_t>& item_prices) {
  std::vector<MenuPriceFlag> out;
  for (const auto& [item, price] : item_prices) {
    const MenuItem* m = find_menu_item(tier, item);
    if (m == nullptr) continue;
    if (price < m->min_fen_per_m2_month || price > m->max_fen_per_m2_month) {
      out.push_back({item, price, m->min_fen_per_m2_month, m->max_fen_per_m2_month});
    }
  }
  return out;
}

boost::json::array to_json(const std::vector<MenuPriceFlag>& flags) {
  boost::json::array a;
  for (const auto& f : flags) {
    a.push_back(boost::json::object{
        {"item", f.item},
        {"price_fen_per_m2_month", f.price_fen_per_m2_month},
        {"min_fen_per_m2_month", f.min_fen_per_m2_month},
        {"max_fen_per_m2_month", f.max_fen_per_m2_month},
        {"side", f.price_fen_per_m2_month < f.min_fen_per_m2_month ? "below" : "above"}});
  }
  return a;
}

Result<ServiceTier> service_tier_from_json(const boost::json::object& json) {
  ServiceTier t;
  static const std::set<std::string> kKnown = {"code", "name", "min_fen_per_m2_month",
                                               "max_fen_per_m2_month", "required_items",
                                               "menu_items"};
  for (const auto& kv : json) {
    if (!kKnown.count(std::string(kv.key()))) {
      return tier_invalid(0, std::string(kv.key()), "未知字段", "unknown field");
    }
  }
  auto str = [&](const char* k, std::string& out) -> Status {
    const auto* v = json.if_contains(k);
    if (v == nullptr || !v->is_string()) return tier_invalid(0, k, "应为字符串", "string expected");
    out = std::string(v->get_string());
    return ok_status();
  };
  auto num = [&](const char* k, std::int64_t& out) -> Status {
    const auto* v = json.if_contains(k);
    if (v == nullptr || !v->is_int64()) return tier_invalid(0, k, "应为整数", "integer expected");
    out = v->get_int64();
    return ok_status();
  };
  SUNBID_TRY(str("code", t.code));
  SUNBID_TRY(str("name", t.name));
  SUNBID_TRY(num("min_fen_per_m2_month", t.min_fen_per_m2_month));
  SUNBID_TRY(num("max_fen_per_m2_month", t.max_fen_per_m2_month));
  const auto* items = json.if_contains("required_items");
  if (items == nullptr || !items->is_array()) {
    return tier_invalid(0, "required_items", "应为数组", "array expected");
  }
  for (const auto& i : items->get_array()) {
    if (!i.is_string()) return tier_invalid(0, "required_items", "应为字符串", "string expected");
    t.required_items.emplace_back(i.get_string());
  }
  if (const auto* menu = json.if_contains("menu_items")) {
    SUNBID_ASSIGN_OR_RETURN(t.menu_items, menu_from_json(*menu, 0));
  }
  SUNBID_TRY(check_tier(t, 0));
  return t;
}

Result<Community> Registry::create_community(const Actor& actor, const CommunityInput& input) {
  for (const auto* f : {&input.name, &input.district, &input.street, &input.address}) {
    if (f->empty()) {
      return make_error("community_invalid",
                        "小区名称、区、街道、地址均不能为空 / name, district, street and address "
                        "are required");
    }
  }
  return ledger_.run<Community>([&](WriteTxn& txn) -> Result<Community> {
    SUNBID_ASSIGN_OR_RETURN(std::string id, detail::next_id(txn, "community", "C"));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        txn.db().cached("INSERT INTO communities(id, name, district, street, address, created_ms) "
                        "VALUES (?, ?, ?, ?, ?, ?)"));
    ins->bind(1, id).bind(2, input.name).bind(3, input.district).bind(4, input.street);
    ins->bind(5, input.address).bind(6, txn.now_ms());
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, "community.created", id));
    draft.payload["community_id"] = id;
    draft.payload["name"] = input.name;
    draft.payload["district"] = input.district;
    draft.payload["street"] = input.street;
    draft.payload["address"] = input.address;
    SUNBID_TRY(txn.append(draft));
    return Community{id, input.name, input.district, input.street, input.address, 0, {}};
  });
}

Result<RosterImport> Registry::import_roster(const Actor& actor, std::string_view community_id,
                                             std::string_view csv) {
  SUNBID_ASSIGN_OR_RETURN(Roster roster, parse_roster_csv(csv));
  const RosterTotals sums = totals(roster);
  const std::string csv_sha256 = hex_encode(sha256(csv));
  const std::string cid(community_id);
  return ledger_.run<RosterImport>([&](WriteTxn& txn) -> Result<RosterImport> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(
        auto version,
        detail::query_int(db, "SELECT roster_version FROM communities WHERE id = ?", cid));
    if (!version) return detail::not_found("community_not_found", "小区", "community", cid);
    SUNBID_ASSIGN_OR_RETURN(bool locked, vote_open(db, cid));
    if (!locked && roster_lock_hook_) {
      SUNBID_ASSIGN_OR_RETURN(locked, roster_lock_hook_(db, cid));
    }
    if (locked) {
      return make_error("roster_locked_by_vote",
                        "该小区业主表决进行中，不能更换名册 / an owners' vote of this community is "
                        "open; the roster cannot be replaced");
    }
    SUNBID_ASSIGN_OR_RETURN(Statement * del,
                            db.cached("DELETE FROM roster_units WHERE community_id = ?"));
    del->bind(1, cid);
    SUNBID_TRY(del->run());
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO roster_units(community_id, unit, area_centi_m2, owner_key, "
                  "owner_name, status) VALUES (?, ?, ?, ?, ?, ?)"));
    for (const Unit& u : roster.units) {
      ins->bind(1, cid).bind(2, u.unit).bind(3, u.area_centi_m2).bind(4, u.owner_key);
      ins->bind(5, u.owner_name).bind(6, u.status == UnitStatus::sold ? "sold" : "unsold");
      SUNBID_TRY(ins->run());
    }
    const std::int64_t new_version = *version + 1;
    SUNBID_ASSIGN_OR_RETURN(
        Statement * up,
        db.cached("UPDATE communities SET roster_version = ?, roster_sha256 = ?, units = ?, "
                  "total_area_centi_m2 = ?, owners_headcount = ? WHERE id = ?"));
    up->bind(1, new_version).bind(2, csv_sha256).bind(3, sums.units);
    up->bind(4, sums.total_area_centi_m2).bind(5, sums.owners_headcount).bind(6, cid);
    SUNBID_TRY(up->run());
    SUNBID_ASSIGN_OR_RETURN(auto draft,
                            detail::draft_for(txn, actor, "community.roster_imported", cid));
    draft.payload["community_id"] = cid;
    draft.payload["roster_version"] = new_version;
    draft.payload["roster_sha256"] = csv_sha256;
    draft.payload["units"] = sums.units;
    draft.payload["owners_headcount"] = sums.owners_headcount;
    draft.payload["total_area_centi_m2"] = sums.total_area_centi_m2;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(draft));
    for (const RosterHook& hook : roster_hooks_) SUNBID_TRY(hook(txn, cid, roster, actor));
    return RosterImport{sums, new_version, idx};
  });
}

Result<EnterpriseRegistered> Registry::register_enterprise(const Actor& actor,
                                                           const EnterpriseInput& input) {
  SUNBID_ASSIGN_OR_RETURN(UsccInfo info, validate_uscc(input.uscc));
  if (input.name.empty()) {
    return make_error("enterprise_invalid", "企业名称不能为空 / the enterprise name is required");
  }
  return ledger_.run<EnterpriseRegistered>([&](WriteTxn& txn) -> Result<EnterpriseRegistered> {
    SUNBID_ASSIGN_OR_RETURN(
        auto exists,
        detail::query_int(txn.db(), "SELECT 1 FROM enterprises WHERE uscc = ?", input.uscc));
    if (exists) {
      return make_error("enterprise_exists",
                        "该统一社会信用代码已登记 / an enterprise with this USCC is registered",
                        {{"uscc", input.uscc}});
    }
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        txn.db().cached("INSERT INTO enterprises(uscc, name, pilot_exception, created_ms) "
                        "VALUES (?, ?, ?, ?)"));
    ins->bind(1, input.uscc).bind(2, input.name);
    ins->bind(3, std::int64_t{info.pilot_exception ? 1 : 0}).bind(4, txn.now_ms());
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, "enterprise.registered", ""));
    draft.payload["uscc"] = input.uscc;
    draft.payload["name"] = input.name;
    draft.payload["pilot_exception"] = info.pilot_exception;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx, txn.append(draft));
    return EnterpriseRegistered{input.uscc, info.pilot_exception, info.warning, idx};
  });
}

Result<std::uint64_t> Registry::record_ratings(const Actor& actor,
                                               const std::vector<RatingInput>& items) {
  if (items.empty()) {
    return make_error("ratings_empty", "评价记录为空 / no rating records given");
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto st = validate_rating(items[i].rating, scale_);
    if (!st.ok()) {
      Error e = std::move(st).error();
      e.details["item"] = static_cast<std::int64_t>(i);
      return e;
    }
  }
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    boost::json::array logged;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& it = items[i];
      SUNBID_ASSIGN_OR_RETURN(
          auto exists, detail::query_int(db, "SELECT 1 FROM enterprises WHERE uscc = ?", it.uscc));
      if (!exists) {
        Error e = detail::not_found("enterprise_not_found", "企业", "enterprise", it.uscc);
        e.details["item"] = static_cast<std::int64_t>(i);
        return e;
      }
      SUNBID_ASSIGN_OR_RETURN(std::string seq, detail::next_id(txn, "rating", ""));
      SUNBID_ASSIGN_OR_RETURN(
          Statement * ins,
          db.cached("INSERT INTO ratings(uscc, effective_from_ms, seq, credit_grade, "
                    "credit_score, star_rating, blacklisted, recorded_ms) VALUES (?, ?, ?, ?, ?, "
                    "?, ?, ?)"));
      ins->bind(1, it.uscc).bind(2, it.rating.effective_from_ms).bind(3, std::stoll(seq));
      ins->bind(4, it.rating.credit_grade).bind(5, std::int64_t{it.rating.credit_score});
      ins->bind(6, std::int64_t{it.rating.star_rating});
      ins->bind(7, std::int64_t{it.rating.blacklisted ? 1 : 0}).bind(8, txn.now_ms());
      SUNBID_TRY(ins->run());
      boost::json::object o;
      o["uscc"] = it.uscc;
      o["credit_grade"] = it.rating.credit_grade;
      o["credit_score"] = it.rating.credit_score;
      o["star_rating"] = it.rating.star_rating;
      o["blacklisted"] = it.rating.blacklisted;
      o["effective_from_ms"] = it.rating.effective_from_ms;
      logged.push_back(std::move(o));
    }
    SUNBID_ASSIGN_OR_RETURN(auto draft,
                            detail::draft_for(txn, actor, "registry.ratings_recorded", ""));
    draft.payload["items"] = std::move(logged);
    return txn.append(draft);
  });
}

Result<std::uint64_t> Registry::replace_service_tiers(const Actor& actor,
                                                      const std::vector<ServiceTier>& tiers) {
  std::set<std::string> codes;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    SUNBID_TRY(check_tier(tiers[i], i));
    if (!codes.insert(tiers[i].code).second) {
      return tier_invalid(i, "code", "代码重复", "repeated code");
    }
  }
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_TRY(db.exec("DELETE FROM service_tiers"));
    boost::json::array logged;
    for (const auto& t : tiers) {
      boost::json::array items;
      for (const auto& i : t.required_items) items.emplace_back(i);
      // A tier without a menu leaves menu_items to its default ('[]'): the
      // statement of the files before migration 33.
      SUNBID_ASSIGN_OR_RETURN(
          Statement * ins,
          db.cached(t.menu_items.empty()
                        ? "INSERT INTO service_tiers(code, name, min_fen_per_m2_month, "
                          "max_fen_per_m2_month, required_items) VALUES (?, ?, ?, ?, ?)"
                        : "INSERT INTO service_tiers(code, name, min_fen_per_m2_month, "
                          "max_fen_per_m2_month, required_items, menu_items) "
                          "VALUES (?, ?, ?, ?, ?, ?)"));
      ins->bind(1, t.code).bind(2, t.name).bind(3, t.min_fen_per_m2_month);
      ins->bind(4, t.max_fen_per_m2_month).bind(5, boost::json::serialize(items));
      if (!t.menu_items.empty()) ins->bind(6, boost::json::serialize(menu_json(t.menu_items)));
      SUNBID_TRY(ins->run());
      logged.push_back(to_json(t));
    }
    SUNBID_ASSIGN_OR_RETURN(auto draft,
                            detail::draft_for(txn, actor, "registry.service_tiers_replaced", ""));
    draft.payload["items"] = std::move(logged);
    return txn.append(draft);
  });
}

Result<Community> Registry::community(audit::Database& db, std::string_view id) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT name, district, street, address, roster_version, units, "
                "total_area_centi_m2, owners_headcount FROM communities WHERE id = ?"));
  st->bind(1, id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return detail::not_found("community_not_found", "小区", "community", id);
  }
  Community c;
  c.id = std::string(id);
  c.name = std::string(st->column_text(0));
  c.district = std::string(st->column_text(1));
  c.street = std::string(st->column_text(2));
  c.address = std::string(st->column_text(3));
  c.roster_version = st->column_int64(4);
  c.totals.units = st->column_int64(5);
  c.totals.total_area_centi_m2 = st->column_int64(6);
  c.totals.owners_headcount = st->column_int64(7);
  st->reset();
  return c;
}

Result<bool> Registry::owner_on_roster(audit::Database& db, std::string_view community_id,
                                       std::string_view owner_key) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT 1 FROM roster_units WHERE community_id = ? AND owner_key = ? LIMIT 1"));
  st->bind(1, community_id).bind(2, owner_key);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  st->reset();
  return row;
}

Result<std::vector<Unit>> Registry::roster_units(audit::Database& db,
                                                 std::string_view community_id) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT unit, area_centi_m2, owner_key, owner_name, status FROM roster_units "
                "WHERE community_id = ? ORDER BY unit"));
  st->bind(1, community_id);
  std::vector<Unit> out;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    Unit u;
    u.unit = std::string(st->column_text(0));
    u.area_centi_m2 = st->column_int64(1);
    u.owner_key = std::string(st->column_text(2));
    u.owner_name = std::string(st->column_text(3));
    u.status = st->column_text(4) == "unsold" ? UnitStatus::unsold : UnitStatus::sold;
    out.push_back(std::move(u));
  }
  st->reset();
  return out;
}

Result<bool> Registry::enterprise_registered(audit::Database& db, std::string_view uscc) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT 1 FROM enterprises WHERE uscc = ?"));
  st->bind(1, uscc);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  st->reset();
  return row;
}

Result<std::optional<std::string>> Registry::enterprise_name(audit::Database& db,
                                                             std::string_view uscc) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT name FROM enterprises WHERE uscc = ?"));
  st->bind(1, uscc);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<std::string> name;
  if (row) name = std::string(st->column_text(0));
  st->reset();
  return name;
}

Result<std::optional<CreditRating>> Registry::rating_as_of(
    audit::Database& db, std::string_view uscc, std::int64_t at_ms,
    std::optional<std::int64_t> known_at_ms) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT credit_grade, credit_score, star_rating, blacklisted, effective_from_ms "
                "FROM ratings WHERE uscc = ? AND effective_from_ms <= ? AND recorded_ms <= ? "
                "ORDER BY effective_from_ms DESC, seq DESC LIMIT 1"));
  st->bind(1, uscc).bind(2, at_ms).bind(
      3, known_at_ms.value_or(std::numeric_limits<std::int64_t>::max()));
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<CreditRating> out;
  if (row) {
    CreditRating r;
    r.credit_grade = std::string(st->column_text(0));
    r.credit_score = static_cast<std::int32_t>(st->column_int64(1));
    r.star_rating = static_cast<std::int32_t>(st->column_int64(2));
    r.blacklisted = st->column_int64(3) != 0;
    r.effective_from_ms = st->column_int64(4);
    out = std::move(r);
  }
  st->reset();
  return out;
}

Result<std::vector<ServiceTier>> Registry::service_tiers(audit::Database& db) {
  // A file before migration 33 has no menu_items column (tests open such
  // files with today's registry): its tiers have no menu.
  auto with_menu = db.cached(
      "SELECT code, name, min_fen_per_m2_month, max_fen_per_m2_month, required_items, menu_items "
      "FROM service_tiers ORDER BY code");
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      with_menu.ok() ? std::move(with_menu)
                     : db.cached("SELECT code, name, min_fen_per_m2_month, max_fen_per_m2_month, "
                                 "required_items, '[]' FROM service_tiers ORDER BY code"));
  std::vector<ServiceTier> out;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    ServiceTier t;
    t.code = std::string(st->column_text(0));
    t.name = std::string(st->column_text(1));
    t.min_fen_per_m2_month = st->column_int64(2);
    t.max_fen_per_m2_month = st->column_int64(3);
    boost::system::error_code ec;
    auto items = boost::json::parse(st->column_text(4), ec);
    if (ec || !items.is_array()) {
      st->reset();
      return make_error(audit::kStorageError, "服务等级数据损坏 / stored tier items are corrupt");
    }
    for (const auto& i : items.get_array()) {
      if (i.is_string()) t.required_items.emplace_back(i.get_string());
    }
    auto menu = menu_from_json(boost::json::parse(st->column_text(5), ec), 0);
    if (ec || !menu.ok()) {
      st->reset();
      return make_error(audit::kStorageError, "服务等级菜单数据损坏 / stored tier menu is corrupt");
    }
    t.menu_items = std::move(menu).value();
    out.push_back(std::move(t));
  }
  st->reset();
  return out;
}

Result<std::optional<ServiceTier>> Registry::service_tier(audit::Database& db,
                                                          std::string_view code) {
  SUNBID_ASSIGN_OR_RETURN(auto all, service_tiers(db));
  for (auto& t : all) {
    if (t.code == code) return std::optional<ServiceTier>(std::move(t));
  }
  return std::optional<ServiceTier>();
}

namespace {

// A publicity window (calendar days) open at `now_ms`: its end as the
// stored calendar history computes it.
struct OpenPublicity {
  std::string tender_id;
  std::string_view period;  // candidate_publicity | award_publicity
  std::int64_t ends_ms = 0;
};

Result<std::vector<OpenPublicity>> open_publicity(audit::Database& db, std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      db.query_strings("SELECT id FROM tenders WHERE status IN ('candidates_publicized', "
                       "'award_publicized') OR (status = 'suspended' AND suspended_from IN "
                       "('candidates_publicized', 'award_publicized')) ORDER BY id",
                       {}));
  std::vector<OpenPublicity> out;
  for (const auto& id : ids) {
    SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender_state(db, id));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    const TenderStatus stage = row.status == TenderStatus::suspended && row.suspended_from
                                   ? *row.suspended_from
                                   : row.status;
    const bool candidates = stage == TenderStatus::candidates_publicized;
    const auto end = candidates ? candidate_publicity_end_ms(t) : award_publicity_end_ms(t);
    if (!end || *end <= now_ms) continue;  // unknown while suspended, or over
    out.push_back({id, candidates ? "candidate_publicity" : "award_publicity", *end});
  }
  return out;
}

}  // namespace

Result<CalendarSet> Registry::replace_calendar(const Actor& actor,
                                               const HolidayCalendar& calendar) {
  SUNBID_TRY(validate_calendar(calendar));
  return ledger_.run<CalendarSet>([&](WriteTxn& txn) -> Result<CalendarSet> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(
        std::int64_t last,
        db.query_int64("SELECT coalesce(max(version), 0) FROM calendar_versions"));
    HolidayCalendar c = calendar;
    c.version = last + 1;
    SUNBID_ASSIGN_OR_RETURN(std::vector<OpenPublicity> before, open_publicity(db, txn.now_ms()));
    const boost::json::object json = to_json(c);
    CalendarSet out{c.version, txn.now_ms(), txn.log_size()};
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO calendar_versions(version, set_ms, holidays, working_days, "
                  "log_index) VALUES (?, ?, ?, ?, ?)"));
    ins->bind(1, c.version).bind(2, out.set_ms);
    ins->bind(3, boost::json::serialize(json.at("holidays")));
    ins->bind(4, boost::json::serialize(json.at("working_days")));
    ins->bind(5, static_cast<std::int64_t>(out.log_index));
    SUNBID_TRY(ins->run());
    SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, "calendar.replaced", ""));
    draft.payload = json;
    draft.payload["effective_from"] = format_rfc3339_ms(out.set_ms);
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(draft));
    // Open publicity windows follow the calendar's history (never earlier):
    // each one the new version extends is announced on its tender.
    SUNBID_ASSIGN_OR_RETURN(std::vector<OpenPublicity> after, open_publicity(db, txn.now_ms()));
    for (const auto& b : before) {
      const auto a = std::find_if(after.begin(), after.end(), [&](const OpenPublicity& x) {
        return x.tender_id == b.tender_id;
      });
      if (a == after.end() || a->ends_ms <= b.ends_ms) continue;
      SUNBID_ASSIGN_OR_RETURN(auto d,
                              detail::draft_for(txn, actor, "tender.period_extended", b.tender_id));
      d.tender = b.tender_id;
      d.payload = {{"tender_id", b.tender_id},
                   {"period", b.period},
                   {"old_ends_at", format_rfc3339_ms(b.ends_ms)},
                   {"ends_at", format_rfc3339_ms(a->ends_ms)},
                   {"calendar_version", c.version}};
      SUNBID_TRY(txn.append(d));
    }
    if (calendar_hook_) SUNBID_TRY(calendar_hook_(txn, out));
    return out;
  });
}

Result<HolidayCalendar> Registry::calendar(audit::Database& db) {
  SUNBID_ASSIGN_OR_RETURN(CalendarHistory h, detail::load_calendar_history(db));
  return h.current();
}

Result<CalendarHistory> Registry::calendar_history(audit::Database& db) {
  return detail::load_calendar_history(db);
}

}  // namespace sunbid::core
