import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { khonKaen, sdmLink } from './fixtures.ts';
import { contextService } from './service.ts';

let t: TestApp;
let staff: Record<string, string>;
const base = '/ngsi-ld/v1';

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link: sdmLink('Environment') };
});
afterAll(() => t?.close());

const batch = (op: string, payload: unknown, query = '') =>
  t.json({
    method: 'POST',
    url: `${base}/entityOperations/${op}${query}`,
    headers: staff,
    payload: payload as object,
  });

/** A sensor reading in Khon Kaen (synthetic). */
function reading(i: number) {
  const e = khonKaen('AirQualityObserved', i, 102.8 + (i % 70) / 1000, 16.39 + (i % 70) / 1000);
  return {
    ...e,
    id: `urn:ngsi-ld:AirQualityObserved:batch-${i}`,
    pm25: { type: 'Property', value: i % 300, observedAt: '2026-11-01T00:00:00Z' },
  };
}

describe('batch operations', () => {
  it('creates 10,000 entities, reports the bad ones and stores no part of them', async () => {
    const entities: unknown[] = Array.from({ length: 10_000 }, (_, i) => reading(i));
    entities[10] = { ...reading(10), id: 'not a uri' };
    entities[20] = { ...reading(20), pm25: { value: 3, object: 'urn:a:b' } }; // two value members
    entities[30] = {
      ...reading(30),
      location: {
        type: 'GeoProperty',
        value: {
          type: 'Polygon',
          coordinates: [
            [
              [102.8, 16.4],
              [102.9, 16.5],
              [102.9, 16.4],
              [102.8, 16.5],
              [102.8, 16.4],
            ],
          ],
        },
      },
    };
    entities[40] = reading(39); // a duplicate of an entity earlier in the batch
    const started = Date.now();
    const res = await batch('create', entities);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(207);
    expect(res.body.success).toHaveLength(9_996);
    expect(
      res.body.errors.map((e: { entityId: string; error: { type: string } }) => [
        e.entityId,
        e.error.type.split('/').pop(),
      ]),
    ).toEqual([
      ['not a uri', 'BadRequestData'],
      ['urn:ngsi-ld:AirQualityObserved:batch-20', 'BadRequestData'],
      ['urn:ngsi-ld:AirQualityObserved:batch-30', 'BadRequestData'],
      ['urn:ngsi-ld:AirQualityObserved:batch-39', 'AlreadyExists'],
    ]);
    const [n] = await t.db.rows<{
      n: number;
      h: number;
    }>(sql`SELECT (SELECT count(*)::int FROM ctx_entities WHERE id LIKE '%batch-%') AS n,
      (SELECT count(DISTINCT entity_id)::int FROM ctx_attr_history WHERE entity_id LIKE '%batch-%') AS h`);
    expect(n).toEqual({ n: 9_996, h: 9_996 });
    const half = await t.db.rows(
      sql`SELECT id FROM ctx_entities WHERE id IN ('urn:ngsi-ld:AirQualityObserved:batch-20', 'urn:ngsi-ld:AirQualityObserved:batch-30')`,
    );
    expect(half).toEqual([]);
    // Printed, not asserted: speed is the benchmark's business (bench/ngsi-ld.ts), the machines are noisy.
    console.info(`batch create of 10,000 entities: ${elapsed} ms`);
  }, 300_000);

  it('creates everything with 201 and the ids', async () => {
    const res = await batch('create', [reading(20_001), reading(20_002)]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual([
      'urn:ngsi-ld:AirQualityObserved:batch-20001',
      'urn:ngsi-ld:AirQualityObserved:batch-20002',
    ]);
  });

  it('upserts, updates, merges and deletes', async () => {
    const id = 'urn:ngsi-ld:AirQualityObserved:batch-20001';
    expect(
      (
        await batch('upsert', [
          { id, type: 'AirQualityObserved', pm25: { type: 'Property', value: 1 } },
          reading(20_003),
        ])
      ).status,
    ).toBe(204);
    let e = await t.json({ method: 'GET', url: `${base}/entities/${id}?options=keyValues`, headers: staff });
    expect(e.body).toEqual({ id, type: 'AirQualityObserved', pm25: 1 });
    expect(
      (
        await batch(
          'upsert',
          [{ id, type: 'AirQualityObserved', no2: { type: 'Property', value: 2 } }],
          '?options=update',
        )
      ).status,
    ).toBe(204);
    expect((await batch('update', [{ id, pm25: { type: 'Property', value: 3 } }])).status).toBe(204);
    expect(
      (await batch('update', [{ id, pm25: { type: 'Property', value: 4 } }], '?options=noOverwrite')).status,
    ).toBe(204);
    expect((await batch('merge', [{ id, no2: { type: 'Property', value: 5 } }])).status).toBe(204);
    e = await t.json({ method: 'GET', url: `${base}/entities/${id}?options=keyValues`, headers: staff });
    expect(e.body).toEqual({ id, type: 'AirQualityObserved', pm25: 3, no2: 5 });
    const missing = await batch('update', [
      { id: 'urn:ngsi-ld:AirQualityObserved:none', pm25: { type: 'Property', value: 1 } },
    ]);
    expect(missing.status).toBe(207);
    expect(missing.body.errors[0].error.type).toContain('ResourceNotFound');
    const del = await batch('delete', [id, 'urn:ngsi-ld:AirQualityObserved:none', 'nope']);
    expect(del.status).toBe(207);
    expect(del.body.success).toEqual([id]);
    expect(del.body.errors).toHaveLength(2);
    expect((await batch('delete', ['urn:ngsi-ld:AirQualityObserved:batch-20002'])).status).toBe(204);
  });

  it('refuses a body that is not an array and queries with a Query body', async () => {
    expect((await batch('create', {})).status).toBe(400);
    const q = await t.json({
      method: 'POST',
      url: `${base}/entityOperations/query?count=true&limit=5`,
      headers: staff,
      payload: {
        type: 'Query',
        entities: [{ type: 'AirQualityObserved' }],
        q: 'pm25>=299',
        geoQ: { georel: 'near;maxDistance==100000', geometry: 'Point', coordinates: [102.83, 16.43] },
      },
    });
    expect(q.status).toBe(200);
    expect(q.headers['ngsild-results-count']).toBe('33');
    expect(q.body).toHaveLength(5);
  });
});

describe('the module-facing service', () => {
  it('publishes and removes inside the caller transaction', async () => {
    const service = contextService(t.db);
    const seen: string[] = [];
    service.onChange((_tx, _tenant, changes) => {
      seen.push(...changes.map((c) => `${c.after ? 'put' : 'del'} ${c.id}`));
    });
    const id = 'urn:ngsi-ld:MueangOffice:clerk';
    await t.db.transaction((tx) =>
      service.publish(
        tx,
        { id, type: 'MueangOffice', code: { type: 'Property', value: 'clerk' } },
        { context: 'https://mueang.dev/ngsi-ld/context.jsonld' },
      ),
    );
    const e = await t.json({
      method: 'GET',
      url: `${base}/entities/${id}?options=keyValues`,
      headers: {
        link: '<https://mueang.dev/ngsi-ld/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"',
      },
    });
    expect(e.body).toEqual({ id, type: 'MueangOffice', code: 'clerk' });
    await expect(
      t.db.transaction(async (tx) => {
        await service.remove(tx, id);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await t.json({ method: 'GET', url: `${base}/entities/${id}` })).status).toBe(200);
    await t.db.transaction((tx) => service.remove(tx, id));
    expect((await t.json({ method: 'GET', url: `${base}/entities/${id}` })).status).toBe(404);
    expect(seen).toEqual([`put ${id}`, `del ${id}`, `del ${id}`]);
  });
});
