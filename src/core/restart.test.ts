import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPlatform } from '../server.ts';
import { loadConfig } from './config.ts';
import { scratchDatabase } from './testing/index.ts';

/**
 * Write, stop, start, read back — through HTTP, on the embedded database in a real data directory
 * (or on PostgreSQL when DATABASE_URL is set).
 */
describe('restart', () => {
  it('keeps what was written across a stop and start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mueang-restart-'));
    const scratch = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : null;
    const env = {
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DEMO: 'false',
      DATABASE_URL: scratch?.url ?? '',
    };
    const email = `restart-${Date.now()}@example.org`;
    const first = await startPlatform(loadConfig(env), { logger: false });
    const signup = await fetch(`${first.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'ผู้ทดสอบ', email, password: 'a long password', consent: true }),
    });
    expect(signup.status).toBe(201);
    await first.close();

    const second = await startPlatform(loadConfig(env), { logger: false });
    try {
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a long password' }),
      });
      expect(login.status).toBe(200);
      expect((await login.json()).displayName).toBe('ผู้ทดสอบ');
      const ready = await fetch(`${second.url}/readyz`);
      expect(await ready.json()).toMatchObject({ database: true, broker: true });
    } finally {
      await second.close();
      await scratch?.drop();
    }
  }, 120_000);
});
