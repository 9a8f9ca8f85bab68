#include "audit_log/entry_format.h"

#include <fmt/format.h>

#include "audit_log/merkle.h"
#include "audit_log/time_format.h"

namespace sunbid::audit {

namespace {

Error invalid_entry(std::string_view member, std::string_view why) {
  return make_error("invalid_entry",
                    fmt::format("日志条目无效 / invalid log entry: member \"{}\" {}", member, why),
                    {{"member", member}});
}

bool is_string(std::string_view raw) { return raw.size() >= 2 && raw.front() == '"'; }

bool is_lower_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

Result<std::string> encode_entry(const EntryDraft& draft, std::uint64_t index, std::int64_t time_ms,
                                 const Hash& prev, std::optional<std::string_view> source,
                                 std::string_view blind) {
  if (draft.type.empty()) return invalid_entry("type", "is empty");
  if (draft.actor.empty()) return invalid_entry("actor", "is empty");
  if (index > static_cast<std::uint64_t>(INT64_MAX)) return invalid_entry("index", "is too large");
  if (source && draft.source) return invalid_entry("source", "is given twice");
  if (draft.payload.contains(kBlindMember)) {
    return invalid_entry("payload", "sets blind, which only the log adds");
  }
  boost::json::object o;
  o["actor"] = draft.actor;
  o["index"] = static_cast<std::int64_t>(index);
  o["payload"] = draft.payload;
  if (!blind.empty()) o["payload"].as_object()[kBlindMember] = blind;
  o["prev"] = hex_encode(prev);
  o["role"] = draft.role;
  if (source) {
    o["source"] = *source;
  } else {
    o["source"] = draft.source ? boost::json::value(*draft.source) : boost::json::value(nullptr);
  }
  o["tender"] = draft.tender ? boost::json::value(*draft.tender) : boost::json::value(nullptr);
  o["time"] = format_rfc3339_ms(time_ms);
  o["type"] = draft.type;
  return to_canonical_json(o);
}

std::string encode_stub(std::uint64_t index, std::string_view entry_bytes) {
  return fmt::format(R"({{"entry_hash":"{}","index":{},"leaf_hash":"{}"}})",
                     hex_encode(entry_hash(entry_bytes)), index,
                     hex_encode(leaf_hash(entry_bytes)));
}

std::optional<StubView> parse_stub(std::string_view b) {
  constexpr std::string_view kHead = R"({"entry_hash":")";
  constexpr std::string_view kIndex = R"(","index":)";
  constexpr std::string_view kLeaf = R"(,"leaf_hash":")";
  constexpr std::string_view kTail = R"("})";
  if (!b.starts_with(kHead)) return std::nullopt;
  b.remove_prefix(kHead.size());
  if (b.size() < 64 || !is_lower_hex64(b.substr(0, 64))) return std::nullopt;
  StubView v;
  v.entry_hash = *hash_from_hex(b.substr(0, 64));
  b.remove_prefix(64);
  if (!b.starts_with(kIndex)) return std::nullopt;
  b.remove_prefix(kIndex.size());
  std::size_t digits = 0;
  while (digits < b.size() && b[digits] >= '0' && b[digits] <= '9') ++digits;
  if (digits == 0 || digits > 18 || (digits > 1 && b[0] == '0')) return std::nullopt;
  for (std::size_t i = 0; i < digits; ++i)
    v.index = v.index * 10 + static_cast<unsigned>(b[i] - '0');
  b.remove_prefix(digits);
  if (!b.starts_with(kLeaf)) return std::nullopt;
  b.remove_prefix(kLeaf.size());
  if (b.size() != 64 + kTail.size() || !is_lower_hex64(b.substr(0, 64)) || b.substr(64) != kTail) {
    return std::nullopt;
  }
  v.leaf_hash = *hash_from_hex(b.substr(0, 64));
  return v;
}

Result<EntryView> parse_entry(std::string_view bytes, TopLevelFields& f) {
  SUNBID_TRY(check_canonical(bytes, &f));
  // Canonical order is sorted order, so the members must be exactly these,
  // in this order.
  static constexpr std::string_view kMembers[] = {"actor", "index",  "payload", "prev", "role",
                                                   "source", "tender", "time",    "type"};
  if (f.size() != std::size(kMembers)) {
    if (bytes.empty() || bytes.front() != '{') return invalid_entry("", "entry is not an object");
    return invalid_entry("", fmt::format("has {} members, expected 9", f.size()));
  }
  for (std::size_t i = 0; i < std::size(kMembers); ++i) {
    if (f.fields()[i].key != kMembers[i])
      return invalid_entry(f.fields()[i].key, fmt::format("is unexpected (expected \"{}\")", kMembers[i]));
  }
  const auto& m = f.fields();
  EntryView v;
  if (!is_string(m[0].raw)) return invalid_entry("actor", "is not a string");
  auto index = raw_to_int64(m[1].raw);
  if (!index.ok() || *index < 0) return invalid_entry("index", "is not a non-negative integer");
  v.index = static_cast<std::uint64_t>(*index);
  if (m[2].raw.front() != '{') return invalid_entry("payload", "is not an object");
  std::string_view prev = m[3].raw;
  if (prev.size() != 66 || !is_lower_hex64(prev.substr(1, 64)))
    return invalid_entry("prev", "is not 64 lowercase hex characters");
  v.prev = *hash_from_hex(prev.substr(1, 64));
  if (!is_string(m[4].raw)) return invalid_entry("role", "is not a string");
  if (m[5].raw != "null" && !is_string(m[5].raw))
    return invalid_entry("source", "is neither a string nor null");
  if (m[6].raw != "null" && !is_string(m[6].raw))
    return invalid_entry("tender", "is neither a string nor null");
  v.tender = m[6].raw;
  std::string_view time = m[7].raw;
  if (time.size() != 26 || !parse_rfc3339_ms_utc(time.substr(1, 24)))
    return invalid_entry("time", "is not an RFC 3339 UTC time with milliseconds");
  v.time = time;
  if (!is_string(m[8].raw) || m[8].raw.size() == 2) return invalid_entry("type", "is not a non-empty string");
  v.type = m[8].raw;
  return v;
}

}  // namespace sunbid::audit
