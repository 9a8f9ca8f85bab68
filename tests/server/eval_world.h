// The evaluation endpoints' stage, built through the API itself on top of
// TenderWorld: nine evaluator accounts in the expert pool (one employed by
// a bidder), four more tenderers of the community (the deciding committee),
// an owner account for each roster owner, and helpers that walk a tender
// from publication to the opened state and on through the review.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "accounts/accounts.h"
#include "evaluation/beacon.h"
#include "tender_core/calendar.h"
#include "tender_core/time.h"
#include "tender_world.h"

namespace sunbid::server::testing {

inline constexpr std::int64_t kDayMs = 86'400'000;
// The opening: the reveal window (24 h) after the deadline has closed.
inline constexpr std::int64_t kOpenedMs = kDeadlineMs + kDayMs + 1000;

struct Login {
  std::string id;
  std::string username;
  std::string token;
};

struct EvalWorld : TenderWorld {
  EvalWorld() {
    for (int i = 0; i < 9; ++i) {
      Login e = make("pingshen" + std::to_string(i), "evaluator", "");
      std::string employer = i == 8 ? R"(,"employer_uscc":")" + kUsccs[0] + R"(")" : std::string();
      auto r = call("POST", "/api/v1/experts",
                    R"({"account_username":")" + e.username +
                        R"(","specialties":["物业管理"],"related_usccs":[])" + employer + "}",
                    admin);
      REQUIRE(r.status == 201);
      CHECK(body_json(r).at("account_id").as_string() == e.id);
      experts.push_back(e);
    }
    tenderer_id = account_id("yeweihui");
    // With the first, five: the deciding committee of committee_vote is
    // frozen at publication, an odd number of at least 5 (legal M7).
    for (const char* name : {"yeweihui2", "yeweihui3", "yeweihui4", "yeweihui5"}) {
      deciders.push_back(make(name, "tenderer", R"(,"community_id":")" + community + R"(")"));
    }
    owner2 =
        make("owner2", "owner", R"(,"community_id":")" + community + R"(","owner_key":"O-002")");
  }

  // An account through POST /accounts (TenderWorld::account), with its id.
  Login make(const std::string& username, const std::string& role, const std::string& extra) {
    std::string token = account(username, role, extra);
    return {account_id(username), username, token};
  }

  std::string account_id(const std::string& username) {
    auto db = ledger->open_reader();
    REQUIRE(db.ok());
    auto a = accounts::find_account_by_username(*db, username);
    REQUIRE(a.ok());
    REQUIRE(a->has_value());
    return (*a)->id;
  }

  // Sessions last 12 hours: everyone logs in again after a jump.
  void relogin_all() {
    relogin();
    for (auto* l : {&owner2}) l->token = login(l->username, "password-" + l->username);
    for (auto& l : experts) l.token = login(l.username, "password-" + l.username);
    for (auto& l : deciders) l.token = login(l.username, "password-" + l.username);
  }

  void at(std::int64_t ms) {
    clock.set_ms(ms);
    relogin_all();
  }

  // Applies a tender's due transitions as the background tick would (a
  // read catches its tender up), so a refusal checked afterwards is
  // compared against a settled state.
  void settle(const std::string& id) {
    REQUIRE(call("GET", "/api/v1/tenders/" + id + "/committee", "", supervisor).status == 200);
  }

  std::string token_of(const std::string& account) const {
    for (const auto& e : experts) {
      if (e.id == account) return e.token;
    }
    FAIL("no expert account " << account);
    return {};
  }

  // A published tender with `decision` (and vote_window_s), bids of
  // enterprises 0..2 at 200, 210, 220 fen, all revealed, opened; a
  // checkpoint covering the opening is signed. Returns its id; bid ids by
  // bidder in `bid_of`.
  // `overrides` replace members of the rules.
  std::string opened_tender(const boost::json::object& decision, std::int64_t vote_window_s,
                            const boost::json::object& overrides = {}) {
    auto rules = boost::json::parse(rules_body(community, kDeadline)).as_object();
    rules["decision"] = decision;
    rules["selection_plan_motion"] = take_plan(decision);
    // owners_vote counts its window in calendar days, the committee methods
    // in seconds (tender_rules.h).
    const bool owners = decision.at("method").as_string() == "owners_vote";
    rules["vote_window_days"] = owners ? vote_window_s / 86'400 : 0;
    rules["vote_window_s"] = owners ? 0 : vote_window_s;
    // The candidate publicity: an owners' vote's 15-day notice (物业管理条例
    // art. 12), else the legal 3 days.
    rules["candidate_publicity_days"] = owners ? 15 : 3;
    for (const auto& kv : overrides) rules[kv.key()] = kv.value();
    auto d = call("POST", "/api/v1/tenders", boost::json::serialize(rules), tenderer);
    REQUIRE(d.status == 201);
    std::string id(body_json(d).at("id").as_string());
    auto published = call("POST", "/api/v1/tenders/" + id + "/publish", "", tenderer);
    INFO(published.body);
    REQUIRE(published.status == 200);
    std::vector<Sealed> sealed;
    for (int i = 0; i < 3; ++i) {
      sealed.push_back(seal(id, kUsccs[i], 200 + 10 * i, static_cast<std::uint8_t>(i + 1), "方案"));
      REQUIRE(call("POST", "/api/v1/tenders/" + id + "/bids",
                   R"({"commitment_sha256_hex":")" + sealed.back().commitment + R"("})",
                   enterprises[i])
                  .status == 201);
    }
    at(kDeadlineMs + 3'600'000);
    settle(id);  // bidding has closed: the committee's pool list is committed
    for (int i = 0; i < 3; ++i) {
      boost::json::object body{{"salt_hex", sealed[i].salt_hex}, {"bid", sealed[i].bid}};
      REQUIRE(call("POST", "/api/v1/tenders/" + id + "/bids/mine/reveal",
                   boost::json::serialize(body), enterprises[i])
                  .status == 200);
    }
    at(kOpenedMs);
    auto opening = call("GET", "/api/v1/tenders/" + id + "/opening");
    REQUIRE(opening.status == 200);
    bid_of.clear();
    const auto rows = body_json(opening);
    for (const auto& row : rows.at("items").as_array()) {
      bid_of[std::string(row.at("bidder_uscc").as_string())] =
          std::string(row.at("bid_id").as_string());
    }
    REQUIRE(rows.at("items").as_array().size() == 3);
    REQUIRE(ledger->publish_checkpoint().ok());
    return id;
  }

  // The beacon date a draw must carry: the first weekday (no platform
  // calendar is plugged in here) after the China date of the tender's last
  // entry of `type` (committee.pool_committed for the committee draw, the
  // entry that left a draw pending for the others). The clock then moves to
  // 00:00 China time of that date when it is still before it (everyone logs
  // in again): a beacon of a later date is refused (beacon_date_in_future).
  std::string beacon_date(const std::string& id, std::string_view type) {
    auto db = ledger->open_reader();
    REQUIRE(db.ok());
    auto idx = audit::tender_entry_indices(*db, id);
    REQUIRE(idx.ok());
    std::optional<std::int64_t> at_ms;
    for (auto i : *idx) {
      auto e = audit::read_entries(*db, i, i + 1);
      REQUIRE(e.ok());
      auto o = boost::json::parse((*e)[0].bytes).as_object();
      if (o.at("type").as_string() == type) {
        at_ms = *core::parse_rfc3339_ms(o.at("time").as_string());
      }
    }
    REQUIRE(at_ms);
    auto d = eval::first_trading_day_after(*db, eval::china_date_of(*at_ms), {});
    REQUIRE(d.ok());
    auto day = core::parse_china_date(eval::to_string(*d));
    REQUIRE(day.ok());
    if (clock.now_ms() < core::china_midnight_ms(*day)) at(core::china_midnight_ms(*day));
    return eval::to_string(*d);
  }

  std::string committee_beacon(const std::string& id) {
    return R"({"beacon":"3301.25","beacon_date":")" + beacon_date(id, "committee.pool_committed") +
           R"("})";
  }

  // The committee draw; returns the members.
  std::vector<std::string> draw(const std::string& id) {
    auto r =
        call("POST", "/api/v1/tenders/" + id + "/committee/draw", committee_beacon(id), supervisor);
    REQUIRE(r.status == 201);
    std::vector<std::string> out;
    const auto drawn = body_json(r);
    for (const auto& m : drawn.at("members").as_array()) {
      out.emplace_back(m.as_string());
    }
    return out;
  }

  std::string review_body(const std::string& bid, bool pass) {
    boost::json::object mark{{"criterion", "staffing"}, {"pass", pass}};
    if (!pass) mark["reason"] = "人员配置不足";
    return boost::json::serialize(boost::json::object{
        {"bid_id", bid}, {"marks", boost::json::array{mark}}, {"strengths", "经验丰富"}});
  }

  // Every member declares and passes every bid; returns the last answer.
  boost::json::value review_all(const std::string& id, const std::vector<std::string>& members) {
    boost::json::value last;
    for (const auto& m : members) {
      REQUIRE(call("POST", "/api/v1/tenders/" + id + "/committee/declaration",
                   R"({"no_conflict":true})", token_of(m))
                  .status == 200);
      for (const auto& [uscc, bid] : bid_of) {
        auto r =
            call("POST", "/api/v1/tenders/" + id + "/reviews", review_body(bid, true), token_of(m));
        REQUIRE(r.status == 201);
        last = body_json(r);
      }
    }
    return last;
  }

  // (log size, digest of tender_core's tables and of every evaluation table,
  // found by name so a new table is covered too). Hides
  // TenderWorld::snapshot, so CHECK_REFUSED covers evaluation's state.
  std::pair<std::uint64_t, std::string> snapshot() {
    auto [size, core_digest] = TenderWorld::snapshot();
    auto db = ledger->open_reader();
    REQUIRE(db.ok());
    auto tables = db->prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'eval\\_%' "
        "ESCAPE '\\' ORDER BY name");
    REQUIRE(tables.ok());
    std::string all;
    while (true) {
      auto row = tables->step();
      REQUIRE(row.ok());
      if (!*row) break;
      auto st = db->prepare("SELECT * FROM " + std::string(tables->column_text(0)));
      REQUIRE(st.ok());
      all += std::string(tables->column_text(0)) + "#";
      while (true) {
        auto r = st->step();
        REQUIRE(r.ok());
        if (!*r) break;
        // Columns beyond a table's width read as empty.
        for (int c = 0; c < 12; ++c) all += std::string(st->column_text(c)) + "|";
        all += "\n";
      }
    }
    return {size, core_digest + hex_encode(sha256(all))};
  }

  std::vector<Login> experts;
  std::vector<Login> deciders;
  Login owner2;
  std::string tenderer_id;
  std::map<std::string, std::string> bid_of;  // uscc -> bid id
};

// The JSON pointer an error names in details.field.
inline std::string error_field(const Response& r) {
  return std::string(body_json(r).at("error").at("details").at("field").as_string());
}

}  // namespace sunbid::server::testing
