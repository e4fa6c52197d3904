import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';

/** The staff bills list (GET /api/tax/bills): filters, search by number or owner, paging, who may read. */
let t: TestApp;
let revenue: Record<string, string>;
beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
});
afterAll(() => t?.close());

interface Bill {
  id: string;
  number: string;
  taxYear: number;
  taxKind: string;
  ownerName: string;
  status: string;
}
const list = async (query: string, headers = revenue) =>
  t.json({ method: 'GET', url: `/api/tax/bills?${query}`, headers });

describe('staff bills list', () => {
  it('filters by year, kind and status, and pages in number order', async () => {
    const all = (await list('year=2569&limit=500')).body as Bill[];
    expect(all.length).toBeGreaterThan(2);
    const signs = (await list('year=2569&kind=sign&limit=500')).body as Bill[];
    expect(signs.length).toBeGreaterThan(0);
    expect(signs.every((b) => b.taxKind === 'sign' && b.taxYear === 2569)).toBe(true);
    expect(signs.length).toBe(all.filter((b) => b.taxKind === 'sign').length);
    const nothing = (await list('year=2569&status=nothing_due&kind=land-building')).body as Bill[];
    expect(nothing.every((b) => b.status === 'nothing_due' && b.taxKind === 'land-building')).toBe(true);
    const second = (await list('year=2569&limit=1&offset=1')).body as Bill[];
    expect(second.map((b) => b.number)).toEqual([all[1].number]);
    expect((await list('year=2600')).body).toEqual([]);
  });

  it('finds a bill by part of its number or its owner’s name, ignoring case', async () => {
    const all = (await list('year=2569&limit=500')).body as Bill[];
    const one = all[0];
    const part = one.number.slice(-4).toLowerCase();
    const byNumber = (await list(`number=${encodeURIComponent(part)}&limit=500`)).body as Bill[];
    expect(byNumber.map((b) => b.id)).toContain(one.id);
    expect(byNumber.every((b) => b.number.toLowerCase().includes(part))).toBe(true);
    const company = all.find((b) => b.ownerName.startsWith('บริษัท'))!;
    const name = company.ownerName.slice(0, 8);
    const byOwner = (await list(`owner=${encodeURIComponent(name)}&limit=500`)).body as Bill[];
    expect(byOwner.length).toBeGreaterThan(0);
    expect(byOwner.every((b) => b.ownerName.includes(name))).toBe(true);
    expect(byOwner.map((b) => b.id)).toContain(company.id);
  });

  it('takes %, _ and quotes literally: a wildcard or injection finds nothing', async () => {
    for (const text of ['%', '_', '\\', "' OR 1=1 --", '%%%%']) {
      const res = await list(`owner=${encodeURIComponent(text)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect((await list(`number=${encodeURIComponent(text)}`)).body).toEqual([]);
    }
  });

  it('refuses wrong types, unknown filters and huge values (400)', async () => {
    for (const query of [
      'kind=land',
      'status=late',
      'year=abc',
      'year=99999',
      'limit=0',
      'limit=501',
      'offset=-1',
      'number=',
      `number=${'1'.repeat(31)}`,
      `owner=${'ก'.repeat(201)}`,
      'name=x',
    ]) {
      expect((await list(query)).status, query).toBe(400);
    }
  });

  it('is read by finance and executives only, and each read is audited with the count', async () => {
    expect((await list('year=2569', await t.signIn('citizen'))).status).toBe(403);
    expect((await list('year=2569', await t.signInAs('officer@demo.local'))).status).toBe(403);
    const executive = await list('year=2569&kind=sign', await t.signInAs('executive@demo.local'));
    expect(executive.status).toBe(200);
    const audited = await t.db.rows<{ n: number }>(
      sql`SELECT (detail->>'count')::int AS n FROM core_audit_log WHERE action = 'tax.bill.list'
        ORDER BY at DESC LIMIT 1`,
    );
    expect(audited).toEqual([{ n: executive.body.length }]);
  });
});
