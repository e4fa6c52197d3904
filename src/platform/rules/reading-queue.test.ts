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

  it('writes at a checkpoint only the states that hold more than the time of their last reading', async () => {
    const offices = await seedOrganisation(testDb.db);
    await testDb.db.transaction((tx) =>
      new RuleRepository(testDb.db).insert(
        tx,
        {
          name: { th: 'ระดับน้ำสูงนาน', en: 'Water high for a while' },
          scope: { kind: 'device', deviceId },
          quantity: 'waterLevel',
          params: { kind: 'threshold', op: 'above', value: 5, forMinutes: 10, clearAt: 4 },
          category: 'met',
          urgency: 'immediate',
          severity: 'severe',
          certainty: 'observed',
        },
        offices.get('engineering')!,
      ),
    );
    const evaluator = new RuleEvaluator(testDb.db, alerts, log);
    const step = async (m: number, v: number) => {
      await evaluator.onReadings([reading(deviceId, m, v)]);
      return evaluator.checkpoint();
    };
    // both rules normal, as on disk: nothing to write
    expect(await step(100, 1.0)).toBe(0);
    // the first fires (its state written with the alert), the second's duration is under way
    expect(await step(101, 6)).toBe(1);
    // both back to normal: the first's state goes with its resolution, the second's duration ends
    expect(await step(102, 1.0)).toBe(1);
    expect(await step(103, 1.1)).toBe(0);
    await evaluator.stop();
  });
});
