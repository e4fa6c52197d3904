import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, phone, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('home page', () => {
  it('shows the seven dimensions in Thai, and in English after the toggle, which is remembered', async () => {
    const { context, page } = await newPage(browser);
    await page.goto('/');
    await expect.poll(() => page.getByTestId('dimension').count()).toBe(7);
    expect(await page.locator('html').getAttribute('lang')).toBe('th');
    const body = await page.locator('main').innerText();
    for (const th of ['พลเมืองอัจฉริยะ', 'สิ่งแวดล้อมอัจฉริยะ', 'การเดินทางและขนส่งอัจฉริยะ']) expect(body).toContain(th);
    expect(await page.getByTestId('coming').count()).toBeGreaterThan(0);

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('main').innerText()).toContain('Smart Mobility');
    await page.reload();
    await expect.poll(() => page.locator('main').innerText()).toContain('Smart People');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await context.close();
  });

  it('has no serious or critical accessibility violation, in Thai and in English', async () => {
    const { context, page } = await newPage(browser);
    await page.goto('/');
    await page.getByTestId('dimension').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('fits a phone: no horizontal scroll, and the menu opens from its button', async () => {
    const { context, page } = await newPage(browser, phone);
    await page.goto('/');
    await page.getByTestId('dimension').first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const toggle = page.getByTestId('nav-toggle');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/home-phone.png', fullPage: true });
    await context.close();
  });
});
