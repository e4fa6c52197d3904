// NGSI-LD broker benchmark (issue 3): (a) single-attribute PATCH updates/s under 50 concurrent clients,
// (b) GET /entities?type=…&q=… and a `near` geo-query at 100,000 entities (1,000,000 with --million),
// requests/s and p95, (c) batch upsert entities/s. Each against the same operation done by direct SQL
// on the same database in the same run, after the platform has stopped (PGlite allows one connection).
// HTTP load comes from autocannon; each operation's CPU per request is split into load generator, server
// process and the scratch database's backends, so a rate can be read against where its CPU went.
// PGlite by default (DATA_DIR in a temp dir, as `npm start`); PostgreSQL with DATABASE_URL (a scratch
// database on that server, dropped afterwards).
// Run: npx tsx bench/ngsi-ld.ts [--million] [--entities N] [--seconds 10] [--clients 50] [--batch 20000]
// Informational: never exits non-zero because a target is missed.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/core/db/index.ts';
import { activeContext } from '../src/platform/context/jsonld.ts';
import { planCreate } from '../src/platform/context/merge.ts';
import type { Entity } from '../src/platform/context/model.ts';
import { compileQuery } from '../src/platform/context/query.ts';
import { ContextRepository } from '../src/platform/context/repository.ts';
import { readFragment } from '../src/platform/context/validate.ts';
import { openAndMigrate } from '../src/server.ts';
import { demoToken, removeTempDir, startPlatform, tempDir } from './lib.ts';
import { backendsOf, cpuSeconds, loadAverage, machine, printTable, processCpu } from './report.ts';

const { values } = parseArgs({
  options: {
    million: { type: 'boolean', default: false },
    entities: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '50' },
    batch: { type: 'string', default: '20000' },
  },
});
const ENTITIES = Number(values.entities ?? (values.million ? 1_000_000 : 100_000));
const SECONDS = Number(values.seconds);
const WARMUP_S = 2;
const CLIENTS = Number(values.clients);
const BATCH_TOTAL = Number(values.batch);
const BATCH_SIZE = 1000;
const TARGETS = { updates: 4000, queries: 2000, p95: 25, upserts: 30_000 };

const envUrl =
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld';
const link = `<${envUrl}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
const ctx = activeContext(envUrl);
const type = 'AirQualityObserved';
const levels = ['good', 'moderate', 'poor'];
// Khon Kaen city centre, ~7.5 km square.
const [west, south, span] = [102.8, 16.39, 0.07];

/** A pseudo-random but repeatable number in [0, 1) for entity i and salt s. */
const rand = (i: number, s: number) => (((i * 2654435761 + s * 40503) >>> 0) % 1_000_003) / 1_000_003;
const point = (i: number) => [
  +(west + span * rand(i, 1)).toFixed(6),
  +(south + span * rand(i, 2)).toFixed(6),
];

/** A small AirQualityObserved in normalized form (what the batch upsert sends). */
function entity(id: string, i: number): Record<string, unknown> {
  return {
    id,
    type,
    no2: { type: 'Property', value: Math.floor(200 * rand(i, 3)), unitCode: 'GQ' },
    pm25: { type: 'Property', value: Math.floor(100 * rand(i, 4)), unitCode: 'GQ' },
    airQualityLevel: { type: 'Property', value: levels[i % 3] },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: point(i) } },
  };
}

/** Loads N entities of the same shape straight into ctx_entities (set-up, not measured against anything). */
async function generate(db: Db, n: number): Promise<void> {
  const iri = (term: string) => ctx.expand(term);
  for (let from = 1; from <= n; from += 100_000) {
    const to = Math.min(n, from + 99_999);
    await db.orm.execute(sql`INSERT INTO ctx_entities (tenant, id, type, types, attrs, location, created_at, modified_at)
      SELECT '', 'urn:ngsi-ld:AirQualityObserved:b' || i, ${iri(type)}::text, ARRAY[${iri(type)}::text],
        jsonb_build_object(
          ${iri('no2')}::text, jsonb_build_object('type', 'Property', 'value', (i * 7919) % 200, 'unitCode', 'GQ'),
          ${iri('pm25')}::text, jsonb_build_object('type', 'Property', 'value', (i * 104729) % 100, 'unitCode', 'GQ'),
          ${iri('airQualityLevel')}::text, jsonb_build_object('type', 'Property', 'value', (ARRAY['good','moderate','poor'])[(1 + i % 3)::int]),
          ${iri('location')}::text, jsonb_build_object('type', 'GeoProperty', 'value',
            jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(lon, lat)))),
        ST_SetSRID(ST_MakePoint(lon, lat), 4326), now(), now()
      FROM generate_series(${from}::bigint, ${to}::bigint) i,
        LATERAL (SELECT round((${west}::float8 + ${span}::float8 * ((i * 48271) % 100003) / 100003.0)::numeric, 6)::float8 AS lon,
          round((${south}::float8 + ${span}::float8 * ((i * 69621) % 100019) / 100019.0)::numeric, 6)::float8 AS lat) p`);
  }
  await db.orm.execute(sql`ANALYZE ctx_entities`);
}

interface Measured {
  perS: number;
  p50: number;
  p95: number;
  errors: number;
  firstError?: string;
  /** CPU µs per operation of the load generator, the platform's server process and the database's backends. */
  cpu?: { client: number; server: number; database: number; machine: number };
}

/** Whose CPU `load` counts: the platform's server process (none for direct SQL) and the scratch database. */
const counted: { server: number | null; database: string | null } = { server: null, database: null };

function cpuSnapshot(): { procs: Map<number, number>; client: number; machine: number } {
  const pids = [
    ...(counted.server ? [counted.server] : []),
    ...(counted.database ? backendsOf(counted.database) : []),
  ];
  const usage = process.cpuUsage();
  return {
    procs: processCpu(pids),
    client: (usage.user + usage.system) / 1e6,
    machine: cpuSeconds([]).machine,
  };
}

/** CPU µs per operation between two snapshots; a backend started in between counts whole. */
function cpuPerOp(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>, ops: number) {
  let server = 0;
  let database = 0;
  for (const [pid, s] of b.procs) {
    const d = s - (a.procs.get(pid) ?? 0);
    if (pid === counted.server) server += d;
    else database += d;
  }
  const us = (x: number) => (1e6 * x) / Math.max(1, ops);
  return {
    client: us(b.client - a.client),
    server: us(server),
    database: us(database),
    machine: us(b.machine - a.machine),
  };
}

/** `clients` loops calling `op` back to back for `seconds` (after a warm-up); operations/s and latency. */
async function load(
  op: (n: number) => Promise<void>,
  clients = CLIENTS,
  seconds = SECONDS,
): Promise<Measured> {
  let n = 0;
  const run = async (until: number, latencies: number[] | null, errs: string[]) => {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          const t = performance.now();
          try {
            await op(n++);
            latencies?.push(performance.now() - t);
          } catch (e) {
            errs.push(String(e).slice(0, 300));
          }
        }
      }),
    );
  };
  await run(performance.now() + WARMUP_S * 1000, null, []);
  const latencies: number[] = [];
  const errors: string[] = [];
  const before = cpuSnapshot();
  const t0 = performance.now();
  await run(t0 + seconds * 1000, latencies, errors);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuPerOp(before, cpuSnapshot(), latencies.length);
  return measured(latencies, elapsed, errors.length, errors[0], cpu);
}

/** Operations/s and latency percentiles of a timed run. */
function measured(
  latencies: number[],
  elapsed: number,
  errors: number,
  firstError: string | undefined,
  cpu: Measured['cpu'],
): Measured {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perS: latencies.length / elapsed, p50: at(0.5), p95: at(0.95), errors, firstError, cpu };
}

type Req = { method?: string; path?: string; body?: string };

/**
 * Like `load`, over HTTP with autocannon: `clients` connections each sending the request `next(n)` gives,
 * back to back. autocannon, not fetch, because fetch took about as much CPU a request as the server
 * it measured, on the same two cores.
 */
async function hammer(
  url: string,
  headers: Record<string, string>,
  next: (n: number) => Req,
): Promise<Measured> {
  let n = 0;
  const options = (duration: number) => ({
    url,
    connections: CLIENTS,
    duration,
    headers,
    requests: [{ headers, setupRequest: (req: Req) => ({ ...req, ...next(n++) }) }],
  });
  await autocannon(options(WARMUP_S));
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const before = cpuSnapshot();
  const t0 = performance.now();
  const result = await autocannon(options(SECONDS)).on('response', (_client, status, _bytes, ms) => {
    if (status < 300) latencies.push(ms);
    else {
      errors++;
      firstError ??= `HTTP ${status}`;
    }
  });
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuPerOp(before, cpuSnapshot(), latencies.length);
  return measured(latencies, elapsed, errors + result.errors + result.timeouts, firstError, cpu);
}

async function expectOk(res: Response): Promise<void> {
  const body = await res.text();
  if (res.status >= 300) throw new Error(`${res.status} ${body.slice(0, 200)}`);
}

const staffToken = (url: string) => demoToken(url, 'officer@demo.local');

const randomId = (n: number) => `urn:ngsi-ld:AirQualityObserved:b${1 + Math.floor(rand(n, 7) * ENTITIES)}`;
const queryParams = (n: number) => ({
  type,
  q: `no2>${Math.floor(200 * rand(n, 8))};airQualityLevel=="${levels[n % 3]}"`,
});
const nearParams = (n: number) => ({
  georel: 'near;maxDistance==200',
  geometry: 'Point',
  coordinates: JSON.stringify(point(n + 1_000_000)),
});
const batchBodies = (prefix: string) =>
  Array.from({ length: BATCH_TOTAL / BATCH_SIZE }, (_, b) =>
    Array.from({ length: BATCH_SIZE }, (_, k) => {
      const i = b * BATCH_SIZE + k;
      return entity(`urn:ngsi-ld:AirQualityObserved:${prefix}${i}`, i);
    }),
  );

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  console.log(`NGSI-LD benchmark — ${machine()}`);
  console.log(
    `${ENTITIES.toLocaleString('en')} entities, ${CLIENTS} clients, ${WARMUP_S} s warm-up + ${SECONDS} s per operation, ` +
      `batch upsert of ${BATCH_TOTAL.toLocaleString('en')} entities in batches of ${BATCH_SIZE}`,
  );
  let scratch: { url: string; drop(): Promise<void> } | null = null;
  if (databaseUrl) {
    const { scratchDatabase } = await import('../src/core/testing/scratch.ts');
    scratch = await scratchDatabase(databaseUrl);
    counted.database = new URL(scratch.url).pathname.slice(1);
  }
  const dataDir = tempDir('mueang-bench-ngsi-ld-');
  const config = { DATABASE_URL: scratch?.url, DATA_DIR: dataDir };
  const http: Record<string, Measured> = {};
  const direct: Record<string, Measured> = {};
  let kind = '';
  try {
    let t = performance.now();
    const setup = await openAndMigrate(config);
    kind = setup.kind;
    await generate(setup, ENTITIES);
    await setup.close();
    console.log(
      `${kind}: ${ENTITIES.toLocaleString('en')} entities generated by SQL in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const platform = await startPlatform(dataDir, {
      RATE_LIMIT_ANON: '100000000',
      DATABASE_URL: scratch?.url ?? '',
      LOG_LEVEL: 'error',
    });
    counted.server = platform.serverPid;
    try {
      const base = `${platform.url}/ngsi-ld/v1`;
      const token = await staffToken(platform.url);
      const staff = { authorization: `Bearer ${token}`, link, 'content-type': 'application/json' };

      // (c) batch upsert: 1,000 entities a request, one request at a time.
      const bodies = batchBodies('h');
      t = performance.now();
      for (const body of bodies)
        await expectOk(
          await fetch(`${base}/entityOperations/upsert`, {
            method: 'POST',
            headers: staff,
            body: JSON.stringify(body),
          }),
        );
      const batchS = (performance.now() - t) / 1000;
      http.upsert = { perS: BATCH_TOTAL / batchS, p50: 0, p95: 0, errors: 0 };
      console.log(`  http batch upsert: ${http.upsert.perS.toFixed(0)} entities/s`);

      // (a) single-attribute updates.
      http.update = await hammer(platform.url, staff, (n) => ({
        method: 'PATCH',
        path: `/ngsi-ld/v1/entities/${randomId(n)}/attrs/no2`,
        body: JSON.stringify({ value: n % 200 }),
      }));
      console.log(`  http PATCH attrs/no2: ${http.update.perS.toFixed(0)}/s (errors ${http.update.errors})`);

      // (b) queries, anonymous.
      const get = (params: Record<string, string>): Req => ({
        method: 'GET',
        path: `/ngsi-ld/v1/entities?${new URLSearchParams(params)}`,
      });
      http.query = await hammer(platform.url, { link }, (n) => get(queryParams(n)));
      console.log(`  http GET type+q: ${http.query.perS.toFixed(0)}/s p95 ${http.query.p95.toFixed(1)} ms`);
      http.near = await hammer(platform.url, { link }, (n) => get({ type, ...nearParams(n) }));
      console.log(`  http GET near: ${http.near.perS.toFixed(0)}/s p95 ${http.near.p95.toFixed(1)} ms`);
    } finally {
      await platform.stop();
      counted.server = null;
    }

    // The same operations by direct SQL, on the same database, the platform stopped.
    const db = await openAndMigrate(config);
    try {
      const repo = new ContextRepository(db);
      const no2 = ctx.expand('no2');
      direct.update = await load(async (n) => {
        const instance = JSON.stringify({ type: 'Property', value: n % 200, unitCode: 'GQ' });
        await db.orm.execute(sql`WITH u AS (UPDATE ctx_entities
            SET attrs = jsonb_set(attrs, ARRAY[${no2}], ${instance}::jsonb), modified_at = now()
            WHERE tenant = '' AND id = ${randomId(n)} RETURNING id)
          INSERT INTO ctx_attr_history (tenant, entity_id, attr, instance, observed_at, modified_at)
          SELECT '', id, ${no2}, ${instance}::jsonb, now(), now() FROM u`);
      });
      const compiled = (params: Record<string, string>) => {
        const c = compileQuery(params, ctx, true);
        return repo.query('', c.where, c);
      };
      direct.query = await load(async (n) => void (await compiled(queryParams(n))));
      direct.near = await load(async (n) => void (await compiled({ type, ...nearParams(n) })));
      // Batch upsert: the repository's statement a chunk (entities upsert and history insert in one), from
      // entities expanded and planned beforehand (no validation, JSON-LD, planning or audit timed).
      const at = new Date().toISOString();
      const planned: Entity[][] = batchBodies('d').map((chunk) =>
        chunk.map((e) => planCreate(readFragment(e, ctx, { needId: true, needType: true }), at).after!),
      );
      t = performance.now();
      for (const chunk of planned)
        await db.transaction(async (tx) => {
          const entries = chunk.flatMap((e) =>
            Object.entries(e.attrs).map(([attr, instance]) => ({
              id: e.id,
              attr,
              instance: instance as never,
            })),
          );
          await repo.write(tx, '', chunk, 'upsert', { entries, at });
        });
      direct.upsert = { perS: BATCH_TOTAL / ((performance.now() - t) / 1000), p50: 0, p95: 0, errors: 0 };
    } finally {
      await db.close();
    }
  } finally {
    await scratch?.drop();
    removeTempDir(dataDir);
  }

  const ratio = (k: string) => `${((100 * http[k].perS) / direct[k].perS).toFixed(1)} %`;
  const ms = (m: Measured) => (m.p95 ? m.p95.toFixed(1) : '');
  const rows = [
    ['operation', 'http /s', 'http p95 ms', 'SQL /s', 'SQL p95 ms', 'http / SQL', 'errors', 'target'],
  ];
  const targets: Record<string, string> = {
    update: `≥ ${TARGETS.updates}/s`,
    query: `≥ ${TARGETS.queries}/s, p95 ≤ ${TARGETS.p95} ms`,
    near: `≥ ${TARGETS.queries}/s, p95 ≤ ${TARGETS.p95} ms`,
    upsert: `≥ ${TARGETS.upserts}/s`,
  };
  const names: Record<string, string> = {
    update: `(a) PATCH one attribute, ${CLIENTS} clients`,
    query: `(b) GET type + q, ${CLIENTS} clients`,
    near: `(b) GET near;maxDistance==200, ${CLIENTS} clients`,
    upsert: `(c) batch upsert, entities`,
  };
  for (const k of ['update', 'query', 'near', 'upsert'])
    rows.push([
      names[k],
      http[k].perS.toFixed(0),
      ms(http[k]),
      direct[k].perS.toFixed(0),
      ms(direct[k]),
      ratio(k),
      `${http[k].errors}/${direct[k].errors}`,
      targets[k],
    ]);
  console.log(`\n${kind}, ${ENTITIES.toLocaleString('en')} entities`);
  printTable(rows);
  // Where the CPU of each operation went: on PGlite the database runs inside the server (or, for direct SQL,
  // inside the bench's own process, counted as its client).
  const cpuRows = [['CPU µs per operation', 'client', 'server', 'database', 'machine (all processes)']];
  for (const [side, measured] of [
    ['http', http],
    ['SQL', direct],
  ] as const)
    for (const k of ['update', 'query', 'near'])
      if (measured[k]?.cpu) {
        const c = measured[k].cpu!;
        cpuRows.push([
          `${side} ${k}`,
          ...[c.client, c.server, c.database, c.machine].map((x) => x.toFixed(0)),
        ]);
      }
  printTable(cpuRows);
  for (const [k, m] of [...Object.entries(http), ...Object.entries(direct)])
    if (m.firstError) console.log(`first error of ${k}: ${m.firstError}`);
  console.log(`${loadAverage()} at the end (this run's own load included)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.stack}\n${e.cause ?? ''}` : e);
  process.exit(1); // the 'exit' hook in lib.ts kills what is still running and removes temp dirs
});
