-- Alarm journal of the gateway's alarm server (issue 12): one row per ISA-18.2 lifecycle
-- transition (raised, acknowledged, cleared) with the alarm's record after it, so the latest row
-- of each (machine, alarm) is its current state: the lifecycle is rebuilt from it after a restart.
-- Times are INTEGER milliseconds since the Unix epoch (UTC), as in 001.
CREATE TABLE IF NOT EXISTS alarm_event (
  id              INTEGER PRIMARY KEY,
  machine_id      TEXT    NOT NULL,
  alarm           TEXT    NOT NULL,
  event           TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  ts              INTEGER NOT NULL,
  user_name       TEXT,
  first_out       INTEGER NOT NULL,
  active          INTEGER NOT NULL,
  raised_at       INTEGER,
  acknowledged_at INTEGER,
  acknowledged_by TEXT,
  cleared_at      INTEGER
);

-- The journal is read by time (GET /api/alarms/journal) and per alarm, newest first (rebuild).
CREATE INDEX IF NOT EXISTS alarm_event_ts ON alarm_event (ts);
CREATE INDEX IF NOT EXISTS alarm_event_alarm ON alarm_event (machine_id, alarm, id);
