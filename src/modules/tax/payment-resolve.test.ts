import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testWebhookSecret } from '../../core/testing/index.ts';
import { amountDue } from './late.ts';
import { taxModule } from './module.ts';
import { defaultRates } from './rates.ts';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();

function signed(body: object) {
  const at = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify(body);
  const signature = createHmac('sha256', testWebhookSecret).update(`${at}.${payload}`).digest('hex');
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

interface Bill {
  id: string;
  number: string;
  amountSatang: number;
  amountBaht: string;
  status: string;
}

let made = 0;
/** A bill of its own: an owner with a commercial parcel (value × area), assessed for 2569. */
async function newBill(valuePerM2Baht = 10_000): Promise<Bill> {
  const { t, revenue } = tax;
  made += 1;
  const owner = await t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: revenue,
    payload: {
      kind: 'person',
      taxId: thaiId(`31099007${String(made).padStart(4, '0')}`),
      name: `นายคิว ${made}`,
    },
  });
  expect(owner.status).toBe(201);
  const parcel = await t.json({
    method: 'POST',
    url: '/api/tax/parcels',
    headers: revenue,
    payload: {
      ownerId: owner.body.id,
      deedKind: 'chanote',
      deedNo: `QUEUE-${made}`,
      area: { rai: 1, ngan: 2, wa: 50 },
      valuePerM2Baht,
      uses: [{ use: 'other', sharePercent: 100 }],
    },
  });
  expect(parcel.status).toBe(201);
  await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
  const [own] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM tax_bills WHERE parcel_id = ${parcel.body.id}`,
  );
  return (await t.json({ method: 'GET', url: `/api/tax/bills/${own.id}`, headers: revenue })).body;
}

/** A payment the bank reported that lands in the queue; answers its id. */
async function queued(billNumber: string, amount: string, paidAt = '2026-04-20T03:00:00Z') {
  const { t } = tax;
  const transactionId = `Q-${Math.random().toString(36).slice(2)}`;
  const res = await t.json(signed({ transactionId, billNumber, amount, paidAt }));
  expect(res.body.status).not.toBe('matched');
  const [row] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM tax_payments WHERE bank_txn_id = ${transactionId}`,
  );
  return row.id;
}

const resolve = (id: string, payload: object, headers = tax.revenue) =>
  tax.t.json({ method: 'POST', url: `/api/tax/payments/${id}/resolve`, headers, payload });

const auditRows = (action: string, resourceId?: string) =>
  tax.t.db.rows<{ detail: Record<string, unknown>; actor_label: string | null }>(
    sql`SELECT detail, actor_label FROM core_audit_log WHERE action = ${action}
      AND (${resourceId ?? null}::text IS NULL OR resource_id = ${resourceId ?? null}) ORDER BY id`,
  );

describe('unmatched payments: the queue and resolving it', () => {
  it('lists the queue to finance staff with the likely payer, and audits the read', async () => {
    const { t, revenue } = tax;
    const bill = await newBill();
    const id = await queued(bill.number, '1.00');
    const res = await t.json({ method: 'GET', url: '/api/tax/payments/unmatched', headers: revenue });
    expect(res.status).toBe(200);
    const item = res.body.items.find((p: { id: string }) => p.id === id);
    expect(item).toMatchObject({
      status: 'amount_mismatch',
      amountSatang: 100,
      billNumber: bill.number,
      billAmountSatang: bill.amountSatang,
      ownerName: expect.stringContaining('นายคิว'),
      resolution: null,
    });
    const reads = await auditRows('tax.payment.queue.read');
    expect(reads.at(-1)?.detail).toMatchObject({
      state: 'open',
      count: res.body.items.length,
      total: res.body.total,
    });
    const exec = await t.json({
      method: 'GET',
      url: '/api/tax/payments/unmatched',
      headers: await t.signIn('executive'),
    });
    expect(exec.status).toBe(200);
    const bad = await t.json({
      method: 'GET',
      url: '/api/tax/payments/unmatched?state=all',
      headers: revenue,
    });
    expect(bad.status).toBe(400);
  });

  it('refuses citizens (403), other offices (403), executives resolving (403) and anonymous callers (401)', async () => {
    const { t } = tax;
    const bill = await newBill();
    const id = await queued('LB2569777001', bill.amountBaht);
    const before = (await auditRows('tax.payment.queue.read')).length;
    for (const [headers, status] of [
      [await t.signIn('citizen'), 403],
      [await t.signIn('officer'), 403],
      [{}, 401],
    ] as const) {
      expect((await t.json({ method: 'GET', url: '/api/tax/payments/unmatched', headers })).status).toBe(
        status,
      );
      expect((await resolve(id, { action: 'match', billNumber: bill.number }, headers)).status).toBe(status);
    }
    expect((await auditRows('tax.payment.queue.read')).length).toBe(before);
    expect((await resolve(id, { action: 'not_ours', reason: 'x' }, await t.signIn('executive'))).status).toBe(
      403,
    );
    const still = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: tax.revenue });
    expect(still.body.status).toBe('open');
  });

  it('matches a payment to its bill once: the bill is paid, its receipt issued, audited; a second resolve is 409', async () => {
    const { t, revenue } = tax;
    const bill = await newBill();
    const id = await queued('LB2569777002', bill.amountBaht);
    const res = await resolve(id, { action: 'match', billNumber: bill.number });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id, resolution: 'matched', billNumber: bill.number, refundSatang: null });
    const paid = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: revenue });
    expect(paid.body.status).toBe('paid');
    expect(new Date(paid.body.paidAt).toISOString()).toBe('2026-04-20T03:00:00.000Z');
    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/tax/bills/${bill.id}/receipt.pdf`,
      headers: revenue,
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const [payer] = await t.db.rows<{ payer_name: string }>(
      sql`SELECT payer_name FROM tax_bills WHERE id = ${bill.id}`,
    );
    expect(payer.payer_name).toContain('นายคิว');
    const audits = await auditRows('tax.payment.resolve', id);
    expect(audits).toHaveLength(1);
    expect(audits[0].detail).toMatchObject({ resolution: 'matched', billNumber: bill.number });

    const again = await resolve(id, { action: 'match', billNumber: bill.number });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('tax.payment_resolved');
    expect(again.headers['content-type']).toContain('application/problem+json');
    const closeAgain = await resolve(id, { action: 'refund', reason: 'twice' });
    expect(closeAgain.body.code).toBe('tax.payment_resolved');
    expect(await auditRows('tax.payment.resolve', id)).toHaveLength(1);
    // Gone from the queue, listed among the resolved.
    const open = await t.json({ method: 'GET', url: '/api/tax/payments/unmatched', headers: revenue });
    expect(open.body.items.some((p: { id: string }) => p.id === id)).toBe(false);
    const done = await t.json({
      method: 'GET',
      url: '/api/tax/payments/unmatched?state=resolved',
      headers: revenue,
    });
    expect(done.body.items.find((p: { id: string }) => p.id === id)).toMatchObject({
      resolution: 'matched',
      resolvedBillNumber: bill.number,
    });
    // The bank paying the same bill afterwards finds it paid.
    const late = await t.json(
      signed({
        transactionId: `LATE-${id}`,
        billNumber: bill.number,
        amount: bill.amountBaht,
        paidAt: '2026-04-21T03:00:00Z',
      }),
    );
    expect(late.body.status).toBe('already_paid');
  });

  it('pays a bill once when two officers resolve at the same time', async () => {
    const { t, revenue } = tax;
    const bill = await newBill();
    const a = await queued('LB2569777003', bill.amountBaht);
    const b = await queued('LB2569777004', bill.amountBaht);
    const both = await Promise.all([
      resolve(a, { action: 'match', billNumber: bill.number }),
      resolve(b, { action: 'match', billNumber: bill.number }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)?.body.code).toBe('tax.bill_already_paid');
    const [n] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_payments WHERE resolved_bill_id = ${bill.id}`,
    );
    expect(n.n).toBe(1);
    const paid = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: revenue });
    expect(paid.body.status).toBe('paid');
  });

  it('refuses a bill already paid by the bank (409) and changes nothing', async () => {
    const { t } = tax;
    const bill = await newBill();
    const bank = await t.json(
      signed({
        transactionId: `PAID-${bill.number}`,
        billNumber: bill.number,
        amount: bill.amountBaht,
        paidAt: '2026-04-19T03:00:00Z',
      }),
    );
    expect(bank.body.status).toBe('matched');
    const id = await queued('LB2569777005', bill.amountBaht);
    const res = await resolve(id, { action: 'match', billNumber: bill.number });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('tax.bill_already_paid');
    const [row] = await t.db.rows<{ resolution: string | null }>(
      sql`SELECT resolution FROM tax_payments WHERE id = ${id}`,
    );
    expect(row.resolution).toBeNull();
    expect(await auditRows('tax.payment.resolve', id)).toHaveLength(0);
    // The payment the bank matched is not in the queue and cannot be resolved.
    const [matched] = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM tax_payments WHERE bank_txn_id = ${`PAID-${bill.number}`}`,
    );
    expect((await resolve(matched.id, { action: 'not_ours', reason: 'test' })).body.code).toBe(
      'tax.payment_matched',
    );
  });

  it('refuses a wrong amount unless recorded as a partial or over payment to refund', async () => {
    const { t, revenue } = tax;
    const short = await newBill();
    const less = await queued('LB2569777006', '100.00');
    const refused = await resolve(less, { action: 'match', billNumber: short.number });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('tax.payment_amount');
    expect(refused.body.detail).toContain('100.00');
    expect(refused.body.detail).toContain(short.amountBaht);
    const partial = await resolve(less, { action: 'match', billNumber: short.number, difference: 'refund' });
    expect(partial.body).toMatchObject({ resolution: 'partial', refundSatang: 10_000 });
    // A partial payment does not pay the bill: the whole of it is refunded.
    expect(
      (await t.json({ method: 'GET', url: `/api/tax/bills/${short.id}`, headers: revenue })).body.status,
    ).toBe('open');

    const over = await newBill();
    const more = await queued('LB2569777007', ((over.amountSatang + 12_345) / 100).toFixed(2));
    expect((await resolve(more, { action: 'match', billNumber: over.number })).body.code).toBe(
      'tax.payment_amount',
    );
    const overpaid = await resolve(more, { action: 'match', billNumber: over.number, difference: 'refund' });
    expect(overpaid.body).toMatchObject({ resolution: 'overpaid', refundSatang: 12_345 });
    expect(
      (await t.json({ method: 'GET', url: `/api/tax/bills/${over.id}`, headers: revenue })).body.status,
    ).toBe('paid');
    const audits = await auditRows('tax.payment.resolve', more);
    expect(audits[0].detail).toMatchObject({ resolution: 'overpaid', refundSatang: 12_345 });
  });

  it('pays what is left of a bill with instalments, the open instalments with it', async () => {
    const { t, revenue } = tax;
    const bill = await newBill();
    // Instalments are planned before the due date (a past-due bill is refused), so one far ahead.
    await t.db.orm.execute(sql`UPDATE tax_bills SET due_date = '2099-04-30' WHERE id = ${bill.id}`);
    const planned = await t.json({
      method: 'POST',
      url: `/api/tax/bills/${bill.id}/instalments`,
      headers: revenue,
    });
    expect(planned.status).toBe(201);
    const parts = planned.body.instalments as { number: string; amountBaht: string }[];
    const first = await t.json(
      signed({
        transactionId: `I1-${bill.number}`,
        billNumber: parts[0].number,
        amount: parts[0].amountBaht,
        paidAt: '2026-04-19T03:00:00Z',
      }),
    );
    expect(first.body.status).toBe('matched');
    // A wrong amount for an instalment names its bill's owner in the queue.
    const onInstalment = await queued(parts[1].number, '1.00');
    const queue = await t.json({ method: 'GET', url: '/api/tax/payments/unmatched', headers: revenue });
    expect(queue.body.items.find((p: { id: string }) => p.id === onInstalment)).toMatchObject({
      status: 'amount_mismatch',
      ownerName: expect.stringContaining('นายคิว'),
      billAmountSatang: bill.amountSatang,
    });
    const rest = Math.round((Number(parts[1].amountBaht) + Number(parts[2].amountBaht)) * 100);
    const whole = await queued('LB2569777008', bill.amountBaht);
    expect((await resolve(whole, { action: 'match', billNumber: bill.number })).body.code).toBe(
      'tax.payment_amount',
    );
    const id = await queued('LB2569777009', (rest / 100).toFixed(2));
    expect((await resolve(id, { action: 'match', billNumber: bill.number })).body.resolution).toBe('matched');
    const [left] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_instalments WHERE bill_id = ${bill.id} AND status = 'open'`,
    );
    expect(left.n).toBe(0);
  });

  it('closes a payment as refund or not ours with a reason, kept as typed', async () => {
    const { t, revenue } = tax;
    const id = await queued('LB2569777010', '55.50');
    for (const payload of [
      { action: 'refund' },
      { action: 'refund', reason: '   ' },
      { action: 'refund', reason: 'x'.repeat(1001) },
      { action: 'not_ours', reason: 'x', billNumber: 'LB1' },
      { action: 'delete', reason: 'x' },
      { action: 'match', billNumber: "1' OR '1'='1" },
      { action: 'match' },
    ]) {
      const res = await resolve(id, payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
    }
    const reason = "'; DROP TABLE tax_payments; -- <script>alert(1)</script>";
    const res = await resolve(id, { action: 'not_ours', reason });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resolution: 'not_ours', billNumber: null, refundSatang: null });
    const done = await t.json({
      method: 'GET',
      url: '/api/tax/payments/unmatched?state=resolved',
      headers: revenue,
    });
    expect(done.body.items.find((p: { id: string }) => p.id === id)).toMatchObject({
      resolution: 'not_ours',
      reason,
    });
    const audits = await auditRows('tax.payment.resolve', id);
    expect(audits[0]).toMatchObject({ detail: { resolution: 'not_ours', reason } });

    const refund = await queued('LB2569777011', '70.25');
    expect((await resolve(refund, { action: 'refund', reason: 'paid twice by mistake' })).body).toMatchObject(
      {
        resolution: 'refund',
        refundSatang: 7025,
      },
    );
  });

  it('asks a payment made after the due date for the late charges of its day, and records them', async () => {
    const { t, revenue } = tax;
    const bill = await newBill();
    const paidAt = '2026-11-20T03:00:00Z';
    // No reminder was sent, so the penalty is the reduced one (10 %, s.68) of 2569's record.
    const owed = amountDue(
      { amountSatang: bill.amountSatang, dueDate: '2026-04-30' },
      '2026-11-20',
      defaultRates().late.landBuilding,
    );
    expect(owed.surchargeSatang).toBeGreaterThan(0);
    expect(owed.penaltySatang).toBe(Math.round(bill.amountSatang / 10));
    const taxOnly = await queued('LB2569777014', bill.amountBaht, paidAt);
    const refused = await resolve(taxOnly, { action: 'match', billNumber: bill.number });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('tax.payment_amount');
    const full = await queued('LB2569777015', (owed.totalSatang / 100).toFixed(2), paidAt);
    const res = await resolve(full, { action: 'match', billNumber: bill.number });
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe('matched');
    const [payment] = await t.db.rows<{ surcharge: number; penalty: number }>(
      sql`SELECT surcharge_satang::int AS surcharge, penalty_satang::int AS penalty FROM tax_payments WHERE id = ${full}`,
    );
    expect(payment).toEqual({ surcharge: owed.surchargeSatang, penalty: owed.penaltySatang });
    const paid = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: revenue });
    expect(paid.body).toMatchObject({
      status: 'paid',
      surchargeSatang: owed.surchargeSatang,
      penaltySatang: owed.penaltySatang,
    });
  });

  it('answers 404 for an unknown payment or bill, 400 for a malformed id', async () => {
    const id = await queued('LB2569777012', '12.00');
    const noBill = await resolve(id, { action: 'match', billNumber: 'LB2569000000' });
    expect(noBill.status).toBe(404);
    expect(noBill.body.code).toBe('tax.bill_unknown');
    expect(noBill.body.errors[0].path).toBe('/billNumber');
    const none = await resolve('00000000-0000-4000-8000-000000000000', { action: 'not_ours', reason: 'x' });
    expect(none.status).toBe(404);
    expect((await resolve('not-a-uuid', { action: 'not_ours', reason: 'x' })).status).toBe(400);
  });

  it('counts a resolved payment in the Economy KPI of revenue collected', async () => {
    const kpi = taxModule.kpis!.find((k) => k.id === 'tax-revenue-collected')!;
    expect(kpi.dimension).toBe('economy');
    const bill = await newBill(12_000);
    const before = (await kpi.compute(tax.t.db)) ?? 0;
    const id = await queued('LB2569777013', bill.amountBaht);
    expect((await resolve(id, { action: 'match', billNumber: bill.number })).status).toBe(200);
    expect(await kpi.compute(tax.t.db)).toBeCloseTo(before + bill.amountSatang / 100, 2);
  });
});
