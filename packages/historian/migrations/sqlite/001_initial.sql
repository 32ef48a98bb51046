-- Historian schema, SQLite. Idempotent: safe to run again on a database that already has it.
-- Times are INTEGER milliseconds since the Unix epoch (UTC); ranges are half-open [from, to).

-- One row per machine: the newest scan (for /latest and the machine list without touching the
-- history), the deadband reference (the value and time last stored per tag, shared by every
-- gateway writing to this database) and the agent's retained connection state.
CREATE TABLE IF NOT EXISTS machine (
  id                  INTEGER PRIMARY KEY,
  machine_id          TEXT    NOT NULL UNIQUE,
  last_ts             INTEGER,
  last_seq            INTEGER,
  last_received       INTEGER,
  latest              TEXT,
  reference           TEXT,
  connection          TEXT,
  connection_ts       INTEGER,
  publish_interval_ms INTEGER
);

-- Tag catalogue, filled from @ot-mqtt/tag-model at open (never retyped here).
CREATE TABLE IF NOT EXISTS tag (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  grp      TEXT NOT NULL,
  kind     TEXT NOT NULL,
  unit     TEXT,
  eu_min   REAL,
  eu_max   REAL,
  deadband REAL NOT NULL
);

-- Every stored scan: its time and sequence number, so gaps stay visible even where no tag changed.
-- The key is also how a redelivery is recognised (same machine, sequence and scan time).
CREATE TABLE IF NOT EXISTS scan (
  machine  INTEGER NOT NULL,
  ts       INTEGER NOT NULL,
  seq      INTEGER NOT NULL,
  received INTEGER NOT NULL,
  PRIMARY KEY (machine, ts, seq)
) WITHOUT ROWID;

-- Narrow samples, stored on change (deadband) plus a heartbeat write. Booleans as 0/1.
CREATE TABLE IF NOT EXISTS sample (
  machine INTEGER NOT NULL,
  tag     INTEGER NOT NULL,
  ts      INTEGER NOT NULL,
  value   REAL    NOT NULL,
  PRIMARY KEY (machine, tag, ts)
) WITHOUT ROWID;
