#include "server/document_publisher.h"

#include <boost/json/parse.hpp>
#include <malloc.h>

#include <cstdio>

#include "audit_log/log_store.h"
#include "audit_log/sha256.h"
#include "documents/award_letters.h"
#include "documents/stage_notices.h"
#include "documents/tender_amended.h"
#include "documents/tender_failed.h"
#include "documents/tender_notice.h"
#include "documents/vote_result.h"
#include "tender_core/calendar.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"

namespace sunbid::server {

namespace json = boost::json;

namespace {

Error source_invalid(std::string_view what) {
  return make_error("document_source_invalid",
                    "文档源数据无效 / the document's source data is invalid: " + std::string(what),
                    {{"member", what}});
}

// Members of the source, each naming what is missing.
struct Source {
  const json::object& o;

  Result<const json::object*> object(std::string_view key) const {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_object()) return source_invalid(key);
    return &v->as_object();
  }
  Result<std::string> text(std::string_view key) const { return text_of(o, key); }
  Result<std::int64_t> integer(std::string_view key) const { return integer_of(o, key); }

  static Result<std::string> text_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return source_invalid(key);
    return std::string(v->as_string());
  }
  static Result<std::int64_t> integer_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_int64()) return source_invalid(key);
    return v->as_int64();
  }
};

// "2026-01-26 08:00（北京时间）"; the end of a period counted in days (an
// instant at 00:00 China time, `period_end`) prints as 24:00 of the day
// before, as the law counts it.
std::string china_time(std::int64_t utc_ms, bool period_end = false) {
  core::ChinaDate d = core::china_date(utc_ms);
  std::int64_t minutes = (utc_ms - core::china_midnight_ms(d)) / 60'000;
  if (minutes == 0 && period_end) {
    d -= 1;
    minutes = std::int64_t{24} * 60;
  }
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return core::format_china_date(d) + " " + hm + "（北京时间）";
}

// "2026年1月1日": the China date of `utc_ms`.
std::string china_day_text(std::int64_t utc_ms) {
  const std::string ymd = core::format_china_date(core::china_date(utc_ms));  // YYYY-MM-DD
  return ymd.substr(0, 4) + "年" + std::to_string(std::stoi(ymd.substr(5, 2))) + "月" +
         std::to_string(std::stoi(ymd.substr(8, 2))) + "日";
}

std::string decision_method_text(std::string_view m) {
  if (m == "owners_vote") return "业主大会表决（定性评审，评定分离） owners' vote";
  if (m == "composite_score") return "综合评分择优 composite score";
  if (m == "lowest_price") return "价格竞争（最低价） lowest price";
  if (m == "lottery") return "抽签 lottery";
  if (m == "committee_vote") return "票决 committee vote";
  if (m == "vote_then_lottery") return "票决抽签 vote, then lottery";
  return std::string(m);
}

// "业主委员会 owners' committee": the kind in zh and en. Sources stored
// before kinds existed name only 业主委员会 (kind_en absent).
std::string tenderer_kind_text(const json::object& tenderer, const std::string& kind_zh) {
  if (const auto* en = tenderer.if_contains("kind_en"); en != nullptr && en->is_string()) {
    return kind_zh + " " + std::string(en->as_string());
  }
  return kind_zh == "业主委员会" ? "业主委员会 owners' committee" : kind_zh;
}

Result<documents::TenderNoticeInput> tender_notice_input(const json::object& root) {
  Source s{root};
  documents::TenderNoticeInput n;
  SUNBID_ASSIGN_OR_RETURN(n.tender_id, s.text("tender_id"));
  SUNBID_ASSIGN_OR_RETURN(n.title, s.text("title"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* community, s.object("community"));
  SUNBID_ASSIGN_OR_RETURN(n.community_name, Source::text_of(*community, "name"));
  SUNBID_ASSIGN_OR_RETURN(std::string district, Source::text_of(*community, "district"));
  SUNBID_ASSIGN_OR_RETURN(std::string address, Source::text_of(*community, "address"));
  n.community_address =
      address.find(district) != std::string::npos ? address : district + " " + address;
  SUNBID_ASSIGN_OR_RETURN(n.units, Source::integer_of(*community, "units"));
  SUNBID_ASSIGN_OR_RETURN(n.total_area_centi_m2, s.integer("area_centi_m2"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* tenderer, s.object("tenderer"));
  SUNBID_ASSIGN_OR_RETURN(n.tenderer_name, Source::text_of(*tenderer, "name"));
  SUNBID_ASSIGN_OR_RETURN(std::string kind, Source::text_of(*tenderer, "kind"));
  n.tenderer_kind = tenderer_kind_text(*tenderer, kind);
  SUNBID_ASSIGN_OR_RETURN(const json::object* tier, s.object("service_tier"));
  SUNBID_ASSIGN_OR_RETURN(std::string tier_code, Source::text_of(*tier, "code"));
  SUNBID_ASSIGN_OR_RETURN(std::string tier_name, Source::text_of(*tier, "name"));
  n.service_tier = tier_name + "（" + tier_code + "）";
  SUNBID_ASSIGN_OR_RETURN(n.reference_min_fen_per_m2_month,
                          Source::integer_of(*tier, "min_fen_per_m2_month"));
  SUNBID_ASSIGN_OR_RETURN(n.reference_max_fen_per_m2_month,
                          Source::integer_of(*tier, "max_fen_per_m2_month"));
  SUNBID_ASSIGN_OR_RETURN(std::string method, s.text("decision_method"));
  n.decision_method = decision_method_text(method);

  SUNBID_ASSIGN_OR_RETURN(const json::object* q, s.object("qualification"));
  SUNBID_ASSIGN_OR_RETURN(std::string grade, Source::text_of(*q, "min_credit_grade"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t stars, Source::integer_of(*q, "min_star_rating"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t min_bidders, Source::integer_of(*q, "min_bidders"));
  n.qualifications.push_back("依法登记的物业服务企业，持有统一社会信用代码");
  n.qualifications.push_back("投标截止时信用等级不低于 " + grade);
  if (stars > 0) {
    n.qualifications.push_back("投标截止时物业服务质量星级不低于 " + std::to_string(stars) + " 星");
  }
  n.qualifications.push_back("未被列入物业服务企业黑名单");
  n.qualifications.push_back("投标人少于 " + std::to_string(min_bidders) +
                             " 家时不开标，本次招标失败（流标）");

  SUNBID_ASSIGN_OR_RETURN(std::int64_t published_ms, s.integer("published_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t objections_ms, s.integer("document_objections_until_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t deadline_ms, s.integer("bid_deadline_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t reveal_s, s.integer("reveal_window_s"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t cand_days, s.integer("candidate_publicity_days"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t vote_days, s.integer("vote_window_days"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t award_days, s.integer("award_publicity_days"));
  n.timeline.push_back({"公告发布 published", china_time(published_ms)});
  n.timeline.push_back(
      {"招标文件异议截止 objections to the documents", china_time(objections_ms, true)});
  n.timeline.push_back({"投标截止 bid deadline", china_time(deadline_ms)});
  n.timeline.push_back(
      {"报价揭示期 reveal window", "投标截止后 " + std::to_string(reveal_s / 3600) + " 小时"});
  n.timeline.push_back({"中标候选人公示 candidate publicity", std::to_string(cand_days) + " 日"});
  if (vote_days > 0) {
    n.timeline.push_back({"业主表决 owners' vote", std::to_string(vote_days) + " 日"});
  }
  n.timeline.push_back({"中标结果公示 award publicity", std::to_string(award_days) + " 日"});

  n.how_to_bid.push_back(
      "投标人以企业账户登录本平台，在投标截止前提交密封投标（承诺值）；截止前可替换或撤回。"
      "投标截止后，投标人在报价揭示期内揭示报价与盐值，平台核对承诺值；未揭示的投标视为撤销。");
  if (const auto* criteria = root.if_contains("criteria");
      criteria != nullptr && criteria->is_array() && !criteria->as_array().empty()) {
    std::string line = "评审标准（定性评审，逐项合格/不合格）：";
    bool first = true;
    for (const auto& c : criteria->as_array()) {
      if (!c.is_object()) return source_invalid("criteria");
      SUNBID_ASSIGN_OR_RETURN(std::string title, Source::text_of(c.as_object(), "title"));
      if (!first) line += "；";
      first = false;
      line += title;
    }
    n.how_to_bid.push_back(line + "。");
  }
  n.how_to_bid.push_back(
      "本公告登记于平台透明日志，可扫描页脚二维码核验。 This notice is recorded in the "
      "platform's transparency log; scan the code in the footer to verify it.");
  n.issued_on = china_day_text(published_ms);
  n.event_time_ms = published_ms;
  return n;
}

// The header every stage notice shares; `event_key` names the event's
// instant (the PDF's dates and the date under the tenderer).
Result<documents::StageNoticeHeader> stage_header(const json::object& root,
                                                  std::string_view event_key) {
  Source s{root};
  documents::StageNoticeHeader h;
  SUNBID_ASSIGN_OR_RETURN(h.tender_id, s.text("tender_id"));
  SUNBID_ASSIGN_OR_RETURN(h.title, s.text("title"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* community, s.object("community"));
  SUNBID_ASSIGN_OR_RETURN(h.community_name, Source::text_of(*community, "name"));
  SUNBID_ASSIGN_OR_RETURN(std::string district, Source::text_of(*community, "district"));
  SUNBID_ASSIGN_OR_RETURN(std::string address, Source::text_of(*community, "address"));
  h.community_address =
      address.find(district) != std::string::npos ? address : district + " " + address;
  SUNBID_ASSIGN_OR_RETURN(const json::object* tenderer, s.object("tenderer"));
  SUNBID_ASSIGN_OR_RETURN(h.tenderer_name, Source::text_of(*tenderer, "name"));
  SUNBID_ASSIGN_OR_RETURN(h.event_time_ms, s.integer(event_key));
  h.issued_on = china_day_text(h.event_time_ms);
  return h;
}

Result<documents::TenderFailedInput> tender_failed_input(const json::object& root) {
  Source s{root};
  SUNBID_ASSIGN_OR_RETURN(documents::StageNoticeHeader h, stage_header(root, "failed_ms"));
  documents::TenderFailedInput n;
  n.tender_id = std::move(h.tender_id);
  n.title = std::move(h.title);
  n.tenderer_name = std::move(h.tenderer_name);
  n.community_name = std::move(h.community_name);
  n.community_address = std::move(h.community_address);
  SUNBID_ASSIGN_OR_RETURN(std::int64_t published_ms, s.integer("published_ms"));
  if (published_ms > 0) n.published_on = china_day_text(published_ms);
  n.failed_at = china_time(h.event_time_ms);
  SUNBID_ASSIGN_OR_RETURN(n.reason, s.text("reason_text"));
  n.issued_on = std::move(h.issued_on);
  n.event_time_ms = h.event_time_ms;
  return n;
}

Result<documents::TenderAmendedInput> tender_amended_input(const json::object& root) {
  Source s{root};
  documents::TenderAmendedInput n;
  SUNBID_ASSIGN_OR_RETURN(n.tender_id, s.text("tender_id"));
  SUNBID_ASSIGN_OR_RETURN(n.title, s.text("title"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* community, s.object("community"));
  SUNBID_ASSIGN_OR_RETURN(n.community_name, Source::text_of(*community, "name"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* tenderer, s.object("tenderer"));
  SUNBID_ASSIGN_OR_RETURN(n.tenderer_name, Source::text_of(*tenderer, "name"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t published_ms, s.integer("published_ms"));
  if (published_ms > 0) n.published_on = china_day_text(published_ms);
  SUNBID_ASSIGN_OR_RETURN(n.amendment, s.integer("amendment"));
  SUNBID_ASSIGN_OR_RETURN(n.text, s.text("text"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t old_ms, s.integer("old_deadline_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t new_ms, s.integer("new_deadline_ms"));
  n.old_deadline = china_time(old_ms);
  n.new_deadline = china_time(new_ms);
  SUNBID_ASSIGN_OR_RETURN(std::int64_t amended_ms, s.integer("amended_ms"));
  n.issued_on = china_day_text(amended_ms);
  n.event_time_ms = amended_ms;
  return n;
}

Result<const json::array*> array_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return source_invalid(key);
  return &v->as_array();
}

// A bidder of a stage source: {bidder_name, bidder_uscc} and, when present,
// price_fen_per_m2_month printed as exact yuan.
Result<documents::BidderLine> bidder_line(const json::value& v, std::string_view what) {
  if (!v.is_object()) return source_invalid(what);
  const json::object& o = v.as_object();
  documents::BidderLine b;
  SUNBID_ASSIGN_OR_RETURN(b.name, Source::text_of(o, "bidder_name"));
  SUNBID_ASSIGN_OR_RETURN(b.uscc, Source::text_of(o, "bidder_uscc"));
  if (o.contains("price_fen_per_m2_month")) {
    SUNBID_ASSIGN_OR_RETURN(std::int64_t fen, Source::integer_of(o, "price_fen_per_m2_month"));
    b.price = documents::format_centi(fen);
  }
  return b;
}

// The opening record's conclusion for one bid, Chinese first.
std::string opening_conclusion(const json::object& row) {
  const auto* valid = row.if_contains("valid");
  if (valid != nullptr && valid->is_bool() && valid->as_bool()) return "有效 valid";
  const auto* reason = row.if_contains("reason");
  const std::string_view r = reason != nullptr && reason->is_string()
                                 ? std::string_view(reason->as_string())
                                 : std::string_view();
  if (r == "not_revealed") {
    return "无效：未在报价揭示期内揭示报价，视为撤销 invalid: not revealed";
  }
  if (r == "price_above_ceiling") return "无效：报价高于最高投标限价 invalid: above the ceiling";
  if (r == "not_qualified") {
    std::string why;
    if (const auto* d = row.if_contains("disqualified"); d != nullptr && d->is_array()) {
      for (const auto& x : d->as_array()) {
        if (!x.is_string()) continue;
        const std::string_view code = x.as_string();
        std::string text = code == "no_rating"                ? "无有效信用记录"
                           : code == "blacklisted"            ? "列入黑名单"
                           : code == "credit_below_threshold" ? "信用等级低于要求"
                           : code == "star_below_threshold"   ? "服务星级低于要求"
                                                              : std::string(code);
        why += why.empty() ? text : "、" + text;
      }
    }
    return "无效：投标截止时资格不符（" + why + "） invalid: not qualified at the deadline";
  }
  return "无效 invalid: " + std::string(r);
}

Result<documents::OpeningRecordInput> opening_record_input(const json::object& root) {
  Source s{root};
  documents::OpeningRecordInput n;
  SUNBID_ASSIGN_OR_RETURN(n.notice, stage_header(root, "opened_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t deadline_ms, s.integer("bid_deadline_ms"));
  n.bid_deadline = china_time(deadline_ms);
  n.opened_at = china_time(n.notice.event_time_ms);
  if (root.contains("price_ceiling_fen_per_m2_month")) {
    SUNBID_ASSIGN_OR_RETURN(std::int64_t ceiling, s.integer("price_ceiling_fen_per_m2_month"));
    n.price_ceiling = documents::format_centi(ceiling) + " 元/m²·月";
  }
  SUNBID_ASSIGN_OR_RETURN(n.valid_bids, s.integer("valid_bids"));
  SUNBID_ASSIGN_OR_RETURN(n.min_valid_bids, s.integer("min_valid_bids"));
  SUNBID_ASSIGN_OR_RETURN(const json::array* rows, array_of(root, "rows"));
  for (const auto& v : *rows) {
    documents::OpeningRecordInput::Row row;
    SUNBID_ASSIGN_OR_RETURN(row.bidder, bidder_line(v, "rows"));
    const json::object& o = v.as_object();
    const auto* valid = o.if_contains("valid");
    row.valid = valid != nullptr && valid->is_bool() && valid->as_bool();
    row.conclusion = opening_conclusion(o);
    SUNBID_ASSIGN_OR_RETURN(const json::array* docs, array_of(o, "documents"));
    for (const auto& d : *docs) {
      if (!d.is_object()) return source_invalid("documents");
      documents::OpeningRecordInput::DocumentDigest digest;
      SUNBID_ASSIGN_OR_RETURN(digest.name, Source::text_of(d.as_object(), "name"));
      SUNBID_ASSIGN_OR_RETURN(digest.sha256_hex, Source::text_of(d.as_object(), "sha256_hex"));
      row.documents.push_back(std::move(digest));
    }
    n.rows.push_back(std::move(row));
  }
  return n;
}

// The publicity window and how to object (招标投标法实施条例 54: objections to
// the result during the candidate publicity, answered within 3 days).
Result<documents::PublicityTerms> publicity_terms(const json::object& root,
                                                  std::string_view from_key, bool candidates) {
  Source s{root};
  documents::PublicityTerms p;
  SUNBID_ASSIGN_OR_RETURN(std::int64_t from_ms, s.integer(from_key));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t until_ms, s.integer("publicity_ends_ms"));
  SUNBID_ASSIGN_OR_RETURN(p.days, s.integer("publicity_days"));
  SUNBID_ASSIGN_OR_RETURN(std::string tender_id, s.text("tender_id"));
  p.from = china_time(from_ms);
  p.until = until_ms > 0 ? china_time(until_ms, true) : "公示暂停中 suspended";
  p.objecting.push_back(
      std::string(
          candidates
              ? "投标人、本小区业主及其他利害关系人对评标结果有异议的，应当在公示期内提出"
                "（招标投标法实施条例第54条）。"
              : "投标人、本小区业主及其他利害关系人对中标结果有异议的，应当在公示期内提出。") +
      "提出方式：以本人账户登录本平台（投标人用企业账户，业主用业主账户），向本项目提交书面异议，"
      "写明异议事项与理由（平台接口 POST /api/v1/tenders/" +
      tender_id +
      "/objections）；异议及其答复登记于平台透明日志。招标人自收到异议之日起3日内作出答复，"
      "答复前暂停后续活动，公示期相应顺延。");
  p.objecting.push_back(
      "Objections: bidders, the community's owners and other interested parties sign in and file "
      "a written objection to this tender on the platform (POST /api/v1/tenders/" +
      tender_id +
      "/objections) within the publicity window; the tenderer answers within 3 days and the "
      "process waits until then.");
  return p;
}

Result<documents::CandidatePublicityInput> candidate_publicity_input(const json::object& root) {
  Source s{root};
  documents::CandidatePublicityInput n;
  SUNBID_ASSIGN_OR_RETURN(n.notice, stage_header(root, "publicized_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::string method, s.text("decision_method"));
  n.decision_method = decision_method_text(method);
  SUNBID_ASSIGN_OR_RETURN(n.seats, s.integer("seats"));
  SUNBID_ASSIGN_OR_RETURN(const json::array* candidates, array_of(root, "candidates"));
  for (const auto& v : *candidates) {
    documents::CandidatePublicityInput::Candidate c;
    SUNBID_ASSIGN_OR_RETURN(c.bidder, bidder_line(v, "candidates"));
    SUNBID_ASSIGN_OR_RETURN(const json::array* review, array_of(v.as_object(), "review"));
    for (const auto& k : *review) {
      if (!k.is_object()) return source_invalid("review");
      SUNBID_ASSIGN_OR_RETURN(std::string title, Source::text_of(k.as_object(), "title"));
      SUNBID_ASSIGN_OR_RETURN(std::int64_t passed, Source::integer_of(k.as_object(), "pass_seats"));
      c.review.push_back(title + "：" + (passed * 2 > n.seats ? "合格" : "不合格") + "（" +
                         std::to_string(passed) + "/" + std::to_string(n.seats) + " 席合格）");
    }
    n.candidates.push_back(std::move(c));
  }
  SUNBID_ASSIGN_OR_RETURN(n.publicity, publicity_terms(root, "publicized_ms", true));
  return n;
}

Result<documents::AwardPublicityInput> award_publicity_input(const json::object& root) {
  Source s{root};
  documents::AwardPublicityInput n;
  SUNBID_ASSIGN_OR_RETURN(n.notice, stage_header(root, "awarded_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::string method, s.text("decision_method"));
  n.decision_method = decision_method_text(method);
  n.decided_at = china_time(n.notice.event_time_ms);
  const auto* winner = root.if_contains("winner");
  if (winner == nullptr) return source_invalid("winner");
  SUNBID_ASSIGN_OR_RETURN(n.winner, bidder_line(*winner, "winner"));
  SUNBID_ASSIGN_OR_RETURN(const json::array* candidates, array_of(root, "candidates"));
  for (const auto& v : *candidates) {
    SUNBID_ASSIGN_OR_RETURN(documents::BidderLine b, bidder_line(v, "candidates"));
    n.candidates.push_back(std::move(b));
  }
  SUNBID_ASSIGN_OR_RETURN(n.publicity, publicity_terms(root, "awarded_ms", false));
  return n;
}

// The 中标通知书 and the 中标结果通知书 (the latter with `bidders`).
Result<documents::AwardLetterInput> award_letter_input(const json::object& root, bool result) {
  Source s{root};
  documents::AwardLetterInput n;
  SUNBID_ASSIGN_OR_RETURN(n.notice, stage_header(root, "issued_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::string method, s.text("decision_method"));
  n.decision_method = decision_method_text(method);
  SUNBID_ASSIGN_OR_RETURN(std::int64_t awarded_ms, s.integer("awarded_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t ends_ms, s.integer("publicity_ends_ms"));
  n.award_publicity = china_time(awarded_ms) + " 至 " + china_time(ends_ms, true);
  const auto* winner = root.if_contains("winner");
  if (winner == nullptr) return source_invalid("winner");
  SUNBID_ASSIGN_OR_RETURN(n.winner, bidder_line(*winner, "winner"));
  n.issued_at = china_time(n.notice.event_time_ms);
  SUNBID_ASSIGN_OR_RETURN(n.contract_days, s.integer("contract_days"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t due_ms, s.integer("contract_due_ms"));
  n.contract_due = china_time(due_ms, true);
  if (result) {
    SUNBID_ASSIGN_OR_RETURN(const json::array* bidders, array_of(root, "bidders"));
    for (const auto& v : *bidders) {
      SUNBID_ASSIGN_OR_RETURN(documents::BidderLine b, bidder_line(v, "bidders"));
      n.other_bidders.push_back(std::move(b));
    }
  }
  return n;
}

// The figures every vote result shares (a tender's owners' vote round or a
// motion's close): the tally's totals and quorum flags, from `tally`.
Status vote_figures(const json::object& tally, documents::VoteResultInput& n) {
  Source t{tally};
  SUNBID_ASSIGN_OR_RETURN(n.total_area_centi_m2, t.integer("total_area_centi_m2"));
  SUNBID_ASSIGN_OR_RETURN(n.total_heads, t.integer("total_heads"));
  SUNBID_ASSIGN_OR_RETURN(n.participating_area_centi_m2, t.integer("participating_area_centi_m2"));
  SUNBID_ASSIGN_OR_RETURN(n.participating_heads, t.integer("participating_heads"));
  SUNBID_ASSIGN_OR_RETURN(n.abstain_area_centi_m2, t.integer("abstain_area_centi_m2"));
  SUNBID_ASSIGN_OR_RETURN(n.abstain_heads, t.integer("abstain_heads"));
  const auto flag = [&](std::string_view key) -> Result<bool> {
    const auto* v = tally.if_contains(key);
    if (v == nullptr || !v->is_bool()) return source_invalid(key);
    return v->as_bool();
  };
  SUNBID_ASSIGN_OR_RETURN(n.area_quorum, flag("area_quorum"));
  SUNBID_ASSIGN_OR_RETURN(n.head_quorum, flag("head_quorum"));
  return ok_status();
}

// The 投票结果公告 of an owners_vote decision round.
Result<documents::VoteResultInput> vote_result_input(const json::object& root) {
  SUNBID_ASSIGN_OR_RETURN(documents::StageNoticeHeader h, stage_header(root, "counted_ms"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* vote, Source{root}.object("vote"));
  Source v{*vote};
  documents::VoteResultInput n;
  n.title = "投票结果公告";
  n.subject_title = h.title;
  SUNBID_TRY(vote_figures(*vote, n));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t round, v.integer("round"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t opened_ms, v.integer("opened_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t closes_ms, v.integer("closes_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::string outcome, v.text("outcome"));
  SUNBID_ASSIGN_OR_RETURN(std::string winner, v.text("winner"));
  n.three_quarters = false;  // 选聘物业服务企业: 民法典 art. 278 par. 1 item 4, more than half
  n.approval_rule = "过半数 more than 1/2";
  n.overview = {{"项目名称", h.title},
                {"项目编号", h.tender_id},
                {"物业名称", h.community_name},
                {"招标人", h.tenderer_name},
                {"表决事项", "选聘物业服务企业（民法典第278条第1款第4项），业主共同决定定标"},
                {"表决轮次", "第 " + std::to_string(round) + " 轮" + (round > 1 ? "（决选）" : "")},
                {"表决期", china_time(opened_ms) + " 至 " + china_time(closes_ms, true)},
                {"计票时间", china_time(h.event_time_ms)}};
  SUNBID_ASSIGN_OR_RETURN(const json::array* cands, array_of(*vote, "candidates"));
  std::string winner_label;
  for (const auto& c : *cands) {
    if (!c.is_object()) return source_invalid("candidates");
    const json::object& o = c.as_object();
    documents::VoteResultInput::Option opt;
    const auto* bidder = o.if_contains("bidder");
    if (bidder == nullptr) return source_invalid("bidder");
    SUNBID_ASSIGN_OR_RETURN(documents::BidderLine b, bidder_line(*bidder, "bidder"));
    opt.label = (b.name.empty() ? b.uscc : b.name + "\n" + b.uscc);
    SUNBID_ASSIGN_OR_RETURN(opt.area_centi_m2, Source::integer_of(o, "area_centi_m2"));
    SUNBID_ASSIGN_OR_RETURN(opt.heads, Source::integer_of(o, "heads"));
    const auto* approved = o.if_contains("approved");
    opt.approved = approved != nullptr && approved->is_bool() && approved->as_bool();
    SUNBID_ASSIGN_OR_RETURN(std::string bid_id, Source::text_of(o, "bid_id"));
    if (bid_id == winner) winner_label = b.name.empty() ? b.uscc : b.name + "（" + b.uscc + "）";
    n.options.push_back(std::move(opt));
  }
  if (outcome == "winner") {
    n.conclusion = "参与表决达到法定人数；" + winner_label +
                   " 获参与表决的专有部分面积和人数均过半数同意，业主共同决定其为中标人，"
                   "进入中标结果公示。 The owners chose the winner.";
  } else if (outcome == "quorum_not_met") {
    n.conclusion =
        "参与表决的专有部分面积或人数未达总数的三分之二，表决不成立，本次招标失败（流标）。 "
        "Participation below two thirds: the decision fails.";
  } else if (outcome == "runoff") {
    n.conclusion =
        "参与表决达到法定人数，但无候选人获面积和人数双过半同意，按招标文件进行第二轮表决（决选）。"
        " "
        "No candidate has both majorities: a run-off round follows.";
  } else {
    n.conclusion =
        "参与表决达到法定人数，但无候选人获面积和人数双过半同意，本次招标失败（流标）。 "
        "No candidate has both majorities: the decision fails.";
  }
  n.signer = h.tenderer_name;
  n.issued_on = h.issued_on;
  n.english_subject = "vote result " + h.tender_id;
  n.event_time_ms = h.event_time_ms;
  return n;
}

// 民法典 art. 278 par. 1's matters, as a motion's source names them by item.
std::string matter_text(std::int64_t item) {
  static constexpr const char* kMatters[] = {
      "制定和修改业主大会议事规则",           "制定和修改管理规约",
      "选举业主委员会或者更换业主委员会成员", "选聘和解聘物业服务企业或者其他管理人",
      "使用建筑物及其附属设施的维修资金",     "筹集建筑物及其附属设施的维修资金",
      "改建、重建建筑物及其附属设施",         "改变共有部分的用途或者利用共有部分从事经营活动",
      "有关共有和共同管理权利的其他重大事项"};
  if (item < 1 || item > 9) return "第 " + std::to_string(item) + " 项";
  return std::string(kMatters[item - 1]) + "（民法典第278条第1款第" + std::to_string(item) + "项）";
}

// The 表决结果公告 of an owners' assembly motion at its close.
Result<documents::VoteResultInput> motion_result_input(const json::object& root) {
  Source s{root};
  documents::VoteResultInput n;
  n.title = "表决结果公告";
  SUNBID_ASSIGN_OR_RETURN(std::string motion_id, s.text("motion_id"));
  SUNBID_ASSIGN_OR_RETURN(n.subject_title, s.text("title"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* community, s.object("community"));
  SUNBID_ASSIGN_OR_RETURN(std::string community_name, Source::text_of(*community, "name"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* tenderer, s.object("tenderer"));
  SUNBID_ASSIGN_OR_RETURN(n.signer, Source::text_of(*tenderer, "name"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t item, s.integer("matter_item"));
  SUNBID_ASSIGN_OR_RETURN(std::string approval, s.text("approval"));
  n.three_quarters = approval == "at_least_three_quarters";
  n.approval_rule = n.three_quarters ? "四分之三以上 at least 3/4" : "过半数 more than 1/2";
  SUNBID_ASSIGN_OR_RETURN(const json::object* tally, s.object("tally"));
  SUNBID_TRY(vote_figures(*tally, n));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t opened_ms, s.integer("opened_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::int64_t closes_ms, s.integer("closes_ms"));
  SUNBID_ASSIGN_OR_RETURN(n.event_time_ms, s.integer("closed_ms"));
  SUNBID_ASSIGN_OR_RETURN(std::string outcome, s.text("outcome"));
  SUNBID_ASSIGN_OR_RETURN(std::string winner, s.text("winner"));
  n.overview = {{"议题名称", n.subject_title},
                {"议题编号", motion_id},
                {"物业名称", community_name},
                {"提议人", n.signer},
                {"表决事项", matter_text(item)},
                {"表决规则", "参与：面积与人数均三分之二以上；同意：参与表决的面积与人数均" +
                                 std::string(n.three_quarters ? "四分之三以上" : "过半数")},
                {"表决期", china_time(opened_ms) + " 至 " + china_time(closes_ms, true)},
                {"计票时间", china_time(n.event_time_ms)}};
  const auto label = [](const std::string& o) {
    if (o == "for") return std::string("同意 for");
    if (o == "against") return std::string("反对 against");
    return o;
  };
  SUNBID_ASSIGN_OR_RETURN(const json::array* options, array_of(root, "options"));
  SUNBID_ASSIGN_OR_RETURN(const json::array* counted, array_of(*tally, "options"));
  for (const auto& v : *options) {
    if (!v.is_object()) return source_invalid("options");
    documents::VoteResultInput::Option opt;
    SUNBID_ASSIGN_OR_RETURN(std::string option, Source::text_of(v.as_object(), "option"));
    opt.label = label(option);
    const auto* approved = v.as_object().if_contains("approved");
    opt.approved = approved != nullptr && approved->is_bool() && approved->as_bool();
    for (const auto& c : *counted) {
      if (!c.is_object()) return source_invalid("tally");
      SUNBID_ASSIGN_OR_RETURN(std::string name, Source::text_of(c.as_object(), "option"));
      if (name != option) continue;
      SUNBID_ASSIGN_OR_RETURN(opt.area_centi_m2,
                              Source::integer_of(c.as_object(), "area_centi_m2"));
      SUNBID_ASSIGN_OR_RETURN(opt.heads, Source::integer_of(c.as_object(), "heads"));
    }
    n.options.push_back(std::move(opt));
  }
  const std::string rule = n.three_quarters ? "四分之三以上" : "过半数";
  if (outcome == "passed") {
    n.conclusion = "议题通过：" + label(winner) + " 获参与表决的专有部分面积和人数均" + rule +
                   "同意（民法典第278条），业主大会决定生效。 The motion passed.";
  } else if (outcome == "rejected") {
    n.conclusion = "议题未通过：参与表决达到法定人数，但无选项获参与表决的专有部分面积和人数均" +
                   rule + "同意。 The motion was rejected.";
  } else {
    n.conclusion =
        "表决不成立：参与表决的专有部分面积或人数未达总数的三分之二。 Participation "
        "below two thirds: no decision.";
  }
  n.issued_on = china_day_text(n.event_time_ms);
  n.english_subject = "motion result " + motion_id;
  return n;
}

// The 评标报告's source (either rendering): "席位 k" or, named, "席位 k（name）".
Result<documents::EvaluationReportInput> evaluation_report_input(const json::object& root,
                                                                 bool named) {
  documents::EvaluationReportInput n;
  SUNBID_ASSIGN_OR_RETURN(n.notice, stage_header(root, named ? "named_ms" : "concluded_ms"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* report, Source{root}.object("report"));
  Source r{*report};
  SUNBID_ASSIGN_OR_RETURN(n.seats, r.integer("seats"));
  SUNBID_ASSIGN_OR_RETURN(const json::object* titles, r.object("criteria_titles"));
  if (named) {
    SUNBID_ASSIGN_OR_RETURN(const json::array* members, array_of(root, "members"));
    for (const auto& m : *members) {
      if (!m.is_object()) return source_invalid("members");
      SUNBID_ASSIGN_OR_RETURN(std::string name, Source::text_of(m.as_object(), "name"));
      SUNBID_ASSIGN_OR_RETURN(std::string account, Source::text_of(m.as_object(), "account"));
      n.members.push_back(name.empty() ? account : name);
    }
  }
  const auto seat = [&](std::int64_t k) {
    std::string s = "席位 " + std::to_string(k);
    if (k >= 1 && static_cast<std::size_t>(k) <= n.members.size()) {
      s += "（" + n.members[static_cast<std::size_t>(k) - 1] + "）";
    }
    return s;
  };
  SUNBID_ASSIGN_OR_RETURN(const json::array* bids, array_of(*report, "bids"));
  for (const auto& v : *bids) {
    if (!v.is_object()) return source_invalid("bids");
    const json::object& b = v.as_object();
    documents::EvaluationReportInput::Bid bid;
    const auto* bidder = b.if_contains("bidder");
    if (bidder == nullptr) return source_invalid("bidder");
    SUNBID_ASSIGN_OR_RETURN(bid.bidder, bidder_line(*bidder, "bidder"));
    const auto* qualified = b.if_contains("qualified");
    bid.qualified = qualified != nullptr && qualified->is_bool() && qualified->as_bool();
    SUNBID_ASSIGN_OR_RETURN(const json::array* criteria, array_of(b, "criteria"));
    for (const auto& cv : *criteria) {
      if (!cv.is_object()) return source_invalid("criteria");
      const json::object& c = cv.as_object();
      documents::EvaluationReportInput::Criterion k;
      SUNBID_ASSIGN_OR_RETURN(std::string code, Source::text_of(c, "criterion"));
      k.title = titles->contains(code) && titles->at(code).is_string()
                    ? std::string(titles->at(code).as_string())
                    : code;
      SUNBID_ASSIGN_OR_RETURN(k.pass_seats, Source::integer_of(c, "pass_count"));
      SUNBID_ASSIGN_OR_RETURN(k.fail_seats, Source::integer_of(c, "fail_count"));
      const auto* failed = c.if_contains("failed");
      k.failed = failed != nullptr && failed->is_bool() && failed->as_bool();
      SUNBID_ASSIGN_OR_RETURN(const json::array* reasons, array_of(c, "reasons"));
      for (const auto& rv : *reasons) {
        if (!rv.is_object()) return source_invalid("reasons");
        SUNBID_ASSIGN_OR_RETURN(std::int64_t k_seat, Source::integer_of(rv.as_object(), "seat"));
        SUNBID_ASSIGN_OR_RETURN(std::string why, Source::text_of(rv.as_object(), "reason"));
        k.reasons.push_back(seat(k_seat) + "：" + why);
      }
      bid.criteria.push_back(std::move(k));
    }
    SUNBID_ASSIGN_OR_RETURN(const json::array* remarks, array_of(b, "remarks"));
    for (const auto& rv : *remarks) {
      if (!rv.is_object()) return source_invalid("remarks");
      const json::object& o = rv.as_object();
      SUNBID_ASSIGN_OR_RETURN(std::int64_t k_seat, Source::integer_of(o, "seat"));
      std::string line;
      for (const auto& [key, label] :
           {std::pair{"strengths", "优势"}, std::pair{"weaknesses", "不足"},
            std::pair{"risks", "风险"}}) {
        SUNBID_ASSIGN_OR_RETURN(std::string text, Source::text_of(o, key));
        if (text.empty()) continue;
        line += (line.empty() ? "" : "；") + std::string(label) + "：" + text;
      }
      if (!line.empty()) bid.remarks.push_back(seat(k_seat) + " " + line);
    }
    n.bids.push_back(std::move(bid));
  }
  return n;
}

}  // namespace

Result<std::string> render_document(std::string_view kind, std::string_view source_json,
                                    const documents::VerificationFooter& footer) {
  boost::system::error_code ec;
  json::value v = json::parse(source_json, ec);
  if (ec || !v.is_object()) return source_invalid("(not a JSON object)");
  const json::object& o = v.as_object();
  SUNBID_ASSIGN_OR_RETURN(std::string source_kind, Source::text_of(o, "kind"));
  if (source_kind != kind) return source_invalid("kind");
  if (kind == core::kTenderNoticeKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::TenderNoticeInput n, tender_notice_input(o));
    n.verification = footer;
    return documents::render_tender_notice(n);
  }
  if (kind == core::kTenderAmendedKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::TenderAmendedInput n, tender_amended_input(o));
    n.verification = footer;
    return documents::render_tender_amended(n);
  }
  if (kind == core::kTenderFailedKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::TenderFailedInput n, tender_failed_input(o));
    n.verification = footer;
    return documents::render_tender_failed(n);
  }
  if (kind == core::kOpeningRecordKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::OpeningRecordInput n, opening_record_input(o));
    n.notice.verification = footer;
    return documents::render_opening_record(n);
  }
  if (kind == core::kCandidatePublicityKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::CandidatePublicityInput n, candidate_publicity_input(o));
    n.notice.verification = footer;
    return documents::render_candidate_publicity(n);
  }
  if (kind == core::kAwardPublicityKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::AwardPublicityInput n, award_publicity_input(o));
    n.notice.verification = footer;
    return documents::render_award_publicity(n);
  }
  if (kind == core::kAwardNoticeKind || kind == core::kAwardResultNoticeKind) {
    const bool result = kind == core::kAwardResultNoticeKind;
    SUNBID_ASSIGN_OR_RETURN(documents::AwardLetterInput n, award_letter_input(o, result));
    n.notice.verification = footer;
    return result ? documents::render_award_result_notice(n) : documents::render_award_notice(n);
  }
  if (kind == core::kMotionResultKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::VoteResultInput n, motion_result_input(o));
    n.verification = footer;
    return documents::render_vote_result(n);
  }
  if (kind == core::kVoteResultKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::VoteResultInput n, vote_result_input(o));
    n.verification = footer;
    return documents::render_vote_result(n);
  }
  if (kind == core::kEvaluationReportKind || kind == core::kEvaluationReportNamedKind) {
    SUNBID_ASSIGN_OR_RETURN(documents::EvaluationReportInput n,
                            evaluation_report_input(o, kind == core::kEvaluationReportNamedKind));
    n.notice.verification = footer;
    return documents::render_evaluation_report(n);
  }
  return source_invalid("kind");
}

std::string verifier_key_id(std::string_view verifier_key) {
  const auto first = verifier_key.find('+');
  if (first == std::string_view::npos) return std::string(verifier_key);
  const auto second = verifier_key.find('+', first + 1);
  return std::string(verifier_key.substr(0, second));
}

std::string_view document_title_zh(std::string_view kind) {
  if (kind == core::kTenderNoticeKind) return "招标公告";
  if (kind == core::kTenderFailedKind) return "流标公告";
  if (kind == core::kTenderAmendedKind) return "补遗公告";
  if (kind == core::kOpeningRecordKind) return "开标记录表";
  if (kind == core::kCandidatePublicityKind) return "中标候选人公示";
  if (kind == core::kAwardPublicityKind) return "中标结果公示";
  if (kind == core::kEvaluationReportKind) return "评标报告";
  if (kind == core::kEvaluationReportNamedKind) return "评标报告（署名）";
  if (kind == core::kAwardNoticeKind) return "中标通知书";
  if (kind == core::kAwardResultNoticeKind) return "中标结果通知书";
  if (kind == core::kVoteResultKind) return "投票结果公告";
  if (kind == core::kMotionResultKind) return "表决结果公告";
  return kind;
}

std::string_view document_title_en(std::string_view kind) {
  if (kind == core::kTenderNoticeKind) return "Tender notice";
  if (kind == core::kTenderFailedKind) return "Tender failed notice";
  if (kind == core::kTenderAmendedKind) return "Amendment notice";
  if (kind == core::kOpeningRecordKind) return "Opening record";
  if (kind == core::kCandidatePublicityKind) return "Candidate publicity";
  if (kind == core::kAwardPublicityKind) return "Award publicity";
  if (kind == core::kEvaluationReportKind) return "Evaluation report";
  if (kind == core::kEvaluationReportNamedKind) return "Evaluation report (named)";
  if (kind == core::kAwardNoticeKind) return "Award notice";
  if (kind == core::kAwardResultNoticeKind) return "Award result notice";
  if (kind == core::kVoteResultKind) return "Vote result";
  if (kind == core::kMotionResultKind) return "Motion result";
  return kind;
}

std::string document_pdf_path(std::string_view subject, std::uint64_t log_index) {
  const auto motion = core::motion_of_subject(subject);
  return (motion ? "/api/v1/motions/" + std::string(*motion)
                 : "/api/v1/tenders/" + std::string(subject)) +
         "/documents/" + std::to_string(log_index) + ".pdf";
}

std::string document_file_name(std::string_view kind, std::string_view tender_id,
                               std::uint64_t log_index) {
  const std::string_view id = core::motion_of_subject(tender_id).value_or(tender_id);
  return std::string(document_title_zh(kind)) + "-" + std::string(id) + "-" +
         std::to_string(log_index) + ".pdf";
}

Result<std::size_t> DocumentPublisher::catch_up() {
  std::lock_guard lock(mu_);
  std::size_t rendered = 0;
  for (;;) {
    std::vector<core::StoredDocument> pending;
    std::optional<audit::StoredCheckpoint> checkpoint;
    {
      SUNBID_ASSIGN_OR_RETURN(auto lease, ledger_.reader());
      SUNBID_ASSIGN_OR_RETURN(checkpoint, audit::latest_checkpoint(lease.db()));
      if (!checkpoint) return rendered;
      SUNBID_ASSIGN_OR_RETURN(pending,
                              core::unrendered_documents(lease.db(), checkpoint->tree_size, 8));
    }
    if (pending.empty()) return rendered;
    for (const auto& doc : pending) {
      documents::VerificationFooter footer;
      footer.log_index = static_cast<std::int64_t>(doc.log_index);
      footer.checkpoint_size = static_cast<std::int64_t>(checkpoint->tree_size);
      footer.checkpoint_root_hex = hex_encode(checkpoint->root);
      footer.source_sha256_hex = doc.source_sha256_hex;
      footer.verifier_key_id = verifier_key_id(ledger_.verifier_key());
      footer.public_base_url = public_base_url_;
      // Off the writer: the command below only stores the bytes.
      SUNBID_ASSIGN_OR_RETURN(std::string pdf, render_document(doc.kind, doc.source_json, footer));
      core::RenderedPdf out{std::move(pdf), checkpoint->tree_size, footer.checkpoint_root_hex,
                            footer.verifier_key_id, footer.public_base_url};
      const std::uint64_t index = doc.log_index;
      SUNBID_ASSIGN_OR_RETURN(
          std::optional<std::uint64_t> appended,
          ledger_.run<std::optional<std::uint64_t>>(
              [&](audit::WriteTxn& txn) -> Result<std::optional<std::uint64_t>> {
                return core::store_rendered_document(txn, index, out);
              }));
      if (appended) ++rendered;
    }
  }
}

DocumentWorker::DocumentWorker(DocumentPublisher& publisher)
    : publisher_(publisher), thread_([this] { loop(); }) {}

DocumentWorker::~DocumentWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DocumentWorker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void DocumentWorker::loop() {
  std::string reported;  // the failure last reported, so that it is not repeated
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
    lock.unlock();
    auto r = publisher_.catch_up();
    if (!r.ok()) {
      const std::string text = r.error().to_string();
      if (text != reported) {
        std::fprintf(stderr, "sunbid: documents not rendered: %s\n", text.c_str());
        reported = text;
      }
    } else {
      reported.clear();
    }
    lock.lock();
    if (r.ok() && *r > 0 && !woken_) {
      // Idle after rendering: give the heap pages that pango, cairo and
      // fontconfig freed back to the system (glibc keeps them per arena
      // otherwise), so that an idle server holds only what it uses.
      lock.unlock();
      malloc_trim(0);
      lock.lock();
    }
  }
}

}  // namespace sunbid::server
