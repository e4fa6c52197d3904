import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { byLine, taxTestApp, thaiId } from './testing.ts';

const app = taxTestApp();
const square = (lon: number, lat: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});
/** A bow tie: its edges cross, so PostGIS finds it invalid. */
const bowTie = {
  type: 'Polygon',
  coordinates: [
    [
      [102.83, 16.43],
      [102.84, 16.44],
      [102.84, 16.43],
      [102.83, 16.44],
      [102.83, 16.43],
    ],
  ],
};

let ownerId = '';
let deed = 0;
async function parcel(extra: Record<string, unknown> = {}) {
  const { t, revenue } = app;
  if (!ownerId) {
    const owner = await t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: revenue,
      payload: { kind: 'person', taxId: thaiId('310990088001'), name: 'นางรูปแปลง ทดสอบ' },
    });
    expect(owner.status).toBe(201);
    ownerId = owner.body.id;
  }
  return t.json({
    method: 'POST',
    url: '/api/tax/parcels',
    headers: { ...revenue, 'accept-language': 'en' },
    payload: {
      ownerId,
      deedKind: 'chanote',
      deedNo: `OUTLINE-${++deed}`,
      area: { rai: 1, ngan: 0, wa: 0 },
      valuePerM2Baht: 1000,
      uses: [{ use: 'other', sharePercent: 100 }],
      ...extra,
    },
  });
}
const patch = (id: string, payload: object) =>
  app.t.json({ method: 'PATCH', url: `/api/tax/register/parcels/${id}`, headers: app.revenue, payload });
const open = (id: string) =>
  app.t.json({ method: 'GET', url: `/api/tax/register/parcels/${id}`, headers: app.revenue });

describe('a parcel located by its outline', () => {
  it('registers an outline alone: stored as a MultiPolygon, the point inside it, the zone from it', async () => {
    const res = await parcel({ boundary: square(102.835, 16.43) });
    expect(res.status).toBe(201);
    const got = await open(res.body.id);
    expect(got.body.boundary.type).toBe('MultiPolygon');
    expect(got.body.boundary.coordinates[0][0]).toHaveLength(5);
    expect(got.body.location.lon).toBeGreaterThan(102.835);
    expect(got.body.location.lon).toBeLessThan(102.836);
    expect(got.body.location.lat).toBeGreaterThan(16.43);
    expect(got.body.location.lat).toBeLessThan(16.431);
    const [row] = await app.t.db.rows<{ inside: boolean }>(
      sql`SELECT ST_Covers(boundary, location) AS inside FROM tax_parcels WHERE id = ${res.body.id}`,
    );
    expect(row.inside).toBe(true);
  });

  it('refuses a self-intersecting, open, short, out-of-area or huge outline with 422 saying why', async () => {
    const cases: [unknown, string][] = [
      [bowTie, 'Self-intersection'],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [102.83, 16.43],
              [102.84, 16.43],
              [102.84, 16.44],
              [102.83, 16.44],
            ],
          ],
        },
        'not closed',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [102.83, 16.43],
              [102.84, 16.43],
              [102.83, 16.43],
            ],
          ],
        },
        'at least 4',
      ],
      [square(100.5, 13.75), 'outside the Khon Kaen area'],
      [{ type: 'Polygon', coordinates: [[['102.83', 16.43]]] }, '[lon, lat]'],
      [{ type: 'MultiPolygon', coordinates: [[]] }, '[lon, lat]'],
    ];
    for (const [boundary, words] of cases) {
      const res = await parcel({ boundary });
      expect(res.status, words).toBe(422);
      expect(res.body.code).toBe('tax.boundary_invalid');
      expect(res.body.errors[0].path).toBe('/boundary');
      expect(res.body.errors[0].message).toContain(words);
    }
    const ring = Array.from({ length: 2000 }, (_, i) => {
      const a = (i / 2000) * 2 * Math.PI;
      return [102.83 + 0.001 * Math.cos(a), 16.43 + 0.001 * Math.sin(a)];
    });
    const huge = await parcel({ boundary: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } });
    expect(huge.status).toBe(422);
    expect(huge.body.errors[0].message).toContain('at most 2000');
    // In Thai too.
    const thai = await app.t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: { ...app.revenue, 'accept-language': 'th' },
      payload: {
        ownerId,
        deedKind: 'chanote',
        deedNo: 'OUTLINE-TH',
        area: { rai: 1, ngan: 0, wa: 0 },
        uses: [{ use: 'other', sharePercent: 100 }],
        boundary: bowTie,
      },
    });
    expect(thai.status).toBe(422);
    expect(thai.body.title).toBe('ขอบเขตแปลงที่ดินไม่ถูกต้อง');
    expect(thai.body.errors[0].message).toContain('เส้นตัดกันเอง');
    const [n] = await app.t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_parcels WHERE deed_no = 'OUTLINE-TH'`,
    );
    expect(n.n).toBe(0);
  });

  it('sets, keeps and clears an outline through the correction API, versioned and audited', async () => {
    const made = await parcel({ location: { lon: 102.82, lat: 16.42 } });
    const id = made.body.id;
    const bad = await patch(id, { version: 1, boundary: bowTie });
    expect(bad.status).toBe(422);
    expect((await open(id)).body.version).toBe(1);
    const set = await patch(id, { version: 1, boundary: square(102.82, 16.42) });
    expect(set.status).toBe(200);
    expect(set.body.version).toBe(2);
    const got = await open(id);
    expect(got.body.boundary.coordinates[0][0][2]).toEqual([102.821, 16.421]);
    // The point it had is kept.
    expect(got.body.location).toEqual({ lon: 102.82, lat: 16.42 });
    // The same outline again changes nothing and writes nothing.
    expect((await patch(id, { version: 2, boundary: square(102.82, 16.42) })).body.version).toBe(2);
    const stale = await patch(id, { version: 1, boundary: null });
    expect(stale.status).toBe(409);
    const cleared = await patch(id, { version: 2, boundary: null });
    expect(cleared.body.version).toBe(3);
    expect((await open(id)).body.boundary).toBeNull();
    const audits = await app.t.db.rows<{
      detail: { before: { boundary: unknown }; after: { boundary: unknown } };
    }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.parcel.update' AND resource_id = ${id} ORDER BY id`,
    );
    expect(audits).toHaveLength(2);
    expect(audits[0].detail.before.boundary).toBeNull();
    expect(audits[0].detail.after.boundary).toMatchObject({ type: 'MultiPolygon' });
    expect(audits[1].detail.after.boundary).toBeNull();
  });

  it('gives a parcel without a point the outline’s point when the outline is added', async () => {
    const made = await parcel();
    expect((await open(made.body.id)).body.location).toBeNull();
    const set = await patch(made.body.id, { version: 1, boundary: square(102.84, 16.44) });
    expect(set.status).toBe(200);
    const got = await open(made.body.id);
    expect(got.body.location.lon).toBeGreaterThan(102.84);
    expect(got.body.location.lon).toBeLessThan(102.841);
  });

  it('refuses a correction body far over the size an outline needs (413)', async () => {
    const made = await parcel();
    const res = await patch(made.body.id, {
      version: 1,
      boundary: { type: 'Polygon', coordinates: [Array(20_000).fill([102.831234567, 16.431234567])] },
    });
    expect(res.status).toBe(413);
  });

  it('imports outlines as GeoJSON or WKT; a bad outline is its row’s error', async () => {
    const owner = thaiId('310990088002');
    const head =
      'ownerTaxId,ownerKind,ownerName,deedKind,deedNo,rai,ngan,wa,valuePerM2Baht,use,lon,lat,boundary';
    const row = (deedNo: string, boundary: string, lonLat = ',') =>
      `${owner},person,นายนำเข้า รูปแปลง,chanote,${deedNo},1,0,0,500,other,${lonLat},"${boundary.replace(/"/g, '""')}"`;
    const csv = [
      head,
      row('IMP-GEOJSON', JSON.stringify(square(102.83, 16.43))),
      row('IMP-WKT', 'POLYGON ((102.85 16.45, 102.851 16.45, 102.851 16.451, 102.85 16.45))'),
      row('IMP-BOWTIE', JSON.stringify(bowTie)),
      row('IMP-OPEN', 'POLYGON ((102.85 16.45, 102.851 16.45, 102.851 16.451, 102.85 16.46))'),
      row('IMP-AWAY', JSON.stringify(square(100.5, 13.7))),
      row('IMP-JUNK', "'); DROP TABLE tax_parcels; --"),
      row(
        'IMP-POINT',
        'MULTIPOLYGON (((102.86 16.44, 102.861 16.44, 102.861 16.441, 102.86 16.44)))',
        '102.8605,16.4403',
      ),
    ].join('\n');
    const status = await app.importFile('parcels', csv);
    expect(status.imported).toBe(3);
    const errors = byLine(status);
    expect(Object.keys(errors).map(Number)).toEqual([4, 5, 6, 7]);
    expect(errors[4]).toContain('Self-intersection');
    const codes = Object.fromEntries(
      status.errors.map((e: { line: number; code: string }) => [e.line, e.code]),
    );
    expect(codes).toEqual({
      4: 'boundary_invalid',
      5: 'boundary_ring_open',
      6: 'boundary_outside',
      7: 'boundary_unreadable',
    });
    const rows = await app.t.db.rows<{ deedNo: string; parts: number; lon: number; zone: string | null }>(
      sql`SELECT deed_no AS "deedNo", ST_NumGeometries(boundary) AS parts, ST_X(location) AS lon, zone_code AS zone
        FROM tax_parcels WHERE deed_no LIKE 'IMP-%' ORDER BY deed_no`,
    );
    expect(rows.map((r) => [r.deedNo, r.parts])).toEqual([
      ['IMP-GEOJSON', 1],
      ['IMP-POINT', 1],
      ['IMP-WKT', 1],
    ]);
    // A point given with the outline is kept; without one, the point lies inside the outline.
    expect(rows.find((r) => r.deedNo === 'IMP-POINT')?.lon).toBe(102.8605);
    expect(rows.find((r) => r.deedNo === 'IMP-WKT')?.lon).toBeGreaterThan(102.85);
  });
});
