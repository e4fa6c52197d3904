-- The broker's @context store (ETSI GS CIM 009, 5.13 "@context operations"), per tenant:
-- Hosted: given to the broker with POST /jsonldContexts and served from it;
-- Cached: a remote @context URL a request named, fetched once (the first fetch for a tenant, or the
-- copy another tenant already has; the document of a URL is the same for every tenant);
-- ImplicitlyCreated: reserved for contexts the broker makes itself (not made yet, see docs/ngsi-ld.md).
CREATE TABLE ctx_jsonld_contexts (
  tenant text NOT NULL DEFAULT '',
  -- The local identifier: a UUID, also the last segment of a hosted context's URL.
  id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('Hosted', 'Cached', 'ImplicitlyCreated')),
  -- The original URL of a Cached context; NULL for the others (their URL is the broker's own).
  url text NULL,
  -- The @context value (an object, or an array of URLs and objects).
  document jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id),
  CHECK ((kind = 'Cached') = (url IS NOT NULL))
);
CREATE UNIQUE INDEX ctx_jsonld_contexts_url ON ctx_jsonld_contexts (tenant, url) WHERE url IS NOT NULL;
-- A hosted URL names only its id, so the id alone finds it (a request may come with any tenant).
CREATE INDEX ctx_jsonld_contexts_id ON ctx_jsonld_contexts (id);

-- What was fetched before this store existed becomes the default tenant's cache.
INSERT INTO ctx_jsonld_contexts (tenant, id, kind, url, document, created_at)
  SELECT '', gen_random_uuid()::text, 'Cached', url, document, fetched_at FROM ctx_remote_contexts;
DROP TABLE ctx_remote_contexts;
