#include "store.h"

#include "audit_log/sha256.h"

namespace sunbid::core::detail {

Result<std::string> next_id(audit::WriteTxn& txn, std::string_view counter,
                            std::string_view prefix) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * up,
      txn.db().cached("INSERT INTO core_counters(name, next) VALUES (?, 1) "
                      "ON CONFLICT(name) DO UPDATE SET next = next + 1 RETURNING next"));
  up->bind(1, counter);
  SUNBID_ASSIGN_OR_RETURN(bool row, up->step());
  if (!row) return make_error(audit::kStorageError, "计数器错误 / counter update returned no row");
  std::string id = std::string(prefix) + std::to_string(up->column_int64(0));
  up->reset();
  return id;
}

Result<audit::EntryDraft> draft_for(audit::WriteTxn& /*txn*/, const Actor& actor,
                                    std::string_view type, std::string_view scope) {
  audit::EntryDraft d;
  d.actor = actor.account;
  d.role = actor.role;
  d.type = std::string(type);
  if (!actor.source_address.empty()) {
    // Digested at append with a salt of the entry's own (entry_format.h).
    d.source_address = actor.source_address;
    d.source_scope = std::string(scope);
  }
  return d;
}

audit::EntryDraft system_draft(std::string_view type) {
  audit::EntryDraft d;
  d.type = std::string(type);
  return d;
}

Error not_found(std::string code, std::string_view zh, std::string_view en, std::string_view id) {
  boost::json::object details;
  details["id"] = id;
  return make_error(
      std::move(code),
      std::string(zh) + "不存在 / no such " + std::string(en) + ": " + std::string(id),
      std::move(details));
}

Result<std::optional<std::int64_t>> query_int(audit::Database& db, std::string_view sql,
                                              std::string_view param) {
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * st, db.cached(sql));
  st->bind(1, param);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<std::int64_t> out;
  if (row && !st->column_is_null(0)) out = st->column_int64(0);
  st->reset();
  return out;
}

Result<std::string> tables_digest(audit::Database& db) {
  static constexpr std::string_view kTables[] = {
      "core_counters",     "communities",    "roster_units",      "enterprises",
      "ratings",           "service_tiers",  "tenders",           "tender_suspensions",
      "tender_amendments", "bid_versions",   "bid_current",       "bid_reveals",
      "rating_snapshots",  "opening_rows",   "tender_candidates", "objections",
      "bid_merge",         "audit_withheld", "calendar_versions", "tender_contracts"};
  Sha256 h;
  for (std::string_view table : kTables) {
    SUNBID_ASSIGN_OR_RETURN(audit::Statement cols,
                            db.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid"));
    cols.bind(1, table);
    std::string expr;
    for (;;) {
      SUNBID_ASSIGN_OR_RETURN(bool row, cols.step());
      if (!row) break;
      if (!expr.empty()) expr += " || ',' || ";
      expr += "quote(\"" + std::string(cols.column_text(0)) + "\")";
    }
    // Table and column names come from the fixed list above and the schema,
    // never from input.
    SUNBID_ASSIGN_OR_RETURN(audit::Statement st, db.prepare("SELECT " + expr + " FROM " +
                                                            std::string(table) + " ORDER BY 1"));
    h.update(table);
    h.update(std::string_view("\n"));
    for (;;) {
      SUNBID_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      h.update(st.column_text(0));
      h.update(std::string_view("\n"));
    }
  }
  return hex_encode(h.finish());
}

}  // namespace sunbid::core::detail
