import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signedInRegister(page: Page) {
  await page.goto('/signin');
  await page.getByLabel(/อีเมล/).fill('revenue@demo.local');
  await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL('**/account');
  await page.goto('/tax/register');
  await page.getByRole('table').waitFor();
}

/** Opens the first record of a register tab and answers it as the API gave it. */
async function openFirst<T>(page: Page, tab: string, kind: string) {
  if (tab) await page.getByRole('button', { name: tab, exact: true }).click();
  await page.getByRole('table').waitFor();
  const opened = page.waitForResponse((r) => new RegExp(`/api/tax/register/${kind}/[^/?]+$`).test(r.url()));
  await page.getByRole('button', { name: /^เปิด / }).first().click();
  const record = (await (await opened).json()) as T;
  const detail = page.getByTestId('register-detail');
  await detail.waitFor();
  return { record, detail };
}

describe('finance staff correct the register in the browser', () => {
  it('corrects a building: a floor area of 0 is shown and focused, a good one is saved', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedInRegister(page);
    const { record, detail } = await openFirst<{ id: string; version: number; floorAreaM2: number }>(
      page,
      'สิ่งปลูกสร้าง',
      'buildings',
    );
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    const form = page.getByTestId('register-edit');
    const area = form.getByLabel('พื้นที่อาคาร (ตร.ม.)', { exact: true });
    expect(Number(await area.inputValue())).toBe(record.floorAreaM2);
    await area.fill('0');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const error = form.getByRole('alert').filter({ hasText: 'กรุณากรอกตัวเลขในช่วงที่กำหนด' });
    await error.waitFor();
    expect(await area.getAttribute('aria-invalid')).toBe('true');
    expect(await area.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('floorAreaM2');
    expect(await seriousViolations(page)).toEqual([]);

    const next = record.floorAreaM2 + 12.5;
    await area.fill(String(next));
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    expect(((await (await saved).json()) as { version: number }).version).toBe(record.version + 1);
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => detail.innerText()).toContain(next.toLocaleString('th-TH'));
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('corrects a sign: a width that is no number is refused beside it; type and text are saved', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedInRegister(page);
    const { record, detail } = await openFirst<{ id: string; version: number; type: number }>(
      page,
      'ป้าย',
      'signs',
    );
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    const form = page.getByTestId('register-edit');
    const width = form.getByLabel('กว้าง (ซม.)', { exact: true });
    await width.fill('กว้างมาก');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const error = form.getByRole('alert').filter({ hasText: 'กรุณากรอกตัวเลขในช่วงที่กำหนด' });
    await error.waitFor();
    expect(await width.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('widthCm');
    expect(await seriousViolations(page)).toEqual([]);

    const type = record.type === 3 ? '1' : '3';
    await width.fill('250');
    await form.getByLabel('ประเภทป้าย', { exact: true }).selectOption(type);
    await form.getByLabel('ข้อความบนป้าย', { exact: true }).fill('ร้านแก้ไขจากหน้าจอ (สังเคราะห์)');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => detail.innerText()).toContain('ร้านแก้ไขจากหน้าจอ (สังเคราะห์)');
    const text = await detail.innerText();
    expect(text).toContain(`ประเภทป้าย ${type}`);
    expect(text).toContain('250');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('adds a use to a parcel and removes it again; the shares must add up first', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedInRegister(page);
    const { record, detail } = await openFirst<{ version: number; uses: { use: string }[] }>(
      page,
      '',
      'parcels',
    );
    const count = record.uses.length;
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    const form = page.getByTestId('register-edit');
    await form.getByRole('button', { name: 'เพิ่มการใช้ประโยชน์' }).click();
    // Focus is on the new row's use, and the editor is told the row is there.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(`use${count}`);
    await form.getByRole('status').filter({ hasText: 'เพิ่มการใช้ประโยชน์ไว้ท้ายรายการแล้ว' }).waitFor();
    const kinds = ['agriculture', 'residential', 'other', 'vacant'];
    const free = kinds.find((k) => !record.uses.some((u) => u.use === k))!;
    await form.locator(`[name="use${count}"]`).selectOption(free);
    await form.locator(`[name="share${count}"]`).fill('10');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.getByRole('alert').filter({ hasText: 'สัดส่วนการใช้ประโยชน์รวมกันต้องเท่ากับ 100%' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Take the 10 % from the first use, and save.
    const share0 = form.locator('[name="share0"]');
    await share0.fill(String(Number(await share0.inputValue()) - 10));
    const added = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    expect((await added).status()).toBe(200);
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => detail.locator('li').count()).toBeGreaterThan(count);

    // Remove it again: the row goes, focus stays in the uses, and the first use takes its share back.
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    await form.getByRole('button', { name: `ลบการใช้ประโยชน์ที่ ${count + 1}` }).click();
    expect(await form.locator(`[name="use${count}"]`).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(`use${count - 1}`);
    await share0.fill(String(Number(await share0.inputValue()) + 10));
    const removed = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const body = (await (await removed).json()) as { version: number };
    expect(body.version).toBe(record.version + 2);
    await form.waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
