import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db/index.ts';
import { Events } from '../../core/events/outbox.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { HealthSweep, judge } from './health.ts';
import { DeviceRepository } from './repository.ts';

let testDb: TestDb;
let db: Db;
let events: Events;
let seenId: string;
let neverId: string;
let fastId: string;
let now = new Date('2026-11-25T00:00:00Z');
const log = pino({ level: 'silent' });

beforeAll(async () => {
  testDb = await freshDatabase([]);
  db = testDb.db;
  events = new Events(db, log);
  const offices = await seedOrganisation(db);
  const repo = new DeviceRepository(db);
  await db.transaction(async (tx) => {
    const p = await repo.insertProfile(tx, {
      name: 'p',
      decoder: { kind: 'json' },
      quantities: [],
      entityType: 'Device',
    });
    await tx.execute(sql`UPDATE dev_profiles SET expected_interval_s = 600 WHERE id = ${p.id}`);
    const base = {
      officeId: offices.get('engineering')!,
      profileId: p.id,
      zoneCode: null,
      installedOn: '2026-11-01',
      tags: [],
      lon: 102.8,
      lat: 16.4,
    };
    seenId = (await repo.insertDevice(tx, { ...base, devEui: '00000000000000a1', name: 'seen' })).id;
    neverId = (await repo.insertDevice(tx, { ...base, devEui: '00000000000000a2', name: 'never' })).id;
    fastId = (await repo.insertDevice(tx, { ...base, devEui: '00000000000000a3', name: 'fast' })).id;
    // A device's own interval overrides its profile's.
    await tx.execute(sql`UPDATE dev_devices SET expected_interval_s = 60 WHERE id = ${fastId}`);
    await tx.execute(
      sql`UPDATE dev_devices SET last_seen_at = ${now.toISOString()}::timestamptz WHERE id IN (${seenId}, ${fastId})`,
    );
  });
}, 60_000);
afterAll(async () => {
  await events.stop();
  await testDb?.dispose();
});

const changes = () =>
  db.rows<{ deviceId: string; from: string; to: string }>(
    sql`SELECT payload->>'deviceId' AS "deviceId", payload->>'from' AS "from", payload->>'to' AS "to"
      FROM core_outbox WHERE type = 'device.health_changed' ORDER BY created_at, id`,
  );
const health = async (id: string) =>
  (await db.rows<{ health: string }>(sql`SELECT health FROM dev_devices WHERE id = ${id}`))[0].health;

describe('judge', () => {
  it('is online, late at 2 intervals, offline at 6, offline when never seen', () => {
    const at = (s: number) =>
      judge(
        { lastSeenAt: '2026-11-25T00:00:00Z', intervalS: 100 },
        new Date(Date.parse('2026-11-25T00:00:00Z') + s * 1000),
      );
    expect([at(0), at(199), at(200), at(599), at(600)]).toEqual([
      'online',
      'online',
      'late',
      'late',
      'offline',
    ]);
    expect(judge({ lastSeenAt: null, intervalS: 100 }, new Date())).toBe('offline');
  });
});

describe('health sweep on a controlled clock', () => {
  const sweep = () => new HealthSweep(db, events, log, 60_000, () => now);

  it('sets health and emits one event per change, none when nothing changed', async () => {
    expect(await sweep().sweep()).toBe(2);
    expect(await health(seenId)).toBe('online');
    expect(await health(fastId)).toBe('online');
    expect(await health(neverId)).toBe('offline');
    expect(await changes()).toHaveLength(2);
    // Nothing moved: no new events.
    expect(await sweep().sweep()).toBe(0);
    expect(await changes()).toHaveLength(2);
  });

  it('moves through late to offline as the clock runs, each change once', async () => {
    now = new Date(Date.parse('2026-11-25T00:00:00Z') + 120_000); // fast: 2 of its 60 s intervals
    expect(await sweep().sweep()).toBe(1);
    expect(await health(fastId)).toBe('late');
    now = new Date(Date.parse('2026-11-25T00:00:00Z') + 1200_000); // seen: 2 × 600 s; fast: 20 × 60 s
    const s = sweep();
    // Two sweeps at once report each change once.
    const [a, b] = await Promise.all([s.sweep(), s.sweep()]);
    expect(a + (a === b ? 0 : b)).toBe(2);
    expect(await health(seenId)).toBe('late');
    expect(await health(fastId)).toBe('offline');
    const log = await changes();
    // One transaction's events share a time; their order among themselves is not defined.
    const byDevice = (x: { deviceId: string }, y: { deviceId: string }) => (x.deviceId < y.deviceId ? -1 : 1);
    expect(log[2]).toEqual({ deviceId: fastId, from: 'online', to: 'late' });
    expect(log.slice(3).sort(byDevice)).toEqual(
      [
        { deviceId: seenId, from: 'online', to: 'late' },
        { deviceId: fastId, from: 'late', to: 'offline' },
      ].sort(byDevice),
    );
  });

  it('comes back online when the device reports again; the timer stops', async () => {
    await db.orm.execute(
      sql`UPDATE dev_devices SET last_seen_at = ${now.toISOString()}::timestamptz WHERE id = ${fastId}`,
    );
    const s = sweep();
    s.start();
    expect(await s.sweep()).toBe(1);
    await s.stop();
    expect(await health(fastId)).toBe('online');
    expect((await changes()).at(-1)).toEqual({ deviceId: fastId, from: 'offline', to: 'online' });
  });
});
