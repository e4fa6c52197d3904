// Diagnostic, not a benchmark: where the tax assessment's allocations come from on PGlite, by V8's
// sampling heap profiler, and a checksum of the bills to show a change leaves them identical.
//   npx tsx bench/tax-alloc.ts <dir> generate        a register of N parcels (N=20000 by default)
//   node <npm start's flags> --import tsx bench/tax-alloc.ts <dir>
//                                                    assess it again (its bills deleted first)
// Allocations counted: all of them, or with OLDONLY=1 only what V8's young generation did not collect
// (promoted objects and large ones: the old generation's garbage, which sets the peak RSS); NOPROF=1
// for none (e.g. with --trace-gc-nvp). PAGE=n sets the page size. Figures: docs/benchmarks.md, issue 7.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/core/audit/audit.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { TaxService } from '../src/modules/tax/service.ts';
import { migrationSources } from '../src/server.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: bench/tax-alloc.ts <dir> [generate]');
const n = Number(process.env.N ?? 20_000);

if (process.argv[3] === 'generate') {
  // The same register as bench/tax-phase.ts, smaller, in one statement per table.
  const db = await openDatabase({ dataDir });
  await migrate(db, migrationSources());
  const owners = Math.ceil(n * 0.7);
  await db.orm.execute(sql`INSERT INTO tax_owners (kind, tax_id, name, synthetic)
    SELECT CASE WHEN i % 20 = 0 THEN 'juristic' ELSE 'person' END, lpad(i::text, 13, '0'), 'Synthetic owner ' || i, true
    FROM generate_series(1, ${owners}::int) i`);
  await db.orm.execute(sql`INSERT INTO tax_parcels (owner_id, deed_kind, deed_no, area_m2, value_per_m2, uses, synthetic)
    SELECT o.id, 'chanote', 'B-' || i, 100 + (i * 37) % 5000, 500 + (i * 91) % 60000,
      (ARRAY['[{"use":"residential","sharePercent":100,"mainHome":"land-and-building"}]',
             '[{"use":"residential","sharePercent":100}]',
             '[{"use":"other","sharePercent":70},{"use":"residential","sharePercent":30}]',
             '[{"use":"agriculture","sharePercent":100}]',
             '[{"use":"vacant","sharePercent":100,"vacantYears":4}]'])[1 + i % 5]::jsonb, true
    FROM generate_series(1, ${n}::int) i JOIN tax_owners o ON o.tax_id = lpad((1 + i % ${owners})::text, 13, '0')`);
  await db.orm.execute(sql`INSERT INTO tax_buildings (parcel_id, kind, floor_area_m2, cost_per_m2, age_years, depreciation_percent)
    SELECT p.id, 'house', 60 + (i * 13) % 900, 7000 + (i * 17) % 6000, i % 40, least(i % 40 * 2, 76)
    FROM generate_series(1, ${Math.round(n * 0.3)}::int) i JOIN tax_parcels p ON p.deed_no = 'B-' || i AND p.deed_kind = 'chanote'`);
  await db.orm.execute(sql`INSERT INTO tax_signs (owner_id, width_cm, height_cm, sign_type, moving, synthetic)
    SELECT o.id, 50 + i % 400, 30 + i % 300, 1 + i % 3, i % 2 = 0, true
    FROM generate_series(1, ${Math.round(n / 10)}::int) i JOIN tax_owners o ON o.tax_id = lpad((1 + i % ${owners})::text, 13, '0')`);
  await db.orm.execute(sql`ANALYZE`);
  await db.close();
  process.exit(0);
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const db = await openDatabase({ dataDir });
await db.orm.execute(sql`DELETE FROM tax_bills`);
await db.orm.execute(sql`VACUUM tax_bills`);
const profiling = !process.env.NOPROF;
const session = new Session();
session.connect();
if (profiling)
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !process.env.OLDONLY,
  });
let maxHeap = 0;
const timing = {
  loadMs: 0,
  computeMs: 0,
  writeMs: 0,
  pageSize: process.env.PAGE ? Number(process.env.PAGE) : undefined,
  onPage: () => {
    maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  },
};
console.log('RUN START'); // marks for reading --trace-gc-nvp output
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await new TaxService(db, { billerId: '099400000000000' }).runAssessment(
  2569,
  { ...systemActor, label: 'alloc' },
  timing,
);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log('RUN END');
const profile = profiling
  ? ((await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } }).profile
  : undefined;
// Bill numbers are drawn in the order the INSERT's plan yields rows, which SQL does not fix (two runs
// of the same code differ), so the comparable checksum leaves them out.
const [sum] = await db.rows<{ md5: string; n: number }>(
  sql`SELECT md5(string_agg(concat_ws('|', tax_year, tax_kind, owner_id, parcel_id, sign_id, amount_satang, working::text, due_date, status), E'\n' ORDER BY COALESCE(parcel_id, sign_id))) AS md5, count(*)::int AS n FROM tax_bills`,
);
await db.close();
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
console.log(
  `${result.billsIssued} bills in ${(ms / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, JS heap at most ${mb(maxHeap)} MB (after a page), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; bills' checksum without numbers ${sum.md5} (${sum.n})`,
);
if (profile) {
  writeFileSync(join(dataDir, 'alloc.heapprofile'), JSON.stringify(profile));
  // Bytes by allocating function, and by the innermost frame in src/ (none: PGlite's own work).
  const self = new Map<string, number>();
  const ours = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode, stack: string[]) => {
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*\/(src|bench)\//, '$1/')}`;
    const here = [...stack, name];
    if (node.selfSize) {
      total += node.selfSize;
      self.set(name, (self.get(name) ?? 0) + node.selfSize);
      const frame = here.findLast((x) => x.includes('src/')) ?? '(none)';
      ours.set(frame, (ours.get(frame) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, here);
  };
  walk(profile.head, []);
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([k, v]) => `${mb(v).padStart(8)} MB  ${k}`)
      .join('\n');
  console.log(`sampled allocations ${mb(total)} MB${process.env.OLDONLY ? ' (not collected young)' : ''}`);
  console.log(`--- by function\n${top(self)}\n--- by innermost frame in src/\n${top(ours)}`);
}
