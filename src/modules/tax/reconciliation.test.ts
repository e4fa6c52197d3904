import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp, testWebhookSecret } from '../../core/testing/index.ts';
import { parsePayload } from './promptpay.ts';

const _jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const yesterday = () =>
  new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });

let t: TestApp;
let revenue: Record<string, string>;
beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
});
afterAll(() => t?.close());

function signed(body: object, { secret = testWebhookSecret, at = Math.floor(Date.now() / 1000) } = {}) {
  const payload = JSON.stringify(body);
  const signature = createHmac('sha256', secret).update(`${at}.${payload}`).digest('hex');
  return {
    method: 'POST' as const,
    url: '/api/tax/payments/webhook',
    headers: {
      'content-type': 'application/json',
      'x-mueang-timestamp': String(at),
      'x-mueang-signature': signature,
    },
    payload,
  };
}

const count = async (table: string) =>
  (await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`))[0].n;

describe('bank reconciliation', () => {
  async function openBill(kind: string) {
    const bills = await t.json({
      method: 'GET',
      url: '/api/tax/bills?year=2569&status=open',
      headers: await t.tokenFor('admin'),
    });
    return bills.body.find(
      (b: { taxKind: string; ownerName: string }) => b.taxKind === kind && b.ownerName.startsWith('บริษัท'),
    ) as { id: string; number: string; amountBaht: string; amountDueBaht: string };
  }

  it('pays a bill exactly once even when the bank calls twice', async () => {
    const bill = await openBill('land-building');
    const notice = {
      transactionId: 'BANK-0001',
      billNumber: bill.number,
      // Today, with the late charges of a bill due 30 April 2026 (late.ts).
      amount: bill.amountDueBaht,
      paidAt: new Date().toISOString(),
    };
    const first = await t.json(signed(notice));
    expect(first.body).toEqual({ status: 'matched', duplicate: false });
    const second = await t.json(signed(notice));
    expect(second.body).toEqual({ status: 'matched', duplicate: true });
    const paid = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: revenue });
    expect(paid.body.status).toBe('paid');
    expect((await t.db.rows(sql`SELECT 1 FROM tax_payments WHERE bill_id = ${bill.id}`)).length).toBe(1);
    const another = await t.json(signed({ ...notice, transactionId: 'BANK-0002' }));
    expect(another.body.status).toBe('already_paid');
    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/tax/bills/${bill.id}/receipt.pdf`,
      headers: revenue,
    });
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(receipt.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(join(tmpdir(), 'mueang-receipt.pdf'), receipt.rawPayload);
    const verify = await t.json({ method: 'GET', url: `/api/tax/verify/${bill.id}` });
    expect(verify.body).toMatchObject({ number: bill.number, status: 'paid', amountBaht: bill.amountBaht });
    expect(JSON.stringify(verify.body)).not.toContain('บริษัท');
  });

  it("keeps on a receipt the name the bill was paid under when the owner's record is corrected later", async () => {
    const bill = await openBill('sign');
    const paid = await t.json(
      signed({
        transactionId: 'BANK-NAME-1',
        billNumber: bill.number,
        amount: bill.amountDueBaht,
        paidAt: new Date().toISOString(),
      }),
    );
    expect(paid.body.status).toBe('matched');
    const [owner] = await t.db.rows<{ id: string; name: string }>(
      sql`SELECT o.id, o.name FROM tax_bills b JOIN tax_owners o ON o.id = b.owner_id WHERE b.id = ${bill.id}`,
    );
    await t.db.orm.execute(sql`UPDATE tax_owners SET name = 'บริษัท ชื่อใหม่ จำกัด' WHERE id = ${owner.id}`);
    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/tax/bills/${bill.id}/receipt.pdf`,
      headers: revenue,
    });
    expect(receipt.statusCode).toBe(200);
    const file = join(tmpdir(), `mueang-receipt-name-${process.pid}.pdf`);
    writeFileSync(file, receipt.rawPayload);
    // pdftotext reads SARA AM (ำ) back as ำา from the shaped glyphs.
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replaceAll('ำา', 'ำ');
    expect(text).toContain(owner.name);
    expect(text).not.toContain('ชื่อใหม่');
    // The bill itself shows the owner as the register has them now.
    const now = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: revenue });
    expect(now.body.ownerName).toBe('บริษัท ชื่อใหม่ จำกัด');
    await t.db.orm.execute(sql`UPDATE tax_owners SET name = ${owner.name} WHERE id = ${owner.id}`);
  });

  it('refuses a wrong signature, another secret and a stale call, and records nothing', async () => {
    const before = await count('tax_payments');
    const notice = {
      transactionId: 'BANK-X',
      billNumber: 'LB2569000001',
      amount: '1.00',
      paidAt: new Date().toISOString(),
    };
    const tampered = signed(notice);
    tampered.payload = tampered.payload.replace('1.00', '9.00');
    expect((await t.json(tampered)).status).toBe(401);
    expect((await t.json(signed(notice, { secret: 'another-secret-another-secret-1234' }))).body.code).toBe(
      'tax.webhook_signature',
    );
    expect((await t.json(signed(notice, { at: Math.floor(Date.now() / 1000) - 3600 }))).body.code).toBe(
      'tax.webhook_stale',
    );
    expect(await count('tax_payments')).toBe(before);
  });

  it('queues an unknown bill and a wrong amount for staff', async () => {
    const sign = (
      await t.json({ method: 'GET', url: '/api/tax/mine', headers: await t.signIn('citizen') })
    ).body.find((b: { taxKind: string }) => b.taxKind === 'sign');
    const wrong = await t.json(
      signed({
        transactionId: 'BANK-0003',
        billNumber: sign.number,
        amount: '150.00',
        paidAt: new Date().toISOString(),
      }),
    );
    expect(wrong.body.status).toBe('amount_mismatch');
    const unknown = await t.json(
      signed({
        transactionId: 'BANK-0004',
        billNumber: 'LB2569999999',
        amount: '10.00',
        paidAt: new Date().toISOString(),
      }),
    );
    expect(unknown.body.status).toBe('unknown_bill');
    const queue = await t.json({ method: 'GET', url: '/api/tax/payments/unmatched', headers: revenue });
    expect(queue.body.items.map((p: { transactionId: string }) => p.transactionId)).toEqual(
      expect.arrayContaining(['BANK-0003', 'BANK-0004']),
    );
    const still = await t.json({
      method: 'GET',
      url: `/api/tax/bills/${sign.id}`,
      headers: await t.signIn('citizen'),
    });
    expect(still.body.status).toBe('open');
  });

  it('reconciles an uploaded bank statement row by row, reporting bad rows by line', async () => {
    const bills = await t.json({
      method: 'GET',
      url: '/api/tax/bills?year=2569&status=open',
      headers: revenue,
    });
    const bill = bills.body.find((b: { amountSatang: number }) => b.amountSatang > 0);
    // Paid now, so with what is due today (the view's amountDueBaht).
    const now = new Date().toISOString();
    const csv = [
      'transactionId,billNumber,amount,paidAt',
      `STM-1,${bill.number},${bill.amountDueBaht},${now}`,
      `STM-1,${bill.number},${bill.amountDueBaht},${now}`,
      'STM-2,LB2569000999,12.00,not-a-date',
      'STM-3,too,few',
      '"STM-4","=cmd|\' /C calc\'!A0","5.00","2026-11-20T10:00:00Z"',
    ].join('\n');
    const res = await t.json({
      method: 'POST',
      url: '/api/tax/payments/statement',
      headers: { ...revenue, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.status).toBe(200);
    expect(res.body.matched).toBe(1);
    const byLine = Object.fromEntries(res.body.results.map((r: { line: number }) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ status: 'matched', duplicate: false });
    expect(byLine[3]).toMatchObject({ status: 'matched', duplicate: true });
    // Each refused row: a code and its values for the screen's Thai, the English sentence for logs.
    expect(byLine[4]).toMatchObject({
      code: 'invalid',
      params: { column: 'paidAt', rule: 'format', format: 'date-time' },
    });
    expect(byLine[4].error).toContain('paidAt');
    expect(byLine[5]).toEqual({
      line: 5,
      code: 'statement_columns',
      params: { expected: 4, got: 3 },
      error: 'expected 4 columns, got 3',
    });
    expect(byLine[6]).toMatchObject({ code: 'invalid', params: { column: 'billNumber', rule: 'pattern' } });
    const clerk = await t.json({
      method: 'POST',
      url: '/api/tax/payments/statement',
      headers: { ...(await t.signIn('officer')), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(clerk.status).toBe(403);
  });

  it('lists arrears with the late surcharge and penalty as of a day', async () => {
    const res = await t.json({
      method: 'GET',
      url: '/api/tax/arrears?asOf=2026-06-15',
      headers: await t.signIn('executive'),
    });
    expect(res.status).toBe(200);
    expect(res.body.bills.length).toBeGreaterThan(0);
    // Due 30 April 2026; on 15 June it is 2 months (or parts) late: land and building tax adds 1 % a
    // month and, no reminder sent, the 10 % penalty (s.68), signboard tax 2 % a month.
    for (const b of res.body.bills) {
      expect(b.monthsLate).toBe(2);
      const sign = b.taxKind === 'sign';
      expect(b.surchargeSatang).toBe(Math.round((b.amountSatang * (sign ? 4 : 2)) / 100));
      expect(b.penaltySatang).toBe(sign ? 0 : Math.round((b.amountSatang * 10) / 100));
      expect(b.reminder).toBeNull();
      expect(b.totalSatang).toBe(b.amountSatang + b.surchargeSatang + b.penaltySatang);
    }
    const early = await t.json({
      method: 'GET',
      url: '/api/tax/arrears?asOf=2026-04-30',
      headers: await t.signIn('executive'),
    });
    expect(early.body.bills).toEqual([]);
    expect(
      (
        await t.json({
          method: 'GET',
          url: '/api/tax/arrears?asOf=yesterday',
          headers: await t.signIn('executive'),
        })
      ).status,
    ).toBe(400);
  });

  it('splits a bill into three instalments, each paid by its own QR, the bill paid with the last', async () => {
    // A bill of its own: a commercial parcel of 26 million baht → 78,000 baht.
    const owner = await t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: revenue,
      payload: { kind: 'person', taxId: '3109900123453', name: 'นายผ่อน ชำระ' },
    });
    const parcel = await t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: revenue,
      payload: {
        ownerId: owner.body.id,
        deedKind: 'chanote',
        deedNo: 'INST-1',
        area: { rai: 1, ngan: 2, wa: 50 },
        valuePerM2Baht: 10_000,
        uses: [{ use: 'other', sharePercent: 100 }],
      },
    });
    await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
    const [own] = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM tax_bills WHERE parcel_id = ${parcel.body.id}`,
    );
    // Due 30 April 2026, now past: instalments are refused (409, in Thai and English).
    const pastDue = await t.json({
      method: 'POST',
      url: `/api/tax/bills/${own.id}/instalments`,
      headers: { ...revenue, 'accept-language': 'en' },
    });
    expect(pastDue.status).toBe(409);
    expect(pastDue.body).toMatchObject({
      code: 'tax.instalments_past_due',
      title: expect.stringMatching(/past its due date/),
    });
    const pastDueTh = await t.json({
      method: 'POST',
      url: `/api/tax/bills/${own.id}/instalments`,
      headers: { ...revenue, 'accept-language': 'th' },
    });
    expect(pastDueTh.body.title).toContain('พ้นกำหนดชำระ');
    await t.db.orm.execute(sql`UPDATE tax_bills SET due_date = '2099-04-30' WHERE id = ${own.id}`);
    const bill = (await t.json({ method: 'GET', url: `/api/tax/bills/${own.id}`, headers: revenue })).body;
    const planned = await t.json({
      method: 'POST',
      url: `/api/tax/bills/${bill.id}/instalments`,
      headers: revenue,
    });
    expect(planned.status).toBe(201);
    const parts = planned.body.instalments as {
      seq: number;
      number: string;
      amountBaht: string;
      amountDueBaht: string;
      dueDate: string;
      promptpay: string;
    }[];
    expect(parts.map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(parts.map((p) => p.dueDate)).toEqual(['2099-04-30', '2099-05-31', '2099-06-30']);
    const total = parts.reduce((sum, p) => sum + Math.round(Number(p.amountBaht) * 100), 0);
    expect(total).toBe(bill.amountSatang);
    expect(parsePayload(parts[1].promptpay).get('30')).toContain(parts[1].number);
    expect(
      (await t.json({ method: 'POST', url: `/api/tax/bills/${bill.id}/instalments`, headers: revenue })).body
        .code,
    ).toBe('tax.instalments_exist');
    const pay = (p: (typeof parts)[number], id: string) =>
      t.json(
        signed({
          transactionId: id,
          billNumber: p.number,
          amount: p.amountDueBaht,
          paidAt: new Date().toISOString(),
        }),
      );
    expect((await pay(parts[0], 'INST-1')).body.status).toBe('matched');
    expect((await pay(parts[0], 'INST-1B')).body.status).toBe('already_paid');
    // The second falls due unpaid (yesterday): the right to instalments ends, the rest is due at once
    // with the surcharge from that day and the penalty (10 %, no reminder), on the bill's own QR.
    await t.db.orm.execute(
      sql`UPDATE tax_instalments SET due_date = ${yesterday()}::date WHERE number = ${parts[1].number}`,
    );
    let view = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: revenue });
    const rest = Math.round((Number(parts[1].amountBaht) + Number(parts[2].amountBaht)) * 100);
    expect(view.body).toMatchObject({
      status: 'open',
      instalmentsLapsed: true,
      monthsLate: 1,
      surchargeSatang: Math.round(rest / 100),
      penaltySatang: Math.round(rest / 10),
      amountDueSatang: rest + Math.round(rest / 100) + Math.round(rest / 10),
    });
    expect(view.body.instalments[1].promptpay).toBe('');
    expect(parsePayload(view.body.promptpay).get('54')).toBe(view.body.amountDueBaht);
    const qr = await t.app.inject({
      method: 'GET',
      url: `/api/tax/bills/${bill.id}/qr.png?instalment=2`,
      headers: revenue,
    });
    expect(qr.statusCode).toBe(409);
    expect((await pay(parts[1], 'INST-2')).body.status).toBe('amount_mismatch');
    const whole = (id: string, number: string) =>
      t.json(
        signed({
          transactionId: id,
          billNumber: number,
          amount: view.body.amountDueBaht,
          paidAt: new Date().toISOString(),
        }),
      );
    expect((await whole('INST-REST', bill.number)).body.status).toBe('matched');
    expect((await whole('INST-REST-2', parts[2].number)).body.status).toBe('already_paid');
    view = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: revenue });
    expect(view.body).toMatchObject({
      status: 'paid',
      surchargeSatang: Math.round(rest / 100),
      penaltySatang: Math.round(rest / 10),
    });
    expect(view.body.instalments.every((i: { status: string }) => i.status === 'paid')).toBe(true);
    const sign = (
      await t.json({ method: 'GET', url: '/api/tax/mine', headers: await t.signIn('citizen') })
    ).body.find((b: { taxKind: string }) => b.taxKind === 'sign');
    expect(
      (
        await t.json({
          method: 'POST',
          url: `/api/tax/bills/${sign.id}/instalments`,
          headers: await t.signIn('citizen'),
        })
      ).body.code,
    ).toBe('tax.instalments_not_allowed');
  });
});
