-- Batches in one statement (src/postgres-batch-writer.ts): a gateway plans a batch against the
-- machine rows it committed last and writes scans, samples and machine rows in one statement;
-- `version` (bumped by every write of a machine row's reference) tells it whether another gateway
-- wrote the row since, and historian_batch_check fails the statement as a whole when a scan was
-- already stored or a row moved on — the gateway then takes the locked path.
ALTER TABLE machine ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION historian_batch_check(
  scans bigint, expected_scans integer, machines bigint, expected_machines integer
) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF scans <> expected_scans OR machines <> expected_machines THEN
    RAISE EXCEPTION 'historian batch conflict' USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN true;
END
$$;
