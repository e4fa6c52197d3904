import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/index.ts';
import { csvCell } from './routes.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

describe('audit log', () => {
  it('records writes with who, what, when and from where', async () => {
    const headers = {
      ...(await t.signIn('citizen')),
      'user-agent': 'vitest',
      'x-request-id': 'audit-test-0001',
    };
    const res = await t.json({ method: 'POST', url: '/api/tokens', headers, payload: { name: 'audited' } });
    expect(res.status).toBe(201);
    const [row] = await t.db.rows<{
      actor_role: string;
      action: string;
      resource_id: string;
      ip: string;
      user_agent: string;
      request_id: string;
      at: Date;
    }>(sql`SELECT * FROM core_audit_log WHERE action = 'token.create' AND resource_id = ${res.body.id}`);
    expect(row).toMatchObject({ actor_role: 'citizen', user_agent: 'vitest', request_id: 'audit-test-0001' });
    expect(row.ip).toBeTruthy();
    expect(row.at).toBeTruthy();
  });

  it('indexes entries by actor only where there is one, and filters by actor through that index', async () => {
    const [index] = await t.db.rows<{ def: string }>(
      sql`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'core_audit_log_actor_idx'`,
    );
    // the system's entries (rule alerts: two per alert) have no actor and take no entry in it
    expect(index.def).toContain('WHERE (actor_id IS NOT NULL)');
    // the API's actor filter, as listAudit writes it, can still use it
    const actor = '00000000-0000-4000-8000-000000000001';
    const plan = await t.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return t.db.rows<Record<string, string>>(
        sql`EXPLAIN SELECT id FROM core_audit_log WHERE (${actor}::uuid IS NULL OR actor_id = ${actor}::uuid)`,
        tx,
      );
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toContain('core_audit_log_actor_idx');
  });

  it('records sign-ins, failed sign-ins and sign-ups', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@demo.local', password: 'wrong-password' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'Audited',
        email: 'audited@example.org',
        password: 'a long password',
        consent: true,
      },
    });
    const actions = (
      await t.db.rows<{ action: string }>(sql`SELECT DISTINCT action FROM core_audit_log`)
    ).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'user.signup']));
  });

  it('cannot be changed or deleted, even with SQL', async () => {
    await expect(t.db.orm.execute(sql`UPDATE core_audit_log SET action = 'x'`)).rejects.toThrow();
    await expect(t.db.orm.execute(sql`DELETE FROM core_audit_log`)).rejects.toThrow();
    await expect(t.db.orm.execute(sql`TRUNCATE core_audit_log`)).rejects.toThrow();
    const n = await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM core_audit_log`);
    expect(n[0].n).toBeGreaterThan(0);
  });

  it('offers no write path through the API', () => {
    const writes = t.app.routeTable.filter((r) => r.url.startsWith('/api/audit') && r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it('can be browsed and filtered by admins and executives, and the browsing is audited', async () => {
    const res = await t.json({
      method: 'GET',
      url: '/api/audit?action=auth.login&limit=5',
      headers: await t.signIn('executive'),
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThan(0);
    expect(res.body.items.every((r: { action: string }) => r.action === 'auth.login')).toBe(true);
    const reads = await t.db.rows(sql`SELECT 1 FROM core_audit_log WHERE action = 'audit.read'`);
    expect(reads.length).toBeGreaterThan(0);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/audit', headers: await t.signIn('officer') }))
        .statusCode,
    ).toBe(403);
  });

  it('exports CSV with a BOM for Excel and neutralised formulas', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/audit/export.csv',
      headers: await t.signIn('admin'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.body.startsWith('\uFEFFid,at,')).toBe(true);
    expect(res.body.split('\r\n').length).toBeGreaterThan(3);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
  });

  it('counts entries per day for the activity chart', async () => {
    const res = await t.json({
      method: 'GET',
      url: '/api/audit/activity?days=7',
      headers: await t.signIn('admin'),
    });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(7);
    expect(res.body[6].count).toBeGreaterThan(0);
    expect(res.body[0].day < res.body[6].day).toBe(true);
    expect(
      (
        await t.json({
          method: 'GET',
          url: '/api/audit/activity?days=9999',
          headers: await t.signIn('admin'),
        })
      ).status,
    ).toBe(400);
  });
});
