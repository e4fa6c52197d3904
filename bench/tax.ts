// Assess a whole city's register (200,000 parcels, 60,000 buildings, 20,000 signs) for a tax year and
// issue its bills. Prints records/s, where the time goes (database reads, computation, writes), peak
// RSS, and the write time as a ratio to a plain INSERT … SELECT of as many rows of the same width in
// the same database, same run. PGlite (on disk) by default; PostgreSQL with DATABASE_URL.
// Run: npx tsx bench/tax.ts [--parcels 200000 --buildings 60000 --signs 20000]
//
// The register is generated in one child process and assessed in another, so the assessment's peak
// RSS is its own: a process's peak RSS never comes down, and PGlite's WebAssembly memory only grows,
// so a register generated in the same process would count in the assessment's figure.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultHeapGrowingPercent } from '../src/core/db/index.ts';
import { npmStart } from './lib.ts';
import type { MemorySample } from './tax-phase.ts';

const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: '200000' },
    buildings: { type: 'string', default: '60000' },
    signs: { type: 'string', default: '20000' },
    // Records the assessment reads and writes at a time (the service's default is 2,000).
    page: { type: 'string' },
    // PGlite's `heapGrowingPercent` (src/core/db/index.ts; 0 = V8's default), to compare; the platform's default unless given.
    'heap-growing-percent': { type: 'string' },
  },
});
const size = {
  parcels: Number(values.parcels),
  buildings: Number(values.buildings),
  signs: Number(values.signs),
};
for (const [k, n] of Object.entries(size))
  if (!Number.isInteger(n) || n < 0 || n > 10_000_000) throw new Error(`--${k} must be a whole number`);
if (size.parcels < 1 || size.buildings > size.parcels)
  throw new Error('at least one parcel, at most one building each');

export interface Phase {
  phase: 'generate' | 'assess';
  size: typeof size;
  databaseUrl?: string;
  dataDir?: string;
  pageSize?: number;
  heapGrowingPercent?: number;
}

/** Runs a phase in a fresh Node process (same loader flags) and answers what it reports. */
function run<T>(phase: Phase): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./tax-phase.ts', import.meta.url)), [JSON.stringify(phase)], {
      stdio: 'inherit',
      // The assessment runs in the server, so with the V8 flags `npm start` gives it (package.json).
      execArgv: [...process.execArgv, ...startFlags],
    });
    let answer: T | undefined;
    child.on('message', (m) => {
      answer = m as T;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && answer !== undefined
        ? resolve(answer)
        : reject(new Error(`${phase.phase} exited with ${code}`)),
    );
  });
}

const startFlags = npmStart().args.filter((a) => a.startsWith('--'));

const url = process.env.DATABASE_URL;
let scratch: { url: string; drop(): Promise<void> } | null = null;
if (url) {
  const { scratchDatabase } = await import('../src/core/testing/scratch.ts');
  scratch = await scratchDatabase(url);
}
// PGlite keeps its files on disk here, as `npm start` does (in memory the whole city would count as RSS).
const dataDir = url ? undefined : mkdtempSync(join(tmpdir(), 'mueang-bench-tax-'));
try {
  const pageSize = values.page === undefined ? undefined : Number(values.page);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100_000))
    throw new Error('--page must be a whole number from 1 to 100000');
  const hgp = values['heap-growing-percent'];
  const heapGrowingPercent = hgp === undefined ? undefined : Number(hgp);
  if (heapGrowingPercent !== undefined && !(Number.isInteger(heapGrowingPercent) && heapGrowingPercent >= 0))
    throw new Error("--heap-growing-percent must be a whole number, 0 for V8's default");
  const common = { size, databaseUrl: scratch?.url, dataDir, pageSize, heapGrowingPercent };
  const g = await run<{ kind: string; ms: number; rssMb: number }>({ phase: 'generate', ...common });
  console.log(
    `register generated in ${(g.ms / 1000).toFixed(1)} s (${g.kind}; peak RSS of that process ${g.rssMb} MB)`,
  );
  const a = await run<{
    kind: string;
    bills: number;
    totalMs: number;
    loadMs: number;
    computeMs: number;
    writeMs: number;
    baselineMs: number;
    openRssMb: number;
    peakRssMb: number;
    heapMb: number;
    cpuMs: number;
    collectedAtOpen: boolean;
    memory: MemorySample[];
  }>({ phase: 'assess', ...common });
  const records = size.parcels + size.buildings + size.signs;
  const db = a.loadMs + a.writeMs;
  console.log(`
tax assessment, ${a.kind}: ${size.parcels} parcels, ${size.buildings} buildings, ${size.signs} signs → ${a.bills} bills, pages of ${pageSize ?? 2000}${a.kind === 'pglite' ? `, heap growing percent ${heapGrowingPercent ?? `${defaultHeapGrowingPercent} (default)`}` : ''}
  total            ${(a.totalMs / 1000).toFixed(1)} s   (${Math.round(records / (a.totalMs / 1000))} records/s)   target ≤ 60 s: ${a.totalMs <= 60_000 ? 'met' : 'MISSED'}
  database         ${(db / 1000).toFixed(1)} s   reads ${(a.loadMs / 1000).toFixed(1)} s, writes ${(a.writeMs / 1000).toFixed(1)} s = ${(a.writeMs / a.baselineMs).toFixed(2)} × a plain INSERT … SELECT of the same rows (${(a.baselineMs / 1000).toFixed(1)} s)
  computation      ${(a.computeMs / 1000).toFixed(1)} s
  other            ${((a.totalMs - db - a.computeMs) / 1000).toFixed(1)} s   (the audit entry, commit)
  CPU time         ${(a.cpuMs / 1000).toFixed(1)} s of the assessing process (${a.kind === 'pglite' ? 'PGlite runs in it, so this includes the database' : "the server's is not counted"}); other work on a shared machine stretches the total, much less this
  peak RSS         ${a.peakRssMb} MB   target ≤ 600 MB: ${a.peakRssMb <= 600 ? 'met' : 'MISSED'}
                   (${a.openRssMb} MB with the database open before the run${a.collectedAtOpen ? ", the opening's garbage collected first (--expose-gc)" : ''}; JS heap at the end ${a.heapMb} MB)
  memory over the run (MB; start, quarters, end, then the sample with the highest RSS):
${a.memory.map((m) => `    at ${String(m.s).padStart(6)} s  RSS ${m.rss}  JS heap ${m.heap}  buffers ${m.buffers}${a.kind === 'pglite' ? `  PGlite WebAssembly ${m.wasm} (resident ${m.wasmRes})` : ''}  malloc heap ${m.malloc}`).join('\n')}
`);
} finally {
  await scratch?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
