import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db/index.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { DeviceRepository, type ReadingRow } from './repository.ts';
import { foldOnce, foldRollups } from './rollup-fold.ts';
import { chooseResolution, type Level, levelNames, levels, rollupSeries, targetPoints } from './rollups.ts';

let testDb: TestDb;
let db: Db;
let repo: DeviceRepository;
let officeId: string;

beforeAll(async () => {
  testDb = await freshDatabase([]);
  db = testDb.db;
  officeId = (await seedOrganisation(db)).get('engineering')!;
  repo = new DeviceRepository(db);
});
afterAll(() => testDb?.dispose());

let serial = 0;
async function newDevice(retention: { raw?: number | null; rollup?: number | null } = {}) {
  serial++;
  return db.transaction(async (tx) => {
    const profile = await repo.insertProfile(tx, {
      name: `profile ${serial}`,
      decoder: { kind: 'json' },
      quantities: [],
      entityType: 'Device',
      rawRetentionDays: retention.raw,
      rollupRetentionDays: retention.rollup,
    });
    const device = await repo.insertDevice(tx, {
      devEui: serial.toString(16).padStart(16, 'a'),
      name: `device ${serial}`,
      profileId: profile.id,
      officeId,
      lon: 102.835,
      lat: 16.425,
      zoneCode: null,
      installedOn: null,
      tags: [],
    });
    return { deviceId: device.id, profileId: profile.id };
  });
}

const insert = (rows: ReadingRow[]) => db.transaction((tx) => repo.insertReadings(tx, rows));

interface Stored {
  device_id: string;
  quantity: string;
  bucket: string;
  count: number;
  min: number;
  max: number;
  sum: number;
  last_value: number;
  last_at: string;
}
const rollupsOf = (level: Level, deviceIds: string[]) =>
  db.rows<Stored>(
    sql`SELECT device_id, quantity, to_json(bucket)#>>'{}' AS bucket, count::int AS count, min, max, sum,
        last_value, to_json(last_at)#>>'{}' AS last_at
      FROM ${levels[level].table}
      WHERE device_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(deviceIds)}::jsonb)::uuid)
      ORDER BY device_id, quantity, bucket`,
  );

const hour = 3600_000;
/** Bucket starts computed here, independently of SQL: UTC for 5 minutes and hours, Bangkok (UTC+7) days. */
const bucketOf: Record<Level, (ms: number) => number> = {
  '5m': (ms) => Math.floor(ms / 300_000) * 300_000,
  '1h': (ms) => Math.floor(ms / hour) * hour,
  '1d': (ms) => Math.floor((ms + 7 * hour) / (24 * hour)) * 24 * hour - 7 * hour,
};

/** The rollups recomputed from the raw readings that are stored. */
async function recomputed(level: Level, deviceIds: string[]) {
  const raw = await db.rows<{ device_id: string; quantity: string; ms: number; value: number }>(
    sql`SELECT device_id, quantity, (extract(epoch FROM observed_at) * 1000)::float8 AS ms, value FROM dev_readings
      WHERE device_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(deviceIds)}::jsonb)::uuid)`,
  );
  const groups = new Map<string, { device_id: string; quantity: string; bucket: number; rows: typeof raw }>();
  for (const r of raw) {
    const bucket = bucketOf[level](Math.round(r.ms));
    const key = `${r.device_id}|${r.quantity}|${bucket}`;
    const g = groups.get(key) ?? { device_id: r.device_id, quantity: r.quantity, bucket, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => {
      const last = g.rows.reduce((a, b) => (b.ms > a.ms ? b : a));
      return {
        device_id: g.device_id,
        quantity: g.quantity,
        bucket: g.bucket,
        count: g.rows.length,
        min: Math.min(...g.rows.map((r) => r.value)),
        max: Math.max(...g.rows.map((r) => r.value)),
        sum: g.rows.reduce((s, r) => s + r.value, 0),
        last_value: last.value,
        last_at: Math.round(last.ms),
      };
    })
    .sort((a, b) =>
      a.device_id !== b.device_id
        ? a.device_id < b.device_id
          ? -1
          : 1
        : a.quantity !== b.quantity
          ? a.quantity < b.quantity
            ? -1
            : 1
          : a.bucket - b.bucket,
    );
}

async function expectRollupsMatchRaw(deviceIds: string[]) {
  await foldRollups(db);
  for (const level of levelNames) {
    const stored = await rollupsOf(level, deviceIds);
    const expected = await recomputed(level, deviceIds);
    expect(stored.length, level).toBe(expected.length);
    expected.forEach((e, i) => {
      const s = stored[i];
      expect([s.device_id, s.quantity, Date.parse(s.bucket)], level).toEqual([
        e.device_id,
        e.quantity,
        e.bucket,
      ]);
      expect([s.count, s.min, s.max, s.last_value, Date.parse(s.last_at)], level).toEqual([
        e.count,
        e.min,
        e.max,
        e.last_value,
        e.last_at,
      ]);
      expect(s.sum).toBeCloseTo(e.sum, 6);
    });
  }
}

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('rollups', () => {
  it('equal a recomputation from raw readings for a random series with duplicates, out of order', async () => {
    const devices = [(await newDevice()).deviceId, (await newDevice()).deviceId];
    const rnd = random(20261125);
    const start = Date.parse('2026-11-23T15:00:00Z');
    const rows: ReadingRow[] = [];
    for (let i = 0; i < 800; i++) {
      const ms = start + Math.floor(rnd() * 3 * 24 * 3600) * 1000;
      rows.push({
        deviceId: devices[Math.floor(rnd() * 2)],
        observedAt: new Date(ms).toISOString(),
        quantity: rnd() < 0.5 ? 'pm25' : 'temperature',
        value: Math.round((rnd() * 200 - 50) * 100) / 100,
        fCnt: i,
      });
    }
    // Duplicates of earlier rows (same device, time and quantity, sometimes another value) mixed in.
    for (let i = 0; i < 200; i++) {
      const d = rows[Math.floor(rnd() * 800)];
      rows.push({ ...d, value: rnd() < 0.5 ? d.value : d.value + 1 });
    }
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    let inserted = 0;
    for (let i = 0; i < rows.length; ) {
      const size = 1 + Math.floor(rnd() * 120);
      inserted += (await insert(rows.slice(i, i + size))).count;
      i += size;
    }
    const [{ n }] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM dev_readings WHERE device_id IN (${devices[0]}::uuid, ${devices[1]}::uuid)`,
    );
    expect(inserted).toBe(n);
    expect(n).toBeLessThan(rows.length);
    await expectRollupsMatchRaw(devices);

    // A redelivered batch adds nothing.
    const before = await Promise.all(levelNames.map((l) => rollupsOf(l, devices)));
    expect((await insert(rows.slice(0, 300))).count).toBe(0);
    expect(await Promise.all(levelNames.map((l) => rollupsOf(l, devices)))).toEqual(before);
  });

  it('keeps the latest observed value as last when an older reading arrives later', async () => {
    const { deviceId } = await newDevice();
    const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 3, m)).toISOString();
    await insert([{ deviceId, observedAt: at(2), quantity: 'q', value: 2, fCnt: 2 }]);
    await insert([{ deviceId, observedAt: at(1), quantity: 'q', value: 1, fCnt: 1 }]);
    await foldRollups(db);
    for (const level of levelNames) {
      const [r] = await rollupsOf(level, [deviceId]);
      expect(r, level).toMatchObject({ count: 2, min: 1, max: 2, sum: 3, last_value: 2 });
      expect(Date.parse(r.last_at)).toBe(Date.parse(at(2)));
    }
  });

  it('cuts days at Bangkok midnight (17:00 UTC), and 5 minutes and hours in UTC', async () => {
    const { deviceId } = await newDevice();
    await insert([
      { deviceId, observedAt: '2026-11-24T16:59:59.999Z', quantity: 'q', value: 1, fCnt: 1 },
      { deviceId, observedAt: '2026-11-24T17:00:00.000Z', quantity: 'q', value: 2, fCnt: 2 },
      { deviceId, observedAt: '2026-11-25T16:59:59Z', quantity: 'q', value: 3, fCnt: 3 },
    ]);
    await foldRollups(db);
    const days = await rollupsOf('1d', [deviceId]);
    expect(days.map((d) => [Date.parse(d.bucket), d.count, d.sum])).toEqual([
      [Date.parse('2026-11-23T17:00:00Z'), 1, 1],
      [Date.parse('2026-11-24T17:00:00Z'), 2, 5],
    ]);
    const hours = await rollupsOf('1h', [deviceId]);
    expect(hours.map((h) => Date.parse(h.bucket))).toEqual(
      ['2026-11-24T16:00:00Z', '2026-11-24T17:00:00Z', '2026-11-25T16:00:00Z'].map(Date.parse),
    );
    const fives = await rollupsOf('5m', [deviceId]);
    expect(fives.map((h) => Date.parse(h.bucket))).toEqual(
      ['2026-11-24T16:55:00Z', '2026-11-24T17:00:00Z', '2026-11-25T16:55:00Z'].map(Date.parse),
    );
  });
});

describe('rollup fold', () => {
  const series = (deviceId: string, level: Level) =>
    rollupSeries(db, deviceId, level, {
      from: '2026-11-20T00:00:00Z',
      to: '2026-11-30T00:00:00Z',
      limit: 1000,
    });
  const dirty = async (deviceId: string) =>
    (
      await db.rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM dev_rollups_5m WHERE device_id = ${deviceId} AND dirty`,
      )
    )[0].n;

  it('writes only the 5-minute level per batch; reads fold what is pending, the fold stores it', async () => {
    const { deviceId } = await newDevice();
    await insert([
      { deviceId, observedAt: '2026-11-24T03:01:00Z', quantity: 'q', value: 1, fCnt: 1 },
      { deviceId, observedAt: '2026-11-24T03:12:00Z', quantity: 'q', value: 5, fCnt: 2 },
    ]);
    expect(await rollupsOf('5m', [deviceId])).toHaveLength(2);
    expect(await rollupsOf('1h', [deviceId])).toHaveLength(0);
    expect(await rollupsOf('1d', [deviceId])).toHaveLength(0);
    // Not folded yet, and still answered.
    const pendingHours = await series(deviceId, '1h');
    const pendingDays = await series(deviceId, '1d');
    expect(pendingHours).toMatchObject([
      { observedAt: '2026-11-24T03:00:00+00:00', count: 2, min: 1, max: 5, last: 5, value: 3 },
    ]);
    expect(pendingDays).toMatchObject([{ count: 2, min: 1, max: 5, last: 5 }]);
    expect(await foldRollups(db)).toBe(2);
    expect(await dirty(deviceId)).toBe(0);
    await expectRollupsMatchRaw([deviceId]);
    // Folded or not, the answers are the same.
    expect(await series(deviceId, '1h')).toEqual(pendingHours);
    expect(await series(deviceId, '1d')).toEqual(pendingDays);
    // Nothing to fold: a fold changes nothing.
    expect(await foldRollups(db)).toBe(0);
  });

  it('folds a late reading into an hour and a day already folded', async () => {
    const { deviceId } = await newDevice();
    await insert([{ deviceId, observedAt: '2026-11-24T03:01:00Z', quantity: 'q', value: 4, fCnt: 1 }]);
    await foldRollups(db);
    // Late: earlier in the same 5 minutes, and in another 5 minutes of the same hour and day.
    await insert([
      { deviceId, observedAt: '2026-11-24T03:00:30Z', quantity: 'q', value: 10, fCnt: 0 },
      { deviceId, observedAt: '2026-11-24T03:40:00Z', quantity: 'q', value: -2, fCnt: 2 },
    ]);
    const [hour] = await series(deviceId, '1h');
    expect(hour).toMatchObject({ count: 3, min: -2, max: 10, last: -2 });
    expect((await rollupsOf('1h', [deviceId]))[0].count).toBe(1);
    expect(await foldRollups(db)).toBe(2);
    await expectRollupsMatchRaw([deviceId]);
    expect((await series(deviceId, '1h'))[0]).toEqual(hour);
  });

  it('leaves everything to fold again when a fold does not commit (a crash), and limits a fold', async () => {
    const { deviceId } = await newDevice();
    const rows: ReadingRow[] = [];
    for (let i = 0; i < 30; i++)
      rows.push({
        deviceId,
        observedAt: new Date(Date.parse('2026-11-24T10:00:00Z') + i * 7 * 60_000).toISOString(),
        quantity: i % 2 ? 'a' : 'b',
        value: i,
        fCnt: i,
      });
    await insert(rows);
    const before = await dirty(deviceId);
    expect(before).toBeGreaterThan(10);
    const crash = new Error('crash');
    await expect(
      db.transaction(async (tx) => {
        expect(await foldOnce(db, tx)).toBe(before);
        throw crash;
      }),
    ).rejects.toBe(crash);
    expect(await dirty(deviceId)).toBe(before);
    expect(await rollupsOf('1h', [deviceId])).toHaveLength(0);
    // A new job (a restarted process) finds the work in the table; a small limit takes several folds.
    expect(await foldRollups(db, 7)).toBe(before);
    expect(await dirty(deviceId)).toBe(0);
    await expectRollupsMatchRaw([deviceId]);
  });
});

describe('auto resolution', () => {
  it('reads raw while a quantity has few readings, else the finest rollup with few enough buckets', () => {
    const day = 24 * hour;
    expect(chooseResolution(day, 144, true)).toBe('raw');
    expect(chooseResolution(day, targetPoints, true)).toBe('raw');
    expect(chooseResolution(day, targetPoints + 1, true)).toBe('5m');
    expect(chooseResolution(day, 10, false)).toBe('5m');
    expect(chooseResolution(7 * day, 10_000, true)).toBe('1h');
    expect(chooseResolution(90 * day, 100_000, true)).toBe('1d');
    expect(chooseResolution(3650 * day, 1e7, true)).toBe('1d');
  });
});
