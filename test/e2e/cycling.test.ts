import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const file = (features: unknown[]) => ({
  name: 'lanes.geojson',
  mimeType: 'application/geo+json',
  buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
});
const lane = (name: string, coordinates: number[][]) => ({
  type: 'Feature',
  properties: { name, kind: 'painted' },
  geometry: { type: 'LineString', coordinates },
});

describe('the bicycle city', () => {
  it('a resident on a phone sees the lanes, the counters’ daily counts and the figures', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto('/cycling');
    await page.getByRole('heading', { name: 'เมืองจักรยาน', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('cycling-figures').textContent()).toMatch(/กม\./);
    const table = page.getByRole('table', { name: 'เส้นทางจักรยาน' });
    await table.getByRole('row').filter({ hasText: 'ทางจักรยานรอบบึงแก่นนคร' }).waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('map').getAttribute('data-rendered-features')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(2);
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('path').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: 'นำเข้าเส้นทางจักรยาน' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/cycling.png', fullPage: true });
    await context.close();
  });

  it('staff import a lane file: a bad one is refused with its problems, a good one is added', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('officer@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/cycling');
    await page.getByRole('heading', { name: 'นำเข้าเส้นทางจักรยาน' }).waitFor();

    await page.getByLabel('ไฟล์ GeoJSON').setInputFiles(
      file([
        lane('ในเมือง (ทดสอบ)', [
          [102.83, 16.43],
          [102.832, 16.432],
        ]),
        lane('กรุงเทพ', [
          [100.5, 13.75],
          [100.51, 13.76],
        ]),
      ]),
    );
    await page.getByRole('button', { name: 'นำเข้า' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('/features/1/geometry');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('ไฟล์ GeoJSON').setInputFiles(
      file([
        lane('ในเมือง (ทดสอบ)', [
          [102.83, 16.43],
          [102.832, 16.432],
        ]),
      ]),
    );
    await page.getByRole('button', { name: 'นำเข้า' }).click();
    await expect.poll(() => page.getByTestId('lane-import-done').textContent()).toContain('1');
    await page
      .getByRole('table', { name: 'เส้นทางจักรยาน' })
      .getByRole('row')
      .filter({ hasText: 'ในเมือง (ทดสอบ)' })
      .waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await context.close();
  });
});
