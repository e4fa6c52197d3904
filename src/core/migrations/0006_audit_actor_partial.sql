-- The actor index holds only entries with an actor: the system's own writes (rule alerts raised and
-- resolved, two rows each, by the thousand in an alert storm) have none and are never looked up by
-- actor, so they no longer pay for an entry in it. The API's actor filter (`actor_id = $1`) implies
-- NOT NULL, so it is served as before.
DROP INDEX core_audit_log_actor_idx;
CREATE INDEX core_audit_log_actor_idx ON core_audit_log (actor_id, at DESC) WHERE actor_id IS NOT NULL;
