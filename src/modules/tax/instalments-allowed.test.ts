import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';

let t: TestApp;
let revenue: Record<string, string>;
let citizen: Record<string, string>;
beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
  citizen = await t.signIn('citizen');
});
afterAll(() => t?.close());

interface View {
  id: string;
  taxKind: 'land-building' | 'sign';
  amountSatang: number;
  status: string;
  instalmentsAllowed: boolean;
  instalments: unknown[];
}
const mine = async (): Promise<View[]> =>
  (await t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen })).body;
const one = async (id: string): Promise<View> =>
  (await t.json({ method: 'GET', url: `/api/tax/bills/${id}`, headers: revenue })).body;
const plan = (id: string) =>
  t.json({ method: 'POST', url: `/api/tax/bills/${id}/instalments`, headers: revenue });
const dueOn = (id: string, day: string) =>
  t.db.orm.execute(sql`UPDATE tax_bills SET due_date = ${day}::date WHERE id = ${id}`);
const rule = (path: string, value: number) =>
  t.db.orm.execute(
    sql`UPDATE tax_rate_years SET instalments = jsonb_set(instalments, ${`{${path}}`}::text[], ${String(value)}::jsonb) WHERE tax_year = 2569`,
  );

describe('the bill view says whether instalments may be planned (instalmentsAllowed)', () => {
  // Staff read and plan any bill (routes.ts readableBill); the citizen's own list is checked too.
  it('follows the year’s rule for the tax, the status and the due date, as planning does', async () => {
    // A company's land and building bill (staff read and plan it) and the demo citizen's sign bill.
    const staffList: (View & { ownerName?: string })[] = (
      await t.json({ method: 'GET', url: '/api/tax/bills?year=2569&status=open', headers: revenue })
    ).body;
    const land = staffList.find((b) => b.taxKind === 'land-building' && b.ownerName?.startsWith('บริษัท'));
    const sign = (await mine()).find((b) => b.taxKind === 'sign' && b.status === 'open');
    expect(land && sign).toBeTruthy();
    // The demo bills are due 30 April 2026, now past: not allowed, and planning says why.
    expect((await one(land!.id)).instalmentsAllowed).toBe(false);
    expect((await plan(land!.id)).body.code).toBe('tax.instalments_past_due');

    // Due next year; the year's minimum set just above, then at, the bill's amount (not a fixed 3,000).
    await dueOn(land!.id, '2099-12-31');
    await rule('minimumBaht', land!.amountSatang / 100 + 1);
    expect((await one(land!.id)).instalmentsAllowed).toBe(false);
    expect((await plan(land!.id)).body.code).toBe('tax.instalments_not_allowed');
    await rule('minimumBaht', Math.floor(land!.amountSatang / 100));
    expect(await one(land!.id)).toMatchObject({ instalmentsAllowed: true, instalmentCount: 3 });
    // The number of instalments is the year's rule too (the screen's button says it).
    await rule('count', 4);
    expect(await one(land!.id)).toMatchObject({ instalmentsAllowed: true, instalmentCount: 4 });
    const planned = await plan(land!.id);
    expect(planned.status).toBe(201);
    expect(planned.body.instalments).toHaveLength(4);
    // Planned once: no longer offered.
    expect(planned.body.instalmentsAllowed).toBe(false);
    expect((await one(land!.id)).instalmentsAllowed).toBe(false);
    expect((await plan(land!.id)).status).toBe(409);

    // Signboard tax reads its own rule (instalments.sign), not the land and building one.
    await dueOn(sign!.id, '2099-12-31');
    await rule('sign,minimumBaht', sign!.amountSatang / 100 + 1);
    expect(await one(sign!.id)).toMatchObject({ instalmentsAllowed: false, instalmentCount: null });
    await rule('sign,minimumBaht', 1);
    expect((await one(sign!.id)).instalmentsAllowed).toBe(true);
    // The citizen's own list says the same.
    expect((await mine()).find((b) => b.id === sign!.id)?.instalmentsAllowed).toBe(true);

    // Due today (Bangkok) is still within the period; a paid bill is never offered.
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });
    await dueOn(sign!.id, today);
    expect((await one(sign!.id)).instalmentsAllowed).toBe(true);
    await t.db.orm.execute(sql`UPDATE tax_bills SET status = 'paid', paid_at = now() WHERE id = ${sign!.id}`);
    expect((await one(sign!.id)).instalmentsAllowed).toBe(false);
  });

  it('is in the staff list too, and someone else cannot read or plan the bill', async () => {
    const list = await t.json({ method: 'GET', url: '/api/tax/bills?year=2569', headers: revenue });
    expect(list.status).toBe(200);
    expect(list.body.every((b: View) => typeof b.instalmentsAllowed === 'boolean')).toBe(true);
    // Someone without the tax role and not the owner neither reads nor plans it.
    const bill = (await mine())[0];
    const officer = await t.signInAs('officer@demo.local');
    const read = await t.json({ method: 'GET', url: `/api/tax/bills/${bill.id}`, headers: officer });
    expect([403, 404]).toContain(read.status);
    const planned = await t.json({
      method: 'POST',
      url: `/api/tax/bills/${bill.id}/instalments`,
      headers: officer,
    });
    expect([403, 404]).toContain(planned.status);
    expect(planned.body.instalmentsAllowed).toBeUndefined();
  });
});
