-- Append-only: every write and every read of personal data by someone other than its subject.
CREATE TABLE core_audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_label text,
  actor_role text,
  action text NOT NULL,
  resource_type text NOT NULL,
  resource_id text,
  office_id uuid,
  ip text,
  user_agent text,
  request_id text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX core_audit_log_at_idx ON core_audit_log (at DESC);
CREATE INDEX core_audit_log_actor_idx ON core_audit_log (actor_id, at DESC);
CREATE INDEX core_audit_log_resource_idx ON core_audit_log (resource_type, resource_id);

CREATE FUNCTION core_audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'core_audit_log is append-only';
END;
$$;
CREATE TRIGGER core_audit_log_no_update BEFORE UPDATE OR DELETE ON core_audit_log
  FOR EACH ROW EXECUTE FUNCTION core_audit_log_immutable();
CREATE TRIGGER core_audit_log_no_truncate BEFORE TRUNCATE ON core_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION core_audit_log_immutable();
