import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { ComplaintsAftercare } from './aftercare.ts';
import { complaintsModule } from './module.ts';
import { ComplaintsService } from './service.ts';

const day = 24 * 3600_000;

let t: TestApp;
let engineer: Record<string, string>;
let health: Record<string, string>;
let citizen: Record<string, string>;
let otherCitizen: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
  const offices = await t.db.rows<{ id: string; code: string }>(sql`SELECT id, code FROM core_offices`);
  const office = (code: string) => offices.find((o) => o.code === code)!.id;
  for (const [email, code] of [
    ['eng-ac@test.local', 'engineering'],
    ['health-ac@test.local', 'health-environment'],
  ])
    await t.app.auth.createAccount(
      {
        displayName: `เจ้าหน้าที่ ${code}`,
        email,
        password: 'a long password',
        role: 'officer',
        officeId: office(code),
      },
      systemActor,
    );
  engineer = await t.signInAs('eng-ac@test.local', 'a long password');
  health = await t.signInAs('health-ac@test.local', 'a long password');
  citizen = await t.signIn('citizen');
  admin = await t.signIn('admin');
  await t.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: {
      displayName: 'Other',
      email: 'other-ac@example.org',
      password: 'a long password',
      consent: true,
    },
  });
  otherCitizen = await t.signInAs('other-ac@example.org', 'a long password');
});
afterAll(() => t?.close());

const inCity = { lat: 16.432, lon: 102.823 };
const api = (
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  headers?: Record<string, string>,
  payload?: object,
) =>
  t.json({
    method,
    url: `/api/complaints${url}`,
    ...(headers ? { headers } : {}),
    ...(payload ? { payload } : {}),
  });
const audited = async (reference: string, action: string) =>
  (
    await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE resource_id = ${reference} AND action = ${action}`,
    )
  )[0].n;

/** Files a road report as `citizen` and walks it to resolved as the engineering officer. */
async function resolved(): Promise<string> {
  const res = await api('POST', '/requests', citizen, {
    category: 'road-damage',
    description: 'หลุม',
    ...inCity,
  });
  expect(res.status).toBe(201);
  const ref = res.body.reference as string;
  for (const to of ['accepted', 'in_progress', 'resolved'])
    expect((await api('POST', `/requests/${ref}/transitions`, engineer, { to })).status).toBe(200);
  return ref;
}

describe('due time', () => {
  it('is set at filing from the category SLA in working hours', async () => {
    const res = await api('POST', '/requests', citizen, {
      category: 'road-damage',
      description: 'x',
      ...inCity,
    });
    expect(res.body.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(new Date(res.body.dueAt).getTime()).toBeGreaterThan(new Date(res.body.createdAt).getTime());
  });

  it('is pushed back by working time spent on hold', async () => {
    const res = await api('POST', '/requests', citizen, {
      category: 'road-damage',
      description: 'x',
      ...inCity,
    });
    const ref = res.body.reference;
    for (const to of ['accepted', 'in_progress', 'on_hold'])
      await api('POST', `/requests/${ref}/transitions`, engineer, { to });
    // Put the hold a week back (five working days), then resume: the due time moves 40 working hours.
    await t.db.rows(
      sql`UPDATE complaints_requests SET hold_started_at = now() - interval '7 days' WHERE reference = ${ref}`,
    );
    const before = (await api('GET', `/requests/${ref}`, engineer)).body.dueAt;
    await api('POST', `/requests/${ref}/transitions`, engineer, { to: 'in_progress' });
    const after = (await api('GET', `/requests/${ref}`, engineer)).body.dueAt;
    expect(new Date(after).getTime() - new Date(before).getTime()).toBeGreaterThanOrEqual(5 * 24 * 3600_000);
  });
});

describe('rating', () => {
  it('lets the reporter rate a resolved request once, audited, and shows the rating publicly', async () => {
    const ref = await resolved();
    const mine = await api('GET', `/requests/${ref}`, citizen);
    expect(mine.body).toMatchObject({ status: 'resolved', canRate: true });
    expect(mine.body.reopenUntil).toBeTruthy();
    const res = await api('POST', `/requests/${ref}/rating`, citizen, { rating: 4, comment: 'ดีมาก' });
    expect(res.status).toBe(201);
    const again = await api('POST', `/requests/${ref}/rating`, citizen, { rating: 5 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('complaints.already_rated');
    const pub = await api('GET', `/requests/${ref}`);
    expect(pub.body.rating).toBe(4);
    expect(pub.body.ratingComment).toBeUndefined();
    expect((await api('GET', `/requests/${ref}`, engineer)).body.ratingComment).toBe('ดีมาก');
    expect(await audited(ref, 'complaints.request.rate')).toBe(1);
  });

  it('refuses someone else (403), nobody (401), a request not resolved (409), and out-of-range ratings (400)', async () => {
    const ref = await resolved();
    expect((await api('POST', `/requests/${ref}/rating`, otherCitizen, { rating: 3 })).status).toBe(403);
    expect((await api('POST', `/requests/${ref}/rating`, engineer, { rating: 3 })).status).toBe(403);
    expect((await api('POST', `/requests/${ref}/rating`, undefined, { rating: 3 })).status).toBe(401);
    for (const rating of [0, 6, 2.5, '5', null])
      expect((await api('POST', `/requests/${ref}/rating`, citizen, { rating })).status).toBe(400);
    const long = await api('POST', `/requests/${ref}/rating`, citizen, {
      rating: 3,
      comment: 'x'.repeat(2001),
    });
    expect(long.status).toBe(400);
    expect((await api('POST', '/requests/KK-2569-999999/rating', citizen, { rating: 3 })).status).toBe(404);
    const open = await api('POST', '/requests', citizen, {
      category: 'road-damage',
      description: 'x',
      ...inCity,
    });
    expect(
      (await api('POST', `/requests/${open.body.reference}/rating`, citizen, { rating: 3 })).status,
    ).toBe(409);
    expect(await audited(ref, 'complaints.request.rate')).toBe(0);
  });
});

describe('reopening', () => {
  it('lets the reporter reopen within 14 days with a reason: back to in progress, public event, audited', async () => {
    const ref = await resolved();
    expect((await api('POST', `/requests/${ref}/reopen`, otherCitizen, { reason: 'ยังไม่ซ่อม' })).status).toBe(
      403,
    );
    expect((await api('POST', `/requests/${ref}/reopen`, citizen, {})).status).toBe(400);
    const res = await api('POST', `/requests/${ref}/reopen`, citizen, { reason: 'ยังไม่ซ่อม' });
    expect(res.status).toBe(200);
    const pub = await api('GET', `/requests/${ref}`);
    expect(pub.body.status).toBe('in_progress');
    expect(pub.body.events.at(-1)).toMatchObject({ kind: 'reopened', note: 'ยังไม่ซ่อม', public: true });
    expect(await audited(ref, 'complaints.request.reopen')).toBe(1);
    const [outbox] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_outbox WHERE type = 'complaints.reopened' AND payload->>'reference' = ${ref}`,
    );
    expect(outbox.n).toBe(1);
    // Reopening an in-progress request again is not a thing.
    expect((await api('POST', `/requests/${ref}/reopen`, citizen, { reason: 'again' })).status).toBe(409);
  });

  it('refuses reopening more than 14 days after resolution (on a controlled clock)', async () => {
    const ref = await resolved();
    const resolvedAt = new Date((await api('GET', `/requests/${ref}`)).body.resolvedAt).getTime();
    const [{ reporter }] = await t.db.rows<{ reporter: string }>(
      sql`SELECT reporter_id AS reporter FROM complaints_requests WHERE reference = ${ref}`,
    );
    // The rule checks only who reported it; the rest of a session's principal plays no part.
    const principal = { userId: reporter, kind: 'citizen', role: 'citizen' } as never;
    const late = new ComplaintsAftercare(
      t.db,
      new ComplaintsService(t.db),
      null,
      () => new Date(resolvedAt + 14 * day + 60_000),
    );
    await expect(late.reopen(ref, 'late', principal, systemActor)).rejects.toMatchObject({
      status: 409,
      code: 'complaints.reopen_window_passed',
    });
    const justInTime = new ComplaintsAftercare(
      t.db,
      new ComplaintsService(t.db),
      null,
      () => new Date(resolvedAt + 14 * day),
    );
    await expect(justInTime.reopen(ref, 'just in time', principal, systemActor)).resolves.toMatchObject({
      status: 'in_progress',
    });
  });
});

describe('merging and forwarding', () => {
  it('closes a duplicate into the kept request, moving its supporters, audited', async () => {
    const kept = (
      await api('POST', '/requests', citizen, { category: 'road-damage', description: 'a', ...inCity })
    ).body.reference;
    const dup = (
      await api('POST', '/requests', otherCitizen, { category: 'road-damage', description: 'b', ...inCity })
    ).body.reference;
    expect((await api('POST', `/requests/${dup}/support`, citizen)).status).toBe(200);
    expect((await api('POST', `/requests/${dup}/merge`, health, { into: kept })).status).toBe(403);
    expect((await api('POST', `/requests/${dup}/merge`, engineer, { into: dup })).status).toBe(400);
    const res = await api('POST', `/requests/${dup}/merge`, engineer, { into: kept, note: 'เรื่องเดียวกัน' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', mergedInto: kept });
    const d = (await api('GET', `/requests/${dup}`)).body;
    expect(d).toMatchObject({ status: 'closed', mergedInto: kept, supporters: 0 });
    // The duplicate's supporter and its reporter now support the kept request.
    expect((await api('GET', `/requests/${kept}`)).body.supporters).toBe(2);
    expect(await audited(dup, 'complaints.request.merge')).toBe(1);
    // A closed duplicate cannot be merged or moved again.
    expect((await api('POST', `/requests/${dup}/merge`, engineer, { into: kept })).status).toBe(409);
    expect((await api('POST', `/requests/${dup}/transitions`, engineer, { to: 'accepted' })).status).toBe(
      409,
    );
  });

  it('forwards to an outside agency with a public note, and refuses it from an illegal state', async () => {
    const ref = (
      await api('POST', '/requests', citizen, { category: 'road-damage', description: 'a', ...inCity })
    ).body.reference;
    const early = await api('POST', `/requests/${ref}/forward`, engineer, { agency: 'PEA', note: 'ไฟฟ้า' });
    expect(early.status).toBe(409);
    await api('POST', `/requests/${ref}/transitions`, engineer, { to: 'accepted' });
    expect((await api('POST', `/requests/${ref}/forward`, engineer, { agency: '', note: 'x' })).status).toBe(
      400,
    );
    const res = await api('POST', `/requests/${ref}/forward`, engineer, {
      agency: 'การไฟฟ้าส่วนภูมิภาค (PEA)',
      note: 'ส่งต่อการไฟฟ้า',
    });
    expect(res.status).toBe(200);
    const pub = (await api('GET', `/requests/${ref}`)).body;
    expect(pub).toMatchObject({ status: 'forwarded', forwardedTo: 'การไฟฟ้าส่วนภูมิภาค (PEA)' });
    expect(pub.events.at(-1)).toMatchObject({ kind: 'forwarded', note: 'ส่งต่อการไฟฟ้า', public: true });
    expect(await audited(ref, 'complaints.request.forward')).toBe(1);
  });
});

describe('holidays', () => {
  it('lets admins add and remove holidays, audited; staff read them; citizens may not', async () => {
    const h = { day: '2027-01-01', nameTh: 'วันขึ้นปีใหม่', nameEn: "New Year's Day", source: 'test' };
    expect((await api('POST', '/holidays', engineer, h)).status).toBe(403);
    expect((await api('GET', '/holidays', citizen)).status).toBe(403);
    expect((await api('POST', '/holidays', admin, h)).status).toBe(201);
    expect((await api('POST', '/holidays', admin, h)).status).toBe(409);
    expect((await api('POST', '/holidays', admin, { ...h, day: '2027-02-30' })).status).toBe(400);
    expect(
      (await api('POST', '/holidays', admin, { ...h, day: "2027-01-02'; DROP TABLE x;--" })).status,
    ).toBe(400);
    const list = await api('GET', '/holidays?year=2027', engineer);
    expect(list.body).toEqual([{ ...h, synthetic: false }]);
    expect((await api('DELETE', '/holidays/2027-01-01', admin)).status).toBe(204);
    expect((await api('DELETE', '/holidays/2027-01-01', admin)).status).toBe(404);
    expect(await audited('2027-01-01', 'complaints.holiday.create')).toBe(1);
    expect(await audited('2027-01-01', 'complaints.holiday.delete')).toBe(1);
  });
});
