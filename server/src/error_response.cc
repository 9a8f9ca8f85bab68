#include "server/error_response.h"

#include <boost/json/serialize.hpp>
#include <string>
#include <unordered_map>

namespace sunbid::server {

namespace {

// Stable error codes → HTTP status. Codes not listed are server faults (500).
const std::unordered_map<std::string_view, int>& status_table() {
  static const std::unordered_map<std::string_view, int> table = {
      // 400: the request itself is malformed.
      {"invalid_json", 400},
      {"non_integer_number", 400},
      {"unknown_field", 400},
      {"missing_field", 400},
      {"invalid_field", 400},
      {"invalid_query", 400},
      {"bad_request", 400},
      {"time_invalid", 400},
      {"commitment_invalid", 400},
      {"salt_invalid", 400},
      {"rules_not_object", 400},
      {"rules_unknown_field", 400},
      {"rules_missing_field", 400},
      {"rules_wrong_type", 400},
      {"unsupported_media_type", 415},
      // 401 / 403: who is asking.
      {"unauthenticated", 401},
      {"invalid_credentials", 401},
      {"session_invalid", 401},
      {"forbidden", 403},
      // 403: the role may act, but not on this object (tender_core's
      // relations: another community, not an enterprise, not entitled).
      {"not_tenderer_of_community", 403},
      {"not_an_enterprise", 403},
      {"bidder_type_not_allowed", 403},
      {"not_supervisor", 403},
      {"objection_not_entitled", 403},
      // evaluation's relations: a drawn member of THIS tender, an owner or a
      // deciding tenderer of ITS community, who may read what.
      {"not_admin", 403},
      {"not_evaluator", 403},
      {"not_owner", 403},
      {"not_tenderer", 403},
      {"not_a_committee_member", 403},
      {"not_an_owner", 403},
      {"not_a_voter", 403},
      {"owner_not_on_roster", 403},
      {"not_allowed", 403},
      // 404 / 405.
      {"not_found", 404},
      {"checkpoint_not_found", 404},
      {"community_not_found", 404},
      {"enterprise_not_found", 404},
      {"tender_not_found", 404},
      {"bid_not_found", 404},
      {"objection_not_found", 404},
      {"account_not_found", 404},
      {"expert_not_found", 404},
      {"method_not_allowed", 405},
      // 409: a state conflict.
      {"username_taken", 409},
      {"enterprise_exists", 409},
      {"tender_not_draft", 409},
      {"tender_not_published", 409},
      {"tender_not_suspended", 409},
      {"tender_suspended", 409},
      {"tender_cancelled", 409},
      {"tender_failed", 409},
      {"tender_awarded", 409},
      {"action_not_allowed", 409},
      {"transition_pending", 409},
      {"bid_after_deadline", 409},
      {"not_in_reveal_window", 409},
      {"bid_already_revealed", 409},
      {"opening_not_public", 409},
      {"objection_window_closed", 409},
      {"objection_already_answered", 409},
      {"objection_unanswered", 409},
      {"roster_locked_by_vote", 409},
      // evaluation: the stage does not allow it now.
      {"tender_wrong_status", 409},
      {"checkpoint_pending", 409},
      {"expert_exists", 409},
      // The committee's expert list is committed once bidding has closed.
      {"pool_not_committed", 409},
      {"already_declared", 409},
      {"not_declared", 409},
      {"already_submitted", 409},
      {"duplicate_submission", 409},
      {"review_closed", 409},
      {"clearing_not_ready", 409},
      {"candidates_not_public", 409},
      {"no_pending_draw", 409},
      {"decision_pending_draw", 409},
      {"cancel_requires_supervisor", 409},
      {"wrong_method", 409},
      {"vote_window_closed", 409},
      {"vote_window_open", 409},
      {"wrong_round", 409},
      {"already_voted", 409},
      // Recusal of the deciding committee (legal M7).
      {"already_recused", 409},
      {"recusal_quorum", 409},
      {"award_not_public", 409},
      // 413 / 431: sizes.
      {"body_too_large", 413},
      {"header_too_large", 431},
      // 422: a rule violation on a well-formed request.
      {"index_out_of_range", 422},
      {"consistency_from_empty_tree", 422},
      {"consistency_sizes_reversed", 422},
      {"account_relation_invalid", 422},
      {"community_invalid", 422},
      {"roster_invalid", 422},
      {"enterprise_invalid", 422},
      {"uscc_length", 422},
      {"uscc_charset", 422},
      {"uscc_check", 422},
      {"uscc_region", 422},
      {"uscc_org_code", 422},
      {"uscc_authority_type", 422},
      {"ratings_empty", 422},
      {"credit_grade_unknown", 422},
      {"credit_score_range", 422},
      {"star_rating_range", 422},
      {"service_tier_invalid", 422},
      {"calendar_invalid", 422},
      {"service_tier_unknown", 422},
      {"tender_invalid", 422},
      {"tender_unchanged", 422},
      {"rules_invalid_value", 422},
      {"deadline_too_soon", 422},
      {"amendment_deadline_earlier", 422},
      {"extension_invalid", 422},
      {"reason_required", 422},
      {"rule_required", 422},
      {"roster_required", 422},
      {"decision_committee_invalid", 422},
      {"bid_invalid", 422},
      {"reveal_mismatch", 422},
      {"bidder_not_qualified", 422},
      {"retender_invalid", 422},
      {"objection_invalid", 422},
      {"candidates_invalid", 422},
      {"award_invalid", 422},
      // evaluation: rule violations on a well-formed request.
      {"expert_invalid", 422},
      {"expert_not_evaluator", 422},
      {"beacon_invalid", 422},
      // Not the first trading day after the entry that fixed the draw's inputs.
      {"beacon_date_not_allowed", 422},
      // The right date, but after today (China time): retry on that date.
      {"beacon_date_in_future", 409},
      {"committee_specialty_unavailable", 422},
      {"committee_specialties_invalid", 422},
      {"invalid_draw_field", 422},
      {"too_few_experts", 422},
      {"unknown_bid", 422},
      {"unknown_criterion", 422},
      {"criterion_marked_twice", 422},
      {"criterion_not_marked", 422},
      {"fail_without_reason", 422},
      {"not_a_candidate", 422},
      // 429: throttled.
      {"too_many_attempts", 429},
      // 503: the service cannot answer now.
      {"ledger_stopped", 503},
      {"shutting_down", 503},
      // Limits and insiders (issue 11, items 14 and 15; security A7-A11,
      // A16-A18).
      {"dev_clock_not_loopback", 400},
      {"account_disabled", 403},
      {"approval_not_found", 404},
      {"account_binding_held", 409},
      {"approval_not_pending", 409},
      {"member_has_submitted", 409},
      {"objection_too_long", 413},
      // A tender draft's title or rules over their cap (details field, limit_bytes).
      {"field_too_long", 413},
      {"bid_price_out_of_range", 422},
      {"too_many_replacements", 429},
      {"login_busy", 503},
  };
  return table;
}

// RFC 3629 UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

int http_status_for(std::string_view code) {
  const auto& table = status_table();
  auto it = table.find(code);
  return it == table.end() ? 500 : it->second;
}

Response error_response(const Error& error) {
  Response r;
  r.status = http_status_for(error.code);
  boost::json::object inner;
  inner["code"] = error.code;
  if (r.status == 500) {
    // Storage and internal failures are logged by the caller; the client
    // learns only that the fault is ours, not the SQL or the path.
    inner["message"] = "服务器内部错误 / internal server error";
    inner["details"] = boost::json::object{};
  } else {
    inner["message"] = error.message;
    inner["details"] = error.details;
  }
  boost::json::object outer;
  outer["error"] = std::move(inner);
  r.body = boost::json::serialize(outer);
  if (!is_valid_utf8(r.body)) {
    // Details may echo client bytes (a header, a percent-decoded query
    // name); an answer must still be valid JSON, so they are dropped.
    outer["error"].as_object()["details"] = boost::json::object{};
    r.body = boost::json::serialize(outer);
  }
  if (r.status == 429) {
    if (auto* v = error.details.if_contains("retry_after_s"); v && v->is_int64()) {
      r.headers.emplace_back("Retry-After", std::to_string(v->as_int64()));
    }
  }
  return r;
}

}  // namespace sunbid::server
