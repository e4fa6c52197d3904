import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, phone, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signIn(page: Page, email: string) {
  await page.goto('/signin');
  await page.getByLabel(/อีเมล/).fill(email);
  await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL('**/account');
}

/** A call to the API as the signed-in user (with the CSRF token the session needs). */
function call(page: Page, method: string, url: string, body?: object) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // biome-ignore lint/suspicious/noExplicitAny: the test reads what the API answers.
      return { status: res.status, body: (await res.json()) as any };
    },
    { method, url, body },
  );
}

describe('a citizen’s land, buildings and signs on a phone', () => {
  it('opens them from the tax page: the home with its bill and working, a parcel not yet billed, the signs', async () => {
    // The finance office registers a second parcel for the demo citizen; no assessment runs after it.
    const office = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(office.page, 'revenue@demo.local');
    const found = await call(office.page, 'GET', '/api/tax/register/parcels?q=SYN-12345');
    const home = await call(office.page, 'GET', `/api/tax/register/parcels/${found.body.items[0].id}`);
    const deedNo = `E2E-PROP-${Date.now()}`;
    const added = await call(office.page, 'POST', '/api/tax/parcels', {
      ownerId: home.body.owner.id,
      deedKind: 'ns3k',
      deedNo,
      area: { rai: 1, ngan: 1, wa: 0 },
      valuePerM2Baht: 300,
      uses: [{ use: 'agriculture', sharePercent: 100 }],
    });
    expect(added.status).toBe(201);
    await office.context.close();

    const { context, page } = await newPage(browser, phone);
    await signIn(page, 'citizen@demo.local');
    await page.goto('/tax');
    await page.getByRole('link', { name: 'ที่ดิน สิ่งปลูกสร้าง และป้ายของฉัน' }).click();
    await page.waitForURL('**/tax/properties');
    await page.getByRole('heading', { level: 1, name: 'ที่ดิน สิ่งปลูกสร้าง และป้ายของฉัน' }).waitFor();
    const parcels = page.getByTestId('my-parcel');
    await parcels.first().waitFor();
    const homeCard = parcels.filter({ hasText: 'SYN-12345' });
    expect(await homeCard.innerText()).toContain('บ้านหลังหลัก');
    expect(await homeCard.innerText()).toContain('ไม่ต้องชำระ');
    await homeCard.getByText('วิธีคำนวณ').click();
    expect(await homeCard.getByRole('listitem').filter({ hasText: 'หักค่าเสื่อม 24%' }).count()).toBe(1);
    const unbilled = parcels.filter({ hasText: deedNo });
    expect(await unbilled.innerText()).toContain('ยังไม่ได้ประเมินภาษีปี');
    expect(await unbilled.innerText()).toContain('2,000 ตร.ม. (1 ไร่ 1 งาน 0 ตร.วา)');
    expect(await page.getByTestId('my-sign').count()).toBeGreaterThan(0);
    // Nothing of another owner: the company's shop is not listed.
    expect(await page.getByText('SYN-20001').count()).toBe(0);
    // Fits the phone's width: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);

    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My land, buildings and signs' }).waitFor();
    await page.getByTestId('my-parcel').first().waitFor();
    const english = await page.getByTestId('my-parcel').filter({ hasText: deedNo }).innerText();
    expect(english).toContain('Not assessed for');
    expect(english).toContain('Agriculture 100%');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/tax-properties-phone.png', fullPage: true });
    await context.close();
  });

  it('tells finance staff that the screen is for citizens', async () => {
    const { context, page } = await newPage(browser, phone);
    await signIn(page, 'revenue@demo.local');
    await page.goto('/tax/properties');
    await page.getByText('เข้าสู่ระบบในฐานะประชาชน').waitFor();
    expect((await call(page, 'GET', '/api/tax/my/properties')).status).toBe(403);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
