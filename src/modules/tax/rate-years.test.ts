import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RateYearInput, rateProblems } from './rate-rules.ts';
import { lateRulesFor } from './rate-years.ts';
import { defaultRates, landBuildingLate, landBuildingRates2569, signLate, signRates2569 } from './rates.ts';
import { taxTestApp, thaiId } from './testing.ts';

const app = taxTestApp();
let admin: Record<string, string>;
let financeManager: Record<string, string>;

beforeAll(async () => {
  admin = await app.t.signIn('admin');
  // The demo manager runs the clerk's office; a finance office manager is made like them.
  await app.t.db.rows(sql`
    INSERT INTO core_users (kind, role, email, display_name, password_hash, office_id)
    SELECT 'staff', 'office_manager', 'finance-manager@demo.local', 'Finance manager', password_hash,
      (SELECT id FROM core_offices WHERE code = 'finance')
    FROM core_users WHERE email = 'manager@demo.local'`);
  financeManager = await app.t.signInAs('finance-manager@demo.local');
});

const get = (year: number, headers = app.revenue) =>
  app.t.json({ method: 'GET', url: `/api/tax/rates/${year}`, headers });
// Sent as JSON text, so a bare string or null is sent as what it is.
const put = (year: number, payload: unknown, headers = admin) =>
  app.t.json({
    method: 'PUT',
    url: `/api/tax/rates/${year}`,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

/** The 2569 record as the API answers it, without who and when, to send as another year's. */
async function copyOf2569() {
  const { body } = await get(2569);
  const { taxYear, updatedAt, updatedBy, bills, ...record } = body;
  return structuredClone(record);
}

describe('tax rates per year', () => {
  it('holds 2569 as the demo seed wrote it from the defaults of rates.ts, and offers those defaults', async () => {
    const res = await get(2569);
    expect(res.status).toBe(200);
    const { year: _y, ceilings: _c, reductionPercent, ...landBuilding } = landBuildingRates2569;
    expect(res.body.landBuilding).toEqual(landBuilding);
    expect(res.body.reductionPercent).toBe(reductionPercent);
    expect(res.body.sign).toEqual({
      per500cm2: signRates2569.per500cm2,
      minimumBaht: signRates2569.minimumBaht,
    });
    expect(res.body.late.landBuilding).toEqual(landBuildingLate);
    expect(res.body.late.sign).toMatchObject(signLate);
    expect(res.body.late.sign).toMatchObject({ lateFilingPercent: 10, understatementPercent: 10 });
    expect(res.body.instalments).toEqual({
      minimumBaht: 3000,
      count: 3,
      sign: { minimumBaht: 3000, count: 3 },
    });
    expect(res.body.late.landBuilding).toMatchObject({
      penaltyPercent: 40,
      penaltyBeforeReminderPercent: 10,
      penaltyWithinReminderPercent: 20,
    });
    expect(res.body.updatedBy).toBe('defaults');
    const defaults = await app.t.json({
      method: 'GET',
      url: '/api/tax/rates/defaults',
      headers: app.revenue,
    });
    expect(defaults.body).toEqual(defaultRates());
    const { taxYear, updatedAt, updatedBy, bills, ...stored } = res.body;
    expect(stored).toEqual(defaultRates());
    expect(rateProblems(defaultRates())).toEqual([]);
    expect(res.body.bills).toBeGreaterThan(0); // the demo seed assessed 2569
    const list = await app.t.json({ method: 'GET', url: '/api/tax/rates', headers: app.revenue });
    expect(list.body.map((y: { taxYear: number }) => y.taxYear)).toContain(2569);
    expect(await lateRulesFor(app.t.db.orm, 2569)).toEqual(res.body.late);
    expect(await lateRulesFor(app.t.db.orm, 2601)).toBeUndefined();
  });

  it('assesses a year with the rates held for it: a higher rate gives a higher tax', async () => {
    const owner = await app.t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: app.revenue,
      payload: { kind: 'juristic', taxId: thaiId('010556000001'), name: 'Rates test company' },
    });
    expect(owner.status).toBe(201);
    const parcel = await app.t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: app.revenue,
      payload: {
        ownerId: owner.body.id,
        deedKind: 'chanote',
        deedNo: 'RATES-1',
        area: { rai: 0, ngan: 2, wa: 50 }, // 1,000 m²
        valuePerM2Baht: 10_000,
        uses: [{ use: 'other', sharePercent: 100 }],
        location: { lon: 102.86, lat: 16.45 },
      },
    });
    expect(parcel.status).toBe(201);
    const record = await copyOf2569();
    expect((await put(2570, record)).status).toBe(201);
    record.landBuilding.other[0].ratePercent = 0.9;
    record.reductionPercent = 50;
    record.sign.per500cm2['1'].static = 100;
    expect((await put(2571, record)).status).toBe(201);
    for (const year of [2570, 2571]) {
      const run = await app.t.json({
        method: 'POST',
        url: `/api/tax/assessments/${year}`,
        headers: app.revenue,
      });
      expect(run.status).toBe(200);
    }
    const amounts = await app.t.db.rows<{ year: number; amount: number }>(
      sql`SELECT tax_year AS year, amount_satang::float8 AS amount FROM tax_bills
        WHERE parcel_id = ${parcel.body.id} ORDER BY tax_year`,
    );
    // 10,000,000 baht commercial: × 0.3 % = 30,000; × 0.9 % less half = 45,000.
    expect(amounts).toEqual([
      { year: 2570, amount: 3_000_000 },
      { year: 2571, amount: 4_500_000 },
    ]);
    // The demo shop sign (120 × 80 cm, type 1, static) is 19 units: 200 baht minimum, then 1,900 baht.
    const signs = await app.t.db.rows<{ year: number; amount: number }>(
      sql`SELECT b.tax_year AS year, b.amount_satang::float8 AS amount FROM tax_bills b
        JOIN tax_signs s ON s.id = b.sign_id JOIN tax_owners o ON o.id = s.owner_id
        WHERE o.tax_id = '1101700230708' AND s.width_cm = 120 AND s.height_cm = 80 AND b.tax_year IN (2570, 2571)
        ORDER BY b.tax_year`,
    );
    expect(signs).toEqual([
      { year: 2570, amount: 20_000 },
      { year: 2571, amount: 190_000 },
    ]);
  });

  it('freezes a year once it has bills (409) and says how many', async () => {
    for (const year of [2569, 2570]) {
      const res = await put(year, await copyOf2569());
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('tax.rates_frozen');
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('answers 404 for a year without rates, and an assessment of it is the clear problem', async () => {
    expect((await get(2600)).status).toBe(404);
    const run = await app.t.json({ method: 'POST', url: '/api/tax/assessments/2600', headers: app.revenue });
    expect(run.status).toBe(404);
    expect(run.body.code).toBe('tax.rates_missing');
    expect((await get(2800)).status).toBe(400);
  });

  it('refuses rates above the statutory ceilings and other breaches (422), beside each field, storing nothing', async () => {
    const cases: [(r: RateYearInput) => void, string][] = [
      [(r) => (r.landBuilding.agriculture[0].ratePercent = 0.16), '/landBuilding/agriculture/0/ratePercent'],
      [
        (r) => (r.landBuilding.residentialOther[1].ratePercent = 0.31),
        '/landBuilding/residentialOther/1/ratePercent',
      ],
      [
        (r) => (r.landBuilding.residentialMainHome[3].ratePercent = 0.4),
        '/landBuilding/residentialMainHome/3/ratePercent',
      ],
      [(r) => (r.landBuilding.other[4].ratePercent = 1.21), '/landBuilding/other/4/ratePercent'],
      [(r) => (r.landBuilding.vacant[0].ratePercent = 1.3), '/landBuilding/vacant/0/ratePercent'],
      [
        (r) => (r.landBuilding.vacantSurchargePercentPer3Years = 0.35),
        '/landBuilding/vacantSurchargePercentPer3Years',
      ],
      [(r) => (r.landBuilding.vacantMaxPercent = 3.5), '/landBuilding/vacantMaxPercent'],
      [(r) => (r.landBuilding.other[2].fromBaht = 50_000_000), '/landBuilding/other/2/fromBaht'],
      [(r) => (r.landBuilding.other[0].fromBaht = 1), '/landBuilding/other/0/fromBaht'],
      [(r) => (r.landBuilding.other[0].ratePercent = -0.1), '/landBuilding/other/0/ratePercent'],
      [(r) => (r.landBuilding.other[0].ratePercent = 0.0001), '/landBuilding/other/0/ratePercent'],
      [
        (r) => (r.landBuilding.exemptions.mainHomeBuildingOnly = -1),
        '/landBuilding/exemptions/mainHomeBuildingOnly',
      ],
      [(r) => (r.landBuilding.other[4].fromBaht = 1e18), '/landBuilding/other/4/fromBaht'],
      [(r) => (r.reductionPercent = 100.5), '/reductionPercent'],
      [(r) => (r.reductionPercent = -5), '/reductionPercent'],
      [(r) => (r.sign.per500cm2['2'].moving = 0), '/sign/per500cm2/2/moving'],
      [(r) => (r.sign.per500cm2['3'].static = -50), '/sign/per500cm2/3/static'],
      [(r) => (r.sign.minimumBaht = 150), '/sign/minimumBaht'],
      [(r) => (r.late.sign.lateFilingPercent = 250), '/late/sign/lateFilingPercent'],
      [(r) => (r.late.landBuilding.penaltyPercent = -40), '/late/landBuilding/penaltyPercent'],
      [(r) => (r.instalments.minimumBaht = -3000), '/instalments/minimumBaht'],
      [(r) => (r.instalments.sign.minimumBaht = 2.5), '/instalments/sign/minimumBaht'],
      [
        (r) => (r.late.landBuilding.penaltyBeforeReminderPercent = 101),
        '/late/landBuilding/penaltyBeforeReminderPercent',
      ],
      // A reminder only lowers the penalty: 10 ≤ 20 ≤ 40 in the law's order.
      [
        (r) => (r.late.landBuilding.penaltyBeforeReminderPercent = 30),
        '/late/landBuilding/penaltyBeforeReminderPercent',
      ],
      [
        (r) => (r.late.landBuilding.penaltyWithinReminderPercent = 45),
        '/late/landBuilding/penaltyWithinReminderPercent',
      ],
    ];
    for (const [change, path] of cases) {
      const record = await copyOf2569();
      change(record);
      const res = await put(2580, record);
      expect(res.status, path).toBe(422);
      expect(res.body.code).toBe('tax.rates_invalid');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    const th = await put(
      2580,
      { ...(await copyOf2569()), reductionPercent: 101 },
      { ...admin, 'accept-language': 'en' },
    );
    expect(th.body.errors[0].message).toMatch(/between 0 and 100/);
    expect((await get(2580)).status).toBe(404);
  });

  it('refuses wrong types and shapes (400)', async () => {
    const record = await copyOf2569();
    const bad: unknown[] = [
      { ...record, reductionPercent: '10' },
      { ...record, landBuilding: { ...record.landBuilding, other: [] } },
      { ...record, sign: { ...record.sign, per500cm2: { 1: record.sign.per500cm2['1'] } } },
      { ...record, instalments: { ...record.instalments, count: 2.5 } },
      // The sign instalment rule and the reminder penalties are required parts of the record.
      { ...record, instalments: { minimumBaht: 3000, count: 3 } },
      { ...record, instalments: { ...record.instalments, sign: { minimumBaht: '3000', count: 3 } } },
      {
        ...record,
        late: { ...record.late, landBuilding: { surchargePercentPerMonth: 1, penaltyPercent: 40 } },
      },
      { ...record, extra: true },
      { ...record, source: 'x'.repeat(1001) },
      "'; DROP TABLE tax_rate_years; --",
      null,
    ];
    for (const payload of bad) expect((await put(2581, payload)).status).toBe(400);
    expect((await get(2581)).status).toBe(404);
  });

  it('lets only an admin or the finance office manager set rates', async () => {
    const record = await copyOf2569();
    const anonymous = await app.t.json({ method: 'PUT', url: '/api/tax/rates/2582', payload: record });
    expect(anonymous.status).toBe(401);
    expect((await app.t.json({ method: 'GET', url: '/api/tax/rates/2569' })).status).toBe(401);
    const citizen = await app.t.signIn('citizen');
    expect((await put(2582, record, citizen)).status).toBe(403);
    expect((await get(2569, citizen)).status).toBe(403);
    expect((await put(2582, record, app.revenue)).status).toBe(403); // a finance officer reads, does not set
    expect((await put(2582, record, await app.t.signIn('office_manager'))).status).toBe(403); // another office
    expect((await put(2582, record, await app.t.signIn('executive'))).status).toBe(403);
    expect((await get(2569, await app.t.signIn('executive'))).status).toBe(200);
    expect((await get(2582)).status).toBe(404);
    expect((await put(2582, record, financeManager)).status).toBe(201);
  });

  it('audits each write with the parts changed, replaces an unbilled year, and writes nothing for no change', async () => {
    const record = await copyOf2569();
    record.source = "Khon Kaen ordinance 2583 <script>alert(1)</script> ' OR 1=1 --";
    expect((await put(2583, record)).status).toBe(201);
    record.landBuilding.residentialOther[0].ratePercent = 0.025;
    const replaced = await put(2583, record);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ taxYear: 2583, source: record.source, bills: 0 });
    expect(replaced.body.landBuilding.residentialOther[0].ratePercent).toBe(0.025);
    expect((await put(2583, record)).status).toBe(200);
    const rows = await app.t.db.rows<{
      action: string;
      actor: string;
      detail: Record<'before' | 'after', Partial<RateYearInput>>;
    }>(
      sql`SELECT action, actor_label AS actor, detail FROM core_audit_log
        WHERE resource_type = 'tax.rates' AND resource_id = '2583' ORDER BY at, id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['tax.rates.create', 'tax.rates.update']);
    expect(Object.keys(rows[1].detail.after)).toEqual(['landBuilding']);
    expect(rows[1].detail.before.landBuilding?.residentialOther[0].ratePercent).toBe(0.02);
  });

  it('will not assess with a stored record that breaks the law (written past the API)', async () => {
    await app.t.db.rows(sql`
      INSERT INTO tax_rate_years (tax_year, land_building, sign, late, instalments)
      SELECT 2590, jsonb_set(land_building, '{other,0,ratePercent}', '2'), sign, late, instalments
      FROM tax_rate_years WHERE tax_year = 2569`);
    const run = await app.t.json({ method: 'POST', url: '/api/tax/assessments/2590', headers: app.revenue });
    expect(run.status).toBe(422);
    expect(run.body.errors[0].path).toBe('/landBuilding/other/0/ratePercent');
    const [{ n }] = await app.t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_bills WHERE tax_year = 2590`,
    );
    expect(n).toBe(0);
  });
});
