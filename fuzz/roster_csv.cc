// libFuzzer target: parse_roster_csv on arbitrary bytes. Checks, beyond "no
// crash, no UB": a success satisfies the Roster invariant and totals agree
// with owner_weights; a refusal is roster_invalid with a consistent problem
// count and line numbers within the input.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "tender_core/roster.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  auto r = sunbid::core::parse_roster_csv(csv);
  const auto lines = static_cast<std::int64_t>(std::count(csv.begin(), csv.end(), '\n')) + 1;
  if (r.ok()) {
    const auto& roster = *r;
    if (roster.units.empty()) std::abort();
    std::set<std::string> units;
    for (const auto& u : roster.units) {
      if (u.unit.empty() || u.owner_key.empty()) std::abort();
      if (u.area_centi_m2 <= 0 || u.area_centi_m2 > sunbid::core::kMaxUnitAreaCentiM2) std::abort();
      if (!units.insert(u.unit).second) std::abort();
      if (u.status == sunbid::core::UnitStatus::unsold &&
          (!roster.developer_key || *roster.developer_key != u.owner_key)) {
        std::abort();
      }
    }
    const auto t = sunbid::core::totals(roster);
    const auto w = sunbid::core::owner_weights(roster);
    std::int64_t area = 0, count = 0;
    for (const auto& o : w) {
      area += o.area_centi_m2;
      count += o.units;
    }
    if (t.owners_headcount != static_cast<std::int64_t>(w.size())) std::abort();
    if (t.total_area_centi_m2 != area || t.units != count) std::abort();
  } else {
    const auto& e = r.error();
    if (e.code != "roster_invalid") std::abort();
    const auto& problems = e.details.at("problems").as_array();
    const auto total = e.details.at("problems_total").as_int64();
    const auto omitted = e.details.at("problems_omitted").as_int64();
    if (problems.empty() || total != static_cast<std::int64_t>(problems.size()) + omitted) {
      std::abort();
    }
    for (const auto& p : problems) {
      const auto line = p.at("line").as_int64();
      if (line < 1 || line > lines) std::abort();
    }
  }
  return 0;
}
