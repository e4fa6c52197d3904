-- A change of an attribute's value (a PATCH, a sensor reading landing on its device's entity) should be
-- a HOT update: a new row version on the same page and no new entry in any index. PostgreSQL allows
-- that only when no indexed column changes, and an index on an expression over `attrs` makes every
-- change of `attrs` count, so each value update wrote a new entry into all six indexes of the table
-- (two of them GiST). The attribute names are now a stored generated column, indexed as they were;
-- a value-only change leaves it equal, so only the PATCHed row is written. Pages keep 15 % free for
-- the new versions (set before the column is added, whose rewrite of the table then applies it).
ALTER TABLE ctx_entities SET (fillfactor = 85);
ALTER TABLE ctx_entities ADD COLUMN attr_names text[] GENERATED ALWAYS AS (ctx_attr_names(attrs)) STORED;
DROP INDEX ctx_entities_attr_names;
CREATE INDEX ctx_entities_attr_names ON ctx_entities USING gin (attr_names);
