#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "audit_log/error_codes.h"
#include "audit_log/log_store.h"
#include "ocds_json.h"
#include "ocds_release.h"
#include "publication/ocds.h"

namespace sunbid::publication {

namespace json = boost::json;
using audit::Statement;

std::vector<audit::Migration> publication_migrations() {
  return {{25, "publication_ocds",
           R"sql(
CREATE TABLE ocds_releases (
  log_index    INTEGER PRIMARY KEY,
  tender_id    TEXT NOT NULL,
  release_json TEXT NOT NULL,
  state_json   TEXT NOT NULL
);
CREATE INDEX ocds_releases_by_tender ON ocds_releases(tender_id, log_index);
CREATE TRIGGER ocds_releases_no_update BEFORE UPDATE ON ocds_releases
BEGIN SELECT RAISE(ABORT, 'OCDS releases are immutable'); END;
CREATE TABLE ocds_cursor (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  next_index INTEGER NOT NULL
);
INSERT INTO ocds_cursor(id, next_index) VALUES (1, 0);
)sql"}};
}

namespace {

// The stage types a release comes from (ocds_release.cc); other entries are
// passed over without a parse.
bool maybe_stage(std::string_view bytes) {
  for (std::string_view t :
       {"\"type\":\"tender.published\"", "\"type\":\"tender.amended\"",
        "\"type\":\"tender.opened\"", "\"type\":\"decision.made\"", "\"type\":\"tender.awarded\"",
        "\"type\":\"contract.recorded\"", "\"type\":\"draw.made\"", "\"type\":\"tender.failed\"", "\"type\":\"tender.cancelled\"",
        "\"type\":\"document.published\""}) {
    if (bytes.find(t) != std::string_view::npos) return true;
  }
  return false;
}

Error corrupt() {
  return make_error(audit::kStorageError, "存储的开放数据损坏 / a stored OCDS release is corrupt");
}

Result<std::optional<json::object>> last_state(audit::Database& db, std::string_view tender) {
  SUNBID_ASSIGN_OR_RETURN(Statement * q,
                          db.cached("SELECT state_json FROM ocds_releases WHERE tender_id = ? "
                                    "ORDER BY log_index DESC LIMIT 1"));
  q->bind(1, tender);
  SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
  std::optional<json::object> out;
  if (row) {
    boost::system::error_code ec;
    json::value v = json::parse(q->column_text(0), ec);
    if (ec || !v.is_object()) {
      q->reset();
      return corrupt();
    }
    out = std::move(v.as_object());
  }
  q->reset();
  return out;
}

}  // namespace

Result<std::size_t> OcdsPublisher::catch_up(audit::Ledger& ledger, std::size_t max_entries) const {
  if (caught_up(ledger)) return std::size_t{0};
  {
    // Most ticks find nothing new: tell that from a reader, not a command.
    SUNBID_ASSIGN_OR_RETURN(auto lease, ledger.reader());
    SUNBID_ASSIGN_OR_RETURN(Statement * q,
                            lease.db().cached("SELECT next_index FROM ocds_cursor WHERE id = 1"));
    SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
    const std::int64_t cursor = row ? q->column_int64(0) : 0;
    q->reset();
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t size, audit::log_size(lease.db()));
    advance_cursor(static_cast<std::uint64_t>(cursor));
    if (static_cast<std::uint64_t>(cursor) >= size) return std::size_t{0};
  }
  std::size_t made_total = 0;
  for (;;) {
    struct Step {
      std::size_t made = 0;
      bool more = false;
      std::uint64_t end = 0;  // the cursor after the command
    };
    SUNBID_ASSIGN_OR_RETURN(Step step, ledger.run<Step>([&](audit::WriteTxn& txn) -> Result<Step> {
      auto& db = txn.db();
      SUNBID_ASSIGN_OR_RETURN(std::int64_t cursor,
                              db.query_int64("SELECT next_index FROM ocds_cursor WHERE id = 1"));
      const std::uint64_t start = static_cast<std::uint64_t>(cursor);
      const std::uint64_t size = txn.log_size();
      if (start >= size) return Step{0, false, start};
      const std::uint64_t end = std::min<std::uint64_t>(size, start + max_entries);
      SUNBID_ASSIGN_OR_RETURN(std::vector<audit::StoredEntry> entries,
                              audit::read_entries(db, start, end));
      Step out;
      for (const auto& e : entries) {
        // Withheld entries (a draft's, a sealed bid's) are never stages of a
        // published tender's record: a published tender's stage entries are
        // public when appended (docs/ocds.md).
        if (audit::withheld_at(e, txn.now_ms()) || !maybe_stage(e.bytes)) continue;
        // A document withheld when published (the seat-numbered 评标报告
        // until the decision) is never linked: whether the catch-up ran
        // before or after its release must not change a release, and the
        // decision publishes the report with the members' names, public.
        if (e.release_at_ms && e.bytes.find("\"type\":\"document.published\"") != std::string::npos) {
          continue;
        }
        boost::system::error_code ec;
        json::value v = json::parse(e.bytes, ec);
        if (ec || !v.is_object()) return corrupt();
        const json::object& entry = v.as_object();
        const auto* tender = entry.if_contains("tender");
        if (tender == nullptr || !tender->is_string()) continue;
        SUNBID_ASSIGN_OR_RETURN(std::optional<json::object> prev,
                                last_state(db, tender->as_string()));
        SUNBID_ASSIGN_OR_RETURN(
            std::optional<json::object> release,
            detail::next_release(db, settings_, prev ? &*prev : nullptr, entry));
        if (!release) continue;
        SUNBID_ASSIGN_OR_RETURN(std::string text, serialize_release(*release));
        SUNBID_ASSIGN_OR_RETURN(
            Statement * ins,
            db.cached("INSERT INTO ocds_releases(log_index, tender_id, release_json, state_json) "
                      "VALUES (?, ?, ?, ?)"));
        ins->bind(1, static_cast<std::int64_t>(e.index)).bind(2, tender->as_string());
        ins->bind(3, text).bind(4, json::serialize(*release));
        SUNBID_TRY(ins->run());
        ++out.made;
      }
      SUNBID_ASSIGN_OR_RETURN(Statement * up,
                              db.cached("UPDATE ocds_cursor SET next_index = ? WHERE id = 1"));
      up->bind(1, static_cast<std::int64_t>(end));
      SUNBID_TRY(up->run());
      out.more = end < size;
      out.end = end;
      return out;
    }));
    made_total += step.made;
    advance_cursor(step.end);
    if (!step.more) return made_total;
  }
}

Result<ReleasePage> OcdsPublisher::releases_after(audit::Database& db,
                                                  std::optional<std::uint64_t> after,
                                                  std::size_t limit) {
  SUNBID_ASSIGN_OR_RETURN(Statement * q,
                          db.cached("SELECT log_index, tender_id, release_json FROM ocds_releases "
                                    "WHERE log_index > ? ORDER BY log_index LIMIT ?"));
  q->bind(1, after ? static_cast<std::int64_t>(*after) : std::int64_t{-1});
  q->bind(2, static_cast<std::int64_t>(limit + 1));
  ReleasePage page;
  page.next_after = after.value_or(0);
  for (;;) {
    auto row = q->step();
    if (!row.ok()) {
      q->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    if (page.releases.size() == limit) {
      page.more = true;
      break;
    }
    StoredRelease r;
    r.log_index = static_cast<std::uint64_t>(q->column_int64(0));
    r.tender_id = std::string(q->column_text(1));
    r.json = std::string(q->column_text(2));
    page.next_after = r.log_index;
    page.releases.push_back(std::move(r));
  }
  q->reset();
  return page;
}

Result<std::vector<StoredRelease>> OcdsPublisher::tender_releases(audit::Database& db,
                                                                  std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(Statement * q,
                          db.cached("SELECT log_index, release_json FROM ocds_releases WHERE "
                                    "tender_id = ? ORDER BY log_index"));
  q->bind(1, tender_id);
  std::vector<StoredRelease> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) {
      q->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    out.push_back({static_cast<std::uint64_t>(q->column_int64(0)), std::string(tender_id),
                   std::string(q->column_text(1))});
  }
  q->reset();
  return out;
}

namespace {

std::string package_head(const OcdsSettings& s, std::string_view uri, std::string_view published) {
  std::string out = "{\"uri\":";
  out += json::serialize(json::value(json::string_view(uri)));
  out += ",\"version\":\"1.1\",\"publishedDate\":";
  out += json::serialize(json::value(json::string_view(published)));
  out += ",\"publisher\":";
  out += json::serialize(
      json::value(json::object{{"name", s.publisher_name}, {"uri", s.public_base_url}}));
  out += ",\"extensions\":[";
  out += json::serialize(json::value(json::string_view(kBidsExtensionUrl)));
  out += "],\"releases\":[";
  return out;
}

}  // namespace

std::string OcdsPublisher::package(const std::vector<StoredRelease>& releases, std::string_view uri,
                                   std::string_view published_date) const {
  std::string out = package_head(settings_, uri, published_date);
  for (std::size_t i = 0; i < releases.size(); ++i) {
    if (i) out += ',';
    out += releases[i].json;
  }
  out += "]}";
  return out;
}

Status OcdsPublisher::export_all(audit::Database& db, std::ostream& out) const {
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> last,
      db.query_strings("SELECT release_json FROM ocds_releases ORDER BY log_index DESC LIMIT 1",
                       {}));
  std::string published = "1970-01-01T00:00:00Z";
  if (!last.empty()) {
    boost::system::error_code ec;
    json::value v = json::parse(last.front(), ec);
    if (ec || !v.is_object() || !v.as_object().contains("date")) return corrupt();
    published = std::string(v.as_object().at("date").as_string());
  }
  out << package_head(settings_, settings_.public_base_url + "/api/v1/ocds/export", published);
  SUNBID_ASSIGN_OR_RETURN(Statement st,
                          db.prepare("SELECT release_json FROM ocds_releases ORDER BY log_index"));
  bool first = true;
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    if (!first) out << ',';
    first = false;
    out << st.column_text(0);
  }
  out << "]}\n";
  if (!out) return make_error("export_failed", "写出失败 / writing the export failed");
  return ok_status();
}

}  // namespace sunbid::publication
