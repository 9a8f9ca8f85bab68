// Fuzzes the canonical-JSON checker against the strict parser and encoder.
//
// Property: check_canonical(bytes) accepts iff bytes parse strictly and
// re-encode to exactly the same bytes. Both directions abort on violation.
// Also reads every captured top-level field back, which must not crash.
#include "audit_log/canonical_json.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "audit_log/strict_json.h"

using namespace sunbid;
using namespace sunbid::audit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  TopLevelFields fields;
  const bool canonical = check_canonical(bytes, &fields).ok();
  auto parsed = parse_strict_json(bytes);
  if (canonical) {
    if (!parsed.ok()) {
      std::fprintf(stderr, "checker accepted, strict parser refused: %s\n",
                   parsed.error().to_string().c_str());
      std::abort();
    }
    auto again = to_canonical_json(*parsed);
    if (!again.ok() || *again != bytes) {
      std::fprintf(stderr, "checker accepted a text that does not re-encode to itself\n");
      std::abort();
    }
    for (const auto& f : fields.fields()) {
      (void)raw_to_int64(f.raw);
      auto s = raw_to_string(f.raw);
      if (!f.raw.empty() && f.raw.front() == '"' && !s.ok()) {
        std::fprintf(stderr, "raw_to_string refused a string the checker accepted\n");
        std::abort();
      }
    }
  } else if (parsed.ok()) {
    auto again = to_canonical_json(*parsed);
    if (again.ok() && *again == bytes) {
      std::fprintf(stderr, "checker refused the canonical encoding of a value\n");
      std::abort();
    }
  }
  return 0;
}
