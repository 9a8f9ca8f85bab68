// Internal: the committee's seats and the fresh draw (补抽 from a new list,
// purpose `replacement-N`, docs/committee-draw.md "The fresh draw").
//
// A seat that no reserve can fill (the reserves are used up, or the
// departure left a specialty minimum unmet that no remaining reserve holds:
// next_reserve returns nullopt) stays vacant, and the command that vacated
// it opens a fresh draw in the same transaction: a new list of the experts
// eligible as of that entry, minus everyone already drawn for the tender,
// committed in a public `committee.pool_committed` entry (purpose
// `replacement-N`, fixed_index = the vacating entry). The supervisor enters
// its beacon (enter_beacon); the draw seats the drawn experts and logs
// `committee.redrawn`, withheld until the decision. At most one fresh draw
// is pending at a time; a seat vacated meanwhile waits for the next one,
// opened by the `committee.redrawn` entry itself.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "eval_store.h"
#include "evaluation/service.h"

namespace sunbid::eval::detail {

// The committee as it stands.
struct SeatState {
  std::vector<std::string> seated;    // status member, draw order
  std::vector<std::string> reserves;  // status reserve, order of succession
  std::vector<std::string> drawn;     // every account drawn for the tender, sorted
  // The specialties each drawn account was drawn with (the record in the
  // committed list whose draw seated it).
  std::map<std::string, std::vector<std::string>> specialties;
  std::size_t replacements = 0;               // fresh draws opened so far
  std::optional<std::string> pending;         // the fresh draw waiting for its beacon
  std::vector<SpecialtyQuota> pending_quota;  // the minimums it will meet
  std::vector<std::string> bidder_usccs;      // the committee draw's bidders
};
Result<SeatState> seat_state(audit::Database& db, std::string_view tender);

// The tender's specialty minimums in rule order.
std::vector<SpecialtyQuota> tender_quotas(const TenderInfo& t);

// The specialties next_reserve counts as seated: the seated members', and a
// pending fresh draw's quota (one entry {specialty} per seat it will fill).
std::vector<std::vector<std::string>> counted_seated(const SeatState& s);

// After an entry (at `fixing_index`) that may have left a seat vacant: if no
// fresh draw is pending and fewer than committee_size members sit, opens
// replacement-N (commitment, pending draw). Returns its purpose, or nullopt.
Result<std::optional<std::string>> open_replacement_if_vacant(audit::WriteTxn& txn,
                                                              const TenderInfo& t,
                                                              std::uint64_t fixing_index);

// enter_beacon for a pending replacement-N: draws over its committed list,
// seats the drawn, logs `committee.redrawn` (withheld until the decision)
// and opens the next fresh draw if seats are still vacant. Refuses
// tender_wrong_status, beacon_date_not_allowed, checkpoint_pending,
// too_few_experts, committee_specialty_unavailable.
Result<StageResult> replacement_draw(audit::WriteTxn& txn, const core::Actor& supervisor,
                                     const TenderInfo& t, const PendingDraw& pending,
                                     std::string_view beacon, std::string_view beacon_date,
                                     const RestDayTest& is_rest_day);

}  // namespace sunbid::eval::detail
