import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { cyclingModule } from './module.ts';
import { demoCount, demoLanes } from './seed.ts';
import { bangkokDay } from './service.ts';

let t: TestApp;
let officer: Record<string, string>;
beforeAll(async () => {
  t = await testApp({ modules: [cyclingModule], seed: true });
  officer = await t.tokenFor('officer');
});
afterAll(() => t?.close());

const lane = (name: Record<string, unknown>, coordinates: unknown, type = 'LineString') => ({
  type: 'Feature',
  properties: name,
  geometry: { type, coordinates },
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const inCity = [
  [102.83, 16.43],
  [102.835, 16.435, 172.5],
];
const importLanes = (body: unknown, query = '', headers = officer) =>
  t.json({ method: 'POST', url: `/api/cycling/lanes/import${query}`, headers, payload: body as object });
const lanes = async () => (await t.json({ method: 'GET', url: '/api/cycling/lanes' })).body;

describe('cycle lanes', () => {
  let before: number;
  beforeEach(async () => {
    before = (await lanes()).features.length;
  });

  it('serves the demo lanes as GeoJSON, labelled synthetic, with their lengths', async () => {
    const fc = await lanes();
    expect(fc.type).toBe('FeatureCollection');
    const loop = fc.features.find(
      (f: { properties: { nameEn: string } }) => f.properties.nameEn === demoLanes[0].nameEn,
    );
    expect(loop.geometry.type).toBe('MultiLineString');
    expect(loop.properties).toMatchObject({ kind: 'path', synthetic: true });
    // A loop of radius ~450 m: about 2.7 km around.
    expect(loop.properties.lengthM).toBeGreaterThan(2500);
    expect(loop.properties.lengthM).toBeLessThan(3200);
  });

  it('imports a QGIS-style file (names, kind, altitude, extra members) and audits it', async () => {
    const file = {
      ...collection(
        lane({ name_th: 'ทางจักรยาน ก', name_en: 'Lane A', kind: 'protected', highway: 'cycleway' }, inCity),
        lane({ name: '<script>alert(1)</script>' }, [inCity], 'MultiLineString'),
      ),
      name: 'lanes',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
      bbox: [102.8, 16.4, 102.9, 16.5],
    };
    const res = await importLanes(file, '?source=QGIS%20export');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ imported: 2, replaced: 0 });
    const fc = await lanes();
    expect(fc.features).toHaveLength(before + 2);
    const a = fc.features.find((f: { properties: { nameEn: string } }) => f.properties.nameEn === 'Lane A');
    expect(a.properties).toMatchObject({
      nameTh: 'ทางจักรยาน ก',
      kind: 'protected',
      source: 'QGIS export',
      synthetic: false,
    });
    const script = fc.features.find(
      (f: { properties: { nameTh: string } }) => f.properties.nameTh === '<script>alert(1)</script>',
    );
    expect(script.properties).toMatchObject({ nameEn: '<script>alert(1)</script>', kind: 'painted' });
    const [row] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'cycling.lanes.import'`,
    );
    expect(row.n).toBeGreaterThan(0);
  });

  it('refuses a file with any bad feature, lists every problem, and stores nothing', async () => {
    const res = await importLanes(
      collection(
        lane({ name: 'good' }, inCity),
        lane({}, inCity),
        lane({ name: 'kind', kind: 'motorway' }, inCity),
        lane({ name: 'range' }, [
          [200, 16.43],
          [102.83, 16.43],
        ]),
        lane({ name: 'Bangkok' }, [
          [100.5, 13.75],
          [100.51, 13.76],
        ]),
      ),
      '',
      { ...officer, 'accept-language': 'en' },
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('cycling.lanes_invalid');
    expect(res.body.title).toBe('The lane file has problems; nothing was imported');
    expect(res.body.detail).toBe('3 problem(s) in the lane file; nothing was imported');
    expect(res.body.errors[1].message).toBe('kind must be one of protected, painted, shared, path');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/features/1/properties',
      '/features/2/properties/kind',
      '/features/3/geometry',
    ]);
    // The spatial check comes after the others: fixed, Bangkok is named outside the municipality.
    const spatial = await importLanes(
      collection(
        lane({ name: 'degenerate' }, [
          [102.83, 16.43],
          [102.83, 16.43],
        ]),
        lane({ name: 'Bangkok' }, [
          [100.5, 13.75],
          [100.51, 13.76],
        ]),
      ),
    );
    expect(spatial.status).toBe(400);
    // Asked without Accept-Language: Thai, each with the code of its message.
    expect(spatial.body.errors).toEqual([
      { path: '/features/0/geometry', message: 'ไม่ใช่เส้นที่ถูกต้อง', keyword: 'cycling.line_invalid' },
      { path: '/features/1/geometry', message: 'ไม่อยู่ในเขตเทศบาล', keyword: 'cycling.line_outside' },
    ]);
    expect(spatial.body.detail).toBe('พบข้อผิดพลาด 2 รายการในไฟล์เส้นทาง จึงยังไม่ได้นำเข้าข้อมูลใด');
    expect((await lanes()).features).toHaveLength(before);
  });

  it('refuses what is not a lane collection by schema', async () => {
    for (const body of [
      {},
      collection(),
      collection(lane({ name: 'point' }, [102.83, 16.43], 'Point')),
      collection(lane({ name: 'one position' }, [[102.83, 16.43]])),
      collection(lane({ name: 'strings' }, [['102.83', '16.43'], inCity[0]])),
      { ...collection(lane({ name: 'x' }, inCity)), type: 'Feature' },
    ]) {
      const res = await importLanes(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const web = await importLanes({
      ...collection(lane({ name: 'x' }, inCity)),
      crs: { type: 'name', properties: { name: 'EPSG:3857' } },
    });
    expect(web.status).toBe(400);
    expect(web.body.errors).toEqual([
      { path: '/crs', message: expect.stringContaining('WGS 84'), keyword: 'cycling.crs_wgs84' },
    ]);
    const tooMany = collection(...Array.from({ length: 5001 }, () => lane({ name: 'x' }, inCity)));
    expect((await importLanes(tooMany)).status).toBe(400);
    expect((await lanes()).features).toHaveLength(before);
  });

  it('replaces the whole network on mode=replace, and deletes one lane, for staff only', async () => {
    const anonymous = await importLanes(collection(lane({ name: 'x' }, inCity)), '', {});
    expect(anonymous.status).toBe(401);
    const citizen = await importLanes(
      collection(lane({ name: 'x' }, inCity)),
      '',
      await t.tokenFor('citizen'),
    );
    expect(citizen.status).toBe(403);
    const res = await importLanes(collection(lane({ name: 'only' }, inCity)), '?mode=replace');
    expect(res.body).toEqual({ imported: 1, replaced: before });
    const [only] = (await lanes()).features;
    expect(
      (await t.json({ method: 'DELETE', url: `/api/cycling/lanes/${only.id}`, headers: officer })).status,
    ).toBe(204);
    expect((await lanes()).features).toEqual([]);
    const again = await t.json({ method: 'DELETE', url: `/api/cycling/lanes/${only.id}`, headers: officer });
    expect(again.status).toBe(404);
    expect((await t.json({ method: 'DELETE', url: '/api/cycling/lanes/x', headers: officer })).status).toBe(
      400,
    );
    expect((await importLanes(collection(lane({ name: 'x' }, inCity)), '?mode=wipe')).status).toBe(400);
  });
});

describe('bike counters', () => {
  it('gives the demo counter’s bicycles per Bangkok day, each the sum of its hourly counts', async () => {
    const res = await t.json({ method: 'GET', url: '/api/cycling/counters?days=7' });
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(bangkokDay(new Date()));
    const [counter] = res.body.counters;
    expect(counter).toMatchObject({ name: 'Bike counter, Bueng Kaen Nakhon (synthetic)', synthetic: true });
    expect(counter.days).toHaveLength(7);
    // A full day in the middle: the sum of the synthetic curve over its 24 Bangkok hours.
    const day = counter.days[3];
    const start = Date.parse(`${day.day}T00:00:00+07:00`);
    let expected = 0;
    for (let h = 0; h < 24; h++) expected += demoCount(new Date(start + h * 3_600_000));
    expect(day.count).toBe(expected);
  });

  it('summarises lanes and counts, and refuses bad days', async () => {
    const res = await t.json({ method: 'GET', url: '/api/cycling/summary' });
    expect(res.status).toBe(200);
    expect(res.body.counters.count).toBe(1);
    expect(res.body.counters.last7Days).toBeGreaterThan(0);
    expect(res.body.counters.dailyAverage).toBe(Math.round(res.body.counters.last7Days / 7));
    for (const q of ['days=0', 'days=91', 'days=x', 'days=7&extra=1'])
      expect((await t.json({ method: 'GET', url: `/api/cycling/counters?${q}` })).status, q).toBe(400);
  });
});
