// Errors with a kind (issue 12, item 5): the one registry of error codes
// (audit_log/error_codes.h), the OpenAPI contract's x-error-codes generated
// from it, and a scan of the sources for the codes they can return.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "audit_log/error_codes.h"
#include "audit_log/result.h"
#include "audit_log/sqlite.h"
#include "server/error_response.h"

#ifndef SUNBID_SOURCE_DIR
#error "SUNBID_SOURCE_DIR must name the source tree (tests/CMakeLists.txt)"
#endif

using namespace sunbid;
using namespace sunbid::server;

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Positions just after each "name(" in text where name is a whole identifier.
std::vector<std::size_t> calls_of(const std::string& text, const std::string& name) {
  std::vector<std::size_t> out;
  const std::string needle = name + "(";
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) {
    if (p > 0 && is_identifier_char(text[p - 1])) continue;
    out.push_back(p + needle.size());
  }
  return out;
}

bool is_snake_case(std::string_view s) {
  if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// The status each code had in server/src/error_response.cc's table before
// the registry replaced it (issue 12); a code not listed answered 500.
const std::map<std::string, int>& statuses_before_issue_12() {
  static const std::map<std::string, int> table = {
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
      {"unauthenticated", 401},
      {"invalid_credentials", 401},
      {"session_invalid", 401},
      {"forbidden", 403},
      {"not_tenderer_of_community", 403},
      {"not_an_enterprise", 403},
      {"bidder_type_not_allowed", 403},
      {"not_supervisor", 403},
      {"objection_not_entitled", 403},
      {"not_admin", 403},
      {"not_evaluator", 403},
      {"not_owner", 403},
      {"not_tenderer", 403},
      {"not_a_committee_member", 403},
      {"not_an_owner", 403},
      {"not_a_voter", 403},
      {"owner_not_on_roster", 403},
      {"not_allowed", 403},
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
      {"tender_wrong_status", 409},
      {"checkpoint_pending", 409},
      {"expert_exists", 409},
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
      {"already_recused", 409},
      {"recusal_quorum", 409},
      {"award_not_public", 409},
      {"body_too_large", 413},
      {"header_too_large", 431},
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
      {"expert_invalid", 422},
      {"expert_not_evaluator", 422},
      {"beacon_invalid", 422},
      {"beacon_date_not_allowed", 422},
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
      {"too_many_attempts", 429},
      {"ledger_stopped", 503},
      {"shutting_down", 503},
      {"dev_clock_not_loopback", 400},
      {"account_disabled", 403},
      {"approval_not_found", 404},
      {"account_binding_held", 409},
      {"approval_not_pending", 409},
      {"member_has_submitted", 409},
      {"objection_too_long", 413},
      {"field_too_long", 413},
      {"bid_price_out_of_range", 422},
      {"too_many_replacements", 429},
      {"login_busy", 503},
  };
  return table;
}

// Registered codes that no source returns today, and why they stay.
const std::map<std::string, std::string>& not_produced() {
  static const std::map<std::string, std::string> codes = {
      {"rules_not_object",
       "in the server's table before issue 12; rules that are not an object are "
       "refused earlier (the request decoders, rules_wrong_type)"},
      {"shutting_down",
       "in the server's table before issue 12; kept at 503 for a refusal "
       "during shutdown"},
  };
  return codes;
}

// A call's arguments, split at top-level commas (string and character
// literals and nested brackets respected). `pos` is just after the '('.
std::vector<std::string> call_arguments(const std::string& text, std::size_t pos) {
  std::vector<std::string> args;
  std::string cur;
  int depth = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != c) j += text[j] == '\\' ? 2 : 1;
      cur.append(text, i, j - i + 1);
      i = j;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    }
    if (c == ',' && depth == 0) {
      args.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  args.push_back(cur);
  for (auto& a : args) {
    auto b = a.find_first_not_of(" \t\r\n");
    auto e = a.find_last_not_of(" \t\r\n");
    a = b == std::string::npos ? "" : a.substr(b, e - b + 1);
  }
  return args;
}

// The code of a whole-literal argument ("bid_invalid"), or "".
std::string literal_code(const std::string& arg) {
  if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') {
    std::string inner = arg.substr(1, arg.size() - 2);
    if (is_snake_case(inner)) return inner;
  }
  return "";
}

// make_error calls whose code is not a literal: the helpers that forward a
// code their callers pass as a literal. Each names the helper; its calls are
// scanned like make_error's (the first whole-literal snake_case argument).
struct Forwarder {
  std::string file;      // relative to the source dir
  std::string argument;  // make_error's first argument there
  std::string helper;    // the function whose callers pass the code
};
const std::vector<Forwarder>& forwarders() {
  static const std::vector<Forwarder> list = {
      {"audit_log/src/canonical_json.cc", "std::move(code)", "encode_error"},
      {"audit_log/src/strict_json.cc", "code", "refuse"},
      {"tender_core/src/service.cc", "std::string(code)", "require_text"},
      {"tender_core/src/store.cc", "std::move(code)", "not_found"},
      {"tender_core/src/tender_machine.cc", "std::move(code)", "refusal"},
      {"evaluation/src/eval_store.cc", "std::move(code)", "refusal"},
      {"evaluation/src/review.cc", "code", "check_list"},
      {"evaluation/src/scoring.cc", "std::string(code)", "check_ids"},
      {"accounts/src/accounts.cc", "std::move(code)", "field_error"},
      {"accounts/src/activation.cc", "std::move(code)", "field_error"},
      {"assembly/src/motion_service.cc", "std::move(code)", "refusal"},
  };
  return list;
}

struct Scan {
  std::map<std::string, std::string> produced;  // code -> first site
  std::vector<std::string> unlisted;            // make_error(<not a literal>) not in forwarders()
};

Scan scan_sources() {
  const fs::path root = SUNBID_SOURCE_DIR;
  std::vector<std::string> helpers = {"make_error", "require_role"};
  for (const auto& f : forwarders()) helpers.push_back(f.helper);
  Scan scan;
  for (const char* dir : {"audit_log", "documents", "tender_core", "accounts", "evaluation",
                          "assembly", "publication", "server", "tools"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".cc" && ext != ".h")) continue;
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      if (rel == "audit_log/include/audit_log/result.h") continue;  // make_error itself
      const std::string text = read_file(entry.path());
      for (const auto& name : helpers) {
        for (std::size_t after : calls_of(text, name)) {
          auto args = call_arguments(text, after);
          const std::string line = std::to_string(
              std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(after), '\n') +
              1);
          const std::string site = rel + ":" + line;
          if (name == "require_role") {
            if (args.size() == 2 && !literal_code(args[1]).empty()) {
              scan.produced.emplace("not_" + literal_code(args[1]), site);
            }
            continue;
          }
          if (name == "make_error") {
            if (args.empty() || args[0].empty() || args[0].starts_with("std::string code"))
              continue;
            if (!literal_code(args[0]).empty()) {
              scan.produced.emplace(literal_code(args[0]), site);
            } else if (args[0] == "kStorageError" || args[0] == "audit::kStorageError") {
              scan.produced.emplace(audit::kStorageError, site);
            } else {
              bool listed = false;
              for (const auto& f : forwarders()) listed |= f.file == rel && f.argument == args[0];
              if (!listed) scan.unlisted.push_back(site + ": make_error(" + args[0] + ", ...)");
            }
            continue;
          }
          for (const auto& a : args) {
            if (!literal_code(a).empty()) {
              scan.produced.emplace(literal_code(a), site);
              break;
            }
          }
        }
      }
    }
  }
  return scan;
}

boost::json::object openapi() {
  auto doc =
      boost::json::parse(read_file(fs::path(SUNBID_SOURCE_DIR) / "schemas" / "openapi.json"));
  return doc.as_object();
}

}  // namespace

TEST_CASE("the registry lists each code once, with a kind and two default texts", "[error_kinds]") {
  std::set<std::string_view> seen;
  REQUIRE(error_codes().size() > 200);
  for (const auto& c : error_codes()) {
    INFO(c.code);
    CHECK(is_snake_case(c.code));
    CHECK(seen.insert(c.code).second);
    CHECK(!c.zh.empty());
    CHECK(!c.en.empty());
    CHECK(c.zh.find(" / ") == std::string_view::npos);
    CHECK(c.en.find(" / ") == std::string_view::npos);
    CHECK(find_error_code(c.code) == &c);
    CHECK(error_kind(c.code) == c.kind);
    CHECK(make_error(std::string(c.code), "").kind == c.kind);
  }
  CHECK(find_error_code("no_such_code") == nullptr);
  CHECK(error_kind("no_such_code") == ErrorKind::internal);
  CHECK(make_error("no_such_code", "").kind == ErrorKind::internal);
}

TEST_CASE("the kinds answer the statuses of issue 12", "[error_kinds]") {
  CHECK(http_status(ErrorKind::invalid) == 400);
  CHECK(http_status(ErrorKind::unauthenticated) == 401);
  CHECK(http_status(ErrorKind::forbidden) == 403);
  CHECK(http_status(ErrorKind::not_found) == 404);
  CHECK(http_status(ErrorKind::conflict) == 409);
  CHECK(http_status(ErrorKind::too_large) == 413);
  CHECK(http_status(ErrorKind::unprocessable) == 422);
  CHECK(http_status(ErrorKind::rate_limited) == 429);
  CHECK(http_status(ErrorKind::internal) == 500);
  CHECK(http_status(ErrorKind::unavailable) == 503);
  // Kept so that no existing code changes its status (docs/errors.md).
  CHECK(http_status(ErrorKind::method_not_allowed) == 405);
  CHECK(http_status(ErrorKind::unsupported_media_type) == 415);
  CHECK(http_status(ErrorKind::header_too_large) == 431);
  CHECK(to_string(ErrorKind::not_found) == "not_found");
  CHECK(to_string(ErrorKind::header_too_large) == "header_too_large");
}

TEST_CASE("every code keeps the status it had before the registry", "[error_kinds]") {
  const auto& before = statuses_before_issue_12();
  for (const auto& [code, status] : before) {
    INFO(code);
    REQUIRE(find_error_code(code) != nullptr);
    CHECK(http_status(find_error_code(code)->kind) == status);
    CHECK(error_response(make_error(code, "x / x")).status == status);
  }
  // A code absent from the old table answered 500, and still does, but for
  // the refusals a client could trigger that the old table had missed (a
  // defect: a client's fault answered as a server fault).
  const std::map<std::string, ErrorKind> fixed = {
      // POST /tenders/{id}/amendments {"text": ""} (the contract: minLength 1).
      {"amendment_invalid", ErrorKind::invalid},
      // Codes added after the registry, with the kind their meaning calls for.
      // Issue 15: a cookie-authenticated write or cookie login from another Origin.
      {"origin_mismatch", ErrorKind::forbidden},
      // Registered after issue 12 with the kind their meaning calls for
      // (issue 13 §1, owner onboarding; docs/activation.md).
      {"activation_code_expired", ErrorKind::conflict},
      {"activation_code_invalid", ErrorKind::unprocessable},
      {"activation_code_revoked", ErrorKind::conflict},
      {"activation_code_unknown", ErrorKind::unprocessable},
      {"activation_code_used", ErrorKind::conflict},
      {"certificate_tail_mismatch", ErrorKind::unprocessable},
      {"certificate_tail_required", ErrorKind::unprocessable},
      {"owner_has_account", ErrorKind::conflict},
      {"owner_key_unknown", ErrorKind::unprocessable},
      {"reset_needs_supervisor", ErrorKind::forbidden},
      {"roster_not_imported", ErrorKind::conflict},
      {"too_many_activation_attempts", ErrorKind::rate_limited},
  };
  // Codes added after the registry, with the kind chosen when each was added.
  const std::map<std::string, ErrorKind> added = {
      // issue 13 §2, owners' assembly motions (docs/motions.md).
      {"motion_choice_invalid", ErrorKind::unprocessable},
      {"motion_invalid", ErrorKind::unprocessable},
      {"motion_not_found", ErrorKind::not_found},
      {"motion_notice_too_short", ErrorKind::unprocessable},
      {"motion_roster_missing", ErrorKind::conflict},
      {"motion_window_too_long", ErrorKind::unprocessable},
      {"motion_window_too_short", ErrorKind::unprocessable},
      {"motion_wrong_status", ErrorKind::conflict},
      // issue 13 §2, the selection plan gates the tender (docs/motions.md).
      {"selection_plan_in_use", ErrorKind::conflict},
      {"selection_plan_mismatch", ErrorKind::unprocessable},
      {"selection_plan_not_passed", ErrorKind::unprocessable},
      {"selection_plan_required", ErrorKind::unprocessable},
      // issue 14, the contract after the award (docs/contract.md).
      {"contract_already_recorded", ErrorKind::conflict},
      {"contract_invalid", ErrorKind::unprocessable},
      {"contract_not_allowed", ErrorKind::conflict},
      {"contract_not_found", ErrorKind::not_found},
      // issue 14 §1, official documents (docs/documents.md).
      {"document_not_found", ErrorKind::not_found},
      // issue 14 §1, the award notice (中标通知书, docs/documents.md).
      {"award_notice_not_allowed", ErrorKind::conflict},
      // issue 13 §3, three kinds of tenderer and menu services
      // (docs/tenderer-kinds.md).
      {"menu_item_missing", ErrorKind::unprocessable},
      {"menu_item_unknown", ErrorKind::unprocessable},
      {"menu_not_allowed", ErrorKind::forbidden},
      {"tenderer_kind_mixed", ErrorKind::conflict},
      // issue 13 §4, paper ballots (书面投票, docs/motions.md).
      {"paper_ballot_entry_exists", ErrorKind::conflict},
      {"paper_ballot_late", ErrorKind::conflict},
      {"paper_ballot_not_entrant", ErrorKind::forbidden},
      {"paper_ballot_not_found", ErrorKind::not_found},
      {"paper_ballot_not_mismatched", ErrorKind::conflict},
      {"paper_ballot_same_clerk", ErrorKind::conflict},
      {"paper_ballots_not_enabled", ErrorKind::conflict},
      {"scrutineer_invalid", ErrorKind::unprocessable},
  };
  for (const auto& c : error_codes()) {
    INFO(c.code);
    if (before.contains(std::string(c.code))) continue;
    if (auto a = added.find(std::string(c.code)); a != added.end()) {
      CHECK(c.kind == a->second);
      continue;
    }
    auto it = fixed.find(std::string(c.code));
    CHECK(c.kind == (it == fixed.end() ? ErrorKind::internal : it->second));
  }
}

TEST_CASE("the OpenAPI contract's x-error-codes is the registry", "[error_kinds]") {
  auto doc = openapi();
  REQUIRE(doc.contains("x-error-codes"));
  const auto& listed = doc.at("x-error-codes").as_object();
  CHECK(listed.size() == error_codes().size());
  for (const auto& c : error_codes()) {
    INFO(c.code << " (run scripts/gen-error-codes.py)");
    auto* v = listed.if_contains(c.code);
    REQUIRE(v);
    const auto& o = v->as_object();
    CHECK(o.at("status").as_int64() == http_status(c.kind));
    CHECK(o.at("kind").as_string() == to_string(c.kind));
    CHECK(o.at("zh").as_string() == c.zh);
    CHECK(o.at("en").as_string() == c.en);
  }
  for (const auto& [code, v] : listed) {
    INFO(std::string(code));
    CHECK(find_error_code(code) != nullptr);
  }
  // Operation texts name refusals as "409 bid_after_deadline": each such
  // mention of a registered code states the registry's status.
  boost::json::object described;
  described["paths"] = doc.at("paths");
  described["components"] = doc.at("components");
  const std::string text = boost::json::serialize(described);
  int mentions = 0;
  for (std::size_t i = 0; i + 4 < text.size(); ++i) {
    // "NNN code" with NNN a status (not inside a longer number).
    if (text[i] < '1' || text[i] > '5' || (i > 0 && is_identifier_char(text[i - 1]))) continue;
    if (!std::isdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isdigit(static_cast<unsigned char>(text[i + 2])) || text[i + 3] != ' ') {
      continue;
    }
    std::size_t end = i + 4;
    while (end < text.size() && is_identifier_char(text[end])) ++end;
    const ErrorCodeInfo* info = find_error_code(std::string_view(text).substr(i + 4, end - i - 4));
    if (!info) continue;  // ordinary words ("400 and ...")
    ++mentions;
    INFO(text.substr(i, end - i));
    CHECK(std::stoi(text.substr(i, 3)) == http_status(info->kind));
  }
  CHECK(mentions > 20);
}

TEST_CASE("every code the sources return is registered, and every registered code is returned",
          "[error_kinds]") {
  const Scan scan = scan_sources();
  for (const auto& site : scan.unlisted) {
    INFO("a make_error whose code is not a literal: list its helper in forwarders()");
    FAIL_CHECK(site);
  }
  // Sanity: the scan reaches each module and each way of returning a code.
  CHECK(scan.produced.contains("bid_after_deadline"));      // tender_machine's refusal(...)
  CHECK(scan.produced.contains("invalid_json"));            // strict_json's refuse(...)
  CHECK(scan.produced.contains("not_admin"));               // require_role(admin, "admin")
  CHECK(scan.produced.contains("storage_error"));           // kStorageError
  CHECK(scan.produced.contains("dev_clock_not_loopback"));  // server/cli
  CHECK(scan.produced.contains("tender_not_found"));        // store.cc's not_found(...)
  for (const auto& [code, site] : scan.produced) {
    INFO(site << " returns " << code << ": add it to audit_log/src/error_codes.cc");
    CHECK(find_error_code(code) != nullptr);
  }
  for (const auto& c : error_codes()) {
    const std::string code(c.code);
    INFO(code << " is registered but no source returns it");
    CHECK((scan.produced.contains(code) != not_produced().contains(code)));
  }
}
