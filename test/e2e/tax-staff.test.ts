import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, newPage, seriousViolations } from './browser.ts';
import { webhookSecret } from './platform.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signIn(page: Page) {
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

/** A bill of this test's own: an owner and a commercial parcel, assessed for 2569. */
async function ownBill(page: Page) {
  const owner = await call(page, 'POST', '/api/tax/owners', {
    kind: 'person',
    taxId: thaiId(`3109${String(Date.now()).slice(-8)}`),
    name: 'นายทดสอบ คิวชำระเงิน',
  });
  expect(owner.status).toBe(201);
  const parcel = await call(page, 'POST', '/api/tax/parcels', {
    ownerId: owner.body.id,
    deedKind: 'chanote',
    deedNo: `E2E-Q-${Date.now()}`,
    area: { rai: 1, ngan: 0, wa: 0 },
    valuePerM2Baht: 5_000,
    uses: [{ use: 'other', sharePercent: 100 }],
  });
  expect(parcel.status).toBe(201);
  expect((await call(page, 'POST', '/api/tax/assessments/2569')).status).toBe(200);
  const opened = await call(page, 'GET', `/api/tax/register/parcels/${parcel.body.id}`);
  const bill = opened.body.bills[0] as { id: string; number: string; amountSatang: number };
  expect(bill.amountSatang).toBeGreaterThan(0);
  return { ...bill, amountBaht: (bill.amountSatang / 100).toFixed(2) };
}

/** The bank reports a payment through the signed webhook; answers its transaction id. */
async function bankPays(billNumber: string, amount: string) {
  const transactionId = `E2E-Q-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  // Paid before the 2569 due date, so the tax alone is the amount due (late charges are late.test's).
  const body = JSON.stringify({ transactionId, billNumber, amount, paidAt: '2026-04-20T03:00:00Z' });
  const at = Math.floor(Date.now() / 1000);
  const res = await fetch(`${baseUrl()}/api/tax/payments/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-mueang-timestamp': String(at),
      'x-mueang-signature': createHmac('sha256', webhookSecret).update(`${at}.${body}`).digest('hex'),
    },
    body,
  });
  expect((await res.json()).status).not.toBe('matched');
  return transactionId;
}

describe('finance staff screens', () => {
  it('settles a queued bank payment: matched to its bill, a second one refused, a third closed with a reason', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page);
    const bill = await ownBill(page);
    const wrongRef = await bankPays('LB2569E2E0001', bill.amountBaht);
    const again = await bankPays('LB2569E2E0002', bill.amountBaht);

    await page.goto('/tax');
    await page.getByRole('link', { name: 'รายการชำระเงินจากธนาคารที่จับคู่ไม่ได้' }).click();
    await page.getByRole('heading', { name: 'รายการชำระเงินที่รอดำเนินการ' }).waitFor();
    await page.getByRole('button', { name: `ดำเนินการ ${wrongRef}` }).click();
    const form = page.getByTestId('resolve-form');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    const field = form.getByLabel('เลขที่ใบแจ้งภาษี');
    expect(await field.inputValue()).toBe('LB2569E2E0001');
    expect(await seriousViolations(page)).toEqual([]);

    // Empty: refused beside the field; a bill that does not exist: the server says so beside it.
    await field.fill('');
    await form.getByRole('button', { name: 'บันทึกการดำเนินการ' }).click();
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await field.fill('ZZ9999999');
    await form.getByRole('button', { name: 'บันทึกการดำเนินการ' }).click();
    await form.getByText('ไม่พบใบแจ้งภาษีเลขที่นี้').first().waitFor();
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);

    await field.fill(bill.number);
    await form.getByRole('button', { name: 'บันทึกการดำเนินการ' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `รายการ ${wrongRef}: ชำระใบแจ้งภาษีแล้ว` })
      .waitFor();
    await expect.poll(() => page.getByRole('button', { name: `ดำเนินการ ${wrongRef}` }).count()).toBe(0);
    expect((await call(page, 'GET', `/api/tax/bills/${bill.id}`)).body.status).toBe('paid');

    // The second payment for the same bill: the bill is paid, so matching is refused (409).
    await page.getByRole('button', { name: `ดำเนินการ ${again}` }).click();
    await form.getByLabel('เลขที่ใบแจ้งภาษี').fill(bill.number);
    await form.getByRole('button', { name: 'บันทึกการดำเนินการ' }).click();
    await form.getByRole('alert').filter({ hasText: 'ใบแจ้งภาษีนี้ชำระแล้ว' }).waitFor();
    // Closed as a refund instead: the reason is required.
    await form.getByLabel('ปิดรายการ: คืนเงินให้ผู้ชำระ').check();
    await form.getByRole('button', { name: 'บันทึกการดำเนินการ' }).click();
    const reason = form.getByLabel('เหตุผล (จำเป็น)');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('ชำระซ้ำ คืนเงินทางบัญชีเดิม');
    await form.getByRole('button', { name: 'บันทึกการดำเนินการ' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `รายการ ${again}: คืนเงินแล้ว` })
      .waitFor();

    await page.getByLabel('แสดง').selectOption('resolved');
    const settled = page.getByRole('row').filter({ hasText: again });
    await settled.waitFor();
    expect(await settled.innerText()).toContain('ชำระซ้ำ คืนเงินทางบัญชีเดิม');
    expect(await page.getByRole('row').filter({ hasText: wrongRef }).innerText()).toContain(bill.number);
    expect(await seriousViolations(page)).toEqual([]);

    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.reload();
    await page.getByRole('heading', { name: 'Bank payments to settle' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('lists arrears as of a chosen day with surcharge, penalty and totals, in B.E. in Thai', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page);
    await page.goto('/tax/arrears');
    const asOf = page.getByLabel('ณ วันที่', { exact: true });
    await asOf.waitFor();
    const answered = page.waitForResponse((r) => r.url().includes('/api/tax/arrears?asOf=2026-06-15'));
    await asOf.fill('2026-06-15');
    const api = (await (await answered).json()) as {
      bills: { totalSatang: number; number: string }[];
      totals: { totalSatang: number };
    };
    expect(api.bills.length).toBeGreaterThan(0);
    await page.getByRole('heading', { name: /ใบแจ้งภาษีที่เกินกำหนด ณ วันที่ 15 มิ\.ย\. 2569/ }).waitFor();
    const table = page.getByRole('table');
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('เงินเพิ่ม'),
        expect.stringContaining('เบี้ยปรับ'),
        expect.stringContaining('รวม'),
      ]),
    );
    // The totals are the API's over every overdue bill, not the page's.
    const total = api.totals.totalSatang / 100;
    const totals = await page.getByTestId('arrears-totals').innerText();
    expect(totals).toContain(
      total.toLocaleString('th-TH', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    );
    expect(await table.innerText()).toContain('30 เม.ย. 2569');
    expect(await seriousViolations(page)).toEqual([]);

    await asOf.fill('2026-04-30');
    await page.getByText('ไม่มีใบแจ้งภาษีที่เกินกำหนด ณ วันนี้').waitFor();

    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.reload();
    await page.getByLabel('As of', { exact: true }).fill('2026-06-15');
    await page.getByRole('heading', { name: 'Bills past due on 15 Jun 2026' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows whether each overdue bill had its reminder, and sends the reminders of a year', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page);
    const loaded = page.waitForResponse((r) => r.url().includes('/api/tax/arrears?asOf='));
    await page.goto('/tax/arrears');
    const before = (await (await loaded).json()) as { bills: { taxYear: number; reminder: unknown }[] };
    expect(before.bills.some((b) => b.taxYear === 2569 && !b.reminder)).toBe(true);
    const table = page.getByRole('table');
    await table.getByRole('columnheader', { name: /หนังสือแจ้งเตือน/ }).waitFor();
    expect(await table.innerText()).toContain('ยังไม่ได้ส่ง');
    const send = page.getByRole('button', { name: /^ส่งหนังสือแจ้งเตือนปีภาษี 2569/ });
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/tax/reminders'));
    await send.click();
    const answer = (await (await sent).json()) as { sent: number };
    expect(answer.sent).toBeGreaterThan(0);
    await page
      .getByTestId('reminders-sent')
      .getByText(`ส่งหนังสือแจ้งเตือนปีภาษี 2569 แล้ว ${answer.sent} ฉบับ`)
      .waitFor();
    await table
      .getByText(/^ส่งเมื่อ .* ให้ชำระภายใน /)
      .first()
      .waitFor();
    await send.waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows the report of a chosen tax year', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page);
    await page.goto('/tax');
    const year = page.getByLabel('ปีภาษี', { exact: true });
    await year.waitFor();
    await page.getByRole('table', { name: /2569/ }).waitFor();
    const asked = page.waitForResponse((r) => r.url().endsWith('/api/tax/reports/2568'));
    await year.selectOption('2568');
    expect((await asked).status()).toBe(200);
    await page.getByRole('heading', { name: /2568/ }).waitFor();
    await page.getByText('ไม่มีใบแจ้งภาษีของปีภาษี 2568').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await year.selectOption('2569');
    await page.getByRole('table', { name: /2569/ }).waitFor();
    await context.close();
  });

  it('lists and searches owners on the register screen, IDs masked until one is opened', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page);
    const taxId = thaiId(`3209${String(Date.now()).slice(-8)}`);
    const made = await call(page, 'POST', '/api/tax/owners', {
      kind: 'person',
      taxId,
      name: 'นางค้นหา รายชื่อเจ้าของ',
    });
    expect(made.status).toBe(201);
    await page.goto('/tax/register');
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'เจ้าของ', exact: true }).click();
    await page.getByRole('table', { name: /เจ้าของ/ }).waitFor();
    await page.getByRole('searchbox', { name: 'ค้นหา' }).fill('ค้นหา รายชื่อ');
    await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'นางค้นหา รายชื่อเจ้าของ' });
    await row.waitFor();
    expect(await page.getByRole('table').innerText()).not.toContain(taxId);
    expect(await row.innerText()).toContain(`*********${taxId.slice(-4)}`);
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('button', { name: 'เปิด นางค้นหา รายชื่อเจ้าของ' }).click();
    const card = page.getByTestId('owner-card');
    await card.getByRole('heading', { name: 'นางค้นหา รายชื่อเจ้าของ' }).waitFor();
    expect(await card.innerText()).toContain(taxId);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
