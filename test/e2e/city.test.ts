import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('city page', () => {
  it('draws the zones on a WebGL map without any tile server, and lists the offices', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/city');
    const canvas = page.locator('[data-testid="map"] canvas');
    await canvas.waitFor({ timeout: 20_000 });
    expect(await page.locator('table').innerText()).toContain('สำนักการคลัง');
    expect(await page.locator('main').innerText()).toContain('ข้อมูลสังเคราะห์');
    // MapLibre has drawn the zone and community polygons with WebGL (no tile server is reachable here).
    await expect
      .poll(async () => Number(await page.getByTestId('map').getAttribute('data-rendered-features')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(8);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/city.png' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
