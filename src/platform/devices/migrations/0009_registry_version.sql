-- A row appended by every statement that changes what the ingest path looks up about a device (its
-- DevEUI, name, location, profile; the profile's decoder, quantities, entity type), in the changing
-- transaction; its highest id is the registry's version. The ingest worker keeps its lookups while the
-- version stays the same (DeviceRepository.ingestTargets), in every process. Statement-level, and not
-- fired by the link-state updates of every batch. Rows, not a counter row: the table starts empty (a
-- restore needs empty tables) and a restore's inserts may add rows of their own (no key to clash).
CREATE TABLE dev_registry_changes (
  id bigserial NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_registry_changes_id ON dev_registry_changes (id);

CREATE FUNCTION dev_registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dev_registry_changes DEFAULT VALUES;
  RETURN NULL;
END $$;

CREATE TRIGGER dev_devices_registry_changed
  AFTER INSERT OR DELETE OR UPDATE OF dev_eui, name, location, profile_id ON dev_devices
  FOR EACH STATEMENT EXECUTE FUNCTION dev_registry_changed();
CREATE TRIGGER dev_devices_registry_truncated AFTER TRUNCATE ON dev_devices
  FOR EACH STATEMENT EXECUTE FUNCTION dev_registry_changed();
CREATE TRIGGER dev_profiles_registry_changed
  AFTER INSERT OR DELETE OR UPDATE OF decoder, quantities, entity_type ON dev_profiles
  FOR EACH STATEMENT EXECUTE FUNCTION dev_registry_changed();
