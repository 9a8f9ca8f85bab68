// POST /tenders/preview-windows (issue 15: the wizard's window end dates come
// from the server): the tenderer's draft rules and a publication time give
// the same instants publication fixes (the 20-day refusal's `earliest`, the
// reveal window's close); bad input is refused with the zh/en message and
// changes nothing; only tenderers may ask.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "tender_core/time.h"
#include "tender_core/window_plan.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

// The draft body without its record fields: the rules alone.
boost::json::object rules_only(const std::string& community, std::string_view deadline) {
  boost::json::object r = boost::json::parse(rules_body(community, deadline)).as_object();
  r.erase("community_id");
  r.erase("title");
  return r;
}

std::string preview_body(const boost::json::object& rules, std::string_view published_at = "") {
  boost::json::object b{{"rules", rules}};
  if (!published_at.empty()) b["published_at"] = published_at;
  return boost::json::serialize(b);
}

}  // namespace

TEST_CASE("POST /tenders/preview-windows: the instants publication fixes", "[api][preview]") {
  TenderWorld w;
  const std::string target = "/api/v1/tenders/preview-windows";
  auto r = w.call("POST", target, preview_body(rules_only(w.community, kDeadline)), w.tenderer);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto p = body_json(r).as_object();
  CHECK(p.at("published_at").as_string() == core::format_rfc3339_ms(kT0));
  CHECK(p.at("meets_minimum_period").as_bool());
  CHECK(p.at("minimum_bidding_days").as_int64() == 20);
  CHECK(p.at("earliest_bid_deadline").as_string() ==
        core::format_rfc3339_ms(core::earliest_bid_deadline_ms(kT0, 20)));
  CHECK(p.at("reveal_closes_at").as_string() == core::format_rfc3339_ms(kDeadlineMs + 86'400'000));
  CHECK(p.at("earliest_vote_close").is_string());
  CHECK(p.at("calendar_version").as_int64() == 0);

  // A hypothetical publication 10 days later leaves too few days: answered,
  // not refused, and the earliest deadline moves with it.
  const std::string later = core::format_rfc3339_ms(kT0 + 10 * 86'400'000LL);
  auto l =
      w.call("POST", target, preview_body(rules_only(w.community, kDeadline), later), w.tenderer);
  REQUIRE(l.status == 200);
  CHECK_FALSE(body_json(l).at("meets_minimum_period").as_bool());
  CHECK(body_json(l).at("earliest_bid_deadline").as_string() ==
        core::format_rfc3339_ms(core::earliest_bid_deadline_ms(kT0 + 10 * 86'400'000LL, 20)));

  // One millisecond before the earliest deadline: the preview says so, and
  // publish refuses naming the same instant.
  const std::string earliest(p.at("earliest_bid_deadline").as_string());
  const std::string soon = core::format_rfc3339_ms(*core::parse_rfc3339_ms(earliest) - 1);
  auto s = w.call("POST", target, preview_body(rules_only(w.community, soon)), w.tenderer);
  REQUIRE(s.status == 200);
  CHECK_FALSE(body_json(s).at("meets_minimum_period").as_bool());
  auto d = w.call("POST", "/api/v1/tenders", rules_body(w.community, soon), w.tenderer);
  REQUIRE(d.status == 201);
  const std::string id(body_json(d).at("id").as_string());
  auto refused = w.call("POST", "/api/v1/tenders/" + id + "/publish", "", w.tenderer);
  REQUIRE(refused.status == 422);
  CHECK(error_code(refused) == "deadline_too_soon");
  CHECK(body_json(refused).at("error").at("details").at("earliest").as_string() == earliest);

  // Published with the previewed rules now: the same reveal close.
  const std::string published = w.published_tender();
  auto t = w.call("GET", "/api/v1/tenders/" + published, "", w.tenderer);
  REQUIRE(t.status == 200);
  CHECK(body_json(t).at("reveal_closes_at").as_string() == p.at("reveal_closes_at").as_string());
}

TEST_CASE("POST /tenders/preview-windows: bad input changes nothing, tenderers only",
          "[api][preview]") {
  TenderWorld w;
  const std::string target = "/api/v1/tenders/preview-windows";
  const auto before = w.snapshot();
  auto bad = rules_only(w.community, kDeadline);
  bad["committee_size"] = 4;
  auto r = w.call("POST", target, preview_body(bad), w.tenderer);
  CHECK(r.status == 422);
  CHECK(error_code(r) == "rules_invalid_value");
  const boost::json::value refused = body_json(r);
  const auto& e = refused.at("error");
  CHECK(e.at("message_zh").as_string().size() > 0);
  CHECK(e.at("message_en").as_string().size() > 0);
  auto vote = rules_only(w.community, kDeadline);
  vote["vote_window_days"] = 3;  // under the platform's 7 days
  auto v = w.call("POST", target, preview_body(vote), w.tenderer);
  CHECK(v.status == 422);
  CHECK(body_json(v).at("error").at("details").at("field").as_string() == "vote_window_days");
  CHECK(w.call("POST", target, R"({"rules":[]})", w.tenderer).status == 400);
  CHECK(w.call("POST", target, R"({})", w.tenderer).status == 400);
  auto when = w.call("POST", target, preview_body(rules_only(w.community, kDeadline), "tomorrow"),
                     w.tenderer);
  CHECK(when.status == 400);
  CHECK(error_code(when) == "invalid_field");
  CHECK(w.snapshot() == before);

  const std::string body = preview_body(rules_only(w.community, kDeadline));
  CHECK(w.call("POST", target, body).status == 401);
  for (const std::string* token : {&w.owner, &w.admin, &w.supervisor, &w.enterprises[0]}) {
    CHECK(w.call("POST", target, body, *token).status == 403);
  }
}
