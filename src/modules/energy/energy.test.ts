import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { DeviceRepository } from '../../platform/devices/repository.ts';
import { energyModule } from './module.ts';
import { seed } from './seed.ts';

let t: TestApp;
let pvDevice: string;
let meterDevice: string;
const building = {
  nameTh: 'อาคารทดสอบ',
  nameEn: 'Test building',
  location: { lon: 102.83, lat: 16.43 },
  floorAreaM2: 1000,
  kind: 'municipal',
};

async function readings(device: string, quantity: string, points: [string, number][]) {
  const rows = points.map(([at, value]) => ({ device, at: `${at}:00+07:00`, quantity, value }));
  await t.db.orm.execute(sql`INSERT INTO dev_readings (device_id, observed_at, quantity, value)
    SELECT (r->>'device')::uuid, (r->>'at')::timestamptz, r->>'quantity', (r->>'value')::float8
    FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r`);
}

beforeAll(async () => {
  t = await testApp({ modules: [energyModule] });
  const repo = new DeviceRepository(t.db);
  const [profile] = await t.db.rows<{ id: string }>(sql`SELECT id FROM dev_profiles LIMIT 1`);
  const [office] = await t.db.rows<{ id: string }>(sql`SELECT id FROM core_offices WHERE code = 'clerk'`);
  const device = async (devEui: string) =>
    (
      await repo.insertDevice(t.db.orm, {
        devEui,
        name: devEui,
        profileId: profile.id,
        officeId: office.id,
        lon: 102.83,
        lat: 16.43,
        zoneCode: null,
        installedOn: null,
        tags: [],
      })
    ).id;
  pvDevice = await device('00000000000000f1');
  meterDevice = await device('00000000000000f2');
  await readings(pvDevice, 'energyGenerated', [
    ['2026-02-01T00:00', 0],
    ['2026-02-01T12:00', 24],
    ['2026-02-02T00:00', 24],
  ]);
  await readings(meterDevice, 'energyImported', [
    ['2026-02-01T00:00', 100],
    ['2026-02-02T00:00', 130],
  ]);
  await readings(meterDevice, 'energyExported', [
    ['2026-02-01T00:00', 7],
    ['2026-02-02T00:00', 11],
  ]);
});
afterAll(() => t?.close());

describe('energy demo data', () => {
  it('seeds synthetic municipal, school and KKU partnership buildings with PV, once', async () => {
    await seed({ db: t.db, events: t.events, offices: new Map() });
    const res = await t.json({ method: 'GET', url: '/api/energy/buildings' });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(4);
    expect(new Set(res.body.map((b: { kind: string }) => b.kind))).toEqual(
      new Set(['municipal', 'school', 'university']),
    );
    expect(res.body.every((b: { synthetic: boolean; kwp: number }) => b.synthetic && b.kwp > 0)).toBe(true);
  });

  it('gives the city daily figures with PV generation peaking in daylight and CO2 at the configured factor', async () => {
    const res = await t.json({ method: 'GET', url: '/api/energy/figures?by=day' });
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(30);
    expect(res.body.totals.generatedKWh).toBeGreaterThan(0);
    expect(res.body.factor.kgCo2PerKWh).toBe(t.config.GRID_EMISSION_FACTOR);
    expect(res.body.totals.co2AvoidedKg).toBeCloseTo(res.body.totals.generatedKWh * 0.475, 1);
    const kpi = await energyModule.kpis!.find((k) => k.id === 'energy-installed-kwp')!.compute(t.db);
    expect(kpi).toBe(400);
  });
});

describe('energy register', () => {
  let id: string;
  let pvId: string;
  let meterId: string;

  it('lets an officer add a building for their own office, audited', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/energy/buildings',
      headers: await t.tokenFor('officer'),
      payload: building,
    });
    expect(res.status).toBe(201);
    expect(res.body.zoneCode).toMatch(/^zone-/);
    id = res.body.id;
    const [row] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'energy.building.create' AND resource_id = ${id}`,
    );
    expect(row.n).toBe(1);
  });

  it('links a PV system and a meter, and computes self-consumption and CO2 for the building', async () => {
    const headers = await t.tokenFor('officer');
    const pv = await t.json({
      method: 'POST',
      url: `/api/energy/buildings/${id}/installations`,
      headers,
      payload: { kind: 'pv', name: 'Roof', kwp: 10, deviceId: pvDevice, installedOn: '2025-01-01' },
    });
    expect(pv.status).toBe(201);
    const meter = await t.json({
      method: 'POST',
      url: `/api/energy/buildings/${id}/installations`,
      headers,
      payload: { kind: 'meter', name: 'Main meter', deviceId: meterDevice },
    });
    expect(meter.status).toBe(201);
    pvId = pv.body.id;
    meterId = meter.body.id;
    const again = await t.json({
      method: 'POST',
      url: `/api/energy/buildings/${id}/installations`,
      headers,
      payload: { kind: 'meter', name: 'Twice', deviceId: meterDevice },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'energy.device_taken',
      detail: `อุปกรณ์ ${meterDevice} ผูกกับระบบติดตั้งอื่นอยู่แล้ว`,
    });
    const againEn = await t.json({
      method: 'POST',
      url: `/api/energy/buildings/${id}/installations`,
      headers: { ...headers, 'accept-language': 'en' },
      payload: { kind: 'meter', name: 'Twice', deviceId: meterDevice },
    });
    expect(againEn.body.detail).toBe(`device ${meterDevice} already feeds an installation`);
    const res = await t.json({
      method: 'GET',
      url: `/api/energy/figures?by=day&from=2026-02-01&to=2026-02-01&building=${id}`,
    });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({
      generatedKWh: 24,
      importedKWh: 30,
      exportedKWh: 4,
      consumedKWh: 50,
      selfConsumption: 0.8333,
      co2AvoidedKg: 11.4,
    });
    const month = await t.json({
      method: 'GET',
      url: `/api/energy/figures?by=month&from=2026-01-01&to=2026-03-31&building=${id}`,
    });
    expect(
      month.body.series.map((s: { period: string; generatedKWh: number }) => [s.period, s.generatedKWh]),
    ).toEqual([
      ['2026-01', 0],
      ['2026-02', 24],
      ['2026-03', 0],
    ]);
    const page = await t.json({ method: 'GET', url: `/api/energy/buildings/${id}` });
    expect(page.status).toBe(200);
    expect(page.body.installations).toHaveLength(2);
  });

  it('keeps a building to its office: another office’s officer may not change it, an admin may', async () => {
    const other = await t.signInAs('revenue@demo.local');
    const res = await t.json({
      method: 'PATCH',
      url: `/api/energy/buildings/${id}`,
      headers: other,
      payload: { floorAreaM2: 5 },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('energy.other_office');
    const admin = await t.json({
      method: 'PATCH',
      url: `/api/energy/buildings/${id}`,
      headers: await t.tokenFor('admin'),
      payload: { floorAreaM2: 2000 },
    });
    expect(admin.status).toBe(200);
    expect(admin.body.floorAreaM2).toBe(2000);
  });

  it('changes an installation, audited, and refuses kWp on a meter, a taken device and another office', async () => {
    const headers = await t.tokenFor('officer');
    const res = await t.json({
      method: 'PATCH',
      url: `/api/energy/installations/${pvId}`,
      headers,
      payload: { kwp: 12.5 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kwp: 12.5, deviceId: pvDevice, name: 'Roof' });
    const [row] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'energy.installation.update' AND resource_id = ${pvId}`,
    );
    expect(row.n).toBe(1);
    const meterKwp = await t.json({
      method: 'PATCH',
      url: `/api/energy/installations/${meterId}`,
      headers,
      payload: { kwp: 3 },
    });
    expect(meterKwp.status).toBe(400);
    const clash = await t.json({
      method: 'PATCH',
      url: `/api/energy/installations/${meterId}`,
      headers,
      payload: { deviceId: pvDevice },
    });
    expect(clash.status).toBe(409);
    const empty = await t.json({
      method: 'PATCH',
      url: `/api/energy/installations/${meterId}`,
      headers,
      payload: {},
    });
    expect(empty.status).toBe(400);
    const other = await t.json({
      method: 'PATCH',
      url: `/api/energy/installations/${meterId}`,
      headers: await t.signInAs('revenue@demo.local'),
      payload: { name: 'Taken over' },
    });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('energy.other_office');
  });

  it('refuses citizens and anonymous callers', async () => {
    expect(
      (
        await t.json({
          method: 'POST',
          url: '/api/energy/buildings',
          headers: await t.tokenFor('citizen'),
          payload: building,
        })
      ).status,
    ).toBe(403);
    expect((await t.json({ method: 'POST', url: '/api/energy/buildings', payload: building })).status).toBe(
      401,
    );
  });

  it.each([
    ['a wrong type', { ...building, floorAreaM2: 'big' }],
    ['a negative area', { ...building, floorAreaM2: -1 }],
    ['a huge name', { ...building, nameEn: 'x'.repeat(100_000) }],
    ['an unknown field', { ...building, admin: true }],
    ['an unknown kind', { ...building, kind: "school'); DROP TABLE energy_buildings; --" }],
    ['a point outside the municipality', { ...building, location: { lon: 100.5, lat: 13.75 } }],
    ['a point off the globe', { ...building, location: { lon: 500, lat: 16.4 } }],
  ])('answers %s with 400 problem details', async (_label, payload) => {
    const res = await t.json({
      method: 'POST',
      url: '/api/energy/buildings',
      headers: await t.tokenFor('officer'),
      payload,
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([
    ['a negative kWp', { kind: 'pv', name: 'x', kwp: -5 }],
    ['a PV without kWp', { kind: 'pv', name: 'x' }],
    ['a string kWp', { kind: 'pv', name: 'x', kwp: '10' }],
    ['an unknown device', { kind: 'meter', name: 'x', deviceId: '00000000-0000-4000-8000-000000000000' }],
  ])('refuses an installation with %s', async (_label, payload) => {
    const res = await t.json({
      method: 'POST',
      url: `/api/energy/buildings/${id}/installations`,
      headers: await t.tokenFor('officer'),
      payload,
    });
    expect(res.status).toBe(400);
  });

  it('stores injection-looking names as text', async () => {
    const nameEn = "Robert'); DROP TABLE energy_buildings; --";
    const res = await t.json({
      method: 'POST',
      url: '/api/energy/buildings',
      headers: await t.tokenFor('officer'),
      payload: { ...building, nameEn },
    });
    expect(res.status).toBe(201);
    expect(res.body.nameEn).toBe(nameEn);
  });

  it('refuses bad figure queries', async () => {
    expect((await t.json({ method: 'GET', url: '/api/energy/figures?by=week' })).status).toBe(400);
    expect((await t.json({ method: 'GET', url: '/api/energy/figures?from=2026-02-30x' })).status).toBe(400);
    expect(
      (await t.json({ method: 'GET', url: '/api/energy/figures?from=2026-03-01&to=2026-02-01' })).status,
    ).toBe(400);
    expect(
      (await t.json({ method: 'GET', url: '/api/energy/figures?from=2000-01-01&to=2026-01-01' })).status,
    ).toBe(400);
    expect(
      (await t.json({ method: 'GET', url: '/api/energy/buildings/00000000-0000-4000-8000-000000000000' }))
        .status,
    ).toBe(404);
  });

  it('removes a building, audited', async () => {
    const res = await t.json({
      method: 'DELETE',
      url: `/api/energy/buildings/${id}`,
      headers: await t.tokenFor('officer'),
    });
    expect(res.status).toBe(204);
    const [row] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'energy.building.delete' AND resource_id = ${id}`,
    );
    expect(row.n).toBe(1);
  });
});

describe('grid emission factor configuration', () => {
  it('takes a factor from the environment and refuses a negative one', () => {
    expect(loadConfig({ GRID_EMISSION_FACTOR: '0.5986' }).GRID_EMISSION_FACTOR).toBe(0.5986);
    expect(() => loadConfig({ GRID_EMISSION_FACTOR: '-1' })).toThrow(ConfigError);
  });
});
