import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { contextService } from '../../platform/context/service.ts';
import { DeviceRepository } from '../../platform/devices/repository.ts';
import { floodModule } from './module.ts';
import { seed } from './seed.ts';

let t: TestApp;
let engineer: Record<string, string>;
let offices: Map<string, string>;
beforeAll(async () => {
  t = await testApp({ modules: [floodModule] });
  const rows = await t.db.rows<{ id: string; code: string }>(sql`SELECT id, code FROM core_offices`);
  offices = new Map(rows.map((o) => [o.code, o.id]));
  await t.app.auth.createAccount(
    {
      displayName: 'เจ้าหน้าที่กองช่าง',
      email: 'engineer@test.local',
      password: 'a long password',
      role: 'officer',
      officeId: offices.get('engineering')!,
    },
    systemActor,
  );
  engineer = await t.signInAs('engineer@test.local', 'a long password');
});
afterAll(() => t?.close());

const audits = async (action: string, id: string) =>
  (
    await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = ${action} AND resource_id = ${id}`,
    )
  )[0].n;

describe('public stations', () => {
  it('lists the seeded stations with status, level, trend, rate and rainfall, and no device internals', async () => {
    const res = await t.json({ method: 'GET', url: '/api/flood/stations' });
    expect(res.status).toBe(200);
    const water = res.body.find((s: { kind: string; synthetic: boolean }) => s.kind === 'water_level');
    const rain = res.body.find((s: { kind: string }) => s.kind === 'rainfall');
    expect(water).toMatchObject({ status: 'watch', trend: 'rising', unit: 'm', stale: false });
    expect(water.level).toBeGreaterThanOrEqual(1.5);
    expect(water.rateCmPerHour1h).toBeGreaterThan(10);
    expect(water.rateCmPerHour3h).toBeGreaterThan(10);
    expect(rain).toMatchObject({ status: 'watch', unit: 'mm', trend: null, rateCmPerHour1h: null });
    expect(rain.rain24h).toBeGreaterThan(35.1);
    expect(rain.rain1h).toBeGreaterThan(0);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('devEui');
    expect(text).not.toContain('officeId');
    expect(text).not.toContain('a84041000000f001');
  });

  it('gives one station with its series, and 404 / 400 for unknown and malformed ids', async () => {
    const list = await t.json({ method: 'GET', url: '/api/flood/stations' });
    const id = list.body[0].id;
    const one = await t.json({ method: 'GET', url: `/api/flood/stations/${id}?hours=6` });
    expect(one.status).toBe(200);
    expect(one.body.series.length).toBeGreaterThan(20);
    expect(one.body.series.length).toBeLessThanOrEqual(25);
    expect((await t.json({ method: 'GET', url: `/api/flood/stations/${crypto.randomUUID()}` })).status).toBe(
      404,
    );
    for (const bad of ["x'; DROP TABLE flood_stations; --", '1%20OR%201=1'])
      expect(
        (await t.json({ method: 'GET', url: `/api/flood/stations/${encodeURIComponent(bad)}` })).status,
      ).toBe(400);
    expect((await t.json({ method: 'GET', url: `/api/flood/stations/${id}?hours=0` })).status).toBe(400);
    expect((await t.json({ method: 'GET', url: `/api/flood/stations/${id}?hours=abc` })).status).toBe(400);
  });

  it('publishes a water-level station as FloodMonitoring when its device’s reading is ingested', async () => {
    const flood = async () =>
      t.db.rows<{ data: string }>(
        sql`SELECT to_jsonb(e)::text AS data FROM ctx_entities e WHERE type LIKE '%FloodMonitoring'`,
      );
    expect(await flood()).toHaveLength(0);
    const devices = new DeviceRepository(t.db);
    const deviceId = (await devices.deviceIdByEui('a84041000000f001'))!;
    const at = new Date().toISOString();
    // What the ingest worker does in one transaction: store the reading, write the device's entity.
    await t.db.transaction(async (tx) => {
      await devices.insertReadings(tx, [
        { deviceId, observedAt: at, quantity: 'waterLevel', value: 2.1, fCnt: null },
      ]);
      await contextService(t.db).publish(tx, {
        id: 'urn:ngsi-ld:Device:a84041000000f001',
        type: 'Device',
        waterLevel: { type: 'Property', value: 2.1, observedAt: at },
      });
    });
    const [entity] = await flood();
    expect(entity.data).toContain('"warning"');
    expect(entity.data).toContain('2.1');
    const res = await t.json({ method: 'GET', url: '/api/flood/stations' });
    expect(res.body.find((s: { kind: string }) => s.kind === 'water_level').status).toBe('warning');
  });

  it('seeding again adds nothing', async () => {
    const count = async () =>
      (
        await t.db.rows<{ s: number; h: number; r: number }>(
          sql`SELECT (SELECT count(*)::int FROM flood_stations) AS s, (SELECT count(*)::int FROM flood_shelters) AS h,
            (SELECT count(*)::int FROM dev_readings) AS r`,
        )
      )[0];
    const before = await count();
    await seed({ db: t.db, events: t.events, offices });
    expect(await count()).toEqual(before);
  });
});

describe('station levels kept by staff', () => {
  let stationId: string;
  it('is office-scoped: the clerk office’s officer may not change an engineering station', async () => {
    const list = await t.json({ method: 'GET', url: '/api/flood/stations' });
    stationId = list.body.find((s: { kind: string }) => s.kind === 'water_level').id;
    const res = await t.json({
      method: 'PATCH',
      url: `/api/flood/stations/${stationId}`,
      headers: await t.tokenFor('officer'),
      payload: { watch: 1.0 },
    });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const citizen = await t.json({
      method: 'PATCH',
      url: `/api/flood/stations/${stationId}`,
      headers: await t.tokenFor('citizen'),
      payload: { watch: 1.0 },
    });
    expect(citizen.status).toBe(403);
    expect(await audits('flood.station.update', stationId)).toBe(0);
  });

  it('lets the engineering officer lower the levels; the status follows and the change is audited', async () => {
    const res = await t.json({
      method: 'PATCH',
      url: `/api/flood/stations/${stationId}`,
      headers: engineer,
      payload: { watch: 0.5, warning: 1.0, critical: 1.6 },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('critical');
    expect(await audits('flood.station.update', stationId)).toBe(1);
    const [entity] = await t.db.rows<{ data: string }>(
      sql`SELECT to_jsonb(e)::text AS data FROM ctx_entities e WHERE type LIKE '%FloodMonitoring'`,
    );
    expect(entity.data).toContain('critical');
  });

  it('refuses levels out of order, wrong types, huge strings and unknown fields with problem details', async () => {
    const bodies = [
      { watch: 3 },
      { watch: '1' },
      { critical: null },
      { nameEn: 'x'.repeat(100_000) },
      { nameTh: '' },
      { watch: 1e12 },
      { evil: "'; DROP TABLE flood_stations; --" },
      {},
    ];
    for (const payload of bodies) {
      const res = await t.json({
        method: 'PATCH',
        url: `/api/flood/stations/${stationId}`,
        headers: engineer,
        payload,
      });
      expect(res.status, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await audits('flood.station.update', stationId)).toBe(1);
  });

  it('makes a station only of a device that measures water level or rainfall, once', async () => {
    const devices = new DeviceRepository(t.db);
    const profile = await t.db.transaction((tx) =>
      devices.insertProfile(tx, {
        name: 'Thermometer',
        decoder: { kind: 'json' },
        quantities: [{ field: 't', quantity: 'temperature', unit: 'CEL' }],
        entityType: 'Device',
      }),
    );
    const thermo = await t.db.transaction((tx) =>
      devices.insertDevice(tx, {
        devEui: '0000000000000abc',
        name: 'Thermometer',
        profileId: profile.id,
        officeId: offices.get('engineering')!,
        lon: 102.83,
        lat: 16.43,
        zoneCode: null,
        installedOn: null,
        tags: [],
      }),
    );
    const body = { nameTh: 'ก', nameEn: 'A', watch: 1, warning: 2, critical: 3 };
    const notStation = await t.json({
      method: 'POST',
      url: '/api/flood/stations',
      headers: engineer,
      payload: { ...body, deviceId: thermo.id },
    });
    expect(notStation.status).toBe(400);
    expect(notStation.body.code).toBe('flood.not_a_station');
    const [water] = await t.db.rows<{ id: string }>(
      sql`SELECT device_id AS id FROM flood_stations WHERE kind = 'water_level'`,
    );
    const again = await t.json({
      method: 'POST',
      url: '/api/flood/stations',
      headers: engineer,
      payload: { ...body, deviceId: water.id },
    });
    expect(again.status).toBe(409);
  });
});

describe('shelters', () => {
  const shelter = (over: Record<string, unknown> = {}) => ({
    kind: 'shelter',
    nameTh: 'ศูนย์พักพิงทดสอบ',
    nameEn: 'Test shelter',
    location: { lon: 102.83, lat: 16.43 },
    capacity: 120,
    facilities: ['water', 'toilets'],
    contact: '043-111-222',
    ...over,
  });

  it('lists the seeded shelters publicly, as JSON and GeoJSON, labelled synthetic', async () => {
    const list = await t.json({ method: 'GET', url: '/api/flood/shelters' });
    expect(list.status).toBe(200);
    expect(list.body.length).toBe(5);
    expect(list.body.every((s: { synthetic: boolean }) => s.synthetic)).toBe(true);
    const geo = await t.json({ method: 'GET', url: '/api/flood/shelters.geojson' });
    expect(geo.status).toBe(200);
    expect(geo.headers['content-type']).toContain('application/geo+json');
    expect(geo.body.features[0].geometry.type).toBe('Point');
    expect(geo.body.features).toHaveLength(5);
  });

  it('lets staff add, change and remove a shelter for their own office, each audited', async () => {
    const created = await t.json({
      method: 'POST',
      url: '/api/flood/shelters',
      headers: engineer,
      payload: shelter(),
    });
    expect(created.status).toBe(201);
    expect(created.body.officeId).toBe(offices.get('engineering'));
    expect(created.body.zoneCode).toBeTruthy();
    const id = created.body.id;
    const changed = await t.json({
      method: 'PATCH',
      url: `/api/flood/shelters/${id}`,
      headers: engineer,
      payload: { capacity: 150 },
    });
    expect(changed.body.capacity).toBe(150);
    const other = await t.json({
      method: 'PATCH',
      url: `/api/flood/shelters/${id}`,
      headers: await t.tokenFor('officer'),
      payload: { capacity: 1 },
    });
    expect(other.status).toBe(403);
    const otherOffice = await t.json({
      method: 'POST',
      url: '/api/flood/shelters',
      headers: engineer,
      payload: shelter({ nameEn: 'Another', officeId: offices.get('clerk') }),
    });
    expect(otherOffice.status).toBe(403);
    expect(
      (await t.json({ method: 'DELETE', url: `/api/flood/shelters/${id}`, headers: engineer })).status,
    ).toBe(204);
    expect(await audits('flood.shelter.create', id)).toBe(1);
    expect(await audits('flood.shelter.update', id)).toBe(1);
    expect(await audits('flood.shelter.delete', id)).toBe(1);
    expect((await t.json({ method: 'GET', url: `/api/flood/shelters/${id}` })).status).toBe(404);
  });

  it('refuses a shelter outside the municipality, and the anonymous and citizens', async () => {
    for (const location of [
      { lon: 100.5018, lat: 13.7563 }, // Bangkok
      { lon: 102.95, lat: 16.43 }, // east of Khon Kaen, outside every zone
    ]) {
      const res = await t.json({
        method: 'POST',
        url: '/api/flood/shelters',
        headers: engineer,
        payload: shelter({ location }),
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('org.outside_municipality');
    }
    expect((await t.json({ method: 'POST', url: '/api/flood/shelters', payload: shelter() })).status).toBe(
      401,
    );
    expect(
      (
        await t.json({
          method: 'POST',
          url: '/api/flood/shelters',
          headers: await t.tokenFor('citizen'),
          payload: shelter(),
        })
      ).status,
    ).toBe(403);
  });

  it('refuses bad bodies with 400 problem details, and duplicates with 409', async () => {
    const bad = [
      shelter({ capacity: '100' }),
      shelter({ capacity: -1 }),
      shelter({ capacity: 1.5 }),
      shelter({ kind: 'bunker' }),
      shelter({ nameEn: 'x'.repeat(201) }),
      shelter({ nameTh: 'ก'.repeat(50_000) }),
      shelter({ facilities: ['water', 'water'] }),
      shelter({ facilities: ["'); DROP TABLE flood_shelters; --"] }),
      shelter({ location: { lon: '102.83', lat: 16.43 } }),
      shelter({ location: { lon: 200, lat: 16.43 } }),
      shelter({ contact: { phone: '1' } }),
      shelter({ extra: true }),
      { kind: 'shelter' },
    ];
    for (const payload of bad) {
      const res = await t.json({ method: 'POST', url: '/api/flood/shelters', headers: engineer, payload });
      expect(res.status, JSON.stringify(payload).slice(0, 100)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const name = shelter({ nameEn: "Robert'); DROP TABLE flood_shelters; --" });
    const first = await t.json({
      method: 'POST',
      url: '/api/flood/shelters',
      headers: engineer,
      payload: name,
    });
    expect(first.status).toBe(201);
    expect(first.body.nameEn).toBe("Robert'); DROP TABLE flood_shelters; --");
    const dup = await t.json({
      method: 'POST',
      url: '/api/flood/shelters',
      headers: engineer,
      payload: name,
    });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toBe('มีศูนย์พักพิงชื่อนี้อยู่แล้ว');
    const dupEn = await t.json({
      method: 'POST',
      url: '/api/flood/shelters',
      headers: { ...engineer, 'accept-language': 'en' },
      payload: name,
    });
    expect(dupEn.body.detail).toBe('a shelter with this name exists');
  });

  it('computes its KPIs', async () => {
    const [warning, capacity] = floodModule.kpis!;
    expect(await warning.compute(t.db)).toBe(1);
    expect(await capacity.compute(t.db)).toBeGreaterThanOrEqual(2400);
  });
});
