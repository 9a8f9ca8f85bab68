#include "assembly/schema.h"

namespace sunbid::assembly {

std::vector<audit::Migration> assembly_migrations() {
  return {{kAssemblySchemaVersion, "assembly",
           R"sql(
CREATE TABLE assembly_motions (
  id                  TEXT PRIMARY KEY,
  seq                 INTEGER NOT NULL UNIQUE,
  community_id        TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('draft', 'noticed', 'open', 'passed',
                        'rejected', 'failed_quorum', 'cancelled')),
  request_json        TEXT NOT NULL,
  created_by          TEXT NOT NULL,
  created_ms          INTEGER NOT NULL,
  noticed_ms          INTEGER,
  opens_ms            INTEGER,
  closes_ms           INTEGER,
  total_area_centi_m2 INTEGER,
  total_heads         INTEGER,
  result_json         TEXT
);
CREATE INDEX assembly_motions_by_community ON assembly_motions(community_id, seq);
CREATE INDEX assembly_motions_by_status ON assembly_motions(status);
CREATE TABLE assembly_roster_snapshot (
  motion_id     TEXT NOT NULL,
  owner_key     TEXT NOT NULL,
  area_centi_m2 INTEGER NOT NULL,
  PRIMARY KEY (motion_id, owner_key)
) WITHOUT ROWID;
CREATE TABLE assembly_ballots (
  motion_id     TEXT NOT NULL,
  owner_key     TEXT NOT NULL,
  choice        TEXT NOT NULL,
  area_centi_m2 INTEGER NOT NULL,
  cast_ms       INTEGER NOT NULL,
  log_index     INTEGER NOT NULL,
  PRIMARY KEY (motion_id, owner_key)
) WITHOUT ROWID;
)sql"},
          {kSelectionPlanMigration, "assembly_selection_plans",
           R"sql(
ALTER TABLE assembly_motions ADD COLUMN closed_index INTEGER;
CREATE TABLE assembly_plan_uses (
  tender_id       TEXT PRIMARY KEY,
  motion_id       TEXT NOT NULL,
  published_index INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX assembly_plan_uses_by_motion ON assembly_plan_uses(motion_id);
)sql"},
          {kPaperBallotMigration, "assembly_paper_ballots",
           R"sql(
ALTER TABLE assembly_motions ADD COLUMN tally_ms INTEGER;
CREATE TABLE assembly_paper_ballots (
  motion_id      TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  owner_key      TEXT NOT NULL,
  area_centi_m2  INTEGER NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('pending', 'counted', 'mismatch', 'void',
                   'superseded')),
  choice         TEXT,
  resolved_by    TEXT,
  resolution     TEXT,
  PRIMARY KEY (motion_id, owner_key),
  UNIQUE (motion_id, seq)
) WITHOUT ROWID;
CREATE TABLE assembly_paper_entries (
  motion_id      TEXT NOT NULL,
  owner_key      TEXT NOT NULL,
  entry          INTEGER NOT NULL CHECK (entry IN (1, 2)),
  account_id     TEXT NOT NULL,
  choice         TEXT NOT NULL,
  scan_sha256    TEXT NOT NULL,
  proxy_name     TEXT,
  proxy_sha256   TEXT,
  stamped_ms     INTEGER,
  entered_ms     INTEGER NOT NULL,
  log_index      INTEGER NOT NULL,
  PRIMARY KEY (motion_id, owner_key, entry)
) WITHOUT ROWID;
CREATE TABLE assembly_scrutineers (
  motion_id      TEXT NOT NULL,
  account_id     TEXT NOT NULL,
  designated_by  TEXT NOT NULL,
  log_index      INTEGER NOT NULL,
  PRIMARY KEY (motion_id, account_id)
) WITHOUT ROWID;
)sql"}};
}

}  // namespace sunbid::assembly
