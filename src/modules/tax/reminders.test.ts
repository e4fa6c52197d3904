import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testWebhookSecret } from '../../core/testing/index.ts';
import { bangkokDay, daysAfter } from './late.ts';
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
  dueDate: string;
  reminder: { sentOn: string; deadline: string } | null;
}

let made = 0;
/** A land and building bill of its own, due 30 April 2026 (so overdue now): assessed for 2569. */
async function newBill(): Promise<Bill> {
  const { t, revenue } = tax;
  made += 1;
  const owner = await t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: revenue,
    payload: {
      kind: 'person',
      taxId: thaiId(`31099008${String(made).padStart(4, '0')}`),
      name: `นางเตือน ${made}`,
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
      deedNo: `REMIND-${made}`,
      area: { rai: 1, ngan: 0, wa: 0 },
      valuePerM2Baht: 12_345,
      uses: [{ use: 'other', sharePercent: 100 }],
    },
  });
  expect(parcel.status).toBe(201);
  await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
  const [own] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM tax_bills WHERE parcel_id = ${parcel.body.id}`,
  );
  const bill = await view(own.id);
  expect(bill.dueDate).toBe('2026-04-30');
  return bill;
}

// biome-ignore lint/suspicious/noExplicitAny: the bill's view as JSON
const view = async (id: string): Promise<Bill & Record<string, any>> =>
  (await tax.t.json({ method: 'GET', url: `/api/tax/bills/${id}`, headers: tax.revenue })).body;

const remind = (id: string, payload: unknown = {}, headers = tax.revenue) =>
  tax.t.json({ method: 'POST', url: `/api/tax/bills/${id}/reminders`, headers, payload: payload as object });

const auditRows = (action: string, resourceId: string) =>
  tax.t.db.rows<{ detail: Record<string, unknown>; actor_label: string | null }>(
    sql`SELECT detail, actor_label FROM core_audit_log WHERE action = ${action} AND resource_id = ${resourceId}`,
  );

/** What a bill due 30 April 2026 costs on a day, by the law's figures (not late.ts's code). */
function expected(tax: number, months: number, penaltyPercent: number) {
  return tax + Math.round((tax * months) / 100) + Math.round((tax * penaltyPercent) / 100);
}

const pay = async (billNumber: string, satang: number, paidAt: string) =>
  (
    await tax.t.json(
      signed({
        transactionId: `R-${Math.random().toString(36).slice(2)}`,
        billNumber,
        amount: (satang / 100).toFixed(2),
        paidAt,
      }),
    )
  ).body.status as string;

describe('reminders (หนังสือแจ้งเตือน) and the penalty they set', () => {
  it('lets only finance staff who keep the bills send reminders: citizens and executives 403, anonymous 401', async () => {
    const { t } = tax;
    const bill = await newBill();
    expect((await remind(bill.id, {}, await t.signIn('citizen'))).status).toBe(403);
    expect((await remind(bill.id, {}, await t.signIn('executive'))).status).toBe(403);
    expect((await remind(bill.id, {}, await t.signIn('officer'))).status).toBe(403);
    expect((await remind(bill.id, {}, {})).status).toBe(401);
    const year = { method: 'POST' as const, url: '/api/tax/reminders', payload: { taxYear: 2569 } };
    expect((await t.json({ ...year, headers: await t.signIn('citizen') })).status).toBe(403);
    expect((await t.json({ ...year, headers: {} })).status).toBe(401);
    const [sent] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_bill_reminders WHERE bill_id = ${bill.id}`,
    );
    expect(sent.n).toBe(0);
  });

  it('sends one reminder for an overdue bill, 30 days by default, audited; refuses the rest', async () => {
    const { t, revenue } = tax;
    const bill = await newBill();
    const today = bangkokDay();
    const res = await remind(bill.id);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      billId: bill.id,
      number: bill.number,
      sentOn: today,
      deadline: daysAfter(today, 30),
    });
    expect((await view(bill.id)).reminder).toEqual({ sentOn: today, deadline: daysAfter(today, 30) });
    const audits = await auditRows('tax.bill.remind', bill.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].detail).toMatchObject({
      number: bill.number,
      sentOn: today,
      deadline: daysAfter(today, 30),
    });
    expect(audits[0].actor_label).toBeTruthy();

    const again = await remind(
      bill.id,
      { deadline: daysAfter(today, 10) },
      { ...revenue, 'accept-language': 'en' },
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('tax.reminder_exists');
    expect(again.body.title).toMatch(/already been sent/);

    const onTime = await newBill();
    await t.db.orm.execute(sql`UPDATE tax_bills SET due_date = '2099-04-30' WHERE id = ${onTime.id}`);
    const notDue = await remind(onTime.id, {}, { ...revenue, 'accept-language': 'th' });
    expect(notDue.status).toBe(409);
    expect(notDue.body).toMatchObject({
      code: 'tax.reminder_not_overdue',
      title: expect.stringContaining('ค้างชำระ'),
    });

    const other = await newBill();
    for (const deadline of [today, daysAfter(today, -1), daysAfter(today, 366)]) {
      const bad = await remind(other.id, { deadline }, { ...revenue, 'accept-language': 'en' });
      expect(bad.status, deadline).toBe(422);
      expect(bad.body.errors[0]).toMatchObject({
        path: '/deadline',
        message: expect.stringMatching(/after today/),
      });
    }
    for (const payload of [
      { deadline: '2026-13-45' },
      { deadline: "'; DROP TABLE tax_bills; --" },
      { deadline: 5 },
      { extra: 1 },
    ])
      expect((await remind(other.id, payload)).status).toBe(400);
    expect((await remind('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await remind("1' OR '1'='1")).status).toBe(400);
    // Nothing was stored by the refusals.
    expect((await view(other.id)).reminder).toBeNull();
    expect(await auditRows('tax.bill.remind', other.id)).toHaveLength(0);
    const later = await remind(other.id, { deadline: daysAfter(today, 365) });
    expect(later.status).toBe(201);
  });

  it('takes the late charges from the year’s record: a changed record changes them', async () => {
    const { t, revenue } = tax;
    const bill = await newBill();
    const arrear = async (asOf: string) =>
      (
        await t.json({ method: 'GET', url: `/api/tax/arrears?asOf=${asOf}`, headers: revenue })
      ).body.bills.find((b: { id: string }) => b.id === bill.id);
    // 15 June: 2 months late, no reminder: 1 % a month and 10 %.
    expect((await arrear('2026-06-15')).totalSatang).toBe(expected(bill.amountSatang, 2, 10));
    // Changed by hand (a year with bills is frozen to the API): 2 % a month, 15 % before a reminder.
    await t.db.orm.execute(sql`UPDATE tax_rate_years SET late = jsonb_set(jsonb_set(late,
      '{landBuilding,surchargePercentPerMonth}', '2'), '{landBuilding,penaltyBeforeReminderPercent}', '15')
      WHERE tax_year = 2569`);
    try {
      expect(await arrear('2026-06-15')).toMatchObject({
        surchargeSatang: Math.round((bill.amountSatang * 4) / 100),
        penaltySatang: Math.round((bill.amountSatang * 15) / 100),
        reminder: null,
      });
      const now = await view(bill.id);
      expect(now.penaltySatang).toBe(Math.round((bill.amountSatang * 15) / 100));
    } finally {
      await t.db.orm.execute(sql`UPDATE tax_rate_years SET late = jsonb_set(jsonb_set(late,
        '{landBuilding,surchargePercentPerMonth}', '1'), '{landBuilding,penaltyBeforeReminderPercent}', '10')
        WHERE tax_year = 2569`);
    }
    expect((await arrear('2026-06-15')).totalSatang).toBe(expected(bill.amountSatang, 2, 10));
  });

  it('charges 10 % paid before the reminder, 20 % by its deadline and 40 % after, by the Bangkok day of payment', async () => {
    const { t } = tax;
    // Reminder sent 10 June 2026, pay by 10 July 2026 (set on the row, so the days are fixed).
    const withReminder = async () => {
      const bill = await newBill();
      expect((await remind(bill.id)).status).toBe(201);
      await t.db.orm.execute(
        sql`UPDATE tax_bill_reminders SET sent_on = '2026-06-10', deadline = '2026-07-10' WHERE bill_id = ${bill.id}`,
      );
      return bill;
    };
    const cases: [string, number, number, number][] = [
      // paidAt (UTC), months late, the penalty due, a penalty that must not match
      ['2026-06-09T16:59:59Z', 2, 10, 20], // 23:59:59 on 9 June in Bangkok: before the reminder
      ['2026-06-09T17:00:00Z', 2, 20, 10], // 00:00 on 10 June in Bangkok: the reminder's day
      ['2026-07-10T16:59:59Z', 3, 20, 40], // the deadline's last second
      ['2026-07-10T17:00:00Z', 3, 40, 20], // the day after the deadline
    ];
    for (const [paidAt, months, penalty, wrong] of cases) {
      const bill = await withReminder();
      expect(await pay(bill.number, expected(bill.amountSatang, months, wrong), paidAt), paidAt).toBe(
        'amount_mismatch',
      );
      expect(await pay(bill.number, expected(bill.amountSatang, months, penalty), paidAt), paidAt).toBe(
        'matched',
      );
      const [row] = await t.db.rows<{ penalty: number }>(
        sql`SELECT penalty_satang::float8 AS penalty FROM tax_payments WHERE bill_id = ${bill.id} AND status = 'matched'`,
      );
      expect(row.penalty).toBe(Math.round((bill.amountSatang * penalty) / 100));
      const paid = await view(bill.id);
      expect(paid).toMatchObject({ status: 'paid', penaltySatang: row.penalty });
    }
    // The arrears list reckons the same way on each day.
    const bill = await withReminder();
    for (const [asOf, months, penalty] of [
      ['2026-06-09', 2, 10],
      ['2026-06-10', 2, 20],
      ['2026-07-10', 3, 20],
      ['2026-07-11', 3, 40],
    ] as const) {
      const list = await t.json({
        method: 'GET',
        url: `/api/tax/arrears?asOf=${asOf}`,
        headers: tax.revenue,
      });
      const row = list.body.bills.find((b: { id: string }) => b.id === bill.id);
      expect(row.totalSatang, asOf).toBe(expected(bill.amountSatang, months, penalty));
      expect(row.reminder).toEqual({ sentOn: '2026-06-10', deadline: '2026-07-10' });
    }
  });

  it('sends the reminders of a year’s overdue bills in one call, each audited; the citizen sees the deadline', async () => {
    const { t, revenue } = tax;
    const open = await newBill();
    const today = bangkokDay();
    const year = (payload: object) =>
      t.json({ method: 'POST', url: '/api/tax/reminders', headers: revenue, payload });
    expect((await year({ taxYear: 'x' })).status).toBe(400);
    expect((await year({ taxYear: 2569, deadline: today })).status).toBe(422);
    const res = await year({ taxYear: 2569, deadline: daysAfter(today, 14) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ taxYear: 2569, sentOn: today, deadline: daysAfter(today, 14) });
    expect(res.body.sent).toBeGreaterThan(0);
    expect(res.body.bills).toContain(open.number);
    expect(res.body.bills).toHaveLength(res.body.sent);
    expect((await auditRows('tax.bill.remind', open.id))[0].detail).toMatchObject({
      deadline: daysAfter(today, 14),
    });
    const [left] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_bills b WHERE b.tax_year = 2569 AND b.status = 'open' AND b.due_date < ${today}::date
        AND NOT EXISTS (SELECT 1 FROM tax_bill_reminders r WHERE r.bill_id = b.id)
        AND NOT EXISTS (SELECT 1 FROM tax_instalments i WHERE i.bill_id = b.id)`,
    );
    expect(left.n).toBe(0);
    expect((await year({ taxYear: 2569 })).body).toMatchObject({ sent: 0, bills: [] });
    // Bills already reminded keep their first reminder.
    const mine = (await t.json({ method: 'GET', url: '/api/tax/mine', headers: await t.signIn('citizen') }))
      .body;
    const overdue = mine.filter(
      (b: { status: string; dueDate: string }) => b.status === 'open' && b.dueDate < today,
    );
    expect(overdue.length).toBeGreaterThan(0);
    for (const b of overdue) expect(b.reminder?.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
