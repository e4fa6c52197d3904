import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.dispose());

it('has monthly history partitions and moves rows out of the default partition', async () => {
  const parts = await t.db.rows<{ name: string }>(
    sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'ctx_attr_history'::regclass ORDER BY 1`,
  );
  expect(parts.map((p) => p.name)).toContain('ctx_attr_history_default');
  expect(parts.length).toBe(3);
  await t.db.orm.execute(sql`INSERT INTO ctx_attr_history (entity_id, attr, instance, observed_at)
    VALUES ('urn:x:1', 'a', '{}', '2031-05-02T00:00:00Z'), ('urn:x:1', 'a', '{}', '2031-06-02T00:00:00Z')`);
  await t.db.orm.execute(sql`SELECT ctx_ensure_history_partition('2031-05-15')`);
  await t.db.orm.execute(sql`SELECT ctx_ensure_history_partition('2031-05-20')`);
  const [counts] = await t.db.rows<{ may: number; dflt: number; all: number }>(sql`SELECT
    (SELECT count(*)::int FROM ctx_attr_history_2031_05) AS may,
    (SELECT count(*)::int FROM ctx_attr_history_default) AS dflt,
    (SELECT count(*)::int FROM ctx_attr_history) AS "all"`);
  expect(counts).toEqual({ may: 1, dflt: 1, all: 2 });
});
