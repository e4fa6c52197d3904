import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('staff rules screens', () => {
  it('a manager lists rules, is told about bad fields, backtests last week, saves and deletes a rule', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('admin@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');

    await page.getByRole('navigation', { name: /./ }).getByRole('link', { name: 'กฎเฝ้าระวัง' }).click();
    await page.waitForURL('**/rules');
    await page.getByRole('heading', { name: 'กฎเฝ้าระวัง', level: 1 }).waitFor();
    // The flood stations' rules are listed, marked as kept by a module.
    await page
      .getByRole('cell', { name: /ระดับน้ำถึงขั้นเตือนภัย/ })
      .first()
      .waitFor();
    expect(await page.getByText('โมดูลดูแล').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('rule-new').click();
    const form = page.getByTestId('rule-form');
    await form.waitFor();
    // Nothing filled in: errors beside the fields, announced, the first one focused.
    await page.getByTestId('rule-save').click();
    const nameTh = form.getByLabel('ชื่อภาษาไทย');
    await expect.poll(() => nameTh.getAttribute('aria-invalid')).toBe('true');
    expect(await nameTh.evaluate((el) => el === document.activeElement)).toBe(true);
    const describedBy = (await nameTh.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('กรุณากรอกช่องนี้');
    expect(await form.getByRole('alert').count()).toBeGreaterThan(1);
    expect(await seriousViolations(page)).toEqual([]);

    const stamp = Date.now();
    const name = `น้ำสูง e2e ${stamp}`;
    const nameEn = `High water e2e ${stamp}`;
    await nameTh.fill(name);
    await form.getByLabel('ชื่อภาษาอังกฤษ').fill(nameEn);
    await form.getByLabel('ขอบเขต').selectOption('profile');
    await form.getByLabel('ประเภทอุปกรณ์').selectOption({ label: 'Water level, JSON (flood demo, synthetic)' });
    await form.getByLabel('ค่าเกณฑ์').fill('1.5');
    // Hysteresis on the wrong side is caught beside its field.
    await form.getByLabel('ยกเลิกเมื่อถึง').fill('1.6');
    await page.getByTestId('rule-save').click();
    await form.getByText('สำหรับ “สูงกว่า” ระดับยกเลิกต้องไม่สูงกว่าค่าเกณฑ์').waitFor();
    await form.getByLabel('ยกเลิกเมื่อถึง').fill('1.4');

    // The demo canal rose into "watch" after the storm: over 1.5 m, the backtest fires.
    await page.getByTestId('rule-backtest').click();
    const summary = page.getByTestId('backtest-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toMatch(/แจ้งเตือน [1-9]/);
    await page.getByRole('table', { name: 'การแจ้งเตือนและการยกเลิกที่กฎนี้จะเกิดขึ้น' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('rule-save').click();
    await expect
      .poll(() => page.getByTestId('rules-notice').textContent(), { timeout: 20_000 })
      .toBe('บันทึกกฎแล้ว');
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor();

    // In English, then delete it.
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: 'Rules', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const rowEn = page.getByRole('row', { name: new RegExp(nameEn) });
    page.once('dialog', (d) => d.accept());
    await rowEn.getByRole('button', { name: /^Delete/ }).click();
    await expect
      .poll(() => page.getByTestId('rules-notice').textContent(), { timeout: 20_000 })
      .toBe('The rule was deleted.');
    await expect.poll(() => rowEn.count()).toBe(0);
    await page.screenshot({ path: 'test-results/rules.png', fullPage: true });
    await context.close();
  }, 180_000);
});
