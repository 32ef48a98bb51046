-- The topic each alarm event was published on (issue 12): a rebuilt alarm server publishes on the
-- same topic (with or without the machine level) even before the machine's next scan arrives.
ALTER TABLE alarm_event ADD COLUMN IF NOT EXISTS topic text;
