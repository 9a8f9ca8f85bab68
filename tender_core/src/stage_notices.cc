// The sources of the documents published after the bid deadline (issue 14
// §1, docs/documents.md): the 开标记录表 at the opening, the 中标候选人公示 when
// the candidates are publicized, the 中标结果公示 at the award. Each is built
// inside the command that makes its facts public and only from facts that
// command makes public: nothing names a bidder or a price before its time.
#include <algorithm>
#include <boost/json/parse.hpp>

#include "audit_log/error_codes.h"
#include "audit_log/log_store.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"
#include "tender_core/registry.h"
#include "tender_core/tender_hooks.h"
#include "tender_core/unchecked_reads.h"
#include "tender_store.h"

namespace sunbid::core {

namespace json = boost::json;

namespace {

// The members every stage notice's source starts with.
Result<json::object> stage_source(audit::Database& db, const detail::TenderRow& row,
                                  std::string_view kind) {
  SUNBID_ASSIGN_OR_RETURN(json::object s, detail::notice_source(db, row, kind));
  s["published_ms"] = row.published_ms.value_or(0);
  s["decision_method"] = row.decision_method.value_or("");
  return s;
}

// {bid_id, bidder_uscc, bidder_name}: the registered name, or the USCC when
// the enterprise is not registered.
Result<json::object> bidder_of(audit::Database& db, const OpeningRow& r) {
  SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> name,
                          Registry::enterprise_name(db, r.bidder_uscc));
  return json::object{
      {"bid_id", r.bid_id}, {"bidder_uscc", r.bidder_uscc}, {"bidder_name", name.value_or("")}};
}

// Gives each object of `items` that names a bid of `record` (`bid_id`) its
// bidder ({bid_id, bidder_uscc, bidder_name}) as member `bidder`.
Status attach_bidders(audit::Database& db, const std::vector<OpeningRow>& record,
                      json::array& items) {
  for (auto& item : items) {
    if (!item.is_object() || !item.as_object().contains("bid_id")) continue;
    for (const auto& r : record) {
      if (item.at("bid_id") != json::value(r.bid_id)) continue;
      SUNBID_ASSIGN_OR_RETURN(json::object who, bidder_of(db, r));
      item.as_object()["bidder"] = std::move(who);
    }
  }
  return ok_status();
}

Status publish(audit::WriteTxn& txn, std::string_view tender, std::string_view kind,
               const json::object& source) {
  auto index =
      publish_document(txn, detail::system_draft("document.published"), tender, kind, source);
  if (!index.ok()) return std::move(index).error();
  return ok_status();
}

// The valid opening rows named by `bid_ids`, in the record's order (by USCC:
// unranked).
std::vector<const OpeningRow*> rows_of(const std::vector<OpeningRow>& record,
                                       const std::vector<std::string>& bid_ids) {
  std::vector<const OpeningRow*> out;
  for (const auto& r : record) {
    if (r.valid && r.bid && std::find(bid_ids.begin(), bid_ids.end(), r.bid_id) != bid_ids.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

Result<std::vector<std::string>> candidate_ids(audit::Database& db, std::string_view tender) {
  return db.query_strings("SELECT bid_id FROM tender_candidates WHERE tender_id = ?", {tender});
}

}  // namespace

Status detail::publish_opening_notice(audit::WriteTxn& txn, const TenderRow& row,
                                      std::int64_t opened_ms) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(json::object s, stage_source(db, row, kOpeningRecordKind));
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, load_timeline(db, row));
  s["bid_deadline_ms"] = effective_deadline_ms(t).value_or(row.bid_deadline_ms);
  s["opened_ms"] = opened_ms;
  s["min_valid_bids"] = row.min_valid_bids;
  if (auto ceiling = detail::price_ceiling(row)) s["price_ceiling_fen_per_m2_month"] = *ceiling;
  SUNBID_ASSIGN_OR_RETURN(std::vector<OpeningRow> record,
                          detail::unchecked_opening_record(db, row.id));
  json::array rows;
  std::int64_t valid = 0;
  for (const auto& r : record) {
    SUNBID_ASSIGN_OR_RETURN(json::object o, bidder_of(db, r));
    o["valid"] = r.valid;
    o["reason"] = r.reason;
    json::array disqualified;
    for (const auto& d : r.disqualified) disqualified.emplace_back(d);
    o["disqualified"] = std::move(disqualified);
    json::array docs;
    if (r.bid) {
      o["price_fen_per_m2_month"] = r.bid->price_fen_per_m2_month;
      for (const auto& d : r.bid->documents) {
        docs.push_back(json::object{{"name", d.name}, {"sha256_hex", d.sha256_hex}});
      }
    }
    o["documents"] = std::move(docs);
    if (r.valid) ++valid;
    rows.push_back(std::move(o));
  }
  s["valid_bids"] = valid;
  s["rows"] = std::move(rows);
  return publish(txn, row.id, kOpeningRecordKind, s);
}

Status publish_candidate_notice(audit::WriteTxn& txn, std::string_view tender_id,
                                std::int64_t seats, const std::vector<CandidateReview>& reviews) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> ids, candidate_ids(db, tender_id));
  if (ids.empty()) {
    return make_error("candidates_invalid", "候选人名单为空 / the candidate list is empty");
  }
  SUNBID_ASSIGN_OR_RETURN(json::object s, stage_source(db, row, kCandidatePublicityKind));
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
  s["publicized_ms"] = row.candidates_publicized_at_ms.value_or(txn.now_ms());
  s["publicity_days"] = row.candidate_publicity_days;
  s["publicity_ends_ms"] = candidate_publicity_end_ms(t).value_or(0);
  s["seats"] = seats;
  SUNBID_ASSIGN_OR_RETURN(std::vector<OpeningRow> record,
                          detail::unchecked_opening_record(db, tender_id));
  json::array candidates;
  for (const OpeningRow* r : rows_of(record, ids)) {
    SUNBID_ASSIGN_OR_RETURN(json::object o, bidder_of(db, *r));
    o["price_fen_per_m2_month"] = r->bid->price_fen_per_m2_month;
    json::array review;
    for (const auto& c : reviews) {
      if (c.bid_id != r->bid_id) continue;
      for (const auto& k : c.criteria) {
        review.push_back(json::object{{"title", k.title}, {"pass_seats", k.pass_seats}});
      }
    }
    o["review"] = std::move(review);
    candidates.push_back(std::move(o));
  }
  s["candidates"] = std::move(candidates);
  return publish(txn, tender_id, kCandidatePublicityKind, s);
}

Status publish_award_notice(audit::WriteTxn& txn, std::string_view tender_id) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  if (!row.awarded_bid_id) {
    return make_error("award_invalid", "尚无中标人 / the tender has no award",
                      {{"tender_id", tender_id}});
  }
  SUNBID_ASSIGN_OR_RETURN(json::object s, stage_source(db, row, kAwardPublicityKind));
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
  s["awarded_ms"] = row.award_publicized_at_ms.value_or(txn.now_ms());
  s["publicity_days"] = row.award_publicity_days;
  s["publicity_ends_ms"] = award_publicity_end_ms(t).value_or(0);
  SUNBID_ASSIGN_OR_RETURN(std::vector<OpeningRow> record,
                          detail::unchecked_opening_record(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(std::vector<std::string> ids, candidate_ids(db, tender_id));
  json::array candidates;
  for (const OpeningRow* r : rows_of(record, ids)) {
    SUNBID_ASSIGN_OR_RETURN(json::object o, bidder_of(db, *r));
    o["price_fen_per_m2_month"] = r->bid->price_fen_per_m2_month;
    if (r->bid_id == *row.awarded_bid_id) s["winner"] = o;
    candidates.push_back(std::move(o));
  }
  if (!s.contains("winner")) {
    return make_error("award_invalid", "中标人不是候选人 / the award goes to a non-candidate",
                      {{"bid_id", *row.awarded_bid_id}});
  }
  s["candidates"] = std::move(candidates);
  return publish(txn, tender_id, kAwardPublicityKind, s);
}

Result<std::pair<std::uint64_t, std::uint64_t>> detail::publish_award_letters(
    audit::WriteTxn& txn, const Actor& actor, const TenderRow& row, std::int64_t issued_ms,
    std::int64_t contract_due_ms, std::int64_t contract_days) {
  auto& db = txn.db();
  if (!row.awarded_bid_id) {
    return make_error("award_invalid", "尚无中标人 / the tender has no award",
                      {{"tender_id", row.id}});
  }
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
  SUNBID_ASSIGN_OR_RETURN(std::vector<OpeningRow> record,
                          detail::unchecked_opening_record(db, row.id));
  // Every bidder at the deadline (the opening record's order, by USCC): the
  // winner with its price, the others by name only — the 中标结果通知书 tells
  // them the result, not their own standing.
  std::optional<json::object> winner;
  json::array others;
  for (const auto& r : record) {
    SUNBID_ASSIGN_OR_RETURN(json::object o, bidder_of(db, r));
    if (r.bid_id == *row.awarded_bid_id && r.bid) {
      o["price_fen_per_m2_month"] = r.bid->price_fen_per_m2_month;
      winner = std::move(o);
    } else {
      others.push_back(std::move(o));
    }
  }
  if (!winner) {
    return make_error("award_invalid",
                      "中标人不在开标记录中 / the winner is not in the opening record",
                      {{"bid_id", *row.awarded_bid_id}});
  }
  auto source = [&](std::string_view kind) -> Result<json::object> {
    SUNBID_ASSIGN_OR_RETURN(json::object s, stage_source(db, row, kind));
    s["awarded_ms"] = row.award_publicized_at_ms.value_or(0);
    s["publicity_ends_ms"] = award_publicity_end_ms(t).value_or(0);
    s["issued_ms"] = issued_ms;
    s["contract_days"] = contract_days;
    s["contract_due_ms"] = contract_due_ms;
    s["winner"] = *winner;
    return s;
  };
  // Both issued by the tenderer: its document.published entries.
  auto issue = [&](std::string_view kind, const json::object& doc) -> Result<std::uint64_t> {
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft d,
                            detail::draft_for(txn, actor, "document.published", row.id));
    return publish_document(txn, std::move(d), row.id, kind, doc);
  };
  SUNBID_ASSIGN_OR_RETURN(json::object notice, source(kAwardNoticeKind));
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t first, issue(kAwardNoticeKind, notice));
  SUNBID_ASSIGN_OR_RETURN(json::object result, source(kAwardResultNoticeKind));
  result["bidders"] = std::move(others);
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t second, issue(kAwardResultNoticeKind, result));
  return std::pair{first, second};
}

Status publish_vote_result(audit::WriteTxn& txn, std::string_view tender_id,
                           const json::object& vote) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(json::object s, stage_source(db, row, kVoteResultKind));
  s["counted_ms"] = txn.now_ms();
  SUNBID_ASSIGN_OR_RETURN(std::vector<OpeningRow> record,
                          detail::unchecked_opening_record(db, tender_id));
  json::object v = vote;
  if (auto* cands = v.if_contains("candidates"); cands != nullptr && cands->is_array()) {
    SUNBID_TRY(attach_bidders(db, record, cands->as_array()));
  }
  s["vote"] = std::move(v);
  return publish(txn, tender_id, kVoteResultKind, s);
}

Status publish_evaluation_report(audit::WriteTxn& txn, std::string_view tender_id,
                                 const json::object& report, bool withheld) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  SUNBID_ASSIGN_OR_RETURN(json::object s, stage_source(db, row, kEvaluationReportKind));
  s["concluded_ms"] = txn.now_ms();
  SUNBID_ASSIGN_OR_RETURN(std::vector<OpeningRow> record,
                          detail::unchecked_opening_record(db, tender_id));
  json::object r = report;
  if (auto* bids = r.if_contains("bids"); bids != nullptr && bids->is_array()) {
    SUNBID_TRY(attach_bidders(db, record, bids->as_array()));
  }
  s["report"] = std::move(r);
  std::optional<std::int64_t> release;
  if (withheld) release = audit::kReleaseAtEvent;
  auto index = publish_document(txn, detail::system_draft("document.published"), tender_id,
                                kEvaluationReportKind, s, release);
  if (!index.ok()) return std::move(index).error();
  return ok_status();
}

Status publish_named_evaluation_report(audit::WriteTxn& txn, std::string_view tender_id,
                                       const std::vector<SeatMember>& members) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<std::string> sources,
      db.query_strings("SELECT source_json FROM tender_documents WHERE tender_id = ? AND kind = ? "
                       "ORDER BY log_index DESC LIMIT 1",
                       {tender_id, kEvaluationReportKind}));
  if (sources.empty()) return ok_status();  // reviewed before the reports existed
  boost::system::error_code ec;
  json::value v = json::parse(sources.front(), ec);
  if (ec || !v.is_object()) {
    return make_error(audit::kStorageError, "评标报告损坏 / a stored evaluation report is corrupt");
  }
  json::object s = std::move(v.as_object());
  s["kind"] = kEvaluationReportNamedKind;
  s["named_ms"] = txn.now_ms();
  json::array names;
  for (std::size_t i = 0; i < members.size(); ++i) {
    names.push_back(json::object{{"seat", static_cast<std::int64_t>(i) + 1},
                                 {"account", members[i].account},
                                 {"name", members[i].name}});
  }
  s["members"] = std::move(names);
  auto index = publish_document(txn, detail::system_draft("document.published"), tender_id,
                                kEvaluationReportNamedKind, s);
  if (!index.ok()) return std::move(index).error();
  return ok_status();
}

}  // namespace sunbid::core
