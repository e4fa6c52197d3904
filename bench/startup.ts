// Startup benchmark: wall time from spawn to `GET /readyz` = 200, and resident memory once started,
// for what `npm start` runs (package.json) on a warm data dir, against a bare Node http server.
// Run: npx tsx bench/startup.ts [--runs 3] [--database-url postgres://…]
//   --database-url: the platform on that PostgreSQL instead of the embedded PGlite (its share of the
//   memory is then outside the process); migrations and demo data go into that database.
// (informational: never exits non-zero because a target is missed)
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  descendants,
  freePort,
  launch,
  memory,
  removeTempDir,
  startPlatform,
  tempDir,
  waitFor200,
} from './lib.ts';
import { withPglite } from './pglite.ts';
import { cpuSeconds, loadAverage, machine, median, printTable, verdict } from './report.ts';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'database-url': { type: 'string' } },
});
const RUNS = Number(flags.runs);
const DATABASE_URL = flags['database-url'];
const platformEnv: Record<string, string> = DATABASE_URL ? { DATABASE_URL } : {};
const SETTLE_MS = 1000; // RSS is read this long after the first 200, once start-up work has settled
const TARGET_READY_S = 5;
const TARGET_RSS_MB = 350;

interface Run {
  readyS: number;
  rss: number;
  peak: number;
  treeRss?: number;
  othersCpu?: number;
}

async function bare(): Promise<Run> {
  const port = await freePort();
  const code = "require('http').createServer((q,s)=>s.end('{}')).listen(process.env.PORT)";
  const t0 = performance.now();
  const proc = launch(process.execPath, ['-e', code], { PORT: `${port}` });
  try {
    await waitFor200(`http://127.0.0.1:${port}/`, proc);
    const readyS = (performance.now() - t0) / 1000;
    await sleep(SETTLE_MS);
    return { readyS, ...memory(proc.pid) };
  } finally {
    await proc.stop();
  }
}

async function platform(dataDir: string): Promise<Run> {
  const [before, t0] = [cpuSeconds([process.pid]), performance.now()];
  const p = await startPlatform(dataDir, platformEnv);
  try {
    // CPU that other processes took meanwhile (the platform's processes did not exist at `before`).
    const after = cpuSeconds([process.pid, p.pid, p.serverPid]);
    const other = after.machine - before.machine - (after.ours - before.ours);
    const othersCpu = Math.max(0, (100 * other) / ((performance.now() - t0) / 1000));
    await sleep(SETTLE_MS);
    const server = memory(p.serverPid);
    // The whole process tree (a launcher, tsx's or esbuild's processes, if any were left running).
    const tree = [p.pid, ...descendants(p.pid)].reduce((sum, pid) => sum + memory(pid).rss, 0);
    return { readyS: p.readyS, ...server, treeRss: tree, othersCpu };
  } finally {
    await p.stop();
  }
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const mb = (n: number) => n.toFixed(0);

async function main(): Promise<void> {
  console.log(`Startup benchmark — ${machine()}`);
  console.log(`database: ${DATABASE_URL ? `PostgreSQL (${DATABASE_URL})` : 'embedded PGlite'}`);
  const dataDir = tempDir('mueang-bench-startup-');
  console.log(`warming ${dataDir} (one untimed start + stop: migrations and demo seed) …`);
  const warm = performance.now();
  await (await startPlatform(dataDir, platformEnv)).stop();
  console.log(`  first (cold) start + stop took ${fmt((performance.now() - warm) / 1000, 1)} s`);

  console.log("timed runs (others' CPU: what other processes on the machine used meanwhile, % of one core):");
  const bareRuns: Run[] = [];
  const appRuns: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    bareRuns.push(await bare());
    appRuns.push(await platform(dataDir));
    const b = bareRuns[i];
    const a = appRuns[i];
    console.log(
      `  run ${i + 1}: bare ${fmt(b.readyS, 3)} s ${mb(b.rss)} MB | ` +
        `mueang ${fmt(a.readyS)} s, server ${mb(a.rss)} MB (peak ${mb(a.peak)}), process tree ${mb(a.treeRss ?? 0)} MB; others' CPU ${fmt(a.othersCpu ?? 0, 0)} %`,
    );
  }
  // The database alone, in a plain node process: with PostGIS (as the platform opens it) and without.
  const none = { openS: 0, rss: 0 };
  const withGis = DATABASE_URL ? none : await withPglite<object>(dataDir, 'return {};');
  const noGis = DATABASE_URL ? none : await withPglite<object>(dataDir, 'return {};', false);
  removeTempDir(dataDir);

  const m = (runs: Run[], key: 'readyS' | 'rss' | 'peak' | 'treeRss') => median(runs.map((r) => r[key] ?? 0));
  const bareReady = m(bareRuns, 'readyS');
  const bareRss = m(bareRuns, 'rss');
  const appReady = m(appRuns, 'readyS');
  const appRss = m(appRuns, 'rss');
  const x = (n: number, d = 1) => `${fmt(n, d)}×`;
  console.log(`\nMedian of ${RUNS} runs (RSS = VmRSS ${SETTLE_MS} ms after the first 200):`);
  const rows = [
    ['', 'ready (s)', 'RSS (MB)', 'ready vs bare', 'RSS vs bare'],
    ['bare node http', fmt(bareReady, 3), mb(bareRss), '1×', '1×'],
    ['mueang (server process)', fmt(appReady), mb(appRss), x(appReady / bareReady, 0), x(appRss / bareRss)],
    ['mueang process tree', '', mb(m(appRuns, 'treeRss')), '', x(m(appRuns, 'treeRss') / bareRss)],
  ];
  if (!DATABASE_URL)
    rows.push(
      ['PGlite+PostGIS alone (open)', fmt(withGis.openS), mb(withGis.rss), '', x(withGis.rss / bareRss)],
      ['PGlite alone, no PostGIS', fmt(noGis.openS), mb(noGis.rss), '', x(noGis.rss / bareRss)],
    );
  printTable(rows);
  if (!DATABASE_URL)
    console.log(
      `\nPGlite+PostGIS alone = ${fmt((100 * withGis.rss) / appRss, 0)} % of the server's RSS ` +
        `(without PostGIS ${fmt((100 * noGis.rss) / appRss, 0)} %)`,
    );
  console.log(`server peak (VmHWM) ${mb(m(appRuns, 'peak'))} MB`);
  console.log(`${loadAverage()} at the end (this run's own load included)`);
  console.log(
    `target ready ≤ ${TARGET_READY_S} s: ${verdict(appReady <= TARGET_READY_S)} (${fmt(appReady)} s)`,
  );
  console.log(`target RSS ≤ ${TARGET_RSS_MB} MB: ${verdict(appRss <= TARGET_RSS_MB)} (${mb(appRss)} MB)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1); // the 'exit' hook in lib.ts kills what is still running and removes temp dirs
});
