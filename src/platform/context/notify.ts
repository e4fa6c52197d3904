import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Broker } from '../../core/mqtt/broker.ts';
import { publicOnlyLookup } from '../../core/public-address.ts';
import { coreContextUrl } from './contexts/index.ts';
import { type QueuedNotification, queueNotification } from './dispatch.ts';
import { endpointRefusal, type NotifyPolicy } from './endpoint-policy.ts';
import { linkHeader } from './jsonld.ts';
import type { Entity } from './model.ts';
import { renderEntity, valueKeys } from './render.ts';
import type { ContextRepository, LiveSubscription } from './repository.ts';
import type { Change, CommitInfo } from './service.ts';
import { type CompiledSubscription, compileSubscription, mqttTopic } from './subscriptions.ts';

/** Entities per notification: a batch that matches many entities sends several notifications. */
const perNotification = 100;
/** Attempts before a notification is given up (the dispatcher backs off 2, 4, 8… seconds between them). */
export const maxAttempts = 8;
const defaultTimeoutMs = 5_000;

function changedAttrs(c: Change): { created: string[]; updated: string[]; deleted: string[] } {
  const before = c.before?.attrs ?? {};
  const after = c.after?.attrs ?? {};
  const written = new Set(c.written.map(([a]) => a));
  const created: string[] = [];
  const updated: string[] = [];
  for (const a of written) {
    if (!(a in after)) continue;
    if (a in before) updated.push(a);
    else created.push(a);
  }
  const deleted = c.after ? Object.keys(before).filter((a) => !(a in after)) : [];
  return { created, updated, deleted };
}

/** Whether a change is one the subscription's triggers and watchedAttributes ask about. */
export function triggers(s: CompiledSubscription, c: Change): boolean {
  if (c.after === null) return c.before !== null && s.triggers.has('entityDeleted');
  const { created, updated, deleted } = changedAttrs(c);
  const relevant = (attrs: string[]) => (s.watched ? attrs.filter((a) => s.watched!.has(a)) : attrs);
  const all = [...created, ...updated, ...deleted];
  if (c.before === null && s.triggers.has('entityCreated') && (!s.watched || relevant(all).length))
    return true;
  if (c.before !== null && s.triggers.has('entityUpdated') && relevant(all).length) return true;
  if (s.triggers.has('attributeCreated') && relevant(created).length) return true;
  if (s.triggers.has('attributeUpdated') && relevant(updated).length) return true;
  if (s.triggers.has('attributeDeleted') && relevant(deleted).length) return true;
  return false;
}

/**
 * The entity a change is notified as: with `showChanges`, each updated single-instance attribute carries
 * its previous value (`previousValue`, `previousObject`…); with the `attributeDeleted` trigger, each
 * deleted attribute is there with the NGSI-LD Null (`urn:ngsi-ld:null`) as its value and `deletedAt`.
 */
export function notifiedEntity(s: CompiledSubscription, c: Change, deletedAt: string): Entity {
  const after = c.after!;
  if (!c.before || (!s.showChanges && !s.triggers.has('attributeDeleted'))) return after;
  const attrs = { ...after.attrs };
  const { updated, deleted } = changedAttrs(c);
  if (s.showChanges)
    for (const a of updated) {
      const prev = c.before.attrs[a];
      const now = attrs[a];
      if (Array.isArray(prev) || Array.isArray(now) || prev.type !== now.type) continue;
      const keys = valueKeys[now.type];
      if (!keys || JSON.stringify(prev[keys[0]]) === JSON.stringify(now[keys[0]])) continue;
      attrs[a] = { ...now, [keys[1]]: prev[keys[0]] };
    }
  if (s.triggers.has('attributeDeleted'))
    for (const a of deleted) {
      const prev = c.before.attrs[a];
      if (s.watched && !s.watched.has(a)) continue;
      const type = (Array.isArray(prev) ? prev[0]?.type : prev.type) ?? 'Property';
      attrs[a] = { type, [valueKeys[type]?.[0] ?? 'value']: 'urn:ngsi-ld:null', deletedAt };
    }
  return { ...after, attrs };
}

/**
 * Compiles stored subscriptions, reusing a compiled one while the stored row is unchanged: every write
 * looks at all of its tenant's subscriptions, and compiling each anew was most of that cost.
 */
export class SubscriptionCompiler {
  private readonly cache = new Map<string, { version: string; compiled: CompiledSubscription }>();

  constructor(
    private readonly repo: ContextRepository,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * The compiled subscription, or null when it can no longer be compiled (say its @context cannot be
   * resolved any more): then it is paused with the reason, so one broken subscription neither fails
   * every write of its tenant nor loses notifications without a word.
   */
  /** The compiled subscription if it was compiled at this version, else undefined (no work done). */
  cached(tenant: string, row: LiveSubscription): CompiledSubscription | undefined {
    const hit = this.cache.get(`${tenant}\u0000${row.id}`);
    return hit && hit.version === row.version ? hit.compiled : undefined;
  }

  async compile(tenant: string, row: LiveSubscription, on?: Executor): Promise<CompiledSubscription | null> {
    const key = `${tenant}\u0000${row.id}`;
    const hit = this.cached(tenant, row);
    if (hit) return hit;
    try {
      const compiled = compileSubscription(row.body, row.context);
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(key, { version: row.version, compiled });
      return compiled;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.log.warn({ err, tenant, subscription: row.id }, 'NGSI-LD subscription cannot be compiled: paused');
      await this.repo.pauseBroken(tenant, row.id, reason, on);
      return null;
    }
  }
}

/**
 * The matcher, an `onChange` listener: inside the writing transaction it finds the active subscriptions
 * the committed changes match and queues their notifications in `ctx_notifications`, so a change that was
 * answered 2xx has its notifications even if the process stops right after.
 */
export function matcher(
  repo: ContextRepository,
  compiler: SubscriptionCompiler,
  queued: () => void = () => {},
) {
  const listener = async (
    tx: Executor,
    tenant: string,
    changes: Change[],
    info?: CommitInfo,
  ): Promise<void> => {
    if (changes.length === 0) return;
    const subs = await repo.liveSubscriptions(tx, tenant, info?.subscriptions ?? null);
    if (subs.length === 0) return;
    const byId = new Map(changes.map((c) => [c.id, c]));
    const deletedAt = new Date().toISOString();
    for (const stored of subs) {
      const s = await compiler.compile(tenant, stored, tx);
      if (!s) continue;
      const hits = changes.filter((c) => triggers(s, c));
      if (hits.length === 0) continue;
      // The entity conditions (type, id, idPattern, q, geoQ) are checked on the rows just written, and for
      // a deleted entity on what it was.
      const updated = hits.filter((c) => c.after !== null).map((c) => c.id);
      const deleted = hits.filter((c) => c.after === null).map((c) => c.before!);
      const matched = [
        ...(updated.length ? await repo.matching(tx, tenant, updated, s.where) : []),
        ...(deleted.length ? await repo.matchingGone(tx, deleted, s.where) : []),
      ];
      if (matched.length === 0) continue;
      if (s.throttling !== null && !(await repo.takeThrottleTurn(tx, tenant, s.id, s.throttling))) continue;
      const data = matched.map((id) => {
        const c = byId.get(id)!;
        return c.after
          ? render(s, notifiedEntity(s, c, deletedAt))
          : { ...render(s, c.before!, true), deletedAt };
      });
      for (let i = 0; i < data.length; i += perNotification)
        await queueNotification(tx, {
          tenant,
          subscriptionId: s.id,
          notificationId: `urn:ngsi-ld:Notification:${randomUUID()}`,
          data: data.slice(i, i + perNotification),
        });
      queued();
    }
  };
  /**
   * Idle for changes that no live subscription (as last read, each compiled) is triggered by, as long as
   * the stored subscriptions are still the ones read; unsure (null) when the list or a subscription's
   * compiled form is not at hand.
   */
  const idle = (tenant: string, changes: Change[]): SQL | null => {
    const kept = repo.keptSubscriptions(tenant);
    if (!kept) return null;
    for (const stored of kept.rows) {
      const s = compiler.cached(tenant, stored);
      if (!s || changes.some((c) => triggers(s, c))) return null;
    }
    return repo.subscriptionsAre(tenant, kept.version);
  };
  return Object.assign(listener, { idle });
}

/** Entities a periodic notification carries at most (the first by id). */
export const maxPeriodicEntities = 1000;

/**
 * Periodic subscriptions (`timeInterval`): every second, the subscriptions whose period has passed
 * take their turn and queue a notification of the entities that match them now, in one transaction.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly repo: ContextRepository,
    private readonly log: FastifyBaseLogger,
    private readonly compiler = new SubscriptionCompiler(repo, log),
    private readonly queued: () => void = () => {},
  ) {}

  /** Queues the notifications that are due; returns how many subscriptions were due. */
  tick(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const due = await this.repo.duePeriodic(tx);
      for (const d of due) {
        const s = await this.compiler.compile(d.tenant, d, tx);
        if (!s) continue;
        const entities = await this.repo.matchingNow(tx, d.tenant, s.where, maxPeriodicEntities);
        for (let i = 0; i < entities.length; i += perNotification)
          await queueNotification(tx, {
            tenant: d.tenant,
            subscriptionId: s.id,
            notificationId: `urn:ngsi-ld:Notification:${randomUUID()}`,
            data: entities.slice(i, i + perNotification).map((e) => render(s, e)),
          });
      }
      if (due.length) this.queued();
      return due.length;
    });
  }

  start(everyMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err) => this.log.error({ err }, 'periodic NGSI-LD notifications failed'))
        .finally(() => {
          this.running = null;
        });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** An entity as the subscription asks for it; a deleted one as its id and type only. */
function render(s: CompiledSubscription, e: Entity, gone = false): Record<string, unknown> {
  return renderEntity(e, s.notifyCtx, gone ? { ...s.render, pick: new Set() } : s.render);
}

/**
 * Sends a queued notification (for the `NotificationDispatcher`): HTTP POST with
 * `fetch`, or an MQTT publish for `mqtt://host:port/topic` endpoints. A failure is recorded on the
 * subscription and thrown, so the dispatcher retries with back-off, up to `maxAttempts`.
 */
export class Notifier {
  private readonly clients = new Map<string, Promise<MqttClient>>();

  constructor(
    private readonly repo: ContextRepository,
    private readonly log: FastifyBaseLogger,
    private readonly broker: Broker | null = null,
    private readonly compiler = new SubscriptionCompiler(repo, log),
    private readonly policy: NotifyPolicy = { kind: 'any' },
  ) {}

  async deliver(event: QueuedNotification): Promise<void> {
    const { tenant, subscriptionId } = event;
    const row = await this.repo.liveSubscription(tenant, subscriptionId);
    // A subscription deleted, paused or expired since the change: its queued notifications are dropped.
    if (!row) return;
    const s = await this.compiler.compile(tenant, row);
    if (!s) return;
    const notification = {
      id: event.notificationId,
      type: 'Notification',
      subscriptionId,
      notifiedAt: new Date().toISOString(),
      data: event.data,
    };
    const source = s.notifyCtx.source;
    const url = typeof source === 'string' ? source : coreContextUrl;
    const ld = s.accept === 'application/ld+json';
    const body = ld ? { ...notification, '@context': source } : notification;
    const headers: Record<string, string> = { 'content-type': s.accept };
    if (!ld) headers.link = linkHeader(url);
    if (tenant) headers['ngsild-tenant'] = tenant;
    const endpoint = row.body.notification.endpoint;
    try {
      const uri = new URL(endpoint.uri);
      const timeout = endpoint.timeout ?? defaultTimeoutMs;
      // The allow-list may have changed since the subscription was made, and a name may resolve elsewhere now.
      const refused = await endpointRefusal(this.policy, endpoint.uri);
      if (refused) throw new Error(`the endpoint is not allowed: ${refused}`);
      if (uri.protocol === 'mqtt:' || uri.protocol === 'mqtts:')
        await this.publishMqtt(uri, endpoint.notifierInfo ?? [], { metadata: headers, body }, timeout);
      else {
        for (const { key, value } of endpoint.receiverInfo ?? []) headers[key.toLowerCase()] = value;
        const status = await post(uri, headers, JSON.stringify(body), timeout, this.policy.kind === 'public');
        if (status < 200 || status > 299) throw new Error(`the endpoint answered ${status}`);
      }
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = `${err instanceof Error ? err.message : String(err)}${cause ? `: ${cause.code ?? cause.message}` : ''}`;
      await this.repo.recordNotification(tenant, subscriptionId, reason);
      if (event.attempts >= maxAttempts) {
        this.log.warn({ subscriptionId, reason }, 'NGSI-LD notification given up');
        return;
      }
      throw new Error(reason);
    }
    await this.repo.recordNotification(tenant, subscriptionId, null);
  }

  private async publishMqtt(
    uri: URL,
    info: { key: string; value: string }[],
    message: unknown,
    timeout: number,
  ): Promise<void> {
    const qos = Number(info.find((i) => i.key === 'MQTT-QoS')?.value ?? '0') as 0 | 1 | 2;
    const version = info.find((i) => i.key === 'MQTT-Version')?.value === 'mqtt5.0' ? 5 : 4;
    const client = await this.client(uri, version, timeout);
    const payload = JSON.stringify(message);
    await withTimeout(client.publishAsync(mqttTopic(uri), payload, { qos }), timeout, 'MQTT publish');
  }

  /** One client per broker (the platform's own when the endpoint is its broker), kept for reuse. */
  private client(uri: URL, version: 4 | 5, timeout: number): Promise<MqttClient> {
    const origin = `${uri.protocol}//${uri.username}@${uri.host}/${version}`;
    if (this.broker?.client.connected) {
      const own = new URL(this.broker.url);
      if (own.protocol === uri.protocol && own.host === uri.host && !uri.username)
        return Promise.resolve(this.broker.client);
    }
    let pending = this.clients.get(origin);
    if (!pending) {
      const server = `${uri.protocol}//${uri.host}`;
      pending = mqtt
        .connectAsync(
          server,
          {
            protocolVersion: version,
            username: uri.username ? decodeURIComponent(uri.username) : undefined,
            password: uri.password ? decodeURIComponent(uri.password) : undefined,
            clientId: `mueang-notify-${process.pid}-${randomUUID().slice(0, 8)}`,
            connectTimeout: timeout,
            reconnectPeriod: 2000,
          },
          false,
        )
        .then((client) => {
          client.on('error', (err) => this.log.warn({ err }, 'MQTT notification client error'));
          return client;
        });
      this.clients.set(origin, pending);
      pending.catch(() => this.clients.delete(origin));
    }
    return pending.then((client) => {
      if (!client.connected) throw new Error(`the MQTT broker ${uri.host} is not connected`);
      return client;
    });
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((p) => p.then((c) => c.endAsync(true)).catch(() => undefined)));
  }
}

/**
 * POSTs a notification and answers the status. Redirects are not followed (a 3xx is a failure); with
 * `publicOnly` the socket may only connect to the public addresses the name resolves to.
 */
function post(
  uri: URL,
  headers: Record<string, string>,
  body: string,
  timeout: number,
  publicOnly: boolean,
): Promise<number> {
  const client = uri.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      uri,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeout),
        ...(publicOnly ? { lookup: publicOnlyLookup as never } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
