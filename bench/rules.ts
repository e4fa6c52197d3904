// Rules benchmark (issue 5): the ingestion stream (MQTT → worker → readings) with no rules, then with
// 1,000 active rules on the same devices, in the same run and process. Reports readings/s of both and
// their ratio (target: rules cost ≤ 20 % of throughput), and, with rules, the time from a reading's
// commit to the alert it raised being visible, p50/p99 (target: p99 ≤ 1 s), measured two ways per
// alert: until its transaction committed (the evaluator says which reading raised it) and until a
// separate reader polling alert_alerts every 25 ms saw the row (what an API client would see).
// PGlite by default (a temp dir); PostgreSQL with DATABASE_URL (a scratch database, dropped after).
// The embedded broker unless MQTT_URL is set.
// --swing low (default): each device's pm25 wanders a little inside every threshold, and about 2 % of
// uplinks spike past them (and fall back on the device's next uplink), as a city's sensors would;
// --swing worst: every device's value sweeps through the thresholds all the time (~12 alerts raised
// and as many resolved per reading), an alert storm kept measurable.
// Cold and steady state: the run with rules starts with every (rule, device) state cold (its first
// batch loads and rebuilds them all); a second run with rules follows at once ("warm"), the states
// kept, as a platform that has been running a while would evaluate. Both are reported, each with its
// ratio to the no-rules run and its reading → alert times. `--warmup N` first sends N uplinks that are
// not timed, before the no-rules run (the ingestion path warmed too: JIT, connections, device cache).
// Per run also: the evaluator's busy time (stepping plus alert transactions, which overlap), its
// batches, and the CPU seconds of this process and of the scratch database's PostgreSQL backends.
// Run: npx tsx bench/rules.ts [--devices 200] [--uplinks 5000] [--rules 1000] [--swing low|worst]
//   [--warmup 0] [--batch-ms 1000] (the evaluator's time cap per batch; Infinity for none)
// Informational: never exits non-zero because a target is missed.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import pino from 'pino';
import { Events } from '../src/core/events/outbox.ts';
import { startBroker } from '../src/core/mqtt/broker.ts';
import { seedOrganisation } from '../src/core/org/seed.ts';
import { scratchDatabase } from '../src/core/testing/scratch.ts';
import { AlertService } from '../src/platform/alerts/service.ts';
import { contextService } from '../src/platform/context/service.ts';
import { DeviceRepository } from '../src/platform/devices/repository.ts';
import { IngestWorker } from '../src/platform/ingestion/worker.ts';
import { RuleEvaluator } from '../src/platform/rules/evaluator.ts';
import type { RuleInput } from '../src/platform/rules/model.ts';
import { RuleRepository } from '../src/platform/rules/repository.ts';
import { openAndMigrate } from '../src/server.ts';
import { removeTempDir, tempDir } from './lib.ts';
import { backendsOf, machine, printTable, processCpu } from './report.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    uplinks: { type: 'string', default: '5000' },
    rules: { type: 'string', default: '1000' },
    swing: { type: 'string', default: 'low' },
    'batch-ms': { type: 'string' },
    warmup: { type: 'string', default: '0' },
  },
});
const DEVICES = Number(values.devices);
const UPLINKS = Number(values.uplinks);
const RULES = Number(values.rules);
const WARMUP = Number(values.warmup);
const SWING = values.swing === 'worst' ? 'worst' : 'low';
// The evaluator's time cap per batch (reading-queue.ts `batchMs`); `Infinity` takes all that waits.
const BATCH_MS = values['batch-ms'] === undefined ? undefined : Number(values['batch-ms']);
if (values.swing !== SWING) throw new Error('--swing is low or worst');
const log = pino({ level: 'warn' });

const pct = (xs: number[], p: number) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  const dir = tempDir('mueang-bench-rules-');
  const scratch = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : null;
  const db = await openAndMigrate({ DATABASE_URL: scratch?.url, DATA_DIR: join(dir, 'data') }, []);
  const broker = await startBroker({
    mqttUrl: process.env.MQTT_URL,
    port: 0,
    portExplicit: false,
    host: '127.0.0.1',
    log,
  });
  const app = `bench-${randomBytes(4).toString('hex')}`;
  try {
    const offices = await seedOrganisation(db);
    const office = offices.get('health-environment')!;
    const repo = new DeviceRepository(db);
    const euis: string[] = [];
    const deviceIds: string[] = [];
    let profileId = '';
    await db.transaction(async (tx) => {
      const p = await repo.insertProfile(tx, {
        name: `bench ${app}`,
        decoder: { kind: 'json' },
        quantities: [
          { field: 'pm25', quantity: 'pm25' },
          { field: 'level', quantity: 'waterLevel' },
        ],
        entityType: 'Device',
      });
      profileId = p.id;
      for (let i = 0; i < DEVICES; i++) {
        const devEui = randomBytes(8).toString('hex');
        euis.push(devEui);
        const d = await repo.insertDevice(tx, {
          devEui,
          name: `bench ${i}`,
          profileId: p.id,
          officeId: office,
          lon: 102.8 + (i % 50) * 0.001,
          lat: 16.4 + Math.floor(i / 50) * 0.001,
          zoneCode: `zone-${(i % 4) + 1}`,
          installedOn: null,
          tags: [],
        });
        deviceIds.push(d.id);
      }
    });

    // The outbox dispatcher is not started during the runs (its cost is timed apart, below).
    const events = new Events(db, log);
    const alerts = new AlertService(db, events, 'mueang@bench', { th: 'bench', en: 'bench' });
    // Which reading raised each alert, and when that alert's transaction committed.
    const fires: { key: string; at: number; committed: number }[] = [];
    const evaluator = new RuleEvaluator(db, alerts, log, {
      queue: { batchMs: BATCH_MS },
      onCommitted: (changes) => {
        const committed = performance.now();
        for (const c of changes)
          if (c.transition === 'fire') fires.push({ key: `${c.ruleId}|${c.subject}`, at: c.at, committed });
      },
    });
    evaluator.start();
    // The evaluator's busy time per run: stepping its batches (state loads included) plus their alert
    // transactions (the two overlap: a batch is stepped while the one before commits).
    const busyNow = () => evaluator.stats.steppingMs + evaluator.stats.committingMs;
    let rulesOn = false;
    /** Which timed run a reading with rules belongs to (its alerts' times are reported per run). */
    let phase = 0;
    const received = new Map<number, number>();
    const readingCommitted = new Map<string, { at: number; phase: number }>();
    const commitLag: number[] = [];
    const worker = new IngestWorker({
      db,
      context: contextService(db),
      log,
      brokerUrl: broker.url,
      embedded: broker.embedded,
      shareGroup: app,
      clientId: `${app}-worker`,
      afterCommit: async (rows) => {
        const committed = performance.now();
        for (const r of rows) {
          const t = Date.parse(r.observedAt);
          const sent = received.get(t);
          if (sent !== undefined) commitLag.push(committed - sent);
          if (rulesOn) readingCommitted.set(`${r.deviceId}|${t}`, { at: committed, phase });
        }
        // As src/server.ts wires it: queued, the worker waits only when the queue is full.
        if (rulesOn) await evaluator.enqueue(rows);
      },
    });
    await worker.start();
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: broker.embedded ? 4 : 5 });
    let clock = Date.parse('2026-11-01T00:00:00Z');

    // A reader apart from the evaluator, as an API client: new rule alerts as they become visible.
    // Each poll asks only for alerts raised after the newest one seen (an evaluation's alerts share its
    // transaction's start time, and evaluations run one after another, so the one in flight started
    // after every committed one), through the status index that the alert list uses: it once read every
    // rule alert of the last 20 seconds, through the whole table, every 25 ms, which kept a PostgreSQL
    // backend and this process busy and grew with the table (the warm run paid more than the cold one).
    const seen = new Map<string, { key: string; raisedAt: string; seenAt: number }>();
    let newest: string | null = null;
    let polling = false;
    const poll = async () => {
      while (polling) {
        const rows = await db.rows<{ id: string; key: string; raisedAt: string }>(
          sql`SELECT id, rule_id || '|' || subject AS key, to_json(raised_at)#>>'{}' AS "raisedAt"
            FROM alert_alerts WHERE status IN ('raised', 'acknowledged', 'resolved') AND source = 'rule'
              AND raised_at > greatest(now() - interval '20 seconds', ${newest}::timestamptz)`,
        );
        const now = performance.now();
        for (const r of rows) {
          if (!seen.has(r.id)) seen.set(r.id, { ...r, seenAt: now });
          if (newest === null || Date.parse(r.raisedAt) > Date.parse(newest)) newest = r.raisedAt;
        }
        await new Promise((ok) => setTimeout(ok, 25));
      }
    };

    // CPU seconds of this process and of the scratch database's PostgreSQL backends (each backend
    // counted from its first sight in a run; one that ends within the run loses what it used).
    const database = scratch ? new URL(scratch.url).pathname.slice(1) : null;
    const cpuNow = (pids: number[]) => {
      let backends = 0;
      for (const s of processCpu(pids).values()) backends += s;
      const u = process.cpuUsage();
      return { node: (u.user + u.system) / 1e6, backends };
    };
    async function run(label: string, uplinks = UPLINKS) {
      commitLag.length = 0;
      const busyBefore = busyNow();
      const batchesBefore = evaluator.stats.batches;
      const pids = database ? backendsOf(database) : [];
      const cpuBefore = cpuNow(pids);
      const before = worker.stats.readings;
      const start = performance.now();
      // In windows of 200 in flight, as gateways would send them: the worker commits them in batches.
      const inFlight: Promise<unknown>[] = [];
      for (let i = 0; i < uplinks; i++) {
        clock += 1000;
        // Each device's value moves from one uplink of it to the next (by 17 in 40 steps), so thresholds
        // are crossed and cleared and rates fire and clear all through the run. (An earlier formula gave
        // each device one constant value: every alert fired on the first reading and none resolved.)
        const round = Math.floor(i / DEVICES);
        const d = i % DEVICES;
        // low: 22–28 (under every threshold, no rate beyond 5/min), 1 uplink in 50 at 70 (a spike).
        const pm25 =
          SWING === 'worst'
            ? 20 + ((round * 17 + d * 7) % 40)
            : (round * 31 + d * 17) % 50 === 7
              ? 70
              : 22 + ((round * 5 + d * 3) % 7);
        received.set(clock, performance.now());
        inFlight.push(
          pub.publishAsync(
            `application/${app}/device/${euis[d]}/event/up`,
            JSON.stringify({
              deduplicationId: randomBytes(8).toString('hex'),
              time: new Date(clock).toISOString(),
              deviceInfo: { tenantId: 't', applicationId: app, deviceName: 'b', devEui: euis[d] },
              fCnt: i,
              fPort: 1,
              object: { pm25, level: 1 + ((round + i) % 10) / 10 },
            }),
            { qos: 1 },
          ),
        );
        if (inFlight.length >= 200) await Promise.all(inFlight.splice(0));
      }
      await Promise.all(inFlight);
      while (worker.stats.readings - before < uplinks * 2) {
        await new Promise((r) => setTimeout(r, 20));
        await worker.drain();
      }
      const ingested = (performance.now() - start) / 1000;
      // Throughput counts until the rules have caught up too, so a queue left behind is not a gain.
      await evaluator.settled();
      const seconds = (performance.now() - start) / 1000;
      const n = worker.stats.readings - before;
      // Backends that appeared during the run count from zero.
      const later = database ? backendsOf(database).filter((p) => !pids.includes(p)) : [];
      const cpuAfter = cpuNow(pids);
      const cpu = {
        node: cpuAfter.node - cpuBefore.node,
        backends: cpuAfter.backends - cpuBefore.backends + cpuNow(later).backends,
      };
      const busy = busyNow() - busyBefore;
      const batches = evaluator.stats.batches - batchesBefore;
      return {
        label,
        rate: n / seconds,
        ingestRate: n / ingested,
        commit: [...commitLag],
        busy,
        cpu,
        batches,
      };
    }

    if (WARMUP > 0) await run('warm-up', WARMUP);
    const base = await run('no rules');
    const rules = new RuleRepository(db);
    await db.transaction(async (tx) => {
      const common = {
        category: 'env',
        urgency: 'expected',
        severity: 'moderate',
        certainty: 'observed',
      } as const;
      for (let i = 0; i < RULES; i++) {
        const scope: RuleInput['scope'] =
          i % 4 === 0
            ? { kind: 'device', deviceId: deviceIds[i % DEVICES] }
            : i % 4 === 1
              ? { kind: 'zone', zoneCode: `zone-${(i % 4) + 1}` }
              : i % 4 === 2
                ? { kind: 'profile', profileId }
                : { kind: 'device', deviceId: deviceIds[(i * 13) % DEVICES] };
        const params: RuleInput['params'] =
          i % 3 === 0
            ? { kind: 'threshold', op: 'above', value: 50 + (i % 10), forMinutes: 0, clearAt: 30 }
            : i % 3 === 1
              ? { kind: 'rate', op: 'rise', perMinute: 5, windowMinutes: 10 }
              : {
                  kind: 'combination',
                  mode: 'any',
                  conditions: [
                    { kind: 'threshold', op: 'above', value: 55, forMinutes: 1, clearAt: 40 },
                    { kind: 'rate', op: 'fall', perMinute: 5, windowMinutes: 10 },
                  ],
                };
        await rules.insert(
          tx,
          {
            name: { th: `กฎ ${i}`, en: `rule ${i}` },
            scope,
            quantity: i % 5 === 0 ? 'waterLevel' : 'pm25',
            params,
            ...common,
          },
          office,
        );
      }
    });
    await evaluator.refresh();
    rulesOn = true;
    polling = true;
    const poller = poll();
    const withRules = await run(`${RULES} rules`);
    phase = 1;
    const warm = await run(`${RULES} rules, warm`);
    await new Promise((ok) => setTimeout(ok, 500));
    polling = false;
    await poller;
    await pub.endAsync();
    await worker.stop();
    await evaluator.stop();
    const [{ n }] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM alert_alerts`);
    // The alert.* events the runs left in the outbox, delivered to a subscriber that does nothing: the
    // outbox's own cost (claim, mark delivered) that a platform pays on the same database as ingestion.
    events.subscribe('*', 'bench', () => {});
    const drainStart = performance.now();
    const delivered = await events.drain();
    const drainSeconds = (performance.now() - drainStart) / 1000;

    // The n-th alert seen of a (rule, device) is the n-th fire the evaluator committed for it.
    const byKey = new Map<string, typeof fires>();
    for (const f of fires) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
    const seenByKey = new Map<string, { raisedAt: string; seenAt: number }[]>();
    for (const a of seen.values()) seenByKey.set(a.key, [...(seenByKey.get(a.key) ?? []), a]);
    // Per timed run with rules: 0 the first (cold states), 1 the next (warm).
    const toCommitted: number[][] = [[], []];
    const toSeen: number[][] = [[], []];
    let unmatched = 0;
    for (const [k, list] of byKey) {
      const subject = k.split('|')[1];
      const visible = (seenByKey.get(k) ?? []).sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
      for (const [i, f] of list.entries()) {
        const committed = readingCommitted.get(`${subject}|${f.at}`);
        if (committed === undefined || !visible[i]) {
          unmatched++;
          continue;
        }
        toCommitted[committed.phase].push(f.committed - committed.at);
        toSeen[committed.phase].push(visible[i].seenAt - committed.at);
      }
    }

    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(`\nRules benchmark — ${machine()}, ${scratch ? 'PostgreSQL' : 'PGlite'}`);
    console.log(
      `${DEVICES} devices, ${UPLINKS} uplinks (2 readings each) per run, swing ${SWING}` +
        `${WARMUP ? `, ${WARMUP} uplinks of warm-up` : ''}: ${n} alerts raised in the two runs with rules` +
        ` (${(n / (UPLINKS * 4)).toFixed(2)} per reading)\n`,
    );
    printTable([
      [
        'run',
        'readings/s',
        'stored/s',
        'receive→commit p50',
        'p99',
        'evaluating',
        'batches',
        'CPU: node',
        'PostgreSQL',
      ],
      ...[base, withRules, warm].map((r) => [
        r.label,
        r.rate.toFixed(0),
        r.ingestRate.toFixed(0),
        ms(pct(r.commit, 50)),
        ms(pct(r.commit, 99)),
        r.busy ? `${(r.busy / 1000).toFixed(2)} s` : '',
        r.batches ? String(r.batches) : '',
        `${r.cpu.node.toFixed(2)} s`,
        database ? `${r.cpu.backends.toFixed(2)} s` : '',
      ]),
    ]);
    const matched = toCommitted[0].length + toCommitted[1].length;
    console.log(`\nreading committed → its alert (${matched} alerts matched, ${unmatched} not):`);
    printTable([
      ['until', 'run', 'alerts', 'p50', 'p99'],
      ...[0, 1].flatMap((i) => [
        [
          'the alert committed',
          i ? 'warm' : 'cold',
          String(toCommitted[i].length),
          ms(pct(toCommitted[i], 50)),
          ms(pct(toCommitted[i], 99)),
        ],
        [
          'a poller saw it',
          i ? 'warm' : 'cold',
          String(toSeen[i].length),
          ms(pct(toSeen[i], 50)),
          ms(pct(toSeen[i], 99)),
        ],
      ]),
    ]);
    console.log(
      `\noutbox: ${delivered} alert events delivered in ${drainSeconds.toFixed(1)} s` +
        ` (${(delivered / drainSeconds).toFixed(0)}/s, to a subscriber that does nothing)`,
    );
    const ratio = withRules.rate / base.rate;
    console.log(
      `\nthroughput with rules / without: ${ratio.toFixed(2)} (target ≥ 0.80)` +
        `\nqueue: the worker waited for room ${evaluator.queue.waits} times` +
        `\nreading→alert visible p99 ${ms(pct(toSeen[0], 99))} (target ≤ 1000 ms),` +
        ` ${(pct(toSeen[0], 99) / pct(base.commit, 99)).toFixed(2)}× the no-rules receive→commit p99`,
    );
    console.log(
      `steady state (warm run): throughput with rules / without ${(warm.rate / base.rate).toFixed(2)}` +
        ` (target ≥ 0.80), reading→alert visible p99 ${ms(pct(toSeen[1], 99))} (target ≤ 1000 ms)`,
    );
  } finally {
    await broker.close();
    await db.close();
    await scratch?.drop();
    removeTempDir(dir);
  }
}

await main();
