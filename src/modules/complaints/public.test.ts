import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { maskPersonal } from './moderation.ts';
import { complaintsModule } from './module.ts';
import { ComplaintsService } from './service.ts';

describe('maskPersonal', () => {
  it.each([
    ['โทร 081-234-5678 ด่วน', 'โทร [phone] ด่วน'],
    ['โทร 0812345678', 'โทร [phone]'],
    ['call 081 234 5678 now', 'call [phone] now'],
    ['+66 81 234 5678', '[phone]'],
    ['+66812345678', '[phone]'],
    ['0066-81-234-5678', '[phone]'],
    ['สำนักงาน 043-221-234', 'สำนักงาน [phone]'],
    ['กรุงเทพ 02-123-4567', 'กรุงเทพ [phone]'],
    ['เลข ๐๘๑๒๓๔๕๖๗๘ ครับ', 'เลข [phone] ครับ'],
    ['โทร 0812345678 2 ครั้งแล้ว', 'โทร [phone] 2 ครั้งแล้ว'],
    ['บัตร 1-1037-00123-45-6', 'บัตร [id]'],
    ['บัตร 1103700123456', 'บัตร [id]'],
    ['บัตร 1 1037 00123 45 6', 'บัตร [id]'],
    ['mail somchai.k@example.co.th please', 'mail [email] please'],
    ['อีเมล สมชาย@ตัวอย่าง.ไทย', 'อีเมล [email]'],
    ['ดู https://example.org/x?y=1 และ www.evil.test/a', 'ดู [url] และ [url]'],
  ])('masks %s', (input, masked) => {
    expect(maskPersonal(input)).toBe(masked);
  });

  it.each([
    'หลุมลึก 30 ซม. กว้าง 1.5 เมตร ตั้งแต่ 25/11/2569',
    'ถนนมิตรภาพ กม. 12 ซอย 4',
    'ไฟดับ 3 ต้น ตั้งแต่ 18.30 น.',
    'บ้านเลขที่ 123/45',
    'สายด่วน 1669 และ 1111',
    '',
  ])('leaves %j alone', (input) => {
    expect(maskPersonal(input)).toBe(input);
  });

  it('keeps markup as text (it is rendered as text, never as HTML)', () => {
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>'; DROP TABLE x; --`;
    expect(maskPersonal(evil)).toBe(evil);
    expect(maskPersonal('<a href="https://evil.test">x</a> 0812345678')).toBe(
      '<a href="[url]">x</a> [phone]',
    );
  });

  it('copes with huge input', () => {
    const text = `${'0812345678 '.repeat(360)}${'ก'.repeat(20_000)}${'a.'.repeat(20_000)}`;
    const masked = maskPersonal(text);
    expect(masked).not.toMatch(/\d{9}/);
    expect(masked.match(/\[phone\]/g)).toHaveLength(360);
  });
});

let t: TestApp;
let engineer: Record<string, string>;
let health: Record<string, string>;
let admin: Record<string, string>;
let executive: Record<string, string>;
let citizen: Record<string, string>;
const inCity = { lat: 16.432, lon: 102.823 };

beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
  const offices = await t.db.rows<{ id: string; code: string }>(sql`SELECT id, code FROM core_offices`);
  for (const [email, code] of [
    ['eng-pub@test.local', 'engineering'],
    ['health-pub@test.local', 'health-environment'],
  ])
    await t.app.auth.createAccount(
      {
        displayName: `เจ้าหน้าที่ ${code}`,
        email,
        password: 'a long password',
        role: 'officer',
        officeId: offices.find((o) => o.code === code)!.id,
      },
      systemActor,
    );
  engineer = await t.signInAs('eng-pub@test.local', 'a long password');
  health = await t.signInAs('health-pub@test.local', 'a long password');
  admin = await t.signIn('admin');
  executive = await t.signIn('executive');
  citizen = await t.signIn('citizen');
});
afterAll(() => t?.close());

const publicKeys = [
  'reference',
  'category',
  'status',
  'zone',
  'lat',
  'lon',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'closedAt',
  'text',
].sort();

describe('public list, map and moderation', () => {
  const secret = {
    name: 'สมชาย ลับมาก',
    email: 'secret.reporter@example.org',
    phone: '0899999999',
    note: 'INTERNAL-ONLY-NOTE',
  };
  let reference = '';

  beforeAll(async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/complaints/requests',
      remoteAddress: '10.9.0.1',
      payload: {
        category: 'road-damage',
        description: 'หลุมใหญ่ โทรหาผม 081-234-5678 หรือ a@b.co <script>alert(1)</script>',
        address: 'หน้าบ้าน โทร 0898765432',
        ...inCity,
        contact: { name: secret.name, email: secret.email, phone: secret.phone },
      },
    });
    expect(res.status).toBe(201);
    reference = res.body.reference;
    const note = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${reference}/notes`,
      headers: engineer,
      payload: { note: secret.note, public: false },
    });
    expect(note.status).toBe(201);
    const pub = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${reference}/notes`,
      headers: engineer,
      payload: { note: 'ติดต่อช่าง 0811111111', public: true },
    });
    expect(pub.status).toBe(201);
  });

  const leaksNothing = (body: unknown) => {
    const text = JSON.stringify(body);
    for (const s of [
      secret.name,
      secret.email,
      secret.phone,
      secret.note,
      '081-234-5678',
      '0898765432',
      '0811111111',
    ])
      expect(text).not.toContain(s);
  };

  it('lists requests with only public fields, and no text before moderation', async () => {
    const res = await t.json({ method: 'GET', url: '/api/complaints/public/requests?category=road-damage' });
    expect(res.status).toBe(200);
    const mine = res.body.items.find((i: { reference: string }) => i.reference === reference);
    expect(mine.text).toBeNull();
    for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(publicKeys);
    leaksNothing(res.body);
    const map = await t.json({ method: 'GET', url: '/api/complaints/public/map?status=received' });
    expect(map.status).toBe(200);
    for (const item of map.body.items)
      expect(Object.keys(item).sort()).toEqual(['category', 'lat', 'lon', 'reference', 'status']);
    expect(map.body.items.map((i: { reference: string }) => i.reference)).toContain(reference);
    const detail = await t.json({ method: 'GET', url: `/api/complaints/requests/${reference}` });
    expect(detail.body.description).toBe('');
    expect(detail.body.address).toBe('หน้าบ้าน โทร [phone]');
    leaksNothing(detail.body);
  });

  it('filters, pages and refuses bad filters', async () => {
    const none = await t.json({ method: 'GET', url: '/api/complaints/public/requests?month=2001-01' });
    expect(none.body).toMatchObject({ items: [], total: 0 });
    const zone = await t.json({ method: 'GET', url: '/api/complaints/public/requests?zone=no-such-zone' });
    expect(zone.body.total).toBe(0);
    for (const q of [
      'month=2026-13',
      "category=x'%20OR%201=1",
      'status=open',
      'pageSize=101',
      'page=0',
      'x=1',
    ])
      expect((await t.json({ method: 'GET', url: `/api/complaints/public/requests?${q}` })).status).toBe(400);
  });

  it('keeps the moderation queue to the staff who work the request, and audits decisions', async () => {
    expect((await t.json({ method: 'GET', url: '/api/complaints/moderation' })).status).toBe(401);
    for (const headers of [citizen, executive])
      expect((await t.json({ method: 'GET', url: '/api/complaints/moderation', headers })).status).toBe(403);
    const queue = await t.json({
      method: 'GET',
      url: '/api/complaints/moderation?pageSize=100',
      headers: engineer,
    });
    const item = queue.body.items.find((i: { reference: string }) => i.reference === reference);
    expect(item.suggested).toBe('หลุมใหญ่ โทรหาผม [phone] หรือ [email] <script>alert(1)</script>');
    const other = await t.json({
      method: 'GET',
      url: '/api/complaints/moderation?pageSize=100',
      headers: health,
    });
    expect(other.body.items.map((i: { reference: string }) => i.reference)).not.toContain(reference);
    const decide = (headers: Record<string, string> | undefined, payload: object) =>
      t.json({ method: 'POST', url: `/api/complaints/moderation/${reference}`, headers, payload });
    expect((await decide(health, { action: 'approve' })).status).toBe(403);
    expect((await decide(citizen, { action: 'approve' })).status).toBe(403);
    expect((await decide(engineer, { action: 'publish' })).status).toBe(400);
    expect((await decide(engineer, { action: 'approve', text: '  0812345678 ' })).status).toBe(200);
    const edited = await t.json({
      method: 'GET',
      url: `/api/complaints/public/requests?category=road-damage`,
    });
    expect(edited.body.items.find((i: { reference: string }) => i.reference === reference).text).toBe(
      '[phone]',
    );
    const ok = await decide(engineer, { action: 'approve' });
    expect(ok.body).toMatchObject({ moderation: 'approved' });
    const detail = await t.json({ method: 'GET', url: `/api/complaints/requests/${reference}` });
    expect(detail.body.description).toBe('หลุมใหญ่ โทรหาผม [phone] หรือ [email] <script>alert(1)</script>');
    expect(detail.body.events.map((e: { note: string | null }) => e.note)).toContain('ติดต่อช่าง [phone]');
    leaksNothing(detail.body);
    const staffView = await t.json({
      method: 'GET',
      url: `/api/complaints/requests/${reference}`,
      headers: engineer,
    });
    expect(staffView.body.description).toContain('081-234-5678');
    const audits = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${reference} AND action LIKE 'complaints.moderation.%'
        ORDER BY id`,
    );
    expect(audits.map((a) => a.action)).toEqual([
      'complaints.moderation.approve',
      'complaints.moderation.approve',
    ]);
    expect((await decide(admin, { action: 'hide' })).status).toBe(200);
    const hidden = await t.json({ method: 'GET', url: `/api/complaints/requests/${reference}` });
    expect(hidden.body.description).toBe('');
    const open311 = await t.json({ method: 'GET', url: `/open311/v2/requests/${reference}.json` });
    expect(open311.body[0].description).toBe('');
    leaksNothing(open311.body);
  });
});

describe('statistics on a controlled dataset', () => {
  beforeAll(async () => {
    const service = new ComplaintsService(t.db);
    // Hours from filing to resolution and to the due time; null: not resolved / no due time.
    const rows: [string, string, number | null, number | null, number | null][] = [
      ['road-damage', '2020-03-02T03:00:00Z', 10, 20, 5],
      ['road-damage', '2020-03-03T03:00:00Z', 30, 20, 2],
      ['road-damage', '2020-04-01T03:00:00Z', 50, 100, null],
      // 01:00 on 1 April in Bangkok: counted in April.
      ['street-light', '2020-03-31T18:00:00Z', null, 20, null],
      ['street-light', '2020-04-02T03:00:00Z', 70, null, 4],
    ];
    for (const [category, createdAt, resolved, due, rating] of rows) {
      const r = await service.create(
        { category, description: 'ข้อมูลทดสอบ', ...inCity },
        { userId: null, contact: { email: 'stats@example.org' }, createdAt, synthetic: true },
        systemActor,
      );
      await t.db.rows(
        sql`UPDATE complaints_requests SET
          resolved_at = CASE WHEN ${resolved}::float8 IS NULL THEN NULL ELSE created_at + ${resolved}::float8 * interval '1 hour' END,
          due_at = CASE WHEN ${due}::float8 IS NULL THEN NULL ELSE created_at + ${due}::float8 * interval '1 hour' END,
          rating = ${rating}::smallint, status = CASE WHEN ${resolved}::float8 IS NULL THEN status ELSE 'resolved' END
          WHERE reference = ${r.reference}`,
      );
    }
  });

  it('counts, takes the median and the SLA share, and averages ratings', async () => {
    const res = await t.json({ method: 'GET', url: '/api/complaints/stats?from=2020-03-01&to=2020-04-30' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2020-03-01',
      to: '2020-04-30',
      total: 5,
      resolved: 4,
      medianHoursToResolve: 40,
      withinSla: { share: 0.6667, onTime: 2, measured: 3 },
      satisfaction: { average: 3.67, ratings: 3 },
    });
    expect(res.body.byCategory).toEqual([
      { key: 'road-damage', count: 3 },
      { key: 'street-light', count: 2 },
    ]);
    expect(res.body.byMonth).toEqual([
      { month: '2020-03', count: 2, resolved: 2 },
      { month: '2020-04', count: 3, resolved: 2 },
    ]);
    expect(res.body.byOffice.reduce((n: number, o: { count: number }) => n + o.count, 0)).toBe(5);
    expect(res.body.byZone.reduce((n: number, o: { count: number }) => n + o.count, 0)).toBe(5);
    expect(JSON.stringify(res.body)).not.toContain('stats@example.org');
  });

  it('narrows by Thai dates and says null where there is nothing to measure', async () => {
    const march = await t.json({ method: 'GET', url: '/api/complaints/stats?from=2020-03-01&to=2020-03-31' });
    expect(march.body).toMatchObject({ total: 2, medianHoursToResolve: 20, withinSla: { share: 0.5 } });
    const empty = await t.json({ method: 'GET', url: '/api/complaints/stats?from=2001-01-01&to=2001-12-31' });
    expect(empty.body).toMatchObject({
      total: 0,
      medianHoursToResolve: null,
      withinSla: { share: null, measured: 0 },
      satisfaction: { average: null, ratings: 0 },
    });
  });

  it('refuses a bad period', async () => {
    for (const q of [
      'from=2020-04-01&to=2020-03-01',
      'from=2000-01-01&to=2020-01-01',
      'from=2020-02-30x',
      'to=tomorrow',
    ])
      expect((await t.json({ method: 'GET', url: `/api/complaints/stats?${q}` })).status).toBe(400);
  });

  it('feeds the Governance KPIs', async () => {
    const kpis = Object.fromEntries(
      await Promise.all(complaintsModule.kpis!.map(async (k) => [k.id, await k.compute(t.db)] as const)),
    );
    expect(kpis).toHaveProperty('complaints-within-sla');
    expect(kpis).toHaveProperty('complaints-median-days-to-resolve');
    expect(kpis).toHaveProperty('complaints-satisfaction');
  });
});
