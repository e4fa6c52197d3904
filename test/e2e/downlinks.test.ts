import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('downlinks on the device page', () => {
  it('an admin queues a downlink: bad hex is refused in place, a good one is listed with its state', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('admin@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/devices');
    await page.getByRole('link', { name: 'PM2.5 city hall (synthetic)' }).click();
    await page.waitForURL('**/devices/*');

    const form = page.getByTestId('downlink-form');
    await form.waitFor();
    await form.getByLabel('ข้อมูล (เลขฐานสิบหก)').fill('abc');
    await form.getByRole('button', { name: 'เข้าคิวดาวน์ลิงก์' }).click();
    await form.getByText('กรอกเลขฐานสิบหกจำนวนคู่ (1 ถึง 242 ไบต์)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await form.getByLabel('ข้อมูล (เลขฐานสิบหก)').fill('01 00 0E 10');
    await form.getByLabel('FPort').fill('10');
    await form.getByLabel('ขอให้เซนเซอร์ยืนยันการรับ').check();
    await form.getByRole('button', { name: 'เข้าคิวดาวน์ลิงก์' }).click();
    const table = page.getByRole('table', { name: 'ข้อความส่งลงอุปกรณ์ (ดาวน์ลิงก์)' });
    const row = table.getByRole('row').filter({ hasText: '01000e10' });
    await row.waitFor();
    // Queued, or already sent when the demo simulator has made ChirpStack's application known.
    await expect.poll(() => row.textContent()).toMatch(/อยู่ในคิว|ส่งแล้ว/);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
