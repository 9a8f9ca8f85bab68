#include "ocds_json.h"

#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "audit_log/error_codes.h"

namespace sunbid::publication {

std::string decimal(std::int64_t units, int scale) {
  const bool negative = units < 0;
  // |INT64_MIN| does not fit: work on the unsigned magnitude.
  std::uint64_t mag = negative ? ~static_cast<std::uint64_t>(units) + 1 : units;
  std::uint64_t pow = 1;
  for (int i = 0; i < scale; ++i) pow *= 10;
  std::string out = negative ? "-" : "";
  out += std::to_string(mag / pow);
  std::uint64_t frac = mag % pow;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, static_cast<std::size_t>(scale) - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
  return out;
}

namespace {

bool is_decimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const std::size_t int_len = i - int_start;
  if (int_len == 0 || (int_len > 1 && s[int_start] == '0')) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  ++i;
  const std::size_t frac_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i == s.size() && i > frac_start;
}

Status write(const boost::json::value& v, bool as_number, std::string& out) {
  if (as_number) {
    if (!v.is_string() || !is_decimal(v.get_string())) {
      return make_error("ocds_invalid_amount",
                        "开放数据金额不是十进制数 / an OCDS amount is not a decimal");
    }
    out += v.get_string();
    return ok_status();
  }
  switch (v.kind()) {
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::value(kv.key()));
        out += ':';
        // A Value's amount and an item's quantity; planning.budget.amount
        // is itself a Value (an object), written as one.
        const bool number =
            (kv.key() == "amount" || kv.key() == "quantity") && !kv.value().is_object();
        SUNBID_TRY(write(kv.value(), number, out));
      }
      out += '}';
      return ok_status();
    }
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        SUNBID_TRY(write(e, false, out));
      }
      out += ']';
      return ok_status();
    }
    case boost::json::kind::double_:
      return make_error("ocds_invalid_amount",
                        "开放数据中不允许浮点数 / no floating point in OCDS data");
    default:
      out += boost::json::serialize(v);
      return ok_status();
  }
}

}  // namespace

Result<std::string> serialize_release(const boost::json::value& v) {
  std::string out;
  SUNBID_TRY(write(v, false, out));
  return out;
}

}  // namespace sunbid::publication
