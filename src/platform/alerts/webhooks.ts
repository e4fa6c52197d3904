import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import type { DomainEvent } from '../../core/events/outbox.ts';
import { msg } from '../../core/i18n.ts';
import { isPublicAddress, publicOnlyLookup } from '../../core/public-address.ts';
import { sign } from './signing.ts';

/** Waits after the 1st, 2nd, … failed attempt (Standard Webhooks' suggested schedule, shortened). */
export const retryDelaysSeconds = [5, 60, 300, 1800, 7200, 18000];
export const maxAttempts = retryDelaysSeconds.length + 1;
const timeoutMs = 10_000;
const batch = 20;

export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const hookColumns = sql`id, name, url, events, enabled, created_at AS "createdAt", updated_at AS "updatedAt"`;
const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const toHook = (r: Webhook) => ({ ...r, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! });

/**
 * Outgoing webhooks for alert events. An outbox event becomes one delivery row per matching endpoint
 * (durable, idempotent per event); `runDue` posts what is due, signed, and schedules retries.
 */
export class Webhooks {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    /** Whether endpoints may be private or loopback addresses (ALERT_WEBHOOK_ALLOW_PRIVATE). */
    public allowPrivate: boolean,
  ) {}

  /** Refuses URLs that name or resolve to a non-public address unless private ones are allowed. */
  async checkUrl(raw: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw AppError.badRequest('alerts.webhook_url', msg('url.not_url'));
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password)
      throw AppError.badRequest('alerts.webhook_url', msg('url.http_no_credentials'));
    if (this.allowPrivate) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host)
      ? [host]
      : await lookup(host, { all: true }).then(
          (list) => list.map((a) => a.address),
          () => [] as string[],
        );
    if (addresses.length === 0)
      throw AppError.badRequest('alerts.webhook_url', msg('url.unresolved', { host }));
    if (addresses.some((a) => !isPublicAddress(a)))
      throw AppError.badRequest('alerts.webhook_private', msg('url.not_public', { host }));
  }

  async list(): Promise<Webhook[]> {
    return (
      await this.db.rows<Webhook>(sql`SELECT ${hookColumns} FROM alert_webhooks ORDER BY created_at`)
    ).map(toHook);
  }

  async get(id: string): Promise<Webhook> {
    const [row] = await this.db.rows<Webhook>(
      sql`SELECT ${hookColumns} FROM alert_webhooks WHERE id = ${id}`,
    );
    if (!row) throw AppError.notFound('alerts.webhook_not_found');
    return toHook(row);
  }

  /** Queues one delivery per enabled endpoint that wants this event. */
  async enqueue(event: DomainEvent): Promise<void> {
    const body = JSON.stringify({
      type: event.type,
      timestamp: new Date(event.createdAt).toISOString(),
      data: event.payload,
    });
    await this.db.orm.execute(sql`
      INSERT INTO alert_webhook_deliveries (webhook_id, event_id, event_type, body)
      SELECT id, ${event.id}, ${event.type}, ${body} FROM alert_webhooks
      WHERE enabled AND (cardinality(events) = 0 OR ${event.type} = ANY (events))
      ON CONFLICT (webhook_id, event_id) DO NOTHING`);
    this.kick();
  }

  async deliveries(webhookId: string, limit: number): Promise<Delivery[]> {
    const rows = await this.db.rows<Delivery>(sql`
      SELECT id, webhook_id AS "webhookId", event_id AS "eventId", event_type AS "eventType", status, attempts,
        next_attempt_at AS "nextAttemptAt", last_status AS "lastStatus", last_error AS "lastError",
        created_at AS "createdAt", delivered_at AS "deliveredAt"
      FROM alert_webhook_deliveries WHERE webhook_id = ${webhookId} ORDER BY created_at DESC, id LIMIT ${limit}`);
    return rows.map((r) => ({
      ...r,
      nextAttemptAt: iso(r.nextAttemptAt)!,
      createdAt: iso(r.createdAt)!,
      deliveredAt: iso(r.deliveredAt),
    }));
  }

  /** Posts every delivery due at `now`; returns how many were attempted. */
  async runDue(now = new Date()): Promise<number> {
    // Claiming pushes next_attempt_at past the timeout, so a second worker (or a crash) cannot double-send.
    const due = await this.db.rows<{
      id: string;
      eventId: string;
      body: string;
      attempts: number;
      url: string;
      secret: string;
    }>(sql`
      UPDATE alert_webhook_deliveries d SET next_attempt_at = ${now.toISOString()}::timestamptz + interval '5 minutes',
        attempts = d.attempts + 1
      FROM alert_webhooks w
      WHERE w.id = d.webhook_id AND d.id IN (
        SELECT id FROM alert_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
        ORDER BY next_attempt_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.event_id AS "eventId", d.body, d.attempts, w.url, w.secret`);
    for (const d of due) {
      const outcome = await this.post(d).catch((e: Error) => ({ status: null, error: e.message }));
      const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
      const final = !ok && d.attempts >= maxAttempts;
      const wait = retryDelaysSeconds[Math.min(d.attempts, retryDelaysSeconds.length) - 1];
      await this.db.orm.execute(sql`
        UPDATE alert_webhook_deliveries SET
          status = ${ok ? 'delivered' : final ? 'failed' : 'pending'},
          last_status = ${outcome.status}, last_error = ${ok ? null : (outcome.error ?? `answered ${outcome.status}`).slice(0, 500)},
          delivered_at = ${ok ? sql`now()` : sql`NULL`},
          next_attempt_at = ${now.toISOString()}::timestamptz + make_interval(secs => ${wait})
        WHERE id = ${d.id}`);
    }
    return due.length;
  }

  private post(d: { eventId: string; body: string; url: string; secret: string }) {
    const url = new URL(d.url);
    const timestamp = Math.floor(Date.now() / 1000);
    const id = `msg_${d.eventId}`;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<{ status: number | null; error?: string }>((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Mueang-Webhooks/1',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': sign(d.secret, id, timestamp, d.body),
          },
          timeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
          // The socket connects only to the address that was checked: no DNS rebinding into the network.
          ...(this.allowPrivate ? {} : { lookup: publicOnlyLookup as never }),
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? null }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
      request.on('error', reject);
      if (
        !this.allowPrivate &&
        isIP(url.hostname.replace(/^\[|\]$/g, '')) &&
        !isPublicAddress(url.hostname.replace(/^\[|\]$/g, ''))
      )
        return request.destroy(new Error(`${url.hostname} is not a public address`));
      request.end(d.body);
    });
  }

  start(pollMs = 5000): void {
    this.schedule(0, pollMs);
  }

  kick(): void {
    if (this.timer) this.schedule(50, 5000);
  }

  private schedule(ms: number, pollMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = (this.running ?? Promise.resolve())
        .then(() => this.runDue())
        .catch((err) => this.log.error({ err }, 'webhook delivery failed'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.schedule(pollMs, pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
