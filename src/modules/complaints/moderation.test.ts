import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { complaintsModule } from './module.ts';

/** The decided lists (approved, hidden) behind the moderation queue, and undoing a decision. */
let t: TestApp;
let engineer: Record<string, string>;
let health: Record<string, string>;
let admin: Record<string, string>;
const refs: string[] = [];

beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
  const offices = await t.db.rows<{ id: string; code: string }>(sql`SELECT id, code FROM core_offices`);
  for (const [email, code] of [
    ['eng-mod@test.local', 'engineering'],
    ['health-mod@test.local', 'health-environment'],
  ])
    await t.app.auth.createAccount(
      {
        displayName: `ผู้ตรวจ ${code}`,
        email,
        password: 'a long password',
        role: 'officer',
        officeId: offices.find((o) => o.code === code)!.id,
      },
      systemActor,
    );
  engineer = await t.signInAs('eng-mod@test.local', 'a long password');
  health = await t.signInAs('health-mod@test.local', 'a long password');
  admin = await t.signIn('admin');
  for (const description of ['ถนนทรุด โทร 0812345678', 'ท่อแตก', 'ฝาท่อหาย'] as const) {
    const res = await t.json({
      method: 'POST',
      url: '/api/complaints/requests',
      payload: {
        category: 'road-damage',
        description,
        lat: 16.432,
        lon: 102.823,
        contact: { phone: '0899999999' },
      },
    });
    expect(res.status).toBe(201);
    refs.push(res.body.reference);
  }
});
afterAll(() => t?.close());

const list = (headers: Record<string, string> | undefined, query: string) =>
  t.json({ method: 'GET', url: `/api/complaints/moderation?pageSize=100&${query}`, headers });
const decide = (headers: Record<string, string>, reference: string, payload: object) =>
  t.json({ method: 'POST', url: `/api/complaints/moderation/${reference}`, headers, payload });
const referencesOf = (body: { items: { reference: string }[] }) => body.items.map((i) => i.reference);

describe('moderation: decided texts', () => {
  it('lists approved and hidden texts, latest decision first, with who decided', async () => {
    const [a, b, c] = refs;
    expect((await decide(engineer, a, { action: 'approve' })).status).toBe(200);
    expect((await decide(engineer, b, { action: 'hide' })).status).toBe(200);
    expect((await decide(engineer, c, { action: 'approve', text: 'ฝาท่อหาย หน้าตลาด' })).status).toBe(200);

    const approved = await list(engineer, 'state=approved');
    expect(approved.status).toBe(200);
    const mine = approved.body.items.filter((i: { reference: string }) => refs.includes(i.reference));
    expect(mine.map((i: { reference: string }) => i.reference)).toEqual([c, a]);
    expect(mine[0]).toMatchObject({
      moderation: 'approved',
      publicText: 'ฝาท่อหาย หน้าตลาด',
      moderatedBy: 'ผู้ตรวจ engineering',
    });
    expect(mine[1].publicText).toBe('ถนนทรุด โทร [phone]');
    expect(Date.parse(mine[0].moderatedAt)).toBeGreaterThanOrEqual(Date.parse(mine[1].moderatedAt));

    const hidden = await list(engineer, 'state=hidden');
    const item = hidden.body.items.find((i: { reference: string }) => i.reference === b);
    expect(item).toMatchObject({ moderation: 'hidden', publicText: null, description: 'ท่อแตก' });
    expect(referencesOf(hidden.body)).not.toContain(a);
    // The default is still the queue; none of these waits there now.
    const queue = await list(engineer, '');
    for (const r of refs) expect(referencesOf(queue.body)).not.toContain(r);
  });

  it('keeps each office to its own requests and refuses an unknown state', async () => {
    expect(referencesOf((await list(health, 'state=approved')).body)).not.toContain(refs[0]);
    expect(referencesOf((await list(admin, 'state=approved')).body)).toContain(refs[0]);
    expect((await list(engineer, 'state=published')).status).toBe(400);
    expect((await list(undefined, 'state=hidden')).status).toBe(401);
  });

  it('undoes a decision: requeue takes the text off the public page and back to the queue', async () => {
    const [a, b] = refs;
    expect((await decide(health, a, { action: 'requeue' })).status).toBe(403);
    expect((await decide(engineer, a, { action: 'requeue', text: 'x' })).status).toBe(400);
    const undone = await decide(engineer, a, { action: 'requeue' });
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ moderation: 'pending', publicText: null });
    const publicView = await t.json({ method: 'GET', url: `/api/complaints/requests/${a}` });
    expect(publicView.body.description).toBe('');
    const queue = await list(engineer, '');
    expect(queue.body.items.find((i: { reference: string }) => i.reference === a)).toMatchObject({
      moderation: 'pending',
      moderatedAt: null,
      moderatedBy: null,
    });
    expect(referencesOf((await list(engineer, 'state=approved')).body)).not.toContain(a);
    // A hidden text is approved straight from the hidden list.
    expect((await decide(engineer, b, { action: 'approve' })).status).toBe(200);
    expect(referencesOf((await list(engineer, 'state=approved')).body)).toContain(b);

    const audits = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${a} AND action LIKE 'complaints.moderation.%'
        ORDER BY id`,
    );
    expect(audits.map((x) => x.action)).toEqual([
      'complaints.moderation.approve',
      'complaints.moderation.requeue',
    ]);
  });

  it('audits every read of the lists, naming the requests read', async () => {
    const before = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'complaints.moderation.read'`,
    );
    await list(engineer, 'state=approved');
    const [row] = await t.db.rows<{ n: number; detail: { state: string; references: string[] } }>(
      sql`SELECT count(*) OVER ()::int AS n, detail FROM core_audit_log
        WHERE action = 'complaints.moderation.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(row.n).toBe(before[0].n + 1);
    expect(row.detail.state).toBe('approved');
    expect(row.detail.references).toContain(refs[2]);
  });
});
