#include "tender_core/uscc.h"

#include <array>
#include <cstdint>
#include <string>

namespace sunbid::core {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::size_t kLength = 18;

// Weights of the final check character: 3^(i-1) mod 31 for i = 1..17.
constexpr std::array<int, 17> kFinalWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                               29, 25, 13, 8,  24, 10, 30, 28};
// GB 11714-1997 organization code weights over its first 8 characters.
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

// GB 32100-2015 Table 1 "登记管理部门代码和机构类别代码" with its later
// additions (A 中央军委改革和编制办公室, N 农业; LAW.md §7): the valid pairs
// of position 1 (registration authority) and position 2 (institution type).
//   1 机构编制: 1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体, 9 其他
//   2 外交:     1 外国常驻新闻机构, 9 其他
//   3 司法行政: 1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构,
//               5 仲裁委员会, 9 其他
//   4 文化:     1 外国在华文化中心, 9 其他
//   5 民政:     1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他
//   6 旅游:     1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻内地（大陆）
//               代表机构, 9 其他
//   7 宗教:     1 宗教活动场所, 2 宗教院校, 9 其他
//   8 工会:     1 基层工会, 9 其他
//   9 工商（市场监管）: 1 企业, 2 个体工商户, 3 农民专业合作社
//   A 中央军委改革和编制办公室: 1 军队事业单位, 9 其他
//   N 农业:     1 组级, 2 村级, 3 乡镇级集体经济组织, 9 其他
//   Y 其他:     1
// Authorities B-G of an earlier draft list (教育, 公安, ... in some
// validators) are not in the standard and are refused. Whether a holder may
// BID is a different rule (tender_core/service.h: type 91 only by default).
struct AuthorityTypes {
  char authority;
  std::string_view types;
};
constexpr std::array<AuthorityTypes, 12> kAuthorityTypes = {{
    {'1', "1239"},
    {'2', "19"},
    {'3', "123459"},
    {'4', "19"},
    {'5', "1239"},
    {'6', "129"},
    {'7', "129"},
    {'8', "19"},
    {'9', "123"},
    {'A', "19"},
    {'N', "1239"},
    {'Y', "1"},
}};

int alphabet_index(char c) {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// GB 11714 character value: digits are themselves, letters A=10 ... Z=35.
int org_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return c - 'A' + 10;
}

bool authority_type_ok(char authority, char type) {
  for (const auto& entry : kAuthorityTypes) {
    if (entry.authority == authority) return entry.types.find(type) != std::string_view::npos;
  }
  return false;
}

boost::json::object position_detail(std::size_t position) {
  boost::json::object d;
  d["position"] = static_cast<std::int64_t>(position);
  return d;
}

}  // namespace

char uscc_check_character(std::string_view first17) {
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += alphabet_index(first17[i]) * kFinalWeights[i];
  const int check = (31 - sum % 31) % 31;
  return kAlphabet[static_cast<std::size_t>(check)];
}

char organization_code_check_character(std::string_view body8) {
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += org_value(body8[i]) * kOrgWeights[i];
  const int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

Result<UsccInfo> validate_uscc(std::string_view code) {
  if (code.size() != kLength) {
    boost::json::object d;
    d["length"] = static_cast<std::int64_t>(code.size());
    return make_error("uscc_length",
                      "统一社会信用代码必须为18位 / USCC must be exactly 18 characters, got " +
                          std::to_string(code.size()),
                      std::move(d));
  }
  for (std::size_t i = 0; i < kLength; ++i) {
    if (alphabet_index(code[i]) < 0) {
      return make_error(
          "uscc_charset",
          "统一社会信用代码第" + std::to_string(i + 1) +
              "位字符不合法（仅限数字和除I、O、S、V、Z外的大写字母） / USCC character " +
              std::to_string(i + 1) + " is not in 0-9 or uppercase A-Y without I, O, S, V, Z",
          position_detail(i + 1));
    }
  }
  if (!authority_type_ok(code[0], code[1])) {
    return make_error("uscc_authority_type",
                      std::string("登记管理部门代码与机构类别代码组合无效（") + code[0] + code[1] +
                          "） / registration authority and institution type pair " + code[0] +
                          code[1] + " is not in GB 32100-2015 Table 1",
                      position_detail(1));
  }
  for (std::size_t i = 2; i < 8; ++i) {
    if (code[i] < '0' || code[i] > '9') {
      return make_error("uscc_region",
                        "登记管理机关行政区划码必须为6位数字 / region code (positions 3-8) "
                        "must be six digits",
                        position_detail(i + 1));
    }
  }
  const std::string_view org = code.substr(8, 9);
  const char org_expected = organization_code_check_character(org.substr(0, 8));
  if (org[8] != org_expected) {
    auto d = position_detail(17);
    d["expected"] = std::string(1, org_expected);
    return make_error("uscc_org_code",
                      "主体标识码（组织机构代码）校验位错误 / organization code (positions 9-17) "
                      "check character is wrong",
                      std::move(d));
  }
  UsccInfo info;
  info.registration_authority = code[0];
  info.institution_type = code[1];
  info.region_code = std::string(code.substr(2, 6));
  info.organization_code = std::string(org);
  const char final_expected = uscc_check_character(code.substr(0, 17));
  if (code[17] != final_expected) {
    // Early Fujian pilot codes (LAW.md §7): 工商 enterprise codes 9135…
    // (authority 9, type 1, region 35xxxx) with 'M' at position 9, a valid
    // organization code, and only the final check character off.
    if (code.substr(0, 4) == "9135" && code[8] == 'M') {
      info.pilot_exception = true;
      info.warning =
          "福建早期试点代码，末位校验码不符合GB 32100-2015，已按例外接受 / early Fujian pilot "
          "code: the final check character does not follow GB 32100-2015; accepted as an "
          "exception";
      return info;
    }
    auto d = position_detail(18);
    d["expected"] = std::string(1, final_expected);
    return make_error("uscc_check", "统一社会信用代码校验位错误 / USCC check character is wrong",
                      std::move(d));
  }
  return info;
}

}  // namespace sunbid::core
