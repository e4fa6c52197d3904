import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, testPushService, verifyVapid } from '../../src/core/testing/push.ts';
import { baseUrl, launch, newPage, phone, seriousViolations } from './browser.ts';

/**
 * Headless Chromium has the Push API but cannot reach a real push service from this closed machine,
 * so `PushManager.subscribe` is replaced by one that returns a subscription to a push service on
 * loopback (keys made by the test). Everything else is real: the button, the permission, the service
 * worker's registration, the API call, the platform's encrypted push on a status change; and the
 * service worker showing a notification is driven through DevTools (ServiceWorker.deliverPushMessage).
 */
let browser: Browser;
let service: Awaited<ReturnType<typeof testPushService>>;
beforeAll(async () => {
  browser = await launch();
  service = await testPushService();
});
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('You Pee (อยู่พี่): notify me on this phone', () => {
  it('subscribes this browser to a complaint, and a status change is pushed to it', async () => {
    const { context, page } = await newPage(browser, phone);
    const filed = await context.request.post(`${baseUrl()}/api/complaints/requests`, {
      data: {
        category: 'other',
        description: 'ป้ายรถเมล์ชำรุด',
        lat: 16.432,
        lon: 102.823,
        contact: { phone: '0812345678' },
      },
    });
    expect(filed.status()).toBe(201);
    const ref = ((await filed.json()) as { reference: string }).reference;

    const phoneKeys = new TestBrowser();
    const subscription = phoneKeys.subscription(`${service.origin}/push/e2e`);
    await context.grantPermissions(['notifications'], { origin: baseUrl() });
    await context.addInitScript((sub) => {
      const fake = { endpoint: sub.endpoint, toJSON: () => sub, unsubscribe: async () => true };
      PushManager.prototype.subscribe = async () => fake as unknown as PushSubscription;
      PushManager.prototype.getSubscription = async () => null;
    }, subscription);

    await page.goto(`/complaints/${ref}`);
    const button = page.getByRole('button', { name: 'แจ้งเตือนฉันบนโทรศัพท์เครื่องนี้' });
    await button.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const posted = page.waitForResponse(
      (r) => r.url().endsWith(`/api/complaints/requests/${ref}/push`) && r.request().method() === 'POST',
    );
    await button.click();
    expect((await posted).status()).toBe(201);
    await expect
      .poll(() => page.getByTestId('push-status').innerText())
      .toBe('เครื่องนี้จะได้รับการแจ้งเตือนเมื่อสถานะเปลี่ยน');
    expect(await page.getByRole('button', { name: 'หยุดแจ้งเตือนบนโทรศัพท์เครื่องนี้' }).count()).toBe(1);
    // The real service worker was registered for the page.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toMatch(
      /\/sw\.js$/,
    );

    // Staff accept it; the platform pushes to the (loopback) push service, encrypted to this phone's keys.
    const staff = await browser.newContext({ baseURL: baseUrl() });
    const login = await staff.request.post(`${baseUrl()}/api/auth/login`, {
      data: { email: 'officer@demo.local', password: 'mueang-demo' },
    });
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const moved = await staff.request.post(`${baseUrl()}/api/complaints/requests/${ref}/transitions`, {
      headers: { 'x-csrf-token': csrf },
      data: { to: 'accepted' },
    });
    expect(moved.status()).toBe(200);
    await staff.close();
    await expect.poll(() => service.received.length, { timeout: 20_000 }).toBe(1);
    verifyVapid(service.received[0].headers.authorization, service.origin);
    const message = JSON.parse(phoneKeys.decrypt(service.received[0].body));
    expect(message).toMatchObject({
      title: `ยูพี (อยู่พี่) · ${ref}`,
      body: 'สถานะใหม่: รับดำเนินการ',
      url: `/complaints/${ref}`,
    });

    // What the push service would hand the browser, given to the service worker: it shows the notification.
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrations.length).toBeGreaterThan(0);
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: new URL(baseUrl()).origin,
      registrationId: registrations[0].registrationId,
      data: JSON.stringify(message),
    });
    await expect
      .poll(() =>
        page.evaluate(async () =>
          (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
            title: n.title,
            body: n.body,
            tag: n.tag,
            url: (n.data as { url: string }).url,
          })),
        ),
      )
      .toEqual([
        { title: message.title, body: message.body, tag: ref, url: `${baseUrl()}/complaints/${ref}` },
      ]);

    // Stopping removes the subscription on the server.
    const removed = page.waitForResponse(
      (r) => r.url().endsWith(`/api/complaints/requests/${ref}/push`) && r.request().method() === 'DELETE',
    );
    await page.evaluate((sub) => {
      PushManager.prototype.getSubscription = async () =>
        ({ endpoint: sub.endpoint, toJSON: () => sub }) as unknown as PushSubscription;
    }, subscription);
    await page.getByRole('button', { name: 'หยุดแจ้งเตือนบนโทรศัพท์เครื่องนี้' }).click();
    expect((await removed).status()).toBe(204);
    await page.getByRole('button', { name: 'แจ้งเตือนฉันบนโทรศัพท์เครื่องนี้' }).waitFor();
    await context.close();
  });

  it('follows the browser when it replaces the subscription (pushsubscriptionchange)', async () => {
    const { context, page } = await newPage(browser, phone);
    const filed = await context.request.post(`${baseUrl()}/api/complaints/requests`, {
      data: {
        category: 'other',
        description: 'ไฟถนนดับ',
        lat: 16.432,
        lon: 102.823,
        contact: { phone: '0812345678' },
      },
    });
    const ref = ((await filed.json()) as { reference: string }).reference;
    const first = new TestBrowser().subscription(`${service.origin}/push/before-${ref}`);
    const rotatedKeys = new TestBrowser();
    const rotated = rotatedKeys.subscription(`${service.origin}/push/after-${ref}`);
    await context.grantPermissions(['notifications'], { origin: baseUrl() });
    await context.addInitScript((sub) => {
      const fake = { endpoint: sub.endpoint, toJSON: () => sub, unsubscribe: async () => true };
      PushManager.prototype.subscribe = async () => fake as unknown as PushSubscription;
      PushManager.prototype.getSubscription = async () => null;
    }, first);
    await page.goto(`/complaints/${ref}`);
    const posted = page.waitForResponse(
      (r) => r.url().endsWith(`/api/complaints/requests/${ref}/push`) && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'แจ้งเตือนฉันบนโทรศัพท์เครื่องนี้' }).click();
    expect((await posted).status()).toBe(201);
    await page.getByRole('button', { name: 'หยุดแจ้งเตือนบนโทรศัพท์เครื่องนี้' }).waitFor();

    // Chromium does not fire the event itself: it is dispatched in the real service worker, with the
    // subscriptions a browser would give it, and the worker's own work is awaited.
    await expect.poll(() => context.serviceWorkers().length).toBeGreaterThan(0);
    const worker = context.serviceWorkers()[0];
    await worker.evaluate(
      async ({ before, after }) => {
        const event = new Event('pushsubscriptionchange') as Event & Record<string, unknown>;
        let work: Promise<unknown> = Promise.resolve();
        event.waitUntil = (p: Promise<unknown>) => {
          work = p;
        };
        event.oldSubscription = { endpoint: before.endpoint, toJSON: () => before };
        event.newSubscription = { endpoint: after.endpoint, toJSON: () => after };
        self.dispatchEvent(event);
        await work;
      },
      { before: first, after: rotated },
    );

    // A status change now goes to the new subscription only: the old one was dropped.
    const staff = await browser.newContext({ baseURL: baseUrl() });
    const login = await staff.request.post(`${baseUrl()}/api/auth/login`, {
      data: { email: 'officer@demo.local', password: 'mueang-demo' },
    });
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const moved = await staff.request.post(`${baseUrl()}/api/complaints/requests/${ref}/transitions`, {
      headers: { 'x-csrf-token': csrf },
      data: { to: 'accepted' },
    });
    expect(moved.status()).toBe(200);
    await staff.close();
    const mine = () => service.received.filter((r) => r.path.endsWith(ref));
    await expect.poll(() => mine().length, { timeout: 20_000 }).toBe(1);
    expect(mine()[0].path).toBe(`/push/after-${ref}`);
    expect(JSON.parse(rotatedKeys.decrypt(mine()[0].body))).toMatchObject({ url: `/complaints/${ref}` });
    await context.close();
  });

  it('offers no button where the browser has no Push API', async () => {
    const { context, page } = await newPage(browser, phone);
    await context.addInitScript(() => {
      // biome-ignore lint/suspicious/noExplicitAny: removing a browser global for the test
      delete (window as any).PushManager;
    });
    const filed = await context.request.post(`${baseUrl()}/api/complaints/requests`, {
      data: {
        category: 'other',
        description: 'ทางเท้าชำรุด',
        lat: 16.432,
        lon: 102.823,
        contact: { phone: '0812345678' },
      },
    });
    const ref = ((await filed.json()) as { reference: string }).reference;
    await page.goto(`/complaints/${ref}`);
    await page.getByTestId('status-history').waitFor();
    expect(await page.getByTestId('push-follow').count()).toBe(0);
    await context.close();
  });
});
