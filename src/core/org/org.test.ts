import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

describe('the city organisation', () => {
  it('lists the Khon Kaen offices in Thai and English', async () => {
    const res = await t.json({ method: 'GET', url: '/api/org/offices' });
    expect(res.status).toBe(200);
    const clerk = res.body.find((o: { code: string }) => o.code === 'clerk');
    expect(clerk).toMatchObject({
      nameTh: 'สำนักปลัดเทศบาล',
      nameEn: 'Office of the Municipal Clerk',
      kind: 'office',
    });
    expect(res.body.length).toBeGreaterThanOrEqual(8);
  });

  it('serves four zones and their communities as GeoJSON labelled synthetic', async () => {
    const zones = await t.json({ method: 'GET', url: '/api/org/zones' });
    expect(zones.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(zones.body.features).toHaveLength(4);
    expect(zones.body.features[0].geometry.type).toBe('MultiPolygon');
    expect(
      zones.body.features.every((f: { properties: { synthetic: boolean } }) => f.properties.synthetic),
    ).toBe(true);
    const communities = await t.json({
      method: 'GET',
      url: `/api/org/communities?zone=${zones.body.features[0].id}`,
    });
    expect(communities.body.features).toHaveLength(4);
  });

  it('resolves a point to its zone and community', async () => {
    // North-west of the centre: zone 1. The grid splits each zone into 2 × 2 communities.
    const res = await t.json({ method: 'GET', url: '/api/org/locate?lon=102.81&lat=16.45' });
    expect(res.status).toBe(200);
    expect(res.body.zone.code).toBe('zone-1');
    expect(res.body.community.code).toBe('z1-c3');
    const se = await t.json({ method: 'GET', url: '/api/org/locate?lon=102.86&lat=16.40' });
    expect(se.body.zone.code).toBe('zone-4');
    expect(se.body.community.code).toBe('z4-c2');
  });

  it('gives a point on a shared border to one zone only', async () => {
    const res = await t.json({ method: 'GET', url: '/api/org/locate?lon=102.835&lat=16.425' });
    expect(res.status).toBe(200);
    expect(res.body.zone.code).toBe('zone-1');
  });

  it('says clearly when a point is outside the municipality', async () => {
    const bangkok = await t.json({
      method: 'GET',
      url: '/api/org/locate?lon=100.5018&lat=13.7563',
      headers: { 'accept-language': 'en' },
    });
    expect(bangkok.status).toBe(404);
    expect(bangkok.body.code).toBe('org.outside_municipality');
    expect(bangkok.body.title).toBe('This location is outside the municipality');
  });

  it.each(['lon=200&lat=16', 'lon=abc&lat=16', 'lon=102.8', "lon=102.8&lat=16.4' OR 1=1"])(
    'rejects %s',
    async (q) => {
      const res = await t.json({ method: 'GET', url: `/api/org/locate?${q}` });
      expect(res.status).toBe(400);
    },
  );

  it('lets an admin add an office, announced as an event', async () => {
    const headers = await t.signIn('admin');
    const payload = {
      code: 'smart-city',
      nameTh: 'ศูนย์เมืองอัจฉริยะ',
      nameEn: 'Smart City Centre',
      kind: 'division',
    };
    const res = await t.json({ method: 'POST', url: '/api/org/offices', headers, payload });
    expect(res.status).toBe(201);
    const dup = await t.json({ method: 'POST', url: '/api/org/offices', headers, payload });
    expect(dup.status).toBe(409);
    const seen: string[] = [];
    t.events.subscribe('office.created', 'test', (e) => void seen.push(e.payload.code));
    await t.events.drain();
    expect(seen).toContain('smart-city');
  });
});
