import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp, testWebhookSecret } from '../../core/testing/index.ts';
import { bangkokDay } from './late.ts';
import { parsePayload } from './promptpay.ts';
import { thaiId } from './testing.ts';

const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

// A municipality of its own, to show both PDFs take it from the configuration.
const city = {
  MUNICIPALITY_NAME_TH: 'เทศบาลนครทดสอบ',
  MUNICIPALITY_NAME_EN: 'Test City Municipality',
  MUNICIPALITY_TAX_ID: '0994000999999',
  MUNICIPALITY_PHONE: '043 000 999',
};

let t: TestApp;
let revenue: Record<string, string>;
let citizen: Record<string, string>;
beforeAll(async () => {
  t = await testApp({ env: city });
  revenue = await t.signInAs('revenue@demo.local');
  citizen = await t.signIn('citizen');
});
afterAll(() => t?.close());

const dir = mkdtempSync(join(tmpdir(), 'mueang-notice-'));
let files = 0;
function save(pdf: Buffer) {
  const file = join(dir, `f${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
/**
 * The PDF's text. pdftotext reads the shaped glyphs back with SARA AM (ำ) as ำา and some tone marks
 * before the vowel above (ท่ี for ที่), so both are put back in Unicode order.
 */
const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', [save(pdf), '-'], { encoding: 'utf8' })
    .replaceAll('ำา', 'ำ')
    .replace(/([\u0E48-\u0E4B])([\u0E31\u0E34-\u0E37\u0E47])/g, '$2$1');
/** The QR codes of the PDF's images, decoded. */
function pdfQrs(pdf: Buffer): string[] {
  const prefix = join(dir, `img${++files}`);
  execFileSync('pdfimages', ['-png', save(pdf), prefix]);
  return readdirSync(dir)
    .filter((f) => join(dir, f).startsWith(prefix) && f.endsWith('.png'))
    .map((f) => {
      const png = PNG.sync.read(readFileSync(join(dir, f)));
      return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? '';
    })
    .filter(Boolean); // pdfimages also writes each image's soft mask, which holds no code
}
const figure = (satang: number) =>
  (satang / 100).toLocaleString('th-TH', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function signed(body: object) {
  const payload = JSON.stringify(body);
  const at = Math.floor(Date.now() / 1000);
  return {
    method: 'POST' as const,
    url: '/api/tax/payments/webhook',
    headers: {
      'content-type': 'application/json',
      'x-mueang-timestamp': String(at),
      'x-mueang-signature': createHmac('sha256', testWebhookSecret).update(`${at}.${payload}`).digest('hex'),
    },
    payload,
  };
}
const pay = (transactionId: string, billNumber: string, amount: string, paidAt = new Date().toISOString()) =>
  t.json(signed({ transactionId, billNumber, amount, paidAt }));
const notice = (id: string, headers: Record<string, string> = citizen) =>
  t.app.inject({ method: 'GET', url: `/api/tax/bills/${id}/notice.pdf`, headers });
const bill = async (id: string) =>
  (await t.json({ method: 'GET', url: `/api/tax/bills/${id}`, headers: revenue })).body;
const yesterday = () => bangkokDay(new Date(Date.now() - 86_400_000));

/** A new owner with one subject, assessed for 2569: its bill. */
async function ownBill(stem: string, subject: 'parcel' | 'sign') {
  const owner = await t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: revenue,
    payload: { kind: 'juristic', taxId: thaiId(stem), name: `บริษัท ทดสอบ ${stem} จำกัด` },
  });
  const made =
    subject === 'parcel'
      ? await t.json({
          method: 'POST',
          url: '/api/tax/parcels',
          headers: revenue,
          payload: {
            ownerId: owner.body.id,
            deedKind: 'chanote',
            deedNo: `N-${stem}`,
            area: { rai: 0, ngan: 1, wa: 0 },
            valuePerM2Baht: 10_000,
            uses: [{ use: 'other', sharePercent: 100 }],
          },
        })
      : // 300 × 200 cm, type 3, static: 120 units × 50 baht = 6,000 baht.
        await t.json({
          method: 'POST',
          url: '/api/tax/signs',
          headers: revenue,
          payload: {
            ownerId: owner.body.id,
            widthCm: 300,
            heightCm: 200,
            type: 3,
            moving: false,
            text: 'SHOP',
          },
        });
  expect(made.status).toBe(201);
  await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
  const [row] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM tax_bills WHERE parcel_id = ${made.body.id} OR sign_id = ${made.body.id}`,
  );
  return bill(row.id);
}

describe('the bill as a PDF payment notice', () => {
  it("gives the citizen their bill in Thai and English, with the screen's QR and today's amount due", async () => {
    const mine = (await t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen })).body;
    const sign = mine.find((b: { taxKind: string }) => b.taxKind === 'sign');
    const res = await notice(sign.id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.rawPayload);
    for (const part of [
      'ใบแจ้งการประเมินและชำระภาษี',
      'Tax bill and payment notice',
      'ภาษีป้าย',
      sign.number,
      sign.ownerName,
      '30 เมษายน 2569', // the due date, Buddhist Era
      figure(sign.amountDueSatang),
      ...Object.values(city),
    ])
      expect(text).toContain(part);
    // Due 30 April 2026, so late by now: the surcharge is shown and asked for.
    expect(sign.surchargeSatang).toBeGreaterThan(0);
    expect(text).toContain('เงินเพิ่ม');
    expect(pdfQrs(res.rawPayload)).toEqual([sign.promptpay]);
    expect(parsePayload(sign.promptpay).get('54')).toBe(sign.amountDueBaht);
    const audited = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.bill.notice' AND resource_id = ${sign.id}`,
    );
    expect(audited).toHaveLength(1);
  });

  it('says there is nothing to pay on a bill of 0 baht, with no QR', async () => {
    const mine = (await t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen })).body;
    const home = mine.find((b: { taxKind: string }) => b.taxKind === 'land-building');
    const res = await notice(home.id);
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('ค่าภาษี (Tax) 0.00 บาท');
    // pdftotext breaks the large bold Thai line apart; its English half reads back whole.
    expect(text).toContain('Nothing to pay');
    expect(pdfQrs(res.rawPayload)).toEqual([]);
  });

  it("keeps another owner's notice from a citizen (404) and from other offices (403); finance staff read it, audited", async () => {
    const all = await t.json({
      method: 'GET',
      url: '/api/tax/bills?year=2569&status=open',
      headers: revenue,
    });
    const company = all.body.find((b: { ownerName: string }) => b.ownerName.startsWith('บริษัท'));
    expect((await notice(company.id)).statusCode).toBe(404);
    expect((await notice(company.id, await t.signIn('officer'))).statusCode).toBe(403);
    expect((await notice(company.id, {})).statusCode).toBe(401);
    expect((await notice('00000000-0000-4000-8000-000000000000', revenue)).statusCode).toBe(404);
    expect((await notice("1' OR '1'='1", revenue)).statusCode).toBe(400);
    const staff = await notice(company.id, revenue);
    expect(staff.statusCode).toBe(200);
    const audited = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${company.id} ORDER BY action`,
    );
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['tax.bill.notice', 'tax.bill.read']),
    );
  });
});

describe('late charges reach the payer', () => {
  it('asks a late bill for tax + surcharge + penalty: the tax alone is queued, the full amount pays it once', async () => {
    const fresh = await ownBill('010555100001', 'parcel');
    await t.db.orm.execute(sql`UPDATE tax_bills SET due_date = ${yesterday()}::date WHERE id = ${fresh.id}`);
    const late = await bill(fresh.id);
    // One day late is one month (or part): 1 % surcharge and, no reminder sent, the 10 % penalty (s.68).
    expect(late).toMatchObject({
      monthsLate: 1,
      surchargeSatang: Math.round(late.amountSatang / 100),
      penaltySatang: Math.round((late.amountSatang * 10) / 100),
    });
    expect(late.amountDueSatang).toBe(late.amountSatang + late.surchargeSatang + late.penaltySatang);
    expect(parsePayload(late.promptpay).get('54')).toBe(late.amountDueBaht);
    const arrears = await t.json({
      method: 'GET',
      url: `/api/tax/arrears?asOf=${bangkokDay()}`,
      headers: revenue,
    });
    expect(arrears.body.bills.find((b: { id: string }) => b.id === late.id)?.totalSatang).toBe(
      late.amountDueSatang,
    );

    expect((await pay('LATE-1', late.number, late.amountBaht)).body.status).toBe('amount_mismatch');
    const queue = await t.json({ method: 'GET', url: '/api/tax/payments/unmatched', headers: revenue });
    expect(queue.body.items.map((p: { transactionId: string }) => p.transactionId)).toContain('LATE-1');
    expect((await bill(late.id)).status).toBe('open');

    expect((await pay('LATE-2', late.number, late.amountDueBaht)).body).toEqual({
      status: 'matched',
      duplicate: false,
    });
    expect((await pay('LATE-2', late.number, late.amountDueBaht)).body.duplicate).toBe(true);
    expect((await pay('LATE-3', late.number, late.amountDueBaht)).body.status).toBe('already_paid');
    const paid = await bill(late.id);
    expect(paid).toMatchObject({
      status: 'paid',
      surchargeSatang: late.surchargeSatang,
      penaltySatang: late.penaltySatang,
      amountDueSatang: late.amountDueSatang,
    });
    const recorded = await t.db.rows<{ status: string; surcharge: number; penalty: number }>(
      sql`SELECT status, surcharge_satang::float8 AS surcharge, penalty_satang::float8 AS penalty
        FROM tax_payments WHERE bank_txn_id IN ('LATE-1', 'LATE-2') ORDER BY bank_txn_id`,
    );
    expect(recorded).toEqual([
      { status: 'amount_mismatch', surcharge: 0, penalty: 0 },
      { status: 'matched', surcharge: late.surchargeSatang, penalty: late.penaltySatang },
    ]);
    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/tax/bills/${late.id}/receipt.pdf`,
      headers: revenue,
    });
    const text = pdfText(receipt.rawPayload);
    for (const part of [
      'เงินเพิ่ม',
      'เบี้ยปรับ',
      figure(late.amountSatang),
      figure(late.surchargeSatang),
      figure(late.penaltySatang),
      figure(late.amountDueSatang),
      city.MUNICIPALITY_NAME_TH,
      city.MUNICIPALITY_TAX_ID,
    ])
      expect(text).toContain(part);
    // The receipt's QR opens the municipality's record: tax and what was paid with the charges.
    const verify = await t.json({ method: 'GET', url: `/api/tax/verify/${late.id}` });
    expect(verify.body).toMatchObject({ amountBaht: late.amountBaht, paidBaht: late.amountDueBaht });
    // A paid bill has a receipt, not a notice.
    expect((await notice(late.id, revenue)).statusCode).toBe(409);
  });

  it('takes the amount due on the day of payment from a bank statement: the tax alone when paid on time', async () => {
    const onTime = await ownBill('010555100002', 'parcel');
    const lateOne = await ownBill('010555100003', 'parcel');
    for (const b of [onTime, lateOne])
      await t.db.orm.execute(sql`UPDATE tax_bills SET due_date = ${yesterday()}::date WHERE id = ${b.id}`);
    const before = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const now = new Date().toISOString();
    const due = await bill(lateOne.id);
    const csv = [
      'transactionId,billNumber,amount,paidAt',
      `STM-ONTIME,${onTime.number},${onTime.amountBaht},${before}`,
      `STM-LATE-BASE,${lateOne.number},${lateOne.amountBaht},${now}`,
      `STM-LATE-FULL,${lateOne.number},${due.amountDueBaht},${now}`,
    ].join('\n');
    const res = await t.json({
      method: 'POST',
      url: '/api/tax/payments/statement',
      headers: { ...revenue, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      'matched',
      'amount_mismatch',
      'matched',
    ]);
    expect(await bill(onTime.id)).toMatchObject({ status: 'paid', surchargeSatang: 0, penaltySatang: 0 });
    expect(await bill(lateOne.id)).toMatchObject({ status: 'paid', surchargeSatang: due.surchargeSatang });
  });
});

describe('signboard tax instalments', () => {
  it('splits a sign bill of 3,000 baht or more into three equal monthly instalments, late charges on a late one', async () => {
    const fresh = await ownBill('010555100004', 'sign');
    expect(fresh.amountBaht).toBe('6000.00');
    // A due date of its own, so the plan does not depend on today.
    await t.db.orm.execute(sql`UPDATE tax_bills SET due_date = '2099-01-31' WHERE id = ${fresh.id}`);
    const planned = await t.json({
      method: 'POST',
      url: `/api/tax/bills/${fresh.id}/instalments`,
      headers: revenue,
    });
    expect(planned.status).toBe(201);
    const parts = planned.body.instalments;
    expect(parts.map((p: { number: string }) => p.number)).toEqual(
      [1, 2, 3].map((n) => `${fresh.number}I${n}`),
    );
    // Section 14 bis: the first by the due date, each of the others within a month of the one before.
    expect(parts.map((p: { dueDate: string }) => p.dueDate)).toEqual([
      '2099-01-31',
      '2099-02-28',
      '2099-03-31',
    ]);
    expect(parts.map((p: { amountBaht: string }) => p.amountBaht)).toEqual(['2000.00', '2000.00', '2000.00']);
    expect(parsePayload(parts[1].promptpay).get('30')).toContain('2569SG2');
    const pdf = await notice(fresh.id, revenue);
    expect(pdfQrs(pdf.rawPayload)).toEqual([parts[0].promptpay]);
    expect(pdfText(pdf.rawPayload)).toContain('ผ่อนชำระ');
    expect(
      (await t.json({ method: 'POST', url: `/api/tax/bills/${fresh.id}/instalments`, headers: revenue })).body
        .code,
    ).toBe('tax.instalments_exist');

    expect((await pay('SGI-1', parts[0].number, '2000.00')).body.status).toBe('matched');
    await t.db.orm.execute(
      sql`UPDATE tax_instalments SET due_date = ${yesterday()}::date WHERE number = ${parts[1].number}`,
    );
    const second = (await bill(fresh.id)).instalments[1];
    expect(second).toMatchObject({ surchargeSatang: 4_000, penaltySatang: 0, amountDueBaht: '2040.00' });
    expect(parsePayload(second.promptpay).get('54')).toBe('2040.00');
    expect((await pay('SGI-2', parts[1].number, '2000.00')).body.status).toBe('amount_mismatch');
    expect((await pay('SGI-2B', parts[1].number, '2040.00')).body.status).toBe('matched');
    expect((await bill(fresh.id)).status).toBe('open');
    expect((await pay('SGI-3', parts[2].number, '2000.00')).body.status).toBe('matched');
    expect(await bill(fresh.id)).toMatchObject({
      status: 'paid',
      surchargeSatang: 4_000,
      amountDueSatang: 604_000,
    });
  });

  it('refuses instalments for a sign bill under 3,000 baht', async () => {
    const mine = (await t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen })).body;
    const sign = mine.find((b: { taxKind: string }) => b.taxKind === 'sign');
    const res = await t.json({
      method: 'POST',
      url: `/api/tax/bills/${sign.id}/instalments`,
      headers: citizen,
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('tax.instalments_not_allowed');
  });
});
