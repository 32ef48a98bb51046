-- Historian schema, PostgreSQL. Idempotent: safe to run again on a database that already has it.
-- Times are timestamptz (UTC); ranges are half-open [from, to). scan and sample are partitioned
-- by day (range on ts); the store creates each day's partitions before writing into it and drops
-- whole partitions for retention (no bulk DELETE, no VACUUM debt). TimescaleDB runs this file too,
-- with hypertables in place of the partitioning clauses and BRIN indexes (src/timescale.ts).

-- One row per machine: the newest scan, the deadband reference (value and time last stored per
-- tag, locked per batch so several gateways share it) and the agent's connection state.
CREATE TABLE IF NOT EXISTS machine (
  id                  serial PRIMARY KEY,
  machine_id          text   NOT NULL UNIQUE,
  last_ts             timestamptz,
  last_seq            bigint,
  last_received       timestamptz,
  latest              jsonb,
  reference           jsonb,
  connection          text,
  connection_ts       timestamptz,
  publish_interval_ms integer
);

-- Tag catalogue, filled from @ot-mqtt/tag-model at open (never retyped here).
CREATE TABLE IF NOT EXISTS tag (
  id       smallint PRIMARY KEY,
  name     text NOT NULL UNIQUE,
  grp      text NOT NULL,
  kind     text NOT NULL,
  unit     text,
  eu_min   double precision,
  eu_max   double precision,
  deadband double precision NOT NULL
);

-- Every stored scan (time and sequence, so gaps stay visible); the key recognises redeliveries.
CREATE TABLE IF NOT EXISTS scan (
  machine  integer     NOT NULL,
  ts       timestamptz NOT NULL,
  seq      bigint      NOT NULL,
  received timestamptz NOT NULL,
  PRIMARY KEY (machine, ts, seq)
) PARTITION BY RANGE (ts);

-- Narrow samples, stored on change (deadband) plus a heartbeat write. Booleans as 0/1.
CREATE TABLE IF NOT EXISTS sample (
  machine integer          NOT NULL,
  tag     smallint         NOT NULL,
  ts      timestamptz      NOT NULL,
  value   double precision NOT NULL,
  PRIMARY KEY (machine, tag, ts)
) PARTITION BY RANGE (ts);

-- BRIN on time: scans and samples arrive in time order, so a block range index of a few kB
-- prunes time-only queries (retention checks, whole-fleet exports) without a second B-tree.
CREATE INDEX IF NOT EXISTS scan_ts_brin ON scan USING brin (ts);
CREATE INDEX IF NOT EXISTS sample_ts_brin ON sample USING brin (ts);
