import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../testing/index.ts';
import { Events } from './outbox.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.dispose());

const log = pino({ level: 'silent' });

describe('outbox events', () => {
  it('publishes only when the transaction commits', async () => {
    const events = new Events(t.db, log);
    const seen: string[] = [];
    events.subscribe('user.created', 'collect', (e) => void seen.push(e.payload.userId));
    await expect(
      t.db.transaction(async (tx) => {
        await events.publish(tx, 'user.created', { userId: 'rolled-back', kind: 'citizen' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await t.db.transaction((tx) =>
      events.publish(tx, 'user.created', { userId: 'committed', kind: 'citizen' }),
    );
    await events.drain();
    expect(seen).toEqual(['committed']);
  });

  it('redelivers after a subscriber fails, at least once, in order', async () => {
    const events = new Events(t.db, log);
    const seen: string[] = [];
    let failOnce = true;
    events.subscribe('*', 'flaky', (e) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('temporary');
      }
      seen.push((e.payload as { userId: string }).userId);
    });
    await t.db.transaction(async (tx) => {
      await events.publish(tx, 'user.created', { userId: 'a', kind: 'staff' });
      await events.publish(tx, 'user.created', { userId: 'b', kind: 'staff' });
    });
    await events.drain();
    const [failed] = await t.db.rows<{ last_error: string; attempts: number }>(
      sql`SELECT last_error, attempts FROM core_outbox WHERE payload->>'userId' = 'a'`,
    );
    expect(failed.last_error).toContain('temporary');
    expect(seen).toEqual(['b']);
    // Make the retry due now instead of waiting for the back-off.
    await t.db.orm.execute(sql`UPDATE core_outbox SET available_at = now() WHERE delivered_at IS NULL`);
    await events.drain();
    expect(seen).toEqual(['b', 'a']);
  });

  it('survives a crash: an event claimed but never finished is delivered by the next process', async () => {
    const first = new Events(t.db, log);
    await t.db.transaction((tx) =>
      first.publish(tx, 'office.created', { officeId: 'x', code: 'crash-test' }),
    );
    // The first process claims the event (lease) and dies before marking it delivered.
    await t.db.orm.execute(sql`UPDATE core_outbox SET attempts = 1, available_at = now() - interval '1 second'
      WHERE payload->>'code' = 'crash-test'`);
    const second = new Events(t.db, log);
    const seen: string[] = [];
    second.subscribe('office.created', 'after-restart', (e) => void seen.push(e.payload.code));
    await second.drain();
    expect(seen).toContain('crash-test');
  });

  it('delivers in the background once started', async () => {
    const events = new Events(t.db, log, 50);
    const got = new Promise<string>((resolve) =>
      events.subscribe('office.created', 'bg', (e) => resolve(e.payload.code)),
    );
    events.start();
    await t.db.transaction((tx) =>
      events.publish(tx, 'office.created', { officeId: 'y', code: 'background' }),
    );
    expect(await got).toBe('background');
    await events.stop();
  });
});
