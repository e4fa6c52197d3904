import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

/** A 13-digit ID with a valid mod-11 check digit, from a 12-digit stem. */
function thaiId(stem: string) {
  const sum = [...stem].reduce((s, d, i) => s + Number(d) * (13 - i), 0);
  return stem + String((11 - (sum % 11)) % 10);
}

describe('finance staff add to the register by form', () => {
  it('registers a parcel (a bad ngan refused beside it), adds a building to it and registers a sign', async () => {
    const { context, page } = await newPage(browser);
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('revenue@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.goto('/tax/register');
    await page.getByRole('table').waitFor();
    const taxId = thaiId('310990066001');
    const owner = await page.evaluate(async (taxId) => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const res = await fetch('/api/tax/owners', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ kind: 'person', taxId, name: 'Ms New Form (synthetic)' }),
      });
      return res.status;
    }, taxId);
    expect([201, 409]).toContain(owner);
    const deed = `E2E-NEW-${Date.now()}`;
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name'));

    await page.getByRole('button', { name: 'Register a parcel', exact: true }).click();
    const form = page.getByTestId('register-edit');
    await form.getByLabel("Owner's 13-digit ID", { exact: true }).fill(taxId);
    await form.getByLabel('Deed number', { exact: true }).fill(deed);
    await form.getByLabel('Rai', { exact: true }).fill('1');
    const ngan = form.getByLabel('Ngan', { exact: true });
    await ngan.fill('5');
    await form.getByLabel('Use 1', { exact: true }).selectOption('other');
    await form.getByLabel('Longitude (optional)', { exact: true }).fill('102.83');
    await form.getByLabel('Latitude (optional)', { exact: true }).fill('16.43');
    await form.getByRole('button', { name: 'Register the parcel' }).click();
    const bad = form.getByRole('alert').filter({ hasText: 'within the allowed range' });
    await bad.waitFor();
    expect(await ngan.getAttribute('aria-invalid')).toBe('true');
    expect(await ngan.getAttribute('aria-describedby')).toContain(await bad.getAttribute('id'));
    expect(await focused()).toBe('ngan');
    expect(await seriousViolations(page)).toEqual([]);

    await ngan.fill('2');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/tax/register/parcels'));
    await form.getByRole('button', { name: 'Register the parcel' }).click();
    expect((await created).status()).toBe(201);
    await page.getByRole('status').filter({ hasText: 'The parcel was registered' }).waitFor();

    // Found by its deed and opened; a building is added to it.
    await page.getByLabel('Search', { exact: true }).fill(deed);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('cell', { name: deed }).first().waitFor();
    await page
      .getByRole('button', { name: /^Open / })
      .first()
      .click();
    const detail = page.getByTestId('register-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('2,400');
    await detail.getByRole('button', { name: 'Add a building', exact: true }).click();
    const building = page.getByTestId('register-edit');
    await building.getByLabel('Building no.', { exact: true }).fill('N-1');
    await building.getByLabel('Type', { exact: true }).fill('ตึก');
    await building.getByLabel('Floor area (m²)', { exact: true }).fill('95');
    await building.getByLabel('Age (years)', { exact: true }).fill('3');
    expect(await seriousViolations(page)).toEqual([]);
    const added = page.waitForResponse((r) =>
      /\/api\/tax\/register\/parcels\/[^/]+\/buildings$/.test(r.url()),
    );
    await building.getByRole('button', { name: 'Add the building' }).click();
    expect((await added).status()).toBe(201);
    await detail.getByRole('status').filter({ hasText: 'The building was added' }).waitFor();
    await detail.getByRole('cell', { name: 'N-1', exact: true }).waitFor();

    // A sign for the same owner.
    await page.getByRole('button', { name: 'Register a sign', exact: true }).click();
    const sign = page.getByTestId('register-edit');
    await sign.getByLabel("Owner's 13-digit ID", { exact: true }).fill(taxId);
    await sign.getByLabel('Width (cm)', { exact: true }).fill('150');
    await sign.getByLabel('Height (cm)', { exact: true }).fill('50');
    await sign.getByLabel('Moving or static', { exact: true }).selectOption('true');
    const signed = page.waitForResponse((r) => r.url().endsWith('/api/tax/register/signs'));
    await sign.getByRole('button', { name: 'Register the sign' }).click();
    const res = await signed;
    expect(res.status()).toBe(201);
    await page.getByRole('status').filter({ hasText: 'The sign was registered' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
