import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, phone, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

/** Where the demo data has an open pothole report (src/modules/complaints/seed.ts). */
const lakeside = { latitude: 16.432, longitude: 102.823 };

describe('You Pee: a pin on the map and "+1 before filing", on a phone', () => {
  it('a citizen taps the map to move the pin, is shown the pothole already reported there, and +1s it', async () => {
    const { context, page } = await newPage(browser, {
      ...phone,
      geolocation: lakeside,
      permissions: ['geolocation'],
    });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('citizen@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/complaints');
    const form = page.getByTestId('complaint-form');
    await form.getByLabel('ปัญหาประเภทใด').locator('option').nth(1).waitFor({ state: 'attached' });
    await form.getByLabel('ปัญหาประเภทใด').selectOption('road-damage');
    await form.getByLabel('รายละเอียดของปัญหา').fill('หลุมลึกหน้าซอย รถล้ม');
    expect(await form.getByTestId('place-where').innerText()).toBe('ยังไม่ได้เลือกตำแหน่ง');

    // The phone's location puts the pin on the map, which centres on it.
    await form.getByRole('button', { name: 'ใช้ตำแหน่งของฉัน' }).click();
    const latitude = form.getByLabel(/ละติจูด/);
    const longitude = form.getByLabel(/ลองจิจูด/);
    await expect.poll(() => latitude.inputValue()).toBe('16.432');
    const map = form.getByTestId('map');
    await expect
      .poll(async () => Number(await map.getAttribute('data-rendered-features')), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(1);

    // A tap a little to the south-east of the centre moves the pin there (about 150 m at zoom 15).
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    await page.touchscreen.tap(box.x + box.width / 2 + 30, box.y + box.height / 2 + 10);
    await expect.poll(() => latitude.inputValue()).not.toBe('16.432');
    const lat = Number(await latitude.inputValue());
    const lon = Number(await longitude.inputValue());
    expect(lat).toBeLessThan(16.432);
    expect(lon).toBeGreaterThan(102.823);
    expect(Math.hypot(lat - 16.432, lon - 102.823)).toBeLessThan(0.002);
    await expect.poll(() => form.getByTestId('place-where').innerText()).toMatch(/^อยู่ใน/);
    expect(await seriousViolations(page)).toEqual([]);

    // Before sending, the open pothole of the demo within 250 m is offered for a +1.
    await form.locator('button[type="submit"]').click();
    const nearby = form.getByTestId('complaint-nearby');
    await nearby.waitFor();
    const item = nearby.getByRole('listitem').filter({ hasText: 'หลุมบ่อขนาดใหญ่หน้าซอย' });
    expect(await item.count()).toBe(1);
    const reference = (await item.getByRole('link').first().innerText()).trim();
    expect(reference).toMatch(/^KK-25[0-9]{2}-[0-9]{6}$/);
    expect(await seriousViolations(page)).toEqual([]);
    const supporters = () =>
      page.evaluate(async (ref) => {
        const res = await fetch(`/api/complaints/requests/${ref}`, {
          headers: { accept: 'application/json' },
        });
        return ((await res.json()) as { supporters: number }).supporters;
      }, reference);
    const before = await supporters();
    await item.getByRole('button', { name: /\+1 เรื่องนี้แทน/ }).click();

    // Its status page opens and counts the +1; nothing new was filed.
    await page.waitForURL(`**/complaints/${reference}`);
    await page.getByTestId('status-history').waitFor();
    expect(await page.getByTestId('status-reference').innerText()).toBe(reference);
    const mine = await page.evaluate(async () => {
      const res = await fetch('/api/complaints/requests/mine', { headers: { accept: 'application/json' } });
      return (await res.json()) as { items: { description: string }[] };
    });
    expect(mine.items.map((r) => r.description)).not.toContain('หลุมลึกหน้าซอย รถล้ม');
    expect(await supporters()).toBe(before + 1);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
