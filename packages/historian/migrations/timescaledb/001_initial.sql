-- Historian schema, PostgreSQL with the TimescaleDB extension (used instead of postgres/ when the
-- extension is installed). NOT RUN on the project's CI: TimescaleDB is not in Debian's packages and
-- its repository is unreachable there; see docs/historian.md. Same tables and columns as
-- postgres/001_initial.sql, so every query of the store is shared; scan and sample are
-- hypertables (1-day chunks) instead of natively partitioned tables.
CREATE EXTENSION IF NOT EXISTS timescaledb;

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

CREATE TABLE IF NOT EXISTS scan (
  machine  integer     NOT NULL,
  ts       timestamptz NOT NULL,
  seq      bigint      NOT NULL,
  received timestamptz NOT NULL,
  PRIMARY KEY (machine, ts, seq)
);

CREATE TABLE IF NOT EXISTS sample (
  machine integer          NOT NULL,
  tag     smallint         NOT NULL,
  ts      timestamptz      NOT NULL,
  value   double precision NOT NULL,
  PRIMARY KEY (machine, tag, ts)
);

SELECT create_hypertable('scan', 'ts', chunk_time_interval => interval '1 day', if_not_exists => true);
SELECT create_hypertable('sample', 'ts', chunk_time_interval => interval '1 day', if_not_exists => true);
