import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { complaintsModule } from './module.ts';
import { ComplaintsService } from './service.ts';
import { ComplaintsSweeper } from './sweep.ts';

let t: TestApp;
let service: ComplaintsService;
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
  service = new ComplaintsService(t.db);
});
afterAll(() => t?.close());

const actor = { ...systemActor, label: 'test' };
const log = pino({ level: 'silent' });
const hour = 3600_000;

/** A sweeper whose clock the test sets. */
function sweeperAt() {
  const clock = { now: new Date() };
  return { clock, sweeper: new ComplaintsSweeper(t.db, service, t.app.events, log, () => clock.now) };
}

async function file(): Promise<{ reference: string; dueAt: string }> {
  const r = await service.create(
    { category: 'road-damage', description: 'หลุม', lat: 16.432, lon: 102.823 },
    { userId: null, contact: { phone: '0812345678' } },
    actor,
  );
  return { reference: r.reference, dueAt: r.dueAt! };
}
const row = (reference: string) => service.repo.byReference(reference);
const count = async (q: ReturnType<typeof sql>) => (await t.db.rows<{ n: number }>(q))[0].n;

describe('the sweep', () => {
  it('seeds the 2026 (B.E. 2569) holidays with their source', async () => {
    const days = await service.holidays.list(2026);
    expect(days.map((d) => d.day)).toContain('2026-12-07');
    expect(days.every((d) => d.source?.includes('2569'))).toBe(true);
  });

  it('escalates an open request once its due time has passed, once, with an event and an audit row', async () => {
    const { reference, dueAt } = await file();
    const { clock, sweeper } = sweeperAt();
    clock.now = new Date(new Date(dueAt).getTime() - 1);
    expect((await sweeper.tick()).escalated).not.toContain(reference);
    expect((await row(reference))!.escalatedAt).toBeNull();

    clock.now = new Date(new Date(dueAt).getTime() + hour);
    expect((await sweeper.tick()).escalated).toContain(reference);
    expect((await row(reference))!.escalatedAt).toBe(clock.now.toISOString());
    expect((await sweeper.tick()).escalated).not.toContain(reference);

    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM core_outbox WHERE type = 'complaints.escalated' AND payload->>'reference' = ${reference}`,
      ),
    ).toBe(1);
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'complaints.request.escalate' AND resource_id = ${reference}`,
      ),
    ).toBe(1);
    const staffEvents = await service.repo.events((await row(reference))!.id, true);
    expect(staffEvents.map((e) => e.kind)).toContain('escalated');
    const publicEvents = await service.repo.events((await row(reference))!.id, false);
    expect(publicEvents.map((e) => e.kind)).not.toContain('escalated');
  });

  it('shows escalated requests to the office in its queue filter', async () => {
    const { reference, dueAt } = await file();
    const { clock, sweeper } = sweeperAt();
    clock.now = new Date(new Date(dueAt).getTime() + hour);
    await sweeper.tick();
    const headers = await t.signIn('admin');
    const res = await t.json({
      method: 'GET',
      url: '/api/complaints/queue?office=engineering&escalated=true&pageSize=200',
      headers,
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { reference: string }) => r.reference)).toContain(reference);
    expect(res.body.items.every((r: { escalatedAt: string | null }) => r.escalatedAt)).toBe(true);
    const calm = await t.json({
      method: 'GET',
      url: '/api/complaints/queue?office=engineering&escalated=false&pageSize=200',
      headers,
    });
    expect(calm.body.items.map((r: { reference: string }) => r.reference)).not.toContain(reference);
  });

  it('does not escalate a request while it is on hold (the SLA clock is paused)', async () => {
    const { reference, dueAt } = await file();
    const staff = { ...actor };
    const admin = {
      kind: 'staff' as const,
      role: 'admin' as const,
      userId: null as unknown as string,
      officeId: null,
      officeCode: null,
      displayName: 'admin',
    };
    for (const to of ['accepted', 'in_progress', 'on_hold'] as const)
      await service.transition(reference, { to, public: false }, admin as never, staff);
    const { clock, sweeper } = sweeperAt();
    clock.now = new Date(new Date(dueAt).getTime() + 100 * hour);
    expect((await sweeper.tick()).escalated).not.toContain(reference);
  });

  it('closes requests still resolved 14 days after resolution, and only those', async () => {
    // Resolved in the future, so the app's own sweep on the real clock never closes them first.
    const a = await file();
    const b = await file();
    for (const r of [a, b])
      await t.db.rows(
        sql`UPDATE complaints_requests SET status = 'resolved', resolved_at = '2099-11-01T00:00:00Z' WHERE reference = ${r.reference}`,
      );
    await t.db.rows(
      sql`UPDATE complaints_requests SET resolved_at = '2099-11-02T00:00:00Z' WHERE reference = ${b.reference}`,
    );
    const { clock, sweeper } = sweeperAt();
    clock.now = new Date('2099-11-15T12:00:00Z');
    const done = await sweeper.tick();
    expect(done.closed).toContain(a.reference);
    expect(done.closed).not.toContain(b.reference);
    expect((await row(a.reference))!).toMatchObject({
      status: 'closed',
      closedAt: '2099-11-15T12:00:00.000Z',
    });
    expect((await row(b.reference))!.status).toBe('resolved');
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'complaints.request.close' AND resource_id = ${a.reference}`,
      ),
    ).toBe(1);
    expect((await sweeper.tick()).closed).not.toContain(a.reference);
  });

  it('starts and stops its timer', async () => {
    const { sweeper } = sweeperAt();
    sweeper.start(3_600_000);
    sweeper.start(3_600_000);
    await sweeper.stop();
    await sweeper.stop();
  });
});
