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

const otherRate = 'อื่น ๆ (พาณิชย์), ขั้นที่ 1: อัตรา (%)';
const signRate = 'ประเภท 2: อักษรไทยปนอักษรต่างประเทศหรือภาพ: ไม่เคลื่อนที่';

describe('tax rates by year in the browser', () => {
  it('an admin copies 2569 to a new year, is refused above the ceiling beside the field, then saves', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@demo.local');
    await page.goto('/tax');
    await page.getByRole('link', { name: 'อัตราภาษีรายปี' }).click();
    // The newest year opens first; other browser tests may have added one (tax-assessment adds 2570).
    await page.getByLabel('ปีภาษี', { exact: true }).selectOption('2569');
    await page.getByRole('heading', { name: 'อัตราภาษีปี 2569' }).waitFor();
    // 2569 has the demo's bills: it can be read and copied, not edited.
    await expect.poll(() => page.getByText(/อัตราของปีนี้จึงแก้ไขไม่ได้/).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'แก้ไขอัตราเหล่านี้' }).count()).toBe(0);
    expect(await page.getByRole('cell', { name: '0.3' }).count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    const newYear = page.getByLabel('ปีภาษีใหม่ (พ.ศ.)');
    await newYear.fill('2569');
    await page.getByRole('button', { name: 'คัดลอกอัตราปี 2569' }).click();
    await page.getByText('ปี 2569 มีอัตราภาษีแล้ว').waitFor();
    expect(await newYear.getAttribute('aria-invalid')).toBe('true');
    await newYear.fill('2575');
    await page.getByRole('button', { name: 'คัดลอกอัตราปี 2569' }).click();
    const heading = page.getByRole('heading', { name: 'อัตราภาษีใหม่ปี 2575' });
    await heading.waitFor();
    expect(await heading.evaluate((h) => h === document.activeElement)).toBe(true);

    // Not a number: the form says so beside the field, without asking the server.
    await page.getByLabel(signRate, { exact: true }).fill('abc');
    await page.getByLabel(otherRate, { exact: true }).fill('1.5');
    await page.getByRole('button', { name: 'บันทึกอัตราภาษีปี 2575' }).click();
    const sign = page.getByLabel(signRate, { exact: true });
    await expect.poll(() => sign.getAttribute('aria-invalid')).toBe('true');
    expect(await sign.evaluate((i) => i === document.activeElement)).toBe(true);
    expect(await page.getByText('กรุณากรอกตัวเลข').count()).toBeGreaterThan(0);

    // Above the statutory ceiling: the server refuses it (422) beside the field, which takes the focus.
    await sign.fill('26');
    const refused = page.waitForResponse(
      (r) => r.url().endsWith('/api/tax/rates/2575') && r.request().method() === 'PUT',
    );
    await page.getByRole('button', { name: 'บันทึกอัตราภาษีปี 2575' }).click();
    expect((await refused).status()).toBe(422);
    const other = page.getByLabel(otherRate, { exact: true });
    await expect.poll(() => other.getAttribute('aria-invalid')).toBe('true');
    expect(await other.evaluate((i) => i === document.activeElement)).toBe(true);
    expect(await page.getByText('เกินเพดานตามกฎหมาย 1.2%').count()).toBeGreaterThan(0);
    await page.getByRole('alert').filter({ hasText: 'กรุณาแก้ไขช่องเหล่านี้' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/tax-rates-refused.png' });

    await other.fill('0.9');
    await page.getByRole('button', { name: 'บันทึกอัตราภาษีปี 2575' }).click();
    await page.getByRole('status').filter({ hasText: 'บันทึกอัตราภาษีปี 2575 แล้ว' }).waitFor();
    await page.getByRole('heading', { name: 'อัตราภาษีปี 2575' }).waitFor();
    expect(await page.getByRole('cell', { name: '0.9', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'แก้ไขอัตราเหล่านี้' }).count()).toBe(1);

    // In English, the same year and its edit button.
    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.reload();
    await page.getByRole('heading', { name: 'Tax rates by year' }).waitFor();
    await page.getByLabel('Tax year', { exact: true }).selectOption('2575');
    await page.getByRole('heading', { name: 'Rates for 2575' }).waitFor();
    await page.getByRole('button', { name: 'Edit these rates' }).click();
    await page.getByRole('heading', { name: 'Edit the rates for 2575' }).waitFor();
    expect(
      await page.getByLabel('Other use (commercial), Band 1: Rate (%)', { exact: true }).inputValue(),
    ).toBe('0.9');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('a finance officer reads the rates on a phone but cannot change them', async () => {
    const { context, page } = await newPage(browser, phone);
    await signIn(page, 'revenue@demo.local');
    await page.goto('/tax/rates');
    await page.getByRole('heading', { name: /^อัตราภาษีปี \d{4}$/ }).waitFor();
    expect(await page.getByRole('button', { name: /คัดลอกอัตราปี/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'แก้ไขอัตราเหล่านี้' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/tax-rates-phone.png', fullPage: true });
    await context.close();
  });
});
