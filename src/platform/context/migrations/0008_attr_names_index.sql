-- The GIN index on all of `attrs` (every key and value, ~35 entries for a small entity) is replaced by
-- one on the attribute names alone (~4 entries): only key existence (`attrs=`, /attributes/{attr}) ever
-- used it, and it was about three quarters of what writing an entity cost (20,000 small entities took
-- ~6 s with it maintained inline, ~1.5 s without). A change of any attribute writes a new row version
-- into every index, so a PATCH paid for it too.
CREATE FUNCTION ctx_attr_names(a jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT jsonb_object_keys(a))
$$;
DROP INDEX ctx_entities_attrs;
CREATE INDEX ctx_entities_attr_names ON ctx_entities USING gin (ctx_attr_names(attrs));
