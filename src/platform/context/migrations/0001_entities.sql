-- The NGSI-LD context broker's storage: current entity state and attribute history.
-- Attribute names, types and sub-attribute names are stored expanded (full IRIs).

CREATE TABLE ctx_entities (
  tenant text NOT NULL DEFAULT '',
  id text NOT NULL,
  -- The first (or only) entity type; `types` holds all of them (NGSI-LD allows several).
  type text NOT NULL,
  types text[] NOT NULL,
  -- Attribute IRI → normalized attribute (or an array of instances with a datasetId each).
  attrs jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The `location` GeoProperty, kept as a column for the GiST index.
  location geometry(Geometry, 4326) NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
CREATE INDEX ctx_entities_attrs ON ctx_entities USING gin (attrs);
CREATE INDEX ctx_entities_location ON ctx_entities USING gist (location);
CREATE INDEX ctx_entities_location_geog ON ctx_entities USING gist ((location::geography));
CREATE INDEX ctx_entities_type ON ctx_entities (tenant, type);
CREATE INDEX ctx_entities_types ON ctx_entities USING gin (types);

-- Every attribute instance ever written, partitioned by month of observation.
CREATE TABLE ctx_attr_history (
  tenant text NOT NULL DEFAULT '',
  entity_id text NOT NULL,
  attr text NOT NULL,
  instance jsonb NOT NULL,
  observed_at timestamptz NOT NULL,
  modified_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (observed_at);
CREATE INDEX ctx_attr_history_lookup ON ctx_attr_history (tenant, entity_id, attr, observed_at);
CREATE TABLE ctx_attr_history_default PARTITION OF ctx_attr_history DEFAULT;

-- A month's partition, created when missing (the broker calls it at start for this month and the next).
CREATE FUNCTION ctx_ensure_history_partition(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  name text := 'ctx_attr_history_' || to_char(start, 'YYYY_MM');
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF ctx_attr_history FOR VALUES FROM (%L) TO (%L)',
      name, start, (start + interval '1 month')::date);
  END IF;
END $$;

SELECT ctx_ensure_history_partition(now()::date);
SELECT ctx_ensure_history_partition((now() + interval '1 month')::date);

-- The value of a normalized attribute, whatever its kind (Property, Relationship, LanguageProperty…).
CREATE FUNCTION ctx_value(a jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(a -> 'value', a -> 'object', a -> 'languageMap', a -> 'vocab', a -> 'json',
    a -> 'valueList', a -> 'objectList', CASE WHEN jsonb_typeof(a) <> 'object' THEN a END)
$$;

-- A JSON value read as a time (an ISO string or {"@type": "DateTime", "@value": …}), else NULL.
CREATE FUNCTION ctx_time(v jsonb) RETURNS timestamptz LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  t text := CASE jsonb_typeof(v) WHEN 'string' THEN v #>> '{}' WHEN 'object' THEN v ->> '@value' END;
BEGIN
  IF t IS NULL OR t !~ '^\d{4}-\d{2}-\d{2}' THEN RETURN NULL; END IF;
  RETURN t::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

-- The geometry of a GeoProperty attribute, else NULL.
CREATE FUNCTION ctx_geom(a jsonb) RETURNS geometry LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF jsonb_typeof(a -> 'value') <> 'object' THEN RETURN NULL; END IF;
  RETURN ST_SetSRID(ST_GeomFromGeoJSON((a -> 'value')::text), 4326);
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
