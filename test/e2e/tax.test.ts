import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, newPage, phone, seriousViolations } from './browser.ts';
import { webhookSecret } from './platform.ts';

const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/**
 * The PDF's text, spaces collapsed. pdftotext reads the shaped glyphs back with SARA AM (ำ) as ำา
 * and some tone marks before the vowel above (ท่ี for ที่), so both are put back in Unicode order.
 */
const pdfText = (file: string) =>
  execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    .replaceAll('ำา', 'ำ')
    .replace(/([\u0E48-\u0E4B])([\u0E31\u0E34-\u0E37\u0E47])/g, '$2$1')
    .replace(/[ \t]+/g, ' ');

const thaiMonths =
  'มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม'.split(' ');
/** "26 พฤศจิกายน 2569 เวลา 23:05": the day in Bangkok (UTC+7, no summer time), the year + 543. */
function buddhistEra(at: Date) {
  const d = new Date(at.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${thaiMonths[d.getUTCMonth()]} ${d.getUTCFullYear() + 543} เวลา ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
/** Where pdftotext places a word on the first page, in pixels at 150 dpi. */
function wordBox(file: string, word: string): Box {
  const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
  for (const m of html.matchAll(
    /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
  )) {
    const text = m[5].replace(/([\u0E48-\u0E4B])([\u0E31\u0E34-\u0E37\u0E47])/g, '$2$1');
    if (text !== word) continue;
    const [x0, y0, x1, y1] = m.slice(1, 5).map((v) => (Number(v) * 150) / 72);
    return { x: Math.floor(x0), y: Math.floor(y0), w: Math.ceil(x1 - x0), h: Math.ceil(y1 - y0) };
  }
  throw new Error(`"${word}" not found in ${file}`);
}
/** The share of dark pixels (luminance under 128) in a box of a PNG. */
function darkShare(png: PNG, box: Box) {
  let dark = 0;
  for (let y = box.y; y < box.y + box.h; y++)
    for (let x = box.x; x < box.x + box.w; x++) {
      const i = (y * png.width + x) * 4;
      if (0.299 * png.data[i] + 0.587 * png.data[i + 1] + 0.114 * png.data[i + 2] < 128) dark++;
    }
  return dark / (box.w * box.h);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('local taxes on a phone', () => {
  it('a citizen opens a bill, sees its QR, the bank pays it, and the Thai receipt PDF downloads', async () => {
    const { context, page } = await newPage(browser, phone);
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('citizen@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/tax');
    const bill = page.getByTestId('bill').filter({ hasText: 'ภาษีป้าย' });
    await bill.waitFor();
    const qr = bill.locator('img');
    await expect
      .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(100);
    // Due 30 April 2026, so by now late: the screen, the QR and the bill PDF ask for tax + surcharge.
    const mine = await (await context.request.get(`${baseUrl()}/api/tax/mine`)).json();
    const due = mine.find((b: { taxKind: string }) => b.taxKind === 'sign').amountDueBaht as string;
    expect(Number(due)).toBeGreaterThan(200);
    expect(await qr.getAttribute('alt')).toContain(due);
    await expect.poll(() => bill.getByTestId('late-charges').innerText()).toContain('ยอดที่ต้องชำระวันนี้');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/tax-phone.png', fullPage: true });
    const dir = mkdtempSync(join(tmpdir(), 'mueang-e2e-pdf-'));
    const notice = await context.request.get(
      `${baseUrl()}${await bill.getByTestId('notice').getAttribute('href')}`,
    );
    expect(notice.headers()['content-type']).toBe('application/pdf');
    writeFileSync(join(dir, 'bill.pdf'), await notice.body());
    // pdftotext reads SARA AM (ำ) back as ำา from the shaped glyphs.
    const billText = execFileSync('pdftotext', ['-layout', join(dir, 'bill.pdf'), '-'], {
      encoding: 'utf8',
    }).replaceAll('ำา', 'ำ');
    for (const words of ['เทศบาลนครขอนแก่น', 'ใบแจ้งการประเมินและชำระภาษี', '30 เมษายน 2569', due])
      expect(billText).toContain(words);

    // The bank reports the payment through the signed webhook.
    const number = (await bill.locator('code').innerText()).trim();
    const paidAt = new Date();
    const body = JSON.stringify({
      transactionId: `E2E-${Date.now()}`,
      billNumber: number,
      amount: due,
      paidAt: paidAt.toISOString(),
    });
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
    expect(await res.json()).toMatchObject({ status: 'matched' });

    await page.reload();
    const receipt = page.getByTestId('bill').filter({ hasText: 'ภาษีป้าย' }).getByTestId('receipt');
    await receipt.waitFor();
    // A real download, as the citizen gets it: click the link and take the file the browser saves.
    const [download] = await Promise.all([page.waitForEvent('download'), receipt.click()]);
    expect(download.suggestedFilename()).toBe(`receipt-${number}.pdf`);
    const file = join(dir, 'receipt.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    // Every font is embedded, and the Thai text is set in Sarabun (regular and bold).
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((line) => /^\S+\+(\S+)\s.*\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(line));
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f?.[2] === 'yes')).toBe(true);
    expect(new Set(fonts.map((f) => f?.[1]))).toEqual(new Set(['Sarabun-Regular', 'Sarabun-Bold']));
    // Thai text is in the PDF as text; the paid date is the Buddhist-Era day and Bangkok time the bank gave.
    const text = pdfText(file);
    for (const words of ['เทศบาลนครขอนแก่น', 'ใบเสร็จรับเงิน', 'Surcharge', 'บาทถ้วน', due, '2569'])
      expect(text).toContain(words);
    expect(text).toContain(`วันที่ชำระ ${buddhistEra(paidAt)}`);

    // Rendered as the citizen would print it: the verification QR reads back, and the title has ink.
    execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', file, join(dir, 'receipt')]);
    const png = PNG.sync.read(readFileSync(join(dir, 'receipt.png')));
    const verifyUrl = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
    const billId = mine.find((b: { taxKind: string }) => b.taxKind === 'sign').id as string;
    expect(verifyUrl).toMatch(new RegExp(`^https?://[^/]+/api/tax/verify/${billId}$`));
    const verified = await (await fetch(`${baseUrl()}${new URL(verifyUrl!).pathname}`)).json();
    expect(verified).toMatchObject({ number, status: 'paid', paidBaht: due });
    const title = wordBox(file, 'ใบเสร็จรับเงิน');
    expect(darkShare(png, title)).toBeGreaterThan(0.05);
    // The same measure finds no ink in a margin, so the check above can fail.
    expect(darkShare(png, { ...title, x: 0, w: 40 })).toBe(0);
    await context.close();
  });

  it('revenue staff import a register file and watch its progress and row errors', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('revenue@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/tax');
    const rows = [
      'ownerTaxId,ownerKind,ownerName,deedKind,deedNo,rai,ngan,wa,valuePerM2Baht,use,mainHome,vacantYears,lon,lat',
    ];
    for (let i = 0; i < 300; i++)
      rows.push(
        `3109900123453,person,นายทดสอบ นำเข้า,chanote,E2E-${i},0,1,${i % 99},4000,other,,,102.82,16.44`,
      );
    rows.push('1234567890122,person,เลขผิด,chanote,E2E-BAD,1,0,0,5000,other,,,,');
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.locator('[data-testid="import-status"][data-state="done"]').waitFor({ timeout: 60_000 });
    const status = await page.getByTestId('import-status').innerText();
    expect(status).toContain('นำเข้าได้ 300 แปลง');
    // The row's reason in Thai, from its code.
    expect(status).toContain('เลขตรวจสอบของเลขประจำตัวผู้เสียภาษีไม่ถูกต้อง');
    expect(await page.locator('#import-progress').getAttribute('value')).toBe('301');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('revenue staff upload a bank statement and read each row’s outcome in Thai', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('revenue@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/tax');
    const stamp = Date.now();
    const csv = [
      'transactionId,billNumber,amount,paidAt',
      `E2E-STM-${stamp}-1,LB2569999999,10.00,2026-11-20T10:00:00+07:00`,
      `E2E-STM-${stamp}-2,LB2569999999,10.00,yesterday`,
      `E2E-STM-${stamp}-3,too,few`,
    ].join('\n');
    await page
      .getByTestId('statement-file')
      .setInputFiles({ name: 'statement.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const status = page.getByTestId('statement-status');
    await status.waitFor();
    const text = await status.innerText();
    expect(text).toContain('อ่านได้ 3 แถว ชำระใบแจ้งหรืองวดได้ 0 รายการ');
    expect(text).toContain('ไม่พบใบแจ้งเลขนี้');
    expect(text).toContain('paidAt: ไม่ใช่ date-time ที่ถูกต้อง');
    expect(text).toContain('แถวของรายการเดินบัญชีต้องมี 4 คอลัมน์');
    expect(text).not.toContain('expected 4 columns');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('a citizen declares a signboard on a phone, is told what is missing, and an officer accepts it', async () => {
    const { context, page } = await newPage(browser, phone);
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('citizen@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/tax');
    const form = page.getByTestId('declaration-form');
    await form.waitFor();
    // Sent empty: each field says what it needs, announced, and focus goes to the first.
    await form.getByRole('button', { name: 'ส่งแบบ' }).click();
    expect(await form.getByRole('alert').count()).toBeGreaterThanOrEqual(5);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('widthCm');
    expect(await seriousViolations(page)).toEqual([]);

    const text = `ร้านทดสอบ E2E ${Date.now()}`;
    await form.getByLabel('ความกว้าง (ซม.)').fill('300');
    await form.getByLabel('ความสูง (ซม.)').fill('100');
    await form.getByLabel(/ประเภท 2/).check();
    await form.getByLabel('ไม่เคลื่อนที่').check();
    await form.getByLabel('ข้อความบนป้าย').fill(text);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await form.getByLabel(/รูปถ่ายป้าย/).setInputFiles({ name: 'sign.png', mimeType: 'image/png', buffer: png });
    // A sign put up tomorrow is refused beside the field, which takes the focus.
    const installed = form.getByLabel(/วันที่ติดตั้งป้าย/);
    await installed.fill(new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10));
    await form.getByRole('button', { name: 'ส่งแบบ' }).click();
    await expect.poll(() => form.getByRole('alert').innerText()).toContain('วันที่ติดตั้ง');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('installedOn');
    expect(await seriousViolations(page)).toEqual([]);
    // Left empty: declared now, after March, so the bill adds the late-filing surcharge (s.25(1)).
    await installed.fill('');
    await form.getByRole('button', { name: 'ส่งแบบ' }).click();
    await expect.poll(() => page.getByTestId('declaration-done').innerText()).toContain('ส่งแบบแล้ว');
    await expect.poll(() => page.getByTestId('my-declarations').innerText()).toContain(text);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    const office = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await office.page.goto('/signin');
    await office.page.getByLabel(/อีเมล/).fill('revenue@demo.local');
    await office.page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await office.page.locator('form button[type="submit"]').click();
    await office.page.waitForURL('**/account');
    await office.page.goto('/tax');
    await office.page.getByRole('button', { name: `รับป้าย “${text}” เข้าทะเบียน` }).click();
    await expect
      .poll(() => office.page.getByRole('status').filter({ hasText: 'เข้าทะเบียนแล้ว' }).count())
      .toBe(1);
    expect(await seriousViolations(office.page)).toEqual([]);
    // The year is assessed again: the new sign's bill carries the surcharge as a line of its working.
    const staffCall = (method: string, url: string) =>
      office.page.evaluate(
        async ({ method, url }) => {
          const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
          const res = await fetch(url, { method, headers: { 'x-csrf-token': csrfToken } });
          return (await res.json()) as { items?: { id: string }[]; bills?: { number: string }[] };
        },
        { method, url },
      );
    await staffCall('POST', '/api/tax/assessments/2569');
    const found = await staffCall('GET', `/api/tax/register/signs?q=${encodeURIComponent(text)}`);
    const opened = await staffCall('GET', `/api/tax/register/signs/${found.items?.[0]?.id}`);
    const number = opened.bills?.[0]?.number as string;
    await office.context.close();

    const again = await newPage(browser, phone);
    await again.page.goto('/signin');
    await again.page.getByLabel(/อีเมล/).fill('citizen@demo.local');
    await again.page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await again.page.locator('form button[type="submit"]').click();
    await again.page.waitForURL('**/account');
    await again.page.goto('/tax');
    const bill = again.page.getByTestId('bill').filter({ hasText: number });
    await bill.locator('summary').click();
    const working = bill.locator('ol.working');
    await expect.poll(() => working.innerText()).toContain('มาตรา 25(1)');
    expect(await working.innerText()).toContain('ภาษีป้ายรวมเงินเพิ่ม');
    expect(await seriousViolations(again.page)).toEqual([]);
    await again.context.close();
  });

  it('finance staff search the register, page through it and open a parcel', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('revenue@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/tax');
    await page.getByRole('link', { name: /เปิดทะเบียน/ }).click();
    await page.waitForURL('**/tax/register');
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: /^เปิด / }).first().click();
    const detail = page.getByTestId('register-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('เจ้าของ');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    await page.getByRole('button', { name: 'ป้าย', exact: true }).click();
    expect(await detail.count()).toBe(0);
    await page.getByLabel('ค้นหา', { exact: true }).fill('ไม่มีป้ายนี้แน่นอน');
    await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
    await page.getByText('ไม่พบรายการ').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('finance staff correct a parcel: a bad value is shown and focused, a good one is saved, a stale copy is refused', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('revenue@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/tax/register');
    await page.getByRole('table').waitFor();
    const opened = page.waitForResponse((r) => /\/api\/tax\/register\/parcels\/[^/?]+$/.test(r.url()));
    await page.getByRole('button', { name: /^เปิด / }).first().click();
    const parcel = (await (await opened).json()) as { id: string; version: number; areaM2: number };
    const detail = page.getByTestId('register-detail');
    await detail.waitFor();

    // A ngan out of its 0–3 range: the message sits beside the field, is announced, and focus goes there.
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    const form = page.getByTestId('register-edit');
    const ngan = form.getByLabel('งาน', { exact: true });
    const rai = Number(await form.getByLabel('ไร่', { exact: true }).inputValue());
    const wa = Number(await form.getByLabel('ตารางวา', { exact: true }).inputValue());
    const before = Number(await ngan.inputValue());
    await ngan.fill('5');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const error = form.getByRole('alert').filter({ hasText: 'กรุณากรอกตัวเลขในช่วงที่กำหนด' });
    await error.waitFor();
    expect(await ngan.getAttribute('aria-invalid')).toBe('true');
    expect(await ngan.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('ngan');
    expect(await seriousViolations(page)).toEqual([]);

    // Corrected and saved: the form closes and the parcel shows its new area.
    // Ngan values other than the one read, never 0 so a parcel of under a rai keeps an area.
    const [next, other] = [1, 2, 3].filter((n) => n !== before);
    const areaM2 = rai * 1600 + next * 400 + wa * 4;
    expect(areaM2).not.toBe(parcel.areaM2);
    await ngan.fill(String(next));
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => detail.innerText()).toContain(areaM2.toLocaleString('th-TH'));

    // Someone else corrects the same parcel meanwhile, through the API with a token.
    await detail.getByRole('button', { name: 'แก้ไข', exact: true }).click();
    await form.waitFor();
    const login = await fetch(`${baseUrl()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'revenue@demo.local', password: 'mueang-demo' }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const created = await fetch(`${baseUrl()}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'e2e register edit' }),
    });
    const { token } = (await created.json()) as { token: string };
    const bearer = { authorization: `Bearer ${token}` };
    const url = `${baseUrl()}/api/tax/register/parcels/${parcel.id}`;
    const current = (await (await fetch(url, { headers: bearer })).json()) as { version: number };
    expect(current.version).toBe(parcel.version + 1);
    const meanwhile = await fetch(url, {
      method: 'PATCH',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ version: current.version, area: { rai, ngan: other, wa } }),
    });
    expect(meanwhile.status).toBe(200);

    // The form's copy is now stale: saving it is refused, nothing is written, and it offers the current one.
    await ngan.fill(String(before));
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    const stale = form.getByRole('alert').filter({ hasText: 'มีผู้อื่นแก้ไขรายการนี้' });
    await stale.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await stale.getByRole('button', { name: 'โหลดข้อมูลล่าสุด' }).click();
    await form.waitFor({ state: 'detached' });
    const otherM2 = rai * 1600 + other * 400 + wa * 4;
    await expect.poll(() => detail.innerText()).toContain(otherM2.toLocaleString('th-TH'));
    const after = (await (await fetch(url, { headers: bearer })).json()) as {
      version: number;
      areaM2: number;
    };
    expect(after).toMatchObject({ version: parcel.version + 2, areaM2: otherM2 });
    await context.close();
  });
});
