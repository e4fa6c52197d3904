import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, newPage, phone, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signIn(context: BrowserContext, email: string): Promise<string> {
  const res = await context.request.post(`${baseUrl()}/api/auth/login`, {
    data: { email, password: 'mueang-demo' },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

describe('You Pee (อยู่พี่) in public', () => {
  it('anyone on a phone sees the map and list with moderated text only, and the statistics', async () => {
    const citizen = await newPage(browser, phone);
    const csrf = await signIn(citizen.context, 'citizen@demo.local');
    const description = 'ป้ายชำรุด โทร 081-234-5678 <b>ด่วน</b>';
    const filed = await citizen.context.request.post(`${baseUrl()}/api/complaints/requests`, {
      headers: { 'x-csrf-token': csrf },
      data: { category: 'other', description, lat: 16.432, lon: 102.823 },
    });
    expect(filed.status()).toBe(201);
    const ref = ((await filed.json()) as { reference: string }).reference;

    const visitor = await newPage(browser, phone);
    const { page } = visitor;
    await page.goto('/complaints/public');
    await page.getByRole('heading', { name: 'เรื่องร้องเรียนในเมือง', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: ref });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('ข้อความรอตรวจ');
    await expect
      .poll(async () => Number(await page.getByTestId('map').getAttribute('data-rendered-features')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(1);
    expect(await seriousViolations(page)).toEqual([]);

    // The clerk's officer approves the text; the public sees it masked, the markup as text.
    const staff = await newPage(browser, phone);
    const staffCsrf = await signIn(staff.context, 'officer@demo.local');
    const approved = await staff.context.request.post(`${baseUrl()}/api/complaints/moderation/${ref}`, {
      headers: { 'x-csrf-token': staffCsrf },
      data: { action: 'approve' },
    });
    expect(approved.status()).toBe(200);
    await page.reload();
    await page.getByLabel('ประเภท', { exact: true }).selectOption('other');
    await expect
      .poll(() => row.textContent(), { timeout: 20_000 })
      .toContain('ป้ายชำรุด โทร [phone] <b>ด่วน</b>');
    expect(await page.content()).not.toContain('081-234-5678');
    expect(await page.locator('b', { hasText: 'ด่วน' }).count()).toBe(0);
    await page.screenshot({ path: 'test-results/complaints-public.png', fullPage: true });

    await page.getByRole('link', { name: 'ดูสถิติ' }).click();
    await page.waitForURL('**/complaints/stats');
    await page.getByRole('heading', { name: 'สถิติเรื่องร้องเรียน', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('complaint-stats').textContent()).toMatch(/เรื่องที่แจ้ง\s*[1-9]/);
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('path').count()).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'ตามประเภท' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/complaints-stats.png', fullPage: true });
    for (const c of [citizen, visitor, staff]) await c.context.close();
  });
});
