import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, phone, seriousViolations } from './browser.ts';

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

/** Switches the screens to English, reloads the register and opens its first record again. */
async function reopenFirstInEnglish(page: Page) {
  await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
  await page.reload();
  await page.getByRole('table').waitFor();
  await page
    .getByRole('button', { name: /^Open / })
    .first()
    .click();
  await page.getByTestId('register-detail').waitFor();
}

/** A 13-digit ID with a valid mod-11 check digit, from a 12-digit stem. */
function thaiId(stem: string) {
  const sum = [...stem].reduce((s, d, i) => s + Number(d) * (13 - i), 0);
  return stem + String((11 - (sum % 11)) % 10);
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

describe('finance staff correct the register in the browser', () => {
  it("corrects a parcel's owner on a phone: a bad ID and another owner's ID are refused beside the field", async () => {
    const { context, page } = await newPage(browser, phone);
    await signedInRegister(page);
    // Another owner, whose ID this owner must not take.
    const otherId = thaiId('010555099001');
    const other = await call(page, 'POST', '/api/tax/owners', {
      kind: 'juristic',
      taxId: otherId,
      name: 'บริษัท เจ้าของอีกราย (ทดสอบหน้าจอ) จำกัด',
    });
    expect([201, 409]).toContain(other.status);
    const { record, detail } = await openFirst<{ owner: { id: string; name: string; taxId: string } }>(
      page,
      '',
      'parcels',
    );
    const opened = page.waitForResponse((r) =>
      r.url().endsWith(`/api/tax/register/owners/${record.owner.id}`),
    );
    await detail.getByRole('button', { name: 'แก้ไขข้อมูลเจ้าของ', exact: true }).click();
    const owner = (await (await opened).json()) as { version: number; address: string | null };
    const form = page.getByTestId('register-edit');
    const taxId = form.getByLabel('เลขประจำตัว 13 หลัก', { exact: true });
    const name = form.getByLabel('ชื่อ', { exact: true });
    expect(await taxId.inputValue()).toBe(record.owner.taxId);
    expect(await name.inputValue()).toBe(record.owner.name);
    // The form fits the phone's width.
    const box = await form.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(375);

    // A mistyped check digit is caught before sending, shown beside the field and focused.
    const last = Number(record.owner.taxId[12]);
    await taxId.fill(record.owner.taxId.slice(0, 12) + String((last + 1) % 10));
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const digit = form.getByRole('alert').filter({ hasText: 'เลขตรวจสอบหลักสุดท้ายไม่ตรง' });
    await digit.waitFor();
    expect(await taxId.getAttribute('aria-invalid')).toBe('true');
    expect(await taxId.getAttribute('aria-describedby')).toContain(await digit.getAttribute('id'));
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name'));
    expect(await focused()).toBe('taxId');
    expect(await seriousViolations(page)).toEqual([]);

    // Another owner's ID passes the check digit; the server refuses it (409) beside the field.
    await taxId.fill(otherId);
    await name.focus();
    const refused = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    expect((await refused).status()).toBe(409);
    const taken = form.getByRole('alert').filter({ hasText: 'เป็นเลขของเจ้าของอีกรายในทะเบียน' });
    await taken.waitFor();
    expect(await taxId.getAttribute('aria-describedby')).toContain(await taken.getAttribute('id'));
    await expect.poll(focused).toBe('taxId');
    expect(await form.innerText()).toContain('เลขประจำตัวนี้เป็นของเจ้าของอีกรายในทะเบียนแล้ว');
    expect(await seriousViolations(page)).toEqual([]);

    // The ID put back, a corrected name and address are saved and shown.
    const newName = `${record.owner.name} (แก้ไขจากหน้าจอ)`;
    await taxId.fill(record.owner.taxId);
    await name.fill(newName);
    await form.getByLabel('ที่อยู่', { exact: true }).fill('99 ถนนศรีจันทร์ (สังเคราะห์)');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toEqual({
      version: owner.version,
      name: newName,
      address: '99 ถนนศรีจันทร์ (สังเคราะห์)',
    });
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => detail.getByTestId('register-owner').innerText()).toContain(newName);
    expect(await seriousViolations(page)).toEqual([]);

    // In English, the same form with English labels, holding the saved values.
    await reopenFirstInEnglish(page);
    await detail.getByRole('button', { name: 'Correct the owner', exact: true }).click();
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe(newName);
    expect(await form.getByLabel('Address', { exact: true }).inputValue()).toBe('99 ถนนศรีจันทร์ (สังเคราะห์)');
    expect(await form.getByLabel('Person or juristic person').inputValue()).toBe(
      (await call(page, 'GET', `/api/tax/register/owners/${record.owner.id}`)).body.kind,
    );
    expect(await seriousViolations(page)).toEqual([]);

    // Put the owner back as it was for the other tests.
    const back = await call(page, 'PATCH', `/api/tax/register/owners/${record.owner.id}`, {
      version: owner.version + 1,
      name: record.owner.name,
      address: owner.address,
    });
    expect(back.status).toBe(200);
    await context.close();
  });

  it('registers a new owner from the register page and gives them a sign', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedInRegister(page);
    await page.getByRole('button', { name: 'เพิ่มเจ้าของในทะเบียน', exact: true }).click();
    const form = page.getByTestId('register-edit');
    const save = form.getByRole('button', { name: 'บันทึกเจ้าของ' });
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name'));
    // Nothing filled in: each mistake beside its field, the first focused.
    await save.click();
    await form.getByRole('alert').filter({ hasText: 'เลขประจำตัวมี 13 หลัก' }).waitFor();
    expect(await form.getByLabel('ชื่อ', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await focused()).toBe('taxId');
    expect(await seriousViolations(page)).toEqual([]);

    // An ID the register has already: the server's 409 is shown beside the ID, which takes the focus.
    const parcels = await call(page, 'GET', '/api/tax/register/parcels?limit=1');
    const parcel = await call(page, 'GET', `/api/tax/register/parcels/${parcels.body.items[0].id}`);
    const taxId = form.getByLabel('เลขประจำตัว 13 หลัก', { exact: true });
    await taxId.fill(parcel.body.owner.taxId);
    await form.getByLabel('ชื่อ', { exact: true }).fill('นางทะเบียน ใหม่ (สังเคราะห์)');
    await save.click();
    const exists = form.getByRole('alert').filter({ hasText: 'มีเจ้าของที่ใช้เลขประจำตัวนี้อยู่ในทะเบียนแล้ว' });
    await exists.waitFor();
    expect(await taxId.getAttribute('aria-describedby')).toContain(await exists.getAttribute('id'));
    await expect.poll(focused).toBe('taxId');

    const newId = thaiId('310990099003');
    await taxId.fill(newId);
    const created = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/owners'),
    );
    await save.click();
    expect((await created).status()).toBe(201);
    await page.getByRole('status').filter({ hasText: 'เพิ่มเจ้าของในทะเบียนแล้ว' }).waitFor();
    expect(await form.count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // The sign is moved to the new owner by its own correction, and moved back through the API.
    const { record, detail } = await openFirst<{ id: string; version: number; owner: { taxId: string } }>(
      page,
      'ป้าย',
      'signs',
    );
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    await form.getByLabel('เลขประจำตัว 13 หลักของเจ้าของ', { exact: true }).fill(newId);
    const moved = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    expect((await moved).status()).toBe(200);
    await expect.poll(() => detail.getByTestId('register-owner').innerText()).toContain('นางทะเบียน ใหม่');
    const back = await call(page, 'PATCH', `/api/tax/register/signs/${record.id}`, {
      version: record.version + 1,
      ownerTaxId: record.owner.taxId,
    });
    expect(back.status).toBe(200);
    await context.close();
  });

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

  it('corrects a sign: a width that is no number is refused beside it; text language (so type) and text are saved', async () => {
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

    // The form asks for the text language; the type follows from it.
    const type = record.type === 3 ? '1' : '3';
    await width.fill('250');
    await form
      .getByLabel('ภาษาของข้อความบนป้าย', { exact: true })
      .selectOption(type === '1' ? 'thai-only' : 'no-thai-or-thai-below');
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
    // Focus is on the new row's use (moved by an effect after the render), and the editor is told.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name'));
    await expect.poll(focused).toBe(`use${count}`);
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
    // The detail shows the saved record only once its refetch lands; until then it is the old one
    // (and its bills are list items too). A form opened from the old record would start from the old
    // uses and version, so wait for the uses list itself to hold the new row.
    // A locator wait (Playwright's own timeout), not a poll: the refetch can take seconds under load.
    const uses = detail.getByTestId('parcel-uses').locator('li');
    await uses.nth(count).waitFor();
    expect(await uses.count()).toBe(count + 1);

    // Remove it again: the row goes, focus stays in the uses, and the first use takes its share back.
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    expect(await form.locator(`[name="use${count}"]`).count()).toBe(1);
    await form.getByRole('button', { name: `ลบการใช้ประโยชน์ที่ ${count + 1}` }).click();
    expect(await form.locator(`[name="use${count}"]`).count()).toBe(0);
    await expect.poll(focused).toBe(`use${count - 1}`);
    await share0.fill(String(Number(await share0.inputValue()) + 10));
    const removed = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const body = (await (await removed).json()) as { version: number };
    expect(body.version).toBe(record.version + 2);
    await form.waitFor({ state: 'detached' });
    await uses.nth(count).waitFor({ state: 'detached' });
    expect(await uses.count()).toBe(count);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('records a main home and how long land lay vacant; a vacant count that is no number is refused', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedInRegister(page);
    const { record, detail } = await openFirst<{
      id: string;
      version: number;
      uses: { use: string; sharePercent: number; mainHome?: string; vacantYears?: number }[];
    }>(page, '', 'parcels');
    // Known uses to start from (set through the API), and the parcel's own put back at the end.
    const patch = (body: object) =>
      page.evaluate(
        async ({ id, body }) => {
          const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
          const res = await fetch(`/api/tax/register/parcels/${id}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
            body: JSON.stringify(body),
          });
          return { status: res.status, body: (await res.json()) as { version: number } };
        },
        { id: record.id, body },
      );
    const start = await patch({
      version: record.version,
      uses: [
        { use: 'residential', sharePercent: 70 },
        { use: 'other', sharePercent: 30 },
      ],
    });
    expect(start.status).toBe(200);
    await page.reload();
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: /^เปิด / }).first().click();
    await expect.poll(() => detail.innerText()).toContain('อยู่อาศัย 70%');

    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    const form = page.getByTestId('register-edit');
    // The main-home question is there for the residence only; years vacant for vacant land only.
    await form.getByLabel('เป็นบ้านหลังหลักหรือไม่ (การใช้ประโยชน์ที่ 1)').selectOption('land-and-building');
    expect(await form.getByLabel(/จำนวนปีที่ทิ้งไว้ว่างเปล่าติดต่อกัน/).count()).toBe(0);
    await form.locator('[name="use1"]').selectOption('vacant');
    expect(await form.getByLabel(/เป็นบ้านหลังหลักหรือไม่ \(การใช้ประโยชน์ที่ 2\)/).count()).toBe(0);
    const vacant = form.getByLabel('จำนวนปีที่ทิ้งไว้ว่างเปล่าติดต่อกัน (การใช้ประโยชน์ที่ 2)');
    await vacant.fill('สามปี');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const error = form.getByRole('alert').filter({ hasText: 'กรุณากรอกตัวเลขในช่วงที่กำหนด' });
    await error.waitFor();
    expect(await vacant.getAttribute('aria-invalid')).toBe('true');
    expect(await vacant.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('vacant1');
    expect(await seriousViolations(page)).toEqual([]);

    await vacant.fill('4');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const response = await saved;
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { version: number };
    expect((response.request().postDataJSON() as { uses: unknown[] }).uses).toEqual([
      { use: 'residential', sharePercent: 70, mainHome: 'land-and-building' },
      { use: 'vacant', sharePercent: 30, vacantYears: 4 },
    ]);
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => detail.innerText()).toContain('บ้านหลังหลัก (เจ้าของที่ดินและบ้าน)');
    expect(await detail.innerText()).toContain('ทิ้งว่างเปล่าติดต่อกัน 4 ปี');
    expect(await seriousViolations(page)).toEqual([]);

    // English labels for the same form.
    await reopenFirstInEnglish(page);
    await expect.poll(() => detail.innerText()).toContain('years vacant in a row: 4');
    await detail.getByRole('button', { name: 'Correct', exact: true }).click();
    expect(await form.getByLabel('Main home? (use 1)').inputValue()).toBe('land-and-building');
    expect(await form.getByLabel('Years left vacant in a row (use 2)').inputValue()).toBe('4');
    expect(await seriousViolations(page)).toEqual([]);

    expect((await patch({ version: body.version, uses: record.uses })).status).toBe(200);
    await context.close();
  });

  it('shows the Treasury building appraisal to finance staff, searched, in Thai and English', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedInRegister(page);
    const csv = [
      'roundFrom,roundTo,buildingType,code,costPerM2Baht,buildingTypeEn,note',
      '2566,2569,ตึกแถว 2 ชั้น (ทดสอบหน้าจอ),E2E1,8100,Two-storey shophouse (screen test),รวมพื้นที่ระเบียง',
      '2566,2569,โกดังเก็บสินค้า (ทดสอบหน้าจอ),E2E2,3900,,',
    ].join('\n');
    const status = await page.evaluate(async (csv) => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const started = await fetch('/api/tax/imports/building-costs', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrfToken },
        body: csv,
      });
      const { id } = (await started.json()) as { id: string };
      for (let i = 0; i < 200; i++) {
        const s = (await (await fetch(`/api/tax/imports/${id}`)).json()) as {
          status: string;
          imported: number;
        };
        if (s.status !== 'running') return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    }, csv);
    expect(status).toMatchObject({ status: 'done', imported: 2 });

    await page.getByRole('button', { name: 'ราคาประเมินสิ่งปลูกสร้าง', exact: true }).click();
    await page.getByRole('searchbox').fill('ทดสอบหน้าจอ');
    await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'E2E1' });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('ตึกแถว 2 ชั้น (ทดสอบหน้าจอ)');
    expect(text).toContain('2566–2569');
    expect(text).toContain('8,100');
    expect(text).toContain('รวมพื้นที่ระเบียง');
    expect(await page.getByRole('row').filter({ hasText: 'E2E2' }).innerText()).toContain('—');
    expect(await page.getByRole('columnheader', { name: 'รหัสกรมธนารักษ์' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // In English the type shows its English name where the import gave one, the Thai one otherwise.
    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.reload();
    await page.getByRole('button', { name: 'Building appraisal', exact: true }).click();
    await page.getByRole('searchbox').fill('E2E');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: 'E2E1' }).innerText())
      .toContain('Two-storey shophouse (screen test)');
    expect(await page.getByRole('row').filter({ hasText: 'E2E2' }).innerText()).toContain(
      'โกดังเก็บสินค้า (ทดสอบหน้าจอ)',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
