// JSONTestSuite (nst/JSONTestSuite, test_parsing/) against the strict input
// parser and the canonical-JSON checker. See
// SUNBID_CONFORMANCE_DIR/json/README.md.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "audit_log/canonical_json.h"
#include "audit_log/strict_json.h"

using namespace sunbid;
using namespace sunbid::audit;

namespace {

std::filesystem::path suite_dir() {
  return std::filesystem::path(SUNBID_CONFORMANCE_DIR) / "json" / "test_parsing";
}

std::string read_binary(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// name -> bytes for every file with the prefix, sorted by name.
std::map<std::string, std::string> files_with_prefix(const std::string& prefix) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(suite_dir())) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind(prefix, 0) == 0)
      out[name] = read_binary(entry.path());
  }
  return out;
}

// Valid RFC 8259 texts that sunbid's strict input refuses on purpose, and why.
const std::map<std::string, std::string>& refused_valid_files() {
  static const auto* const table = new std::map<std::string, std::string>{
      {"y_number.json", "exponent (123e65)"},
      {"y_number_0e+1.json", "exponent"},
      {"y_number_0e1.json", "exponent"},
      {"y_number_double_close_to_zero.json", "fraction"},
      {"y_number_int_with_exp.json", "exponent (20e1)"},
      {"y_number_real_capital_e.json", "exponent"},
      {"y_number_real_capital_e_neg_exp.json", "exponent"},
      {"y_number_real_capital_e_pos_exp.json", "exponent"},
      {"y_number_real_exponent.json", "exponent"},
      {"y_number_real_fraction_exponent.json", "fraction and exponent"},
      {"y_number_real_neg_exp.json", "exponent"},
      {"y_number_real_pos_exponent.json", "exponent"},
      {"y_number_simple_real.json", "fraction"},
      {"y_object_extreme_numbers.json", "fraction and exponent (1.0e+28)"},
      {"y_structure_lonely_negative_real.json", "fraction"},
      {"y_object_duplicated_key.json", "duplicate key"},
      {"y_object_duplicated_key_and_value.json", "duplicate key"},
  };
  return *table;
}

// The y_ files whose bytes are already canonical, worked out independently
// (a separate Python encoder: sorted by UTF-16, no whitespace, minimal escapes).
const std::set<std::string>& canonical_valid_files() {
  static const auto* const table = new std::set<std::string>{
      "y_array_empty-string.json",
      "y_array_empty.json",
      "y_array_ending_with_newline.json",
      "y_array_false.json",
      "y_array_null.json",
      "y_array_with_several_null.json",
      "y_number_negative_int.json",
      "y_number_negative_one.json",
      "y_number_simple_int.json",
      "y_object_basic.json",
      "y_object_empty.json",
      "y_object_empty_key.json",
      "y_object_simple.json",
      "y_string_backslash_and_u_escaped_zero.json",
      "y_string_backslash_doublequotes.json",
      "y_string_comments.json",
      "y_string_double_escape_a.json",
      "y_string_double_escape_n.json",
      "y_string_escaped_control_character.json",
      "y_string_in_array.json",
      "y_string_nonCharacterInUTF-8_U+10FFFF.json",
      "y_string_nonCharacterInUTF-8_U+FFFF.json",
      "y_string_null_escape.json",
      "y_string_pi.json",
      "y_string_reservedCharacterInUTF-8_U+1BFFF.json",
      "y_string_simple_ascii.json",
      "y_string_space.json",
      "y_string_u+2028_line_sep.json",
      "y_string_u+2029_par_sep.json",
      "y_string_unescaped_char_delete.json",
      "y_string_unicode_2.json",
      "y_string_utf8.json",
      "y_string_with_del_character.json",
      "y_structure_lonely_false.json",
      "y_structure_lonely_int.json",
      "y_structure_lonely_null.json",
      "y_structure_lonely_string.json",
      "y_structure_lonely_true.json",
      "y_structure_string_empty.json",
      "y_structure_true_in_array.json",
  };
  return *table;
}

// What the strict parser answers for each implementation-defined file
// (true = accepted). All are refused: huge numbers (out of int64 or with
// exponents), invalid UTF-8, lone or inverted surrogates, UTF-16 text,
// BOMs and 500 levels of nesting all break a sunbid input rule.
const std::map<std::string, bool>& implementation_defined_answers() {
  static const auto* const table = new std::map<std::string, bool>{
      {"i_number_double_huge_neg_exp.json", false},
      {"i_number_huge_exp.json", false},
      {"i_number_neg_int_huge_exp.json", false},
      {"i_number_pos_double_huge_exp.json", false},
      {"i_number_real_neg_overflow.json", false},
      {"i_number_real_pos_overflow.json", false},
      {"i_number_real_underflow.json", false},
      {"i_number_too_big_neg_int.json", false},
      {"i_number_too_big_pos_int.json", false},
      {"i_number_very_big_negative_int.json", false},
      {"i_object_key_lone_2nd_surrogate.json", false},
      {"i_string_1st_surrogate_but_2nd_missing.json", false},
      {"i_string_1st_valid_surrogate_2nd_invalid.json", false},
      {"i_string_UTF-16LE_with_BOM.json", false},
      {"i_string_UTF-8_invalid_sequence.json", false},
      {"i_string_UTF8_surrogate_U+D800.json", false},
      {"i_string_incomplete_surrogate_and_escape_valid.json", false},
      {"i_string_incomplete_surrogate_pair.json", false},
      {"i_string_incomplete_surrogates_escape_valid.json", false},
      {"i_string_invalid_lonely_surrogate.json", false},
      {"i_string_invalid_surrogate.json", false},
      {"i_string_invalid_utf-8.json", false},
      {"i_string_inverted_surrogates_U+1D11E.json", false},
      {"i_string_iso_latin_1.json", false},
      {"i_string_lone_second_surrogate.json", false},
      {"i_string_lone_utf8_continuation_byte.json", false},
      {"i_string_not_in_unicode_range.json", false},
      {"i_string_overlong_sequence_2_bytes.json", false},
      {"i_string_overlong_sequence_6_bytes.json", false},
      {"i_string_overlong_sequence_6_bytes_null.json", false},
      {"i_string_truncated-utf-8.json", false},
      {"i_string_utf16BE_no_BOM.json", false},
      {"i_string_utf16LE_no_BOM.json", false},
      {"i_structure_500_nested_arrays.json", false},
      {"i_structure_UTF-8_BOM_empty_object.json", false},
  };
  return *table;
}

// The checker must accept exactly the texts that are the canonical encoding
// of their own strict parse.
bool is_own_encoding(const std::string& bytes) {
  auto parsed = parse_strict_json(bytes);
  if (!parsed.ok()) return false;
  auto again = to_canonical_json(*parsed);
  return again.ok() && *again == bytes;
}

}  // namespace

TEST_CASE("JSONTestSuite: every n_ file is refused by the strict parser and the checker") {
  const auto files = files_with_prefix("n_");
  CHECK(files.size() == 188);
  for (const auto& [name, bytes] : files) {
    INFO(name);
    auto r = parse_strict_json(bytes);
    CHECK_FALSE(r.ok());
    if (!r.ok())
      CHECK((r.error().code == "invalid_json" || r.error().code == "non_integer_number"));
    CHECK_FALSE(check_canonical(bytes).ok());
  }
}

TEST_CASE("JSONTestSuite: y_ files are accepted except the listed integer/duplicate-key refusals") {
  const auto files = files_with_prefix("y_");
  CHECK(files.size() == 95);
  for (const auto& [name, _] : refused_valid_files()) CHECK(files.count(name) == 1);
  for (const auto& name : canonical_valid_files()) CHECK(files.count(name) == 1);
  for (const auto& [name, bytes] : files) {
    INFO(name);
    auto r = parse_strict_json(bytes);
    const auto refused = refused_valid_files().find(name);
    if (refused == refused_valid_files().end()) {
      CHECK(r.ok());
    } else {
      INFO("expected refusal: " << refused->second);
      REQUIRE_FALSE(r.ok());
      const bool duplicate = refused->second == "duplicate key";
      CHECK(r.error().code == (duplicate ? "invalid_json" : "non_integer_number"));
    }
    // The checker accepts exactly the canonical ones.
    const bool canonical = canonical_valid_files().count(name) == 1;
    CHECK(check_canonical(bytes).ok() == canonical);
    CHECK(is_own_encoding(bytes) == canonical);
  }
}

TEST_CASE("JSONTestSuite: i_ files never crash, the answers are recorded") {
  const auto files = files_with_prefix("i_");
  CHECK(files.size() == 35);
  for (const auto& [name, bytes] : files) {
    INFO(name);
    const auto expected = implementation_defined_answers().find(name);
    REQUIRE(expected != implementation_defined_answers().end());
    CHECK(parse_strict_json(bytes).ok() == expected->second);
    CHECK(check_canonical(bytes).ok() == is_own_encoding(bytes));
  }
}
