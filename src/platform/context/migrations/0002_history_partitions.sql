-- A month's history partition can now be created after rows for that month landed in the DEFAULT
-- partition (a process running across a month's end): they move into the new partition, which is then
-- attached. A second process creating the same partition at the same moment is not an error.
CREATE OR REPLACE FUNCTION ctx_ensure_history_partition(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  stop date := (date_trunc('month', month) + interval '1 month')::date;
  name text := 'ctx_attr_history_' || to_char(start, 'YYYY_MM');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE ctx_attr_history INCLUDING DEFAULTS)', name);
  EXECUTE format('WITH moved AS (DELETE FROM ctx_attr_history_default WHERE observed_at >= %L AND observed_at < %L RETURNING *)
    INSERT INTO %I SELECT * FROM moved', start, stop, name);
  EXECUTE format('ALTER TABLE ctx_attr_history ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, start, stop);
EXCEPTION WHEN duplicate_table THEN
  NULL;
END $$;
