import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const list = (query: string, headers = tax.revenue) =>
  tax.t.json({ method: 'GET', url: `/api/tax/register/owners${query}`, headers });

describe('the owners of the tax register, listed and searched by staff', () => {
  it('lists owners by name a page at a time, IDs masked, with what they hold; each read audited', async () => {
    const { t, revenue } = tax;
    const ids: string[] = [];
    for (const [n, name] of ['นางสาวรายชื่อ หนึ่ง', 'นางสาวรายชื่อ สอง', 'บริษัท 100%_จริง จำกัด'].entries()) {
      const taxId = thaiId(`31099011000${n}`);
      ids.push(taxId);
      const res = await t.json({
        method: 'POST',
        url: '/api/tax/owners',
        headers: revenue,
        payload: { kind: 'person', taxId, name },
      });
      expect(res.status).toBe(201);
    }
    const all = await list('?limit=2');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThanOrEqual(6);
    expect(all.body).toMatchObject({ limit: 2, offset: 0 });
    const next = await list('?limit=2&offset=2');
    expect(next.body.items.map((o: { id: string }) => o.id)).not.toContain(all.body.items[0].id);

    const found = await list(`?q=${encodeURIComponent('รายชื่อ')}`);
    expect(found.body.total).toBe(2);
    expect(found.body.items[0]).toEqual({
      id: expect.any(String),
      kind: 'person',
      name: 'นางสาวรายชื่อ สอง',
      taxIdMasked: `*********${ids[1].slice(-4)}`,
      parcels: 0,
      signs: 0,
    });
    // No full ID in a list.
    expect(JSON.stringify(found.body)).not.toContain(ids[0]);
    const [audit] = await t.db.rows<{ detail: Record<string, unknown> }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.register.list' AND resource_type = 'tax.owners' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.detail).toMatchObject({ q: 'รายชื่อ', count: 2 });
  });

  it('finds an owner by a whole ID (dashes allowed), never by a part of one; % and _ are literal', async () => {
    const id = thaiId('310990110001');
    const dashed = `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}`;
    for (const q of [id, dashed]) {
      const res = await list(`?q=${encodeURIComponent(q)}`);
      expect(res.body.items.map((o: { name: string }) => o.name)).toEqual(['นางสาวรายชื่อ สอง']);
    }
    expect((await list(`?q=${id.slice(0, 12)}`)).body.total).toBe(0);
    expect((await list(`?q=${id.slice(-4)}`)).body.total).toBe(0);
    expect((await list('?q=%25')).body.items.map((o: { name: string }) => o.name)).toEqual([
      'บริษัท 100%_จริง จำกัด',
    ]);
    expect((await list('?q=_')).body.total).toBe(1);
    expect((await list(`?q=${encodeURIComponent("' OR 1=1 --")}`)).body.total).toBe(0);
  });

  it('counts the parcels and signs an owner holds', async () => {
    const res = await list('?limit=100');
    expect(res.body.items.some((o: { parcels: number; signs: number }) => o.parcels > 0)).toBe(true);
    expect(res.body.items.some((o: { signs: number }) => o.signs > 0)).toBe(true);
  });

  it('lets the finance office and executives read, refuses citizens, other offices and anonymous callers', async () => {
    const { t } = tax;
    expect((await list('', await t.signIn('executive'))).status).toBe(200);
    expect((await list('', await t.signIn('admin'))).status).toBe(200);
    expect((await list('', await t.signIn('citizen'))).status).toBe(403);
    expect((await list('', await t.signIn('officer'))).status).toBe(403);
    expect((await list('', {})).status).toBe(401);
    for (const bad of ['?limit=101', '?limit=0', '?offset=-1', '?q=', `?q=${'x'.repeat(101)}`, '?page=2'])
      expect((await list(bad)).status, bad).toBe(400);
  });
});
