import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../core/db/index.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { DeviceRepository } from './repository.ts';

let testDb: TestDb;
let db: Db;
let officeId: string;

beforeAll(async () => {
  testDb = await freshDatabase([]);
  db = testDb.db;
  officeId = (await seedOrganisation(db)).get('engineering')!;
});
afterAll(() => testDb?.dispose());

it('keeps device lookups until the registry changes, in this process or another', async () => {
  const repo = new DeviceRepository(db);
  // Another process's writes: a repository of its own.
  const other = new DeviceRepository(db);
  const device = (eui: string, profileId: string, name: string) => ({
    devEui: eui,
    name,
    profileId,
    officeId,
    lon: 102.83,
    lat: 16.43,
    zoneCode: null,
    installedOn: null,
    tags: [],
  });
  const profile = await db.transaction((tx) =>
    other.insertProfile(tx, { name: 'p', decoder: { kind: 'json' }, quantities: [], entityType: 'Device' }),
  );
  const a = await db.transaction((tx) => other.insertDevice(tx, device('00000000000000a1', profile.id, 'A')));
  const version = async () =>
    (await db.rows<{ v: number }>(sql`SELECT count(*)::int AS v FROM dev_registry_changes`))[0].v;

  const first = await repo.ingestTargets(['00000000000000a1', '00000000000000b2']);
  expect(first.get('00000000000000a1')?.name).toBe('A');
  expect(first.has('00000000000000b2')).toBe(false);

  // Link state and health are written by every batch: they leave the lookups alone.
  const v = await version();
  await repo.updateLinks(db.orm, [
    { deviceId: a.id, seenAt: new Date().toISOString(), fCnt: 1, rssi: -80, snr: 5, battery: 90 },
  ]);
  expect(await version()).toBe(v);

  // A rename, a new device once unknown, and a profile change are seen at the next lookup.
  await db.transaction((tx) => other.updateDevice(tx, a.id, device('00000000000000a1', profile.id, 'A2')));
  await db.transaction((tx) => other.insertDevice(tx, device('00000000000000b2', profile.id, 'B')));
  const second = await repo.ingestTargets(['00000000000000a1', '00000000000000b2']);
  expect(second.get('00000000000000a1')?.name).toBe('A2');
  expect(second.get('00000000000000b2')?.name).toBe('B');
  await db.transaction((tx) =>
    other.updateProfile(tx, profile.id, {
      name: 'p',
      decoder: { kind: 'json' },
      quantities: [],
      entityType: 'AirQualityObserved',
    }),
  );
  expect((await repo.ingestTargets(['00000000000000b2'])).get('00000000000000b2')?.entityType).toBe(
    'AirQualityObserved',
  );
  await db.transaction((tx) => other.deleteDevice(tx, a.id));
  expect((await repo.ingestTargets(['00000000000000a1'])).has('00000000000000a1')).toBe(false);
});

// Two writers at once need two connections: PostgreSQL only (PGlite has one).
it.skipIf(!process.env.DATABASE_URL)(
  'sees a change that commits after a later one (ids are not taken in commit order)',
  async () => {
    const repo = new DeviceRepository(db);
    const other = new DeviceRepository(db);
    const profile = await db.transaction((tx) =>
      other.insertProfile(tx, { name: 'q', decoder: { kind: 'json' }, quantities: [], entityType: 'Device' }),
    );
    const point = { officeId, lon: 102.83, lat: 16.43, zoneCode: null, installedOn: null, tags: [] };
    const a = await db.transaction((tx) =>
      other.insertDevice(tx, { devEui: '00000000000000d4', name: 'D', profileId: profile.id, ...point }),
    );
    let release!: () => void;
    const hold = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => {
      inserted = r;
    });
    // The first writer takes its change's id, then waits before committing.
    const first = db.transaction(async (tx) => {
      await other.insertDevice(tx, {
        devEui: '00000000000000c3',
        name: 'C',
        profileId: profile.id,
        ...point,
      });
      inserted();
      await hold;
    });
    await didInsert;
    // A second writer takes a later id and commits first.
    await db.transaction((tx) =>
      other.updateDevice(tx, a.id, { name: 'D2', profileId: profile.id, ...point }),
    );
    expect((await repo.ingestTargets(['00000000000000c3'])).has('00000000000000c3')).toBe(false);
    release();
    await first;
    expect((await repo.ingestTargets(['00000000000000c3'])).get('00000000000000c3')?.name).toBe('C');
  },
);
