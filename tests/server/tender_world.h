// The registry, tender and bid endpoints' stage, built through the API
// itself: a community with a roster, a service tier, four rated enterprises
// and an account for every role.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "audit_log/log_store.h"
#include "audit_log/sha256.h"
#include "fixture.h"
#include "tender_core/bid_commitment.h"
#include "tender_core/calendar.h"
#include "tender_core/time.h"
#include "tender_core/schema.h"

namespace sunbid::server::testing {

// Real, valid USCCs (as in tests/tender_core/uscc_test.cc).
inline const std::vector<std::string> kUsccs = {"91350200776049653A", "91350500798359476R",
                                                "91350503MA31DKY80A", "91350200MA31E12PXF"};

// kT0 + 25 days: 2026-01-26T00:00:00Z (20 days minimum bidding period).
inline constexpr std::string_view kDeadline = "2026-01-26T00:00:00Z";
inline constexpr std::int64_t kDeadlineMs = kT0 + 25LL * 86'400'000;

struct Sealed {
  std::string salt_hex;
  boost::json::object bid;
  std::string commitment;
};

inline Sealed seal(const std::string& tender, const std::string& uscc, std::int64_t price,
                   std::uint8_t salt_byte, const std::string& plan) {
  Sealed s;
  std::array<std::uint8_t, 32> salt{};
  salt.fill(salt_byte);
  s.salt_hex = hex_encode(std::span<const std::uint8_t>(salt));
  s.bid = {{"tender_id", tender},
           {"bidder_uscc", uscc},
           {"price_fen_per_m2_month", price},
           {"staffing", {{"保安", 6}, {"保洁", 4}}},
           {"service_plan", plan},
           {"documents", boost::json::array{boost::json::object{
                             {"name", "plan.pdf"}, {"sha256_hex", std::string(64, 'a')}}}}};
  auto bid = core::bid_from_json(s.bid);
  REQUIRE(bid.ok());
  auto canonical = core::canonical_bid(*bid);
  REQUIRE(canonical.ok());
  s.commitment = hex_encode(core::bid_commitment(salt, *canonical));
  return s;
}

// The exclusive end of a period of `days` calendar days granted from
// `from_ms` with the default calendar (weekends are rest days).
inline std::int64_t days_end(std::int64_t from_ms, std::int64_t days) {
  return *core::granted_period_end_ms(core::HolidayCalendar{}, from_ms, days);
}

// The selection plans the world's owners pass before kT0 (docs/motions.md:
// no tender publishes without one): for each decision method the tests
// use, kPlanCopies motions, created in this order (M1–M3 for the first
// method, and so on), so that a test may publish more than one live tender
// of a method (one live tender per plan): TenderWorld::take_plan hands out
// the first copies, rules_body names the last one of owners_vote. Every
// plan: tier T2, budget 150–300 fen, 36 months, thresholds A and 3 stars —
// rules_body's.
inline constexpr int kPlanCopies = 3;
inline constexpr std::int64_t kPlanLeadMs = 32LL * 86'400'000;
inline constexpr std::int64_t kPlanTermMonths = 36;

inline std::vector<boost::json::object> plan_decisions() {
  return {{{"method", "owners_vote"}, {"allow_runoff", true}},
          {{"method", "lowest_price"}},
          {{"method", "lottery"}},
          {{"method", "committee_vote"}},
          {{"method", "vote_then_lottery"}, {"shortlist_size", 2}},
          {{"method", "composite_score"},
           {"weights_bp", {{"price", 6000}, {"credit", 2500}, {"star", 1500}}},
           {"benchmark", "mean"},
           {"k_above", 100},
           {"k_below", 50}}};
}

inline boost::json::object plan_of(const boost::json::object& decision) {
  return {{"tier", "T2"},
          {"budget_fen_per_m2_month", {{"min", 150}, {"max", 300}}},
          {"contract_term_months", kPlanTermMonths},
          {"thresholds", {{"min_credit_grade", "A"}, {"min_star_rating", 3}}},
          {"decision", decision}};
}

// The world's first plan of `decision` (see plan_decisions).
inline std::string plan_motion_of(const boost::json::object& decision, int copy = 0) {
  const auto all = plan_decisions();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i] == decision) return "M" + std::to_string(i * kPlanCopies + copy + 1);
  }
  FAIL("no selection plan for " << boost::json::serialize(decision));
  return {};
}

inline std::string rules_body(const std::string& community, std::string_view deadline) {
  boost::json::object r;
  r["community_id"] = community;
  r["title"] = "金山花园物业服务项目招标";
  r["service_tier"] = "T2";
  r["area_centi_m2"] = 12345600;
  r["qualification"] = {{"min_credit_grade", "A"}, {"min_star_rating", 3}};
  r["criteria"] =
      boost::json::array{boost::json::object{{"code", "staffing"}, {"title", "人员配置"}}};
  r["committee_size"] = 5;
  r["min_valid_bids"] = 2;
  r["candidate_cap"] = 3;
  r["candidate_cap_method"] = "lowest_price";
  r["decision"] = {{"method", "owners_vote"}, {"allow_runoff", true}};
  r["beacon_source"] = "上证综合指数次一交易日收盘值";
  r["bid_deadline"] = deadline;
  r["reveal_window_s"] = 86400;
  r["candidate_publicity_days"] = 15;  // owners_vote: its vote notice (物业管理条例 12)
  r["vote_window_days"] = 7;
  r["award_publicity_days"] = 3;
  // The world's last owners_vote plan (plan_motion_of(…, kPlanCopies - 1)).
  r["selection_plan_motion"] = "M" + std::to_string(kPlanCopies);
  r["budget_fen_per_m2_month"] = {{"min", 150}, {"max", 300}};
  r["contract_term_months"] = kPlanTermMonths;
  return boost::json::serialize(r);
}

struct TenderWorld : ApiFixture {
  explicit TenderWorld(bool dev_clock = false, limits::Settings settings = {})
      : ApiFixture(dev_clock, {}, settings, nullptr, kT0 - kPlanLeadMs) {
    admin = login("root", "correct horse battery");
    auto c = call("POST", "/api/v1/communities",
                  R"({"name":"金山花园","district":"湖里区","street":"金山街道",)"
                  R"("address":"厦门市湖里区金山路88号"})",
                  admin);
    REQUIRE(c.status == 201);
    community = std::string(body_json(c).at("id").as_string());
    auto other = call("POST", "/api/v1/communities",
                      R"({"name":"海沧湾花园","district":"海沧区","street":"海沧街道",)"
                      R"("address":"滨湖北路1号"})",
                      admin);
    REQUIRE(other.status == 201);
    other_community = std::string(body_json(other).at("id").as_string());
    REQUIRE(csv("/api/v1/communities/" + community + "/roster",
                "unit,area_centi_m2,owner_key,owner_name,status\n"
                "1-101,8950,O-001,陈志强,sold\n1-102,8950,O-001,陈志强,sold\n"
                "1-201,12030,O-002,林秀英,sold\n2-201,14400,DEV,厦门金山置业有限公司,unsold\n")
                .status == 200);
    REQUIRE(call("PUT", "/api/v1/service-tiers",
                 R"({"items":[{"code":"T2","name":"二级服务","min_fen_per_m2_month":150,)"
                 R"("max_fen_per_m2_month":300,"required_items":["保洁","秩序维护"]}]})",
                 admin)
                .status == 200);
    std::string ratings = R"({"items":[)";
    for (std::size_t i = 0; i < kUsccs.size(); ++i) {
      REQUIRE(
          call("POST", "/api/v1/enterprises",
               R"({"uscc":")" + kUsccs[i] + R"(","name":"物业公司)" + std::to_string(i) + R"("})",
               admin)
              .status == 201);
      if (i) ratings += ',';
      ratings += R"({"uscc":")" + kUsccs[i] +
                 R"(","credit_grade":"AA","credit_score":9000,"star_rating":4,)"
                 R"("blacklisted":false,"effective_from":"2025-01-01T00:00:00Z"})";
    }
    REQUIRE(call("PUT", "/api/v1/registry/ratings", ratings + "]}", admin).status == 200);
    usernames = {{&tenderer, "yeweihui"},
                 {&other_tenderer, "haicang"},
                 {&owner, "owner1"},
                 {&supervisor, "jiedao"},
                 {&evaluator, "expert1"}};
    tenderer = account("yeweihui", "tenderer", R"(,"community_id":")" + community + R"(")");
    other_tenderer =
        account("haicang", "tenderer", R"(,"community_id":")" + other_community + R"(")");
    owner =
        account("owner1", "owner", R"(,"community_id":")" + community + R"(","owner_key":"O-001")");
    supervisor = account("jiedao", "supervisor", "");
    evaluator = account("expert1", "evaluator", "");
    for (std::size_t i = 0; i < kUsccs.size(); ++i) {
      enterprises.push_back(account("ent" + std::to_string(i), "enterprise",
                                    R"(,"enterprise_uscc":")" + kUsccs[i] + R"(")"));
    }
    pass_selection_plans();
    clock.set_ms(kT0);
    relogin();
  }

  // The owners pass plan_decisions' selection plans (kPlanCopies each) by
  // motion, through the API: created and noticed now, voted for by O-001
  // (owner1) and the developer (DEV: 32300 of 44330 area, 2 of 3 heads)
  // when the window opens, closed before kT0.
  void pass_selection_plans() {
    const std::string developer = account("kaifashang", "owner",
                                           R"(,"community_id":")" + community +
                                               R"(","owner_key":"DEV")");
    std::vector<std::string> ids;
    std::int64_t opens_ms = 0;
    for (const auto& decision : plan_decisions()) {
      for (int copy = 0; copy < kPlanCopies; ++copy) {
        boost::json::object m{{"title", "选聘方案"},
                              {"text", "物业服务企业选聘方案"},
                              {"kind", "selection_plan"},
                              {"matter_item", 4},
                              {"window_days", 7},
                              {"plan", plan_of(decision)}};
        auto r = call("POST", "/api/v1/communities/" + community + "/motions",
                      boost::json::serialize(m), tenderer);
        INFO(r.body);
        REQUIRE(r.status == 201);
        const std::string id(body_json(r).at("id").as_string());
        REQUIRE(id == plan_motion_of(decision, copy));
        auto n = call("POST", "/api/v1/motions/" + id + "/notice", "{}", tenderer);
        REQUIRE(n.status == 200);
        opens_ms = *core::parse_rfc3339_ms(body_json(n).at("opens_at").as_string());
        ids.push_back(id);
      }
    }
    clock.set_ms(opens_ms);
    const std::string o1 = login("owner1", "password-owner1");
    const std::string dev = login("kaifashang", "password-kaifashang");
    for (const auto& id : ids) {
      for (const auto& t : {o1, dev}) {
        REQUIRE(call("POST", "/api/v1/motions/" + id + "/ballots", R"({"choice":"for"})", t)
                    .status == 201);
      }
      // Ten minutes between ballots: within any rate limit a test sets.
      clock.advance_ms(600'000);
    }
    clock.set_ms(kT0 - 86'400'000);
    const std::string t = login("yeweihui", "password-yeweihui");
    for (const auto& id : ids) {
      auto v = call("GET", "/api/v1/motions/" + id, "", t);
      REQUIRE(v.status == 200);
      REQUIRE(body_json(v).at("status").as_string() == "passed");
    }
    (void)developer;
  }

  // Sessions last 12 hours: after moving the clock by days, log in again.
  void relogin() {
    admin = login("root", "correct horse battery");
    for (auto* t : {&tenderer, &other_tenderer, &owner, &supervisor, &evaluator}) {
      *t = login(usernames.at(t), "password-" + usernames.at(t));
    }
    for (std::size_t i = 0; i < enterprises.size(); ++i) {
      enterprises[i] = login("ent" + std::to_string(i), "password-ent" + std::to_string(i));
    }
  }

  Response csv(const std::string& target, const std::string& body, const std::string& token = "") {
    Request r;
    r.method = "PUT";
    r.target = target;
    r.body = body;
    r.content_type = "text/csv; charset=utf-8";
    r.authorization = "Bearer " + (token.empty() ? admin : token);
    r.peer_address = "192.0.2.10";
    return api->handle(std::move(r));
  }

  std::string account(const std::string& username, const std::string& role,
                      const std::string& extra) {
    auto r =
        call("POST", "/api/v1/accounts",
             R"({"username":")" + username + R"(","password":"password-)" + username +
                 R"(","role":")" + role + R"(","display_name":")" + username + R"(")" + extra + "}",
             admin);
    REQUIRE(r.status == 201);
    return login(username, "password-" + username);
  }

  // The next unused plan of `decision` (one live tender per plan).
  std::string take_plan(const boost::json::object& decision) {
    const std::string key = boost::json::serialize(decision);
    const int copy = plans_taken[key]++;
    REQUIRE(copy < kPlanCopies - 1);  // the last is rules_body's
    return plan_motion_of(decision, copy);
  }

  // A published tender of `community`; returns its id.
  std::string published_tender() {
    auto rules = boost::json::parse(rules_body(community, kDeadline)).as_object();
    rules["selection_plan_motion"] = take_plan(rules.at("decision").as_object());
    auto d = call("POST", "/api/v1/tenders", boost::json::serialize(rules), tenderer);
    REQUIRE(d.status == 201);
    std::string id(body_json(d).at("id").as_string());
    REQUIRE(call("POST", "/api/v1/tenders/" + id + "/publish", "", tenderer).status == 200);
    return id;
  }

  // (log size, digest of every tender_core table): a refused request changes neither.
  std::pair<std::uint64_t, std::string> snapshot() {
    auto db = ledger->open_reader();
    REQUIRE(db.ok());
    auto n = audit::log_size(*db);
    REQUIRE(n.ok());
    auto d = core::core_tables_digest(*db);
    REQUIRE(d.ok());
    return {*n, *d};
  }

  // Every role's token, and "" for the public.
  std::map<std::string, std::string> everyone() const {
    std::map<std::string, std::string> m{
        {"public", ""},   {"admin", admin},           {"tenderer", tenderer},
        {"owner", owner}, {"supervisor", supervisor}, {"evaluator", evaluator}};
    for (std::size_t i = 0; i < enterprises.size(); ++i) {
      m["enterprise" + std::to_string(i)] = enterprises[i];
    }
    return m;
  }

  std::string admin, tenderer, other_tenderer, owner, supervisor, evaluator;
  std::vector<std::string> enterprises;
  std::map<const std::string*, std::string> usernames;
  std::string community, other_community;
  std::map<std::string, int> plans_taken;  // take_plan's copies used, by decision
};

// A request that must be refused with `status` and `code`, changing nothing.
#define CHECK_REFUSED(world, response_expr, want_status, want_code) \
  do {                                                              \
    auto before_ = (world).snapshot();                              \
    auto r_ = (response_expr);                                      \
    CHECK(r_.status == (want_status));                              \
    if (r_.status >= 400) CHECK(error_code(r_) == (want_code));     \
    CHECK((world).snapshot() == before_);                           \
  } while (0)

}  // namespace sunbid::server::testing
