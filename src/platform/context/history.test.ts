import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import type { Attr, Entity } from './model.ts';
import { contextService } from './service.ts';

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

it('writes history in the same statement as the entities, only for the entities actually written', async () => {
  const service = contextService(t.db);
  const temp = 'https://uri.etsi.org/ngsi-ld/default-context/temperature';
  const thing = 'https://uri.etsi.org/ngsi-ld/default-context/Thing';
  await t.db.transaction((tx) =>
    service.publish(tx, {
      id: 'urn:ngsi-ld:Thing:h1',
      type: 'Thing',
      temperature: { type: 'Property', value: 1 },
    }),
  );
  const at = new Date().toISOString();
  const entity = (id: string, value: number): Entity => ({
    id,
    types: [thing],
    attrs: { [temp]: { type: 'Property', value } },
    createdAt: at,
    modifiedAt: at,
  });
  // `insert` leaves the existing h1 alone: neither its state nor its history may change.
  const done = await t.db.transaction((tx) =>
    service.commit(
      tx,
      '',
      ['urn:ngsi-ld:Thing:h1', 'urn:ngsi-ld:Thing:h2'].map((id, i) => ({
        id,
        before: null,
        after: entity(id, 10 + i),
        written: [[temp, { type: 'Property', value: 10 + i }] as [string, Attr]],
      })),
      'insert',
      at,
    ),
  );
  expect([...done]).toEqual(['urn:ngsi-ld:Thing:h2']);
  const rows = await t.db.rows<{ id: string; v: number }>(
    sql`SELECT entity_id AS id, (instance->>'value')::int AS v FROM ctx_attr_history
      WHERE entity_id LIKE 'urn:ngsi-ld:Thing:h%' ORDER BY entity_id, v`,
  );
  expect(rows).toEqual([
    { id: 'urn:ngsi-ld:Thing:h1', v: 1 },
    { id: 'urn:ngsi-ld:Thing:h2', v: 11 },
  ]);
  const [h1] = await t.db.rows<{ v: number }>(
    sql`SELECT (attrs->${temp}->>'value')::int AS v FROM ctx_entities WHERE id = 'urn:ngsi-ld:Thing:h1'`,
  );
  expect(h1.v).toBe(1);
});
