import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { complaintsModule } from './module.ts';
import { anonymousReportsPerHour } from './routes.ts';

let t: TestApp;
let engineer: Record<string, string>;
let health: Record<string, string>;
let citizen: Record<string, string>;
let otherCitizen: Record<string, string>;
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
  const offices = await t.db.rows<{ id: string; code: string }>(sql`SELECT id, code FROM core_offices`);
  const office = (code: string) => offices.find((o) => o.code === code)!.id;
  for (const [email, code] of [
    ['engineer@test.local', 'engineering'],
    ['health@test.local', 'health-environment'],
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
  engineer = await t.signInAs('engineer@test.local', 'a long password');
  health = await t.signInAs('health@test.local', 'a long password');
  citizen = await t.signIn('citizen');
  await t.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { displayName: 'Other', email: 'other@example.org', password: 'a long password', consent: true },
  });
  otherCitizen = await t.signInAs('other@example.org', 'a long password');
});
afterAll(() => t?.close());

let ip = 0;
/** Each anonymous call from its own address, so the anonymous limit is tested only where meant. */
const freshIp = () => `10.0.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

const inCity = { lat: 16.432, lon: 102.823 };
const file = (payload: object, headers?: Record<string, string>) =>
  t.json({
    method: 'POST',
    url: '/api/complaints/requests',
    payload,
    ...(headers ? { headers } : { remoteAddress: freshIp() }),
  });
const get = (reference: string, headers?: Record<string, string>) =>
  t.json({ method: 'GET', url: `/api/complaints/requests/${reference}`, ...(headers ? { headers } : {}) });
const move = (reference: string, body: object, headers = engineer) =>
  t.json({
    method: 'POST',
    url: `/api/complaints/requests/${reference}/transitions`,
    headers,
    payload: body,
  });

describe('the module', () => {
  it('is listed under Governance as active, linking to its web page', async () => {
    const meta = await t.json({ method: 'GET', url: '/api/meta' });
    const governance = meta.body.dimensions.find((d: { id: string }) => d.id === 'governance');
    expect(governance.modules).toEqual([
      expect.objectContaining({ id: 'complaints', status: 'active', path: '/complaints' }),
    ]);
  });
});

describe('filing', () => {
  it('lets a signed-in citizen file and follow their own complaint, with its contact', async () => {
    const res = await file({ category: 'road-damage', description: 'หลุมบ่อ', ...inCity }, citizen);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/complaints/requests/${res.body.reference}`);
    expect(res.body).toMatchObject({ status: 'received', office: 'engineering', zone: 'zone-1' });
    expect(res.body.contact.account).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await t.json({ method: 'GET', url: '/api/complaints/requests/mine', headers: citizen });
    expect(mine.body.items.map((r: { reference: string }) => r.reference)).toContain(res.body.reference);
    const notMine = await t.json({
      method: 'GET',
      url: '/api/complaints/requests/mine',
      headers: otherCitizen,
    });
    expect(notMine.body.items).toEqual([]);
  });

  it('takes an anonymous complaint with a contact (kept private), and refuses one without', async () => {
    const ok = await file({
      category: 'garbage',
      description: 'ขยะ',
      ...inCity,
      contact: { phone: '0812345678' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.contact).toBeUndefined();
    const stored = await get(ok.body.reference, await t.tokenFor('admin'));
    expect(stored.body.contact).toMatchObject({ phone: '0812345678', account: null });
    const none = await file({ category: 'garbage', description: 'ขยะ', ...inCity });
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('complaints.contact_required');
  });

  it('refuses a point outside the city with a clear message in Thai and English', async () => {
    const th = await file({ category: 'garbage', description: 'x', lat: 16.3, lon: 102.7 }, citizen);
    expect(th.status).toBe(400);
    expect(th.body.code).toBe('complaints.outside_municipality');
    expect(th.body.title).toContain('นอกเขตเทศบาลนครขอนแก่น');
    const en = await t.json({
      method: 'POST',
      url: '/api/complaints/requests',
      headers: { ...citizen, 'accept-language': 'en' },
      payload: { category: 'garbage', description: 'x', lat: 16.3, lon: 102.7 },
    });
    expect(en.body.title).toContain('outside Khon Kaen City Municipality');
  });

  it('refuses coordinates out of range, wrong types, unknown fields and a 4,001-character description', async () => {
    const cases: object[] = [
      { category: 'garbage', description: 'x', lat: 91, lon: 102.8 },
      { category: 'garbage', description: 'x', lat: 16.4, lon: -181 },
      { category: 'garbage', description: 'x', lat: '16.4', lon: 102.8 },
      { category: 'garbage', description: 'x', lat: 16.4 },
      { category: 'garbage', description: '', ...inCity },
      { category: 'garbage', description: 'x', ...inCity, reporterId: 'someone-else' },
      { category: 'GARBAGE; DROP TABLE x', description: 'x', ...inCity },
      { category: 'garbage', description: 'ก'.repeat(4001), ...inCity },
    ];
    const before = (
      await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_requests`)
    )[0].n;
    for (const payload of cases) {
      const res = await file(payload, citizen);
      expect(res.status, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.body.code).toBe('request.invalid');
    }
    const after = (await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_requests`))[0]
      .n;
    expect(after).toBe(before);
    const longest = await file({ category: 'garbage', description: 'ก'.repeat(4000), ...inCity }, citizen);
    expect(longest.status).toBe(201);
  });

  it('stores script and SQL verbatim and returns them only inside JSON', async () => {
    const evil = `<script>alert('x')</script>'); DROP TABLE complaints_requests; -- "quoted" \\ {}`;
    const res = await file(
      {
        category: 'other',
        description: evil,
        address: evil,
        ...inCity,
        contact: { name: evil, email: 'a@example.org' },
      },
      undefined,
    );
    expect(res.status).toBe(201);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/requests/${res.body.reference}`,
      headers: await t.tokenFor('admin'),
    });
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.headers['x-content-type-options']).toBe('nosniff');
    const body = JSON.parse(read.body);
    expect(body.description).toBe(evil);
    expect(body.address).toBe(evil);
    expect(body.contact.name).toBe(evil);
    const [{ n }] = await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_requests`);
    expect(n).toBeGreaterThan(0);
  });

  it('rate-limits anonymous reports from one address, not signed-in ones', async () => {
    const remoteAddress = '192.0.2.77';
    const statuses: number[] = [];
    for (let i = 0; i <= anonymousReportsPerHour; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/complaints/requests',
        remoteAddress,
        payload: { category: 'noise', description: `ดัง ${i}`, ...inCity, contact: { phone: '0812345678' } },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, anonymousReportsPerHour).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const signedIn = await t.json({
      method: 'POST',
      url: '/api/complaints/requests',
      remoteAddress,
      headers: citizen,
      payload: { category: 'noise', description: 'ดัง', ...inCity },
    });
    expect(signedIn.status).toBe(201);
  });
});

describe('who sees what', () => {
  it('shows the contact to the reporter and staff (audited), never to another citizen or the public', async () => {
    const created = await file(
      {
        category: 'street-light',
        description: 'ไฟดับ',
        ...inCity,
        contact: { name: 'สมหญิง', email: 'somying@example.org' },
      },
      undefined,
    );
    const ref = created.body.reference;
    await move(ref, { to: 'accepted' });
    const note = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/notes`,
      headers: engineer,
      payload: { note: 'INTERNAL: ผู้แจ้งเคยแจ้งซ้ำ', public: false },
    });
    expect(note.status).toBe(201);
    await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/notes`,
      headers: engineer,
      payload: { note: 'ส่งช่างไปตรวจแล้ว', public: true },
    });
    for (const viewer of [undefined, otherCitizen, health]) {
      const res = await get(ref, viewer);
      expect(res.status).toBe(200);
      expect(res.body.contact).toBeUndefined();
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('somying@example.org');
      expect(text).not.toContain('สมหญิง');
      expect(text).not.toContain('INTERNAL');
      expect(text).toContain('ส่งช่างไปตรวจแล้ว');
    }
    const staff = await get(ref, engineer);
    expect(staff.body.contact.email).toBe('somying@example.org');
    expect(JSON.stringify(staff.body.events)).toContain('INTERNAL');
    expect(staff.body.nextStatuses).toEqual(['in_progress', 'forwarded', 'rejected']);
    const [audited] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'complaints.request.read_personal' AND resource_id = ${ref}`,
    );
    expect(audited.n).toBe(1);
  });

  it('keeps a citizen’s own internal-note-free view', async () => {
    const created = await file({ category: 'road-damage', description: 'ถนนพัง', ...inCity }, citizen);
    const ref = created.body.reference;
    await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/notes`,
      headers: engineer,
      payload: { note: 'INTERNAL only', public: false },
    });
    const own = await get(ref, citizen);
    expect(own.body.contact.account).toBeTruthy();
    expect(JSON.stringify(own.body)).not.toContain('INTERNAL');
    expect((await get('KK-2569-999999')).status).toBe(404);
    expect((await get('not-a-reference')).status).toBe(400);
  });
});

describe('staff', () => {
  it('moves a complaint through its states and refuses illegal moves with 409', async () => {
    const ref = (await file({ category: 'flooding', description: 'น้ำขัง', ...inCity }, citizen)).body
      .reference;
    const skip = await move(ref, { to: 'resolved' });
    expect(skip.status).toBe(409);
    expect(skip.headers['content-type']).toMatch(/problem\+json/);
    expect(skip.body).toMatchObject({ code: 'complaints.illegal_transition', status: 409 });
    expect(skip.body.detail).toBe(
      'เรื่องที่อยู่ในสถานะ "รับเรื่องแล้ว" เปลี่ยนเป็น "แก้ไขแล้ว" ไม่ได้ (เปลี่ยนได้เป็น: "รับดำเนินการ", "ไม่รับเรื่อง")',
    );
    const skipEn = await move(ref, { to: 'resolved' }, { ...engineer, 'accept-language': 'en' });
    expect(skipEn.body.detail).toBe('cannot go from received to resolved; allowed: accepted, rejected');
    expect((await move(ref, { to: 'accepted' })).status).toBe(200);
    expect((await move(ref, { to: 'accepted' })).status).toBe(409);
    expect((await move(ref, { to: 'in_progress', note: 'รับเรื่องแล้ว', public: true })).status).toBe(200);
    const noReason = await move(ref, { to: 'forwarded' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('complaints.reason_required');
    expect((await move(ref, { to: 'on_hold', note: 'รออะไหล่' })).status).toBe(200);
    expect((await move(ref, { to: 'resolved', note: 'ลอกท่อแล้ว', public: true })).status).toBe(200);
    expect((await move(ref, { to: 'closed' })).status).toBe(200);
    expect((await move(ref, { to: 'in_progress' })).status).toBe(409);
    expect((await move(ref, { to: 'finished' })).status).toBe(400);
    const own = await get(ref, citizen);
    expect(own.body.status).toBe('closed');
    expect(own.body.closedAt).toMatch(/Z$/);
    expect(own.body.events.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'received',
      'accepted',
      'in_progress',
      'resolved',
      'closed',
    ]);
    const staffView = await get(ref, engineer);
    expect(staffView.body.events.map((e: { toStatus: string }) => e.toStatus)).toContain('on_hold');
  });

  it('keeps other offices and citizens from working a complaint', async () => {
    const ref = (await file({ category: 'road-damage', description: 'x', ...inCity }, citizen)).body
      .reference;
    expect((await move(ref, { to: 'accepted' }, health)).status).toBe(403);
    expect((await move(ref, { to: 'accepted' }, await t.signIn('officer'))).status).toBe(403);
    expect((await move(ref, { to: 'accepted' }, citizen)).status).toBe(403);
    expect((await move(ref, { to: 'accepted' }, await t.signIn('executive'))).status).toBe(403);
    expect(
      (
        await t.json({
          method: 'POST',
          url: `/api/complaints/requests/${ref}/transitions`,
          payload: { to: 'accepted' },
        })
      ).status,
    ).toBe(401);
  });

  it('reassigns to another office, which then owns it, and sets the priority', async () => {
    const ref = (await file({ category: 'road-damage', description: 'ขยะบนถนน', ...inCity }, citizen)).body
      .reference;
    const moved = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/assignment`,
      headers: engineer,
      payload: { office: 'health-environment', note: 'เป็นเรื่องขยะ' },
    });
    expect(moved.body).toEqual({ reference: ref, office: 'health-environment' });
    expect((await move(ref, { to: 'accepted' }, engineer)).status).toBe(403);
    expect((await move(ref, { to: 'accepted' }, health)).status).toBe(200);
    const bad = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/assignment`,
      headers: health,
      payload: { office: 'no-such-office' },
    });
    expect(bad.status).toBe(400);
    const urgent = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/priority`,
      headers: health,
      payload: { priority: 'urgent' },
    });
    expect(urgent.status).toBe(200);
    expect((await get(ref)).body.priority).toBe('urgent');
    const wrong = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/priority`,
      headers: health,
      payload: { priority: 'asap' },
    });
    expect(wrong.status).toBe(400);
    const actions = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${ref} ORDER BY id`,
    );
    expect(actions.map((a) => a.action)).toEqual([
      'complaints.request.create',
      'complaints.request.reassign',
      'complaints.request.transition',
      'complaints.request.priority',
    ]);
  });

  it('pages through an office queue; office staff see only their own office', async () => {
    const page1 = await t.json({ method: 'GET', url: '/api/complaints/queue?pageSize=2', headers: engineer });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.total).toBeGreaterThan(2);
    expect(page1.body.items.every((r: { office: string }) => r.office === 'engineering')).toBe(true);
    const page2 = await t.json({
      method: 'GET',
      url: '/api/complaints/queue?pageSize=2&page=2',
      headers: engineer,
    });
    expect(page2.body.items[0].reference).not.toBe(page1.body.items[0].reference);
    const received = await t.json({
      method: 'GET',
      url: '/api/complaints/queue?status=received',
      headers: engineer,
    });
    expect(received.body.items.every((r: { status: string }) => r.status === 'received')).toBe(true);
    expect(
      (await t.json({ method: 'GET', url: '/api/complaints/queue?office=engineering', headers: health }))
        .status,
    ).toBe(403);
    expect((await t.json({ method: 'GET', url: '/api/complaints/queue', headers: citizen })).status).toBe(
      403,
    );
    const admin = await t.json({
      method: 'GET',
      url: '/api/complaints/queue?office=health-environment',
      headers: await t.tokenFor('admin'),
    });
    expect(admin.body.items.every((r: { office: string }) => r.office === 'health-environment')).toBe(true);
    expect(
      (await t.json({ method: 'GET', url: '/api/complaints/queue?pageSize=1000', headers: engineer })).status,
    ).toBe(400);
    // The queue carries no contact.
    expect(JSON.stringify(page1.body)).not.toContain('contact');
  });
});

describe('duplicates and +1', () => {
  // 16.45, 102.85 is in zone 2; 0.001° of latitude is about 111 m.
  const spot = { lat: 16.45, lon: 102.85 };
  it('finds open complaints of the same category within 250 m, and lets people +1 once', async () => {
    const ref = (await file({ category: 'trees', description: 'กิ่งไม้หัก', ...spot }, citizen)).body.reference;
    const near = await t.json({
      method: 'GET',
      url: `/api/complaints/nearby?category=trees&lat=${spot.lat + 0.002}&lon=${spot.lon}`,
    });
    expect(near.status).toBe(200);
    expect(near.body.map((r: { reference: string }) => r.reference)).toEqual([ref]);
    expect(near.body[0].distance).toBeGreaterThan(200);
    expect(near.body[0].distance).toBeLessThan(250);
    expect(JSON.stringify(near.body)).not.toContain('contact');
    const far = await t.json({
      method: 'GET',
      url: `/api/complaints/nearby?category=trees&lat=${spot.lat + 0.0024}&lon=${spot.lon}`,
    });
    expect(far.body).toEqual([]);
    const otherKind = await t.json({
      method: 'GET',
      url: `/api/complaints/nearby?category=noise&lat=${spot.lat}&lon=${spot.lon}`,
    });
    expect(otherKind.body).toEqual([]);
    expect(
      (await t.json({ method: 'GET', url: '/api/complaints/nearby?category=trees&lat=95&lon=1' })).status,
    ).toBe(400);

    const plus = () =>
      t.json({ method: 'POST', url: `/api/complaints/requests/${ref}/support`, headers: otherCitizen });
    expect((await plus()).body).toMatchObject({ supporters: 1, added: true });
    expect((await plus()).body).toMatchObject({ supporters: 1, added: false });
    expect((await t.json({ method: 'POST', url: `/api/complaints/requests/${ref}/support` })).status).toBe(
      401,
    );
    expect((await get(ref)).body.supporters).toBe(1);

    await move(ref, { to: 'rejected', note: 'ซ้ำกับเรื่องอื่น', public: true });
    const after = await t.json({
      method: 'GET',
      url: `/api/complaints/nearby?category=trees&lat=${spot.lat}&lon=${spot.lon}`,
    });
    expect(after.body).toEqual([]);
    const closed = await plus();
    expect(closed.status).toBe(409);
  });

  it('ignores reports older than six months', async () => {
    await t.db.rows(
      sql`UPDATE complaints_requests SET created_at = now() - interval '7 months' WHERE category_code = 'footpath'`,
    );
    const ref = (await file({ category: 'footpath', description: 'ทางเท้าพัง', ...spot }, citizen)).body
      .reference;
    await t.db.rows(
      sql`UPDATE complaints_requests SET created_at = now() - interval '7 months' WHERE reference = ${ref}`,
    );
    const res = await t.json({
      method: 'GET',
      url: `/api/complaints/nearby?category=footpath&lat=${spot.lat}&lon=${spot.lon}`,
    });
    expect(res.body).toEqual([]);
  });
});
