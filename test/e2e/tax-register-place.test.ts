import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signedIn(page: Page) {
  await page.goto('/signin');
  await page.getByLabel(/อีเมล/).fill('revenue@demo.local');
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

function thaiId(stem: string) {
  const sum = [...stem].reduce((s, d, i) => s + Number(d) * (13 - i), 0);
  return stem + String((11 - (sum % 11)) % 10);
}

/** Finds a record on the register screen by a search and opens it. */
async function openBySearch(page: Page, tab: string, q: string) {
  await page.goto('/tax/register');
  await page.getByRole('table').waitFor();
  if (tab) await page.getByRole('button', { name: tab, exact: true }).click();
  await page.getByRole('searchbox', { name: 'ค้นหา' }).fill(q);
  await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^เปิด .*${q}`) }).click();
  const detail = page.getByTestId('register-detail');
  await detail.waitFor();
  return detail;
}

const square = (lon: number, lat: number, d: number) => [
  [lon, lat],
  [lon + d, lat],
  [lon + d, lat + d],
  [lon, lat + d],
  [lon, lat],
];

describe("a parcel's outline and a sign's language and photos on the register screen", () => {
  it('adds an outline in the correction form: a crossing one is refused beside the field, a good one is mapped', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedIn(page);
    const owner = await call(page, 'POST', '/api/tax/owners', {
      kind: 'person',
      taxId: thaiId('310990066001'),
      name: 'นางขอบเขต หน้าจอ (สังเคราะห์)',
    });
    const deedNo = `E2E-OUTLINE-${Date.now()}`;
    const made = await call(page, 'POST', '/api/tax/parcels', {
      ownerId: owner.body.id,
      deedKind: 'chanote',
      deedNo,
      area: { rai: 1, ngan: 0, wa: 0 },
      valuePerM2Baht: 1000,
      uses: [{ use: 'other', sharePercent: 100 }],
    });
    expect(made.status).toBe(201);
    const detail = await openBySearch(page, '', deedNo);
    expect(await detail.getByTestId('parcel-place').innerText()).toContain('ยังไม่มีตำแหน่งหรือขอบเขต');

    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    const form = page.getByTestId('register-edit');
    const outline = form.getByLabel('ขอบเขตแปลง (GeoJSON)');
    // A bow tie: its edges cross. The form sends it; the server refuses it beside the field.
    const bowTie = [
      [102.83, 16.43],
      [102.84, 16.44],
      [102.84, 16.43],
      [102.83, 16.44],
      [102.83, 16.43],
    ];
    await outline.fill(JSON.stringify({ type: 'Polygon', coordinates: [bowTie] }));
    const refused = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    expect((await refused).status()).toBe(422);
    const crossing = form.getByRole('alert').filter({ hasText: 'เส้นตัดกันเอง' });
    await crossing.waitFor();
    expect(await outline.getAttribute('aria-invalid')).toBe('true');
    expect(await outline.getAttribute('aria-describedby')).toContain(await crossing.getAttribute('id'));
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')))
      .toBe('boundary');
    expect(await seriousViolations(page)).toEqual([]);

    await outline.fill(JSON.stringify({ type: 'Polygon', coordinates: [square(102.83, 16.43, 0.001)] }));
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.waitFor({ state: 'detached' });
    const place = detail.getByTestId('parcel-place');
    await expect.poll(() => place.innerText()).toContain('ขอบเขต 4 มุม');
    // The point was taken from inside the outline; both are on the map and in its list.
    expect(await place.innerText()).toMatch(/ตำแหน่ง: 16\.43\d*, 102\.83/);
    await place.getByRole('region', { name: `แผนที่แปลง ${deedNo}` }).waitFor();
    // Its text alternative lists the outline and the point.
    expect(await place.locator('.map-list').innerText()).toContain('ขอบเขตแปลง (1)');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("corrects a sign's text language (its type follows) and adds a photo shown on the sign", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedIn(page);
    const owner = await call(page, 'POST', '/api/tax/owners', {
      kind: 'person',
      taxId: thaiId('310990066002'),
      name: 'นายป้ายรูป หน้าจอ (สังเคราะห์)',
    });
    const text = `E2E-SIGN-${Date.now()}`;
    const made = await call(page, 'POST', '/api/tax/signs', {
      ownerId: owner.body.id,
      widthCm: 200,
      heightCm: 100,
      textLanguage: 'thai-only',
      moving: false,
      text,
    });
    expect(made.status).toBe(201);
    const detail = await openBySearch(page, 'ป้าย', text);
    expect(await detail.innerText()).toContain('ประเภทป้าย 1 · อักษรไทยล้วน');

    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    const form = page.getByTestId('register-edit');
    await form.getByLabel('ภาษาของข้อความบนป้าย').selectOption('no-thai-or-thai-below');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => detail.innerText()).toContain('ประเภทป้าย 3 · ไม่มีอักษรไทย');

    const photos = detail.getByTestId('sign-photos');
    expect(await photos.getByRole('img').count()).toBe(0);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await photos
      .getByLabel('เพิ่มรูปถ่ายป้าย')
      .setInputFiles({ name: 'sign.png', mimeType: 'image/png', buffer: png });
    const saved = page.waitForResponse((r) => r.url().endsWith('/photos') && r.request().method() === 'POST');
    await photos.getByRole('button', { name: 'บันทึกรูป' }).click();
    expect((await saved).status()).toBe(200);
    await photos.getByRole('status').filter({ hasText: 'เพิ่มรูปแล้ว 1 รูป' }).waitFor();
    const img = photos.getByRole('img', { name: `รูปป้ายที่ 1: ${text}` });
    await img.waitFor();
    // The photo loads (served to finance staff, re-encoded as JPEG).
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
