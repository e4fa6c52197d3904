import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganisation } from '../../core/org/seed.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { DeviceRepository } from '../../platform/devices/repository.ts';
import { airQualityIndex } from './aqi.ts';
import { airQualityModule } from './module.ts';

let t: TestApp;
let station: string;
let weather: string;
const hourMs = 3_600_000;

/** Hourly readings of one quantity at the given hours (Date.UTC parts), or ending now. */
async function readings(device: string, quantity: string, times: Date[], value: number) {
  const rows = times.map((at) => ({ device, at: at.toISOString(), quantity, value }));
  await t.db.orm.execute(sql`INSERT INTO dev_readings (device_id, observed_at, quantity, value)
    SELECT (r->>'device')::uuid, (r->>'at')::timestamptz, r->>'quantity', (r->>'value')::float8
    FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r`);
}
const lastHours = (n: number) => {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => new Date(now - i * hourMs - 60_000));
};
/** Every hour of the Bangkok day `day` (UTC+7), the first `n` of them. */
const bangkokDay = (day: string, n = 24) =>
  Array.from({ length: n }, (_, i) => new Date(Date.parse(`${day}T00:30:00+07:00`) + i * hourMs));

beforeAll(async () => {
  t = await testApp({ modules: [airQualityModule], seed: false });
  const offices = await seedOrganisation(t.db);
  const repo = new DeviceRepository(t.db);
  const office = [...offices.values()][0];
  const pm = await repo.insertProfile(t.db.orm, {
    name: 'pm test profile',
    decoder: { kind: 'cayenne-lpp' },
    quantities: [{ field: 'analog_input_1', quantity: 'pm25', unit: 'GQ' }],
    entityType: 'Device',
  });
  const other = await repo.insertProfile(t.db.orm, {
    name: 'weather test profile',
    decoder: { kind: 'cayenne-lpp' },
    quantities: [{ field: 'temperature_1', quantity: 'temperature', unit: 'CEL' }],
    entityType: 'WeatherObserved',
  });
  const device = (devEui: string, profileId: string, name: string) =>
    repo.insertDevice(t.db.orm, {
      devEui,
      name,
      profileId,
      officeId: office,
      lon: 102.83,
      lat: 16.43,
      zoneCode: null,
      installedOn: null,
      tags: [],
    });
  station = (await device('00000000000000a1', pm.id, 'Station <script>alert(1)</script>')).id;
  weather = (await device('00000000000000a2', other.id, 'Weather')).id;
  await readings(station, 'pm25', lastHours(24), 40);
  await readings(station, 'no2', lastHours(1), 150);
  await readings(weather, 'temperature', lastHours(24), 31);
  // October 2026 in Bangkok: the 5th over the PM2.5 standard, the 6th too few hours, the 7th under it.
  await readings(station, 'pm25', bangkokDay('2026-10-05'), 50);
  await readings(station, 'pm25', bangkokDay('2026-10-06', 17), 80);
  await readings(station, 'pm25', bangkokDay('2026-10-07'), 30);
});
afterAll(() => t?.close());

const get = (url: string) => t.json({ method: 'GET', url: `/api/air-quality${url}` });

describe('air-quality stations', () => {
  it('lists the devices that measure pollutants with their averages and both indices, for anyone', async () => {
    const res = await get('/stations');
    expect(res.status).toBe(200);
    expect(res.body.stations.map((s: { id: string }) => s.id)).toEqual([station]);
    const [s] = res.body.stations;
    expect(s.name).toBe('Station <script>alert(1)</script>');
    expect(s.averages).toEqual([
      { pollutant: 'pm25', averaging: '24h', hours: 24, needed: 18, value: 40 },
      { pollutant: 'no2', averaging: '1h', hours: 1, needed: 1, value: 150 },
    ]);
    expect(s.th).toEqual(airQualityIndex('th', { pm25: 40, no2: 150 }));
    expect(s.us).toEqual(airQualityIndex('us', { pm25: 40, no2: 150 }));
    expect(res.body.city.th).toMatchObject({ stationId: station, aqi: s.th.aqi });
    expect(s).not.toHaveProperty('officeId');
  });

  it('gives a station’s hourly series and daily means with the standards', async () => {
    const res = await get(`/stations/${station}/history?days=2`);
    expect(res.status).toBe(200);
    expect(res.body.station.id).toBe(station);
    expect(res.body.standards).toEqual({ pm25: 37.5, pm10: 120 });
    expect(res.body.hourly.length).toBeGreaterThanOrEqual(24);
    expect(res.body.hourly.every((h: { pm25?: number }) => h.pm25 === undefined || h.pm25 === 40)).toBe(true);
    expect(res.body.hourly.at(-1).no2).toBe(150);
  });

  it('summarises a Bangkok month: days with data and days over the standard, per station and city', async () => {
    const res = await get('/summary?month=2026-10');
    expect(res.status).toBe(200);
    expect(res.body.stations).toEqual([
      {
        stationId: station,
        name: 'Station <script>alert(1)</script>',
        synthetic: false,
        days: [
          { day: '2026-10-05', pm25: 50, pm10: null, over: true },
          { day: '2026-10-07', pm25: 30, pm10: null, over: false },
        ],
        daysWithData: 2,
        daysOver: 1,
      },
    ]);
    expect(res.body.city).toEqual({ daysWithData: 2, daysOver: 1, overDays: ['2026-10-05'] });
    const empty = await get('/summary?month=2019-02');
    expect(empty.body.city).toEqual({ daysWithData: 0, daysOver: 0, overDays: [] });
  });

  it('answers a device that is not a station, or none, with 404, and bad parameters with 400', async () => {
    expect((await get(`/stations/${weather}/history`)).status).toBe(404);
    expect((await get('/stations/00000000-0000-0000-0000-000000000000/history')).status).toBe(404);
    for (const url of [
      '/stations/not-a-uuid/history',
      `/stations/${station}/history?days=0`,
      `/stations/${station}/history?days=32`,
      `/stations/${station}/history?days=abc`,
      `/stations/${station}/history?extra=1`,
      '/summary',
      '/summary?month=2026-13',
      "/summary?month=2026-10'%3B%20DROP%20TABLE%20dev_readings%3B--",
      `/summary?month=${'9'.repeat(5000)}`,
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
  });
});
