import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, phone, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('flood warning for residents', () => {
  it('on a phone, /flood shows the stations on the map and in a list, and a station’s chart', async () => {
    const { context, page } = await newPage(browser, phone);
    await page.goto('/flood');
    await page.getByRole('heading', { level: 1, name: 'เตือนภัยน้ำท่วม' }).waitFor();
    const stations = page.getByRole('table', { name: /สถานี/ });
    await stations.waitFor();
    const canal = stations.getByRole('row').filter({ hasText: 'ระดับน้ำคลองระบายบึงแก่นนคร' });
    await expect.poll(() => canal.count()).toBe(1);
    // The demo canal is over its watch line and rising; the status is a word, not only a colour.
    await expect.poll(() => canal.textContent()).toContain('เฝ้าระวัง');
    await expect.poll(() => canal.textContent()).toContain('เพิ่มขึ้น');
    const gauge = stations.getByRole('row').filter({ hasText: 'มาตรวัดฝน' });
    await expect.poll(() => gauge.textContent()).toContain('mm / 24 h');
    const shelters = page.getByRole('table', { name: /ศูนย์พักพิงและจุดอพยพ/ });
    await expect.poll(() => shelters.getByRole('row').count()).toBeGreaterThanOrEqual(6);
    // Stations and shelters are drawn on the WebGL map (no tile server is reachable here).
    await expect
      .poll(async () => Number(await page.getByTestId('map').getAttribute('data-rendered-features')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(7);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/flood.png', fullPage: true });

    await canal.getByRole('link').click();
    await page.waitForURL('**/flood/*');
    await page.getByTestId('station-name').waitFor();
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('path').count()).toBeGreaterThan(0);
    // The threshold lines are labelled in the chart.
    await expect.poll(() => chart.textContent()).toContain('วิกฤต');
    expect(await chart.getAttribute('aria-label')).toContain('ระดับน้ำคลองระบายบึงแก่นนคร');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/flood-station.png', fullPage: true });
    await context.close();
  });

  it('in English, the home page links to the flood page', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => localStorage.setItem('mueang.lang', 'en'));
    await page.goto('/');
    await page
      .getByRole('link', { name: /Flood warning/ })
      .first()
      .click();
    await page.waitForURL('**/flood');
    await page.getByRole('heading', { level: 1, name: 'Flood warning' }).waitFor();
    await page
      .getByRole('table', { name: /stations/ })
      .getByText('Rising')
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
