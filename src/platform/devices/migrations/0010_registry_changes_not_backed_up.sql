-- Derived, not data: the registry's version is only a signal for the ingest worker's caches, and a
-- restore's own inserts append to it anyway. Backups leave tables so marked out (core/db/backup.ts).
COMMENT ON TABLE dev_registry_changes IS 'mueang:no-backup';
