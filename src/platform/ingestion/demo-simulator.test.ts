import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import type { Db } from '../../core/db/index.ts';
import { scratchDatabase } from '../../core/testing/index.ts';
import { startPlatform } from '../../server.ts';

const count = async (db: Db, table: 'dev_readings' | 'dev_dead_letters' | 'dev_device_events') =>
  (await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))[0].n;

async function until(check: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('the condition did not come true');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `npm start` with demo data: the simulator on makes readings arrive; off, none arrive. */
describe('demo simulator in the platform', () => {
  it('publishes into the running platform when on, and nothing when off', async () => {
    const scratch = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : null;
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mueang-demo-sim-')),
      PORT: '0',
      MQTT_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DEMO: 'true',
      DATABASE_URL: scratch?.url ?? '',
      DEMO_SIMULATOR_INTERVAL: '300ms',
    };
    try {
      // Off by config (and by default inside tests): no simulator, no new readings.
      const off = await startPlatform(loadConfig({ ...env, DEMO_SIMULATOR: 'false' }), { logger: false });
      try {
        expect(off.simulator).toBeNull();
        const before = await count(off.db, 'dev_readings');
        expect(before).toBeGreaterThan(0); // the demo seed's day of readings
        await new Promise((r) => setTimeout(r, 1500));
        await off.ingest!.drain();
        expect(await count(off.db, 'dev_readings')).toBe(before);
        expect(off.ingest!.stats.received).toBe(0);
      } finally {
        await off.close();
      }

      const on = await startPlatform(loadConfig({ ...env, DEMO_SIMULATOR: 'true' }), { logger: false });
      let closed = false;
      try {
        expect(on.simulator).not.toBeNull();
        expect(on.simulator!.devices).toBeGreaterThanOrEqual(5);
        const before = await count(on.db, 'dev_readings');
        await until(async () => (await count(on.db, 'dev_readings')) > before, 60_000);
        const gateways = await on.db.rows<{ id: string }>(
          sql`SELECT gateway_id AS id FROM dev_gateways WHERE gateway_id LIKE 'a84041ffff00000%'`,
        );
        expect(gateways.length).toBeGreaterThanOrEqual(1);
        await on.close();
        closed = true;
        // Stopped with the platform: its timers are gone, so nothing more is sent.
        const sent = on.simulator!.stats.sent;
        expect(sent).toBeGreaterThan(0);
        expect(on.ingest!.stats.received).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, 1000));
        expect(on.simulator!.stats.sent).toBe(sent);
      } finally {
        if (!closed) await on.close();
      }
    } finally {
      await scratch?.drop();
    }
  }, 240_000);
});
