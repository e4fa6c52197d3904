import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import type { RuleAlert } from './service.ts';
import { verify } from './signing.ts';
import { maxAttempts } from './webhooks.ts';

let t: TestApp;
let base: string;
let office: { clerk: string; finance: string };
beforeAll(async () => {
  t = await testApp({ modules: [], env: { ALERT_WEBHOOK_ALLOW_PRIVATE: 'true' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const rows = await t.db.rows<{ id: string; code: string }>(
    sql`SELECT id, code FROM core_offices WHERE code IN ('clerk', 'finance')`,
  );
  office = Object.fromEntries(rows.map((r) => [r.code, r.id])) as typeof office;
});
afterAll(() => t?.close());

let n = 0;
const ruleAlert = (officeId: string | null, over: Partial<RuleAlert> = {}): RuleAlert => ({
  ruleId: `test-rule-${++n}`,
  subject: `device:wl-${n}`,
  officeId,
  category: 'met',
  urgency: 'immediate',
  severity: 'severe',
  certainty: 'observed',
  event: { th: 'ระดับน้ำสูง', en: 'High water' },
  headline: { th: `ระดับน้ำเกินเส้นเตือนภัย ${n}`, en: `Water above the warning line ${n}` },
  ...over,
});

/** Reads SSE frames from a live stream until `until` holds. */
async function sse(headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/alerts/stream`, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: { id?: string; event?: string; data?: Record<string, unknown> }[] = [];
  let buffer = '';
  return {
    res,
    frames,
    async until(pred: () => boolean) {
      while (!pred()) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const f: (typeof frames)[number] = {};
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) f.id = line.slice(4);
            else if (line.startsWith('event: ')) f.event = line.slice(7);
            else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6));
          }
          if (f.event) frames.push(f);
          cut = buffer.indexOf('\n\n');
        }
      }
    },
    close: () => controller.abort(),
  };
}

describe('live stream (SSE)', () => {
  it('refuses the anonymous and citizens', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/alerts/stream' })).statusCode).toBe(401);
    const citizen = await t.tokenFor('citizen');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/alerts/stream', headers: citizen })).statusCode,
    ).toBe(403);
    const plain = await t.app.inject({
      method: 'GET',
      url: '/api/alerts/stream',
      headers: await t.tokenFor('admin'),
    });
    expect(plain.statusCode).toBe(406);
  });

  it('delivers a raised alert to staff of its office and not to another office', async () => {
    const clerk = await sse(await t.tokenFor('officer'));
    const admin = await sse(await t.tokenFor('admin'));
    expect(clerk.res.headers.get('content-type')).toContain('text/event-stream');
    // Finance's alert goes first: by the time the clerk sees their own, finance's was already sent.
    const { alert: other } = await t.app.alerts.raiseFromRule(ruleAlert(office.finance));
    const { alert: mine } = await t.app.alerts.raiseFromRule(ruleAlert(office.clerk));
    await t.events.drain();
    await clerk.until(() => clerk.frames.some((f) => f.data?.alertId === mine.id));
    await admin.until(() => admin.frames.some((f) => f.data?.alertId === mine.id));
    expect(clerk.frames.map((f) => f.data?.alertId)).not.toContain(other.id);
    expect(admin.frames.map((f) => f.data?.alertId)).toContain(other.id);
    const frame = clerk.frames.find((f) => f.data?.alertId === mine.id)!;
    expect(frame.event).toBe('alert.raised');
    expect(frame.data).toMatchObject({ officeId: office.clerk, status: 'raised', severity: 'severe' });
    clerk.close();
    admin.close();
  });

  it('resumes after Last-Event-ID with what was missed, scoped the same way', async () => {
    const [{ last }] = await t.db.rows<{ last: string }>(
      sql`SELECT coalesce(max(id), 0)::text AS last FROM core_outbox`,
    );
    const { alert: other } = await t.app.alerts.raiseFromRule(ruleAlert(office.finance));
    const { alert: mine } = await t.app.alerts.raiseFromRule(ruleAlert(office.clerk));
    const clerk = await sse({ ...(await t.tokenFor('officer')), 'last-event-id': last });
    await clerk.until(() => clerk.frames.some((f) => f.data?.alertId === mine.id));
    expect(clerk.frames.map((f) => f.data?.alertId)).not.toContain(other.id);
    clerk.close();
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/alerts/stream',
      headers: { ...(await t.tokenFor('officer')), 'last-event-id': '1; DROP TABLE core_outbox; --' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
/** A local receiver that answers with the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]) {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(got.length - 1, statuses.length - 1)];
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => server.close(),
  };
}

const admin = () => t.tokenFor('admin');
async function register(url: string, over: Record<string, unknown> = {}) {
  const res = await t.json({
    method: 'POST',
    url: '/api/alerts/webhooks',
    headers: await admin(),
    payload: { name: 'Receiver', url, events: ['alert.raised'], ...over },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}
const deliveries = async (id: string) =>
  (
    await t.json({
      method: 'GET',
      url: `/api/alerts/webhooks/${id}/deliveries`,
      headers: await t.tokenFor('officer'),
    })
  ).body as { status: string; attempts: number; lastStatus: number | null; lastError: string | null }[];
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const disable = async (id: string) =>
  t.json({
    method: 'PATCH',
    url: `/api/alerts/webhooks/${id}`,
    headers: await admin(),
    payload: { enabled: false },
  });

describe('webhooks', () => {
  it('signs each delivery so the receiver can verify it, and audits the registration', async () => {
    const rx = await receiver([204]);
    const hook = await register(rx.url);
    expect(hook.secret).toMatch(/^whsec_/);
    const list = await t.json({ method: 'GET', url: '/api/alerts/webhooks', headers: await admin() });
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
    const { alert } = await t.app.alerts.raiseFromRule(ruleAlert(office.clerk));
    await t.events.drain();
    expect(await t.app.alertDelivery.webhooks.runDue()).toBeGreaterThan(0);
    const mine = rx.got.find((r) => JSON.parse(r.body).data.alertId === alert.id)!;
    expect(mine.headers['webhook-id']).toMatch(/^msg_\d+$/);
    expect(verify(hook.secret, mine.headers as never, mine.body)).toBe(true);
    expect(verify(hook.secret, mine.headers as never, mine.body.replace('severe', 'minor'))).toBe(false);
    expect(JSON.parse(mine.body)).toMatchObject({ type: 'alert.raised', data: { alertId: alert.id } });
    expect((await deliveries(hook.id)).some((d) => d.status === 'delivered' && d.lastStatus === 204)).toBe(
      true,
    );
    const audited = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'alerts.webhook.create' AND resource_id = ${hook.id}`,
    );
    expect(audited).toHaveLength(1);
    await disable(hook.id);
    rx.close();
  });

  it('retries after a 500 and stops after the last attempt', async () => {
    const rx = await receiver([500, 200]);
    const hook = await register(rx.url, { secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    await t.app.alerts.raiseFromRule(ruleAlert(office.clerk));
    await t.events.drain();
    await t.app.alertDelivery.webhooks.runDue();
    let [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
    // Not due yet: nothing is sent again right away.
    const before = rx.got.length;
    await t.app.alertDelivery.webhooks.runDue();
    expect(rx.got.length).toBe(before);
    await t.app.alertDelivery.webhooks.runDue(later(1));
    [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });
    expect(rx.got[0].headers['webhook-id']).toBe(rx.got[1].headers['webhook-id']);
    await disable(hook.id);
    rx.close();

    const down = await receiver([503]);
    const failing = await register(down.url);
    await t.app.alerts.raiseFromRule(ruleAlert(office.clerk));
    await t.events.drain();
    for (let i = 0; i < maxAttempts + 3; i++) await t.app.alertDelivery.webhooks.runDue(later(i * 24 * 60));
    [d] = await deliveries(failing.id);
    expect(d).toMatchObject({ status: 'failed', attempts: maxAttempts, lastStatus: 503 });
    expect(down.got).toHaveLength(maxAttempts);
    await disable(failing.id);
    down.close();
  });

  it('refuses private addresses unless allowed, at registration and at delivery', async () => {
    const webhooks = t.app.alertDelivery.webhooks;
    webhooks.allowPrivate = false;
    try {
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://localhost:9/x',
        'http://[::1]:9/x',
        'http://169.254.169.254/latest',
      ]) {
        const res = await t.json({
          method: 'POST',
          url: '/api/alerts/webhooks',
          headers: await admin(),
          payload: { name: 'x', url },
        });
        expect(res.status, url).toBe(400);
        expect(res.body.code).toBe('alerts.webhook_private');
      }
      // An endpoint that was fine when registered but now points inside (DNS rebinding): no request.
      const rx = await receiver([200]);
      const [row] = await t.db.rows<{ id: string }>(
        sql`INSERT INTO alert_webhooks (name, url, secret) VALUES ('rebound', ${rx.url.replace('127.0.0.1', 'localhost')}, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=') RETURNING id`,
      );
      await t.app.alerts.raiseFromRule(ruleAlert(office.clerk));
      await t.events.drain();
      await webhooks.runDue();
      const [d] = await deliveries(row.id);
      expect(d.status).toBe('pending');
      expect(d.lastError).toMatch(/non-public/);
      expect(rx.got).toHaveLength(0);
      await t.db.orm.execute(sql`DELETE FROM alert_webhooks WHERE id = ${row.id}`);
      rx.close();
    } finally {
      webhooks.allowPrivate = true;
    }
  });

  it.each([
    ['no url', { name: 'x' }],
    ['not http', { name: 'x', url: 'file:///etc/passwd' }],
    ['javascript', { name: 'x', url: 'javascript:alert(1)' }],
    ['unknown event', { name: 'x', url: 'http://127.0.0.1/x', events: ['alert.deleted'] }],
    ['weak secret', { name: 'x', url: 'http://127.0.0.1/x', secret: 'hunter2' }],
    ['unknown field', { name: 'x', url: 'http://127.0.0.1/x', admin: true }],
    ['wrong type', { name: 42, url: 'http://127.0.0.1/x' }],
    ['huge url', { name: 'x', url: `http://127.0.0.1/${'a'.repeat(5000)}` }],
    ['credentials in url', { name: 'x', url: 'http://user:pw@127.0.0.1/x' }],
  ])('answers %s with a 400 problem', async (_, payload) => {
    const res = await t.json({
      method: 'POST',
      url: '/api/alerts/webhooks',
      headers: await admin(),
      payload,
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('lets only admins manage endpoints', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/alerts/webhooks',
      headers: await t.tokenFor('office_manager'),
      payload: { name: 'x', url: 'http://127.0.0.1/x' },
    });
    expect(res.status).toBe(403);
  });
});

describe('email and escalation', () => {
  const sent: { to?: unknown; bcc?: { address: string }[]; subject: string; text: string }[] = [];
  beforeAll(() => {
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const send = transport.sendMail.bind(transport);
    transport.sendMail = (async (m: SendMailOptions) => {
      const info = await send(m);
      sent.push(JSON.parse(info.message as unknown as string));
      return info;
    }) as never;
    t.app.alertDelivery.mailer.useTransport(transport);
  });
  afterAll(() => t.app.alertDelivery.mailer.useTransport(null));

  it('emails the staff of the alert’s office only', async () => {
    const { alert } = await t.app.alerts.raiseFromRule(ruleAlert(office.clerk, { severity: 'minor' }));
    await t.events.drain();
    const mail = sent.find((m) => m.subject.includes(alert.headline.en))!;
    expect(mail.bcc!.map((b) => b.address).sort()).toEqual(['manager@demo.local', 'officer@demo.local']);
    expect(mail.subject).toContain(alert.headline.th);
    expect(mail.text).toContain('Severity: minor');
  });

  it('escalates an unacknowledged alert once, to the office’s managers, visible in the API', async () => {
    const { alert } = await t.app.alerts.raiseFromRule(ruleAlert(office.clerk, { severity: 'extreme' }));
    const { alert: acked } = await t.app.alerts.raiseFromRule(
      ruleAlert(office.clerk, { severity: 'extreme' }),
    );
    const ack = await t.json({
      method: 'POST',
      url: `/api/alerts/${acked.id}/acknowledge`,
      headers: await t.tokenFor('officer'),
    });
    expect(ack.status).toBe(200);
    const escalation = t.app.alertDelivery.escalation;
    expect(await escalation.sweep(new Date(Date.now() + 60_000))).not.toContain(alert.id);
    const first = await escalation.sweep(later(escalation.minutes.extreme + 1));
    expect(first).toContain(alert.id);
    expect(first).not.toContain(acked.id);
    expect(await escalation.sweep(later(10_000))).not.toContain(alert.id);
    await t.events.drain();
    const events = await t.db.rows(
      sql`SELECT 1 FROM core_outbox WHERE type = 'alert.escalated' AND payload->>'alertId' = ${alert.id}`,
    );
    expect(events).toHaveLength(1);
    const mail = sent.filter(
      (m) => m.subject.includes('Not acknowledged') && m.subject.includes(alert.headline.en),
    );
    expect(mail).toHaveLength(1);
    expect(mail[0].bcc!.map((b) => b.address)).toEqual(['manager@demo.local']);
    const got = await t.json({
      method: 'GET',
      url: `/api/alerts/${alert.id}`,
      headers: await t.tokenFor('officer'),
    });
    expect(got.body.escalatedAt).toEqual(expect.any(String));
  });
});

describe('shutdown', () => {
  it('does not let an open stream hold app.close() up', async () => {
    const other = await testApp({ modules: [], seed: true });
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}/api/alerts/stream`;
    const res = await fetch(url, {
      headers: { ...(await other.tokenFor('admin')), accept: 'text/event-stream' },
    });
    const reader = res.body!.getReader();
    await reader.read();
    expect(other.app.alertDelivery.stream.size).toBe(1);
    await other.close();
    // The server ended the stream rather than leaving it open.
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
