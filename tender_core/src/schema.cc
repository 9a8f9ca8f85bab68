#include "tender_core/schema.h"

#include "store.h"
#include "tender_core/documents.h"

namespace sunbid::core {

namespace {

std::vector<audit::Migration> base_migrations() {
  return {{kTenderCoreBaseMigration, "tender_core",
           R"sql(
CREATE TABLE core_counters (
  name TEXT PRIMARY KEY,
  next INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE communities (
  id                  TEXT PRIMARY KEY,
  name                TEXT NOT NULL,
  district            TEXT NOT NULL,
  street              TEXT NOT NULL,
  address             TEXT NOT NULL,
  created_ms          INTEGER NOT NULL,
  roster_version      INTEGER NOT NULL DEFAULT 0,
  roster_sha256       TEXT,
  units               INTEGER NOT NULL DEFAULT 0,
  total_area_centi_m2 INTEGER NOT NULL DEFAULT 0,
  owners_headcount    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE roster_units (
  community_id  TEXT NOT NULL REFERENCES communities(id),
  unit          TEXT NOT NULL,
  area_centi_m2 INTEGER NOT NULL CHECK (area_centi_m2 > 0),
  owner_key     TEXT NOT NULL,
  owner_name    TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('sold', 'unsold')),
  PRIMARY KEY (community_id, unit)
) WITHOUT ROWID;
CREATE TABLE enterprises (
  uscc            TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  pilot_exception INTEGER NOT NULL,
  created_ms      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE ratings (
  uscc              TEXT NOT NULL REFERENCES enterprises(uscc),
  effective_from_ms INTEGER NOT NULL,
  seq               INTEGER NOT NULL,
  credit_grade      TEXT NOT NULL,
  credit_score      INTEGER NOT NULL,
  star_rating       INTEGER NOT NULL,
  blacklisted       INTEGER NOT NULL,
  recorded_ms       INTEGER NOT NULL,
  PRIMARY KEY (uscc, effective_from_ms, seq)
) WITHOUT ROWID;
CREATE TABLE service_tiers (
  code                 TEXT PRIMARY KEY,
  name                 TEXT NOT NULL,
  min_fen_per_m2_month INTEGER NOT NULL,
  max_fen_per_m2_month INTEGER NOT NULL,
  required_items       TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE tenders (
  id                          TEXT PRIMARY KEY,
  community_id                TEXT NOT NULL REFERENCES communities(id),
  title                       TEXT NOT NULL,
  status                      TEXT NOT NULL,
  suspended_from              TEXT,
  rules_json                  TEXT NOT NULL,
  tier_json                   TEXT,
  decision_method             TEXT,
  min_valid_bids              INTEGER NOT NULL DEFAULT 0,
  bid_deadline_ms             INTEGER NOT NULL DEFAULT 0,
  reveal_window_s             INTEGER NOT NULL DEFAULT 0,
  reveal_extensions_s         INTEGER NOT NULL DEFAULT 0,
  candidate_publicity_s       INTEGER NOT NULL DEFAULT 0,
  award_publicity_s           INTEGER NOT NULL DEFAULT 0,
  candidates_publicized_at_ms INTEGER,
  award_publicized_at_ms      INTEGER,
  created_ms                  INTEGER NOT NULL,
  published_ms                INTEGER,
  publish_index               INTEGER,
  opening_index               INTEGER,
  end_reason                  TEXT,
  awarded_bid_id              TEXT
) WITHOUT ROWID;
CREATE INDEX tenders_by_status ON tenders(status);
CREATE INDEX tenders_by_community ON tenders(community_id);
CREATE TABLE tender_suspensions (
  tender_id TEXT NOT NULL REFERENCES tenders(id),
  seq       INTEGER NOT NULL,
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER,
  reason    TEXT NOT NULL,
  PRIMARY KEY (tender_id, seq)
) WITHOUT ROWID;
CREATE TABLE tender_amendments (
  tender_id       TEXT NOT NULL REFERENCES tenders(id),
  seq             INTEGER NOT NULL,
  text            TEXT NOT NULL,
  old_deadline_ms INTEGER NOT NULL,
  new_deadline_ms INTEGER NOT NULL,
  at_ms           INTEGER NOT NULL,
  PRIMARY KEY (tender_id, seq)
) WITHOUT ROWID;
CREATE TABLE bids (
  tender_id       TEXT NOT NULL REFERENCES tenders(id),
  bidder_uscc     TEXT NOT NULL REFERENCES enterprises(uscc),
  id              TEXT NOT NULL,
  commitment      TEXT NOT NULL,
  receipt_index   INTEGER NOT NULL,
  submitted_ms    INTEGER NOT NULL,
  source_digest   TEXT,
  PRIMARY KEY (tender_id, bidder_uscc)
) WITHOUT ROWID;
CREATE TABLE bid_reveals (
  bid_id      TEXT PRIMARY KEY,
  salt_hex    TEXT NOT NULL,
  bid_json    TEXT NOT NULL,
  price_fen   INTEGER NOT NULL,
  revealed_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE rating_snapshots (
  tender_id         TEXT NOT NULL REFERENCES tenders(id),
  bidder_uscc       TEXT NOT NULL,
  in_force          INTEGER NOT NULL,
  credit_grade      TEXT,
  credit_score      INTEGER,
  star_rating       INTEGER,
  blacklisted       INTEGER,
  effective_from_ms INTEGER,
  PRIMARY KEY (tender_id, bidder_uscc)
) WITHOUT ROWID;
CREATE TABLE opening_rows (
  tender_id   TEXT NOT NULL REFERENCES tenders(id),
  bid_id      TEXT NOT NULL,
  bidder_uscc TEXT NOT NULL,
  valid       INTEGER NOT NULL,
  reason      TEXT,
  price_fen   INTEGER,
  bid_json    TEXT,
  PRIMARY KEY (tender_id, bid_id)
) WITHOUT ROWID;
CREATE TABLE tender_candidates (
  tender_id TEXT NOT NULL REFERENCES tenders(id),
  bid_id    TEXT NOT NULL,
  PRIMARY KEY (tender_id, bid_id)
) WITHOUT ROWID;
CREATE TABLE objections (
  id               TEXT PRIMARY KEY,
  tender_id        TEXT NOT NULL REFERENCES tenders(id),
  stage            TEXT NOT NULL CHECK (stage IN ('document', 'candidates', 'award')),
  objector_account TEXT NOT NULL,
  objector_role    TEXT NOT NULL,
  objector_digest  TEXT NOT NULL,
  text             TEXT NOT NULL,
  filed_ms         INTEGER NOT NULL,
  filed_index      INTEGER NOT NULL,
  answer_text      TEXT,
  answered_ms      INTEGER,
  answered_late    INTEGER
) WITHOUT ROWID;
CREATE INDEX objections_by_tender ON objections(tender_id);
)sql"},
          {kBidStorageMigration, "tender_core_bid_storage",
           // Bid commitments move out of one wide (tender, bidder) B-tree:
           // every version is appended to bid_versions in log order (rowid =
           // receipt index), and only a narrow key row per live bid stays in
           // bid_current. A commitment then dirties the tail of bid_versions
           // and one small leaf instead of splitting wide random leaves. The
           // view `bids` keeps the old shape for readers.
           R"sql(
CREATE TABLE bid_versions (
  receipt_index INTEGER PRIMARY KEY,
  tender_id     TEXT NOT NULL REFERENCES tenders(id),
  bidder_uscc   TEXT NOT NULL REFERENCES enterprises(uscc),
  bid_id        TEXT NOT NULL,
  commitment    TEXT NOT NULL,
  submitted_ms  INTEGER NOT NULL,
  source_digest TEXT
);
CREATE TABLE bid_current (
  tender_id     TEXT NOT NULL,
  bidder_uscc   TEXT NOT NULL,
  receipt_index INTEGER NOT NULL REFERENCES bid_versions(receipt_index),
  PRIMARY KEY (tender_id, bidder_uscc)
) WITHOUT ROWID;
INSERT INTO bid_versions(receipt_index, tender_id, bidder_uscc, bid_id, commitment, submitted_ms,
                         source_digest)
  SELECT receipt_index, tender_id, bidder_uscc, id, commitment, submitted_ms, source_digest
  FROM bids ORDER BY receipt_index;
INSERT INTO bid_current(tender_id, bidder_uscc, receipt_index)
  SELECT tender_id, bidder_uscc, receipt_index FROM bids;
DROP TABLE bids;
CREATE VIEW bids(tender_id, bidder_uscc, id, commitment, receipt_index, submitted_ms,
                 source_digest) AS
  SELECT c.tender_id, c.bidder_uscc, v.bid_id, v.commitment, c.receipt_index, v.submitted_ms,
         v.source_digest
  FROM bid_current c JOIN bid_versions v ON v.receipt_index = c.receipt_index;
)sql"},
          {kBidTailMigration, "tender_core_bid_tail",
           // bid_current is no longer written by every commitment: with
           // bids spread over many tenders each one dirtied a random leaf,
           // which made most of a commit's WAL frames. Withdrawals are now
           // versions too (withdrawn = 1), so bid_versions alone says which
           // bid is live. bid_current holds the live bids as of the versions
           // up to bid_merge.merged_upto; the versions after it (the tail,
           // bounded) are applied to it in one sorted pass when the tail is
           // full. Readers combine bid_current with the tail; the view `bids`
           // does so for point lookups and keeps its shape.
           R"sql(
ALTER TABLE bid_versions ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0
  CHECK (withdrawn IN (0, 1));
CREATE TABLE bid_merge (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  merged_upto INTEGER NOT NULL
);
INSERT INTO bid_merge(id, merged_upto)
  SELECT 1, coalesce(max(receipt_index), 0) FROM bid_versions;
DROP VIEW bids;
CREATE VIEW bids(tender_id, bidder_uscc, id, commitment, receipt_index, submitted_ms,
                 source_digest) AS
  SELECT c.tender_id, c.bidder_uscc, v.bid_id, v.commitment, c.receipt_index, v.submitted_ms,
         v.source_digest
  FROM bid_current c JOIN bid_versions v ON v.receipt_index = c.receipt_index
  WHERE NOT EXISTS (SELECT 1 FROM bid_versions t
                    WHERE t.receipt_index > (SELECT merged_upto FROM bid_merge)
                      AND t.tender_id = c.tender_id AND t.bidder_uscc = c.bidder_uscc)
  UNION ALL
  SELECT t.tender_id, t.bidder_uscc, t.bid_id, t.commitment, t.receipt_index, t.submitted_ms,
         t.source_digest
  FROM bid_versions t
  WHERE t.receipt_index > (SELECT merged_upto FROM bid_merge) AND t.withdrawn = 0
    AND NOT EXISTS (SELECT 1 FROM bid_versions u
                    WHERE u.receipt_index > t.receipt_index
                      AND u.tender_id = t.tender_id AND u.bidder_uscc = t.bidder_uscc);
)sql"},
          {kGateMigration, "tender_core_gate",
           // The qualification gate and the bidder floor (issue 11): a bid
           // command reads the frozen thresholds and min_bidders from the row
           // (not the rules JSON); an opening row invalid as not_qualified
           // lists its failures (comma-separated); a draft may name the
           // failed or cancelled tender it re-tenders. Tenders published before keep
           // their frozen thresholds; their floor is max(3, min_valid_bids),
           // as tender_rules reads rules without min_bidders. Bid entries of
           // tenders still taking bids move to release by event.
           R"sql(
ALTER TABLE tenders ADD COLUMN min_bidders INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenders ADD COLUMN min_credit_grade TEXT;
ALTER TABLE tenders ADD COLUMN min_star_rating INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenders ADD COLUMN retender_of TEXT REFERENCES tenders(id);
ALTER TABLE opening_rows ADD COLUMN disqualified TEXT;
UPDATE tenders SET
  min_bidders = max(3, min_valid_bids),
  min_credit_grade = json_extract(rules_json, '$.qualification.min_credit_grade'),
  min_star_rating = coalesce(json_extract(rules_json, '$.qualification.min_star_rating'), 0)
  WHERE published_ms IS NOT NULL;
-- Release by event: bid entries of tenders still taking bids wait for the
-- reveal window's opening (INT64_MAX), no longer for the deadline's instant.
-- (The only withheld entries of such a tender are its bids; INT64_MAX - 1 is
-- audit_log's kReleaseAtEvent.)
UPDATE audit_withheld SET release_at_ms = 9223372036854775807
  WHERE release_at_ms <> 9223372036854775806 AND idx IN (
    SELECT te.idx FROM audit_tender_entries te JOIN tenders t ON t.id = te.tender
    WHERE t.status = 'published' OR (t.status = 'suspended' AND t.suspended_from = 'published'));
)sql"},
          {kDecisionBindsMigration, "tender_core_decision_binds",
           R"sql(
ALTER TABLE tenders ADD COLUMN cancel_rule TEXT;
ALTER TABLE tenders ADD COLUMN candidate_publicity_ended_ms INTEGER;
)sql"},
          {kPeriodsMigration, "tender_core_periods",
           // Periods the law counts in days are stated in calendar days
           // (docs/periods.md): the publicity windows move from seconds to
           // days, rounded up; an owners' vote window likewise. The holiday
           // calendar gets its versions. A document objection holds the
           // deadline while unanswered (document_objections_open), and the
           // document objection cutoff counts from the deadline as last set
           // by the tenderer (objection_cutoff_basis_ms, before suspensions),
           // which an objection's answer does not move.
           R"sql(
ALTER TABLE tenders ADD COLUMN candidate_publicity_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenders ADD COLUMN award_publicity_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenders ADD COLUMN document_objections_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenders ADD COLUMN objection_cutoff_basis_ms INTEGER;
UPDATE tenders SET candidate_publicity_days = (candidate_publicity_s + 86399) / 86400,
                   award_publicity_days = (award_publicity_s + 86399) / 86400,
                   objection_cutoff_basis_ms = bid_deadline_ms
  WHERE published_ms IS NOT NULL;
UPDATE tenders SET document_objections_open =
  (SELECT count(*) FROM objections o
   WHERE o.tender_id = tenders.id AND o.stage = 'document' AND o.answered_ms IS NULL);
UPDATE tenders SET rules_json = json_remove(json_set(rules_json, '$.candidate_publicity_days',
    (json_extract(rules_json, '$.candidate_publicity_s') + 86399) / 86400),
    '$.candidate_publicity_s')
  WHERE json_type(rules_json, '$.candidate_publicity_s') = 'integer';
UPDATE tenders SET rules_json = json_remove(json_set(rules_json, '$.award_publicity_days',
    (json_extract(rules_json, '$.award_publicity_s') + 86399) / 86400),
    '$.award_publicity_s')
  WHERE json_type(rules_json, '$.award_publicity_s') = 'integer';
UPDATE tenders SET rules_json = json_set(rules_json, '$.vote_window_days',
    (json_extract(rules_json, '$.vote_window_s') + 86399) / 86400, '$.vote_window_s', 0)
  WHERE json_type(rules_json, '$.vote_window_s') = 'integer'
    AND json_extract(rules_json, '$.decision.method') = 'owners_vote';
UPDATE tenders SET rules_json = json_set(rules_json, '$.vote_window_days', 0)
  WHERE json_type(rules_json, '$.vote_window_s') = 'integer'
    AND json_extract(rules_json, '$.decision.method') IS NOT 'owners_vote';
ALTER TABLE objections ADD COLUMN days_left INTEGER;
CREATE TABLE calendar_versions (
  version      INTEGER PRIMARY KEY CHECK (version >= 1),
  set_ms       INTEGER NOT NULL,
  holidays     TEXT NOT NULL,
  working_days TEXT NOT NULL,
  log_index    INTEGER NOT NULL
);
)sql"},
          {kContractMigration, "tender_core_contracts",
           // The contract of an awarded tender (招标投标法 art. 46), one per
           // tender, as its public contract.recorded entry states it; `late`
           // flags it to supervisors (signed or recorded after the 30 days).
           R"sql(
CREATE TABLE tender_contracts (
  tender_id       TEXT PRIMARY KEY REFERENCES tenders(id),
  signed_on       TEXT NOT NULL,
  term_months     INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 120),
  document_sha256 TEXT NOT NULL,
  awarded_bid_id  TEXT NOT NULL,
  recorded_ms     INTEGER NOT NULL,
  award_notice_ms INTEGER NOT NULL,
  due_ms          INTEGER NOT NULL,
  signed_late     INTEGER NOT NULL CHECK (signed_late IN (0, 1)),
  recorded_late   INTEGER NOT NULL CHECK (recorded_late IN (0, 1)),
  log_index       INTEGER NOT NULL UNIQUE
);
CREATE INDEX tender_contracts_late ON tender_contracts(log_index)
  WHERE signed_late = 1 OR recorded_late = 1;
)sql"},
          {kTendererKindsMigration, "tender_core_tenderer_kinds",
           // Three kinds of tenderer and menu services (issue 13 §3,
           // docs/tenderer-kinds.md). tenderer_kinds: each tenderer account's
           // relation to its community, written by the accounts module when
           // the account is created (an account without a row, created before
           // kinds existed, is an owners' committee's); it lives here so that
           // every database holding accounts has it (accounts sit above
           // tender_core). A tender freezes its tenderer's kind at its draft;
           // a service tier may list menu items (菜单式服务), a JSON array.
           R"sql(
CREATE TABLE tenderer_kinds (
  account_id   TEXT PRIMARY KEY,
  community_id TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN
                 ('owners_committee', 'provisional_committee', 'community_office'))
) STRICT, WITHOUT ROWID;
CREATE INDEX tenderer_kinds_by_community ON tenderer_kinds(community_id, kind);
ALTER TABLE tenders ADD COLUMN tenderer_kind TEXT NOT NULL DEFAULT 'owners_committee';
ALTER TABLE service_tiers ADD COLUMN menu_items TEXT NOT NULL DEFAULT '[]';
)sql"}};
}

}  // namespace

std::vector<audit::Migration> tender_core_migrations() {
  std::vector<audit::Migration> out = base_migrations();
  // Official documents (issue 14 §1): their source data and stored PDFs.
  for (auto& m : documents_migrations()) out.push_back(std::move(m));
  return out;
}

Result<std::string> core_tables_digest(audit::Database& db) {
  return detail::tables_digest(db);
}

}  // namespace sunbid::core
