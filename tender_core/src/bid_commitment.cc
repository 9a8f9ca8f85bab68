#include "tender_core/bid_commitment.h"

#include <set>

#include "audit_log/canonical_json.h"

namespace sunbid::core {

namespace {

Error bid_invalid(std::string field, std::string why_zh, std::string why_en) {
  boost::json::object d;
  d["field"] = field;
  return make_error(
      "bid_invalid",
      "投标文件无效：" + field + " " + why_zh + " / invalid bid: " + field + " " + why_en,
      std::move(d));
}

bool is_lower_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<Bid> bid_from_json(const boost::json::value& json) {
  if (!json.is_object()) return bid_invalid("bid", "应为对象", "must be an object");
  const auto& o = json.get_object();
  static const std::set<std::string_view> kKnown = {
      "tender_id", "bidder_uscc",  "price_fen_per_m2_month",
      "staffing",  "service_plan", "documents", "item_prices"};
  for (const auto& kv : o) {
    if (!kKnown.count(kv.key())) return bid_invalid(std::string(kv.key()), "未知字段", "unknown");
  }
  Bid bid;
  auto str = [&](const char* k, std::string& out) -> Status {
    const auto* v = o.if_contains(k);
    if (v == nullptr) return bid_invalid(k, "缺失", "missing");
    if (!v->is_string()) return bid_invalid(k, "应为字符串", "must be a string");
    out = std::string(v->get_string());
    return ok_status();
  };
  SUNBID_TRY(str("tender_id", bid.tender_id));
  SUNBID_TRY(str("bidder_uscc", bid.bidder_uscc));
  SUNBID_TRY(str("service_plan", bid.service_plan));
  if (bid.tender_id.empty()) return bid_invalid("tender_id", "为空", "is empty");
  if (bid.bidder_uscc.empty()) return bid_invalid("bidder_uscc", "为空", "is empty");
  const auto* price = o.if_contains("price_fen_per_m2_month");
  if (price == nullptr) return bid_invalid("price_fen_per_m2_month", "缺失", "missing");
  if (!price->is_int64()) {
    return bid_invalid("price_fen_per_m2_month", "应为整数", "must be an integer");
  }
  bid.price_fen_per_m2_month = price->get_int64();
  if (bid.price_fen_per_m2_month <= 0) {
    return bid_invalid("price_fen_per_m2_month", "应为正数", "must be positive");
  }
  const auto* staffing = o.if_contains("staffing");
  if (staffing == nullptr) return bid_invalid("staffing", "缺失", "missing");
  if (!staffing->is_object()) return bid_invalid("staffing", "应为对象", "must be an object");
  for (const auto& kv : staffing->get_object()) {
    const std::string field = "staffing." + std::string(kv.key());
    if (!kv.value().is_int64() || kv.value().get_int64() < 0) {
      return bid_invalid(field, "应为非负整数", "must be a non-negative integer");
    }
    bid.staffing[std::string(kv.key())] = kv.value().get_int64();
  }
  const auto* docs = o.if_contains("documents");
  if (docs == nullptr) return bid_invalid("documents", "缺失", "missing");
  if (!docs->is_array()) return bid_invalid("documents", "应为数组", "must be an array");
  std::size_t i = 0;
  for (const auto& d : docs->get_array()) {
    const std::string field = "documents[" + std::to_string(i++) + "]";
    if (!d.is_object()) return bid_invalid(field, "应为对象", "must be an object");
    const auto& dobj = d.get_object();
    const auto* name = dobj.if_contains("name");
    const auto* hex = dobj.if_contains("sha256_hex");
    if (dobj.size() != 2 || name == nullptr || hex == nullptr || !name->is_string() ||
        !hex->is_string()) {
      return bid_invalid(field, "应为 {name, sha256_hex}", "must be {name, sha256_hex}");
    }
    if (!is_lower_hex64(hex->get_string())) {
      return bid_invalid(field + ".sha256_hex", "应为64位小写十六进制",
                         "must be 64 lowercase hex characters");
    }
    bid.documents.push_back({std::string(name->get_string()), std::string(hex->get_string())});
  }
  if (const auto* items = o.if_contains("item_prices")) {
    if (!items->is_object() || items->get_object().empty()) {
      return bid_invalid("item_prices", "应为非空对象", "must be a non-empty object");
    }
    std::map<std::string, std::int64_t> prices;
    std::int64_t sum = 0;
    for (const auto& kv : items->get_object()) {
      const std::string field = "item_prices." + std::string(kv.key());
      if (kv.key().empty() || !kv.value().is_int64() || kv.value().get_int64() <= 0 ||
          kv.value().get_int64() > kMaxBidPriceFen) {
        return bid_invalid(field, "应为正整数", "must be a positive integer");
      }
      sum += kv.value().get_int64();  // both at most 10^12 here: no overflow
      if (sum > kMaxBidPriceFen) {
        return bid_invalid("item_prices", "合计超出上限", "sum above the platform's bound");
      }
      prices[std::string(kv.key())] = kv.value().get_int64();
    }
    if (sum != bid.price_fen_per_m2_month) {
      return bid_invalid("item_prices", "各项报价之和须等于总报价 price_fen_per_m2_month",
                         "must sum to price_fen_per_m2_month");
    }
    bid.item_prices = std::move(prices);
  }
  return bid;
}

boost::json::object to_json(const Bid& bid) {
  boost::json::object o;
  o["tender_id"] = bid.tender_id;
  o["bidder_uscc"] = bid.bidder_uscc;
  o["price_fen_per_m2_month"] = bid.price_fen_per_m2_month;
  boost::json::object staffing;
  for (const auto& [role, n] : bid.staffing) staffing[role] = n;
  o["staffing"] = std::move(staffing);
  o["service_plan"] = bid.service_plan;
  boost::json::array docs;
  for (const auto& d : bid.documents) {
    boost::json::object od;
    od["name"] = d.name;
    od["sha256_hex"] = d.sha256_hex;
    docs.push_back(std::move(od));
  }
  o["documents"] = std::move(docs);
  if (bid.item_prices) {
    boost::json::object items;
    for (const auto& [item, price] : *bid.item_prices) items[item] = price;
    o["item_prices"] = std::move(items);
  }
  return o;
}

Result<std::string> canonical_bid(const Bid& bid) {
  return audit::to_canonical_json(boost::json::value(to_json(bid)));
}

Hash bid_commitment(std::span<const std::uint8_t, kBidSaltBytes> salt,
                    std::string_view canonical_bid_bytes) {
  Sha256 h;
  h.update(kBidCommitmentTag);
  h.update(std::span<const std::uint8_t>(salt.data(), salt.size()));
  h.update(canonical_bid_bytes);
  return h.finish();
}

Result<std::array<std::uint8_t, kBidSaltBytes>> parse_salt_hex(std::string_view salt_hex) {
  if (!is_lower_hex64(salt_hex)) {
    return make_error("salt_invalid",
                      "盐值应为64位小写十六进制（32字节） / the salt must be 64 lowercase hex "
                      "characters (32 bytes)");
  }
  auto bytes = hex_decode(salt_hex);
  std::array<std::uint8_t, kBidSaltBytes> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Result<Hash> parse_commitment_hex(std::string_view hex) {
  if (!is_lower_hex64(hex)) {
    return make_error("commitment_invalid",
                      "承诺值应为64位小写十六进制 / the commitment must be 64 lowercase hex "
                      "characters");
  }
  return *hash_from_hex(hex);
}

}  // namespace sunbid::core
