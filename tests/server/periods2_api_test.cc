// Issue 11 leftovers (the "periods2" workstream) over HTTPS: a tender
// draft's title and rules have size caps (limits max_tender_title_bytes,
// max_tender_rules_bytes), each tested with a configuration that lowers it;
// the refusal stores nothing. A member of the deciding committee declares a
// recusal (legal M7).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "audit_log/canonical_json.h"
#include "eval_world.h"
#include "fixture.h"
#include "server/config.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

// The rules of rules_body (every member but community_id and title) as the
// server stores them: canonical JSON.
std::size_t canonical_rules_bytes(const boost::json::object& body) {
  boost::json::object rules = body;
  rules.erase("community_id");
  rules.erase("title");
  auto c = audit::to_canonical_json(boost::json::value(rules));
  REQUIRE(c.ok());
  return c->size();
}

}  // namespace

TEST_CASE("tender drafts: the title and the rules are bounded", "[periods2][abuse]") {
  auto body = boost::json::parse(rules_body("C1", kDeadline)).as_object();
  const std::size_t rules_bytes = canonical_rules_bytes(body);
  limits::Settings s;
  s.max_tender_title_bytes = 30;  // ten CJK characters
  s.max_tender_rules_bytes = rules_bytes;
  TenderWorld w(false, s);
  auto with = [&](std::string title, std::int64_t area) {
    auto b = boost::json::parse(rules_body(w.community, kDeadline)).as_object();
    b["title"] = title;
    b["area_centi_m2"] = area;  // same digits: the same size as rules_body's
    return boost::json::serialize(b);
  };
  const std::string ten = "金山花园物业服务招标";  // 10 × 3 bytes
  REQUIRE(ten.size() == 30);
  REQUIRE(canonical_rules_bytes(boost::json::parse(with(ten, 12345600)).as_object()) ==
          rules_bytes);

  // 31 bytes of title: refused, nothing stored.
  CHECK_REFUSED(w, w.call("POST", "/api/v1/tenders", with(ten + "x", 12345600), w.tenderer), 413,
                "field_too_long");
  {
    auto r = w.call("POST", "/api/v1/tenders", with(ten + "x", 12345600), w.tenderer);
    auto e = body_json(r).at("error").as_object();
    CHECK(e.at("details").at("field").as_string() == "/title");
    CHECK(e.at("details").at("limit_bytes").as_int64() == 30);
    CHECK(std::string(e.at("message").as_string()).rfind("招标标题过长", 0) == 0);
  }
  // One byte more of rules (a longer area): refused, nothing stored.
  CHECK_REFUSED(w, w.call("POST", "/api/v1/tenders", with(ten, 123456000), w.tenderer), 413,
                "field_too_long");
  // Exactly at both limits: accepted.
  auto d = w.call("POST", "/api/v1/tenders", with(ten, 12345600), w.tenderer);
  REQUIRE(d.status == 201);
  const std::string t = "/api/v1/tenders/" + std::string(body_json(d).at("id").as_string());

  // PATCH: the title alone, and the rules after the merge.
  CHECK_REFUSED(w, w.call("PATCH", t, R"({"title":")" + ten + R"(x"})", w.tenderer), 413,
                "field_too_long");
  CHECK_REFUSED(w, w.call("PATCH", t, R"({"area_centi_m2":123456000})", w.tenderer), 413,
                "field_too_long");
  CHECK(w.call("PATCH", t, R"({"area_centi_m2":65432100})", w.tenderer).status == 200);
}

TEST_CASE("config: the draft caps are settings with defaults", "[periods2][config]") {
  auto d = parse_serve_config("{}");
  REQUIRE(d.ok());
  CHECK(d->limits.max_tender_title_bytes == 512);
  CHECK(d->limits.max_tender_rules_bytes == 64 * 1024);
  auto c = parse_serve_config(
      R"({"limits":{"max_tender_title_bytes":100,"max_tender_rules_bytes":2048}})");
  REQUIRE(c.ok());
  CHECK(c->limits.max_tender_title_bytes == 100);
  CHECK(c->limits.max_tender_rules_bytes == 2048);
  CHECK_FALSE(parse_serve_config(R"({"limits":{"max_tender_title_bytes":0}})").ok());
}

TEST_CASE("decision committee: a member declares a recusal over HTTPS", "[periods2][api][eval]") {
  EvalWorld w;
  const std::string id = w.opened_tender({{"method", "committee_vote"}}, 604800);
  const std::string path = "/api/v1/tenders/" + id + "/decision-committee/recusal";
  CHECK_REFUSED(w, w.call("POST", path, R"({"reason":"配偶任职于投标企业"})", w.supervisor), 403,
                "forbidden");
  CHECK_REFUSED(w, w.call("POST", path, R"({})", w.deciders[0].token), 400, "missing_field");
  auto r = w.call("POST", path, R"({"reason":"配偶任职于投标企业"})", w.deciders[0].token);
  REQUIRE(r.status == 201);
  CHECK(body_json(r).at("log_index").is_number());
  CHECK_REFUSED(w, w.call("POST", path, R"({"reason":"再次"})", w.deciders[0].token), 409,
                "already_recused");
  REQUIRE(w.call("POST", path, R"({"reason":"曾为投标企业员工"})", w.deciders[1].token).status ==
          201);
  CHECK_REFUSED(w, w.call("POST", path, R"({"reason":"x"})", w.deciders[2].token), 409,
                "recusal_quorum");
}
