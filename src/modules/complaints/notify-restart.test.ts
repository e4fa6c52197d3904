import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { scratchDatabase } from '../../core/testing/index.ts';
import { startPlatform } from '../../server.ts';

/**
 * A status change acknowledged with 2xx is notified even when the process dies before the email went
 * out: the notice waits in the outbox and the next start sends it, once.
 */
describe('complaint notices across a restart', () => {
  it('sends the queued notice after the restart, exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mueang-complaints-notify-'));
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
    let reference: string;
    try {
      // The dispatcher is stopped, as if the process died right after answering.
      await first.events.stop();
      const base = first.url;
      const res = await fetch(`${base}/api/complaints/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify({
          category: 'street-light',
          description: 'light out before the crash',
          lat: 16.44,
          lon: 102.85,
          contact: { email: 'restart-notice@example.org' },
        }),
      });
      expect(res.status).toBe(201);
      reference = (await res.json()).reference;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.local', password: 'mueang-demo' }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const csrf = (await login.json()).csrfToken;
      const moved = await fetch(`${base}/api/complaints/requests/${reference}/transitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify({ to: 'accepted', public: true }),
      });
      expect(moved.status).toBe(200);
    } finally {
      await first.close();
    }

    // An unreachable SMTP server for the start-up, so an early dispatch fails and retries rather than
    // finding email off and dropping the notice; the test's transport then takes over.
    const second = await startPlatform(loadConfig({ ...env, SMTP_URL: 'smtp://127.0.0.1:9' }), {
      logger: false,
      withoutBroker: true,
    });
    try {
      await second.events.stop();
      const sent: { to: { address: string }[]; subject: string }[] = [];
      const transport = nodemailer.createTransport({ jsonTransport: true });
      const send = transport.sendMail.bind(transport);
      transport.sendMail = (async (m: SendMailOptions) => {
        const info = await send(m);
        sent.push(JSON.parse(info.message as unknown as string));
        return info;
      }) as never;
      second.app.mail.setTransport(transport);
      // Skip the retry back-off the failed early attempt (if any) set.
      await second.db.orm.execute(
        sql`UPDATE core_outbox SET available_at = now() WHERE delivered_at IS NULL`,
      );
      await second.events.drain();
      await second.events.drain();
      const mine = sent.filter((m) => m.subject.includes(reference));
      expect(mine).toHaveLength(1);
      expect(mine[0].to.map((a) => a.address)).toEqual(['restart-notice@example.org']);
      expect(mine[0].subject).toBe(`[You Pee] ${reference}: now: accepted`);
    } finally {
      await second.close();
      await scratch?.drop();
    }
  }, 180_000);
});
