import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('problem details in the UI language', () => {
  it('shows a field error in Thai, and in English once the language is toggled', async () => {
    const { context, page } = await newPage(browser);
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('citizen@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');

    // A client that sends a number as the token's name (as an outdated app might): the server's schema
    // check refuses it, in the language the request asked for.
    const languages: (string | undefined)[] = [];
    await page.route('**/api/tokens', (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      languages.push(route.request().headers()['accept-language']);
      return route.continue({ postData: JSON.stringify({ name: 42 }) });
    });

    await page.getByLabel('ชื่อโทเคน').fill('e2e');
    await page.getByRole('button', { name: 'สร้างโทเคน' }).click();
    const thai = page.getByRole('alert').filter({ hasText: 'ต้องเป็น ข้อความ' });
    await thai.waitFor();
    expect(await thai.textContent()).toContain('ข้อมูลที่ส่งมาไม่ถูกต้อง');
    expect(await thai.locator('code').first().textContent()).toBe('/body/name');

    await page.getByTestId('lang-toggle').click();
    // The title follows the UI language at once; the field message is the server's, asked for again.
    await page.getByRole('alert').filter({ hasText: 'The request is not valid' }).waitFor();
    await page.getByLabel('Token name').fill('e2e');
    await page.getByRole('button', { name: 'Create token' }).click();
    const english = page.getByRole('alert').filter({ hasText: 'must be string' });
    await english.waitFor();
    expect(await english.textContent()).not.toMatch(/[\u0E00-\u0E7F]/);
    expect(await english.locator('code').first().textContent()).toBe('/body/name');
    expect(languages).toEqual(['th', 'en']);
    await context.close();
  });
});
