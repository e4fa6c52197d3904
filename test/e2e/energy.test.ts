import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('solar energy for residents', () => {
  it('a resident on a phone sees the city’s solar, its chart and a green-building page', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto('/energy');
    await page.getByRole('heading', { name: 'พลังงานแสงอาทิตย์และอาคารเขียว', level: 1 }).waitFor();
    // The demo seed has two weeks of PV counters, so this year's summary is not zero.
    await expect.poll(() => page.getByTestId('energy-summary').textContent()).toMatch(/[1-9][\d,.]* MWh/);
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('path').count()).toBeGreaterThan(0);
    expect(await chart.getAttribute('aria-label')).toMatch(/kWh/);
    // Thai dates are in the Buddhist Era.
    expect(await chart.getAttribute('aria-label')).toMatch(/25\d\d/);
    const row = page
      .getByRole('table', { name: 'อาคาร' })
      .getByRole('row')
      .filter({ hasText: 'โรงเรียนเทศบาลวัดกลาง' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'แสดงราย' }).selectOption('month');
    await expect.poll(() => chart.getAttribute('aria-label')).toMatch(/ถึง/);

    await row.getByRole('link').click();
    await page.waitForURL('**/energy/buildings/*');
    await page.getByRole('heading', { name: /โรงเรียนเทศบาลวัดกลาง/, level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('building-facts').textContent()).toMatch(/kWh\/m²/);
    await page.getByTestId('chart').waitFor();
    await page.getByRole('table', { name: 'ระบบที่ติดตั้ง' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/energy-building.png', fullPage: true });
    await context.close();
  });
});
