import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { parseTar } from 'nanotar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../testing/index.ts';
import { trimmedBundle } from './postgis-bundle.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.dispose());

describe('the trimmed PostGIS bundle', () => {
  it('holds the postgis library, its install script and PROJ data, and nothing else', () => {
    const names = parseTar(gunzipSync(readFileSync(trimmedBundle())), { metaOnly: true }).map((f) => f.name);
    expect(names).toContain('lib/postgresql/postgis-3.so');
    expect(names).toContain('share/postgresql/extension/postgis.control');
    expect(names).toContain('share/proj/proj.db');
    expect(names.some((n) => /^share\/postgresql\/extension\/postgis--\d[\d.]*\.sql$/.test(n))).toBe(true);
    expect(names.filter((n) => /raster|topology|tiger|--ANY|unpackaged/.test(n))).toEqual([]);
  });

  it('builds once and reuses the cached file', () => {
    expect(trimmedBundle()).toBe(trimmedBundle());
  });

  it('still answers geography and reprojection (PROJ) queries', async () => {
    // Khon Kaen into UTM zone 48N (central meridian 105°E): ~231 km west of the 500 km false easting.
    const [row] = await t.db.rows<{ x: number; y: number }>(
      sql`SELECT ST_X(p)::float AS x, ST_Y(p)::float AS y
          FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(102.8359, 16.4322), 4326), 32648) AS p) q`,
    );
    expect(row.x).toBeGreaterThan(260_000);
    expect(row.x).toBeLessThan(280_000);
    expect(row.y).toBeGreaterThan(1_800_000);
    expect(row.y).toBeLessThan(1_830_000);
  });
});
