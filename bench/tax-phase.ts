// One phase of bench/tax.ts in its own process: generate the synthetic register, or assess it.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/core/audit/audit.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { seedDefaultRates } from '../src/modules/tax/rate-years.ts';
import { type AssessmentTiming, TaxService } from '../src/modules/tax/service.ts';
import { migrationSources } from '../src/server.ts';
import type { Phase } from './tax.ts';

const phase = JSON.parse(process.argv[2]) as Phase;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Resident memory by kind, from /proc/self/smaps (Linux; zeros elsewhere): PGlite's WebAssembly memory
 * (the read-write mapping of `wasmBytes` that V8 follows with its guard region) and glibc's main malloc
 * heap (`[heap]`). The WebAssembly memory's size (128 MB) never changes in a run, but only the pages
 * PostgreSQL has touched are resident: 49 MB when opened, more as shared_buffers and its memory
 * contexts fill.
 */
function resident(wasmBytes: number): { wasmRes: number; malloc: number } {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return { wasmRes: 0, malloc: 0 };
  }
  const maps: { start: bigint; end: bigint; perms: string; name: string; rssKb: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m)
      maps.push({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), perms: m[3], name: m[4], rssKb: 0 });
    else if (line.startsWith('Rss:') && maps.length)
      maps[maps.length - 1].rssKb = Number(line.split(/\s+/)[1]);
  }
  let wasmKb = 0;
  let mallocKb = 0;
  maps.forEach((x, i) => {
    if (x.name === '[heap]') mallocKb += x.rssKb;
    const next = maps[i + 1];
    if (
      wasmBytes > 0 &&
      x.perms.startsWith('rw') &&
      x.name === '' &&
      x.end - x.start === BigInt(wasmBytes) &&
      next?.start === x.end &&
      next.perms.startsWith('---') &&
      next.end - next.start >= 1n << 30n
    )
      wasmKb += x.rssKb;
  });
  return { wasmRes: Math.round(wasmKb / 1024), malloc: Math.round(mallocKb / 1024) };
}

/**
 * Where the memory is while the assessment runs, sampled after each page: the process's RSS, the JS
 * heap, Node's buffers outside it, PGlite's WebAssembly memory (its size, which only grows, and how
 * much of it is resident) and glibc's main malloc heap. A figure that climbs with the pages read is
 * held per record; one that levels off is a working set.
 */
/** One memory sample (MB, and seconds since the run began), as tax.ts prints it. */
export interface MemorySample {
  s: number;
  rss: number;
  heap: number;
  buffers: number;
  wasm: number;
  wasmRes: number;
  malloc: number;
}

function memorySampler(wasmBytes: () => number) {
  const samples: MemorySample[] = [];
  // ArrayBuffers only: `external` includes them and PGlite's WebAssembly memory (sampled apart), so
  // adding the two (as this did) showed 441 MB of "buffers" after opening for ~90 MB held.
  const t0 = performance.now();
  const take = () => {
    const m = process.memoryUsage();
    const bytes = wasmBytes();
    samples.push({
      s: Math.round((performance.now() - t0) / 100) / 10,
      rss: mb(m.rss),
      heap: mb(m.heapUsed),
      buffers: mb(m.arrayBuffers),
      wasm: mb(bytes),
      ...resident(bytes),
    });
  };
  take();
  return {
    take,
    stop() {
      take();
      // Five points across the run (start, quarters, end) tell growth from a plateau; and the highest RSS.
      const points = [0, 0.25, 0.5, 0.75, 1].map((f) => samples[Math.round(f * (samples.length - 1))]);
      const top = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
      return [...points, top];
    },
  };
}
// Rows per generating statement: one statement over the whole city made PGlite's WebAssembly heap
// (which never shrinks) grow by hundreds of MB for its sorts and hash joins.
const slice = 10_000;

const db = await openDatabase({
  databaseUrl: phase.databaseUrl,
  dataDir: phase.dataDir,
  heapGrowingPercent: phase.heapGrowingPercent,
});
try {
  if (phase.phase === 'generate') {
    const { parcels, buildings, signs } = phase.size;
    const owners = Math.ceil(parcels * 0.7);
    await migrate(db, migrationSources());
    await seedDefaultRates(db.orm);
    const t = performance.now();
    const slices = async (n: number, insert: (from: number, to: number) => ReturnType<typeof sql>) => {
      for (let from = 1; from <= n; from += slice)
        await db.orm.execute(insert(from, Math.min(n, from + slice - 1)));
    };
    await slices(
      owners,
      (a, b) => sql`INSERT INTO tax_owners (kind, tax_id, name, synthetic)
        SELECT CASE WHEN i % 20 = 0 THEN 'juristic' ELSE 'person' END, lpad(i::text, 13, '0'), 'Synthetic owner ' || i, true
        FROM generate_series(${a}::int, ${b}::int) i`,
    );
    await slices(
      parcels,
      (
        a,
        b,
      ) => sql`INSERT INTO tax_parcels (owner_id, deed_kind, deed_no, area_m2, value_per_m2, uses, synthetic)
        SELECT o.id, 'chanote', 'B-' || i, 100 + (i * 37) % 5000, 500 + (i * 91) % 60000,
          (ARRAY['[{"use":"residential","sharePercent":100,"mainHome":"land-and-building"}]',
                 '[{"use":"residential","sharePercent":100}]',
                 '[{"use":"other","sharePercent":70},{"use":"residential","sharePercent":30}]',
                 '[{"use":"agriculture","sharePercent":100}]',
                 '[{"use":"vacant","sharePercent":100,"vacantYears":4}]'])[1 + i % 5]::jsonb, true
        FROM generate_series(${a}::int, ${b}::int) i JOIN tax_owners o ON o.tax_id = lpad((1 + i % ${owners})::text, 13, '0')`,
    );
    // Buildings on the parcels with the lowest deed numbers' rows, one each, a slice of parcels at a time.
    await slices(
      buildings,
      (
        a,
        b,
      ) => sql`INSERT INTO tax_buildings (parcel_id, kind, floor_area_m2, cost_per_m2, age_years, depreciation_percent)
        SELECT p.id, 'house', 60 + (i * 13) % 900, 7000 + (i * 17) % 6000, i % 40, least(i % 40 * 2, 76)
        FROM generate_series(${a}::int, ${b}::int) i JOIN tax_parcels p ON p.deed_no = 'B-' || i AND p.deed_kind = 'chanote'`,
    );
    await slices(
      signs,
      (a, b) => sql`INSERT INTO tax_signs (owner_id, width_cm, height_cm, sign_type, moving, synthetic)
        SELECT o.id, 50 + i % 400, 30 + i % 300, 1 + i % 3, i % 2 = 0, true
        FROM generate_series(${a}::int, ${b}::int) i JOIN tax_owners o ON o.tax_id = lpad((1 + i % ${owners})::text, 13, '0')`,
    );
    // A live database has statistics; a freshly loaded one needs them before the planner picks index probes.
    await db.orm.execute(sql`ANALYZE`);
    process.send?.({ kind: db.kind, ms: performance.now() - t, rssMb: peakRssMb() });
  } else {
    // The first query brings the catalogue in; count it with the open database, not with the run.
    await db.orm.execute(sql`SELECT count(*) FROM tax_parcels`);
    // Diagnostic: with `NODE_OPTIONS=--expose-gc` the garbage left by opening the database (PGlite's
    // extension bundle is read into buffers) is collected before the run instead of during it.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const openRssMb = peakRssMb();
    const service = new TaxService(db, { billerId: '099400000000000' });
    // PGlite's WebAssembly memory, for the samples (0 on PostgreSQL, whose memory is the server's).
    const pglite = (db as { pglite?: { mod?: { HEAP8: Int8Array } } }).pglite;
    const sampler = memorySampler(() => pglite?.mod?.HEAP8.buffer.byteLength ?? 0);
    const timing: AssessmentTiming = {
      loadMs: 0,
      computeMs: 0,
      writeMs: 0,
      onPage: sampler.take,
      pageSize: phase.pageSize,
    };
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const result = await service.runAssessment(2569, { ...systemActor, label: 'bench' }, timing);
    const totalMs = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const memory = sampler.stop();
    const rss = peakRssMb();
    const heapMb = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);

    // Baseline: the same number of rows of the same width, written by one INSERT … SELECT.
    const [width] = await db.rows<{ w: number }>(
      sql`SELECT avg(length(working::text))::int AS w FROM tax_bills`,
    );
    await db.orm.execute(sql`CREATE TABLE bench_bills (LIKE tax_bills INCLUDING DEFAULTS)`);
    const b = performance.now();
    await db.orm.execute(sql`INSERT INTO bench_bills (number, tax_year, tax_kind, owner_id, parcel_id, amount_satang, working, due_date, status)
      SELECT 'X' || i, 2569, 'land-building', gen_random_uuid(), gen_random_uuid(), i, to_jsonb(repeat('x', ${width.w})), '2026-04-30', 'open'
      FROM generate_series(1, ${result.billsIssued}) i`);
    const baselineMs = performance.now() - b;
    process.send?.({
      kind: db.kind,
      bills: result.billsIssued,
      totalMs,
      ...timing,
      baselineMs,
      openRssMb,
      peakRssMb: rss,
      heapMb,
      cpuMs: (cpu.user + cpu.system) / 1000,
      collectedAtOpen: gc !== undefined,
      memory,
    });
  }
} finally {
  await db.close();
}
