import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { contextService } from '../../platform/context/service.ts';
import { buddhistYear, formatReference } from './domain.ts';
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

  it('returns the request as stored, with one created event at its filing time and one audit row', async () => {
    const r = await service.create(
      { category: 'road-damage', description: 'ฝาท่อหาย', lat: 16.432, lon: 102.823, address: 'ซอย 5' },
      { userId: null, contact: { name: 'ผู้แจ้ง', email: 'Someone@Example.org' }, lang: 'en' },
      actor,
    );
    expect(r).toEqual(await service.repo.byReference(r.reference));
    expect(r).toMatchObject({ supporters: 0, mergedInto: null, contactEmail: 'someone@example.org' });
    const events = await t.db.rows<{ kind: string; same: boolean }>(
      sql`SELECT e.kind, e.at = r.created_at AS same FROM complaints_events e
        JOIN complaints_requests r ON r.id = e.request_id WHERE r.reference = ${r.reference}`,
    );
    expect(events).toEqual([{ kind: 'created', same: true }]);
    const audited = await t.db.rows<{ action: string; label: string; detail: Record<string, unknown> }>(
      sql`SELECT action, actor_label AS label, detail FROM core_audit_log WHERE resource_id = ${r.reference}`,
    );
    expect(audited).toEqual([
      {
        action: 'complaints.request.create',
        label: 'test',
        detail: { category: 'road-damage', source: 'web', anonymous: true, photos: 0 },
      },
    ]);
  });

  it('uses no reference number for a refused filing, and replaces a stale entity under a new number', async () => {
    const number = (reference: string) => Number(reference.slice(8));
    const first = await service.create(
      { category: 'garbage', description: 'ขยะ', lat: 16.4, lon: 102.86 },
      anonymous,
      actor,
    );
    // Each filed only when its turn comes: a refusal started earlier would be rejected before anything
    // awaits it (an unhandled rejection).
    const refusals = [
      () => service.create({ category: 'nope', description: 'x', lat: 16.4, lon: 102.86 }, anonymous, actor),
      () =>
        service.create({ category: 'garbage', description: 'x', lat: 13.75, lon: 100.5 }, anonymous, actor),
      () =>
        service.create(
          { category: 'garbage', description: 'x', lat: 16.4, lon: 102.86 },
          { userId: null },
          actor,
        ),
    ];
    for (const refuse of refusals) await expect(refuse()).rejects.toMatchObject({ status: 400 });
    // An entity already stored under the next reference (left by hand, or a restored backup) is replaced.
    const next = formatReference(buddhistYear(new Date()), number(first.reference) + 1);
    const context = contextService(t.db);
    await t.db.transaction((tx) =>
      context.publish(tx, {
        id: entityId(next),
        type: 'MueangServiceRequest',
        status: { type: 'Property', value: 'stale' },
      }),
    );
    const second = await service.create(
      { category: 'noise', description: 'เสียงดัง', lat: 16.4, lon: 102.86 },
      anonymous,
      actor,
    );
    expect(second.reference).toBe(next);
    const text = JSON.stringify(await context.get('', entityId(next)));
    expect(text).toContain('received');
    expect(text).toContain('noise');
    expect(text).not.toContain('stale');
  });

  it('counts open complaints for the KPI', async () => {
    expect(await complaintsModule.kpis![0].compute(t.db)).toBeGreaterThan(0);
  });
});
