import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taxTestApp } from './testing.ts';

const tax = taxTestApp();
const url = '/api/tax/my/properties?year=2569';
interface Mine {
  year: number;
  parcels: {
    id: string;
    deedNo: string;
    bill: { status: string; working: unknown[] } | null;
    buildings: { kind: string }[];
  }[];
  signs: { id: string; status: string; bill: { amountBaht: string } | null }[];
}

describe('a citizen’s own properties', () => {
  it('lists the citizen’s parcels with buildings, uses and bill, and their signs; a parcel without a bill too', async () => {
    const citizen = await tax.t.signIn('citizen');
    const [home] = await tax.t.db.rows<{ ownerId: string }>(
      sql`SELECT owner_id AS "ownerId" FROM tax_parcels WHERE deed_no = 'SYN-12345'`,
    );
    const added = await tax.t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: tax.revenue,
      payload: {
        ownerId: home.ownerId,
        deedKind: 'ns3k',
        deedNo: 'MY-UNBILLED-1',
        area: { rai: 0, ngan: 2, wa: 0 },
        valuePerM2Baht: 500,
        uses: [{ use: 'agriculture', sharePercent: 100 }],
      },
    });
    expect(added.status).toBe(201);
    const res = await tax.t.json({ method: 'GET', url, headers: citizen });
    expect(res.status).toBe(200);
    const body = res.body as Mine;
    expect(body.year).toBe(2569);
    const byDeed = Object.fromEntries(body.parcels.map((p) => [p.deedNo, p]));
    expect(byDeed['SYN-12345'].bill?.status).toBe('nothing_due');
    expect(byDeed['SYN-12345'].bill?.working.length).toBeGreaterThan(0);
    expect(byDeed['SYN-12345'].buildings.map((b) => b.kind)).toEqual(['house']);
    expect(byDeed['MY-UNBILLED-1']).toMatchObject({
      bill: null,
      areaM2: 800,
      uses: [{ use: 'agriculture' }],
    });
    expect(body.signs.some((s) => s.bill?.amountBaht === '200.00')).toBe(true);
    // Nothing of another owner (the company's shop, the farmer's land).
    const others = await tax.t.db.rows<{ deedNo: string }>(
      sql`SELECT deed_no AS "deedNo" FROM tax_parcels WHERE owner_id <> ${home.ownerId}`,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(byDeed[o.deedNo]).toBeUndefined();
    const otherSigns = await tax.t.db.rows<{ id: string }>(
      sql`SELECT id FROM tax_signs WHERE owner_id <> ${home.ownerId}`,
    );
    for (const s of otherSigns) expect(body.signs.map((x) => x.id)).not.toContain(s.id);
    // Another year: the same properties, no bills.
    const later = (
      await tax.t.json({ method: 'GET', url: '/api/tax/my/properties?year=2570', headers: citizen })
    ).body as Mine;
    expect(later.parcels.map((p) => p.deedNo).sort()).toEqual(Object.keys(byDeed).sort());
    expect(later.parcels.every((p) => p.bill === null)).toBe(true);
  });

  it('audits the read with the citizen as actor', async () => {
    const citizen = await tax.t.signIn('citizen');
    await tax.t.json({ method: 'GET', url, headers: citizen });
    const [entry] = await tax.t.db.rows<{
      actorId: string | null;
      detail: { year: number; parcels: number };
    }>(
      sql`SELECT actor_id AS "actorId", detail FROM core_audit_log WHERE action = 'tax.my_properties.read'
        ORDER BY id DESC LIMIT 1`,
    );
    expect(entry.actorId).not.toBeNull();
    expect(entry.detail.year).toBe(2569);
    expect(entry.detail.parcels).toBeGreaterThan(0);
  });

  it('refuses staff (403) and strangers (401), has nothing for a citizen with no records, and checks the year', async () => {
    expect((await tax.t.json({ method: 'GET', url, headers: tax.revenue })).status).toBe(403);
    expect((await tax.t.json({ method: 'GET', url, headers: await tax.t.tokenFor('admin') })).status).toBe(
      403,
    );
    expect((await tax.t.json({ method: 'GET', url })).status).toBe(401);
    await tax.t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'No land',
        email: 'noland@example.org',
        password: 'a long password',
        consent: true,
      },
    });
    const stranger = await tax.t.signInAs('noland@example.org', 'a long password');
    const none = await tax.t.json({ method: 'GET', url, headers: stranger });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ year: 2569, parcels: [], signs: [] });
    const citizen = await tax.t.signIn('citizen');
    for (const year of ['abc', '99999', "2569' OR 1=1 --"])
      expect(
        (
          await tax.t.json({
            method: 'GET',
            url: `/api/tax/my/properties?year=${encodeURIComponent(year)}`,
            headers: citizen,
          })
        ).status,
      ).toBe(400);
  });
});
