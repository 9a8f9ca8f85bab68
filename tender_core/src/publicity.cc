#include "tender_core/publicity.h"

#include "tender_core/tender_machine.h"
#include "tender_store.h"

namespace sunbid::core {

Result<PublicityWindows> publicity_windows(audit::Database& db, std::string_view tender_id) {
  SUNBID_ASSIGN_OR_RETURN(detail::TenderRow row, detail::load_tender(db, tender_id));
  PublicityWindows out;
  if (!row.candidates_publicized_at_ms && !row.award_publicized_at_ms) return out;
  SUNBID_ASSIGN_OR_RETURN(TenderTimeline t, detail::load_timeline(db, row));
  if (t.candidates_publicized_at_ms) {
    out.candidates = PublicityWindow{*t.candidates_publicized_at_ms, candidate_publicity_end_ms(t)};
  }
  if (t.award_publicized_at_ms) {
    out.award = PublicityWindow{*t.award_publicized_at_ms, award_publicity_end_ms(t)};
  }
  return out;
}

}  // namespace sunbid::core
