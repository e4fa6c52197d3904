import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, phone, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [102.82, 16.43],
      [102.85, 16.43],
      [102.85, 16.45],
      [102.82, 16.45],
      [102.82, 16.43],
    ],
  ],
};

describe('alerts for staff and warnings for residents', () => {
  it('an alert raised through the API appears live on /alerts, staff acknowledge it, residents see it on /warnings', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('manager@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');

    await page.getByRole('navigation', { name: /./ }).getByRole('link', { name: 'การแจ้งเตือน' }).click();
    await page.waitForURL('**/alerts');
    await page.getByRole('heading', { name: 'การแจ้งเตือน', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByTestId('alerts-live').textContent(), { timeout: 20_000 })
      .toContain('อัปเดตสด:');
    expect(await seriousViolations(page)).toEqual([]);

    // Raised through the API while the page stays open: no reload, no navigation.
    const headline = `ระดับน้ำสูง คลองร่องเหมือง ${Date.now()}`;
    const me = await (await context.request.get('/api/me')).json();
    const raised = await context.request.post('/api/alerts', {
      headers: { 'x-csrf-token': me.csrfToken },
      data: {
        category: 'met',
        urgency: 'immediate',
        severity: 'severe',
        certainty: 'observed',
        event: { th: 'น้ำท่วมขัง', en: 'Flooding' },
        headline: { th: headline, en: 'High water, Rong Mueang canal' },
        instruction: { th: 'หลีกเลี่ยงถนนริมคลอง', en: 'Avoid the canal-side road' },
        area: { polygon: square, description: { th: 'ริมคลองร่องเหมือง', en: 'Rong Mueang canal side' } },
      },
    });
    expect(raised.status()).toBe(201);
    const card = page.getByTestId('alert').filter({ hasText: headline });
    await card.waitFor();
    await expect.poll(() => card.getByTestId('alert-status').textContent()).toBe('แจ้งแล้ว');
    expect(await seriousViolations(page)).toEqual([]);

    await card.getByRole('button', { name: 'รับทราบ', exact: true }).click();
    // A round trip to the server and a refetch: on a busy machine that takes longer than poll's 1 s default.
    await expect
      .poll(() => card.getByTestId('alert-status').textContent(), { timeout: 20_000 })
      .toBe('รับทราบแล้ว');
    await page.screenshot({ path: 'test-results/alerts.png', fullPage: true });
    await context.close();

    // A resident, signed out, on a phone.
    const resident = await newPage(browser, phone);
    await resident.page.goto('/');
    await resident.page.getByRole('link', { name: 'ประกาศเตือนภัยสาธารณะที่มีผลอยู่ในเมือง' }).click();
    await resident.page.waitForURL('**/warnings');
    const warning = resident.page.getByTestId('warning').filter({ hasText: headline });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('หลีกเลี่ยงถนนริมคลอง');
    expect(await seriousViolations(resident.page)).toEqual([]);
    await resident.page.getByTestId('lang-toggle').click();
    await resident.page
      .getByTestId('warning')
      .filter({ hasText: 'High water, Rong Mueang canal' })
      .first()
      .waitFor();
    expect(await seriousViolations(resident.page)).toEqual([]);
    await resident.page.screenshot({ path: 'test-results/warnings.png', fullPage: true });
    await resident.context.close();
  });
});
