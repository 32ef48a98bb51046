-- Alarm journal of the gateway's alarm server (issue 12): one row per ISA-18.2 lifecycle
-- transition (raised, acknowledged, cleared) with the alarm's record after it, so the latest row
-- of each (machine, alarm) is its current state: the lifecycle is rebuilt from it after a restart.
-- Not partitioned: a few rows per alarm occurrence, never bulk data; retention deletes old rows
-- but keeps each alarm's latest.
CREATE TABLE IF NOT EXISTS alarm_event (
  id              bigserial   PRIMARY KEY,
  machine_id      text        NOT NULL,
  alarm           text        NOT NULL,
  event           text        NOT NULL,
  state           text        NOT NULL,
  ts              timestamptz NOT NULL,
  user_name       text,
  first_out       boolean     NOT NULL,
  active          boolean     NOT NULL,
  raised_at       timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by text,
  cleared_at      timestamptz
);

CREATE INDEX IF NOT EXISTS alarm_event_ts ON alarm_event (ts);
CREATE INDEX IF NOT EXISTS alarm_event_alarm ON alarm_event (machine_id, alarm, id);
