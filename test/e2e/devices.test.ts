import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('the sensor network for staff', () => {
  it('an officer finds a demo sensor on /devices, opens it and sees its latest values and chart', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('officer@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');

    await page.getByRole('navigation', { name: /./ }).getByRole('link', { name: 'เซนเซอร์' }).click();
    await page.waitForURL('**/devices');
    await page.getByRole('heading', { name: 'เครือข่ายเซนเซอร์' }).waitFor();
    const link = page.getByRole('link', { name: 'PM2.5 city hall (synthetic)' });
    await link.waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'a84041000000c002' }).count()).toBe(1);
    // The demo devices are drawn on the WebGL map (no tile server is reachable here).
    await expect
      .poll(async () => Number(await page.getByTestId('map').getAttribute('data-rendered-features')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(5);
    await page.getByRole('heading', { name: 'ข้อความที่บันทึกไม่ได้' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Filtering by the water profile leaves the drain sensors and drops the air ones.
    const profile = page.getByRole('combobox', { name: 'โปรไฟล์' });
    await profile.selectOption({ label: 'Water level, byte layout (synthetic demo)' });
    await page.getByRole('link', { name: 'Drain level, north canal (synthetic)' }).waitFor();
    await expect.poll(() => link.count()).toBe(0);
    await profile.selectOption({ label: 'ทั้งหมด' });

    await link.click();
    await page.waitForURL('**/devices/*');
    await expect
      .poll(() => page.getByTestId('device-name').textContent())
      .toBe('PM2.5 city hall (synthetic)');
    const latest = page.getByRole('table', { name: 'ค่าล่าสุด' });
    await latest.waitFor();
    const pm25 = latest.getByRole('row').filter({ hasText: 'pm25' });
    await expect.poll(() => pm25.textContent()).toContain('µg/m³');
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('path').count()).toBeGreaterThan(0);
    expect(await chart.getAttribute('aria-label')).toContain('PM2.5 city hall (synthetic)');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/device.png', fullPage: true });
    await context.close();
  });
});
