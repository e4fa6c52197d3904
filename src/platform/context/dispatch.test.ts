import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { NotificationDispatcher, type QueuedNotification, queueNotification } from './dispatch.ts';

const log = pino({ level: 'silent' });
let t: TestApp;

beforeAll(async () => {
  t = await testApp({ seed: false });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.db.orm.execute(sql`DELETE FROM ctx_notifications`);
});

async function queue(subscriptionId: string, n: number): Promise<void> {
  await t.db.transaction((tx) =>
    queueNotification(tx, {
      tenant: '',
      subscriptionId,
      notificationId: `urn:n:${subscriptionId}:${n}`,
      data: [{ n }],
    }),
  );
}

/** A promise with its resolver, to wait for an event without a clock. */
function signal<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('NGSI-LD notification dispatcher', () => {
  it('delivers another subscription’s notifications, in order, while one endpoint hangs', async () => {
    const arrived: string[] = [];
    const hangStarted = signal();
    const release = signal();
    const fastDone = signal();
    const slowDone = signal();
    const deliver = async (q: QueuedNotification) => {
      if (q.subscriptionId === 'urn:sub:slow') {
        hangStarted.resolve();
        await release.promise;
      }
      arrived.push(q.notificationId);
      if (q.notificationId === 'urn:n:urn:sub:fast:3') fastDone.resolve();
      if (q.notificationId === 'urn:n:urn:sub:slow:2') slowDone.resolve();
    };
    await queue('urn:sub:slow', 1);
    await queue('urn:sub:fast', 1);
    await queue('urn:sub:slow', 2);
    await queue('urn:sub:fast', 2);
    await queue('urn:sub:fast', 3);
    const d = new NotificationDispatcher(t.db, deliver, log, { concurrency: 2, pollMs: 50 });
    d.start();
    try {
      await hangStarted.promise;
      await fastDone.promise;
      // The slow subscription's first notification is still being delivered: nothing of it has arrived,
      // and its second waits behind it.
      expect(arrived).toEqual(['urn:n:urn:sub:fast:1', 'urn:n:urn:sub:fast:2', 'urn:n:urn:sub:fast:3']);
      const slow = await t.db.rows<{ id: string; attempts: number }>(
        sql`SELECT notification_id AS id, attempts FROM ctx_notifications
          WHERE subscription_id = 'urn:sub:slow' ORDER BY id`,
      );
      expect(slow).toEqual([
        { id: 'urn:n:urn:sub:slow:1', attempts: 1 },
        { id: 'urn:n:urn:sub:slow:2', attempts: 0 },
      ]);
      release.resolve();
      await slowDone.promise;
      expect(arrived.slice(3)).toEqual(['urn:n:urn:sub:slow:1', 'urn:n:urn:sub:slow:2']);
    } finally {
      release.resolve();
      await d.stop();
    }
    expect(await t.db.rows(sql`SELECT id FROM ctx_notifications`)).toEqual([]);
  });

  it('backs a failing subscription off without holding back the others, keeping its order', async () => {
    const arrived: string[] = [];
    const deliver = async (q: QueuedNotification) => {
      if (q.subscriptionId === 'urn:sub:down') throw new Error('connect ECONNREFUSED');
      arrived.push(q.notificationId);
    };
    await queue('urn:sub:down', 1);
    await queue('urn:sub:down', 2);
    await queue('urn:sub:up', 1);
    const d = new NotificationDispatcher(t.db, deliver, log);
    expect(await d.drain()).toBe(2); // the failing head once, then it backs off; its second waits behind it
    expect(arrived).toEqual(['urn:n:urn:sub:up:1']);
    const rows = await t.db.rows<{ id: string; attempts: number; error: string | null; later: boolean }>(
      sql`SELECT notification_id AS id, attempts, last_error AS error, available_at > now() AS later
        FROM ctx_notifications ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'urn:n:urn:sub:down:1', attempts: 1, error: 'connect ECONNREFUSED', later: true },
      { id: 'urn:n:urn:sub:down:2', attempts: 0, error: null, later: false },
    ]);
    // Once due again, the head goes first.
    await t.db.orm.execute(sql`UPDATE ctx_notifications SET available_at = now()`);
    const again: string[] = [];
    const d2 = new NotificationDispatcher(t.db, async (q) => void again.push(q.notificationId), log);
    expect(await d2.drain()).toBe(2);
    expect(again).toEqual(['urn:n:urn:sub:down:1', 'urn:n:urn:sub:down:2']);
  });

  it('drains a subscription whose head was delivered while the next claim was looking', async () => {
    await queue('urn:sub:race', 1);
    await queue('urn:sub:race', 2);
    const release = signal();
    const delivered = signal();
    const arrived: string[] = [];
    let claims = 0;
    // The second claim finds the first row still there (its delivery is under way), and its answer comes
    // back only after that delivery has finished: the order two pool connections can take on PostgreSQL.
    const db = Object.create(t.db, {
      rows: {
        value: async (query: Parameters<typeof t.db.rows>[0]) => {
          const rows = await t.db.rows(query);
          if (++claims === 2) {
            release.resolve();
            await delivered.promise;
          }
          return rows;
        },
      },
    }) as typeof t.db;
    const d = new NotificationDispatcher(
      db,
      async (q) => {
        await release.promise;
        arrived.push(q.notificationId);
      },
      log,
    );
    const drained = d.drain();
    // The first delivery's row is deleted and its run has ended before the second claim answers.
    while (arrived.length === 0 || d.pending > 0) await new Promise((ok) => setTimeout(ok, 5));
    delivered.resolve();
    expect(await drained).toBe(2);
    expect(arrived).toEqual(['urn:n:urn:sub:race:1', 'urn:n:urn:sub:race:2']);
  });

  it('does not take a row another process holds (a lease), and takes it when the lease has run out', async () => {
    await queue('urn:sub:a', 1);
    await t.db.orm.execute(
      sql`UPDATE ctx_notifications SET available_at = now() + interval '1 minute', attempts = 1`,
    );
    const got: QueuedNotification[] = [];
    const d = new NotificationDispatcher(t.db, async (q) => void got.push(q), log);
    expect(await d.drain()).toBe(0);
    await t.db.orm.execute(sql`UPDATE ctx_notifications SET available_at = now() - interval '1 second'`);
    expect(await d.drain()).toBe(1);
    expect(got.map((q) => [q.notificationId, q.attempts, q.data])).toEqual([
      ['urn:n:urn:sub:a:1', 2, [{ n: 1 }]],
    ]);
  });
});
