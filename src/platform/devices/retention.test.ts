import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db/index.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { DeviceRepository, type ReadingRow } from './repository.ts';
import { applyRetention } from './retention.ts';
import { foldRollups } from './rollup-fold.ts';

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

async function newDevice(n: number, raw: number | null, rollup: number | null) {
  return db.transaction(async (tx) => {
    const profile = await repo.insertProfile(tx, {
      name: `retention ${n}`,
      decoder: { kind: 'json' },
      quantities: [],
      entityType: 'Device',
      rawRetentionDays: raw,
      rollupRetentionDays: rollup,
    });
    const device = await repo.insertDevice(tx, {
      devEui: `b${n}`.padStart(16, '0'),
      name: `device ${n}`,
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

const reading = (deviceId: string, observedAt: string, value = 1): ReadingRow => ({
  deviceId,
  observedAt,
  quantity: 'q',
  value,
  fCnt: null,
});
const count = async (table: string, deviceId: string) =>
  (
    await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE device_id = ${deviceId}`,
    )
  )[0].n;
const partitions = async () =>
  (
    await db.rows<{ name: string }>(
      sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'dev_readings'::regclass ORDER BY 1`,
    )
  ).map((r) => r.name);

describe('retention', () => {
  it('removes old raw readings per profile, drops emptied or expired months, and keeps the rollups', async () => {
    const now = new Date('2026-11-25T05:00:00Z');
    await db.orm.execute(
      sql`SELECT dev_ensure_readings_partition('2024-03-01'), dev_ensure_readings_partition('2024-04-01')`,
    );
    const short = await newDevice(1, 30, 1830);
    const forever = await newDevice(2, null, null);
    const recent = new Date(now.getTime() - 5 * 86_400_000).toISOString();
    await db.transaction((tx) =>
      repo.insertReadings(tx, [
        reading(short.deviceId, '2024-03-15T00:00:00Z'),
        reading(short.deviceId, '2024-04-15T00:00:00Z'),
        reading(short.deviceId, recent),
        // Past every retention, in the DEFAULT partition (no month partition for 2019).
        reading(short.deviceId, '2019-06-01T00:00:00Z'),
        reading(forever.deviceId, '2024-04-10T00:00:00Z'),
        reading(forever.deviceId, '2019-06-01T00:00:00Z'),
      ]),
    );
    await foldRollups(db);
    expect(await count('dev_rollups_1d', short.deviceId)).toBe(4);

    const first = await applyRetention(db, now);
    // A profile keeps raw forever, so no month is dropped unseen; 2024-03 is dropped once emptied.
    expect(first.deletedReadings).toBe(3);
    expect(first.droppedPartitions).toEqual(['dev_readings_2024_03']);
    expect(await partitions()).toContain('dev_readings_2024_04');
    expect(await count('dev_readings', short.deviceId)).toBe(1);
    expect(await count('dev_readings', forever.deviceId)).toBe(2);
    // Rollups outlive raw readings; the 2019 bucket is past the 1830-day rollup retention.
    for (const level of ['5m', '1h', '1d'])
      expect(await count(`dev_rollups_${level}`, short.deviceId), level).toBe(3);
    expect(await count('dev_rollups_1d', forever.deviceId)).toBe(2);

    // Once no profile keeps raw readings that long, an expired month goes whole (the one row deleted
    // is the 2019 one in DEFAULT).
    await db.orm.execute(
      sql`UPDATE dev_profiles SET raw_retention_days = 365 WHERE id = ${forever.profileId}`,
    );
    const second = await applyRetention(db, now);
    expect(second.droppedPartitions).toEqual(['dev_readings_2024_04']);
    expect(second.deletedReadings).toBe(1);
    expect(await count('dev_readings', forever.deviceId)).toBe(0);
    expect(await count('dev_readings', short.deviceId)).toBe(1);
    expect(await count('dev_rollups_1d', forever.deviceId)).toBe(2);
    expect(await partitions()).not.toContain('dev_readings_2024_04');

    // Nothing left to do: a second run changes nothing.
    expect(await applyRetention(db, now)).toEqual({
      droppedPartitions: [],
      deletedReadings: 0,
      deletedBuckets: 0,
    });
  });
});
