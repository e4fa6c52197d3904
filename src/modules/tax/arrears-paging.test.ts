import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { amountDue } from './late.ts';
import { defaultRates } from './rates.ts';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
// More sign bills than one totals batch (5,000), all due on a day long before the demo's, so an
// arrears day between the two sees only these.
const signBills = 5_030;
const landBills = 4;
const asOf = '2020-03-15';

interface Arrear {
  id: string;
  taxKind: string;
  amountSatang: number;
  surchargeSatang: number;
  penaltySatang: number;
  totalSatang: number;
}
interface ArrearsBody {
  total: number;
  totals: {
    count: number;
    amountSatang: number;
    surchargeSatang: number;
    penaltySatang: number;
    totalSatang: number;
  };
  bills: Arrear[];
}

const get = (query: string, headers = tax.revenue) =>
  tax.t.json({ method: 'GET', url: `/api/tax/arrears?asOf=${asOf}&${query}`, headers });

beforeAll(async () => {
  const db = tax.t.db;
  const [owner] = await db.rows<{ id: string }>(
    sql`INSERT INTO tax_owners (kind, tax_id, name) VALUES ('person', ${thaiId('310990077001')}, 'นายค้าง ชำระ') RETURNING id`,
  );
  await db.rows(sql`
    WITH s AS (
      INSERT INTO tax_signs (owner_id, width_cm, height_cm, sign_type, moving)
      SELECT ${owner.id}, 100, 50, 1, false FROM generate_series(1, ${signBills}) RETURNING id
    )
    INSERT INTO tax_bills (number, tax_year, tax_kind, owner_id, sign_id, amount_satang, working, due_date)
    SELECT 'ARR-S-' || lpad(row_number() OVER (ORDER BY id)::text, 5, '0'), 2569, 'sign', ${owner.id}, id,
      20000 + (row_number() OVER (ORDER BY id)) * 7, '[]'::jsonb, '2020-01-31' FROM s`);
  await db.rows(sql`
    WITH p AS (
      INSERT INTO tax_parcels (owner_id, deed_kind, deed_no, area_m2, value_per_m2, uses, zone_code)
      SELECT ${owner.id}, 'chanote', 'ARR-' || g, 400, 1000, '[{"use":"other","sharePercent":100}]'::jsonb,
        CASE WHEN g <= 2 THEN 'ARR-Z1' ELSE 'ARR-Z2' END
      FROM generate_series(1, ${landBills}) g RETURNING id, deed_no
    )
    INSERT INTO tax_bills (number, tax_year, tax_kind, owner_id, parcel_id, amount_satang, working, due_date)
    SELECT 'ARR-L-' || deed_no, 2569, 'land-building', ${owner.id}, id, 123457, '[]'::jsonb, '2019-12-31' FROM p`);
});

describe('arrears: paged, with the count and totals of all overdue bills', () => {
  it('pages through every bill once, and the totals cover all of them (over one totals batch)', async () => {
    const first = await get('limit=200');
    expect(first.status).toBe(200);
    const body = first.body as ArrearsBody;
    expect(body.total).toBe(signBills + landBills);
    expect(body.totals.count).toBe(signBills + landBills);
    expect(body.bills).toHaveLength(200);
    // Oldest due first: the land bills (due 31 Dec 2019) lead.
    expect(body.bills.slice(0, landBills).every((b) => b.taxKind === 'land-building')).toBe(true);

    // The expected totals, from every overdue row read straight from the table and asked of late.ts.
    const rows = await tax.t.db.rows<{
      amountSatang: number;
      dueDate: string;
      taxKind: 'sign' | 'land-building';
      taxYear: number;
    }>(
      sql`SELECT amount_satang::float8 AS "amountSatang", to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
          tax_kind AS "taxKind", tax_year AS "taxYear"
        FROM tax_bills WHERE status = 'open' AND due_date < ${asOf}::date`,
    );
    const expected = {
      count: rows.length,
      amountSatang: 0,
      surchargeSatang: 0,
      penaltySatang: 0,
      totalSatang: 0,
    };
    for (const r of rows) {
      // 2569's record (the defaults); no reminder was sent, so the penalty is the reduced one.
      const late = defaultRates().late;
      const d = amountDue(r, asOf, r.taxKind === 'sign' ? late.sign : late.landBuilding);
      expected.amountSatang += r.amountSatang;
      expected.surchargeSatang += d.surchargeSatang;
      expected.penaltySatang += d.penaltySatang;
      expected.totalSatang += d.totalSatang;
    }
    expect(body.totals).toEqual(expected);
    expect(body.totals.surchargeSatang).toBeGreaterThan(0);
    expect(body.totals.penaltySatang).toBeGreaterThan(0);

    // Walking the pages gives each bill once and sums to the same totals.
    const seen = new Set<string>();
    const summed = { amountSatang: 0, surchargeSatang: 0, penaltySatang: 0, totalSatang: 0 };
    for (let offset = 0; offset < body.total; offset += 200) {
      const page = (await get(`limit=200&offset=${offset}`)).body as ArrearsBody;
      expect(page.totals).toEqual(expected);
      for (const b of page.bills) {
        expect(seen.has(b.id)).toBe(false);
        seen.add(b.id);
        summed.amountSatang += b.amountSatang;
        summed.surchargeSatang += b.surchargeSatang;
        summed.penaltySatang += b.penaltySatang;
        summed.totalSatang += b.totalSatang;
      }
    }
    expect(seen.size).toBe(signBills + landBills);
    expect(summed).toEqual({
      amountSatang: expected.amountSatang,
      surchargeSatang: expected.surchargeSatang,
      penaltySatang: expected.penaltySatang,
      totalSatang: expected.totalSatang,
    });
    const past = (await get('offset=999999')).body as ArrearsBody;
    expect(past.bills).toEqual([]);
    expect(past.total).toBe(signBills + landBills);
  });

  it('filters by tax kind and by zone (parcels only); an injection string finds nothing', async () => {
    const land = (await get('taxKind=land-building')).body as ArrearsBody;
    expect(land.total).toBe(landBills);
    expect(land.totals.amountSatang).toBe(landBills * 123457);
    const zone = (await get('zone=ARR-Z1')).body as ArrearsBody;
    expect(zone.total).toBe(2);
    expect(zone.bills.every((b) => b.taxKind === 'land-building')).toBe(true);
    expect(((await get('taxKind=sign&zone=ARR-Z1')).body as ArrearsBody).total).toBe(0);
    const injected = await get(`zone=${encodeURIComponent("x' OR '1'='1")}`);
    expect(injected.status).toBe(200);
    expect(injected.body.total).toBe(0);
  });

  it('refuses a wrong page or filter (400), audits the read, and keeps it to finance staff', async () => {
    for (const q of ['limit=0', 'limit=201', 'offset=-1', 'limit=abc', 'taxKind=water', 'zone=', 'extra=1']) {
      expect((await get(q)).status, q).toBe(400);
    }
    const [entry] = await tax.t.db.rows<{ detail: Record<string, unknown> }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.arrears.read' AND detail->>'zone' = 'ARR-Z1'
        AND detail->>'taxKind' IS NULL ORDER BY at LIMIT 1`,
    );
    expect(entry.detail).toMatchObject({ asOf, zone: 'ARR-Z1', offset: 0, count: 2, total: 2 });
    expect((await get('limit=5', await tax.t.signIn('citizen'))).status).toBe(403);
    expect((await tax.t.json({ method: 'GET', url: '/api/tax/arrears' })).status).toBe(401);
  });
});

describe('the unmatched payments queue is paged with its count', () => {
  it('pages the waiting payments newest first, each once', async () => {
    await tax.t.db.rows(sql`
      INSERT INTO tax_payments (bank_txn_id, bill_number, amount_satang, paid_at, source, status, created_at)
      SELECT 'PAGE-' || g, 'NO-SUCH-' || g, 100 * g, now(), 'statement', 'unknown_bill', now() - g * interval '1 second'
      FROM generate_series(1, 7) g`);
    const page = (offset: number, headers = tax.revenue) =>
      tax.t.json({ method: 'GET', url: `/api/tax/payments/unmatched?limit=3&offset=${offset}`, headers });
    const first = await page(0);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 7, limit: 3, offset: 0 });
    const ids: string[] = [];
    for (let offset = 0; offset < 7; offset += 3) {
      const res = await page(offset);
      expect(res.body.total).toBe(7);
      ids.push(...res.body.items.map((p: { transactionId: string }) => p.transactionId));
    }
    expect(ids).toEqual(['PAGE-1', 'PAGE-2', 'PAGE-3', 'PAGE-4', 'PAGE-5', 'PAGE-6', 'PAGE-7']);
    const resolved = await tax.t.json({
      method: 'GET',
      url: '/api/tax/payments/unmatched?state=resolved',
      headers: tax.revenue,
    });
    expect(resolved.body).toMatchObject({ total: 0, items: [], limit: 50, offset: 0 });
    for (const q of ['limit=0', 'limit=201', 'offset=-1']) {
      const res = await tax.t.json({
        method: 'GET',
        url: `/api/tax/payments/unmatched?${q}`,
        headers: tax.revenue,
      });
      expect(res.status, q).toBe(400);
    }
    expect((await page(0, await tax.t.signIn('citizen'))).status).toBe(403);
    expect((await tax.t.json({ method: 'GET', url: '/api/tax/payments/unmatched' })).status).toBe(401);
  });
});
