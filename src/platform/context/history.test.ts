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

it('publishing again appends to the history only the attribute instances that changed', async () => {
  const service = contextService(t.db);
  const id = 'urn:ngsi-ld:Thing:p1';
  const publish = (pm25: number, at: string, name = 'Sensor 1', unit = 'GQ') =>
    t.db.transaction((tx) =>
      service.publishMany(tx, [
        {
          id,
          type: 'Thing',
          name: { type: 'Property', value: name },
          location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [102.83, 16.43] } },
          pm25: { type: 'Property', value: pm25, observedAt: at, unitCode: unit },
        },
      ]),
    );
  const history = () =>
    t.db.rows<{ attr: string; n: number }>(
      sql`SELECT regexp_replace(attr, '.*/', '') AS attr, count(*)::int AS n FROM ctx_attr_history
        WHERE entity_id = ${id} GROUP BY 1 ORDER BY 1`,
    );
  await publish(12, '2026-01-15T00:00:00Z');
  expect(await history()).toEqual([
    { attr: 'location', n: 1 },
    { attr: 'name', n: 1 },
    { attr: 'pm25', n: 1 },
  ]);
  const attrs = async () => {
    const [row] = await t.db.rows<{ attrs: Record<string, Attr> }>(
      sql`SELECT attrs FROM ctx_entities WHERE id = ${id}`,
    );
    const short = (k: string) => k.replace(/.*[/#]/, '');
    return Object.fromEntries(Object.entries(row.attrs).map(([k, v]) => [short(k), v]));
  };
  const first = await attrs();
  // Same value, new observedAt: a new observation. Name and location unchanged: not again.
  expect((await publish(12, '2026-01-15T00:05:00Z')).has(id)).toBe(true);
  expect(await history()).toEqual([
    { attr: 'location', n: 1 },
    { attr: 'name', n: 1 },
    { attr: 'pm25', n: 2 },
  ]);
  // A changed unit is a change, and so is a changed name.
  await publish(12, '2026-01-15T00:05:00Z', 'Sensor 1', 'GP');
  await publish(12, '2026-01-15T00:05:00Z', 'Sensor one', 'GP');
  expect(await history()).toEqual([
    { attr: 'location', n: 1 },
    { attr: 'name', n: 2 },
    { attr: 'pm25', n: 3 },
  ]);
  // The stored entity is the whole published state; an unchanged attribute keeps its timestamps.
  const last = await attrs();
  expect(last.name.value).toBe('Sensor one');
  expect(last.pm25).toMatchObject({ value: 12, unitCode: 'GP', observedAt: '2026-01-15T00:05:00Z' });
  expect(last.location.createdAt).toBe(first.location.createdAt);
  expect(last.location.modifiedAt).toBe(first.location.modifiedAt);
  expect(last.name.modifiedAt).not.toBe(first.name.modifiedAt);
});

it('publishing many stored entities writes each as the whole published state (moved, attribute gone, new type)', async () => {
  const service = contextService(t.db);
  const at = '2026-01-15T00:00:00Z';
  const thing = (id: string, lon: number, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'Thing',
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, 16.43] } },
    pm25: { type: 'Property', value: 1, observedAt: at },
    ...extra,
  });
  const ids = ['urn:ngsi-ld:Thing:m1', 'urn:ngsi-ld:Thing:m2', 'urn:ngsi-ld:Thing:m3'];
  await t.db.transaction((tx) =>
    service.publishMany(tx, [
      thing(ids[0], 102.8, { noise: { type: 'Property', value: 40 } }),
      thing(ids[1], 102.8),
      thing(ids[2], 102.8),
    ]),
  );
  const written = await t.db.transaction((tx) =>
    service.publishMany(tx, [
      thing(ids[0], 102.8),
      thing(ids[1], 102.9),
      { ...thing(ids[2], 102.8), type: 'Sensor' },
    ]),
  );
  expect([...written].sort()).toEqual(ids);
  const rows = await t.db.rows<{ id: string; type: string; lon: number; attrs: string[] }>(
    sql`SELECT id, type, ST_X(location) AS lon,
        ARRAY(SELECT regexp_replace(k, '.*/', '') FROM jsonb_object_keys(attrs) k ORDER BY 1) AS attrs
      FROM ctx_entities WHERE id LIKE 'urn:ngsi-ld:Thing:m%' ORDER BY id`,
  );
  expect(rows).toEqual([
    { id: ids[0], type: expect.stringMatching(/Thing$/), lon: 102.8, attrs: ['location', 'pm25'] },
    { id: ids[1], type: expect.stringMatching(/Thing$/), lon: 102.9, attrs: ['location', 'pm25'] },
    { id: ids[2], type: expect.stringMatching(/Sensor$/), lon: 102.8, attrs: ['location', 'pm25'] },
  ]);
  // Only the moved location is new history, and the mark of the noise attribute that is gone (NGSI-LD
  // Null and deletedAt); pm25 is the same observation.
  const [h] = await t.db.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ctx_attr_history WHERE entity_id LIKE 'urn:ngsi-ld:Thing:m%'`,
  );
  expect(h.n).toBe(7 + 1 + 1);
  const marks = await t.db.rows<{ id: string; value: string }>(
    sql`SELECT entity_id AS id, instance->>'value' AS value FROM ctx_attr_history
      WHERE entity_id LIKE 'urn:ngsi-ld:Thing:m%' AND instance ? 'deletedAt'`,
  );
  expect(marks).toEqual([{ id: ids[0], value: 'urn:ngsi-ld:null' }]);
});
