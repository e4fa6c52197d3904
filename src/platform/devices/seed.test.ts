import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, restore } from '../../core/db/backup.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { contextService } from '../context/service.ts';
import { DeviceRepository } from './repository.ts';
import { seedDevices } from './seed.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase([]);
});
afterAll(() => t?.dispose());

describe('demo sensor network', () => {
  it('seeds synthetic, labelled devices inside the municipality with a day of readings and entities, once', async () => {
    const offices = await seedOrganisation(t.db);
    await seedDevices(t.db, offices);
    await seedDevices(t.db, offices);
    const devices = await t.db.rows<{
      name: string;
      synthetic: boolean;
      zone: string | null;
      readings: number;
    }>(
      sql`SELECT d.name, d.synthetic, d.zone_code AS zone,
          (SELECT count(*)::int FROM dev_readings r WHERE r.device_id = d.id) AS readings
        FROM dev_devices d ORDER BY d.dev_eui`,
    );
    expect(devices).toHaveLength(5);
    for (const d of devices) {
      expect(d.synthetic).toBe(true);
      expect(d.name).toContain('(synthetic)');
      expect(d.zone).toBeTruthy();
      expect(d.readings).toBeGreaterThanOrEqual(48);
    }
    const [profiles] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM dev_profiles WHERE synthetic`,
    );
    expect(profiles.n).toBe(2);
    const entity = await contextService(t.db).get('', 'urn:ngsi-ld:WaterObserved:a84041000000d001');
    expect(Object.keys(entity.attrs).some((k) => k.endsWith('waterLevel'))).toBe(true);
  });

  it('survives a backup and restore: devices, partitioned readings and raw dead-letter bytes', async () => {
    await t.db.transaction((tx) =>
      new DeviceRepository(t.db).insertDeadLetters(tx, [
        {
          topic: 'application/1/device/x/event/up',
          payload: Buffer.from([0, 255, 10]),
          reason: 'unparseable',
          detail: null,
          devEui: null,
        },
      ]),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'mueang-devices-')), 'backup.jsonl.gz');
    await backup(t.db, file);
    const copy = await freshDatabase([]);
    try {
      await restore(copy.db, file);
      const count = (db: typeof t.db) =>
        db.rows<{ devices: number; readings: number; payload: string }>(
          sql`SELECT (SELECT count(*)::int FROM dev_devices) AS devices, (SELECT count(*)::int FROM dev_readings) AS readings,
            (SELECT encode(payload, 'hex') FROM dev_dead_letters LIMIT 1) AS payload`,
        );
      const [restored] = await count(copy.db);
      expect(restored).toEqual((await count(t.db))[0]);
      expect(restored.payload).toBe('00ff0a');
      expect(restored.readings).toBeGreaterThan(0);
    } finally {
      await copy.dispose();
    }
  });
});
