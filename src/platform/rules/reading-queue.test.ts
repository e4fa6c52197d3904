import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events } from '../../core/events/outbox.ts';
import { seedOrganisation } from '../../core/org/seed.ts';
import { freshDatabase, type TestDb } from '../../core/testing/index.ts';
import { AlertService } from '../alerts/service.ts';
import { DeviceRepository, type ReadingRow } from '../devices/repository.ts';
import { RuleEvaluator } from './evaluator.ts';
import { ReadingQueue } from './reading-queue.ts';
import { RuleRepository } from './repository.ts';

const log = pino({ level: 'silent' });
const t0 = Date.parse('2026-11-20T00:00:00Z');
const reading = (deviceId: string, m: number, value: number): ReadingRow => ({
  deviceId,
  observedAt: new Date(t0 + m * 60_000).toISOString(),
  quantity: 'waterLevel',
  value,
  fCnt: null,
});
/** Lets every promise that can settle now settle (a few turns of the event loop). */
const turns = async () => {
  for (let i = 0; i < 5; i++) await new Promise((ok) => setImmediate(ok));
};

describe('reading queue', () => {
  it('lets pushes through at once until full, then waits until the evaluator takes readings', async () => {
    const taken: number[][] = [];
    let release: () => void = () => {};
    const queue = new ReadingQueue(
      async (rows) => {
        taken.push(rows.map((r) => r.value));
        await new Promise<void>((ok) => {
          release = ok;
        });
      },
      log,
      { limit: 3, batch: 2 },
    );
    const done: number[] = [];
    const push = (v: number) => queue.push([reading('d', v, v)]).then(() => done.push(v));
    push(1); // taken at once by the evaluator, which then blocks
    await turns();
    expect(taken).toEqual([[1]]);
    push(2);
    push(3);
    push(4); // 3 waiting: full
    push(5);
    await turns();
    expect(done).toEqual([1, 2, 3, 4]);
    expect(queue.size).toBe(3);
    expect(queue.waits).toBe(1);
    release(); // the evaluator takes the next two (its batch): room for 5
    await turns();
    expect(taken).toEqual([[1], [2, 3]]);
    expect(done).toEqual([1, 2, 3, 4, 5]);
    release();
    await turns();
    release();
    await queue.idle();
    expect(taken).toEqual([[1], [2, 3], [4, 5]]);
    expect(queue.size).toBe(0);
  });

  it('takes fewer readings at a time when evaluations run long, in order', async () => {
    const taken: number[][] = [];
    const queue = new ReadingQueue(
      async (rows) => {
        taken.push(rows.map((r) => r.value));
        // far beyond batchMs per reading: the next evaluations take the least, 50
        await new Promise((ok) => setTimeout(ok, 20));
      },
      log,
      { batch: 10_000, batchMs: 1 },
    );
    await queue.push([reading('d', 0, 0)]);
    await queue.push(Array.from({ length: 120 }, (_, i) => reading('d', i + 1, i + 1)));
    await queue.idle();
    expect(taken.map((t) => t.length)).toEqual([1, 50, 50, 20]);
    expect(taken.flat()).toEqual(Array.from({ length: 121 }, (_, i) => i));
  });

  it('goes on after a failed evaluation, and idle() waits for everything pushed', async () => {
    const taken: number[] = [];
    const queue = new ReadingQueue(
      async (rows) => {
        if (rows[0].value === 1) throw new Error('broken rule');
        taken.push(...rows.map((r) => r.value));
      },
      log,
      { batch: 1 },
    );
    for (const v of [1, 2, 3]) await queue.push([reading('d', v, v)]);
    await queue.idle();
    expect(taken).toEqual([2, 3]);
  });

  it('steps the next readings while the last ones are written, one write outstanding; idle() waits for writes', async () => {
    const seen: string[] = [];
    const writes = new Map<number, () => void>();
    const queue = new ReadingQueue(
      async (rows) => {
        const v = rows[0].value;
        seen.push(`step ${v}`);
        // evaluated now; written when the test says so (an alert transaction under way)
        return {
          committed: new Promise<void>((ok) => writes.set(v, ok)).then(() => {
            seen.push(`written ${v}`);
          }),
        };
      },
      log,
      { batch: 1 },
    );
    await queue.push([reading('d', 1, 1)]);
    await turns();
    // 1 stepped, its write under way: 2 arrives and is stepped meanwhile
    await queue.push([reading('d', 2, 2)]);
    await turns();
    expect(seen).toEqual(['step 1', 'step 2']);
    // 3 waits: 1's write is still outstanding and 2's would be the second
    await queue.push([reading('d', 3, 3)]);
    await turns();
    expect(seen).toEqual(['step 1', 'step 2']);
    let idle = false;
    const settled = queue.idle().then(() => {
      idle = true;
    });
    writes.get(1)!();
    await turns();
    expect(seen).toEqual(['step 1', 'step 2', 'written 1', 'step 3']);
    writes.get(2)!();
    await turns();
    expect(idle).toBe(false); // 3's write is still under way
    writes.get(3)!();
    await settled;
    expect(seen).toEqual(['step 1', 'step 2', 'written 1', 'step 3', 'written 2', 'written 3']);
  });

  it('logs a failed write and goes on with the next readings', async () => {
    const written: number[] = [];
    const queue = new ReadingQueue(
      async (rows) => ({
        committed: (async () => {
          if (rows[0].value === 1) throw new Error('database gone');
          written.push(rows[0].value);
        })(),
      }),
      log,
      { batch: 1 },
    );
    for (const v of [1, 2, 3]) await queue.push([reading('d', v, v)]);
    await queue.idle();
    expect(written).toEqual([2, 3]);
  });
});

describe('queued readings through the evaluator', () => {
  let testDb: TestDb;
  let deviceId: string;
  let ruleId: string;
  let alerts: AlertService;

  beforeAll(async () => {
    testDb = await freshDatabase([]);
    const db = testDb.db;
    const offices = await seedOrganisation(db);
    const repo = new DeviceRepository(db);
    await db.transaction(async (tx) => {
      const profile = await repo.insertProfile(tx, {
        name: `level ${randomBytes(3).toString('hex')}`,
        decoder: { kind: 'json' },
        quantities: [{ field: 'level', quantity: 'waterLevel' }],
        entityType: 'Device',
      });
      deviceId = (
        await repo.insertDevice(tx, {
          devEui: randomBytes(8).toString('hex'),
          name: 'Canal gauge',
          profileId: profile.id,
          officeId: offices.get('engineering')!,
          lon: 102.81,
          lat: 16.45,
          zoneCode: 'zone-1',
          installedOn: null,
          tags: [],
        })
      ).id;
      ruleId = (
        await new RuleRepository(db).insert(
          tx,
          {
            name: { th: 'ระดับน้ำ', en: 'Water level' },
            scope: { kind: 'device', deviceId },
            quantity: 'waterLevel',
            params: { kind: 'threshold', op: 'above', value: 2, forMinutes: 0, clearAt: 1.8 },
            category: 'met',
            urgency: 'immediate',
            severity: 'severe',
            certainty: 'observed',
          },
          offices.get('engineering')!,
        )
      ).id;
    });
    alerts = new AlertService(db, new Events(db, log), 'mueang@test', { th: 'ทดสอบ', en: 'Test' });
  }, 60_000);
  afterAll(() => testDb?.dispose());

  it('evaluates what is still queued on stop, raising an alert for every crossing reading in order', async () => {
    const fired: number[] = [];
    const evaluator = new RuleEvaluator(testDb.db, alerts, log, {
      queue: { limit: 4, batch: 3 },
      onCommitted: (changes) => {
        for (const c of changes) if (c.transition === 'fire') fired.push(c.at);
      },
    });
    // 20 crossings and 20 clears, one reading per push as the worker's batches would come; nothing
    // awaits the evaluation, only room in the queue.
    const crossings: number[] = [];
    for (let i = 0; i < 40; i++) {
      const high = i % 2 === 0;
      const r = reading(deviceId, i, high ? 2.1 + i / 100 : 1.0);
      if (high) crossings.push(Date.parse(r.observedAt));
      await evaluator.enqueue([r]);
    }
    await evaluator.stop();
    expect(evaluator.queue.size).toBe(0);
    expect(fired).toEqual(crossings);
    const rows = await testDb.db.rows<{ status: string; description: string }>(
      sql`SELECT status, description_en AS description FROM alert_alerts WHERE rule_id = ${ruleId}`,
    );
    expect(rows.map((r) => r.status)).toEqual(Array(20).fill('resolved'));
    expect(rows.map((r) => r.description).sort()).toEqual(
      crossings.map((_, i) => `waterLevel = ${2.1 + (i * 2) / 100} (Canal gauge)`).sort(),
    );
    const [{ n }] = await testDb.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action LIKE 'alerts.rule.%'
        AND detail->>'ruleId' = ${ruleId}`,
    );
    expect(n).toBe(40);
  });

  it('writes at a checkpoint only firing flags that changed without an alert', async () => {
    const offices = await seedOrganisation(testDb.db);
    const common = {
      scope: { kind: 'device', deviceId },
      quantity: 'waterLevel',
      category: 'met',
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'observed',
    } as const;
    await testDb.db.transaction(async (tx) => {
      const rules = new RuleRepository(testDb.db);
      const office = offices.get('engineering')!;
      // a duration under way: rebuilt from stored readings, never a row of its own
      await rules.insert(
        tx,
        {
          ...common,
          name: { th: 'ระดับน้ำสูงนาน', en: 'Water high for a while' },
          params: { kind: 'threshold', op: 'above', value: 5, forMinutes: 10, clearAt: 4 },
        },
        office,
      );
      // both levels at once: the first may fire (hysteresis) while the rule does not
      await rules.insert(
        tx,
        {
          ...common,
          name: { th: 'ระดับน้ำสองระดับ', en: 'Water at both levels' },
          params: {
            kind: 'combination',
            mode: 'all',
            conditions: [
              { kind: 'threshold', op: 'above', value: 5, forMinutes: 0, clearAt: 4 },
              { kind: 'threshold', op: 'above', value: 8, forMinutes: 0, clearAt: 7 },
            ],
          },
        },
        office,
      );
    });
    const evaluator = new RuleEvaluator(testDb.db, alerts, log);
    const step = async (m: number, v: number) => {
      await evaluator.onReadings([reading(deviceId, m, v)]);
      return evaluator.checkpoint();
    };
    // all normal, as on disk: nothing to write
    expect(await step(100, 1.0)).toBe(0);
    // the first rule fires (its state written with the alert), the duration is under way (nothing),
    // the combination's first level fires without an alert: its flag is the one row
    expect(await step(101, 6)).toBe(1);
    // back to normal: the first rule's state goes with its resolution, the combination's flag is a row
    expect(await step(102, 1.0)).toBe(1);
    expect(await step(103, 1.1)).toBe(0);
    await evaluator.stop();
  });

  it('after a restart, evaluates stored readings the old process never took (a crash with readings queued)', async () => {
    const stored = [reading(deviceId, 200, 2.5), reading(deviceId, 201, 2.6)];
    await testDb.db.transaction((tx) => new DeviceRepository(testDb.db).insertReadings(tx, stored));
    // the reading at 200 was committed, but its process died before the rules took it
    const fired: number[] = [];
    const restarted = new RuleEvaluator(testDb.db, alerts, log, {
      onCommitted: (changes) => {
        for (const c of changes) if (c.ruleId === ruleId && c.transition === 'fire') fired.push(c.at);
      },
    });
    await restarted.onReadings([stored[1]]);
    await restarted.stop();
    expect(fired).toEqual([Date.parse(stored[0].observedAt)]);
    const rows = await testDb.db.rows<{ status: string; description: string }>(
      sql`SELECT status, description_en AS description FROM alert_alerts WHERE rule_id = ${ruleId}
        AND status <> 'resolved'`,
    );
    expect(rows).toEqual([{ status: 'raised', description: 'waterLevel = 2.5 (Canal gauge)' }]);
  });
  it('writes no state row for an alert raised and resolved within a batch, and a restart does not raise it again', async () => {
    const devices = new DeviceRepository(testDb.db);
    const store = (rows: ReadingRow[]) => testDb.db.transaction((tx) => devices.insertReadings(tx, rows));
    // whatever the tests before left: firing, then not (the row written with its resolution)
    const first = [reading(deviceId, 299, 3.3), reading(deviceId, 300, 1.0)];
    const flash = [reading(deviceId, 301, 3.4), reading(deviceId, 302, 1.0)];
    await store([...first, ...flash]);
    const evaluator = new RuleEvaluator(testDb.db, alerts, log);
    await evaluator.onReadings(first.slice(0, 1));
    await evaluator.onReadings(first.slice(1));
    await evaluator.onReadings(flash); // raised and resolved in one batch
    await evaluator.stop();
    const [row] = await testDb.db.rows<{ lastAt: number; firing: boolean }>(
      sql`SELECT (extract(epoch FROM last_at) * 1000)::float8 AS "lastAt", firing FROM rule_state
        WHERE rule_id = ${ruleId} AND subject = ${deviceId}`,
    );
    // as the first batch left it: the flags did not change in the second
    expect(row).toEqual({ lastAt: Date.parse(first[1].observedAt), firing: false });
    const progress = await new RuleRepository(testDb.db).progress([{ deviceId, quantity: 'waterLevel' }]);
    expect(progress.get(`${deviceId}|waterLevel`)).toBe(Date.parse(flash[1].observedAt));
    const flashed = sql`SELECT status FROM alert_alerts WHERE rule_id = ${ruleId}
      AND description_en = 'waterLevel = 3.4 (Canal gauge)'`;
    expect(await testDb.db.rows(flashed)).toEqual([{ status: 'resolved' }]);
    // a new process: the rebuild does not take 301 and 302 as readings never evaluated
    const next = [reading(deviceId, 303, 1.1)];
    await store(next);
    const restarted = new RuleEvaluator(testDb.db, alerts, log);
    expect(await restarted.onReadings(next)).toBe(0);
    await restarted.stop();
    expect(await testDb.db.rows(flashed)).toEqual([{ status: 'resolved' }]);
  });

  it('does not write a batch stepped while the alerts before it failed; its readings raise them later', async () => {
    const devices = new DeviceRepository(testDb.db);
    const store = (rows: ReadingRow[]) => testDb.db.transaction((tx) => devices.insertReadings(tx, rows));
    let fail: (() => void) | null = null;
    // the first raise waits, then fails (its transaction rolls back)
    const flaky = Object.create(alerts) as AlertService;
    flaky.raiseManyFromRule = async (inputs, on) => {
      if (inputs.length && fail === null) {
        await new Promise<void>((ok) => {
          fail = ok;
        });
        throw new Error('database gone');
      }
      return alerts.raiseManyFromRule(inputs, on);
    };
    const high = [reading(deviceId, 400, 3.55)];
    const low = [reading(deviceId, 401, 1.0)];
    await store([...high, ...low]);
    const evaluator = new RuleEvaluator(testDb.db, flaky, log);
    await evaluator.enqueue(high);
    for (let i = 0; i < 500 && !fail; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(fail).not.toBeNull();
    // stepped while the raise is under way: the clear it finds builds on an alert not yet written
    const stepped = evaluator.stats.steppingMs;
    await evaluator.enqueue(low);
    for (let i = 0; i < 500 && evaluator.stats.steppingMs === stepped; i++)
      await new Promise((ok) => setTimeout(ok, 10));
    expect(evaluator.stats.steppingMs).toBeGreaterThan(stepped);
    (fail as unknown as () => void)();
    await evaluator.settled();
    const raised = sql`SELECT status FROM alert_alerts WHERE rule_id = ${ruleId}
      AND description_en = 'waterLevel = 3.55 (Canal gauge)'`;
    expect(await testDb.db.rows(raised)).toEqual([]);
    // the next reading: the states start again from the stored readings, which raise and resolve it
    const next = [reading(deviceId, 402, 1.1)];
    await store(next);
    expect(await evaluator.onReadings(next)).toBe(2);
    await evaluator.stop();
    expect(await testDb.db.rows(raised)).toEqual([{ status: 'resolved' }]);
  });
});
