// Finance staff correct a use's main-home status and years left vacant; the next assessment follows.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const ids: Record<string, string> = {};

type UseBody = { use: string; sharePercent: number; mainHome?: string; vacantYears?: number };

beforeAll(async () => {
  const owner = await tax.t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: tax.revenue,
    payload: { kind: 'person', taxId: thaiId('310990077123'), name: 'นายบ้าน หลังแรก' },
  });
  expect(owner.status).toBe(201);
  // An owner has one main home (s.41), so the house owned without its land is another owner's.
  const other = await tax.t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: tax.revenue,
    payload: { kind: 'person', taxId: thaiId('310990077124'), name: 'นางบ้าน ไม่มีที่ดิน' },
  });
  expect(other.status).toBe(201);
  // Pairs of identical parcels: one is corrected, the other is not, so the bills can be compared.
  const parcels: [string, number, UseBody][] = [
    ['home', 20_000, { use: 'residential', sharePercent: 100 }],
    ['homeSame', 20_000, { use: 'residential', sharePercent: 100 }],
    ['houseOnly', 20_000, { use: 'residential', sharePercent: 100 }],
    ['vacant', 10_000, { use: 'vacant', sharePercent: 100 }],
    ['vacantSame', 10_000, { use: 'vacant', sharePercent: 100 }],
  ];
  for (const [name, value, use] of parcels) {
    const res = await tax.t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: tax.revenue,
      payload: {
        ownerId: name === 'houseOnly' ? other.body.id : owner.body.id,
        deedKind: 'chanote',
        deedNo: `STATUS-${name}`,
        area: { rai: 1, ngan: 0, wa: 0 },
        valuePerM2Baht: value,
        uses: [use],
      },
    });
    expect(res.status).toBe(201);
    ids[name] = res.body.id;
  }
});

const patch = (name: string, payload: object) =>
  tax.t.json({
    method: 'PATCH',
    url: `/api/tax/register/parcels/${ids[name]}`,
    headers: tax.revenue,
    payload,
  });
const read = async (name: string) =>
  (await tax.t.json({ method: 'GET', url: `/api/tax/register/parcels/${ids[name]}`, headers: tax.revenue }))
    .body;
const audits = (name: string) =>
  tax.t.db.rows<{ detail: { before: { uses: UseBody[] }; after: { uses: UseBody[] } } }>(
    sql`SELECT detail FROM core_audit_log WHERE action = 'tax.parcel.update' AND resource_id = ${ids[name]}
      ORDER BY id`,
  );

describe("a use's main-home status and years left vacant", () => {
  it('refuses a status that does not fit its use, or is out of range, and writes nothing', async () => {
    const cases: [UseBody, string][] = [
      [{ use: 'vacant', sharePercent: 100, mainHome: 'land-and-building' }, '/uses/0/mainHome'],
      [{ use: 'residential', sharePercent: 100, vacantYears: 3 }, '/uses/0/vacantYears'],
      [{ use: 'vacant', sharePercent: 100, vacantYears: 101 }, '/uses/0/vacantYears'],
      [{ use: 'vacant', sharePercent: 100, vacantYears: 2.5 }, '/uses/0/vacantYears'],
      [{ use: 'vacant', sharePercent: 100, vacantYears: -1 }, '/uses/0/vacantYears'],
      [{ use: 'residential', sharePercent: 100, mainHome: 'castle' }, '/uses/0/mainHome'],
    ];
    for (const [use, path] of cases) {
      const name = use.use === 'vacant' ? 'vacant' : 'home';
      const res = await patch(name, { version: 1, uses: [use] });
      expect(res.status, JSON.stringify(use)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('request.invalid');
      expect(res.body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
    }
    expect((await read('home')).version).toBe(1);
    expect((await read('vacant')).version).toBe(1);
    expect(await audits('home')).toHaveLength(0);
  });

  it('sets a main home and years left vacant; audited with the uses before and after', async () => {
    const home = await patch('home', {
      version: 1,
      uses: [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }],
    });
    expect(home.status).toBe(200);
    expect(home.body.version).toBe(2);
    const houseOnly = await patch('houseOnly', {
      version: 1,
      uses: [{ use: 'residential', sharePercent: 100, mainHome: 'building-only' }],
    });
    expect(houseOnly.status).toBe(200);
    const vacant = await patch('vacant', {
      version: 1,
      uses: [{ use: 'vacant', sharePercent: 100, vacantYears: 6 }],
    });
    expect(vacant.status).toBe(200);
    expect((await read('home')).uses).toEqual([
      { use: 'residential', sharePercent: 100, mainHome: 'land-and-building' },
    ]);
    expect((await read('vacant')).uses).toEqual([{ use: 'vacant', sharePercent: 100, vacantYears: 6 }]);
    const [entry] = await audits('vacant');
    expect(entry.detail.before.uses).toEqual([{ use: 'vacant', sharePercent: 100 }]);
    expect(entry.detail.after.uses).toEqual([{ use: 'vacant', sharePercent: 100, vacantYears: 6 }]);
    expect((await audits('home'))[0].detail.after.uses[0].mainHome).toBe('land-and-building');
  });

  it('the next assessment exempts the main home and adds the vacant-land surcharge', async () => {
    const run = await tax.t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: tax.revenue });
    expect(run.status).toBe(200);
    const bill = async (name: string) => {
      const [b] = (await read(name)).bills as { amountSatang: number; status: string }[];
      return b;
    };
    // 1 rai × 20,000 baht = 32 million: under the 50 million main-home exemption, so nothing is due;
    // a house owned without its land is exempt for the first 10 million only.
    const same = await bill('homeSame');
    expect(same.amountSatang).toBeGreaterThan(0);
    expect(await bill('home')).toMatchObject({ amountSatang: 0, status: 'nothing_due' });
    const houseOnly = await bill('houseOnly');
    expect(houseOnly.amountSatang).toBeGreaterThan(0);
    expect(houseOnly.amountSatang).toBeLessThan(same.amountSatang);
    // Vacant 16 million baht at 0.3 %; six years left vacant add 2 × 0.3 %, so 0.9 %: three times as much.
    const vacantSame = await bill('vacantSame');
    expect(vacantSame.amountSatang).toBe(16_000_000 * 0.003 * 100);
    expect((await bill('vacant')).amountSatang).toBe(3 * vacantSame.amountSatang);
    const [working] = await tax.t.db.rows<{ working: { en: string }[] }>(
      sql`SELECT working FROM tax_bills WHERE parcel_id = ${ids.vacant}`,
    );
    expect(working.working.map((l) => l.en).join('\n')).toContain('0.9%');
  });
});
