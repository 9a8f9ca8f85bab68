#include "evaluation/schema.h"

namespace sunbid::eval {

std::vector<audit::Migration> evaluation_migrations() {
  return {{kEvaluationSchemaVersion, "evaluation",
           R"sql(
CREATE TABLE eval_experts (
  account       TEXT PRIMARY KEY,
  specialties   TEXT NOT NULL,
  employer_uscc TEXT NOT NULL,
  related_usccs TEXT NOT NULL,
  added_ms      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE eval_committee (
  tender_id    TEXT NOT NULL,
  account      TEXT NOT NULL,
  draw_order   INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('member', 'reserve', 'declined', 'replaced')),
  declared     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tender_id, account)
) WITHOUT ROWID;
CREATE TABLE eval_reviews (
  tender_id    TEXT NOT NULL,
  member       TEXT NOT NULL,
  bid_id       TEXT NOT NULL,
  marks_json   TEXT NOT NULL,
  strengths    TEXT NOT NULL,
  weaknesses   TEXT NOT NULL,
  risks        TEXT NOT NULL,
  submitted_ms INTEGER NOT NULL,
  void         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tender_id, member, bid_id)
) WITHOUT ROWID;
CREATE TABLE eval_review_state (
  tender_id      TEXT PRIMARY KEY,
  concluded_ms   INTEGER NOT NULL,
  concluded_idx  INTEGER NOT NULL,
  qualified_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE eval_pending_draws (
  tender_id    TEXT PRIMARY KEY,
  purpose      TEXT NOT NULL,
  fixed_index  INTEGER NOT NULL,
  context_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE eval_draws (
  tender_id       TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  purpose         TEXT NOT NULL,
  seed_hex        TEXT NOT NULL,
  beacon          TEXT NOT NULL,
  beacon_date     TEXT NOT NULL,
  checkpoint_size INTEGER NOT NULL,
  PRIMARY KEY (tender_id, seq)
) WITHOUT ROWID;
CREATE TABLE eval_clearing (
  tender_id   TEXT PRIMARY KEY,
  report_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE eval_vote_rounds (
  tender_id       TEXT NOT NULL,
  round           INTEGER NOT NULL,
  opens_ms        INTEGER NOT NULL,
  closes_ms       INTEGER NOT NULL,
  candidates_json TEXT NOT NULL,
  voters_json     TEXT NOT NULL,
  PRIMARY KEY (tender_id, round)
) WITHOUT ROWID;
CREATE TABLE eval_roster_snapshot (
  tender_id     TEXT NOT NULL,
  owner_key     TEXT NOT NULL,
  area_centi_m2 INTEGER NOT NULL,
  PRIMARY KEY (tender_id, owner_key)
) WITHOUT ROWID;
CREATE TABLE eval_ballots (
  tender_id TEXT NOT NULL,
  round     INTEGER NOT NULL,
  owner_key TEXT NOT NULL,
  choice    TEXT,
  cast_ms   INTEGER NOT NULL,
  PRIMARY KEY (tender_id, round, owner_key)
) WITHOUT ROWID;
CREATE TABLE eval_committee_votes (
  tender_id TEXT NOT NULL,
  round     INTEGER NOT NULL,
  member    TEXT NOT NULL,
  bid_id    TEXT NOT NULL,
  PRIMARY KEY (tender_id, round, member)
) WITHOUT ROWID;
CREATE TABLE eval_decisions (
  tender_id   TEXT PRIMARY KEY,
  state       TEXT NOT NULL,
  round       INTEGER NOT NULL,
  remaining   TEXT NOT NULL,
  result_json TEXT
) WITHOUT ROWID;
)sql"},
          {kDecisionBindsMigration, "evaluation_decision_binds",
           R"sql(
ALTER TABLE eval_decisions ADD COLUMN log_index INTEGER;
ALTER TABLE eval_vote_rounds ADD COLUMN paused_ms INTEGER;
CREATE TABLE eval_decision_voters (
  tender_id TEXT NOT NULL,
  account   TEXT NOT NULL,
  PRIMARY KEY (tender_id, account)
) WITHOUT ROWID;
)sql"},
          {kExpertHistorySchemaVersion, "evaluation: expert history and pool commitments",
           R"sql(
ALTER TABLE eval_experts ADD COLUMN title TEXT NOT NULL DEFAULT '';
CREATE TABLE eval_expert_versions (
  account      TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  effective_ms INTEGER NOT NULL,
  recorded_idx INTEGER NOT NULL,
  record_json  TEXT NOT NULL,
  PRIMARY KEY (account, seq)
) WITHOUT ROWID;
INSERT INTO eval_expert_versions(account, seq, effective_ms, recorded_idx, record_json)
  SELECT account, 0, added_ms, 0,
         json_object('account', account, 'employer_uscc', employer_uscc,
                     'related_usccs', json(related_usccs), 'specialties', json(specialties),
                     'title', '')
  FROM eval_experts;
CREATE TABLE eval_pool_commitments (
  tender_id   TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  log_index   INTEGER NOT NULL,
  fixed_index INTEGER NOT NULL,
  list_json   TEXT NOT NULL,
  PRIMARY KEY (tender_id, purpose)
) WITHOUT ROWID;
)sql"},
          {kDecisionRecusalsMigration, "evaluation: recusals of the deciding committee",
           R"sql(
CREATE TABLE eval_decision_recusals (
  tender_id TEXT NOT NULL,
  account   TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  PRIMARY KEY (tender_id, account)
) WITHOUT ROWID;
)sql"}};
}

}  // namespace sunbid::eval
