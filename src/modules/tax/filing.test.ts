import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessSign, quartersDue } from './assessment.ts';
import { filingDeadline, type SignFiling, withFilingSurcharges } from './filing.ts';
import { bangkokDay } from './late.ts';
import { qrPng } from './promptpay.ts';
import { defaultRates, signRates2569 } from './rates.ts';
import { taxTestApp } from './testing.ts';

const rule = defaultRates().late.sign;
const sign = { widthCm: 300, heightCm: 100, type: 2 as const, moving: false };
const none: SignFiling = { declaredOn: null, installedOn: null, declared: null, unfiledYear: null };
const assess = (f: Partial<SignFiling>, s = sign, r = rule, year = 2569) =>
  withFilingSurcharges(year, assessSign(s, signRates2569), { ...none, ...f }, signRates2569, r);

describe('Signboard Tax Act s.25 surcharges (pure)', () => {
  it('sets the deadline at the end of March, or 15 days after a sign put up that year when later', () => {
    expect(filingDeadline(2569, null)).toBe('2026-03-31');
    expect(filingDeadline(2569, '2026-06-10')).toBe('2026-06-25');
    expect(filingDeadline(2569, '2026-03-01')).toBe('2026-03-31');
    expect(filingDeadline(2569, '2026-03-20')).toBe('2026-04-04');
    expect(filingDeadline(2569, '2026-12-25')).toBe('2027-01-09');
    // Put up in an earlier year: this year's filing is due by March like any other.
    expect(filingDeadline(2569, '2020-06-10')).toBe('2026-03-31');
  });

  it('adds nothing on the deadline and 5 % of the tax the day after', () => {
    // 300 × 100 cm = 60 units × 26 baht = 1,560 baht.
    expect(assess({ declaredOn: '2026-03-31', declared: sign }).taxSatang).toBe(156_000);
    const late = assess({ declaredOn: '2026-04-01', declared: sign });
    expect(late.taxSatang).toBe(156_000 + 7_800);
    expect(late.lines.at(-2)?.text.th).toContain('มาตรา 25(1)');
    expect(late.lines.at(-2)?.text.en).toContain('after the deadline of 2026-03-31');
    expect(late.lines.at(-1)).toEqual({
      text: { th: 'ภาษีป้ายรวมเงินเพิ่ม', en: 'Signboard tax with surcharges' },
      satang: 163_800,
    });
    // A new sign has 15 days; the bill of another year is not touched.
    expect(assess({ declaredOn: '2026-06-25', installedOn: '2026-06-10' }).taxSatang).toBe(156_000);
    expect(assess({ declaredOn: '2026-06-26', installedOn: '2026-06-10' }).taxSatang).toBe(163_800);
    expect(assess({ declaredOn: '2026-06-26' }, sign, rule, 2570).taxSatang).toBe(156_000);
  });

  it('charges 10 % of the tax for a sign found never declared, and 10 % of an understated difference', () => {
    const found = assess({ unfiledYear: 2569 });
    expect(found.taxSatang).toBe(156_000 + 15_600);
    expect(found.lines.at(-2)?.text.en).toContain('found by staff), 10%');
    expect(assess({ unfiledYear: 2568 }).taxSatang).toBe(156_000);
    // Declared 300 × 100 on time, found 400 × 100: 2,080 baht, 520 more; 10 % of that is 52.
    const bigger = { ...sign, widthCm: 400 };
    const under = assess({ declaredOn: '2026-03-10', declared: sign }, bigger);
    expect(under.taxSatang).toBe(208_000 + 5_200);
    expect(under.lines.at(-2)?.text.th).toContain('มาตรา 25(2)');
    // Declared larger than found: nothing is added.
    expect(assess({ declaredOn: '2026-03-10', declared: bigger }).taxSatang).toBe(156_000);
    // Late and understated: both, each on its own base.
    expect(assess({ declaredOn: '2026-04-02', declared: sign }, bigger).taxSatang).toBe(
      208_000 + 10_400 + 5_200,
    );
  });

  it('takes the percentages from the year record', () => {
    const r = { ...rule, lateFilingPercent: 20, lateFilingBeforeNoticePercent: 0, understatementPercent: 50 };
    expect(assess({ unfiledYear: 2569 }, sign, r).taxSatang).toBe(156_000 + 31_200);
    expect(assess({ declaredOn: '2026-05-01', declared: sign }, sign, r).taxSatang).toBe(156_000);
    expect(assess({ declaredOn: '2026-03-01', declared: sign }, { ...sign, widthCm: 400 }, r).taxSatang).toBe(
      208_000 + 26_000,
    );
  });
});

const app = taxTestApp();
let png: string;
let citizen: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  png = (await qrPng('a sign photo', 64)).toString('base64');
  citizen = await app.t.signIn('citizen');
  admin = await app.t.signIn('admin');
});

const declare = (extra: Record<string, unknown> = {}, text = `ป้าย ${Math.random()}`) =>
  app.t.json({
    method: 'POST',
    url: '/api/tax/declarations',
    headers: citizen,
    payload: { ...sign, text, photos: [{ contentType: 'image/png', data: png }], ...extra },
  });
const accept = (id: string, payload?: unknown, headers = app.revenue) =>
  app.t.json({
    method: 'POST',
    url: `/api/tax/declarations/${id}/accept`,
    headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    payload: payload === undefined ? undefined : JSON.stringify(payload),
  });
const run = (year: number) =>
  app.t.json({ method: 'POST', url: `/api/tax/assessments/${year}`, headers: app.revenue });
const billOf = async (signId: string, year = 2569) => {
  const [b] = await app.t.db.rows<{ id: string; amount: number; working: { th: string; en: string }[] }>(
    sql`SELECT id, amount_satang::int AS amount, working FROM tax_bills WHERE sign_id = ${signId} AND tax_year = ${year}`,
  );
  return b;
};
/** The filing time as a Bangkok wall clock, e.g. '2026-03-31 23:59:59'. */
const filedAt = (id: string, bangkok: string) =>
  app.t.db.rows(sql`UPDATE tax_signs SET declared_at = ${`${bangkok}+07:00`}::timestamptz WHERE id = ${id}`);

describe('ภ.ป.1 filed late or understated (API)', () => {
  it('bills a sign declared on the last Bangkok day as is, and one a second later with 5 %', async () => {
    const onTime = await declare();
    const late = await declare();
    expect([onTime.status, late.status]).toEqual([201, 201]);
    await filedAt(onTime.body.id, '2026-03-31 23:59:59');
    await filedAt(late.body.id, '2026-04-01 00:00:00');
    for (const d of [onTime, late]) expect((await accept(d.body.id)).body.status).toBe('registered');
    expect((await run(2569)).body.billsIssued).toBe(2);
    expect((await billOf(onTime.body.id)).amount).toBe(156_000);
    const bill = await billOf(late.body.id);
    expect(bill.amount).toBe(163_800);
    // The citizen reads the surcharge as its own line of the bill's working.
    const mine = await app.t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen });
    const seen = mine.body.find((b: { id: string }) => b.id === bill.id);
    expect(seen.amountBaht).toBe('1638.00');
    expect(
      seen.working.some(
        (l: { th: string; satang: number }) => l.th.includes('มาตรา 25(1)') && l.satang === 7_800,
      ),
    ).toBe(true);
  });

  it('charges the understated difference when staff accept a larger sign than declared, and audits both', async () => {
    const d = await declare({ installedOn: bangkokDay() });
    const res = await accept(d.body.id, { widthCm: 400, textLanguage: 'thai-mixed' });
    expect(res.status).toBe(200);
    expect(res.body.declared).toEqual(sign);
    expect(res.body.registered).toEqual({ ...sign, widthCm: 400 });
    const [log] = await app.t.db.rows<{ detail: { declared: unknown; registered: unknown } }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.sign.accept' AND resource_id = ${d.body.id}`,
    );
    expect(log.detail).toEqual({ declared: sign, registered: { ...sign, widthCm: 400 } });
    await run(2569);
    // Put up today, declared today: on time; 2,080 baht + 10 % of the 520 above the declared 1,560,
    // both for the quarters of 2569 left from today (assessment.ts quartersDue).
    const bill = await billOf(d.body.id);
    expect(bill.amount).toBe((213_200 * quartersDue(2569, bangkokDay())) / 4);
    expect(bill.working.some((l) => l.en.includes('s.25(2)'))).toBe(true);
    // Decided once: accepting again is 404.
    expect((await accept(d.body.id, {})).status).toBe(404);
  });

  it('refuses bad corrections and bad installation days, and lets only finance staff accept', async () => {
    const d = await declare();
    for (const bad of [{ widthCm: -1 }, { widthCm: 'wide' }, { moving: 'yes' }, { owner: 'x' }, { type: 4 }])
      expect((await accept(d.body.id, bad)).status).toBe(400);
    const clash = await accept(d.body.id, { type: 1, textLanguage: 'thai-mixed' });
    expect(clash.status).toBe(422);
    expect(clash.body.errors[0].path).toBe('/type');
    expect((await accept(d.body.id, {}, citizen)).status).toBe(403);
    expect((await accept('00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
    const tomorrow = bangkokDay(new Date(Date.now() + 86_400_000));
    for (const day of [tomorrow, '2026-02-30', '1967-12-31', "2026-01-01' OR 1=1", '20260101']) {
      const res = await declare({ installedOn: day });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toMatch(/\/installedOn$/);
    }
  });

  it('bills a sign found by inspection with 10 %, and takes changed percentages from the year record', async () => {
    const [owner] = await app.t.db.rows<{ id: string }>(sql`SELECT id FROM tax_owners LIMIT 1`);
    const found = (unfiledYear?: unknown) =>
      app.t.json({
        method: 'POST',
        url: '/api/tax/signs',
        headers: app.revenue,
        payload: { ownerId: owner.id, ...sign, ...(unfiledYear === undefined ? {} : { unfiledYear }) },
      });
    for (const bad of [2559, 2701, '2569', 2569.5]) expect((await found(bad)).status).toBe(400);
    const s2569 = await found(2569);
    const s2570 = await found(2570);
    const plain = await found();
    expect([s2569.status, s2570.status, plain.status]).toEqual([201, 201, 201]);
    const [log] = await app.t.db.rows<{ detail: unknown }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.sign.create' AND resource_id = ${s2569.body.id}`,
    );
    expect(log.detail).toEqual({ unfiledYear: 2569 });
    await run(2569);
    expect((await billOf(s2569.body.id)).amount).toBe(171_600);
    expect((await billOf(s2570.body.id)).amount).toBe(156_000);
    expect((await billOf(plain.body.id)).amount).toBe(156_000);

    // 2570's record says 12 % and 7 %: a sign found for 2570 and a ภ.ป.1 filed late in 2570 pay those.
    const { body } = await app.t.json({ method: 'GET', url: '/api/tax/rates/2569', headers: app.revenue });
    const { taxYear: _t, updatedAt: _u, updatedBy: _b, bills: _n, ...record } = body;
    record.late.sign.lateFilingPercent = 12;
    record.late.sign.lateFilingBeforeNoticePercent = 7;
    const put = await app.t.json({
      method: 'PUT',
      url: '/api/tax/rates/2570',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify(record),
    });
    expect(put.status).toBe(201);
    const late2570 = await declare();
    await filedAt(late2570.body.id, '2027-04-01 08:00:00');
    await accept(late2570.body.id);
    expect((await run(2570)).status).toBe(200);
    expect((await billOf(s2570.body.id, 2570)).amount).toBe(156_000 + 18_720);
    const bill = await billOf(late2570.body.id, 2570);
    expect(bill.amount).toBe(156_000 + 10_920);
    expect(bill.working.some((l) => l.en.includes('7% of the tax'))).toBe(true);
    // The 2569 bill of the same sign is not billed again or changed.
    expect(await billOf(late2570.body.id, 2569)).toBeUndefined();
  });

  it('refuses a year record without the 5 % of s.25(1) or with it above 100', async () => {
    const { body } = await app.t.json({ method: 'GET', url: '/api/tax/rates/2569', headers: app.revenue });
    const { taxYear: _t, updatedAt: _u, updatedBy: _b, bills: _n, ...record } = body;
    const send = (r: unknown) =>
      app.t.json({
        method: 'PUT',
        url: '/api/tax/rates/2571',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: JSON.stringify(r),
      });
    const { lateFilingBeforeNoticePercent: _p, ...without } = record.late.sign;
    expect((await send({ ...record, late: { ...record.late, sign: without } })).status).toBe(400);
    const over = await send({
      ...record,
      late: { ...record.late, sign: { ...record.late.sign, lateFilingBeforeNoticePercent: 101 } },
    });
    expect(over.status).toBe(422);
    expect(over.body.errors.map((e: { path: string }) => e.path)).toContain(
      '/late/sign/lateFilingBeforeNoticePercent',
    );
  });
});
