import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Actor, audit, systemActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import type { DomainEvent, Events } from '../../core/events/outbox.ts';
import { type Locale, msg } from '../../core/i18n.ts';
import { checkKeys, type PushTarget, type WebPush } from '../../core/push.ts';
import { pushText } from './notify-text.ts';

/** Browsers that may follow one complaint: enough for a family, too few to make it a mailing list. */
export const maxFollowers = 50;
/** A change older than this is not worth a notification any more. */
export const pushTtlSeconds = 3 * 24 * 3600;
/** Outbox attempts after which a push service that keeps failing is given up on for that change. */
export const maxPushAttempts = 6;
/** Messages in flight at once for one change. */
const concurrency = 8;

interface Follower {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  lang: Locale;
}

const serviceHost = (endpoint: string) => new URL(endpoint).host;

/**
 * Web push for complaints: a browser follows a complaint by its reference (the status page's own
 * rule: whoever has the reference sees the public view), and each public change the outbox hands to
 * `onNotify` is pushed to every follower, in the language it subscribed in. Only the reference and the
 * new status travel (encrypted), never a note or a description. Delivery never touches the change
 * itself: it runs from the outbox after the change committed.
 */
export class ComplaintsPush {
  constructor(
    private readonly db: Db,
    private readonly push: WebPush,
    private readonly log: FastifyBaseLogger,
  ) {}

  subscribe(events: Events): void {
    events.subscribe('complaints.notify', 'complaints.push', (e) => this.onNotify(e));
  }

  /** Adds (or renews) one browser's subscription; `created` is false when it was already there. */
  async follow(
    reference: string,
    target: PushTarget,
    lang: Locale,
    userId: string | null,
    actor: Actor,
  ): Promise<{ created: boolean }> {
    checkKeys(target.keys);
    const url = await this.push.checkEndpoint(target.endpoint);
    return this.db.transaction(async (tx) => {
      // Locking the request serialises concurrent follows, so the cap holds.
      const [r] = await this.db.rows<{ id: string; n: number; known: boolean }>(
        sql`
        SELECT r.id,
          (SELECT count(*)::int FROM complaints_push_subscriptions s WHERE s.request_id = r.id) AS n,
          EXISTS (SELECT 1 FROM complaints_push_subscriptions s
            WHERE s.request_id = r.id AND s.endpoint = ${target.endpoint}) AS known
        FROM complaints_requests r WHERE r.reference = ${reference} FOR UPDATE OF r`,
        tx,
      );
      if (!r) throw AppError.notFound('complaints.not_found');
      if (!r.known && r.n >= maxFollowers)
        throw AppError.conflict(
          'complaints.push_limit',
          msg('complaints.push_at_most', { max: maxFollowers }),
        );
      const [s] = await this.db.rows<{ id: string }>(
        sql`
        INSERT INTO complaints_push_subscriptions (request_id, endpoint, p256dh, auth, lang, user_id)
        VALUES (${r.id}, ${target.endpoint}, ${target.keys.p256dh}, ${target.keys.auth}, ${lang}, ${userId})
        ON CONFLICT (request_id, endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
          lang = EXCLUDED.lang, user_id = COALESCE(EXCLUDED.user_id, complaints_push_subscriptions.user_id)
        RETURNING id`,
        tx,
      );
      await audit(tx, actor, {
        action: r.known ? 'complaints.push.renew' : 'complaints.push.subscribe',
        resourceType: 'complaints.request',
        resourceId: reference,
        // The push service, not the endpoint: the endpoint is the browser's address and stays private.
        detail: { subscription: s.id, service: url.host },
      });
      return { created: !r.known };
    });
  }

  /** Removes one browser's subscription; whoever holds the endpoint (that browser) may. */
  async unfollow(reference: string, endpoint: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [s] = await this.db.rows<{ id: string }>(
        sql`
        DELETE FROM complaints_push_subscriptions s USING complaints_requests r
        WHERE r.id = s.request_id AND r.reference = ${reference} AND s.endpoint = ${endpoint}
        RETURNING s.id`,
        tx,
      );
      if (!s) throw AppError.notFound('complaints.push_not_found');
      await audit(tx, actor, {
        action: 'complaints.push.unsubscribe',
        resourceType: 'complaints.request',
        resourceId: reference,
        detail: { subscription: s.id, service: serviceHost(endpoint) },
      });
    });
  }

  async onNotify(event: DomainEvent<'complaints.notify'>): Promise<void> {
    const eventId = event.payload.eventId;
    const [n] = await this.db.rows<{
      kind: string;
      toStatus: string | null;
      reference: string;
      status: string;
      requestId: string;
    }>(sql`
      SELECT e.kind, e.to_status AS "toStatus", r.reference, r.status, r.id AS "requestId"
      FROM complaints_events e JOIN complaints_requests r ON r.id = e.request_id
      WHERE e.id = ${eventId}::bigint AND e.public`);
    if (!n) return;
    const followers = await this.db.rows<Follower>(sql`
      SELECT s.id, s.endpoint, s.p256dh, s.auth, s.lang FROM complaints_push_subscriptions s
      WHERE s.request_id = ${n.requestId} AND NOT EXISTS (SELECT 1 FROM complaints_push_sent p
        WHERE p.event_id = ${eventId}::bigint AND p.subscription_id = s.id)
      ORDER BY s.created_at`);
    let failed = 0;
    for (let i = 0; i < followers.length; i += concurrency) {
      const outcomes = await Promise.all(
        followers.slice(i, i + concurrency).map((f) => this.deliver(f, eventId, n)),
      );
      failed += outcomes.filter((ok) => !ok).length;
    }
    if (failed === 0) return;
    // The outbox retries with back-off; a push service down for hours is not worth more than that.
    if (event.attempts < maxPushAttempts)
      throw new Error(`${failed} of ${followers.length} pushes for ${n.reference} not accepted yet`);
    this.log.warn({ reference: n.reference, event: eventId, failed }, 'complaint pushes given up');
  }

  /** Sends one message; false when it should be tried again later. */
  private async deliver(
    f: Follower,
    eventId: string,
    n: { kind: string; toStatus: string | null; reference: string; status: string },
  ): Promise<boolean> {
    const message = pushText({ ...n, lang: f.lang, link: `/complaints/${n.reference}` });
    let status: number;
    try {
      status = await this.push.send(
        { endpoint: f.endpoint, keys: { p256dh: f.p256dh, auth: f.auth } },
        JSON.stringify(message),
        // One topic per complaint: a newer change replaces one the phone has not fetched yet.
        { ttl: pushTtlSeconds, topic: n.reference.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) },
      );
    } catch (err) {
      this.log.warn({ err, reference: n.reference, subscription: f.id }, 'web push not delivered');
      return false;
    }
    if (status === 404 || status === 410) {
      // The browser unsubscribed or the subscription expired (RFC 8030 §7.3): forget it.
      await this.db.transaction(async (tx) => {
        await tx.execute(sql`DELETE FROM complaints_push_subscriptions WHERE id = ${f.id}`);
        await audit(tx, systemActor, {
          action: 'complaints.push.expired',
          resourceType: 'complaints.request',
          resourceId: n.reference,
          detail: { subscription: f.id, service: serviceHost(f.endpoint), status },
        });
      });
      return true;
    }
    if (status === 429 || status >= 500) {
      this.log.warn({ reference: n.reference, subscription: f.id, status }, 'push service busy; will retry');
      return false;
    }
    // 2xx is delivered; any other 4xx (bad VAPID, too large) will not get better by trying again.
    if (status >= 300)
      this.log.warn(
        { reference: n.reference, subscription: f.id, status },
        'push service refused the message',
      );
    await this.db.orm.execute(sql`INSERT INTO complaints_push_sent (event_id, subscription_id, status)
      VALUES (${eventId}::bigint, ${f.id}, ${status}) ON CONFLICT DO NOTHING`);
    return true;
  }
}
