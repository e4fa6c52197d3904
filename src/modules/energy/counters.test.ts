import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganisation } from '../../core/org/seed.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { DeviceRepository } from '../../platform/devices/repository.ts';
import { dailyEnergy } from './counters.ts';
import { energyModule } from './module.ts';

let t: TestApp;
const ids: Record<string, string> = {};

/** Counter readings at Bangkok local times ("YYYY-MM-DDTHH:mm", UTC+7). */
async function readings(device: string, quantity: string, points: [string, number][]) {
  const rows = points.map(([at, value]) => ({ device, at: `${at}:00+07:00`, quantity, value }));
  await t.db.orm.execute(sql`INSERT INTO dev_readings (device_id, observed_at, quantity, value)
    SELECT (r->>'device')::uuid, (r->>'at')::timestamptz, r->>'quantity', (r->>'value')::float8
    FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r`);
}

const byDay = (rows: { day: string; kwh: number }[]) =>
  Object.fromEntries(rows.map((r) => [r.day, Math.round(r.kwh * 1000) / 1000]));

beforeAll(async () => {
  t = await testApp({ modules: [energyModule], seed: false });
  const offices = await seedOrganisation(t.db);
  const repo = new DeviceRepository(t.db);
  const profile = await repo.insertProfile(t.db.orm, {
    name: 'kwh counters',
    decoder: { kind: 'json' },
    quantities: [],
    entityType: 'Device',
  });
  for (const [i, name] of ['steady', 'reset', 'gap', 'meter'].entries())
    ids[name] = (
      await repo.insertDevice(t.db.orm, {
        devEui: `00000000000000e${i}`,
        name,
        profileId: profile.id,
        officeId: [...offices.values()][0],
        lon: 102.83,
        lat: 16.43,
        zoneCode: null,
        installedOn: null,
        tags: [],
      })
    ).id;
  // 1 kWh an hour over one whole Bangkok day (17:00 UTC the day before to 17:00 UTC).
  await readings(
    ids.steady,
    'energyGenerated',
    Array.from({ length: 25 }, (_, h) => [
      h === 24 ? '2026-03-11T00:00' : `2026-03-10T${String(h).padStart(2, '0')}:00`,
      1000 + h,
    ]),
  );
  // The counter restarts from zero after 10:00 (a replaced inverter).
  await readings(ids.reset, 'energyGenerated', [
    ['2026-03-10T08:00', 100],
    ['2026-03-10T09:00', 110],
    ['2026-03-10T10:00', 5],
    ['2026-03-10T11:00', 15],
  ]);
  // No reading for four hours across midnight: 40 kWh over 22:00–02:00.
  await readings(ids.gap, 'energyGenerated', [
    ['2026-03-12T21:00', 0],
    ['2026-03-12T22:00', 10],
    ['2026-03-13T02:00', 50],
    ['2026-03-13T03:00', 52],
  ]);
  await readings(ids.meter, 'energyImported', [
    ['2026-03-10T00:00', 500],
    ['2026-03-10T12:00', 530],
  ]);
  await readings(ids.meter, 'energyExported', [
    ['2026-03-10T00:00', 20],
    ['2026-03-10T12:00', 24],
  ]);
  // Not an energy counter: never summed.
  await readings(ids.meter, 'temperature', [
    ['2026-03-10T00:00', 30],
    ['2026-03-10T12:00', 35],
  ]);
});
afterAll(() => t?.close());

describe('energy from cumulative kWh counters', () => {
  it('sums a Bangkok calendar day, not a UTC one', async () => {
    const rows = await dailyEnergy(t.db, [ids.steady], '2026-03-09', '2026-03-11');
    expect(byDay(rows)).toEqual({ '2026-03-10': 24 });
  });

  it('counts a counter reset as counting again from zero, never as negative energy', async () => {
    const rows = await dailyEnergy(t.db, [ids.reset], '2026-03-10', '2026-03-10');
    expect(byDay(rows)).toEqual({ '2026-03-10': 10 + 5 + 10 });
  });

  it('spreads a gap across midnight over both days and loses nothing', async () => {
    const rows = await dailyEnergy(t.db, [ids.gap], '2026-03-12', '2026-03-13');
    expect(byDay(rows)).toEqual({ '2026-03-12': 10 + 20, '2026-03-13': 20 + 2 });
  });

  it('gives a range edge its share of an interval that starts before the range', async () => {
    const rows = await dailyEnergy(t.db, [ids.gap], '2026-03-13', '2026-03-13');
    expect(byDay(rows)).toEqual({ '2026-03-13': 22 });
    const before = await dailyEnergy(t.db, [ids.gap], '2026-03-12', '2026-03-12');
    expect(byDay(before)).toEqual({ '2026-03-12': 30 });
  });

  it('keeps quantities apart and ignores the ones that are not energy counters', async () => {
    const rows = await dailyEnergy(t.db, [ids.meter], '2026-03-10', '2026-03-10');
    expect(rows.map((r) => [r.quantity, r.kwh])).toEqual([
      ['energyExported', 4],
      ['energyImported', 30],
    ]);
  });

  it('returns nothing for no devices or a range without readings', async () => {
    expect(await dailyEnergy(t.db, [], '2026-03-10', '2026-03-10')).toEqual([]);
    expect(await dailyEnergy(t.db, [ids.steady], '2025-01-01', '2025-01-31')).toEqual([]);
  });
});
