#include "ocds_release.h"

#include <boost/json/array.hpp>
#include <string_view>

#include "audit_log/error_codes.h"
#include "audit_log/time_format.h"
#include "ocds_json.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"
#include "tender_core/registry.h"

namespace sunbid::publication::detail {

namespace json = boost::json;

namespace {

// CPV 70330000-3: property management services of real estate on a fee or
// contract basis (物业管理服务).
constexpr std::string_view kCpvPropertyManagement = "70330000";

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t num(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

const json::object& obj(const json::object& o, std::string_view key) {
  static const json::object kEmpty;
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : kEmpty;
}

std::string decision_text(const json::object& decision) {
  const std::string m = str(decision, "method");
  if (m == "owners_vote") {
    return "业主大会表决（民法典第二百七十八条：参与表决专有部分面积和人数均过三分之二，"
           "经参与表决面积和人数过半数同意）/ owners' assembly vote (Civil Code art. 278)";
  }
  if (m == "committee_vote") return "评定委员会投票 / committee vote";
  if (m == "vote_then_lottery") return "投票入围后抽签 / vote to a shortlist, then a lottery";
  if (m == "composite_score") return "综合评分 / composite score";
  if (m == "lowest_price") return "合格投标中最低价 / lowest price among qualified bids";
  if (m == "lottery") return "合格投标人中公开抽签 / public lottery among qualified bidders";
  return m;
}

json::object org_ref(const json::object& party) {
  return {{"id", party.at("id")}, {"name", party.at("name")}};
}

// The party with `id`, added with `role` (or the role added to it).
json::object& upsert_party(json::object& release, const json::object& party,
                           std::string_view role) {
  json::array& parties = release["parties"].as_array();
  for (auto& p : parties) {
    auto& o = p.as_object();
    if (o.at("id") == party.at("id")) {
      auto& roles = o["roles"].as_array();
      bool has = false;
      for (const auto& r : roles) has = has || r.as_string() == role;
      if (!has) roles.emplace_back(role);
      return o;
    }
  }
  json::object p = party;
  p["roles"] = json::array{json::string(role)};
  parties.emplace_back(std::move(p));
  return parties.back().as_object();
}

Result<json::object> enterprise_party(audit::Database& db, std::string_view uscc) {
  SUNBID_ASSIGN_OR_RETURN(std::optional<std::string> name,
                          core::Registry::enterprise_name(db, uscc));
  json::object p;
  p["id"] = "CN-SAMR-" + std::string(uscc);
  p["name"] = name.value_or(std::string(uscc));
  // org-id.guide CN-SAMR: the unified social credit code (统一社会信用代码).
  p["identifier"] = {{"scheme", "CN-SAMR"}, {"id", uscc}};
  if (name) p["identifier"].as_object()["legalName"] = *name;
  return p;
}

// 选聘方案: the selection plan the owners' assembly passed (条例 27; the
// tender's frozen rules name it and carry its budget and term, and
// tender.published records the motion's result entry). OCDS `planning`:
// the rationale, the budget (its ceiling as the amount, in yuan per m² per
// month like every amount here, the range and the unit in the description)
// and the motion's 表决结果公告. A tender without a plan (one published
// before the gate) has no `planning`.
Status put_planning(audit::Database& db, const OcdsSettings& settings, json::object& r,
                    const json::object& entry) {
  const json::object& payload = obj(entry, "payload");
  const json::object& rules = obj(payload, "rules");
  const json::object& plan = obj(payload, "selection_plan");
  const std::string motion = str(plan, "motion_id");
  if (motion.empty()) return ok_status();
  const std::string passed = std::to_string(num(plan, "passed_index"));
  json::object planning;
  planning["rationale"] = "业主大会表决通过的选聘方案（议题 " + motion + "，表决结果记于日志第 " +
                          passed + " 条）/ the selection plan the owners' assembly passed (motion " +
                          motion + ", its result at log index " + passed + ")";
  const json::object& budget = obj(rules, "budget_fen_per_m2_month");
  if (!budget.empty()) {
    const std::string lo = decimal(num(budget, "min"), 2);
    const std::string hi = decimal(num(budget, "max"), 2);
    std::string text = "预算 " + lo + "–" + hi + " 元/平方米·月（上限为最高限价）";
    std::string en = "budget " + lo + "–" + hi + " yuan per m² per month (the maximum is the price ceiling)";
    if (const std::int64_t months = num(rules, "contract_term_months"); months > 0) {
      text += "，合同期限 " + std::to_string(months) + " 个月";
      en += "; a contract term of " + std::to_string(months) + " months";
    }
    planning["budget"] = {{"id", "plan-" + motion},
                          {"description", text + " / " + en},
                          {"amount", {{"amount", decimal(num(budget, "max"), 2)}, {"currency", "CNY"}}}};
  }
  SUNBID_ASSIGN_OR_RETURN(
      std::vector<core::StoredDocument> docs,
      core::tender_documents(db, core::motion_document_subject(motion),
                             parse_rfc3339_ms_utc(str(entry, "time")).value_or(0)));
  json::array links;
  for (const auto& d : docs) {
    if (d.kind != core::kMotionResultKind) continue;
    links.push_back(json::object{
        {"id", "doc-" + std::to_string(d.log_index)},
        {"documentType", "procurementPlan"},
        {"title", "选聘方案表决结果公告 / the selection plan's vote result"},
        {"url", settings.public_base_url + "/api/v1/motions/" + motion + "/documents/" +
                    std::to_string(d.log_index) + ".pdf"},
        {"format", "application/pdf"},
        {"language", "zh"}});
  }
  if (!links.empty()) planning["documents"] = std::move(links);
  r["planning"] = std::move(planning);
  return ok_status();
}

Result<json::object> first_release(audit::Database& db, const OcdsSettings& settings,
                                   const json::object& entry) {
  const json::object& payload = obj(entry, "payload");
  const std::string tender_id = str(entry, "tender");
  const std::string community_id = str(payload, "community_id");
  SUNBID_ASSIGN_OR_RETURN(core::Community c, core::Registry::community(db, community_id));
  json::object address{{"streetAddress", c.address},
                       {"locality", c.street},
                       {"region", "厦门市" + c.district},
                       {"countryName", "中国"}};
  if (c.street.empty()) address.erase("locality");
  if (c.address.empty()) address.erase("streetAddress");
  json::object buyer{
      {"id", "community-" + community_id}, {"name", c.name + "业主大会"}, {"address", address}};
  // The procuring entity is the organisation that tenders, never a person:
  // the owners' committee (业主委员会), the provisional committee
  // (临时物业管理委员会) or the community office (社区), as the tender froze
  // its tenderer's kind (a payload without one is an owners' committee's).
  const json::value* kind_code = payload.if_contains("tenderer_kind");
  const core::TendererKindNames& kind = core::tenderer_kind_names(
      kind_code != nullptr && kind_code->is_string() ? std::string_view(kind_code->as_string())
                                                     : std::string_view("owners_committee"));
  json::object procuring{{"id", "tenderer-" + community_id},
                         {"name", c.name + std::string(kind.name_suffix)},
                         {"address", address},
                         {"details",
                          {{"tendererKind", kind.code},
                           {"tendererKindName",
                            std::string(kind.zh) + " / " + std::string(kind.en)}}}};
  const json::object& rules = obj(payload, "rules");
  const json::object& tier = obj(payload, "service_tier");
  json::object r;
  r["ocid"] = settings.ocid_prefix + tender_id;
  r["id"] = "";
  r["date"] = "";
  r["tag"] = json::array{};
  r["initiationType"] = "tender";
  r["language"] = "zh";
  r["parties"] = json::array{};
  upsert_party(r, buyer, "buyer");
  upsert_party(r, procuring, "procuringEntity");
  r["buyer"] = org_ref(buyer);

  json::object t;
  t["id"] = tender_id;
  t["title"] = str(payload, "title");
  const std::string tier_name = str(tier, "name");
  t["description"] = c.name + " 物业服务（" + tier_name + "）/ property services, tier " +
                     str(tier, "code") + "; 参考价 " +
                     decimal(num(tier, "min_fen_per_m2_month"), 2) + "–" +
                     decimal(num(tier, "max_fen_per_m2_month"), 2) +
                     " 元/平方米·月 / reference price, yuan per m² per month";
  t["status"] = "active";
  t["procuringEntity"] = org_ref(procuring);
  json::object item{{"id", "1"},
                    {"description", tier_name},
                    {"classification",
                     {{"scheme", "CPV"},
                      {"id", kCpvPropertyManagement},
                      {"description", "物业管理服务 / property management services"}}}};
  if (const std::int64_t area = num(rules, "area_centi_m2"); area > 0) {
    item["quantity"] = decimal(area, 2);
    item["unit"] = {{"name", "平方米（专有部分面积）/ m² of exclusive area"}};
  }
  t["items"] = json::array{std::move(item)};
  t["procurementMethod"] = "open";
  t["procurementMethodDetails"] =
      "公开招标，定性评审、评定分离 / open tender, qualitative review separated from the decision";
  t["mainProcurementCategory"] = "services";
  t["awardCriteria"] = "qualityOnly";
  const json::object& decision = obj(rules, "decision");
  t["awardCriteriaDetails"] = decision_text(decision);
  t["submissionMethod"] = json::array{"electronicSubmission"};
  t["submissionMethodDetails"] =
      "密封投标：先提交承诺值，截止后揭示 / sealed bids: a commitment, revealed after the deadline";
  const json::object& q = obj(rules, "qualification");
  t["eligibilityCriteria"] = "信用等级不低于 " + str(q, "min_credit_grade") + "，星级不低于 " +
                             std::to_string(num(q, "min_star_rating")) +
                             " / credit grade at least " + str(q, "min_credit_grade") +
                             ", stars at least " + std::to_string(num(q, "min_star_rating"));
  t["tenderPeriod"] = {{"startDate", entry.at("time")}, {"endDate", str(rules, "bid_deadline")}};
  t["hasEnquiries"] = false;
  r["tender"] = std::move(t);
  SUNBID_TRY(put_planning(db, settings, r, entry));
  return r;
}

Status apply_opening(audit::Database& db, json::object& r, const json::object& entry) {
  const json::object& payload = obj(entry, "payload");
  const auto* rec = payload.if_contains("record");
  if (!rec || !rec->is_array()) return ok_status();
  json::array details;
  json::array tenderers;
  std::int64_t bids = 0;
  std::int64_t valid = 0;
  for (const auto& v : rec->as_array()) {
    const json::object& row = v.as_object();
    ++bids;
    SUNBID_ASSIGN_OR_RETURN(json::object party, enterprise_party(db, str(row, "bidder_uscc")));
    upsert_party(r, party, "tenderer");
    tenderers.push_back(org_ref(party));
    json::object bid;
    bid["id"] = str(row, "bid_id");
    bid["date"] = entry.at("time");
    const bool ok = row.contains("valid") && row.at("valid").is_bool() && row.at("valid").as_bool();
    bid["status"] = ok ? "valid" : "disqualified";
    bid["tenderers"] = json::array{org_ref(party)};
    if (ok) {
      ++valid;
      bid["value"] = {{"amount", decimal(num(row, "price_fen_per_m2_month"), 2)},
                      {"currency", "CNY"}};
    }
    details.push_back(std::move(bid));
  }
  json::object& t = r["tender"].as_object();
  t["numberOfTenderers"] = bids;
  if (!tenderers.empty()) t["tenderers"] = std::move(tenderers);
  json::array stats{
      json::object{
          {"id", "bids"}, {"measure", "bids"}, {"value", bids}, {"date", entry.at("time")}},
      json::object{{"id", "validBids"},
                   {"measure", "validBids"},
                   {"value", valid},
                   {"date", entry.at("time")}}};
  json::object b{{"statistics", std::move(stats)}};
  if (!details.empty()) b["details"] = std::move(details);
  r["bids"] = std::move(b);
  return ok_status();
}

// The winning bid's detail in the release (its bidder and price).
const json::object* bid_detail(const json::object& r, std::string_view bid_id) {
  const auto* b = r.if_contains("bids");
  if (!b) return nullptr;
  const auto* d = b->as_object().if_contains("details");
  if (!d) return nullptr;
  for (const auto& x : d->as_array()) {
    if (x.as_object().at("id").as_string() == bid_id) return &x.as_object();
  }
  return nullptr;
}

// `winner`: the bid decided (decision.made's `winner`, or the winner a
// lottery's draw.made decided).
Status apply_award(json::object& r, const json::object& entry, const std::string& winner) {
  const json::object* bid = bid_detail(r, winner);
  if (bid == nullptr) {
    return make_error("ocds_unknown_bid",
                      "决定所选投标不在开标记录中 / the decided bid is not in the opening record",
                      {{"bid_id", winner}});
  }
  const json::object supplier = bid->at("tenderers").as_array().at(0).as_object();
  // Add the supplier role to the party the opening named.
  for (auto& p : r["parties"].as_array()) {
    auto& o = p.as_object();
    if (o.at("id") == supplier.at("id")) {
      auto& roles = o["roles"].as_array();
      bool has = false;
      for (const auto& x : roles) has = has || x.as_string() == "supplier";
      if (!has) roles.emplace_back("supplier");
    }
  }
  json::object award;
  award["id"] = "award-" + winner;
  award["title"] = "中标人 / the winner";
  // 中标结果公示: pending until the award publicity ends (tender.awarded).
  award["status"] = "pending";
  award["date"] = entry.at("time");
  if (const auto* v = bid->if_contains("value")) award["value"] = *v;
  award["suppliers"] = json::array{supplier};
  award["relatedBid"] = winner;
  r["awards"] = json::array{std::move(award)};
  return ok_status();
}

// 合同: the contract recorded after the award (contract.recorded). The
// signed document is named by its SHA-256 only; the platform keeps no copy.
Status apply_contract(json::object& r, const json::object& entry) {
  const json::object& payload = obj(entry, "payload");
  const auto* awards = r.if_contains("awards");
  const json::object* award = nullptr;
  if (awards != nullptr && awards->is_array() && !awards->as_array().empty()) {
    award = &awards->as_array().front().as_object();
  }
  if (award == nullptr) {
    return make_error("ocds_unknown_bid",
                      "合同所属的决定不在开放数据中 / the contract's award is not in the release",
                      {{"bid_id", str(payload, "awarded_bid_id")}});
  }
  const std::string digest = str(payload, "document_sha256");
  const std::int64_t months = num(payload, "term_months");
  json::object contract;
  contract["id"] = "contract-" + str(payload, "tender_id");
  contract["awardID"] = award->at("id");
  contract["title"] = "物业服务合同 / property service contract";
  contract["description"] = "合同期限 " + std::to_string(months) + " 个月；合同文件 SHA-256 " +
                            digest + " / a term of " + std::to_string(months) +
                            " months; the signed document's SHA-256 " + digest;
  contract["status"] = "active";
  // The signing date is a China date: its midnight, China time.
  contract["dateSigned"] = str(payload, "signed_on") + "T00:00:00+08:00";
  if (const auto* v = award->if_contains("value")) contract["value"] = *v;
  json::object doc{{"id", "contract-document"},
                   {"documentType", "contractSigned"},
                   {"title", "已签订的合同 / the signed contract"},
                   {"description", "SHA-256 " + digest},
                   {"datePublished", entry.at("time")},
                   {"language", "zh"}};
  contract["documents"] = json::array{std::move(doc)};
  r["contracts"] = json::array{std::move(contract)};
  return ok_status();
}

// The official documents (docs/documents.md) a tender's release links: the
// section that holds the link, its OCDS documentType and its title. Kinds not
// listed (a motion's) are not a tender's.
struct DocumentKind {
  std::string_view kind;
  bool award;  // awards[0].documents (else tender.documents)
  std::string_view type;
  std::string_view title;
};
constexpr DocumentKind kDocumentKinds[] = {
    {core::kTenderNoticeKind, false, "tenderNotice", "招标公告 / tender notice"},
    {core::kTenderAmendedKind, false, "clarifications", "补遗/更正公告 / amendment notice"},
    {core::kTenderFailedKind, false, "tenderNotice", "流标公告 / notice of the failed tender"},
    {core::kOpeningRecordKind, false, "bidders", "开标记录表 / bid opening record"},
    {core::kEvaluationReportKind, false, "evaluationReports",
     "评标报告（按席位）/ evaluation report by seat"},
    {core::kEvaluationReportNamedKind, false, "evaluationReports",
     "评标报告（署名）/ evaluation report with the members' names"},
    {core::kCandidatePublicityKind, false, "shortlistedFirms",
     "中标候选人公示 / publicity of the candidates"},
    {core::kVoteResultKind, false, "evaluationReports", "投票结果公告 / result of the owners' vote"},
    {core::kAwardPublicityKind, true, "awardNotice", "中标结果公示 / publicity of the award"},
    {core::kAwardNoticeKind, true, "awardNotice", "中标通知书 / notice of award to the winner"},
    {core::kAwardResultNoticeKind, true, "awardNotice",
     "中标结果通知书 / notice of the result to the other bidders"},
};

// document.published of a tender: its PDF's link in the section the kind
// belongs to; the tag of that section's update, or nullopt for a kind that
// is not a tender's. The link is to the stored PDF, which the document
// worker renders after the entry (docs/documents.md); the entry's index
// names it for good.
std::optional<std::string_view> apply_document(const OcdsSettings& settings, json::object& r,
                                               const json::object& entry) {
  const json::object& payload = obj(entry, "payload");
  const std::string kind = str(payload, "kind");
  const DocumentKind* k = nullptr;
  for (const auto& x : kDocumentKinds) {
    if (x.kind == kind) k = &x;
  }
  if (k == nullptr) return std::nullopt;
  const std::string index = std::to_string(entry.at("index").to_number<std::uint64_t>());
  json::object doc{{"id", "doc-" + index},
                   {"documentType", k->type},
                   {"title", k->title},
                   {"description", "来源数据 SHA-256 " + str(payload, "source_sha256") +
                                       " / the source's SHA-256"},
                   {"url", settings.public_base_url + "/api/v1/tenders/" + str(entry, "tender") +
                               "/documents/" + index + ".pdf"},
                   {"datePublished", entry.at("time")},
                   {"format", "application/pdf"},
                   {"language", "zh"}};
  json::object* section = &r["tender"].as_object();
  std::string_view tag = "tenderUpdate";
  if (k->award) {
    if (auto* a = r.if_contains("awards"); a && a->is_array() && !a->as_array().empty()) {
      section = &a->as_array().front().as_object();
      tag = "awardUpdate";
    }
  }
  json::array docs;
  if (const auto* d = section->if_contains("documents")) docs = d->as_array();
  docs.push_back(std::move(doc));
  (*section)["documents"] = std::move(docs);
  return tag;
}

}  // namespace

Result<std::optional<json::object>> next_release(audit::Database& db, const OcdsSettings& settings,
                                                 const json::object* previous,
                                                 const json::object& entry) {
  const std::string type = str(entry, "type");
  json::object r;
  std::string tag;
  if (type == "tender.published") {
    if (previous != nullptr) return std::optional<json::object>{};
    SUNBID_ASSIGN_OR_RETURN(r, first_release(db, settings, entry));
    tag = "tender";
  } else {
    // Only a published tender has a public record.
    if (previous == nullptr) return std::optional<json::object>{};
    r = *previous;
    const json::object& payload = obj(entry, "payload");
    json::object& t = r["tender"].as_object();
    if (type == "tender.amended") {
      tag = "tenderAmendment";
      json::array amendments;
      if (const auto* a = t.if_contains("amendments")) amendments = a->as_array();
      json::object am{{"id", std::to_string(num(payload, "amendment"))},
                      {"date", entry.at("time")},
                      {"description", str(payload, "text")}};
      amendments.push_back(std::move(am));
      t["amendments"] = std::move(amendments);
      t["tenderPeriod"].as_object()["endDate"] = str(payload, "new_deadline");
    } else if (type == "tender.opened") {
      tag = "tenderUpdate";
      SUNBID_TRY(apply_opening(db, r, entry));
    } else if (type == "decision.made") {
      const std::string result = str(payload, "result");
      if (result == "award") {
        tag = "award";
        SUNBID_TRY(apply_award(r, entry, str(payload, "winner")));
      } else if (result == "failed") {
        tag = "tenderUpdate";
        t["status"] = "unsuccessful";
      } else {
        return std::optional<json::object>{};  // a round, a draw pending: no new stage
      }
    } else if (type == "draw.made") {
      // A lottery (抽签) or a vote's tie broken by lot decides the winner
      // in the draw's own entry (decision.made said pending_draw).
      const json::object& decision = obj(payload, "decision");
      if (str(decision, "kind") != "winner") return std::optional<json::object>{};
      tag = "award";
      SUNBID_TRY(apply_award(r, entry, str(decision, "winner")));
    } else if (type == "tender.awarded") {
      tag = "awardUpdate";
      t["status"] = "complete";
      if (auto* a = r.if_contains("awards")) {
        for (auto& x : a->as_array()) x.as_object()["status"] = "active";
      }
    } else if (type == "contract.recorded") {
      tag = "contract";
      SUNBID_TRY(apply_contract(r, entry));
    } else if (type == "tender.failed") {
      tag = "tenderUpdate";
      t["status"] = "unsuccessful";
    } else if (type == "document.published") {
      const std::optional<std::string_view> section = apply_document(settings, r, entry);
      if (!section) return std::optional<json::object>{};
      tag = *section;
    } else if (type == "tender.cancelled") {
      tag = "tenderCancellation";
      t["status"] = "cancelled";
    } else {
      return std::optional<json::object>{};
    }
  }
  r["id"] = "log-" + std::to_string(entry.at("index").to_number<std::uint64_t>());
  r["date"] = entry.at("time");
  // The first release of a tender behind a selection plan also gives its
  // planning stage.
  if (type == "tender.published" && r.contains("planning")) {
    r["tag"] = json::array{"planning", json::string(tag)};
  } else {
    r["tag"] = json::array{json::string(tag)};
  }
  return std::optional<json::object>{std::move(r)};
}

}  // namespace sunbid::publication::detail
