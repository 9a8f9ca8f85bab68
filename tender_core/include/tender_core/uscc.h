// 统一社会信用代码 (unified social credit code, USCC) validation per
// GB 32100-2015 "法人和其他组织统一社会信用代码编码规则" with its Amendment
// No. 1 (2016), and the GB 11714 organization code embedded in it.
//
// A USCC is 18 characters from the 31-character alphabet
// "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z; uppercase only):
//   1      registration-authority code (登记管理部门代码)
//   2      institution-type code (机构类别代码), valid only in pairs with 1
//   3-8    administrative region code (登记管理机关行政区划码, GB/T 2260), digits
//   9-17   subject identifier (主体标识码) = GB 11714 organization code, whose
//          9th character is its own check character
//   18     final check character (ISO 7064 MOD 31-3 style, weights 3^(i-1) mod 31)
//
// Early Fujian pilot codes (9135…: 工商 enterprises of region 35xxxx, an 'M'
// at position 9) were issued before the final check character was
// standardized and legitimately fail it; they are accepted with a warning
// when everything else is valid. No other code is excused.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <string>
#include <string_view>

#include "audit_log/result.h"

namespace sunbid::core {

// What a valid USCC says about its holder.
struct UsccInfo {
  char registration_authority = 0;  // position 1, e.g. '9' = 工商 (market regulation)
  char institution_type = 0;        // position 2, e.g. '1' = 企业 (enterprise)
  std::string region_code;          // positions 3-8, six digits
  std::string organization_code;    // positions 9-17, nine characters
  // True only for an early Fujian pilot code that fails the final check
  // character but is otherwise valid; `warning` then explains it.
  bool pilot_exception = false;
  std::string warning;  // empty unless pilot_exception
};

// Validates `code` exactly as given (no trimming, no case folding).
// Refusal codes: uscc_length, uscc_charset, uscc_authority_type, uscc_region,
// uscc_org_code, uscc_check; details carry {"position": 1-based} where a single
// character is at fault and {"expected": "<char>"} for check characters.
Result<UsccInfo> validate_uscc(std::string_view code);

// The final (18th) check character for the first 17 characters of a code.
// REQUIRES: first17.size() == 17 and every character is in the USCC alphabet.
char uscc_check_character(std::string_view first17);

// The GB 11714 check character ('0'-'9' or 'X') for an 8-character body.
// REQUIRES: body8.size() == 8 and every character is 0-9 or A-Z.
char organization_code_check_character(std::string_view body8);

}  // namespace sunbid::core
