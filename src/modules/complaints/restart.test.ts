import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { scratchDatabase } from '../../core/testing/index.ts';
import { startPlatform } from '../../server.ts';

/** A complaint acknowledged with 201 is on disk: stop the platform, start it again, read it back. */
describe('complaints across a restart', () => {
  it('keeps a 201-acknowledged complaint, its contact and its events', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mueang-complaints-restart-'));
    const scratch = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : null;
    const env = {
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DEMO: 'true',
      DATABASE_URL: scratch?.url ?? '',
    };
    const first = await startPlatform(loadConfig(env), { logger: false, withoutBroker: true });
    const filed = await fetch(`${first.url}/api/complaints/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'street-light',
        description: 'ไฟดับก่อนรีสตาร์ท',
        lat: 16.44,
        lon: 102.85,
        contact: { email: 'restart@example.org' },
      }),
    });
    expect(filed.status).toBe(201);
    const { reference } = await filed.json();
    await first.close();

    const second = await startPlatform(loadConfig(env), { logger: false, withoutBroker: true });
    try {
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.local', password: 'mueang-demo' }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const read = await fetch(`${second.url}/api/complaints/requests/${reference}`, { headers: { cookie } });
      expect(read.status).toBe(200);
      const body = await read.json();
      expect(body).toMatchObject({ reference, description: 'ไฟดับก่อนรีสตาร์ท', status: 'received' });
      expect(body.contact.email).toBe('restart@example.org');
      expect(body.events).toHaveLength(1);
    } finally {
      await second.close();
      await scratch?.drop();
    }
  }, 120_000);
});
