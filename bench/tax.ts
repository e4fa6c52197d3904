// Assess a whole city's register (200,000 parcels, 60,000 buildings, 20,000 signs) for a tax year and
// issue its bills. Prints records/s, where the time goes (database reads, computation, writes), peak
// RSS, and the write time as a ratio to a plain INSERT … SELECT of as many rows of the same width in
// the same database, same run. PGlite by default; PostgreSQL with DATABASE_URL.
// Run: npx tsx bench/tax.ts [--parcels 200000 --buildings 60000 --signs 20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/core/audit/audit.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { type AssessmentTiming, TaxService } from '../src/modules/tax/service.ts';
import { migrationSources } from '../src/server.ts';

const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: '200000' },
    buildings: { type: 'string', default: '60000' },
    signs: { type: 'string', default: '20000' },
  },
});
const parcels = Number(values.parcels);
const buildings = Number(values.buildings);
const signs = Number(values.signs);
const owners = Math.ceil(parcels * 0.7);

const url = process.env.DATABASE_URL;
let scratch: { url: string; drop(): Promise<void> } | null = null;
if (url) {
  const { scratchDatabase } = await import('../src/core/testing/scratch.ts');
  scratch = await scratchDatabase(url);
}
// PGlite keeps its files on disk here, as `npm start` does (in memory the whole city would count as RSS).
const dataDir = url ? undefined : mkdtempSync(join(tmpdir(), 'mueang-bench-tax-'));
const db = await openDatabase({ databaseUrl: scratch?.url, dataDir });
try {
  await migrate(db, migrationSources());
  let t = performance.now();
  await db.orm.execute(sql`INSERT INTO tax_owners (kind, tax_id, name, synthetic)
    SELECT CASE WHEN i % 20 = 0 THEN 'juristic' ELSE 'person' END, lpad(i::text, 13, '0'), 'Synthetic owner ' || i, true
    FROM generate_series(1, ${owners}) i`);
  await db.orm.execute(sql`INSERT INTO tax_parcels (owner_id, deed_kind, deed_no, area_m2, value_per_m2, uses, synthetic)
    SELECT o.id, 'chanote', 'B-' || i, 100 + (i * 37) % 5000, 500 + (i * 91) % 60000,
      (ARRAY['[{"use":"residential","sharePercent":100,"mainHome":"land-and-building"}]',
             '[{"use":"residential","sharePercent":100}]',
             '[{"use":"other","sharePercent":70},{"use":"residential","sharePercent":30}]',
             '[{"use":"agriculture","sharePercent":100}]',
             '[{"use":"vacant","sharePercent":100,"vacantYears":4}]'])[1 + i % 5]::jsonb, true
    FROM generate_series(1, ${parcels}) i JOIN tax_owners o ON o.tax_id = lpad((1 + i % ${owners})::text, 13, '0')`);
  await db.orm.execute(sql`INSERT INTO tax_buildings (parcel_id, kind, floor_area_m2, cost_per_m2, age_years, depreciation_percent)
    SELECT p.id, 'house', 60 + (n * 13) % 900, 7000 + (n * 17) % 6000, n % 40, least(n % 40 * 2, 76)
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM tax_parcels) p WHERE p.n <= ${buildings}`);
  await db.orm.execute(sql`INSERT INTO tax_signs (owner_id, width_cm, height_cm, sign_type, moving, synthetic)
    SELECT o.id, 50 + i % 400, 30 + i % 300, 1 + i % 3, i % 2 = 0, true
    FROM generate_series(1, ${signs}) i JOIN tax_owners o ON o.tax_id = lpad((1 + i % ${owners})::text, 13, '0')`);
  // A live database has statistics; a freshly loaded one needs them before the planner picks index probes.
  await db.orm.execute(sql`ANALYZE`);
  console.log(`register generated in ${((performance.now() - t) / 1000).toFixed(1)} s (${db.kind})`);

  const service = new TaxService(db, { billerId: '099400000000000' });
  const timing: AssessmentTiming = { loadMs: 0, computeMs: 0, writeMs: 0 };
  t = performance.now();
  const result = await service.runAssessment(2569, { ...systemActor, label: 'bench' }, timing);
  const totalMs = performance.now() - t;

  // Baseline: the same number of rows of the same width, written by one INSERT … SELECT.
  const [width] = await db.rows<{ w: number }>(
    sql`SELECT avg(length(working::text))::int AS w FROM tax_bills`,
  );
  await db.orm.execute(sql`CREATE TABLE bench_bills (LIKE tax_bills INCLUDING DEFAULTS)`);
  t = performance.now();
  await db.orm.execute(sql`INSERT INTO bench_bills (number, tax_year, tax_kind, owner_id, parcel_id, amount_satang, working, due_date, status)
    SELECT 'X' || i, 2569, 'land-building', gen_random_uuid(), gen_random_uuid(), i, to_jsonb(repeat('x', ${width.w})), '2026-04-30', 'open'
    FROM generate_series(1, ${result.billsIssued}) i`);
  const baselineMs = performance.now() - t;

  const records = parcels + buildings + signs;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`
tax assessment, ${db.kind}: ${parcels} parcels, ${buildings} buildings, ${signs} signs → ${result.billsIssued} bills
  total            ${(totalMs / 1000).toFixed(1)} s   (${Math.round(records / (totalMs / 1000))} records/s)   target ≤ 60 s: ${totalMs <= 60_000 ? 'met' : 'MISSED'}
  database reads   ${(timing.loadMs / 1000).toFixed(1)} s
  computation      ${(timing.computeMs / 1000).toFixed(1)} s
  database writes  ${(timing.writeMs / 1000).toFixed(1)} s   = ${(timing.writeMs / baselineMs).toFixed(2)} × a plain INSERT … SELECT of the same rows (${(baselineMs / 1000).toFixed(1)} s)
  peak RSS         ${Math.round(rssMb)} MB   target ≤ 600 MB: ${rssMb <= 600 ? 'met' : 'MISSED'}
`);
} finally {
  await db.close();
  await scratch?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
