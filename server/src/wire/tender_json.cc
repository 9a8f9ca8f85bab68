#include "wire/tender_json.h"

#include "tender_core/time.h"

namespace sunbid::server {

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

boost::json::object window_plan_json(const core::WindowPlan& p) {
  using core::format_rfc3339_ms;
  boost::json::object o;
  o["published_at"] = format_rfc3339_ms(p.published_ms);
  o["bid_deadline"] = format_rfc3339_ms(p.bid_deadline_ms);
  o["minimum_bidding_days"] = p.minimum_bidding_days;
  o["earliest_bid_deadline"] = format_rfc3339_ms(p.earliest_deadline_ms);
  o["meets_minimum_period"] = p.meets_minimum_period;
  o["document_objections_until"] = format_rfc3339_ms(p.document_objections_until_ms);
  o["amendments_keep_deadline_until"] = format_rfc3339_ms(p.amendments_keep_deadline_until_ms);
  o["reveal_closes_at"] = format_rfc3339_ms(p.reveal_closes_ms);
  o["calendar_version"] = p.calendar_version;
  o["earliest_candidate_publicity_end"] = format_rfc3339_ms(p.earliest_candidate_publicity_end_ms);
  o["earliest_vote_close"] = p.earliest_vote_close_ms
                                 ? boost::json::value(format_rfc3339_ms(*p.earliest_vote_close_ms))
                                 : boost::json::value(nullptr);
  o["earliest_award_publicity_end"] = format_rfc3339_ms(p.earliest_award_publicity_end_ms);
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

boost::json::object opening_row_json(const core::OpeningRow& r,
                                     const std::optional<std::string>& bidder_name) {
  boost::json::object o{{"bid_id", r.bid_id}, {"bidder_uscc", r.bidder_uscc}, {"valid", r.valid}};
  o["bidder_name"] = bidder_name ? boost::json::value(*bidder_name) : nullptr;
  o["reason"] = r.valid ? boost::json::value(nullptr) : boost::json::value(r.reason);
  boost::json::array disqualified;
  for (const auto& d : r.disqualified) disqualified.emplace_back(d);
  o["disqualified"] = std::move(disqualified);
  o["bid"] = r.bid ? boost::json::value(core::to_json(*r.bid)) : nullptr;
  // 菜单式服务: items priced outside their reference range (flags only).
  if (r.bid && r.bid->item_prices) o["menu_flags"] = core::to_json(r.menu_flags);
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

}  // namespace sunbid::server
