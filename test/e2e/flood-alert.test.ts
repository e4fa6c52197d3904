import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verify } from '../../src/platform/alerts/signing.ts';
import { launch, newPage, seriousViolations } from './browser.ts';

/** A gauge of its own, so the demo canal other tests look at keeps its readings. */
const devEui = randomBytes(8).toString('hex');
const poll = { timeout: 60_000, interval: 250 };

let browser: Browser;
let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
beforeAll(async () => {
  browser = await launch();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => receiver?.close(r));
});

/** A ChirpStack v4 uplink of the demo JSON water-level profile (`level_m`). */
const uplink = (level: number, fCnt: number) =>
  JSON.stringify({
    deduplicationId: randomBytes(16).toString('hex'),
    time: new Date().toISOString(),
    deviceInfo: { tenantId: 'e2e', applicationId: 'e2e', deviceName: 'canal', devEui },
    devAddr: '00f00001',
    fCnt,
    fPort: 1,
    data: Buffer.from(JSON.stringify({ level_m: level })).toString('base64'),
    rxInfo: [{ gatewayId: 'a84041ffff000001', rssi: -80, snr: 7.5 }],
  });

describe('flood warning end to end', () => {
  it('a station driven over its warning line over MQTT raises a public alert, feeds CAP and a webhook, and staff acknowledge it', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('admin@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    const me = await (await context.request.get('/api/me')).json();
    const csrf = { 'x-csrf-token': me.csrfToken };

    // A webhook receiver on this machine, registered through the API.
    const { port } = receiver.address() as AddressInfo;
    const hook = await context.request.post('/api/alerts/webhooks', {
      headers: csrf,
      data: { name: 'e2e flood receiver', url: `http://127.0.0.1:${port}/hook`, events: ['alert.raised'] },
    });
    expect(hook.status()).toBe(201);
    const { secret } = await hook.json();

    // A new water-level gauge becomes a station; setting its levels makes its warning rule.
    const devices = await (await context.request.get('/api/devices?limit=1000')).json();
    const canal = devices.find((d: { devEui: string }) => d.devEui === 'a84041000000f001');
    const device = await context.request.post('/api/devices', {
      headers: csrf,
      data: {
        devEui,
        name: 'E2E canal gauge (synthetic)',
        profileId: canal.profileId,
        officeId: canal.officeId,
        location: { lon: 102.8385, lat: 16.4125 },
      },
    });
    expect(device.status()).toBe(201);
    const made = await context.request.post('/api/flood/stations', {
      headers: csrf,
      data: {
        deviceId: (await device.json()).id,
        nameTh: 'มาตรวัดระดับน้ำทดสอบ (ข้อมูลสังเคราะห์)',
        nameEn: 'E2E canal gauge (synthetic)',
        watch: 1.0,
        warning: 1.5,
        critical: 2.0,
      },
    });
    expect(made.status()).toBe(201);
    const station = await made.json();
    const rules = await (await context.request.get('/api/rules')).json();
    const rule = rules.find(
      (r: { managedBy: string | null }) => r.managedBy === `flood:${station.id}:warning`,
    );
    expect(rule).toMatchObject({ public: true, params: { kind: 'threshold', op: 'above', value: 1.5 } });

    // The network server publishes the gauge's uplinks: below the line, then over it.
    const client = await mqtt.connectAsync(inject('mqttUrl'));
    const topic = `application/e2e/device/${devEui}/event/up`;
    await client.publishAsync(topic, uplink(1.2, 1), { qos: 1 });
    await client.publishAsync(topic, uplink(1.8, 2), { qos: 1 });
    await client.endAsync();

    const openAlert = async () => {
      const list = await (await context.request.get('/api/alerts?status=raised&limit=200')).json();
      return list.find((a: { ruleId: string | null }) => a.ruleId === rule.id) as
        | { id: string; public: boolean; severity: string }
        | undefined;
    };
    await expect.poll(openAlert, poll).toBeDefined();
    const alert = (await openAlert())!;
    expect(alert).toMatchObject({ public: true, severity: 'severe' });

    // The CAP feed and the public warnings carry it.
    await expect
      .poll(async () => (await context.request.get('/alerts/cap.atom')).text(), poll)
      .toContain(alert.id);
    const cap = await (await context.request.get(`/alerts/cap/${alert.id}.xml`)).text();
    expect(cap).toContain('<severity>Severe</severity>');
    const pub = await (await context.request.get('/api/alerts/public')).text();
    expect(pub).toContain(alert.id);

    // The webhook receiver got it, signed.
    const delivery = () => received.find((r) => r.body.includes(alert.id));
    await expect.poll(delivery, poll).toBeDefined();
    const got = delivery()!;
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'alert.raised',
      data: { alertId: alert.id, public: true },
    });
    expect(
      verify(
        secret,
        got.headers as { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string },
        got.body,
      ),
    ).toBe(true);

    // Staff acknowledge it in the browser.
    await page.getByRole('navigation', { name: /./ }).getByRole('link', { name: 'การแจ้งเตือน' }).click();
    await page.waitForURL('**/alerts');
    const card = page.locator(`[data-alert-id="${alert.id}"]`);
    await card.waitFor({ timeout: 60_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'รับทราบ', exact: true }).click();
    await expect
      .poll(() => card.getByTestId('alert-status').textContent(), { timeout: 30_000 })
      .toBe('รับทราบแล้ว');
    const after = await (await context.request.get(`/api/alerts/${alert.id}`)).json();
    expect(after.status).toBe('acknowledged');
    expect(after.acknowledgedBy).toBe(me.id);
    await page.screenshot({ path: 'test-results/flood-alert.png', fullPage: true });
    await context.close();
  }, 240_000);
});
