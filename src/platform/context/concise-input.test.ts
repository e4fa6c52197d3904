import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { sdmLink } from './fixtures.ts';

// Concise and simplified (keyValues) input: attributes without `type` are read the way the spec's
// concise representation writes them, and `options=keyValues` bodies as bare values.

let t: TestApp;
let staff: Record<string, string>;
const base = '/ngsi-ld/v1';
const link = sdmLink('Environment');
const errors = 'https://uri.etsi.org/ngsi-ld/errors/';
const point = { type: 'Point', coordinates: [102.83, 16.43] };

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link };
});
afterAll(() => t?.close());

const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: unknown) =>
  t.json({ method, url: `${base}${url}`, headers: staff, payload: payload as object });
const get = (url: string) => t.json({ method: 'GET', url: `${base}${url}`, headers: { link } });

function expectProblem(res: { status: number; body: { type: string } }, type: string, status = 400) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.type).toBe(`${errors}${type}`);
}

describe('concise input', () => {
  const id = 'urn:ngsi-ld:AirQualityObserved:concise-1';

  it('infers every attribute type from the member that carries the value', async () => {
    const res = await send('POST', '/entities', {
      id,
      type: 'AirQualityObserved',
      name: 'Station 1',
      no2: { value: 20, unitCode: 'GQ', observedAt: '2026-11-01T00:00:00Z', accuracy: 0.9 },
      reliable: true,
      tags: ['a', 'b'],
      address: { streetAddress: 'Mittraphap Rd', addressLocality: 'Khon Kaen' },
      refDevice: { object: 'urn:ngsi-ld:Device:kk-001', objectType: 'Device' },
      label: { languageMap: { th: 'สถานี', en: 'station' } },
      category: { vocab: 'urban' },
      config: { json: { a: [1, 2], b: null } },
      readings: { valueList: [1, 2, 3] },
      neighbours: { objectList: ['urn:ngsi-ld:X:1', 'urn:ngsi-ld:X:2'] },
      location: point,
      area: { value: point, observedAt: '2026-11-01T00:00:00Z' },
      pm25: [
        { value: 3, datasetId: 'urn:ngsi-ld:Dataset:a' },
        { type: 'Property', value: 4, datasetId: 'urn:ngsi-ld:Dataset:b' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const e = (await get(`/entities/${id}`)).body;
    expect(e.name).toEqual({ type: 'Property', value: 'Station 1' });
    expect(e.no2).toEqual({
      type: 'Property',
      value: 20,
      unitCode: 'GQ',
      observedAt: '2026-11-01T00:00:00Z',
      accuracy: { type: 'Property', value: 0.9 },
    });
    expect(e.reliable).toEqual({ type: 'Property', value: true });
    expect(e.tags).toEqual({ type: 'Property', value: ['a', 'b'] });
    expect(e.address).toEqual({
      type: 'Property',
      value: { streetAddress: 'Mittraphap Rd', addressLocality: 'Khon Kaen' },
    });
    expect(e.refDevice).toEqual({
      type: 'Relationship',
      object: 'urn:ngsi-ld:Device:kk-001',
      objectType: 'Device',
    });
    expect(e.label).toEqual({ type: 'LanguageProperty', languageMap: { th: 'สถานี', en: 'station' } });
    expect(e.category.type).toBe('VocabProperty');
    expect(e.config).toEqual({ type: 'JsonProperty', json: { a: [1, 2], b: null } });
    expect(e.readings).toEqual({ type: 'ListProperty', valueList: [1, 2, 3] });
    expect(e.neighbours.type).toBe('ListRelationship');
    expect(e.location).toEqual({ type: 'GeoProperty', value: point });
    expect(e.area).toEqual({ type: 'GeoProperty', value: point, observedAt: '2026-11-01T00:00:00Z' });
    expect(e.pm25).toHaveLength(2);
    expect(e.pm25.map((a: { type: string }) => a.type)).toEqual(['Property', 'Property']);
    // The inferred GeoProperty `location` fills the indexed geometry column: a geo-query finds it.
    const near = await get(
      `/entities?type=AirQualityObserved&georel=${encodeURIComponent('near;maxDistance==10')}&geometry=Point&coordinates=${encodeURIComponent('[102.83,16.43]')}`,
    );
    expect(near.body.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('reads what concise output writes (round trip)', async () => {
    const concise = (await get(`/entities/${id}?options=concise`)).body;
    const copy = { ...concise, id: `${id}-copy` };
    expect((await send('POST', '/entities', copy)).status).toBe(201);
    const [a, b] = [(await get(`/entities/${id}`)).body, (await get(`/entities/${id}-copy`)).body];
    expect({ ...b, id }).toEqual(a);
  });

  it('takes concise attributes in append, update, replace and merge', async () => {
    expect(
      (await send('POST', `/entities/${id}/attrs`, { so2: 7, refZone: { object: 'urn:ngsi-ld:Z:1' } }))
        .status,
    ).toBe(204);
    expect((await send('PATCH', `/entities/${id}/attrs`, { so2: { value: 8, unitCode: 'GQ' } })).status).toBe(
      204,
    );
    let e = (await get(`/entities/${id}`)).body;
    expect(e.so2).toEqual({ type: 'Property', value: 8, unitCode: 'GQ' });
    expect(e.refZone).toEqual({ type: 'Relationship', object: 'urn:ngsi-ld:Z:1' });
    // Merge: a plain value updates, the NGSI-LD Null given concisely deletes.
    expect((await send('PATCH', `/entities/${id}`, { so2: 9, refZone: 'urn:ngsi-ld:null' })).status).toBe(
      204,
    );
    e = (await get(`/entities/${id}`)).body;
    expect(e.so2).toEqual({ type: 'Property', value: 9, unitCode: 'GQ' });
    expect(e.refZone).toBeUndefined();
    expect(
      (await send('PUT', `/entities/${id}`, { type: 'AirQualityObserved', no2: 1, location: point })).status,
    ).toBe(204);
    e = (await get(`/entities/${id}`)).body;
    expect(Object.keys(e).sort()).toEqual(['id', 'location', 'no2', 'type']);
    expect(e.no2).toEqual({ type: 'Property', value: 1 });
  });

  it('takes concise entities in batches', async () => {
    const res = await send('POST', '/entityOperations/upsert', [
      {
        id: 'urn:ngsi-ld:AirQualityObserved:concise-b1',
        type: 'AirQualityObserved',
        no2: 1,
        location: point,
      },
      { id: 'urn:ngsi-ld:AirQualityObserved:concise-b2', type: 'AirQualityObserved', no2: null },
    ]);
    expect(res.status).toBe(207);
    expect(res.body.success).toEqual(['urn:ngsi-ld:AirQualityObserved:concise-b1']);
    expect(res.body.errors[0].entityId).toBe('urn:ngsi-ld:AirQualityObserved:concise-b2');
    expect(res.body.errors[0].error.type).toBe(`${errors}BadRequestData`);
    expect((await get('/entities/urn:ngsi-ld:AirQualityObserved:concise-b1')).body.no2).toEqual({
      type: 'Property',
      value: 1,
    });
  });

  it.each([
    ['JSON null', { no2: null }],
    ['null in a sub-attribute', { no2: { value: 1, accuracy: null } }],
    ['two value members', { no2: { value: 1, object: 'urn:a:b' } }],
    ['a type that is no attribute type', { no2: { type: 'Number', value: 1 } }],
    ['a type that is not a string', { no2: { type: 7 } }],
    ['members but no value', { no2: { unitCode: 'GQ', observedAt: '2026-11-01T00:00:00Z' } }],
    ['instances mixed with values', { no2: [{ value: 1 }, 2] }],
    ['an empty array of instances', { no2: [] }],
    ['a Relationship that is no URI', { refDevice: { object: "x'; DROP TABLE ctx_entities; --" } }],
    ['an invalid geometry', { location: { type: 'Point', coordinates: '102,16' } }],
    ['an out-of-range geometry value', { location: { value: { type: 'Point', coordinates: [999, 0] } } }],
    ['an unsupported geometry', { location: { type: 'Circle', coordinates: [102, 16] } }],
    ['a languageMap that is no map', { label: { languageMap: 'x' } }],
    ['a null json', { config: { json: null } }],
    ['a valueList that is no array', { readings: { valueList: 5 } }],
    ['an injection in a name', { "no2'; DROP TABLE ctx_entities; --": 1 }],
    [
      'sub-attributes nested too deep',
      { a: { value: 1, b: { value: 1, c: { value: 1, d: { value: 1, e: 1 } } } } },
    ],
    ['a bad observedAt', { no2: { value: 1, observedAt: 'yesterday' } }],
  ])('%s is BadRequestData, nothing stored', async (_, attrs) => {
    const bad = 'urn:ngsi-ld:AirQualityObserved:concise-bad';
    expectProblem(
      await send('POST', '/entities', { id: bad, type: 'AirQualityObserved', ...attrs }),
      'BadRequestData',
    );
    expect((await get(`/entities/${bad}`)).status).toBe(404);
  });

  it('stores injection strings and large values verbatim, and refuses a body over the limit', async () => {
    const evil = "'); DROP TABLE ctx_entities; -- ? $1 #{x} <script> \\u0000 🙂";
    const big = 'x'.repeat(500_000);
    const res = await send('POST', '/entities', {
      id: 'urn:ngsi-ld:AirQualityObserved:concise-evil',
      type: 'AirQualityObserved',
      note: evil,
      big,
      many: Array.from({ length: 10_000 }, (_, i) => i),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const e = (await get('/entities/urn:ngsi-ld:AirQualityObserved:concise-evil?options=keyValues')).body;
    expect(e.note).toBe(evil);
    expect(e.big).toBe(big);
    expect(e.many).toHaveLength(10_000);
    const [{ n }] = await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ctx_entities`);
    expect(n).toBeGreaterThan(0);
    // A NUL character cannot be stored in JSONB: BadRequestData, nothing stored.
    const nul = 'urn:ngsi-ld:AirQualityObserved:concise-nul';
    expectProblem(
      await send('POST', '/entities', { id: nul, type: 'AirQualityObserved', note: 'a\u0000b' }),
      'BadRequestData',
    );
    expect((await get(`/entities/${nul}`)).status).toBe(404);
    const huge = await send('POST', '/entities', {
      id: 'urn:ngsi-ld:AirQualityObserved:concise-huge',
      type: 'AirQualityObserved',
      big: 'x'.repeat(20_000_000),
    });
    expect(huge.status).toBe(413);
  });
});

describe('simplified (keyValues) input', () => {
  const id = 'urn:ngsi-ld:AirQualityObserved:simple-1';

  it('makes Properties of bare values and GeoProperties of geometries, as keyValues output shows them', async () => {
    const body = {
      id,
      type: 'AirQualityObserved',
      no2: 20,
      name: 'Station 1',
      refDevice: 'urn:ngsi-ld:Device:kk-001',
      address: { streetAddress: 'Mittraphap Rd' },
      tags: [{ value: 1 }, { object: 'urn:a:b' }],
      withType: { type: 'Property', value: 1 },
      label: { languageMap: { th: 'สถานี', en: 'station' } },
      config: { json: { a: 1 } },
      location: point,
    };
    const res = await t.json({
      method: 'POST',
      url: `${base}/entities?options=keyValues`,
      headers: staff,
      payload: body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const e = (await get(`/entities/${id}`)).body;
    expect(e.no2).toEqual({ type: 'Property', value: 20 });
    // Simplified input cannot tell a Relationship from a string: it is a Property.
    expect(e.refDevice).toEqual({ type: 'Property', value: 'urn:ngsi-ld:Device:kk-001' });
    // Objects and arrays are values, whatever members they have.
    expect(e.address).toEqual({ type: 'Property', value: { streetAddress: 'Mittraphap Rd' } });
    expect(e.tags).toEqual({ type: 'Property', value: [{ value: 1 }, { object: 'urn:a:b' }] });
    expect(e.withType).toEqual({ type: 'Property', value: { type: 'Property', value: 1 } });
    expect(e.label.type).toBe('LanguageProperty');
    expect(e.config).toEqual({ type: 'JsonProperty', json: { a: 1 } });
    expect(e.location).toEqual({ type: 'GeoProperty', value: point });
    const kv = (await get(`/entities/${id}?options=keyValues`)).body;
    expect(kv).toEqual(body);
  });

  it('takes keyValues in merge, update and batch upsert', async () => {
    const patch = await t.json({
      method: 'PATCH',
      url: `${base}/entities/${id}?options=keyValues`,
      headers: staff,
      payload: { no2: { value: 5 }, name: 'urn:ngsi-ld:null' },
    });
    expect(patch.status).toBe(204);
    let e = (await get(`/entities/${id}`)).body;
    expect(e.no2).toEqual({ type: 'Property', value: { value: 5 } });
    expect(e.name).toBeUndefined();
    const upd = await t.json({
      method: 'PATCH',
      url: `${base}/entities/${id}/attrs?format=simplified`,
      headers: staff,
      payload: { no2: 6 },
    });
    expect(upd.status).toBe(204);
    e = (await get(`/entities/${id}`)).body;
    expect(e.no2).toEqual({ type: 'Property', value: 6 });
    const up = await t.json({
      method: 'POST',
      url: `${base}/entityOperations/upsert?options=keyValues`,
      headers: staff,
      payload: [
        { id, type: 'AirQualityObserved', no2: 7 },
        { id: 'urn:ngsi-ld:AirQualityObserved:simple-bad', type: 'AirQualityObserved', no2: null },
        {
          id: 'urn:ngsi-ld:AirQualityObserved:simple-geo',
          type: 'AirQualityObserved',
          location: { type: 'Point', coordinates: [999, 1] },
        },
      ],
    });
    expect(up.status).toBe(207);
    expect(up.body.success).toEqual([id]);
    expect(up.body.errors.map((x: { entityId: string }) => x.entityId)).toEqual([
      'urn:ngsi-ld:AirQualityObserved:simple-bad',
      'urn:ngsi-ld:AirQualityObserved:simple-geo',
    ]);
    expect((await get(`/entities/${id}`)).body.no2).toEqual({ type: 'Property', value: 7 });
  });

  it('refuses null and bad names in keyValues bodies', async () => {
    for (const attrs of [{ no2: null }, { 'no2;x': 1 }, { label: { languageMap: 5 } }]) {
      const res = await t.json({
        method: 'POST',
        url: `${base}/entities?options=keyValues`,
        headers: staff,
        payload: { id: 'urn:ngsi-ld:AirQualityObserved:simple-x', type: 'AirQualityObserved', ...attrs },
      });
      expectProblem(res, 'BadRequestData');
    }
  });
});
