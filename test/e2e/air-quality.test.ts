import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('air quality for residents', () => {
  it('a resident on a phone sees the city index, the stations on the map and a station’s history', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto('/air-quality');
    await page.getByRole('heading', { name: 'คุณภาพอากาศ', level: 1 }).waitFor();
    // The demo air sensors have a day of hourly readings: enough for a 24-hour PM average.
    await expect.poll(() => page.getByTestId('city-index').textContent()).toMatch(/\d+/);
    const row = page
      .getByRole('table', { name: 'สถานีตรวจวัด' })
      .getByRole('row')
      .filter({ hasText: 'PM2.5 city hall (synthetic)' });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.textContent()).toMatch(/µg\/m³/);
    await expect
      .poll(async () => Number(await page.getByTestId('map').getAttribute('data-rendered-features')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(1);
    await page.getByTestId('city-days-over').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The US scale names its bands in English words too, and the page says which scale it shows.
    const thai = await page.getByTestId('city-index').textContent();
    await page.getByRole('combobox', { name: 'ดัชนี' }).selectOption('us');
    await expect.poll(() => page.getByTestId('city-index').textContent()).not.toBe(thai);

    await row.getByRole('link').click();
    await page.waitForURL('**/air-quality/stations/*');
    await expect
      .poll(() => page.getByTestId('station-name').textContent())
      .toBe('PM2.5 city hall (synthetic)');
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('path').count()).toBeGreaterThan(0);
    expect(await chart.getAttribute('aria-label')).toContain('PM2.5 city hall (synthetic)');
    await page.getByRole('table', { name: 'ค่าเฉลี่ยรายวัน' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/air-quality-station.png', fullPage: true });
    await context.close();
  });
});
