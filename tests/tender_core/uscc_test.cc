// Golden codes: real published codes (Xiamen / Guangzhou / Harbin / Linyi
// enterprises) and hand-made ones, each checked beforehand by an independent
// Python computation of both check characters (not by this code).
#include "tender_core/uscc.h"

#include <catch2/catch.hpp>
#include <string>

using sunbid::core::organization_code_check_character;
using sunbid::core::uscc_check_character;
using sunbid::core::validate_uscc;

namespace {
std::string refusal(std::string_view code) {
  auto r = validate_uscc(code);
  if (r.ok()) return "ok";
  return r.error().code;
}
}  // namespace

TEST_CASE("real USCC codes validate", "[uscc]") {
  for (const char* code :
       {"91350200776049653A", "91350500798359476R", "91350503MA31DKY80A", "91350200MA31E12PXF",
        "91440101MA5CJQ4N59", "913502000728319549", "123502001549897397", "913502115628130384",
        "9135021359498494XQ", "91350213678251743X", "91230184MA1BUFLT44", "92371000MA3MXH0E3W",
        "91350200MA2YJ1XR9G"}) {
    INFO(code);
    auto r = validate_uscc(code);
    REQUIRE(r.ok());
    CHECK_FALSE(r->pilot_exception);
    CHECK(r->warning.empty());
  }
}

TEST_CASE("USCC fields are split out", "[uscc]") {
  auto r = validate_uscc("92371000MA3MXH0E3W");
  REQUIRE(r.ok());
  CHECK(r->registration_authority == '9');
  CHECK(r->institution_type == '2');
  CHECK(r->region_code == "371000");
  CHECK(r->organization_code == "MA3MXH0E3");
}

TEST_CASE("USCC check characters at their wrap-around values", "[uscc]") {
  // Organization code check 11 -> '0', final check 31 -> '0' (hand-made).
  CHECK(organization_code_check_character("10000004") == '0');
  CHECK(validate_uscc("91110108100000040N").ok());
  CHECK(uscc_check_character("91110108100000446") == '0');
  CHECK(validate_uscc("911101081000004460").ok());
  // Organization code check 10 -> 'X'.
  CHECK(organization_code_check_character("MA31E12P") == 'X');
  CHECK(uscc_check_character("91350200776049653") == 'A');
}

TEST_CASE("early Fujian pilot code is accepted with a warning", "[uscc]") {
  auto r = validate_uscc("91350203M0001QAY9B");  // real Xiamen pilot-era code
  REQUIRE(r.ok());
  CHECK(r->pilot_exception);
  CHECK_FALSE(r->warning.empty());
}

TEST_CASE("pilot exception is narrow", "[uscc]") {
  // M at position 9 but outside Fujian: plain check failure.
  CHECK(refusal("91440101MA5CJQ4N5A") == "uscc_check");
  // Fujian, but no M at position 9.
  CHECK(refusal("91350200776049653B") == "uscc_check");
  // Fujian M code whose organization code is wrong.
  CHECK(refusal("91350203M0001QAY8B") == "uscc_org_code");
  // Only 9135… (工商 enterprise) pilot codes are excused (legal review D5):
  // the same Fujian M body under another authority or type is a plain
  // check failure.
  CHECK(refusal("92350203M0001QAY9B") == "uscc_check");
  CHECK(refusal("93350203M0001QAY9B") == "uscc_check");
  CHECK(refusal("51350203M0001QAY9B") == "uscc_check");
  CHECK(refusal("N2350203M0001QAY9B") == "uscc_check");
  // With their correct check characters they are ordinary valid codes.
  CHECK(refusal("92350203M0001QAY96") == "ok");
  CHECK(refusal("N2350203M0001QAY9Q") == "ok");
}

TEST_CASE("USCC refusals, one per rule", "[uscc]") {
  CHECK(refusal("") == "uscc_length");
  CHECK(refusal("9135020077604965") == "uscc_length");
  CHECK(refusal("91350200776049653AA") == "uscc_length");
  CHECK(refusal("91350200776049653a") == "uscc_charset");  // lowercase refused
  CHECK(refusal("9135020077604965IA") == "uscc_charset");
  CHECK(refusal("91350200776049653O") == "uscc_charset");
  CHECK(refusal("Z1350200776049653A") == "uscc_charset");
  CHECK(refusal("91350200776049 53A") == "uscc_charset");
  CHECK(refusal("94350200776049653A") == "uscc_authority_type");
  CHECK(refusal("99350200776049653A") == "uscc_authority_type");
  CHECK(refusal("Y2350200776049653A") == "uscc_authority_type");
  CHECK(refusal("H1350200776049653A") == "uscc_authority_type");
  CHECK(refusal("14350200776049653A") == "uscc_authority_type");
  CHECK(refusal("22350200776049653A") == "uscc_authority_type");
  CHECK(refusal("9135A200776049653A") == "uscc_region");
  CHECK(refusal("913502007760496M3A") == "uscc_org_code");
  CHECK(refusal("91350200776049654A") == "uscc_org_code");
  CHECK(refusal("91350200776049653B") == "uscc_check");
}

TEST_CASE("USCC refusal carries position and bilingual message", "[uscc]") {
  auto r = validate_uscc("91350200776049653B");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().details.at("position").as_int64() == 18);
  CHECK(r.error().details.at("expected").as_string() == "A");
  CHECK(r.error().message.find(" / ") != std::string::npos);
  auto c = validate_uscc("9135020077604965IA");
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().details.at("position").as_int64() == 17);
}

TEST_CASE("every authority/type pair of the table", "[uscc]") {
  // GB 32100-2015 Table 1 with its additions A and N (LAW.md §7). This test
  // used to assert that 32 and N3 are invalid and B1..G9 valid (legal review
  // D5): 3x, 6x, 7x and Nx now carry all their types, and B-G are not in the
  // standard. For each pair, build a code with a correct organization code
  // and final check so that only the pair decides.
  const std::string valid_pairs[] = {"11", "12", "13", "19", "21", "29", "31", "32", "33",
                                     "34", "35", "39", "41", "49", "51", "52", "53", "59",
                                     "61", "62", "69", "71", "72", "79", "81", "89", "91",
                                     "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"};
  const std::string invalid_pairs[] = {"10", "14", "18", "22", "23", "36", "38", "42", "54", "58",
                                       "63", "73", "82", "90", "94", "99", "A2", "N4", "N5", "Y2",
                                       "Y9", "Y0", "B1", "B9", "C1", "C9", "D1", "D9", "E1", "E9",
                                       "F1", "F9", "G1", "G9", "H1", "J1", "K1", "01"};
  auto build = [](const std::string& pair) {
    std::string first17 = pair + "350200776049653";
    return first17 + uscc_check_character(first17);
  };
  for (const auto& p : valid_pairs) {
    INFO(p);
    CHECK(refusal(build(p)) == "ok");
  }
  for (const auto& p : invalid_pairs) {
    INFO(p);
    CHECK(refusal(build(p)) == "uscc_authority_type");
  }
}
