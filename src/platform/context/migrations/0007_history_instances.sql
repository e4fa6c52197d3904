-- Each history row is one attribute instance with its own id (the temporal API's instanceId), so one
-- instance can be changed or deleted (ETSI GS CIM 009, "Modify/Delete Attribute instance"). created_at
-- stays NULL until an instance is changed: until then it is modified_at, so ingestion writes nothing
-- more per row than the default.
ALTER TABLE ctx_attr_history ADD COLUMN instance_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE ctx_attr_history ADD COLUMN created_at timestamptz NULL;
