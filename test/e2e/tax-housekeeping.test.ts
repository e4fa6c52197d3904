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

const baht = (satang: number, locale: string) =>
  (satang / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('finance staff: arrears pages, sign photo removal, owner merge', () => {
  it('shows the totals of every overdue bill whatever the page, and filters by tax', async () => {
    const { context, page } = await newPage(browser);
    await signedIn(page);
    await page.goto('/tax/arrears');
    const asOf = page.getByLabel('ณ วันที่', { exact: true });
    await asOf.waitFor();
    const all = page.waitForResponse((r) => r.url().includes('/api/tax/arrears?asOf=2026-06-15'));
    await asOf.fill('2026-06-15');
    const body = (await (await all).json()) as {
      total: number;
      totals: { count: number; totalSatang: number };
    };
    expect(body.total).toBeGreaterThan(0);
    const totals = page.getByTestId('arrears-totals');
    await expect.poll(() => totals.innerText()).toContain(baht(body.totals.totalSatang, 'th-TH'));
    expect(await totals.innerText()).toContain(body.totals.count.toLocaleString('th-TH'));
    await page.getByText('ยอดรวมนับทุกใบแจ้งที่เกินกำหนด').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const signs = page.waitForResponse((r) => r.url().includes('taxKind=sign'));
    await page.getByLabel('ประเภทภาษี').selectOption('sign');
    const signBody = (await (await signs).json()) as {
      totals: { totalSatang: number };
      bills: { taxKind: string }[];
    };
    expect(signBody.bills.every((b) => b.taxKind === 'sign')).toBe(true);
    await expect.poll(() => totals.innerText()).toContain(baht(signBody.totals.totalSatang, 'th-TH'));
    // A zone with no parcels in it: nothing past due there.
    await page.getByLabel('ประเภทภาษี').selectOption('');
    await page.getByLabel('เขต (รหัส)').fill('NO-SUCH-ZONE');
    await page.getByText('ไม่มีใบแจ้งภาษีที่เกินกำหนด ณ วันนี้').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('removes a photo of a sign after asking, and the sign shows one photo fewer', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signedIn(page);
    const owner = await call(page, 'POST', '/api/tax/owners', {
      kind: 'person',
      taxId: thaiId(`3309${String(Date.now()).slice(-8)}`),
      name: 'นางลบรูป ป้าย (สังเคราะห์)',
    });
    const text = `E2E-PHOTO-${Date.now()}`;
    const made = await call(page, 'POST', '/api/tax/signs', {
      ownerId: owner.body.id,
      widthCm: 100,
      heightCm: 50,
      textLanguage: 'thai-only',
      moving: false,
      text,
    });
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const added = await call(page, 'POST', `/api/tax/register/signs/${made.body.id}/photos`, {
      version: 1,
      photos: [
        { contentType: 'image/png', data: png },
        { contentType: 'image/png', data: png },
      ],
    });
    expect(added.status).toBe(200);

    await page.goto('/tax/register');
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'ป้าย', exact: true }).click();
    await page.getByRole('searchbox', { name: 'ค้นหา' }).fill(text);
    await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    await page.getByRole('button', { name: new RegExp(`^เปิด .*${text}`) }).click();
    const photos = page.getByTestId('register-detail').getByTestId('sign-photos');
    await expect.poll(() => photos.getByRole('img').count()).toBe(2);
    await photos.getByRole('button', { name: 'ลบ รูปที่ 1' }).click();
    const dialog = page.getByTestId('confirm-remove').filter({ hasText: 'รูปที่ 1' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const removed = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await dialog.getByRole('button', { name: 'ลบออกจากทะเบียน' }).click();
    expect((await removed).status()).toBe(200);
    await expect.poll(() => photos.getByRole('img').count()).toBe(1);
    expect((await call(page, 'GET', `/api/tax/register/signs/${made.body.id}`)).body.photos).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("merges from the owner card, and shows the server's refusal of two people's records", async () => {
    const { context, page } = await newPage(browser);
    await signedIn(page);
    const stamp = String(Date.now()).slice(-8);
    const name = `นายรวม ระเบียน ${stamp}`;
    for (const [stem, n] of [
      [`3409${stamp}`, name],
      [`3509${stamp}`, `${name} ซ้ำ`],
    ]) {
      expect(
        (await call(page, 'POST', '/api/tax/owners', { kind: 'person', taxId: thaiId(stem), name: n }))
          .status,
      ).toBe(201);
    }
    await page.goto('/tax/register');
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'เจ้าของ', exact: true }).click();
    await page.getByRole('searchbox', { name: 'ค้นหา' }).fill(name);
    await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    await page.getByRole('button', { name: `เปิด ${name}`, exact: true }).click();
    const card = page.getByTestId('owner-card');
    await card.getByRole('heading', { name, exact: true }).waitFor();
    await card.getByRole('button', { name: 'รวมระเบียนอื่นเข้ากับระเบียนนี้' }).click();
    const merge = card.getByTestId('owner-merge');
    await merge.getByLabel('ชื่อหรือเลขประจำตัว 13 หลักของอีกระเบียน').fill(`${name} ซ้ำ`);
    await merge.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    await merge.getByRole('status').filter({ hasText: 'พบระเบียนอื่น 1 ระเบียน' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await merge.getByRole('button', { name: new RegExp(`^ตรวจดูระเบียนของ ${name} ซ้ำ`) }).click();
    const confirm = merge.getByTestId('merge-confirm');
    await expect.poll(() => confirm.innerText()).toContain(thaiId(`3509${stamp}`));
    await confirm.getByRole('button', { name: 'รวมเข้ากับระเบียนนี้' }).click();
    // Both IDs pass the check digit and differ: two people, refused and said why.
    const alert = confirm.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('คนละคน');
    expect(await alert.innerText()).toContain('tax.merge_ids_differ');
    expect(await seriousViolations(page)).toEqual([]);

    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.reload();
    await page.getByRole('button', { name: 'Owners', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill(name);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('button', { name: `Open ${name}`, exact: true }).click();
    await card.getByRole('button', { name: 'Merge another record into this one' }).click();
    await card.getByRole('heading', { name: `Merge another record of ${name}` }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
