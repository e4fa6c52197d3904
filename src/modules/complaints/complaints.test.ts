import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { contextService } from '../../platform/context/service.ts';
import { complaintsModule } from './module.ts';
import { demoCategories } from './seed.ts';
import { ComplaintsService, entityId } from './service.ts';

let t: TestApp;
let service: ComplaintsService;
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
  service = new ComplaintsService(t.db);
});
afterAll(() => t?.close());

const actor = { ...systemActor, label: 'test' };
const anonymous = { userId: null, contact: { phone: '0812345678' } };

describe('data and routing', () => {
  it('seeds the Khon Kaen demo categories in Thai and English, each owned by an office, labelled synthetic', async () => {
    const categories = await service.categories();
    expect(categories.map((c) => c.code).sort()).toEqual(demoCategories.map((c) => c.code).sort());
    const road = categories.find((c) => c.code === 'road-damage')!;
    expect(road).toMatchObject({ nameTh: 'ถนนชำรุด/หลุมบ่อ', office: 'engineering', synthetic: true });
    expect(categories.find((c) => c.code === 'garbage')!.office).toBe('health-environment');
  });

  it('routes by category to the office and by point to the zone and community, with a KK reference', async () => {
    const r = await service.create(
      { category: 'road-damage', description: 'หลุมลึก', lat: 16.432, lon: 102.823 },
      anonymous,
      actor,
    );
    expect(r.reference).toMatch(/^KK-25[0-9]{2}-[0-9]{6}$/);
    expect(r).toMatchObject({
      office: 'engineering',
      zone: 'zone-1',
      community: 'z1-c2',
      status: 'received',
    });
    const other = await service.create(
      { category: 'garbage', description: 'ขยะ', lat: 16.4, lon: 102.86 },
      anonymous,
      actor,
    );
    expect(other).toMatchObject({ office: 'health-environment', zone: 'zone-4', community: 'z4-c2' });
    // Numbers come from one sequence: the later request has the larger number.
    expect(Number(other.reference.slice(8))).toBeGreaterThan(Number(r.reference.slice(8)));
  });

  it('refuses a point outside the municipality, naming the problem, and stores nothing', async () => {
    const before = await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_requests`);
    await expect(
      service.create({ category: 'garbage', description: 'x', lat: 13.75, lon: 100.5 }, anonymous, actor),
    ).rejects.toMatchObject({ status: 400, code: 'complaints.outside_municipality' });
    const after = await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_requests`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('refuses an unknown category and an anonymous report without a contact', async () => {
    await expect(
      service.create({ category: 'nope', description: 'x', lat: 16.43, lon: 102.83 }, anonymous, actor),
    ).rejects.toMatchObject({ code: 'complaints.category_unknown' });
    await expect(
      service.create(
        { category: 'noise', description: 'x', lat: 16.43, lon: 102.83 },
        { userId: null },
        actor,
      ),
    ).rejects.toMatchObject({ code: 'complaints.contact_required' });
  });

  it('publishes each request to the context broker without personal data, and audits the filing', async () => {
    const r = await service.create(
      { category: 'noise', description: 'เสียงดังทั้งคืน', lat: 16.44, lon: 102.85 },
      { userId: null, contact: { name: 'คนแจ้ง', email: 'someone@example.org' } },
      actor,
    );
    const entity = await contextService(t.db).get('', entityId(r.reference));
    const text = JSON.stringify(entity);
    expect(text).toContain(r.reference);
    expect(text).toContain('received');
    expect(text).not.toContain('someone@example.org');
    expect(text).not.toContain('คนแจ้ง');
    expect(text).not.toContain('เสียงดังทั้งคืน');
    const [audited] = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${r.reference}`,
    );
    expect(audited.action).toBe('complaints.request.create');
  });

  it('counts open complaints for the KPI', async () => {
    expect(await complaintsModule.kpis![0].compute(t.db)).toBeGreaterThan(0);
  });
});
