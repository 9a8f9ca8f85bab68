#include "tender_core/roster.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

using namespace sunbid::core;

namespace {
const std::string kHeader = "unit,area_centi_m2,owner_key,owner_name,status\n";

std::vector<std::pair<std::int64_t, std::string>> problems_of(const sunbid::Error& e) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& p : e.details.at("problems").as_array()) {
    out.emplace_back(p.at("line").as_int64(), std::string(p.at("code").as_string()));
  }
  return out;
}
}  // namespace

TEST_CASE("roster totals, hand computed", "[roster]") {
  const std::string csv = kHeader +
                          "1-1-101,8950,k1,张三,sold\n"
                          "1-1-102,10000,k2,李四,sold\n"
                          "1-1-201,12000,k1,张三,sold\n"
                          "1-1-202,9000,dev,某某房地产开发有限公司,unsold\n"
                          "1-1-301,9000,dev,某某房地产开发有限公司,unsold\n"
                          "1-1-302,15050,k3,\"王, \"\"五\"\"\",sold\n";
  auto r = parse_roster_csv(csv);
  REQUIRE(r.ok());
  REQUIRE(r->units.size() == 6);
  CHECK(r->units[5].owner_name == "王, \"五\"");
  CHECK(r->units[5].line == 7);
  REQUIRE(r->developer_key);
  CHECK(*r->developer_key == "dev");
  const auto t = totals(*r);
  CHECK(t.units == 6);
  CHECK(t.total_area_centi_m2 == 64000);  // 8950+10000+12000+9000+9000+15050
  CHECK(t.owners_headcount == 4);         // k1 (2 units), k2, dev (2 unsold), k3
  const auto w = owner_weights(*r);
  REQUIRE(w.size() == 4);
  CHECK(w[0].owner_key == "dev");
  CHECK(w[0].area_centi_m2 == 18000);
  CHECK(w[0].units == 2);
  CHECK(w[0].developer);
  CHECK(w[1].owner_key == "k1");
  CHECK(w[1].area_centi_m2 == 20950);
  CHECK(w[1].units == 2);
  CHECK_FALSE(w[1].developer);
  CHECK(w[2].owner_key == "k2");
  CHECK(w[2].area_centi_m2 == 10000);
  CHECK(w[3].owner_key == "k3");
  CHECK(w[3].area_centi_m2 == 15050);
}

TEST_CASE("developer holding sold units under its own key counts once", "[roster]") {
  const std::string csv = kHeader +
                          "A-101,9000,dev,开发商,unsold\n"
                          "A-102,7000,dev,开发商,sold\n"
                          "A-103,8000,o1,业主甲,sold\n";
  auto r = parse_roster_csv(csv);
  REQUIRE(r.ok());
  const auto t = totals(*r);
  CHECK(t.owners_headcount == 2);
  CHECK(t.total_area_centi_m2 == 24000);
  const auto w = owner_weights(*r);
  REQUIRE(w.size() == 2);
  CHECK(w[0].owner_key == "dev");
  CHECK(w[0].units == 2);
  CHECK(w[0].area_centi_m2 == 16000);
}

TEST_CASE("roster without unsold units has no developer", "[roster]") {
  auto r = parse_roster_csv(kHeader + "1,100,a,x,sold\n2,200,b,y,sold");
  REQUIRE(r.ok());
  CHECK_FALSE(r->developer_key);
  CHECK(totals(*r).owners_headcount == 2);
  CHECK(totals(*r).total_area_centi_m2 == 300);
}

TEST_CASE("roster CSV variants: CRLF, no final newline, BOM, quoted newline", "[roster]") {
  auto crlf = parse_roster_csv(
      "unit,area_centi_m2,owner_key,owner_name,status\r\n1,100,a,x,sold\r\n2,5,b,y,sold\r\n");
  REQUIRE(crlf.ok());
  CHECK(crlf->units.size() == 2);
  CHECK(crlf->units[1].owner_name == "y");
  auto bom = parse_roster_csv("\xEF\xBB\xBF" + kHeader + "1,100,a,x,sold");
  REQUIRE(bom.ok());
  auto nl = parse_roster_csv(kHeader + "1,100,a,\"line1\nline2\",sold\n2,100,b,z,sold\n");
  REQUIRE(nl.ok());
  CHECK(nl->units[0].owner_name == "line1\nline2");
  CHECK(nl->units[1].line == 4);
  auto quoted_all = parse_roster_csv(
      "\"unit\",\"area_centi_m2\",\"owner_key\",\"owner_name\",\"status\"\n\"1\",\"1\",\"a\",\"\","
      "\"sold\"\n");
  REQUIRE(quoted_all.ok());
  CHECK(quoted_all->units[0].owner_name.empty());
}

TEST_CASE("area bounds", "[roster]") {
  CHECK(parse_roster_csv(kHeader + "1,1000000000,a,x,sold\n").ok());
  auto over = parse_roster_csv(kHeader + "1,1000000001,a,x,sold\n");
  REQUIRE_FALSE(over.ok());
  CHECK(problems_of(over.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{{2, "area_overflow"}});
  CHECK(parse_roster_csv(kHeader + "1,1,a,x,sold\n").ok());
}

TEST_CASE("every problem class, with line numbers", "[roster]") {
  const std::string csv = kHeader +                                    // line 1
                          "1-101,8950,k1,张三,sold\n"                  // 2 ok
                          "1-101,9000,k2,李四,sold\n"                  // 3 duplicate_unit
                          "1-102,0,k3,王五,sold\n"                     // 4 area_not_positive
                          "1-103,-5,k4,赵六,sold\n"                    // 5 area_invalid
                          "1-104,89.5,k5,钱七,sold\n"                  // 6 area_invalid
                          "1-105,0100,k6,孙八,sold\n"                  // 7 area_invalid
                          "1-106,99999999999999999999,k7,周九,sold\n"  // 8 area_overflow
                          "1-107,100,k8,吴十,rented\n"                 // 9 status_unknown
                          "1-108,100,k9,郑一\n"                        // 10 field_count
                          ",100,k10,冯二,sold\n"                       // 11 empty_unit
                          "1-109,100,,陈三,sold\n"                     // 12 empty_owner_key
                          "1-110,100,dev,开发商,unsold\n"              // 13 ok
                          "1-111,100,dev2,开发商2,unsold\n"            // 14 unsold_owner_conflict
                          "1-112,100,k1,张三丰,sold\n"                 // 15 owner_name_conflict
                          "1-113,100,k11,\"多行\n姓名\",sold\n"        // 16-17 ok
                          "1-114,100,k12,\xff,sold\n"                  // 18 invalid_utf8
                          "1-115,100,k13,a\"b,sold\n"                  // 19 csv_syntax
                          "1-116,100,k14,\"x\"y,sold\n"                // 20 csv_syntax
                          "1-117,100,k15,ok,sold\r\n"                  // 21 ok
                          "1-118,,k16,ok,sold\n"                       // 22 area_invalid
                          "1-119,100,k17,\"open,sold\n"                // 23 csv_syntax
                          "1-120,100,k18,never,sold\n";                // (inside the quote)
  auto r = parse_roster_csv(csv);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "roster_invalid");
  const std::vector<std::pair<std::int64_t, std::string>> expected = {{3, "duplicate_unit"},
                                                                      {4, "area_not_positive"},
                                                                      {5, "area_invalid"},
                                                                      {6, "area_invalid"},
                                                                      {7, "area_invalid"},
                                                                      {8, "area_overflow"},
                                                                      {9, "status_unknown"},
                                                                      {10, "field_count"},
                                                                      {11, "empty_unit"},
                                                                      {12, "empty_owner_key"},
                                                                      {14, "unsold_owner_conflict"},
                                                                      {15, "owner_name_conflict"},
                                                                      {18, "invalid_utf8"},
                                                                      {19, "csv_syntax"},
                                                                      {20, "csv_syntax"},
                                                                      {22, "area_invalid"},
                                                                      {23, "csv_syntax"}};
  CHECK(problems_of(r.error()) == expected);
  CHECK(r.error().details.at("problems_total").as_int64() == 17);
  CHECK(r.error().details.at("problems_omitted").as_int64() == 0);
}

TEST_CASE("several problems on one row are all reported", "[roster]") {
  auto r = parse_roster_csv(kHeader + ",abc,,x,maybe\n");
  REQUIRE_FALSE(r.ok());
  CHECK(problems_of(r.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{
            {2, "empty_unit"}, {2, "area_invalid"}, {2, "empty_owner_key"}, {2, "status_unknown"}});
}

TEST_CASE("header, empty input and lone CR", "[roster]") {
  auto empty = parse_roster_csv("");
  REQUIRE_FALSE(empty.ok());
  CHECK(problems_of(empty.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{{1, "header"}});
  auto only_header = parse_roster_csv(kHeader);
  REQUIRE_FALSE(only_header.ok());
  CHECK(problems_of(only_header.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{{1, "empty_roster"}});
  auto wrong = parse_roster_csv("unit,area,owner_key,owner_name,status\n1,1,a,b,sold\n");
  REQUIRE_FALSE(wrong.ok());
  CHECK(problems_of(wrong.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{{1, "header"}});
  auto upper = parse_roster_csv("Unit,area_centi_m2,owner_key,owner_name,status\n1,1,a,b,sold\n");
  CHECK_FALSE(upper.ok());
  auto cr = parse_roster_csv(kHeader + "1,1,a,b\rsold\n2,1,c,d,sold\n");
  REQUIRE_FALSE(cr.ok());
  CHECK(problems_of(cr.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{{2, "csv_syntax"}});
  auto blank = parse_roster_csv(kHeader + "1,1,a,b,sold\n\n");
  REQUIRE_FALSE(blank.ok());
  CHECK(problems_of(blank.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{{3, "field_count"}});
  // An overlong encoding and a UTF-16 surrogate are not UTF-8.
  CHECK_FALSE(parse_roster_csv(kHeader + "1,1,a,\xC0\xAF,sold\n").ok());
  CHECK_FALSE(parse_roster_csv(kHeader + "1,1,a,\xED\xA0\x80,sold\n").ok());
  CHECK(parse_roster_csv(kHeader + "1,1,a,\xF0\x9F\x8F\xA0,sold\n").ok());
}

TEST_CASE("problem list is capped at 1000 with a count of the rest", "[roster]") {
  std::string csv = kHeader;
  for (int i = 0; i < 1500; ++i) csv += "u" + std::to_string(i) + ",0,k,n,sold\n";
  auto r = parse_roster_csv(csv);
  REQUIRE_FALSE(r.ok());
  const auto& d = r.error().details;
  CHECK(d.at("problems").as_array().size() == 1000);
  CHECK(d.at("problems_total").as_int64() == 1500);
  CHECK(d.at("problems_omitted").as_int64() == 500);
  CHECK(d.at("problems").as_array().back().at("line").as_int64() == 1001);
}

TEST_CASE("row limit: 100000 rows pass, 100001 are refused", "[roster]") {
  std::string csv = kHeader;
  csv.reserve(3'000'000);
  for (int i = 0; i < 100'000; ++i)
    csv += std::to_string(i) + ",100,k" + std::to_string(i) + ",n,sold\n";
  auto ok = parse_roster_csv(csv);
  REQUIRE(ok.ok());
  CHECK(totals(*ok).owners_headcount == 100'000);
  CHECK(totals(*ok).total_area_centi_m2 == 10'000'000);
  csv += "x,100,kx,n,sold\n";
  auto over = parse_roster_csv(csv);
  REQUIRE_FALSE(over.ok());
  CHECK(problems_of(over.error()) ==
        std::vector<std::pair<std::int64_t, std::string>>{{100'002, "too_many_rows"}});
}
