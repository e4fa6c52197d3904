// HTTP throughput benchmark: autocannon (100 connections, 10 s after a 2 s warm-up) against a bare Node
// http server and the platform's GET /healthz and GET /api/me (bearer token), one target at a time.
// Run: npx tsx bench/http.ts   (informational: never exits non-zero because a target is missed)
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon, { type Result } from 'autocannon';
import {
  demoToken,
  freePort,
  launch,
  type Proc,
  removeTempDir,
  startPlatform,
  tempDir,
  waitFor200,
} from './lib.ts';
import { withPglite } from './pglite.ts';
import { cpuSeconds, loadAverage, machine, printTable, verdict } from './report.ts';

const CONNECTIONS = 100;
// The platform logs at warn by default here (no access lines); `--log-level info` measures it with
// its access log on, as `npm start` runs by default (lines go to this process's pipe).
const logAt = process.argv.indexOf('--log-level');
const LOG_LEVEL = logAt > 0 ? (process.argv[logAt + 1] ?? 'warn') : 'warn';
const DURATION_S = 10;
const WARMUP_S = 2;
const TARGET_SHARE = 0.5; // the authenticated route should reach half the bare server's requests/s

/** Signs in as the demo citizen and creates an API token; returns it and the body of GET /api/me. */
async function citizenToken(url: string): Promise<{ token: string; meBody: string }> {
  const token = await demoToken(url, 'citizen@demo.local');
  const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  if (me.status !== 200) throw new Error(`GET /api/me with the token: ${me.status} ${await me.text()}`);
  return { token, meBody: await me.text() };
}

/** A bare node:http server in its own process, answering the same JSON bodies as the platform. */
async function bareServer(meBody: string): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const code = `const ok = '{"status":"ok"}', me = process.env.ME_BODY;
    require('http').createServer((q, s) => {
      s.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      s.end(q.url === '/api/me' ? me : ok);
    }).listen(process.env.PORT);`;
  const proc = launch(process.execPath, ['-e', code], { PORT: `${port}`, ME_BODY: meBody });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/healthz`, proc);
  return { proc, url };
}

async function hammer(url: string, headers: Record<string, string> = {}): Promise<Result> {
  await autocannon({ url, headers, connections: CONNECTIONS, duration: WARMUP_S });
  return autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S });
}

const row = (name: string, r: Result) => [
  name,
  r.requests.average.toFixed(0),
  `${r.latency.p50}`,
  `${r.latency.p99}`,
  `${r.non2xx}`,
  `${r.errors}`,
  (r.throughput.average / r.requests.average).toFixed(0),
];

async function main(): Promise<void> {
  console.log(`HTTP benchmark — ${machine()}`);
  console.log(
    `autocannon: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s per target`,
  );
  console.log("others' CPU: what other processes on the machine used during a target, % of one core");
  const dataDir = tempDir('mueang-bench-http-');
  const env = { RATE_LIMIT_ANON: '100000000', LOG_LEVEL };
  console.log(`platform LOG_LEVEL=${LOG_LEVEL}${LOG_LEVEL === 'info' ? ' (one access line a request)' : ''}`);
  console.log(`warming ${dataDir} (one untimed start + stop: migrations and demo seed) …`);
  await (await startPlatform(dataDir, env)).stop();
  const platform = await startPlatform(dataDir, env);
  let bare: { proc: Proc; url: string } | undefined;
  const results: Record<string, Result> = {};
  const others: Record<string, string> = {}; // CPU other processes used meanwhile, in % of one core
  let token = '';
  try {
    const signedIn = await citizenToken(platform.url);
    token = signedIn.token;
    const meBody = signedIn.meBody;
    bare = await bareServer(meBody);
    const auth = { authorization: `Bearer ${token}` };
    const targets: [string, string, Record<string, string>?][] = [
      ['bare GET /healthz', `${bare.url}/healthz`],
      ['mueang GET /healthz', `${platform.url}/healthz`],
      ['bare GET /api/me', `${bare.url}/api/me`],
      ['mueang GET /api/me (bearer)', `${platform.url}/api/me`, auth],
    ];
    const pids = [process.pid, bare.proc.pid, platform.pid, platform.serverPid];
    for (const [name, url, headers] of targets) {
      const [before, t0] = [cpuSeconds(pids), performance.now()];
      results[name] = await hammer(url, headers);
      const [after, seconds] = [cpuSeconds(pids), (performance.now() - t0) / 1000];
      const other = after.machine - before.machine - (after.ours - before.ours);
      others[name] = `${Math.max(0, (100 * other) / seconds).toFixed(0)} %`;
      console.log(
        `  ${name}: ${results[name].requests.average.toFixed(0)} req/s (others' CPU ${others[name]})`,
      );
    }
  } finally {
    await bare?.proc.stop();
    await platform.stop();
  }
  // Where the time of GET /api/me goes: its one database query (the token lookup in
  // src/core/auth/repository.ts), run back to back against PGlite alone on a copy of the data dir.
  const probe = await withPglite<{ lookupMs: number; select1Ms: number }>(dataDir, dbLoop(token));
  removeTempDir(dataDir);

  const rows = [['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'bytes/resp', "others' CPU"]];
  for (const [name, r] of Object.entries(results)) rows.push([...row(name, r), others[name]]);
  console.log('');
  printTable(rows);

  const rps = (name: string) => results[name].requests.average;
  const health = rps('mueang GET /healthz') / rps('bare GET /healthz');
  const me = rps('mueang GET /api/me (bearer)') / rps('bare GET /api/me');
  console.log(
    `\nmueang/bare requests/s: /healthz ${(100 * health).toFixed(1)} %, /api/me ${(100 * me).toFixed(1)} %`,
  );
  console.log(
    `target /api/me ≥ ${100 * TARGET_SHARE} % of bare: ${verdict(me >= TARGET_SHARE, 'MET', 'NOT MET')} (${(100 * me).toFixed(1)} %)`,
  );
  console.log(`${loadAverage()} at the end (this run's own load included)`);
  const perS = (ms: number) => (1000 / ms).toFixed(0);
  console.log(
    `PGlite alone, one query at a time: token lookup ${probe.lookupMs.toFixed(3)} ms (≤ ${perS(probe.lookupMs)}/s), ` +
      `SELECT 1 ${probe.select1Ms.toFixed(3)} ms (≤ ${perS(probe.select1Ms)}/s)`,
  );
}

/** ESM code for withPglite: mean ms per query over 3000 sequential runs, after 500 warm-up runs. */
function dbLoop(token: string): string {
  const hash = createHash('sha256').update(token).digest('hex');
  return `
    const lookup = \`SELECT u.id, u.role, u.email, t.id AS "tokenId",
        (t.last_used_at IS NULL OR t.last_used_at < now() - interval '5 minutes') AS stale
      FROM core_tokens t JOIN core_users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
        AND u.disabled_at IS NULL\`;
    const time = async (sql, params) => {
      for (let i = 0; i < 500; i++) await db.query(sql, params);
      const t = performance.now();
      for (let i = 0; i < 3000; i++) await db.query(sql, params);
      return (performance.now() - t) / 3000;
    };
    const found = await db.query(lookup, [${JSON.stringify(hash)}]);
    if (found.rows.length !== 1) throw new Error('token not found by the lookup query');
    return { lookupMs: await time(lookup, [${JSON.stringify(hash)}]), select1Ms: await time('SELECT 1', []) };`;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1); // the 'exit' hook in lib.ts kills what is still running and removes temp dirs
});
