#include "tender_json.h"

#include "json_fields.h"
#include "tender_core/time.h"

namespace sunbid::server {

namespace {

Result<const boost::json::array*> items_of(const boost::json::object& body) {
  JsonFields f(body);
  const boost::json::value* v = body.if_contains("items");
  if (!v) {
    return make_error("missing_field", "缺少必填字段 / a required field is missing",
                      {{"field", "/items"}});
  }
  if (!v->is_array()) {
    return make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                      {{"field", "/items"}, {"expected", "array"}});
  }
  for (const auto& kv : body) {
    if (kv.key() != "items") {
      return make_error("unknown_field", "未知字段 / unknown field",
                        {{"field", "/" + std::string(kv.key())}});
    }
  }
  return &v->as_array();
}

Error item_not_object(std::size_t i) {
  return make_error("invalid_field", "字段类型错误 / the field has the wrong type",
                    {{"field", "/items/" + std::to_string(i)}, {"expected", "object"}});
}

}  // namespace

boost::json::object community_json(const core::Community& c) {
  boost::json::object o{
      {"id", c.id},         {"name", c.name},       {"district", c.district},
      {"street", c.street}, {"address", c.address}, {"roster_version", c.roster_version}};
  if (c.roster_version > 0) {
    o["roster"] = {{"units", c.totals.units},
                   {"owners_headcount", c.totals.owners_headcount},
                   {"total_area_centi_m2", c.totals.total_area_centi_m2}};
  } else {
    o["roster"] = nullptr;
  }
  return o;
}

boost::json::object tender_json(const core::TenderView& t) {
  auto time_or_null = [](const std::optional<std::int64_t>& ms) -> boost::json::value {
    if (!ms) return nullptr;
    return boost::json::string(core::format_rfc3339_ms(*ms));
  };
  boost::json::object o{{"id", t.id},
                        {"community_id", t.community_id},
                        {"title", t.title},
                        {"status", std::string(core::to_string(t.status))},
                        {"rules", t.rules},
                        {"published_at", time_or_null(t.published_ms)},
                        {"bid_deadline", time_or_null(t.bid_deadline_ms)},
                        {"reveal_closes_at", time_or_null(t.reveal_close_ms)},
                        {"deadline_held", t.deadline_held},
                        {"amendments", t.amendments}};
  o["suspended_from"] = t.suspended_from
                            ? boost::json::value(std::string(core::to_string(*t.suspended_from)))
                            : boost::json::value(nullptr);
  o["service_tier"] = t.tier ? boost::json::value(core::to_json(*t.tier)) : nullptr;
  o["end_reason"] = t.end_reason ? boost::json::value(*t.end_reason) : nullptr;
  o["cancel_rule"] = t.cancel_rule ? boost::json::value(*t.cancel_rule) : nullptr;
  o["awarded_bid_id"] = t.awarded_bid_id ? boost::json::value(*t.awarded_bid_id) : nullptr;
  o["retender_of"] = t.retender_of ? boost::json::value(*t.retender_of) : nullptr;
  return o;
}

boost::json::object bid_summary_json(const core::BidSummary& b) {
  boost::json::object o{{"bid_id", b.bid_id},
                        {"bidder_uscc", b.bidder_uscc},
                        {"commitment_sha256_hex", b.commitment},
                        {"receipt_index", static_cast<std::int64_t>(b.receipt_index)},
                        {"revealed", b.revealed}};
  o["bid"] = b.bid ? boost::json::value(core::to_json(*b.bid)) : nullptr;
  return o;
}

boost::json::object opening_row_json(const core::OpeningRow& r) {
  boost::json::object o{{"bid_id", r.bid_id}, {"bidder_uscc", r.bidder_uscc}, {"valid", r.valid}};
  o["reason"] = r.valid ? boost::json::value(nullptr) : boost::json::value(r.reason);
  boost::json::array disqualified;
  for (const auto& d : r.disqualified) disqualified.emplace_back(d);
  o["disqualified"] = std::move(disqualified);
  o["bid"] = r.bid ? boost::json::value(core::to_json(*r.bid)) : nullptr;
  return o;
}

boost::json::object objection_json(const core::ObjectionView& v) {
  boost::json::object o{{"id", v.id},
                        {"stage", v.stage},
                        {"objector_digest", v.objector_digest},
                        {"text", v.text},
                        {"filed_at", core::format_rfc3339_ms(v.filed_ms)},
                        {"overdue", v.overdue}};
  o["objector_account"] =
      v.objector_account ? boost::json::value(*v.objector_account) : boost::json::value(nullptr);
  o["answer"] = v.answer ? boost::json::value(*v.answer) : nullptr;
  o["answered_at"] = v.answered_ms ? boost::json::value(core::format_rfc3339_ms(*v.answered_ms))
                                   : boost::json::value(nullptr);
  o["answer_due"] = v.answer_due_ms ? boost::json::value(core::format_rfc3339_ms(*v.answer_due_ms))
                                    : boost::json::value(nullptr);
  return o;
}

Result<std::vector<core::RatingInput>> ratings_from_json(const boost::json::object& body) {
  SUNBID_ASSIGN_OR_RETURN(const boost::json::array* items, items_of(body));
  std::vector<core::RatingInput> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    if (!item.is_object()) return item_not_object(i);
    std::string prefix = "/items/" + std::to_string(i);
    JsonFields f(item.as_object(), prefix);
    core::RatingInput r;
    SUNBID_ASSIGN_OR_RETURN(r.uscc, f.required_string("uscc"));
    SUNBID_ASSIGN_OR_RETURN(r.rating.credit_grade, f.required_string("credit_grade"));
    SUNBID_ASSIGN_OR_RETURN(std::int64_t score, f.required_int("credit_score"));
    SUNBID_ASSIGN_OR_RETURN(std::int64_t stars, f.required_int("star_rating"));
    SUNBID_ASSIGN_OR_RETURN(r.rating.blacklisted, f.required_bool("blacklisted"));
    SUNBID_ASSIGN_OR_RETURN(std::string from, f.required_string("effective_from"));
    SUNBID_TRY(f.finish());
    // Out-of-range values are the registry's refusals (credit_score_range,
    // star_rating_range); clamp only what cannot fit in int32 to a value
    // that those checks refuse.
    r.rating.credit_score =
        static_cast<std::int32_t>(std::clamp<std::int64_t>(score, -1, 1'000'000));
    r.rating.star_rating = static_cast<std::int32_t>(std::clamp<std::int64_t>(stars, -1, 1'000));
    auto at = core::parse_rfc3339_ms(from);
    if (!at.ok()) {
      return make_error("invalid_field", "时间格式无效 / not an RFC 3339 time",
                        {{"field", prefix + "/effective_from"}});
    }
    r.rating.effective_from_ms = *at;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<core::ServiceTier>> service_tiers_from_json(const boost::json::object& body) {
  SUNBID_ASSIGN_OR_RETURN(const boost::json::array* items, items_of(body));
  std::vector<core::ServiceTier> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    if (!item.is_object()) return item_not_object(i);
    // The shape first, like every body (400 naming the member); then the
    // registry's value checks (422 service_tier_invalid).
    JsonFields f(item.as_object(), "/items/" + std::to_string(i));
    SUNBID_ASSIGN_OR_RETURN(auto code, f.required_string("code"));
    SUNBID_ASSIGN_OR_RETURN(auto name, f.required_string("name"));
    SUNBID_ASSIGN_OR_RETURN(auto min, f.required_int("min_fen_per_m2_month"));
    SUNBID_ASSIGN_OR_RETURN(auto max, f.required_int("max_fen_per_m2_month"));
    SUNBID_ASSIGN_OR_RETURN(auto present, f.required_value("required_items"));
    SUNBID_ASSIGN_OR_RETURN(auto required, f.optional_string_array("required_items"));
    SUNBID_TRY(f.finish());
    (void)code, (void)name, (void)min, (void)max, (void)present, (void)required;
    auto tier = core::service_tier_from_json(item.as_object());
    if (!tier.ok()) {
      Error e = std::move(tier).error();
      e.details["item"] = static_cast<std::int64_t>(i);
      return e;
    }
    out.push_back(std::move(tier).value());
  }
  return out;
}

}  // namespace sunbid::server
