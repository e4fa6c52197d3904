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
      // biome-ignore lint/suspicious/noExplicitAny: the test reads what the API answered.
      return { status: res.status, body: (await res.json()) as any };
    },
    { method, url, body },
  );
}

/** The figure beside a term of the result's list (dt/dd). */
const figure = (page: Page, term: string) =>
  page
    .locator('[data-testid="assessment-result"] dt', { hasText: term })
    .locator('xpath=following-sibling::dd[1]');

describe('running a tax year’s assessment and finding its bills', () => {
  it('an admin assesses 2569 (nothing new), a year without rates, then 2570, and opens a bill of it', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@demo.local');
    // Other browser tests (run in any order) register parcels and signs: bill them first, so the run
    // below has nothing new whatever ran before.
    expect((await call(page, 'POST', '/api/tax/assessments/2569')).status).toBe(200);
    await page.goto('/tax');
    await page.getByRole('link', { name: 'ประเมินภาษีประจำปี' }).click();
    await page.getByRole('heading', { name: 'การประเมินภาษีประจำปี' }).waitFor();
    const year = page.getByLabel('ปีภาษี (พ.ศ.)', { exact: true });

    // 2569's bills all exist now, so a run issues none and says so.
    await year.fill('2569');
    await page.getByText('ปีภาษี 2569 มีอัตราภาษีแล้ว').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'สั่งประเมินภาษีปี 2569' }).click();
    const dialog = page.getByRole('dialog', { name: 'ยืนยันการประเมินภาษีปี 2569?' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'ยืนยัน ประเมินปี 2569' }).click();
    await page.getByRole('status').filter({ hasText: 'ไม่มีใบแจ้งใหม่' }).waitFor();
    expect(await figure(page, 'ใบแจ้งที่ออกใหม่').textContent()).toBe('0');
    expect(Number(await figure(page, 'แปลงที่ดินที่ประเมิน').textContent())).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    // A year without rates cannot be run: the page says so and points to the rates.
    await year.fill('2571');
    await page.getByText('ปีภาษี 2571 ยังไม่มีอัตราภาษี จึงยังประเมินไม่ได้').waitFor();
    expect(await page.getByRole('link', { name: 'กำหนดอัตราภาษีของปี' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /สั่งประเมินภาษีปี/ }).count()).toBe(0);

    // 2570 gets the statutory defaults through the API, then is assessed from the screen.
    const defaults = await call(page, 'GET', '/api/tax/rates/defaults');
    expect(defaults.status).toBe(200);
    expect((await call(page, 'PUT', '/api/tax/rates/2570', defaults.body)).status).toBe(201);
    await year.fill('2570');
    await page.getByText('ออกใบแจ้งของปี 2570 ไปแล้ว 0 ฉบับ').waitFor();
    await page.getByRole('button', { name: 'สั่งประเมินภาษีปี 2570' }).click();
    // Cancel keeps everything as it was.
    await page.getByRole('dialog').getByRole('button', { name: 'ยกเลิก' }).click();
    expect(await page.getByTestId('assessment-result').count()).toBe(0);
    await page.getByRole('button', { name: 'สั่งประเมินภาษีปี 2570' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'ยืนยัน ประเมินปี 2570' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /ออกใบแจ้งใหม่ของปี 2570 จำนวน \d+ ฉบับ/ })
      .waitFor();
    const issued = Number(await figure(page, 'ใบแจ้งที่ออกใหม่').textContent());
    expect(issued).toBeGreaterThan(0);
    const listed = await call(page, 'GET', '/api/tax/bills?year=2570&limit=500');
    expect(listed.body).toHaveLength(issued);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/tax-assessment-run.png', fullPage: true });

    // The year's bills, found by part of a number in lower case, then opened.
    await page.getByRole('link', { name: 'ดูใบแจ้งของปี 2570' }).click();
    await page.getByRole('heading', { name: 'ใบแจ้งภาษี' }).waitFor();
    expect(await page.getByLabel('ปีภาษี (พ.ศ.)', { exact: true }).inputValue()).toBe('2570');
    await page.getByRole('table').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const sign = listed.body.find((b: { taxKind: string }) => b.taxKind === 'sign');
    await page.getByLabel('ประเภทภาษี', { exact: true }).selectOption('sign');
    await page.getByLabel('เลขที่ใบแจ้ง', { exact: true }).fill(sign.number.toLowerCase());
    await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').textContent()).toContain(sign.ownerName);
    await page.getByRole('button', { name: sign.number, exact: true }).click();
    await page.getByRole('heading', { name: `ใบแจ้งเลขที่ ${sign.number}` }).waitFor();
    expect(await page.getByTestId('amount-due').textContent()).toContain(
      (sign.amountDueSatang / 100).toLocaleString('th-TH', { minimumFractionDigits: 2 }),
    );
    expect(await page.locator('ol.working li').count()).toBe(sign.working.length);
    expect(await page.getByTestId('notice').getAttribute('href')).toBe(
      `/api/tax/bills/${sign.id}/notice.pdf`,
    );
    // The due date in the Buddhist Era: 30 April 2570.
    expect(await page.getByTestId('bill-view').textContent()).toContain('2570');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'กลับไปที่รายการ' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);

    // An owner's name that matches nothing says so.
    await page.getByLabel('เจ้าของ', { exact: true }).fill('ไม่มีเจ้าของชื่อนี้');
    await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    await page.getByText('ไม่พบใบแจ้งที่ตรงกับการค้นหา').waitFor();

    // In English: running 2570 again issues nothing, and a bill found by owner opens with its working.
    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.goto('/tax/assessment');
    await page.getByRole('heading', { name: 'Tax assessment by year' }).waitFor();
    await page.getByLabel('Tax year (B.E.)', { exact: true }).fill('2570');
    await page.getByRole('button', { name: 'Run the assessment for 2570' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, assess 2570' }).click();
    await page.getByRole('status').filter({ hasText: 'No new bills' }).waitFor();
    expect(await figure(page, 'New bills issued').textContent()).toBe('0');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'See the bills of 2570' }).click();
    await page.getByRole('heading', { name: 'Tax bills' }).waitFor();
    await page.getByLabel('Owner', { exact: true }).fill(sign.ownerName);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: sign.number, exact: true }).click();
    await page.getByRole('heading', { name: `Bill ${sign.number}` }).waitFor();
    await page.getByRole('heading', { name: 'How the tax was worked out' }).waitFor();
    expect(await page.locator('ol.working li').first().textContent()).toContain(sign.working[0].en);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('an executive sees the year and its bills but not the run button, on a phone', async () => {
    const { context, page } = await newPage(browser, phone);
    await signIn(page, 'executive@demo.local');
    await page.goto('/tax/assessment');
    await page.getByLabel('ปีภาษี (พ.ศ.)', { exact: true }).fill('2569');
    await page.getByText('เฉพาะผู้ดูแลระบบและเจ้าหน้าที่กองคลังเท่านั้นที่สั่งประเมินได้').waitFor();
    expect(await page.getByRole('button', { name: /สั่งประเมินภาษีปี/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/tax/bills');
    await page.getByRole('table').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
