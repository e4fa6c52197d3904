import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { TestBrowser, testPushService, verifyVapid } from '../../core/testing/push.ts';
import { complaintsModule } from './module.ts';
import { maxFollowers } from './push.ts';
import { anonymousFollowsPerHour } from './routes-push.ts';

let t: TestApp;
let service: Awaited<ReturnType<typeof testPushService>>;
/** Status per endpoint path; 201 for any other. */
const answers = new Map<string, number>();
beforeAll(async () => {
  service = await testPushService((path) => answers.get(path) ?? 201);
  t = await testApp({ modules: [complaintsModule], env: { PUSH_ALLOW_LOOPBACK: 'true' } });
});
afterAll(async () => {
  await t?.close();
  await service?.close();
});
beforeEach(async () => {
  await t.events.drain();
  service.received.length = 0;
  answers.clear();
});

let ip = 0;
const nextIp = () => `10.8.${Math.floor(++ip / 250)}.${ip % 250}`;
async function file(lang = 'th'): Promise<string> {
  const res = await t.json({
    method: 'POST',
    url: '/api/complaints/requests',
    payload: {
      category: 'road-damage',
      description: 'หลุมบนถนน',
      lat: 16.432,
      lon: 102.823,
      contact: { phone: '0812345678' },
    },
    headers: { 'accept-language': lang },
    remoteAddress: nextIp(),
  });
  expect(res.status).toBe(201);
  return res.body.reference;
}
function follow(reference: string, body: object, headers: Record<string, string> = {}) {
  return t.json({
    method: 'POST',
    url: `/api/complaints/requests/${reference}/push`,
    payload: body,
    headers,
    remoteAddress: nextIp(),
  });
}
async function move(reference: string, to: string, extra: object = {}) {
  const res = await t.json({
    method: 'POST',
    url: `/api/complaints/requests/${reference}/transitions`,
    headers: await t.signIn('admin'),
    payload: { to, public: true, ...extra },
  });
  expect(res.status).toBe(200);
}
const audits = async (reference: string) =>
  (
    await t.db.rows<{ action: string; detail: Record<string, unknown> }>(
      sql`SELECT action, detail FROM core_audit_log WHERE resource_id = ${reference}
        AND action LIKE 'complaints.push.%' ORDER BY id`,
    )
  ).map((a) => a.action);
const followers = async (reference: string) =>
  (
    await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_push_subscriptions s
      JOIN complaints_requests r ON r.id = s.request_id WHERE r.reference = ${reference}`)
  )[0].n;

describe('the VAPID public key', () => {
  it('is served, and is the pair kept under DATA_DIR', async () => {
    const res = await t.json({ method: 'GET', url: '/api/push/public-key' });
    expect(res.status).toBe(200);
    expect(res.body.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    const kept = JSON.parse(readFileSync(join(t.config.DATA_DIR, 'vapid.json'), 'utf8'));
    expect(kept.publicKey).toBe(res.body.publicKey);
  });
});

describe('following a complaint', () => {
  it('pushes each public status change, encrypted to the browser and signed with VAPID', async () => {
    const reference = await file();
    const browser = new TestBrowser();
    const endpoint = `${service.origin}/push/${reference}`;
    const first = await follow(reference, browser.subscription(endpoint), { 'accept-language': 'en' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ following: true });
    expect(await audits(reference)).toEqual(['complaints.push.subscribe']);

    await move(reference, 'accepted');
    await t.events.drain();
    expect(service.received).toHaveLength(1);
    const got = service.received[0];
    expect(got.path).toBe(`/push/${reference}`);
    expect(got.headers['content-encoding']).toBe('aes128gcm');
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(Number(got.headers.ttl)).toBe(3 * 24 * 3600);
    expect(got.headers.topic).toBe(reference);
    const { claims, publicKey } = verifyVapid(got.headers.authorization, service.origin);
    expect(claims.sub).toMatch(/^mailto:|^https:/);
    expect(publicKey).toBe((await t.json({ method: 'GET', url: '/api/push/public-key' })).body.publicKey);
    expect(JSON.parse(browser.decrypt(got.body))).toEqual({
      title: `You Pee · ${reference}`,
      body: 'Now: accepted',
      url: `/complaints/${reference}`,
      tag: reference,
      lang: 'en',
    });
    // Another browser's keys cannot open it.
    expect(() => new TestBrowser().decrypt(got.body)).toThrow();
  });

  it('writes in the language the browser subscribed in, and says only that a note came', async () => {
    const reference = await file();
    const browser = new TestBrowser();
    expect(
      (
        await follow(reference, browser.subscription(`${service.origin}/th/${reference}`), {
          'accept-language': 'th',
        })
      ).status,
    ).toBe(201);
    const note = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${reference}/notes`,
      headers: await t.signIn('admin'),
      payload: { note: 'ทีมช่างจะเข้าไปตรวจพรุ่งนี้ โทร 0812345678', public: true },
    });
    expect(note.status).toBe(201);
    await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${reference}/notes`,
      headers: await t.signIn('admin'),
      payload: { note: 'ภายใน', public: false },
    });
    await t.events.drain();
    expect(service.received).toHaveLength(1);
    const message = JSON.parse(browser.decrypt(service.received[0].body));
    expect(message.title).toBe(`ยูพี (อยู่พี่) · ${reference}`);
    expect(message.body).toBe('มีข้อความใหม่จากเจ้าหน้าที่');
    expect(JSON.stringify(message)).not.toContain('0812345678');
  });

  it('renews an existing subscription instead of adding a second one', async () => {
    const reference = await file();
    const browser = new TestBrowser();
    const sub = browser.subscription(`${service.origin}/renew/${reference}`);
    expect((await follow(reference, sub)).status).toBe(201);
    expect((await follow(reference, { ...sub, expirationTime: null })).status).toBe(200);
    expect(await followers(reference)).toBe(1);
    expect(await audits(reference)).toEqual(['complaints.push.subscribe', 'complaints.push.renew']);
  });

  it('drops a subscription the push service answers 404 or 410 for, and keeps the others', async () => {
    const reference = await file();
    for (const [path, status] of [
      [`/gone/${reference}`, 410],
      [`/missing/${reference}`, 404],
    ] as const) {
      answers.set(path, status);
      expect(
        (await follow(reference, new TestBrowser().subscription(`${service.origin}${path}`))).status,
      ).toBe(201);
    }
    const kept = new TestBrowser();
    await follow(reference, kept.subscription(`${service.origin}/kept/${reference}`));
    expect(await followers(reference)).toBe(3);
    await move(reference, 'accepted');
    await t.events.drain();
    expect(service.received).toHaveLength(3);
    expect(await followers(reference)).toBe(1);
    expect((await audits(reference)).filter((a) => a === 'complaints.push.expired')).toHaveLength(2);
    await move(reference, 'in_progress');
    await t.events.drain();
    expect(service.received.map((r) => r.path).slice(3)).toEqual([`/kept/${reference}`]);
  });

  it('retries a busy push service later without pushing twice to the others', async () => {
    const reference = await file();
    answers.set(`/busy/${reference}`, 503);
    const busy = new TestBrowser();
    await follow(reference, busy.subscription(`${service.origin}/busy/${reference}`));
    await follow(reference, new TestBrowser().subscription(`${service.origin}/fine/${reference}`));
    await move(reference, 'accepted');
    await t.events.drain();
    expect(service.received.map((r) => r.path).sort()).toEqual([`/busy/${reference}`, `/fine/${reference}`]);
    const pending = await t.db.rows<{ error: string }>(
      sql`SELECT last_error AS error FROM core_outbox WHERE delivered_at IS NULL AND type = 'complaints.notify'`,
    );
    expect(pending).toHaveLength(1);
    expect(pending[0].error).toContain('complaints.push');

    answers.delete(`/busy/${reference}`);
    await t.db.orm.execute(sql`UPDATE core_outbox SET available_at = now() WHERE delivered_at IS NULL`);
    await t.events.drain();
    expect(service.received.map((r) => r.path).slice(2)).toEqual([`/busy/${reference}`]);
    expect(JSON.parse(busy.decrypt(service.received[2].body)).body).toBe('สถานะใหม่: รับดำเนินการ');
    expect(await followers(reference)).toBe(2);
  });

  it('never fails or holds up the status change when the push service is unreachable', async () => {
    const reference = await file();
    const dead = await testPushService();
    await dead.close(); // nothing listens on its port any more
    await follow(reference, new TestBrowser().subscription(`${dead.origin}/push`));
    await move(reference, 'accepted');
    const now = await t.json({ method: 'GET', url: `/api/complaints/requests/${reference}` });
    expect(now.body.status).toBe('accepted');
    await t.events.drain();
    const [row] = await t.db.rows<{ error: string }>(
      sql`SELECT last_error AS error FROM core_outbox WHERE delivered_at IS NULL AND type = 'complaints.notify'`,
    );
    expect(row.error).toMatch(/not accepted yet/);
    // After the last attempt it is given up on, so the outbox does not carry it for ever.
    await t.db.orm.execute(
      sql`UPDATE core_outbox SET available_at = now(), attempts = 10 WHERE delivered_at IS NULL`,
    );
    await t.events.drain();
    const left = await t.db.rows(
      sql`SELECT 1 FROM core_outbox WHERE delivered_at IS NULL AND type = 'complaints.notify'`,
    );
    expect(left).toHaveLength(0);
  });

  it('unsubscribes with the endpoint, audited; a second time is 404', async () => {
    const reference = await file();
    const sub = new TestBrowser().subscription(`${service.origin}/bye/${reference}`);
    await follow(reference, sub);
    const del = () =>
      t.json({
        method: 'DELETE',
        url: `/api/complaints/requests/${reference}/push`,
        payload: { endpoint: sub.endpoint },
      });
    expect((await del()).status).toBe(204);
    expect(await followers(reference)).toBe(0);
    const again = await del();
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('complaints.push_not_found');
    expect(await audits(reference)).toEqual(['complaints.push.subscribe', 'complaints.push.unsubscribe']);
    await move(reference, 'accepted');
    await t.events.drain();
    expect(service.received).toHaveLength(0);
  });

  it('links a subscription made while signed in to the account', async () => {
    const reference = await file();
    const res = await follow(
      reference,
      new TestBrowser().subscription(`${service.origin}/mine/${reference}`),
      await t.signIn('citizen'),
    );
    expect(res.status).toBe(201);
    const [row] = await t.db.rows<{ email: string }>(sql`SELECT u.email FROM complaints_push_subscriptions s
      JOIN core_users u ON u.id = s.user_id WHERE s.endpoint = ${`${service.origin}/mine/${reference}`}`);
    expect(row.email).toBe('citizen@demo.local');
  });
});

describe('bad subscriptions', () => {
  let reference: string;
  beforeAll(async () => {
    reference = await file();
  });
  const good = () => new TestBrowser().subscription(`${service.origin}/bad`);

  it.each([
    ['a plain-http endpoint off loopback', { endpoint: 'http://push.example.org/x' }, 'push.endpoint'],
    ['a private address', { endpoint: 'https://10.1.2.3/push' }, 'push.endpoint'],
    ['a link-local address', { endpoint: 'https://169.254.169.254/latest' }, 'push.endpoint'],
    ['credentials in the endpoint', { endpoint: 'https://user:pw@push.example.org/x' }, 'push.endpoint'],
    ['a non-URL endpoint', { endpoint: 'https://' }, 'request.invalid'],
    ['a file: URL', { endpoint: 'file:///etc/passwd' }, 'request.invalid'],
  ])('refuses %s', async (_what, change, code) => {
    const res = await follow(reference, { ...good(), ...change });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  it('refuses keys of the wrong length or off the curve', async () => {
    const short = Buffer.alloc(64, 7).toString('base64url'); // 86 characters, one byte short
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
    const compressed = Buffer.concat([Buffer.from([2]), Buffer.alloc(64, 1)]).toString('base64url');
    for (const p256dh of [short, offCurve, compressed]) {
      const res = await follow(reference, { ...good(), keys: { ...good().keys, p256dh } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('push.bad_keys');
    }
    for (const keys of [
      { p256dh: good().keys.p256dh, auth: 'c2hvcnQ' },
      { p256dh: 'AAAA', auth: good().keys.auth },
      { p256dh: `${good().keys.p256dh}<script>`, auth: good().keys.auth },
      { p256dh: good().keys.p256dh },
    ]) {
      const res = await follow(reference, { ...good(), keys });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('request.invalid');
    }
    expect(await followers(reference)).toBe(0);
  });

  it('refuses a huge body, unknown fields and an unknown complaint', async () => {
    const huge = await follow(reference, { ...good(), endpoint: `${service.origin}/${'x'.repeat(10_000)}` });
    expect(huge.status).toBe(413);
    expect((await follow(reference, { ...good(), extra: 1 })).status).toBe(400);
    const missing = await follow('KK-2569-999999', good());
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('complaints.not_found');
    expect(await followers(reference)).toBe(0);
  });

  it(`lets at most ${maxFollowers} browsers follow one complaint`, async () => {
    const busy = await file();
    for (let i = 0; i < maxFollowers; i++)
      expect((await follow(busy, new TestBrowser().subscription(`${service.origin}/many/${i}`))).status).toBe(
        201,
      );
    const over = await follow(busy, new TestBrowser().subscription(`${service.origin}/many/over`));
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('complaints.push_limit');
    // An existing follower may still renew.
    expect((await follow(busy, new TestBrowser().subscription(`${service.origin}/many/0`))).status).toBe(200);
  });

  it('limits anonymous follows per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= anonymousFollowsPerHour; i++) {
      const res = await t.json({
        method: 'POST',
        url: `/api/complaints/requests/${reference}/push`,
        payload: { ...good(), endpoint: 'http://push.example.org/x' },
        remoteAddress: '10.7.7.7',
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, anonymousFollowsPerHour).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
