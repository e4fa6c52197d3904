import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { ComplaintsModeration, maskPersonal } from './moderation.ts';
import { complaintsModule } from './module.ts';
import { requestFields } from './open311.ts';
import { maskable, Open311Repository } from './open311-repository.ts';
import { ComplaintsService } from './service.ts';

// Open311's JSON is built by PostgreSQL (open311-repository.ts `pageJson`); XML and this test still
// build it in Node (`requestFields`). The two must say the same, on PGlite and on PostgreSQL.

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
});
afterAll(() => t?.close());

/** Which of these texts PostgreSQL calls maskable. */
async function maskableIn(texts: string[]): Promise<Map<string, boolean>> {
  const rows = await t.db.rows<{ s: string; m: boolean }>(
    sql`SELECT s, ${maskable(sql`s`)} AS m FROM unnest(${`{${texts.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`}::text[]) s`,
  );
  return new Map(rows.map((r) => [r.s, r.m]));
}

describe('which addresses PostgreSQL leaves for Node to mask', () => {
  it('takes every text masking changes, and leaves ordinary addresses alone', async () => {
    const masked = [
      'โทร 0812345678',
      'โทร ๐๘๑๒๓๔๕๖๗๘',
      'call +66 81 234 5678',
      '0066-81-234-5678',
      '66 (0) 81 234 5678',
      '66 () 81234567',
      '66-(0)-812345678',
      '043.123.456',
      'บัตร 1-2345-67890-12-3',
      '1 2345 67890 12 3',
      'ดู https://example.org/x',
      'ftp://files.example',
      'WWW.example.org',
      'mail me: a.b@example.co.th',
      'ส่ง สมชาย@ตัวอย่าง.ไทย',
    ];
    const plain = [
      '123/45 หมู่ 6 ต.ในเมือง อ.เมือง จ.ขอนแก่น 40000',
      'ซอย 7 ถนนมิตรภาพ 40000',
      'ตึก 12 ชั้น 3 ห้อง 301',
      '',
      'เลขที่ 99/1-2 (หลังวัด)',
      'a "quoted" \\ back\tslash ✓ 🌳',
    ];
    // Near misses and random mixes of digits, separators and the characters the masks look for.
    const pieces = [
      ...'0123456789๐๑๒๓๔๕๖๗๘๙0866'.split(''),
      ...[' ', '-', '.', '(', ')', '+', '/', ' ', '-', '.'],
      ...['a', 'ก', '@', 'ww', 'w.', '://', '.co', 'x.th'],
    ];
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    const fuzz = Array.from({ length: 10_000 }, () =>
      Array.from({ length: 8 + (next() % 20) }, () => pieces[next() % pieces.length]).join(''),
    );
    const all = [...new Set([...masked, ...plain, ...fuzz])];
    const m = await maskableIn(all);
    expect(m.size).toBe(all.length);
    for (const s of masked) {
      expect(maskPersonal(s), s).not.toBe(s);
      expect(m.get(s), s).toBe(true);
    }
    for (const s of plain) expect(m.get(s), s).toBe(false);
    // The rule that matters: what PostgreSQL passes through as it is, masking would not change.
    const changed = all.filter((s) => maskPersonal(s) !== s);
    expect(changed.length).toBeGreaterThan(masked.length + 500); // the fuzz does reach the masks
    for (const s of all) if (!m.get(s)) expect(maskPersonal(s), s).toBe(s);
  });
});

describe('Open311 JSON from PostgreSQL', () => {
  it('is the same as the rows built in Node, in both languages, every field and every value', async () => {
    const service = new ComplaintsService(t.db);
    const moderation = new ComplaintsModeration(t.db);
    const cases: { address?: string; text?: string; lat: number; lon: number; at: string }[] = [
      {
        address: 'โทร 0812345678',
        text: 'กิ่งไม้ "หัก" \\ ทับ\nทาง\t✓ 🌳 </x> &amp;',
        lat: 16.441,
        lon: 102.851,
        at: '2026-04-01T17:30:05.999Z',
      },
      {
        address: '123/45 หมู่ 6 ต.ในเมือง 40000',
        text: 'ติดต่อ a@b.co แล้ว',
        lat: 16.4412345678912,
        lon: 102.8,
        at: '2026-04-01T16:59:59.001Z',
      },
      { lat: 16.43, lon: 102.83, at: '2026-04-01T10:00:00.000Z' },
      { address: 'ดู www.example.org ซอย "7"', lat: 16.4301, lon: 102.8302, at: '2026-04-01T00:00:00.000Z' },
      { address: '', text: 'ok', lat: 16.45, lon: 102.84, at: '2026-04-01T05:06:07.000Z' },
    ];
    const refs: string[] = [];
    for (const [i, c] of cases.entries()) {
      const r = await service.create(
        {
          category: 'trees',
          description: `ข้อความเดิม ${i} โทร 0812345678`,
          lat: c.lat,
          lon: c.lon,
          address: c.address,
        },
        { userId: null, contact: { phone: '0812345678' }, createdAt: c.at },
        { ...systemActor, label: 'test' },
      );
      if (c.text !== undefined)
        await moderation.decide(r.reference, { action: 'approve', text: c.text }, null, null, systemActor);
      refs.push(r.reference);
    }
    const reads = new Open311Repository(t.db);
    const filter = { references: refs, limit: 1000, offset: 0 };
    const rows = await reads.page(filter);
    expect(rows).toHaveLength(cases.length);
    for (const locale of ['th', 'en'] as const) {
      const expected = rows.map((r) => requestFields(locale, r));
      const text = await reads.pageJson(filter, locale);
      const json = JSON.parse(text);
      expect(json).toEqual(expected);
      for (const [i, item] of json.entries())
        expect(Object.keys(item).sort()).toEqual(Object.keys(expected[i]).sort());
      // No raw personal data anywhere in what is sent.
      expect(text).not.toContain('0812345678');
      expect(text).not.toContain('www.example.org');
      for (const ref of refs) {
        const one = await reads.pageJson({ references: [ref], limit: 1, offset: 0 }, locale);
        expect(JSON.parse(one)).toEqual(expected.filter((e) => e.service_request_id === ref));
      }
    }
    expect(await reads.pageJson({ references: ['KK-2400-9999999'], limit: 10, offset: 0 }, 'th')).toBe('[]');
  });
});
