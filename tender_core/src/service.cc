#include "tender_core/service.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "audit_log/canonical_json.h"
#include "audit_log/log_store.h"
#include "service_internal.h"
#include "store.h"
#include "tender_core/calendar.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"
#include "tender_core/registry.h"
#include "tender_core/time.h"
#include "tender_core/window_plan.h"

namespace sunbid::core {

using audit::Statement;
using audit::WriteTxn;
using detail::TenderRow;

std::optional<TenderStatus> tender_status_from_string(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(TenderStatus::failed); ++i) {
    auto st = static_cast<TenderStatus>(i);
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

namespace detail {

Status require_tenderer(const Actor& actor, const TenderRow& row) {
  if (actor.role != "tenderer" || actor.community_id != row.community_id) {
    return make_error("not_tenderer_of_community",
                      "只有本小区的招标人可以操作该招标 / only a tenderer of the tender's own "
                      "community may do this",
                      {{"community_id", row.community_id}});
  }
  return ok_status();
}

Status require_supervisor(const Actor& actor) {
  if (actor.role != "supervisor") {
    return make_error("not_supervisor", "只有监督人员可以操作 / only a supervisor may do this");
  }
  return ok_status();
}

Status require_text(std::string_view text, std::string_view code, std::string_view what_zh,
                    std::string_view what_en) {
  if (text.empty()) {
    return make_error(std::string(code),
                      std::string(what_zh) + "不能为空 / " + std::string(what_en) + " is required");
  }
  return ok_status();
}

boost::json::value rating_json(const std::optional<CreditRating>& rating) {
  if (!rating) return nullptr;
  boost::json::object r;
  r["credit_grade"] = rating->credit_grade;
  r["credit_score"] = rating->credit_score;
  r["star_rating"] = rating->star_rating;
  r["blacklisted"] = rating->blacklisted;
  r["effective_from"] = format_rfc3339_ms(rating->effective_from_ms);
  return r;
}

std::vector<std::string> gate_failures(const TenderRow& row,
                                       const std::optional<CreditRating>& rating,
                                       const CreditScale& scale) {
  return qualification_failures(rating, row.min_credit_grade,
                                static_cast<std::int32_t>(row.min_star_rating), scale);
}

Status require_no_due(const TenderTimeline& t, std::int64_t now_ms) {
  if (!due_transitions(t, now_ms).empty()) {
    return make_error("transition_pending",
                      "有到期的状态转换待处理，请重试 / a due transition is pending; retry");
  }
  return ok_status();
}

}  // namespace detail

namespace {

Result<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) {
    return make_error(audit::kStorageError, "存储的JSON损坏 / stored JSON is corrupt");
  }
  return std::move(v.get_object());
}

Result<std::string> canonical(const boost::json::object& o) {
  return audit::to_canonical_json(boost::json::value(o));
}

// Loads the tender and applies the relation checks common to tenderer commands.
Result<TenderRow> load_for_tenderer(WriteTxn& txn, std::string_view id, const Actor& actor) {
  SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(txn.db(), id));
  if (Status st = detail::require_tenderer(actor, row); !st.ok()) {
    // A draft exists only for its own community's tenderers.
    if (row.status == TenderStatus::draft) {
      return detail::not_found("tender_not_found", "招标", "tender", id);
    }
    return std::move(st).error();
  }
  return row;
}

// `release_at_ms`: the entry is withheld until then (a draft's entries until
// publication, detail::kReleaseAtPublication).
Result<std::uint64_t> append_tender_entry(
    WriteTxn& txn, const Actor& actor, std::string_view type, std::string_view tender_id,
    boost::json::object payload, std::optional<std::int64_t> release_at_ms = std::nullopt) {
  SUNBID_ASSIGN_OR_RETURN(auto draft, detail::draft_for(txn, actor, type, tender_id));
  draft.tender = std::string(tender_id);
  payload["tender_id"] = tender_id;
  draft.payload = std::move(payload);
  draft.release_at_ms = release_at_ms;
  return txn.append(draft);
}

// The tender a new draft re-tenders (重新招标): a failed or cancelled tender
// of the same community. One refusal for every way it can be wrong, so it
// tells nothing about other communities' tenders.
Status check_retender_of(audit::Database& db, std::string_view community_id,
                         std::string_view old_id) {
  auto row = detail::load_tender(db, old_id);
  if (!row.ok() && row.error().code != "tender_not_found") return std::move(row).error();
  if (!row.ok() || row->community_id != community_id ||
      (row->status != TenderStatus::failed && row->status != TenderStatus::cancelled)) {
    return make_error("retender_invalid",
                      "retender_of须为本小区已流标或已取消的招标 / retender_of must name a failed "
                      "or cancelled tender of the same community",
                      {{"field", "retender_of"}, {"retender_of", old_id}});
  }
  return ok_status();
}

// Ends a tender (cancelled or failed) with its reason: the status, the
// reason, the release of the entries withheld until the tender's end (the
// committee), and the one entry `type`. A cancelled or failed tender's bid
// entries stay sealed for good (detail::kReleaseAtRevealOpening never comes),
// so nobody learns who had bid; a cancelled draft's entries, this one
// included, stay unseen (never published).
Result<std::uint64_t> end_tender(WriteTxn& txn, const Actor& actor, const TenderRow& row,
                                 TenderStatus to, std::string_view reason, std::string_view type,
                                 boost::json::object p = {}) {
  SUNBID_TRY(detail::set_status(txn.db(), row.id, to, std::nullopt));
  SUNBID_ASSIGN_OR_RETURN(Statement * up,
                          txn.db().cached("UPDATE tenders SET end_reason = ? WHERE id = ?"));
  up->bind(1, reason).bind(2, row.id);
  SUNBID_TRY(up->run());
  SUNBID_TRY(audit::release_tender_entries(txn.db(), row.id, audit::kReleaseAtEvent, txn.now_ms()));
  p["from"] = to_string(row.status);
  p["reason"] = reason;
  std::optional<std::int64_t> release;
  if (row.status == TenderStatus::draft) release = detail::kReleaseAtPublication;
  SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx,
                          append_tender_entry(txn, actor, type, row.id, std::move(p), release));
  if (to == TenderStatus::failed) {
    // 流标公告: the reason as the tenderer or supervisor gave it.
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft draft,
                            detail::draft_for(txn, actor, "document.published", row.id));
    SUNBID_TRY(detail::publish_failure_notice(txn, std::move(draft), row, reason,
                                              std::string(reason), txn.now_ms()));
  }
  return idx;
}

}  // namespace

// The members every notice's source starts with: its kind and format, the
// tender, the community and the tenderer.
Result<boost::json::object> detail::notice_source(audit::Database& db, const TenderRow& row,
                                                  std::string_view kind) {
  boost::json::object s;
  s["kind"] = kind;
  s["format"] = 1;
  s["tender_id"] = row.id;
  s["title"] = row.title;
  SUNBID_TRY(put_notice_parties(db, row.community_id, row.tenderer_kind, s));
  return s;
}

const TendererKindNames& tenderer_kind_names(std::string_view code) {
  static const TendererKindNames kNames[] = {
      {"owners_committee", "业主委员会", "owners' committee", "业主委员会"},
      {"provisional_committee", "临时物业管理委员会", "provisional property management committee",
       "临时物业管理委员会"},
      {"community_office", "社区", "community office", "所在社区"}};
  for (const auto& n : kNames) {
    if (n.code == code) return n;
  }
  return kNames[0];
}

Result<std::string> account_tenderer_kind(audit::Database& db, std::string_view account_id) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT kind FROM tenderer_kinds WHERE account_id = ?"));
  st->bind(1, account_id);
  SUNBID_ASSIGN_OR_RETURN(bool found, st->step());
  std::string kind = found ? std::string(st->column_text(0)) : std::string("owners_committee");
  st->reset();
  return kind;
}

Status put_notice_parties(audit::Database& db, std::string_view community_id,
                          std::string_view tenderer_kind, boost::json::object& s) {
  SUNBID_ASSIGN_OR_RETURN(Community c, Registry::community(db, community_id));
  s["community"] = boost::json::object{{"id", c.id},
                                       {"name", c.name},
                                       {"district", c.district},
                                       {"street", c.street},
                                       {"address", c.address},
                                       {"units", c.totals.units},
                                       {"total_area_centi_m2", c.totals.total_area_centi_m2}};
  // The organisation that tenders, as the OCDS procuringEntity names it
  // (publication/ocds_release.cc): never a person.
  const TendererKindNames& k = tenderer_kind_names(tenderer_kind);
  s["tenderer"] = boost::json::object{{"name", c.name + std::string(k.name_suffix)},
                                      {"kind", k.zh},
                                      {"kind_code", k.code},
                                      {"kind_en", k.en}};
  return ok_status();
}

namespace {

// The 招标公告's source data (docs/documents.md, "The tender notice's
// source"): the facts the notice prints, as of the publication, in plain
// JSON with integers only. The PDF is rendered from exactly this later
// (server/document_publisher.h), so it holds everything the layout needs.
Result<boost::json::object> tender_notice_source(audit::Database& db, const TenderRow& row,
                                                 const TenderRules& rules, const ServiceTier& tier,
                                                 std::int64_t now_ms,
                                                 std::int64_t objections_until_ms) {
  SUNBID_ASSIGN_OR_RETURN(boost::json::object s, notice_source(db, row, kTenderNoticeKind));
  s["area_centi_m2"] = rules.area_centi_m2;
  s["service_tier"] = to_json(tier);
  s["qualification"] = boost::json::object{{"min_credit_grade", rules.min_credit_grade},
                                           {"min_star_rating", rules.min_star_rating},
                                           {"min_bidders", rules.min_bidders}};
  boost::json::array criteria;
  for (const auto& k : rules.criteria)
    criteria.push_back(boost::json::object{{"code", k.code}, {"title", k.title}});
  s["criteria"] = std::move(criteria);
  s["decision_method"] = to_string(rules.decision.method);
  s["candidate_cap"] = rules.candidate_cap;
  s["candidate_cap_method"] = to_string(rules.candidate_cap_method);
  s["bid_deadline_ms"] = rules.bid_deadline_ms;
  s["document_objections_until_ms"] = objections_until_ms;
  s["reveal_window_s"] = rules.reveal_window_s;
  s["candidate_publicity_days"] = rules.candidate_publicity_days;
  s["vote_window_days"] = rules.vote_window_days;
  s["award_publicity_days"] = rules.award_publicity_days;
  s["published_ms"] = now_ms;
  if (row.retender_of) s["retender_of"] = *row.retender_of;
  return s;
}

// A draft's title or rules over their cap (PlatformSettings).
Status check_size(std::string_view field, std::size_t bytes, std::size_t limit) {
  if (bytes <= limit) return ok_status();
  const bool title = field == "/title";
  return make_error("field_too_long",
                    title ? "招标标题过长 / the tender's title is too long"
                          : "招标规则过长 / the tender's rules are too long",
                    {{"field", field},
                     {"limit_bytes", static_cast<std::int64_t>(limit)},
                     {"bytes", static_cast<std::int64_t>(bytes)}});
}

}  // namespace

Result<std::string> TenderService::create_draft(const Actor& actor, const TenderDraftInput& input) {
  SUNBID_TRY(detail::require_text(input.title, "tender_invalid", "标题", "the title"));
  SUNBID_TRY(check_size("/title", input.title.size(), settings_.max_title_bytes));
  if (actor.role != "tenderer" || actor.community_id != input.community_id) {
    return make_error("not_tenderer_of_community",
                      "只有本小区的招标人可以起草招标 / only a tenderer of the community may "
                      "draft its tenders");
  }
  SUNBID_ASSIGN_OR_RETURN(std::string rules_json, canonical(input.rules));
  SUNBID_TRY(check_size("/rules", rules_json.size(), settings_.max_rules_bytes));
  return ledger_.run<std::string>([&](WriteTxn& txn) -> Result<std::string> {
    SUNBID_ASSIGN_OR_RETURN(
        auto exists,
        detail::query_int(txn.db(), "SELECT 1 FROM communities WHERE id = ?", input.community_id));
    if (!exists) {
      return detail::not_found("community_not_found", "小区", "community", input.community_id);
    }
    if (input.retender_of) {
      SUNBID_TRY(check_retender_of(txn.db(), input.community_id, *input.retender_of));
    }
    SUNBID_ASSIGN_OR_RETURN(std::string id, detail::next_id(txn, "tender", "T"));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        txn.db().cached("INSERT INTO tenders(id, community_id, title, status, rules_json, "
                        "created_ms, retender_of, tenderer_kind) VALUES (?, ?, ?, 'draft', ?, ?, "
                        "?, ?)"));
    ins->bind(1, id).bind(2, input.community_id).bind(3, input.title).bind(4, rules_json);
    ins->bind(5, txn.now_ms());
    if (input.retender_of) {
      ins->bind(6, *input.retender_of);
    } else {
      ins->bind_null(6);
    }
    // The tenderer's kind, frozen with the draft (its notices name it).
    const std::string kind(tenderer_kind_names(actor.tenderer_kind).code);
    ins->bind(7, kind);
    SUNBID_TRY(ins->run());
    boost::json::object p;
    p["community_id"] = input.community_id;
    p["title"] = input.title;
    p["rules"] = input.rules;
    p["tenderer_kind"] = kind;
    if (input.retender_of) p["retender_of"] = *input.retender_of;
    // A draft stays out of the public feed until it is published.
    SUNBID_TRY(append_tender_entry(txn, actor, "tender.drafted", id, std::move(p),
                                   detail::kReleaseAtPublication));
    return id;
  });
}

Result<std::uint64_t> TenderService::edit_draft(const Actor& actor, std::string_view tender_id,
                                                const TenderDraftEdit& edit) {
  if (!edit.title && !edit.rules) {
    return make_error("tender_invalid", "没有要修改的内容 / nothing to change");
  }
  if (edit.title) {
    SUNBID_TRY(detail::require_text(*edit.title, "tender_invalid", "标题", "the title"));
    SUNBID_TRY(check_size("/title", edit.title->size(), settings_.max_title_bytes));
  }
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, load_for_tenderer(txn, tender_id, actor));
    SUNBID_TRY(next_status(row.status, TenderAction::edit_draft));
    SUNBID_ASSIGN_OR_RETURN(boost::json::object rules, parse_object(row.rules_json));
    boost::json::object p;
    if (edit.rules) {
      for (const auto& kv : *edit.rules) rules[kv.key()] = kv.value();
      p["rules"] = *edit.rules;
    }
    SUNBID_ASSIGN_OR_RETURN(std::string rules_json, canonical(rules));
    SUNBID_TRY(check_size("/rules", rules_json.size(), settings_.max_rules_bytes));
    const std::string title = edit.title.value_or(row.title);
    if (title == row.title && rules_json == row.rules_json) {
      return make_error("tender_unchanged", "草稿没有变化 / the draft would not change");
    }
    SUNBID_ASSIGN_OR_RETURN(
        Statement * up,
        txn.db().cached("UPDATE tenders SET title = ?, rules_json = ? WHERE id = ?"));
    up->bind(1, title).bind(2, rules_json).bind(3, tender_id);
    SUNBID_TRY(up->run());
    if (edit.title) p["title"] = *edit.title;
    return append_tender_entry(txn, actor, "tender.edited", tender_id, std::move(p),
                               detail::kReleaseAtPublication);
  });
}

Result<Published> TenderService::publish(const Actor& actor, std::string_view tender_id) {
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<Published>([&](WriteTxn& txn) -> Result<Published> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, load_for_tenderer(txn, tender_id, actor));
    SUNBID_TRY(next_status(row.status, TenderAction::publish));
    if (row.status == TenderStatus::published) {
      // Idempotent: the first publication's answer, nothing appended.
      return Published{static_cast<std::uint64_t>(row.publish_index.value_or(0)),
                       row.published_ms.value_or(0), true};
    }
    SUNBID_ASSIGN_OR_RETURN(boost::json::object json, parse_object(row.rules_json));
    SUNBID_ASSIGN_OR_RETURN(PublishableRules checked, publishable_rules(db, json, settings_));
    const TenderRules& rules = checked.rules;
    const ServiceTier& tier = checked.tier;
    SUNBID_TRY(check_tenderer_kind_rules(row.tenderer_kind, rules, tier));
    const std::int64_t now = txn.now_ms();
    // 招标投标法 24: the deadline's China date at least 20 days after the
    // publication's (rest days do not extend it; docs/periods.md).
    SUNBID_TRY(check_bidding_period(now, rules.bid_deadline_ms, settings_.min_bidding_period_days));
    if (rules.decision.method == DecisionMethod::owners_vote) {
      // The owners decide: without a roster nobody could vote (SPC art. 9).
      SUNBID_ASSIGN_OR_RETURN(auto units,
                              detail::query_int(db,
                                                "SELECT count(*) FROM roster_units WHERE "
                                                "community_id = ?",
                                                row.community_id));
      if (units.value_or(0) == 0) {
        return make_error("roster_required",
                          "业主表决定标的招标须先导入业主名册 / an owners_vote tender cannot be "
                          "published before its community's roster is imported",
                          {{"community_id", row.community_id}});
      }
    }
    boost::json::object p;
    if (hooks_.published) {
      SUNBID_TRY(hooks_.published(txn, tender_id, row.community_id, rules, p));
    }
    const boost::json::object frozen = to_json(rules);
    SUNBID_ASSIGN_OR_RETURN(std::string frozen_json, canonical(frozen));
    SUNBID_ASSIGN_OR_RETURN(std::string tier_json, canonical(to_json(tier)));
    const std::uint64_t index = txn.log_size();
    SUNBID_ASSIGN_OR_RETURN(
        Statement * up,
        db.cached("UPDATE tenders SET status = 'published', rules_json = ?, tier_json = ?, "
                  "decision_method = ?, min_valid_bids = ?, bid_deadline_ms = ?, "
                  "reveal_window_s = ?, candidate_publicity_days = ?, award_publicity_days = ?, "
                  "published_ms = ?, publish_index = ?, min_bidders = ?, min_credit_grade = ?, "
                  "min_star_rating = ?, objection_cutoff_basis_ms = ? WHERE id = ?"));
    up->bind(1, frozen_json).bind(2, tier_json).bind(3, to_string(rules.decision.method));
    up->bind(4, std::int64_t{rules.min_valid_bids}).bind(5, rules.bid_deadline_ms);
    up->bind(6, rules.reveal_window_s).bind(7, rules.candidate_publicity_days);
    up->bind(8, rules.award_publicity_days).bind(9, now);
    up->bind(10, static_cast<std::int64_t>(index)).bind(11, std::int64_t{rules.min_bidders});
    up->bind(12, rules.min_credit_grade).bind(13, std::int64_t{rules.min_star_rating});
    up->bind(14, rules.bid_deadline_ms).bind(15, tender_id);
    SUNBID_TRY(up->run());
    // The draft's entries become public with the publication.
    SUNBID_TRY(audit::release_tender_entries(db, tender_id, detail::kReleaseAtPublication, now));
    p["community_id"] = row.community_id;
    p["title"] = row.title;
    p["rules"] = frozen;
    p["service_tier"] = to_json(tier);
    p["tenderer_kind"] = row.tenderer_kind;
    if (row.retender_of) p["retender_of"] = *row.retender_of;
    // 条例 22: document objections until the deadline's date − 11 (no roll).
    const std::int64_t objections_until =
        days_before_cutoff_ms(rules.bid_deadline_ms, settings_.document_objection_cutoff_days);
    p["document_objections_until"] = format_rfc3339_ms(objections_until);
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx,
                            append_tender_entry(txn, actor, "tender.published", tender_id, p));
    // The 招标公告 (issue 14 §1): its source and the public
    // document.published entry, in this same command; the PDF follows.
    SUNBID_ASSIGN_OR_RETURN(boost::json::object notice,
                            tender_notice_source(db, row, rules, tier, now, objections_until));
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft doc_draft,
                            detail::draft_for(txn, actor, "document.published", tender_id));
    SUNBID_TRY(publish_document(txn, std::move(doc_draft), tender_id, kTenderNoticeKind, notice));
    return Published{idx, now, false};
  });
}

Result<Amended> TenderService::amend(const Actor& actor, std::string_view tender_id,
                                     std::string_view text,
                                     std::optional<std::int64_t> new_deadline_ms) {
  SUNBID_TRY(detail::require_text(text, "amendment_invalid", "补遗内容", "the amendment text"));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<Amended>([&](WriteTxn& txn) -> Result<Amended> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, load_for_tenderer(txn, tender_id, actor));
    SUNBID_TRY(next_status(row.status, TenderAction::amend));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    const std::int64_t now = txn.now_ms();
    SUNBID_TRY(check_bid_time(t, now));  // an amendment is possible only before the deadline
    const std::int64_t old_effective = *effective_deadline_ms(t);
    if (new_deadline_ms && *new_deadline_ms < old_effective) {
      return make_error("amendment_deadline_earlier",
                        "补遗不能提前投标截止时间 / an amendment cannot bring the deadline forward",
                        {{"current_deadline", format_rfc3339_ms(old_effective)}});
    }
    std::int64_t target = std::max(old_effective, new_deadline_ms.value_or(old_effective));
    // 条例 21: the deadline's China date at least 15 days after the
    // amendment's, at the deadline's own time of day.
    target = keep_minimum_period(now, target, settings_.min_period_after_amendment_days);
    // Every suspension lies in the past, so the effective deadline is the
    // stored one shifted by a fixed amount: move the stored one by the same.
    // The document objection cutoff counts from the tenderer's new deadline.
    const std::int64_t new_base = row.bid_deadline_ms + (target - old_effective);
    SUNBID_ASSIGN_OR_RETURN(Statement * up,
                            db.cached("UPDATE tenders SET bid_deadline_ms = ?, "
                                      "objection_cutoff_basis_ms = ? WHERE id = ?"));
    up->bind(1, new_base).bind(2, new_base).bind(3, tender_id);
    SUNBID_TRY(up->run());
    SUNBID_ASSIGN_OR_RETURN(
        auto seq, detail::query_int(
                      db, "SELECT count(*) FROM tender_amendments WHERE tender_id = ?", tender_id));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO tender_amendments(tender_id, seq, text, old_deadline_ms, "
                  "new_deadline_ms, at_ms) VALUES (?, ?, ?, ?, ?, ?)"));
    ins->bind(1, tender_id).bind(2, seq.value_or(0) + 1).bind(3, text).bind(4, old_effective);
    ins->bind(5, target).bind(6, now);
    SUNBID_TRY(ins->run());
    t.bid_deadline_ms = new_base;
    boost::json::object p;
    p["amendment"] = seq.value_or(0) + 1;
    p["text"] = text;
    p["old_deadline"] = format_rfc3339_ms(old_effective);
    p["new_deadline"] = format_rfc3339_ms(target);
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t idx,
                            append_tender_entry(txn, actor, "tender.amended", tender_id, p));
    // 补遗/更正公告 (docs/documents.md): the amendment as a notice.
    SUNBID_ASSIGN_OR_RETURN(audit::EntryDraft draft,
                            detail::draft_for(txn, actor, "document.published", tender_id));
    SUNBID_TRY(detail::publish_amendment_notice(txn, std::move(draft), row, seq.value_or(0) + 1,
                                                text, old_effective, target, now));
    return Amended{idx, old_effective, target};
  });
}

Result<std::uint64_t> TenderService::cancel(const Actor& actor, std::string_view tender_id,
                                            std::string_view reason, std::string_view rule) {
  SUNBID_TRY(detail::require_text(reason, "reason_required", "取消理由", "a reason"));
  const bool supervisor = actor.role == "supervisor";
  if (supervisor) {
    // 物业管理条例 art. 19: only a supervisor may set aside what the owners
    // (or their committee) decide, and must say which rule was violated.
    SUNBID_TRY(detail::require_text(rule, "rule_required", "所违反的规定", "the rule violated"));
  }
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    TenderRow row;
    if (supervisor) {
      SUNBID_ASSIGN_OR_RETURN(row, detail::load_tender(txn.db(), tender_id));
    } else {
      SUNBID_ASSIGN_OR_RETURN(row, load_for_tenderer(txn, tender_id, actor));
    }
    SUNBID_ASSIGN_OR_RETURN(TenderStatus to, next_status(row.status, TenderAction::cancel));
    if (!supervisor && row.published_ms && hooks_.tenderer_cancels) {
      SUNBID_ASSIGN_OR_RETURN(boost::json::object json, parse_object(row.rules_json));
      SUNBID_ASSIGN_OR_RETURN(TenderRules rules, tender_rules_from_json(json, settings_.scale));
      SUNBID_TRY(hooks_.tenderer_cancels(txn, tender_id, rules));
    }
    if (!rule.empty()) {
      SUNBID_ASSIGN_OR_RETURN(Statement * up,
                              txn.db().cached("UPDATE tenders SET cancel_rule = ? WHERE id = ?"));
      up->bind(1, rule).bind(2, tender_id);
      SUNBID_TRY(up->run());
    }
    boost::json::object extra;
    if (!rule.empty()) extra["rule"] = rule;
    return end_tender(txn, actor, row, to, reason, "tender.cancelled", std::move(extra));
  });
}

Result<std::uint64_t> TenderService::suspend(const Actor& actor, std::string_view tender_id,
                                             std::string_view reason) {
  SUNBID_TRY(detail::require_supervisor(actor));
  SUNBID_TRY(detail::require_text(reason, "reason_required", "暂停理由", "a reason"));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_ASSIGN_OR_RETURN(TenderStatus to, next_status(row.status, TenderAction::suspend));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    const std::int64_t now = txn.now_ms();
    SUNBID_TRY(detail::require_no_due(t, now));
    SUNBID_ASSIGN_OR_RETURN(
        auto seq,
        detail::query_int(db, "SELECT count(*) FROM tender_suspensions WHERE tender_id = ?",
                          tender_id));
    SUNBID_ASSIGN_OR_RETURN(Statement * ins,
                            db.cached("INSERT INTO tender_suspensions(tender_id, seq, start_ms, "
                                      "reason) VALUES (?, ?, ?, ?)"));
    ins->bind(1, tender_id).bind(2, seq.value_or(0) + 1).bind(3, now).bind(4, reason);
    SUNBID_TRY(ins->run());
    SUNBID_TRY(detail::set_status(db, tender_id, to, row.status));
    boost::json::object p;
    if (hooks_.suspended) SUNBID_TRY(hooks_.suspended(txn, tender_id, now, p));
    p["from"] = to_string(row.status);
    p["reason"] = reason;
    return append_tender_entry(txn, actor, "tender.suspended", tender_id, std::move(p));
  });
}

Result<std::uint64_t> TenderService::resume(const Actor& actor, std::string_view tender_id) {
  SUNBID_TRY(detail::require_supervisor(actor));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_ASSIGN_OR_RETURN(TenderStatus to,
                            next_status(row.status, TenderAction::resume, row.suspended_from));
    const std::int64_t now = txn.now_ms();
    SUNBID_ASSIGN_OR_RETURN(auto started,
                            detail::query_int(db,
                                              "SELECT start_ms FROM tender_suspensions WHERE "
                                              "tender_id = ? AND end_ms IS NULL",
                                              tender_id));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * up, db.cached("UPDATE tender_suspensions SET end_ms = ? WHERE tender_id = ? "
                                  "AND end_ms IS NULL"));
    up->bind(1, now).bind(2, tender_id);
    SUNBID_TRY(up->run());
    SUNBID_TRY(detail::set_status(db, tender_id, to, std::nullopt));
    boost::json::object p;
    if (hooks_.resumed && started) {
      SUNBID_TRY(hooks_.resumed(txn, tender_id, Suspension{*started, now}, p));
    }
    p["to"] = to_string(to);
    if (to == TenderStatus::published) {
      row.status = to;
      SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
      const std::int64_t deadline = *effective_deadline_ms(t);
      p["bid_deadline"] = format_rfc3339_ms(deadline);
    }
    return append_tender_entry(txn, actor, "tender.resumed", tender_id, std::move(p));
  });
}

Result<std::uint64_t> TenderService::extend_reveal(const Actor& actor, std::string_view tender_id,
                                                   std::int64_t seconds, std::string_view reason) {
  SUNBID_TRY(detail::require_supervisor(actor));
  SUNBID_TRY(detail::require_text(reason, "reason_required", "延长理由", "a reason"));
  if (seconds <= 0 || seconds > 365 * kDaySeconds) {
    return make_error("extension_invalid",
                      "延长时间应为1秒至365天 / the extension must be 1 s to 365 days");
  }
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(db, tender_id));
    SUNBID_TRY(next_status(row.status, TenderAction::extend_reveal));
    SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
    SUNBID_TRY(check_reveal_time(t, txn.now_ms()));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * up,
        db.cached("UPDATE tenders SET reveal_extensions_s = reveal_extensions_s + ? WHERE id = ?"));
    up->bind(1, seconds).bind(2, tender_id);
    SUNBID_TRY(up->run());
    t.reveal_extensions_s += seconds;
    boost::json::object p;
    p["seconds"] = seconds;
    p["reason"] = reason;
    p["reveal_close"] = format_rfc3339_ms(*reveal_close_ms(t));
    return append_tender_entry(txn, actor, "tender.reveal_extended", tender_id, std::move(p));
  });
}

Result<std::uint64_t> TenderService::fail_tender(const Actor& actor, std::string_view tender_id,
                                                 std::string_view reason) {
  SUNBID_TRY(detail::require_text(reason, "reason_required", "流标理由", "a reason"));
  SUNBID_TRY(catch_up(tender_id));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    SUNBID_ASSIGN_OR_RETURN(TenderRow row, detail::load_tender(txn.db(), tender_id));
    if (actor.role != "supervisor") SUNBID_TRY(detail::require_tenderer(actor, row));
    SUNBID_ASSIGN_OR_RETURN(TenderStatus to, next_status(row.status, TenderAction::fail));
    return end_tender(txn, actor, row, to, reason, "tender.failed");
  });
}

namespace detail {

Status publish_amendment_notice(audit::WriteTxn& txn, audit::EntryDraft draft, const TenderRow& row,
                                std::int64_t amendment, std::string_view text,
                                std::int64_t old_deadline_ms, std::int64_t new_deadline_ms,
                                std::int64_t amended_ms) {
  SUNBID_ASSIGN_OR_RETURN(boost::json::object notice,
                          notice_source(txn.db(), row, kTenderAmendedKind));
  notice["amendment"] = amendment;
  notice["text"] = text;
  notice["old_deadline_ms"] = old_deadline_ms;
  notice["new_deadline_ms"] = new_deadline_ms;
  notice["published_ms"] = row.published_ms.value_or(0);
  notice["amended_ms"] = amended_ms;
  SUNBID_TRY(publish_document(txn, std::move(draft), row.id, kTenderAmendedKind, notice));
  return ok_status();
}

Status publish_failure_notice(audit::WriteTxn& txn, audit::EntryDraft draft, const TenderRow& row,
                              std::string_view reason, std::string_view reason_text,
                              std::int64_t failed_ms) {
  SUNBID_ASSIGN_OR_RETURN(boost::json::object s, notice_source(txn.db(), row, kTenderFailedKind));
  s["published_ms"] = row.published_ms.value_or(0);
  s["failed_ms"] = failed_ms;
  s["reason"] = reason;
  s["reason_text"] = reason_text;
  SUNBID_TRY(publish_document(txn, std::move(draft), row.id, kTenderFailedKind, s));
  return ok_status();
}

}  // namespace detail

}  // namespace sunbid::core
