#include "accounts/access_record.h"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "audit_log/canonical_json.h"
#include "audit_log/sha256.h"
#include "audit_log/time_format.h"

namespace sunbid::accounts {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000;  // Asia/Shanghai: UTC+8, no DST

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The newest record (seq, hash), or nullopt when the record is empty.
Result<std::optional<std::pair<std::uint64_t, Hash>>> head_row(audit::Database& db,
                                                               std::optional<std::int64_t> before) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * q,
      db.cached(before ? "SELECT seq, hash FROM access_record WHERE time_ms < ? "
                         "ORDER BY seq DESC LIMIT 1"
                       : "SELECT seq, hash FROM access_record ORDER BY seq DESC LIMIT 1"));
  if (before) q->bind(1, *before);
  SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
  std::optional<std::pair<std::uint64_t, Hash>> out;
  if (row) {
    auto blob = q->column_blob(1);
    Hash h{};
    if (blob.size() != h.size()) {
      q->reset();
      return make_error("access_record_corrupt", "访问记录哈希长度错误 / bad access record hash");
    }
    std::copy(blob.begin(), blob.end(), h.begin());
    out.emplace(static_cast<std::uint64_t>(q->column_int64(0)), h);
  }
  q->reset();
  return out;
}

}  // namespace

std::string china_date(std::int64_t ms) {
  return format_rfc3339_ms(floor_div(ms + kChinaOffsetMs, kDayMs) * kDayMs).substr(0, 10);
}

std::int64_t china_day_start_ms(std::int64_t ms) {
  return floor_div(ms + kChinaOffsetMs, kDayMs) * kDayMs - kChinaOffsetMs;
}

Result<std::uint64_t> append_access_record(audit::WriteTxn& txn, const AccessEvent& event) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(auto head, head_row(db, std::nullopt));
  const std::uint64_t seq = head ? head->first + 1 : 0;
  const Hash prev = head ? head->second : Hash{};
  const std::int64_t now = txn.now_ms();
  boost::json::object r;
  r["account"] = event.account;
  r["event"] = event.event;
  if (event.expires_ms) r["expires_ms"] = *event.expires_ms;
  r["prev"] = hex_encode(prev);
  r["role"] = event.role;
  r["seq"] = static_cast<std::int64_t>(seq);
  if (event.client_address) {
    // Platform-wide salted digest: supervisors can open it (personal_data).
    SUNBID_ASSIGN_OR_RETURN(std::string d,
                            txn.personal_digest("network_address", *event.client_address, ""));
    r["source"] = d;
  } else {
    r["source"] = nullptr;
  }
  r["time"] = format_rfc3339_ms(now);
  SUNBID_ASSIGN_OR_RETURN(std::string bytes, audit::to_canonical_json(r));
  const Hash hash = sha256(bytes);
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * ins,
      db.cached("INSERT INTO access_record(seq, time_ms, record, hash) VALUES (?, ?, ?, ?)"));
  ins->bind(1, static_cast<std::int64_t>(seq))
      .bind(2, now)
      .bind_blob(3, std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()))
      .bind_blob(4, hash);
  SUNBID_TRY(ins->run());
  return seq;
}

Result<std::optional<std::string>> last_committed_day(audit::Database& db) {
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * q,
                          db.cached("SELECT max(day) FROM access_record_commits"));
  SUNBID_ASSIGN_OR_RETURN(bool row, q->step());
  std::optional<std::string> out;
  if (row && !q->column_is_null(0)) out = std::string(q->column_text(0));
  q->reset();
  return out;
}

Result<bool> commit_access_record_day(audit::WriteTxn& txn, std::int64_t now_ms) {
  auto& db = txn.db();
  // The last China day that has ended: the one before today's.
  const std::int64_t today_start = china_day_start_ms(now_ms);
  const std::string day = china_date(today_start - 1);
  SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> last, last_committed_day(db));
  if (last && *last >= day) return false;
  SUNBID_ASSIGN_OR_RETURN(auto head, head_row(db, today_start));
  if (!head) return false;  // nothing recorded before that day's end
  audit::EntryDraft d;      // the system's entry: no actor, no source
  d.type = "access_record.committed";
  d.payload["day"] = day;
  d.payload["head_sha256"] = hex_encode(head->second);
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t index, txn.append(d));
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * ins,
      db.cached(
          "INSERT INTO access_record_commits(day, seq, head, log_index) VALUES (?, ?, ?, ?)"));
  ins->bind(1, day)
      .bind(2, static_cast<std::int64_t>(head->first))
      .bind_blob(3, head->second)
      .bind(4, static_cast<std::int64_t>(index));
  SUNBID_TRY(ins->run());
  return true;
}

Result<AccessRecordPage> read_access_record(audit::Database& db, std::uint64_t start,
                                            std::uint64_t limit) {
  AccessRecordPage page;
  audit::ReadTxn txn(db);  // one snapshot; ended on every path
  SUNBID_TRY(txn.begun());
  auto body = [&]() -> Status {
    SUNBID_ASSIGN_OR_RETURN(auto head, head_row(db, std::nullopt));
    if (head) {
      page.size = head->first + 1;
      page.head = head->second;
    }
    SUNBID_ASSIGN_OR_RETURN(
        audit::Statement * q,
        db.cached("SELECT seq, record, hash FROM access_record WHERE seq >= ? AND seq < ? "
                  "ORDER BY seq"));
    q->bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(start, INT64_MAX)))
        .bind(2, static_cast<std::int64_t>(std::min<std::uint64_t>(start + limit, INT64_MAX)));
    for (;;) {
      auto row = q->step();
      if (!row.ok()) {
        q->reset();
        return std::move(row).error();
      }
      if (!*row) break;
      AccessRecordItem it;
      it.seq = static_cast<std::uint64_t>(q->column_int64(0));
      auto rec = q->column_blob(1);
      it.record.assign(reinterpret_cast<const char*>(rec.data()), rec.size());
      auto h = q->column_blob(2);
      if (h.size() == it.hash.size()) std::copy(h.begin(), h.end(), it.hash.begin());
      page.items.push_back(std::move(it));
    }
    q->reset();
    return {};
  };
  SUNBID_TRY(body());
  return page;
}

Result<Hash> verify_access_record(audit::Database& db) {
  SUNBID_ASSIGN_OR_RETURN(audit::Statement q,
                          db.prepare("SELECT seq, record, hash FROM access_record ORDER BY seq"));
  Hash prev{};
  std::uint64_t expected = 0;
  auto corrupt = [](std::uint64_t seq, std::string_view why) {
    return make_error("access_record_corrupt",
                      fmt::format("访问记录 {} 无效 / access record {}: {}", seq, seq, why),
                      {{"seq", static_cast<std::int64_t>(seq)}});
  };
  for (;;) {
    SUNBID_ASSIGN_OR_RETURN(bool row, q.step());
    if (!row) break;
    const auto seq = static_cast<std::uint64_t>(q.column_int64(0));
    if (seq != expected) return corrupt(expected, "missing");
    auto blob = q.column_blob(1);
    std::string_view bytes(reinterpret_cast<const char*>(blob.data()), blob.size());
    if (!audit::check_canonical(bytes).ok()) return corrupt(seq, "not canonical JSON");
    boost::json::value v = boost::json::parse(bytes);
    const auto* p = v.as_object().if_contains("prev");
    const auto* s = v.as_object().if_contains("seq");
    if (!p || !p->is_string() || p->as_string() != hex_encode(prev)) {
      return corrupt(seq, "chain link broken");
    }
    if (!s || !s->is_int64() || s->as_int64() != static_cast<std::int64_t>(seq)) {
      return corrupt(seq, "carries another seq");
    }
    prev = sha256(bytes);
    auto stored = q.column_blob(2);
    if (stored.size() != prev.size() || !std::equal(prev.begin(), prev.end(), stored.begin())) {
      return corrupt(seq, "stored hash differs");
    }
    ++expected;
  }
  return prev;
}

}  // namespace sunbid::accounts
