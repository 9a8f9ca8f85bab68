// 业主名册 (owner roster) of one community: CSV import and the weights of the
// owners' decision (民法典 art. 278) — pure functions, no storage.
//
// CSV format (RFC 4180): header exactly `unit,area_centi_m2,owner_key,owner_name,status`,
// optionally followed by a sixth column `certificate_tail` (issue 13);
// fields may be quoted ("" escapes a quote, a quoted field may hold commas and
// line breaks); records end in CRLF or LF; the final line end is optional. A
// UTF-8 byte-order mark at the very start is accepted and stripped, because
// spreadsheet programs commonly write one when saving "CSV UTF-8"; nothing
// else is trimmed (a field " sold" is not "sold"). Strings compare as bytes.
//   unit           non-empty, unique in the roster (e.g. "3-2-1502")
//   area_centi_m2  exclusive area in 0.01 m²: digits only, no sign, no leading
//                  zero, > 0 and <= kMaxUnitAreaCentiM2
//   owner_key      non-empty; one key = one owner (业主); every row of a key
//                  carries the same owner_name
//   owner_name     any valid UTF-8 (may be empty)
//   status         `sold` | `unsold`; all unsold units share one owner_key,
//                  the developer's (建设单位)
//
// Import is all-or-nothing: parse_roster_csv either returns the whole roster
// or an error `roster_invalid` whose details list every problem found:
//   details.problems = [{line, code, message}] (first kMaxReportedProblems),
//   details.problems_total, details.problems_omitted.
// `line` is the 1-based physical line on which the record starts (header = 1).
// Problem codes: header, csv_syntax, field_count, invalid_utf8, empty_unit,
// empty_owner_key, duplicate_unit, area_invalid, area_not_positive,
// area_overflow, status_unknown, unsold_owner_conflict, owner_name_conflict,
// too_many_rows, empty_roster, certificate_tail_invalid.
//
// Headcount (最高人民法院《关于审理建筑物区分所有权纠纷案件具体应用法律若干问题的解释》
// arts. 8-9): exclusive area is the sum of unit areas; each exclusive unit
// counts one owner, but several units of one owner count as one, and all the
// developer's unsold units together count as one. Hence headcount = number of
// distinct owner_keys. A developer that also holds `sold` units under its own
// key is still one owner: art. 9 counts persons, not statuses, and the
// developer is one legal person whether a unit is sold to itself or unsold.
//
// Thread-safety: pure functions on values; safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::core {

inline constexpr std::size_t kMaxRosterRows = 100'000;
inline constexpr std::size_t kMaxReportedProblems = 1'000;
// 10,000,000 m² per unit: far above any real unit, and low enough that the
// sum over kMaxRosterRows units cannot overflow int64.
inline constexpr std::int64_t kMaxUnitAreaCentiM2 = 1'000'000'000;

enum class UnitStatus { sold, unsold };

struct Unit {
  std::string unit;
  std::int64_t area_centi_m2 = 0;
  std::string owner_key;
  std::string owner_name;
  UnitStatus status = UnitStatus::sold;
  std::size_t line = 0;                         // where it was in the CSV
  std::optional<std::string> certificate_tail;  // non-empty when present
};

// Invariant (when produced by parse_roster_csv): units non-empty, unit names
// unique, areas in (0, kMaxUnitAreaCentiM2], one owner_name per owner_key,
// developer_key set iff some unit is unsold and equal to the key of every
// unsold unit.
struct Roster {
  std::vector<Unit> units;  // in CSV order
  std::optional<std::string> developer_key;
};

struct RosterTotals {
  std::int64_t units = 0;
  std::int64_t total_area_centi_m2 = 0;
  std::int64_t owners_headcount = 0;
};

// One voter of the owners' decision.
struct OwnerWeight {
  std::string owner_key;
  std::int64_t area_centi_m2 = 0;  // total exclusive area of the owner's units
  std::int64_t units = 0;
  bool developer = false;  // owner_key == roster.developer_key
};

Result<Roster> parse_roster_csv(std::string_view csv);

// REQUIRES: `roster` satisfies the Roster invariant.
RosterTotals totals(const Roster& roster);

// One entry per distinct owner_key, sorted by owner_key (bytewise).
// REQUIRES: `roster` satisfies the Roster invariant.
std::vector<OwnerWeight> owner_weights(const Roster& roster);

}  // namespace sunbid::core
