import { createServer, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { NotificationDispatcher, notificationDispatcher } from './dispatch.ts';
import { endpointRefusal, hostListed, parseNotifyAllow } from './endpoint-policy.ts';
import { activeContext } from './jsonld.ts';
import { Notifier } from './notify.ts';
import { contextService } from './service.ts';
import { readSubscription } from './subscriptions.ts';

const log = pino({ level: 'silent' });
const base = '/ngsi-ld/v1';

describe('NGSI_LD_NOTIFY_ALLOW', () => {
  it('reads any, public and host lists; refuses nonsense', () => {
    expect(loadConfig({}).NGSI_LD_NOTIFY_ALLOW).toBe('any');
    expect(parseNotifyAllow('any')).toEqual({ kind: 'any' });
    expect(parseNotifyAllow('public')).toEqual({ kind: 'public' });
    expect(parseNotifyAllow('Hooks.Example.org,*.khonkaen.go.th,[::1]')).toEqual({
      kind: 'hosts',
      hosts: ['hooks.example.org', '*.khonkaen.go.th', '::1'],
    });
    for (const bad of ['a b', 'http://x', "x'; DROP TABLE y; --", 'a,,b'])
      expect(() => loadConfig({ NGSI_LD_NOTIFY_ALLOW: bad })).toThrow(/NGSI_LD_NOTIFY_ALLOW/);
  });

  it('matches hosts exactly or by *.domain, never by a look-alike suffix', () => {
    const hosts = ['hooks.example.org', '*.khonkaen.go.th'];
    expect(hostListed(hosts, 'hooks.example.org')).toBe(true);
    expect(hostListed(hosts, 'khonkaen.go.th')).toBe(true);
    expect(hostListed(hosts, 'data.khonkaen.go.th')).toBe(true);
    expect(hostListed(hosts, 'evilkhonkaen.go.th')).toBe(false);
    expect(hostListed(hosts, 'hooks.example.org.evil.com')).toBe(false);
    expect(hostListed(hosts, 'example.org')).toBe(false);
  });

  it('refuses private, loopback and mapped addresses and names resolving to them under public', async () => {
    const pub = { kind: 'public' } as const;
    for (const uri of [
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:10.0.0.1]/hook',
      'mqtt://172.16.0.5/city/notify',
      'http://localhost:3000/hook',
    ])
      expect(await endpointRefusal(pub, uri), uri).toMatch(/public/);
    expect(await endpointRefusal(pub, 'https://1.1.1.1/hook')).toBeNull();
    expect(await endpointRefusal({ kind: 'any' }, 'http://127.0.0.1/hook')).toBeNull();
    const list = parseNotifyAllow('localhost');
    expect(await endpointRefusal(list, 'http://localhost:9/x')).toBeNull();
    expect(await endpointRefusal(list, 'http://127.0.0.1:9/x')).toMatch(/not an allowed notification host/);
  });
});

describe('subscriptions under NGSI_LD_NOTIFY_ALLOW', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  let listener: Server;
  let listenerUrl: string;
  let hits = 0;

  beforeAll(async () => {
    t = await testApp({ env: { NGSI_LD_NOTIFY_ALLOW: 'public' } });
    staff = await t.tokenFor('officer');
    listener = createServer((_req, res) => {
      hits++;
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
    listenerUrl = `http://127.0.0.1:${(listener.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => listener?.close(r));
  });

  const sub = (id: string, uri: string) => ({
    id,
    type: 'Subscription',
    entities: [{ type: 'AirQualityObserved' }],
    notification: { endpoint: { uri } },
  });
  const call = (method: 'POST' | 'PATCH', url: string, payload: object) =>
    t.json({ method, url: `${base}${url}`, headers: staff, payload });

  it('refuses a private endpoint on create and on update, and stores nothing', async () => {
    for (const uri of [`${listenerUrl}/hook`, 'http://localhost/hook', 'mqtt://10.0.0.1/city']) {
      const res = await call('POST', '/subscriptions', sub('urn:ngsi-ld:Subscription:private', uri));
      expect(res.status, uri).toBe(400);
      expect(res.body.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
      expect(res.body.detail).toMatch(/not allowed/);
    }
    expect(await t.db.rows(sql`SELECT id FROM ctx_subscriptions`)).toEqual([]);
    const ok = await call(
      'POST',
      '/subscriptions',
      sub('urn:ngsi-ld:Subscription:public', 'https://1.1.1.1/hook'),
    );
    expect(ok.status).toBe(201);
    const patched = await call('PATCH', '/subscriptions/urn:ngsi-ld:Subscription:public', {
      notification: { endpoint: { uri: 'http://192.168.0.10/hook' } },
    });
    expect(patched.status).toBe(400);
    const [row] = await t.db.rows<{ uri: string }>(
      sql`SELECT body->'notification'->'endpoint'->>'uri' AS uri FROM ctx_subscriptions`,
    );
    expect(row.uri).toBe('https://1.1.1.1/hook');
  });

  it('checks again at delivery: a private endpoint stored earlier is not contacted, and the failure shows', async () => {
    const service = contextService(t.db);
    const body = readSubscription(
      sub('urn:ngsi-ld:Subscription:older', `${listenerUrl}/older`),
      activeContext(undefined),
      {
        now: new Date(),
      },
    );
    await t.db.transaction((tx) => service.repo.insertSubscription(tx, '', body, undefined));
    await t.db.orm.execute(sql`DELETE FROM ctx_subscriptions WHERE id <> ${body.id}`);
    const entity = {
      id: 'urn:ngsi-ld:AirQualityObserved:policy-1',
      type: 'AirQualityObserved',
      no2: { type: 'Property', value: 1 },
    };
    const created = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: staff,
      payload: entity,
    });
    expect(created.status).toBe(201);
    expect(await notificationDispatcher(t.db)!.drain()).toBe(1);
    expect(hits).toBe(0);
    const [row] = await t.db.rows<{ reason: string; failed: number }>(
      sql`SELECT last_failure_reason AS reason, times_failed::int AS failed FROM ctx_subscriptions`,
    );
    expect(row).toEqual({
      reason: expect.stringMatching(/not allowed: 127\.0\.0\.1 is not a public/),
      failed: 1,
    });
    // The same queued notification, delivered under `any`, reaches the endpoint: the refusal was the policy.
    await t.db.orm.execute(sql`UPDATE ctx_notifications SET available_at = now()`);
    const notifier = new Notifier(service.repo, log, null, undefined, { kind: 'any' });
    expect(await new NotificationDispatcher(t.db, (q) => notifier.deliver(q), log).drain()).toBe(1);
    await notifier.close();
    expect(hits).toBe(1);
  });
});
