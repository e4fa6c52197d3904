import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { khonKaen, sdmLink } from './fixtures.ts';

let t: TestApp;
let staff: Record<string, string>;
const env = sdmLink('Environment');
const base = '/ngsi-ld/v1';
const aq1 = 'urn:ngsi-ld:AirQualityObserved:kk-001';

beforeAll(async () => {
  t = await testApp();
  staff = { ...(await t.tokenFor('officer')), link: env };
  const entities = [
    khonKaen('AirQualityObserved', 1, 102.83, 16.43),
    {
      ...khonKaen('AirQualityObserved', 2, 102.86, 16.4),
      no2: { type: 'Property', value: 20, unitCode: 'GQ' },
    },
    khonKaen('FloodMonitoring', 1, 102.81, 16.45),
  ];
  // The FloodMonitoring example's "string"-typed attributes are not NGSI-LD; we send them as Properties.
  const flood = entities[2] as Record<string, { type: string }>;
  for (const k of ['floodLevelStatus', 'observationDateTime', 'stationID']) {
    const { format: _, ...rest } = flood[k] as Record<string, unknown>;
    flood[k] = { ...rest, type: 'Property' } as { type: string };
  }
  for (const e of entities) {
    const res = await t.json({ method: 'POST', url: `${base}/entities`, headers: staff, payload: e });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  for (const [model, domain, n, lon, lat] of [
    ['Streetlight', 'Streetlighting', 1, 102.84, 16.42],
    ['Device', 'Device', 1, 102.82, 16.41],
    ['PhotovoltaicMeasurement', 'GreenEnergy', 1, 102.85, 16.44],
  ] as const) {
    const payload = khonKaen(model, n, lon, lat);
    // The PhotovoltaicMeasurement example spells a Relationship's `object` as `Object`; fixed here.
    const pv = payload.refPhotovoltaicDevice as { Object?: string } | undefined;
    if (pv?.Object) payload.refPhotovoltaicDevice = { type: 'Relationship', object: pv.Object };
    const res = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...staff, link: sdmLink(domain) },
      payload,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(() => t?.close());

const get = (url: string, headers: Record<string, string> = { link: env }) =>
  t.json({ method: 'GET', url: `${base}${url}`, headers });
const ids = (body: { id: string }[]) => body.map((e) => e.id).sort();

describe('entities', () => {
  it('answers a created entity with its Location and stores expanded names', async () => {
    const res = await get(`/entities/${aq1}`);
    expect(res.status).toBe(200);
    expect(res.headers.link).toContain('dataModel.Environment');
    expect(res.body).toMatchObject({
      id: aq1,
      type: 'AirQualityObserved',
      no2: { type: 'Property', value: 69, unitCode: 'GQ' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [102.83, 16.43] } },
    });
    const [row] = await t.db.rows<{ type: string; keys: string[] }>(
      sql`SELECT type, array(SELECT jsonb_object_keys(attrs)) AS keys FROM ctx_entities WHERE id = ${aq1}`,
    );
    expect(row.type).toBe('https://smartdatamodels.org/dataModel.Environment/AirQualityObserved');
    expect(row.keys).toContain('https://smartdatamodels.org/dataModel.Environment/no2');
    expect(row.keys).toContain('https://uri.etsi.org/ngsi-ld/location');
  });

  it('compacts with the caller context: without it names stay full IRIs', async () => {
    const res = await get(`/entities/${aq1}`, {});
    expect(res.body.type).toBe('https://smartdatamodels.org/dataModel.Environment/AirQualityObserved');
    expect(res.body.location.type).toBe('GeoProperty');
    const ld = await get(`/entities/${aq1}`, { link: env, accept: 'application/ld+json' });
    expect(ld.headers['content-type']).toContain('application/ld+json');
    expect(ld.body['@context']).toContain('dataModel.Environment');
  });

  it('gives keyValues, concise, sysAttrs, pick and omit', async () => {
    const kv = await get(`/entities/${aq1}?options=keyValues`);
    expect(kv.body.no2).toBe(69);
    expect(kv.body.refPointOfInterest).toBe('urn:ngsi-ld:PointOfInterest:28079004-Pza.deEspanya');
    const concise = await get(`/entities/${aq1}?options=concise`);
    expect(concise.body.coLevel).toBe('moderate');
    expect(concise.body.no2).toEqual({ value: 69, unitCode: 'GQ' });
    const sys = await get(`/entities/${aq1}?options=sysAttrs`);
    expect(sys.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(sys.body.no2.modifiedAt).toMatch(/Z$/);
    const picked = await get(`/entities/${aq1}?pick=id,no2`);
    expect(Object.keys(picked.body).sort()).toEqual(['id', 'no2']);
    const omitted = await get(`/entities/${aq1}?omit=no2,type`);
    expect(omitted.body.no2).toBeUndefined();
    expect(omitted.body.type).toBeUndefined();
    expect(omitted.body.co).toBeDefined();
  });

  it('queries by type, with type expressions and counts', async () => {
    const res = await get('/entities?type=AirQualityObserved&count=true');
    expect(ids(res.body)).toEqual([aq1, 'urn:ngsi-ld:AirQualityObserved:kk-002']);
    expect(res.headers['ngsild-results-count']).toBe('2');
    const either = await get('/entities?type=AirQualityObserved|FloodMonitoring');
    expect(either.body).toHaveLength(3);
    const both = await get('/entities?type=(AirQualityObserved;FloodMonitoring)');
    expect(both.body).toHaveLength(0);
    const page = await get('/entities?type=AirQualityObserved,FloodMonitoring&limit=1&offset=1&orderBy=-id');
    expect(page.body.map((e: { id: string }) => e.id)).toEqual(['urn:ngsi-ld:AirQualityObserved:kk-002']);
    const none = await get('/entities?type=AirQualityObserved&limit=0&count=true');
    expect(none.body).toEqual([]);
    expect(none.headers['ngsild-results-count']).toBe('2');
  });

  it('queries by id, idPattern and attrs', async () => {
    expect((await get(`/entities?id=${aq1},urn:ngsi-ld:X:none`)).body).toHaveLength(1);
    expect((await get('/entities?idPattern=^urn:ngsi-ld:Flood.*')).body).toHaveLength(1);
    expect((await get('/entities?attrs=dangerLevel')).body.map((e: { id: string }) => e.id)).toEqual([
      'urn:ngsi-ld:FloodMonitoring:kk-001',
    ]);
  });

  it.each([
    ['no2>50', [aq1]],
    ['no2<=20', ['urn:ngsi-ld:AirQualityObserved:kk-002']],
    ['no2==20..70', [aq1, 'urn:ngsi-ld:AirQualityObserved:kk-002']],
    ['no2==20,21', ['urn:ngsi-ld:AirQualityObserved:kk-002']],
    ['no2!=20', [aq1]],
    ['airQualityLevel=="moderate";no2>50', [aq1]],
    ['(no2>60|no2<10);temperature>12', [aq1]],
    ['address[addressLocality]=="Madrid";no2<30', ['urn:ngsi-ld:AirQualityObserved:kk-002']],
    ['address[addressLocality]~=^Mad', [aq1, 'urn:ngsi-ld:AirQualityObserved:kk-002']],
    ['airQualityLevel!~=^mod', []],
    ['refPointOfInterest==urn:ngsi-ld:PointOfInterest:28079004-Pza.deEspanya;no2>50', [aq1]],
    ['no2.unitCode=="GQ";no2>50', [aq1]],
    ['dateObserved>2016-01-01T00:00:00Z;no2>50', [aq1]],
    ['dateObserved<2016-01-01;no2>50', []],
    ['temperature', [aq1, 'urn:ngsi-ld:AirQualityObserved:kk-002']],
    ['!temperature;dangerLevel>1', ['urn:ngsi-ld:FloodMonitoring:kk-001']],
    ['airQualityLevel=="moderate"', [aq1, 'urn:ngsi-ld:AirQualityObserved:kk-002']],
  ])('filters with q=%s', async (q, expected) => {
    const res = await get(`/entities?q=${encodeURIComponent(q)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ids(res.body)).toEqual([...expected].sort());
  });

  it.each([
    ['near;maxDistance==2000&geometry=Point&coordinates=[102.831,16.431]', [aq1]],
    [
      'near;minDistance==2000&geometry=Point&coordinates=[102.831,16.431]',
      ['urn:ngsi-ld:AirQualityObserved:kk-002', 'urn:ngsi-ld:FloodMonitoring:kk-001'],
    ],
    [
      'within&geometry=Polygon&coordinates=[[[102.80,16.42],[102.84,16.42],[102.84,16.46],[102.80,16.46],[102.80,16.42]]]',
      [aq1, 'urn:ngsi-ld:FloodMonitoring:kk-001'],
    ],
    [
      'intersects&geometry=Polygon&coordinates=[[[102.85,16.39],[102.87,16.39],[102.87,16.41],[102.85,16.41],[102.85,16.39]]]',
      ['urn:ngsi-ld:AirQualityObserved:kk-002'],
    ],
    ['equals&geometry=Point&coordinates=[102.83,16.43]', [aq1]],
    [
      'disjoint&geometry=Point&coordinates=[102.83,16.43]',
      ['urn:ngsi-ld:AirQualityObserved:kk-002', 'urn:ngsi-ld:FloodMonitoring:kk-001'],
    ],
  ])('geo-queries with georel=%s', async (geo, expected) => {
    const res = await get(`/entities?type=AirQualityObserved,FloodMonitoring&georel=${geo}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ids(res.body)).toEqual([...expected].sort());
  });

  it('answers GeoJSON when asked', async () => {
    const res = await get('/entities?type=AirQualityObserved&options=keyValues', {
      link: env,
      accept: 'application/geo+json',
    });
    expect(res.headers['content-type']).toContain('application/geo+json');
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features[0]).toMatchObject({ type: 'Feature', geometry: { type: 'Point' } });
    expect(res.body.features[0].properties.no2).toBeTypeOf('number');
    const one = await get(`/entities/${aq1}`, { link: env, accept: 'application/geo+json' });
    expect(one.body).toMatchObject({ id: aq1, type: 'Feature', geometry: { coordinates: [102.83, 16.43] } });
  });

  it('updates, appends, merges, replaces and records history', async () => {
    const url = `${base}/entities/${aq1}`;
    let res = await t.json({
      method: 'PATCH',
      url: `${url}/attrs`,
      headers: staff,
      payload: {
        no2: { type: 'Property', value: 71, observedAt: '2026-01-10T03:00:00Z' },
        nothere: { type: 'Property', value: 1 },
      },
    });
    expect(res.status).toBe(207);
    expect(res.body).toEqual({
      updated: ['no2'],
      notUpdated: [{ attributeName: 'nothere', reason: 'the attribute does not exist' }],
    });
    res = await t.json({
      method: 'POST',
      url: `${url}/attrs?options=noOverwrite`,
      headers: staff,
      payload: { no2: { type: 'Property', value: 1 }, pm25: { type: 'Property', value: 41 } },
    });
    expect(res.status).toBe(207);
    res = await t.json({
      method: 'POST',
      url: `${url}/attrs`,
      headers: staff,
      payload: { pm10: { type: 'Property', value: 50 } },
    });
    expect(res.status).toBe(204);
    res = await t.json({ method: 'PATCH', url: `${url}/attrs/no2`, headers: staff, payload: { value: 72 } });
    expect(res.status).toBe(204);
    res = await t.json({
      method: 'PATCH',
      url,
      headers: staff,
      payload: {
        pm10: { type: 'Property', value: 'urn:ngsi-ld:null' },
        so2: { type: 'Property', value: 12 },
      },
    });
    expect(res.status).toBe(204);
    const now = await get(`/entities/${aq1}?options=keyValues`);
    expect(now.body).toMatchObject({ no2: 72, pm25: 41, so2: 12 });
    expect(now.body.pm10).toBeUndefined();
    res = await t.json({ method: 'DELETE', url: `${url}/attrs/pm25`, headers: staff });
    expect(res.status).toBe(204);
    expect((await t.json({ method: 'DELETE', url: `${url}/attrs/pm25`, headers: staff })).status).toBe(404);

    const history = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ctx_attr_history WHERE entity_id = ${aq1} AND attr = 'https://smartdatamodels.org/dataModel.Environment/no2'`,
    );
    expect(history[0].n).toBe(3);
    const observed = await t.db.rows<{ at: string }>(
      sql`SELECT observed_at::text AS at FROM ctx_attr_history WHERE entity_id = ${aq1} AND instance->'value' = '71'::jsonb`,
    );
    expect(observed[0].at).toMatch(/^2026-01-10 03:00:00/);
    const temporal = await get(`/temporal/entities/${aq1}?attrs=no2`);
    expect(temporal.body.no2.map((i: { value: number }) => i.value).sort()).toEqual([69, 71, 72]);
    const lastN = await get(`/temporal/entities/${aq1}?attrs=no2&lastN=1&options=temporalValues`);
    expect(lastN.body.no2.values).toHaveLength(1);

    res = await t.json({
      method: 'PUT',
      url,
      headers: staff,
      payload: { type: 'AirQualityObserved', no2: { type: 'Property', value: 5 } },
    });
    expect(res.status).toBe(204);
    const replaced = await get(`/entities/${aq1}?options=keyValues`);
    expect(replaced.body).toEqual({ id: aq1, type: 'AirQualityObserved', no2: 5 });
    const audits = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${aq1} ORDER BY id`,
    );
    expect(audits.map((a) => a.action)).toContain('ngsi-ld.entity.merge');
  });

  it('deletes', async () => {
    const id = 'urn:ngsi-ld:Device:kk-001';
    expect((await t.json({ method: 'DELETE', url: `${base}/entities/${id}`, headers: staff })).status).toBe(
      204,
    );
    expect((await get(`/entities/${id}`)).status).toBe(404);
    expect((await t.json({ method: 'DELETE', url: `${base}/entities/${id}`, headers: staff })).status).toBe(
      404,
    );
  });

  it('describes types and attributes', async () => {
    const types = await get('/types');
    expect(types.body.type).toBe('EntityTypeList');
    expect(types.body.typeList).toContain('AirQualityObserved');
    const info = await get('/types/FloodMonitoring');
    expect(info.body).toMatchObject({ type: 'EntityTypeInfo', typeName: 'FloodMonitoring', entityCount: 1 });
    expect(info.body.attributeDetails.map((a: { attributeName: string }) => a.attributeName)).toContain(
      'dangerLevel',
    );
    expect((await get('/types/Nothing')).status).toBe(404);
    const attrs = await get('/attributes');
    expect(attrs.body.attributeList).toContain('location');
    const detail = await get('/attributes/dangerLevel');
    expect(detail.body).toMatchObject({
      type: 'Attribute',
      attributeCount: 1,
      typeNames: ['FloodMonitoring'],
    });
    const detailed = await get('/types?details=true');
    expect(detailed.body[0].type).toBe('EntityType');
  });
});
