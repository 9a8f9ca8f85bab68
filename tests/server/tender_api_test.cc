// The registry, tender, bid and objection endpoints, without a socket:
// success and refusal paths (a refused request changes nothing and appends
// no entry), and what each role may see before the deadline and before the
// reveal window closes.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "audit_log/log_store.h"
#include "tender_core/service.h"
#include "tender_core/unchecked_reads.h"
#include "tender_world.h"

using namespace sunbid;
using namespace sunbid::server;
using namespace sunbid::server::testing;

namespace {

std::string str(const boost::json::value& v, std::string_view key) {
  return std::string(v.at(key).as_string());
}

}  // namespace

TEST_CASE("registry endpoints: communities, roster, enterprises, ratings, tiers",
          "[api][registry]") {
  TenderWorld w;
  // The roster's totals, by hand: 4 units; area 8950*2 + 12030 + 14400 =
  // 44330; headcount O-001 (two units, one owner), O-002, the developer = 3.
  auto c = w.call("GET", "/api/v1/communities/" + w.community);
  REQUIRE(c.status == 200);
  auto cv = body_json(c);
  CHECK(str(cv, "name") == "金山花园");
  CHECK(cv.at("roster").at("units").as_int64() == 4);
  CHECK(cv.at("roster").at("total_area_centi_m2").as_int64() == 44330);
  CHECK(cv.at("roster").at("owners_headcount").as_int64() == 3);
  CHECK(w.call("GET", "/api/v1/communities/C99").status == 404);

  auto roster = w.csv("/api/v1/communities/" + w.other_community + "/roster",
                      "unit,area_centi_m2,owner_key,owner_name,status\r\n"
                      "A-1,10000,K1,王芳,sold\r\nA-2,5050,K2,李明,sold\r\n");
  REQUIRE(roster.status == 200);
  auto rv = body_json(roster);
  CHECK(rv.at("units").as_int64() == 2);
  CHECK(rv.at("owners_headcount").as_int64() == 2);
  CHECK(rv.at("total_area_centi_m2").as_int64() == 15050);

  // Refusals, each changing nothing.
  CHECK_REFUSED(w, w.call("POST", "/api/v1/communities", R"({"name":"x"})", w.admin), 400,
                "missing_field");
  CHECK_REFUSED(w,
                w.call("POST", "/api/v1/communities",
                       R"({"name":"","district":"d","street":"s","address":"a"})", w.admin),
                422, "community_invalid");
  CHECK_REFUSED(w,
                w.call("POST", "/api/v1/communities",
                       R"({"name":"n","district":"d","street":"s","address":"a"})", w.tenderer),
                403, "forbidden");
  CHECK_REFUSED(w,
                w.csv("/api/v1/communities/" + w.community + "/roster",
                      "unit,area_centi_m2,owner_key,owner_name,status\nA-1,-5,K1,王芳,sold\n"),
                422, "roster_invalid");
  CHECK_REFUSED(w,
                w.csv("/api/v1/communities/C99/roster",
                      "unit,area_centi_m2,owner_key,owner_name,status\nA-1,100,K1,王芳,sold\n"),
                404, "community_not_found");
  CHECK_REFUSED(
      w,
      w.call("PUT", "/api/v1/communities/" + w.community + "/roster", R"({"units":[]})", w.admin),
      415, "unsupported_media_type");
  CHECK_REFUSED(w,
                w.call("POST", "/api/v1/enterprises",
                       R"({"uscc":"91350200776049653B","name":"错码公司"})", w.admin),
                422, "uscc_check");
  CHECK_REFUSED(w,
                w.call("POST", "/api/v1/enterprises",
                       R"({"uscc":")" + kUsccs[0] + R"(","name":"重复"})", w.admin),
                409, "enterprise_exists");
  CHECK_REFUSED(
      w,
      w.call("PUT", "/api/v1/registry/ratings",
             R"({"items":[{"uscc":"91440101MA5CJQ4N59","credit_grade":"A","credit_score":8000,)"
             R"("star_rating":3,"blacklisted":false,"effective_from":"2025-01-01T00:00:00Z"}]})",
             w.admin),
      404, "enterprise_not_found");
  CHECK_REFUSED(
      w,
      w.call(
          "PUT", "/api/v1/registry/ratings",
          R"({"items":[{"uscc":")" + kUsccs[0] +
              R"(","credit_grade":"A","credit_score":10001,)"
              R"("star_rating":3,"blacklisted":false,"effective_from":"2025-01-01T00:00:00Z"}]})",
          w.admin),
      422, "credit_score_range");
  {
    auto before = w.snapshot();
    auto r = w.call("PUT", "/api/v1/registry/ratings",
                    R"({"items":[{"uscc":")" + kUsccs[0] +
                        R"(","credit_grade":"A","credit_score":1.5,"star_rating":3,)"
                        R"("blacklisted":false,"effective_from":"2025-01-01T00:00:00Z"}]})",
                    w.admin);
    CHECK(r.status == 400);
    CHECK(w.snapshot() == before);
  }
  CHECK_REFUSED(w, w.call("PUT", "/api/v1/registry/ratings", R"({"items":[]})", w.admin), 422,
                "ratings_empty");
  CHECK_REFUSED(w,
                w.call("PUT", "/api/v1/service-tiers",
                       R"({"items":[{"code":"T1","name":"一级","min_fen_per_m2_month":300,)"
                       R"("max_fen_per_m2_month":100,"required_items":[]}]})",
                       w.admin),
                422, "service_tier_invalid");

  auto tiers = w.call("GET", "/api/v1/service-tiers");
  REQUIRE(tiers.status == 200);
  auto items = body_json(tiers).at("items").as_array();
  REQUIRE(items.size() == 1);
  CHECK(str(items[0], "code") == "T2");
  CHECK(items[0].at("max_fen_per_m2_month").as_int64() == 300);
}

TEST_CASE("accounts name existing communities, owner keys and enterprises", "[api][accounts]") {
  TenderWorld w;
  auto post = [&](const std::string& extra) {
    return w.call("POST", "/api/v1/accounts",
                  R"({"username":"owner2","password":"long enough pw","role":"owner",)"
                  R"("display_name":"林秀英")" +
                      extra + "}",
                  w.admin);
  };
  CHECK_REFUSED(w, post(R"(,"community_id":"C99","owner_key":"O-002")"), 422,
                "account_relation_invalid");
  CHECK_REFUSED(w, post(R"(,"community_id":")" + w.community + R"(","owner_key":"O-999")"), 422,
                "account_relation_invalid");
  auto ok = post(R"(,"community_id":")" + w.community + R"(","owner_key":"O-002")");
  CHECK(ok.status == 201);
}

TEST_CASE("tenders: draft, edit, publish (idempotent), amend, suspend, resume, cancel",
          "[api][tenders]") {
  TenderWorld w;
  // Only the community's tenderer drafts.
  CHECK_REFUSED(w, w.call("POST", "/api/v1/tenders", rules_body(w.community, kDeadline), w.admin),
                403, "forbidden");
  CHECK_REFUSED(
      w, w.call("POST", "/api/v1/tenders", rules_body(w.community, kDeadline), w.other_tenderer),
      403, "not_tenderer_of_community");
  CHECK_REFUSED(w, w.call("POST", "/api/v1/tenders", R"({"title":"t"})", w.tenderer), 400,
                "missing_field");
  auto d = w.call("POST", "/api/v1/tenders", rules_body(w.community, kDeadline), w.tenderer);
  REQUIRE(d.status == 201);
  auto dv = body_json(d);
  std::string id = str(dv, "id");
  CHECK(str(dv, "status") == "draft");
  const std::string t = "/api/v1/tenders/" + id;

  // A draft is the tenderer's, the supervisor's and the operator's only.
  CHECK(w.call("GET", t).status == 404);
  CHECK(w.call("GET", t, "", w.enterprises[0]).status == 404);
  CHECK(w.call("GET", t, "", w.supervisor).status == 200);
  CHECK(body_json(w.call("GET", "/api/v1/tenders")).at("items").as_array().empty());

  auto edited = w.call("PATCH", t, R"({"title":"金山花园物业服务招标（修订）"})", w.tenderer);
  REQUIRE(edited.status == 200);
  CHECK(str(body_json(edited), "title") == "金山花园物业服务招标（修订）");
  // To another community's tenderer the draft does not exist (security A15;
  // this test used to expect 403 not_tenderer_of_community, which told it
  // that the draft exists).
  CHECK_REFUSED(w, w.call("PATCH", t, R"({"title":"x"})", w.other_tenderer), 404,
                "tender_not_found");
  // A deadline too soon is refused at publication, changing nothing.
  REQUIRE(w.call("PATCH", t, R"({"bid_deadline":"2026-01-10T00:00:00Z"})", w.tenderer).status ==
          200);
  CHECK_REFUSED(w, w.call("POST", t + "/publish", "", w.tenderer), 422, "deadline_too_soon");
  REQUIRE(w.call("PATCH", t, R"({"bid_deadline":"2026-01-26T00:00:00Z"})", w.tenderer).status ==
          200);

  auto p = w.call("POST", t + "/publish", "", w.tenderer);
  REQUIRE(p.status == 200);
  CHECK(str(body_json(p), "status") == "published");
  CHECK(str(body_json(p), "bid_deadline") == "2026-01-26T00:00:00.000Z");
  CHECK_FALSE(body_json(p).at("already_published").as_bool());
  std::uint64_t size = w.ledger->committed_log().size;
  auto again = w.call("POST", t + "/publish", "", w.tenderer);
  CHECK(again.status == 200);
  CHECK(body_json(again).at("already_published").as_bool());
  CHECK(body_json(again).at("log_index") == body_json(p).at("log_index"));
  CHECK(w.ledger->committed_log().size == size);
  CHECK_REFUSED(w, w.call("PATCH", t, R"({"title":"x"})", w.tenderer), 409, "tender_not_draft");

  // Public now: listed, filtered by status and community, paged by cursor.
  auto listed = w.call("GET", "/api/v1/tenders?status=published");
  INFO(listed.body);
  auto list = body_json(listed);
  REQUIRE(list.at("items").as_array().size() == 1);
  CHECK(list.at("next_cursor").is_null());
  CHECK(body_json(w.call("GET", "/api/v1/tenders?community_id=" + w.other_community))
            .at("items")
            .as_array()
            .empty());
  CHECK(w.call("GET", "/api/v1/tenders?status=nonsense").status == 400);
  std::string second = w.published_tender();
  auto page1 = body_json(w.call("GET", "/api/v1/tenders?limit=1"));
  REQUIRE(page1.at("items").as_array().size() == 1);
  CHECK(str(page1.at("items").as_array()[0], "id") == id);
  CHECK(str(page1, "next_cursor") == id);
  auto page2 = body_json(w.call("GET", "/api/v1/tenders?limit=1&cursor=" + id));
  REQUIRE(page2.at("items").as_array().size() == 1);
  CHECK(str(page2.at("items").as_array()[0], "id") == second);
  CHECK(page2.at("next_cursor").is_null());

  // 补遗 on 2026-01-15 pushes the deadline to 15 days later: 2026-01-30.
  w.clock.set_ms(kT0 + 14LL * 86'400'000);
  w.relogin();
  CHECK_REFUSED(w, w.call("POST", t + "/amendments", R"({"text":"补充电梯维保"})", w.supervisor),
                403, "forbidden");
  CHECK_REFUSED(w,
                w.call("POST", t + "/amendments",
                       R"({"text":"x","new_bid_deadline":"2026-01-20T00:00:00Z"})", w.tenderer),
                422, "amendment_deadline_earlier");
  CHECK_REFUSED(w,
                w.call("POST", t + "/amendments", R"({"text":"x","new_bid_deadline":"tomorrow"})",
                       w.tenderer),
                400, "invalid_field");
  // An empty text is the client's fault: 400, never a 500 (issue 12: it was
  // missing from the old status table).
  CHECK_REFUSED(w, w.call("POST", t + "/amendments", R"({"text":""})", w.tenderer), 400,
                "amendment_invalid");
  auto am = w.call("POST", t + "/amendments", R"({"text":"补充电梯维保要求"})", w.tenderer);
  REQUIRE(am.status == 201);
  CHECK(str(body_json(am), "old_bid_deadline") == "2026-01-26T00:00:00.000Z");
  CHECK(str(body_json(am), "new_bid_deadline") == "2026-01-30T00:00:00.000Z");

  // Suspend / resume: the supervisor's.
  CHECK_REFUSED(w, w.call("POST", t + "/suspend", R"({"reason":"投诉"})", w.tenderer), 403,
                "forbidden");
  CHECK_REFUSED(w, w.call("POST", t + "/suspend", R"({})", w.supervisor), 400, "missing_field");
  CHECK_REFUSED(w, w.call("POST", t + "/resume", "", w.supervisor), 409, "tender_not_suspended");
  auto s = w.call("POST", t + "/suspend", R"({"reason":"收到投诉，核查中"})", w.supervisor);
  REQUIRE(s.status == 200);
  CHECK(str(body_json(s), "status") == "suspended");
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/bids", R"({"commitment_sha256_hex":")" + std::string(64, 'b') + R"("})",
             w.enterprises[0]),
      409, "tender_suspended");
  auto r = w.call("POST", t + "/resume", "", w.supervisor);
  REQUIRE(r.status == 200);
  CHECK(str(body_json(r), "status") == "published");
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/reveal-window/extend", R"({"seconds":3600,"reason":"x"})", w.supervisor),
      409, "not_in_reveal_window");

  CHECK_REFUSED(w, w.call("POST", t + "/cancel", R"({"reason":"x"})", w.other_tenderer), 403,
                "not_tenderer_of_community");
  auto c = w.call("POST", t + "/cancel", R"({"reason":"业主大会决定暂缓"})", w.tenderer);
  REQUIRE(c.status == 200);
  CHECK(str(body_json(c), "status") == "cancelled");
  CHECK_REFUSED(w, w.call("POST", t + "/cancel", R"({"reason":"x"})", w.tenderer), 409,
                "tender_cancelled");
  CHECK(w.call("GET", "/api/v1/tenders/T99").status == 404);
}

TEST_CASE("bids and objections: commit, replace, withdraw, reveal, opening, answers",
          "[api][bids]") {
  TenderWorld w;
  std::string id = w.published_tender();
  const std::string t = "/api/v1/tenders/" + id;
  auto a = seal(id, kUsccs[0], 260, 0x11, "鹭岛方案");
  auto b = seal(id, kUsccs[1], 230, 0x22, "九龙江方案");
  auto body = [](const Sealed& s) {
    return R"({"commitment_sha256_hex":")" + s.commitment + R"("})";
  };

  CHECK_REFUSED(w, w.call("POST", t + "/bids", body(a), w.tenderer), 403, "forbidden");
  CHECK_REFUSED(w,
                w.call("POST", t + "/bids", R"({"commitment_sha256_hex":"xyz"})", w.enterprises[0]),
                400, "commitment_invalid");
  CHECK_REFUSED(w, w.call("POST", "/api/v1/tenders/T99/bids", body(a), w.enterprises[0]), 404,
                "tender_not_found");
  auto first =
      w.call("POST", t + "/bids", body(seal(id, kUsccs[0], 280, 0x10, "旧方案")), w.enterprises[0]);
  REQUIRE(first.status == 201);
  CHECK_FALSE(body_json(first).at("replaced").as_bool());
  auto replaced = w.call("POST", t + "/bids", body(a), w.enterprises[0]);
  REQUIRE(replaced.status == 201);
  CHECK(body_json(replaced).at("replaced").as_bool());
  // The receipt is the log index of the bid.committed entry.
  {
    auto db = w.ledger->open_reader();
    auto idx = static_cast<std::uint64_t>(body_json(replaced).at("log_index").as_int64());
    auto e = audit::read_entries(*db, idx, idx + 1);
    REQUIRE(e.ok());
    CHECK(str(boost::json::parse((*e)[0].bytes), "type") == "bid.committed");
    // The receipt carries that entry's exact bytes, the commitment inside.
    CHECK(str(body_json(replaced), "entry") == (*e)[0].bytes);
    CHECK((*e)[0].bytes.find(a.commitment) != std::string::npos);
  }
  REQUIRE(w.call("POST", t + "/bids", body(b), w.enterprises[1]).status == 201);
  REQUIRE(w.call("POST", t + "/bids", body(seal(id, kUsccs[2], 250, 0x33, "x")), w.enterprises[2])
              .status == 201);
  auto withdrawn = w.call("DELETE", t + "/bids/mine", "", w.enterprises[2]);
  CHECK(withdrawn.status == 200);
  CHECK_REFUSED(w, w.call("DELETE", t + "/bids/mine", "", w.enterprises[2]), 404, "bid_not_found");
  CHECK_REFUSED(w, w.call("DELETE", t + "/bids/mine", "", w.enterprises[3]), 404, "bid_not_found");
  // It bids again and will not reveal: three bidders, so the tender opens
  // (条例 44; this flow used to open with two).
  REQUIRE(w.call("POST", t + "/bids", body(seal(id, kUsccs[2], 250, 0x34, "y")), w.enterprises[2])
              .status == 201);

  // Objections: an enterprise on the document; the tenderer answers.
  CHECK_REFUSED(w, w.call("POST", t + "/objections", R"({"text":"x"})", w.supervisor), 403,
                "forbidden");
  auto o =
      w.call("POST", t + "/objections", R"({"text":"最低信用等级要求过高"})", w.enterprises[3]);
  REQUIRE(o.status == 201);
  std::string oid = str(body_json(o), "id");
  CHECK(str(body_json(o), "stage") == "document");
  auto publicly = body_json(w.call("GET", t + "/objections")).at("items").as_array();
  REQUIRE(publicly.size() == 1);
  CHECK(publicly[0].at("objector_account").is_null());
  auto to_tenderer =
      body_json(w.call("GET", t + "/objections", "", w.tenderer)).at("items").as_array();
  CHECK(to_tenderer[0].at("objector_account").is_string());
  CHECK_REFUSED(
      w,
      w.call("POST", t + "/objections/" + oid + "/answer", R"({"text":"维持"})", w.other_tenderer),
      403, "not_tenderer_of_community");
  CHECK_REFUSED(w, w.call("POST", t + "/objections/O99/answer", R"({"text":"维持"})", w.tenderer),
                404, "objection_not_found");
  auto ans = w.call("POST", t + "/objections/" + oid + "/answer",
                    R"({"text":"等级要求符合指引，维持"})", w.tenderer);
  REQUIRE(ans.status == 200);
  CHECK_FALSE(body_json(ans).at("late").as_bool());
  CHECK_REFUSED(
      w, w.call("POST", t + "/objections/" + oid + "/answer", R"({"text":"再答"})", w.tenderer),
      409, "objection_already_answered");

  // The deadline: bidding closed, the reveal window open.
  w.clock.set_ms(kDeadlineMs);
  w.relogin();
  REQUIRE(w.call("GET", t).status == 200);  // applies the deadline's transitions
  CHECK_REFUSED(w, w.call("POST", t + "/bids", body(b), w.enterprises[1]), 409,
                "bid_after_deadline");
  CHECK_REFUSED(w, w.call("GET", t + "/opening"), 409, "opening_not_public");
  auto reveal = [&](const Sealed& s) {
    boost::json::object o{{"salt_hex", s.salt_hex}, {"bid", s.bid}};
    return boost::json::serialize(o);
  };
  CHECK_REFUSED(w, w.call("POST", t + "/bids/mine/reveal", reveal(b), w.enterprises[0]), 422,
                "reveal_mismatch");
  CHECK_REFUSED(w,
                w.call("POST", t + "/bids/mine/reveal", R"({"salt_hex":"00"})", w.enterprises[0]),
                400, "missing_field");
  REQUIRE(w.call("POST", t + "/bids/mine/reveal", reveal(a), w.enterprises[0]).status == 200);
  CHECK_REFUSED(w, w.call("POST", t + "/bids/mine/reveal", reveal(a), w.enterprises[0]), 409,
                "bid_already_revealed");
  REQUIRE(w.call("POST", t + "/bids/mine/reveal", reveal(b), w.enterprises[1]).status == 200);
  auto ext = w.call("POST", t + "/reveal-window/extend", R"({"seconds":3600,"reason":"平台维护"})",
                    w.supervisor);
  REQUIRE(ext.status == 200);
  CHECK(str(body_json(ext), "reveal_closes_at") == "2026-01-27T01:00:00.000Z");

  // The window closes (24 h + 1 h): the opening record is public at once.
  w.clock.set_ms(kDeadlineMs + 25LL * 3'600'000);
  w.relogin();
  auto opening = w.call("GET", t + "/opening");
  REQUIRE(opening.status == 200);
  auto rows = body_json(opening).at("items").as_array();
  REQUIRE(rows.size() == 3);
  // Ordered by USCC bytes: …0200… before …0500… before …0503….
  CHECK(str(rows[0], "bidder_uscc") == kUsccs[0]);
  CHECK(str(rows[0], "bidder_name") == "物业公司0");  // the registered name
  CHECK(rows[0].at("bid").at("price_fen_per_m2_month").as_int64() == 260);
  CHECK(str(rows[1], "bidder_uscc") == kUsccs[1]);
  CHECK(rows[1].at("bid").at("price_fen_per_m2_month").as_int64() == 230);
  CHECK(str(rows[2], "bidder_uscc") == kUsccs[2]);
  CHECK_FALSE(rows[2].at("valid").as_bool());
  CHECK(str(rows[2], "reason") == "not_revealed");
  CHECK(rows[2].at("disqualified").as_array().empty());
  CHECK(str(body_json(w.call("GET", t)), "status") == "opened");
}

TEST_CASE("confidentiality: before the deadline nobody but the bidder learns of a bid",
          "[api][confidentiality]") {
  TenderWorld w;
  std::string id = w.published_tender();
  const std::string t = "/api/v1/tenders/" + id;
  const std::string plan = "秘密服务方案-甲";
  auto a = seal(id, kUsccs[0], 266, 0x5a, plan);
  const std::string plan_b = "保密方案-乙";
  auto b = seal(id, kUsccs[1], 233, 0x6b, plan_b);
  REQUIRE(w.call("POST", t + "/bids", R"({"commitment_sha256_hex":")" + a.commitment + R"("})",
                 w.enterprises[0])
              .status == 201);
  REQUIRE(w.call("POST", t + "/bids", R"({"commitment_sha256_hex":")" + b.commitment + R"("})",
                 w.enterprises[1])
              .status == 201);
  // A third bidder, so the tender opens (条例 44).
  auto c = seal(id, kUsccs[2], 244, 0x7c, "保密方案-丙");
  REQUIRE(w.call("POST", t + "/bids", R"({"commitment_sha256_hex":")" + c.commitment + R"("})",
                 w.enterprises[2])
              .status == 201);
  // The trail needs a checkpoint covering the tender's entries.
  for (int i = 0; i < 200 && w.call("GET", "/api/v1/audit/checkpoint").status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  auto reads = [&](const std::string& token) {
    std::vector<std::string> bodies;
    for (const std::string& target :
         {t, t + "/trail", std::string("/api/v1/audit/entries"), std::string("/api/v1/tenders"),
          t + "/opening", t + "/objections"}) {
      bodies.push_back(w.call("GET", target, "", token).body);
    }
    return bodies;
  };
  for (const auto& [who, token] : w.everyone()) {
    INFO(who);
    for (const std::string& body : reads(token)) {
      CHECK(body.find("bid.committed") == std::string::npos);
      // A bidder sees its own commitment, and no other.
      if (who != "enterprise0") CHECK(body.find(a.commitment) == std::string::npos);
      if (who != "enterprise1") CHECK(body.find(b.commitment) == std::string::npos);
      CHECK(body.find(plan) == std::string::npos);
      CHECK(body.find(a.salt_hex) == std::string::npos);
      CHECK(body.find("price_fen_per_m2_month") == std::string::npos);
    }
    auto view = body_json(w.call("GET", t, "", token));
    std::size_t own = who == "enterprise0" || who == "enterprise1" || who == "enterprise2" ? 1 : 0;
    CHECK(view.at("bids").as_array().size() == own);
  }
  // The feed shows the bid entries as leaf hashes with no release instant.
  auto feed = body_json(w.call("GET", "/api/v1/audit/entries"));
  int withheld = 0;
  for (const auto& item : feed.at("items").as_array()) {
    if (item.as_object().contains("leaf_hash")) {
      CHECK(item.as_object().contains("entry_hash"));
      CHECK(item.as_object().size() == 3);
      ++withheld;
    }
  }
  CHECK(withheld == 3);

  // GET /bids/mine: each bidder reads its own receipt again (the entry's
  // exact bytes, as the POST answered), and nobody else's.
  {
    auto mine = w.call("GET", t + "/bids/mine", "", w.enterprises[0]);
    REQUIRE(mine.status == 200);
    auto m = body_json(mine);
    CHECK(str(m, "commitment_sha256_hex") == a.commitment);
    CHECK(m.at("log_index").as_int64() == m.at("receipt_index").as_int64());
    CHECK(str(m, "entry").find(a.commitment) != std::string::npos);
    CHECK(str(m, "entry").find("bid.committed") != std::string::npos);
    CHECK(mine.body.find(b.commitment) == std::string::npos);
    CHECK(mine.body.find(c.commitment) == std::string::npos);
    for (const auto& [who, token] : w.everyone()) {
      if (who.starts_with("enterprise")) continue;
      INFO(who);
      auto other = w.call("GET", t + "/bids/mine", "", token);
      CHECK(other.status != 200);
      CHECK(other.body.find(a.commitment) == std::string::npos);
    }
  }

  // In the reveal window: bidders are known to supervisors and the
  // tenderer, but no role sees a price, a salt or a plan.
  w.clock.set_ms(kDeadlineMs + 3'600'000);
  w.relogin();
  REQUIRE(
      w.call("POST", t + "/bids/mine/reveal",
             boost::json::serialize(boost::json::object{{"salt_hex", a.salt_hex}, {"bid", a.bid}}),
             w.enterprises[0])
          .status == 200);
  for (const auto& [who, token] : w.everyone()) {
    INFO(who);
    for (const std::string& body : reads(token)) {
      // Only its own bidder sees a revealed bid before the window closes.
      if (who != "enterprise0") {
        CHECK(body.find(plan) == std::string::npos);
        CHECK(body.find(a.salt_hex) == std::string::npos);
        CHECK(body.find("price_fen_per_m2_month") == std::string::npos);
      }
      CHECK(body.find(plan_b) == std::string::npos);
      CHECK(body.find(b.salt_hex) == std::string::npos);
    }
  }
}

TEST_CASE("the background tick applies a tender's deadline without any request", "[api][tick]") {
  TenderWorld w;
  std::string id = w.published_tender();
  // A second Api over the same ledger and clock, ticking every 10 ms.
  ApiOptions ao;
  ao.ledger = w.ledger.get();
  ao.clock = &w.clock;
  ao.scrypt = kTestScrypt;
  ao.tick_interval = std::chrono::milliseconds(10);
  Api ticking(std::move(ao));
  auto status = [&] {
    auto db = w.ledger->open_reader();
    REQUIRE(db.ok());
    auto v = core::detail::unchecked_view(*db, id);  // a plain read: no catch-up
    REQUIRE(v.ok());
    return v->status;
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(status() == core::TenderStatus::published);  // nothing due yet
  w.clock.set_ms(kDeadlineMs);
  auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (status() != core::TenderStatus::failed && std::chrono::steady_clock::now() < stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // No bids: at the deadline the tender fails (流标, fewer than three bidders).
  CHECK(status() == core::TenderStatus::failed);
}

TEST_CASE("POST /dev/clock ticks: due transitions are applied before it answers", "[api][tick]") {
  TenderWorld w(true);
  std::string id = w.published_tender();
  // The fixture's Api reads the manual clock; move it past the deadline, then
  // let /dev/clock's tick (not a tender request) apply the transitions.
  w.clock.set_ms(kDeadlineMs + 1);
  // Only the admin moves the dev clock (issue 11); its first session expired.
  const std::string admin = w.login("root", "correct horse battery");
  std::uint64_t before = w.ledger->committed_log().size;
  auto r = w.call("POST", "/api/v1/dev/clock", R"({"advance_s":1})", admin);
  REQUIRE(r.status == 200);
  // No bids, fewer than three bidders: bidding closes and the tender fails
  // (流标) at once — two transitions, after the dev.clock_advanced entry.
  CHECK(body_json(r).at("transitions_applied").as_int64() == 2);
  auto db = w.ledger->open_reader();
  REQUIRE(db.ok());
  auto entries = audit::read_entries(*db, before, w.ledger->committed_log().size);
  REQUIRE(entries.ok());
  std::vector<std::string> types;
  for (const auto& e : *entries) {
    std::string type(boost::json::parse(e.bytes).at("type").as_string());
    // The same tick also commits the access record of the days passed.
    if (type != "access_record.committed") types.push_back(std::move(type));
  }
  // document.published: the 流标公告 (docs/documents.md).
  CHECK(types == std::vector<std::string>{"dev.clock_advanced", "tender.bidding_closed",
                                          "tender.failed", "document.published"});
  CHECK(core::detail::unchecked_view(*db, id)->status == core::TenderStatus::failed);
}
