-- PostGIS on both PGlite and PostgreSQL 15. On a managed server the extension may need a superuser
-- to create it first; IF NOT EXISTS makes this a no-op then.
CREATE EXTENSION IF NOT EXISTS postgis;
