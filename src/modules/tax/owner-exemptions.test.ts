import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { runAssessment } from './assessment-run.ts';
import { TaxRepository } from './repository.ts';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const M = 1_000_000;
const farm = [{ use: 'agriculture', sharePercent: 100 }];
const home = [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }];
const otherHome = [{ use: 'residential', sharePercent: 100 }];

async function owner(stem: string, kind: 'person' | 'juristic') {
  const res = await tax.t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: tax.revenue,
    payload: { kind, taxId: thaiId(stem), name: `เจ้าของ ${stem}` },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
/** A parcel worth `valueBaht`: one rai, or 4 m² (one square wa) when the value needs satang per m². */
const parcel = (
  ownerId: string,
  deedNo: string,
  valueBaht: number,
  uses: object[],
  headers = tax.revenue,
) => {
  const small = valueBaht % 16 !== 0;
  return tax.t.json({
    method: 'POST',
    url: '/api/tax/parcels',
    headers,
    payload: {
      ownerId,
      deedKind: 'chanote',
      deedNo,
      area: small ? { rai: 0, ngan: 0, wa: 1 } : { rai: 1, ngan: 0, wa: 0 },
      valuePerM2Baht: valueBaht / (small ? 4 : 1600),
      uses,
    },
  });
};
async function parcelId(ownerId: string, deedNo: string, valueBaht: number, uses: object[]) {
  const res = await parcel(ownerId, deedNo, valueBaht, uses);
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const bills = () =>
  tax.t.db.rows<{ deed: string; amount: number; working: { th: string; en: string; satang: number }[] }>(
    sql`SELECT p.deed_no AS deed, b.amount_satang::float8 AS amount, b.working FROM tax_bills b
      JOIN tax_parcels p ON p.id = b.parcel_id WHERE b.tax_year = 2569 AND p.deed_no LIKE 'OWN-%'`,
  );

describe('once-per-owner exemptions in the register and the assessment run', () => {
  it('refuses a second main home of an owner when a parcel is registered, corrected or imported', async () => {
    const person = await owner('310990088001', 'person');
    await parcelId(person, 'OWN-H1', 10 * M, home);
    const second = await parcel(person, 'OWN-H2', 10 * M, home);
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.body.code).toBe('tax.main_home_taken');
    expect(second.body.errors[0].path).toBe('/uses/0/mainHome');
    expect(second.body.detail).toContain('เอกสารสิทธิ์ chanote OWN-H1');
    const english = await parcel(person, 'OWN-H2', 10 * M, home, { ...tax.revenue, 'accept-language': 'en' });
    expect(english.body.detail).toContain('deed chanote OWN-H1');
    // Another home of the same owner is fine, but marking it as the main home is refused.
    const h2 = await parcelId(person, 'OWN-H2', 10 * M, otherHome);
    const patch = (uses: object[], version: number) =>
      tax.t.json({
        method: 'PATCH',
        url: `/api/tax/register/parcels/${h2}`,
        headers: tax.revenue,
        payload: { version, uses },
      });
    const marked = await patch(home, 1);
    expect(marked.status).toBe(409);
    expect(marked.body.code).toBe('tax.main_home_taken');
    expect(
      (await patch([{ use: 'residential', sharePercent: 100, mainHome: 'building-only' }], 1)).status,
    ).toBe(409);
    expect((await patch(farm, 1)).status).toBe(200);
    const imported = await tax.importFile(
      'parcels',
      [
        'ownerTaxId,ownerKind,ownerName,deedKind,deedNo,rai,ngan,wa,valuePerM2Baht,use,mainHome,vacantYears,lon,lat',
        `${thaiId('310990088001')},person,x,chanote,OWN-H3,1,0,0,100,residential,land-and-building,,,`,
        `${thaiId('310990088002')},person,y,chanote,OWN-H4,1,0,0,100,residential,land-and-building,,,`,
        `${thaiId('310990088002')},person,y,chanote,OWN-H5,1,0,0,100,residential,building-only,,,`,
      ].join('\n'),
    );
    expect(imported.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [2, 'main_home_taken'],
      [4, 'main_home_taken'],
    ]);
    expect(imported.errors[0].params).toEqual({ deedKind: 'chanote', deedNo: 'OWN-H1' });
  });

  it('allocates the exemptions per owner in parcel order, across page boundaries (pages of one parcel)', async () => {
    const farmer = await owner('310990088003', 'person');
    const exact = await owner('310990088006', 'person');
    const over = await owner('310990088007', 'person');
    const company = await owner('010555088004', 'juristic');
    const twice = await owner('310990088005', 'person');
    const farms: [string, string, number][] = [
      [farmer, 'OWN-F1', 30 * M],
      [farmer, 'OWN-F2', 30 * M],
      [farmer, 'OWN-F3', 20 * M],
      [exact, 'OWN-E1', 25 * M],
      [exact, 'OWN-E2', 25 * M],
      [over, 'OWN-O1', 25 * M],
      [over, 'OWN-O2', 25 * M + 1],
    ];
    for (const [who, deed, value] of farms) await parcelId(who, deed, value, farm);
    await parcelId(company, 'OWN-C1', 30 * M, farm);
    await parcelId(company, 'OWN-C2', 20 * M, farm);
    // A register imported before the check can hold two main homes of one owner.
    const homes = [
      await parcelId(twice, 'OWN-T1', 10 * M, home),
      await parcelId(twice, 'OWN-T2', 10 * M, otherHome),
    ];
    await tax.t.db.rows(
      sql`UPDATE tax_parcels SET uses = ${JSON.stringify(home)}::jsonb WHERE id = ${homes[1]}`,
    );
    const result = await runAssessment(tax.t.db, new TaxRepository(tax.t.db), 2569, systemActor, {
      loadMs: 0,
      computeMs: 0,
      writeMs: 0,
      pageSize: 1,
    });
    expect(result.unvalued).toBe(0);
    const byDeed = Object.fromEntries((await bills()).map((b) => [b.deed, b]));
    const amount = (deed: string) => byDeed[deed].amount / 100;
    const exemption = (deed: string) => byDeed[deed].working.find((l) => l.en.includes('s.40'))!;
    // Whichever parcel comes first takes what it can; together they take 50 million and no more.
    const taken = (deeds: string[]) => deeds.reduce((sum, d) => sum + exemption(d).satang, 0) / 100;
    expect(taken(['OWN-F1', 'OWN-F2', 'OWN-F3'])).toBe(50 * M);
    expect(amount('OWN-F1') + amount('OWN-F2') + amount('OWN-F3')).toBe(3_000); // 30 million × 0.01 %
    // Exactly 50,000,000 over two parcels: all exempt, nothing left, no band taxed.
    expect(taken(['OWN-E1', 'OWN-E2'])).toBe(50 * M);
    expect([amount('OWN-E1'), amount('OWN-E2')]).toEqual([0, 0]);
    expect(['OWN-E1', 'OWN-E2'].some((d) => exemption(d).en.includes('0.00 baht left'))).toBe(true);
    // 50,000,001: one baht is taxed (0.01 % of it rounds to 0 satang), and the working shows it.
    expect(taken(['OWN-O1', 'OWN-O2'])).toBe(50 * M);
    const band = ['OWN-O1', 'OWN-O2'].flatMap((d) =>
      byDeed[d].working.filter((l) => l.en.startsWith('Agriculture 100%: value')),
    );
    expect(band.map((l) => l.en.match(/\(([\d,.]+) baht\)/)?.[1])).toEqual(['1.00']);
    // A juristic person has no exemption: 0.01 % from the first baht.
    expect([amount('OWN-C1'), amount('OWN-C2')]).toEqual([3_000, 2_000]);
    // Two main homes: the first (by parcel id) is exempt, the other is taxed and says why.
    const [first, other] = [...homes].sort();
    const deedOf = async (id: string) =>
      (await tax.t.db.rows<{ d: string }>(sql`SELECT deed_no AS d FROM tax_parcels WHERE id = ${id}`))[0].d;
    expect(amount(await deedOf(first))).toBe(0);
    expect(amount(await deedOf(other))).toBe(2_000);
    const why = byDeed[await deedOf(other)].working.find((l) => l.en.includes('once per owner (s.41)'));
    expect(why?.en).toContain(`deed chanote ${await deedOf(first)} has it`);
    expect(why?.th).toContain('มาตรา 41');
  });
});
