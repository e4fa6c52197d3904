import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { badData, NgsiError } from './errors.ts';
import { type GeoQuery, parseGeoQuery } from './geo.ts';
import { type ActiveContext, activeContext } from './jsonld.ts';
import { checkPattern, parseQ } from './q.ts';
import { geoToSql, qToSql } from './qsql.ts';
import { typeCondition } from './query.ts';
import type { RenderOptions } from './render.ts';
import { checkName, isUri } from './validate.ts';

/**
 * NGSI-LD subscriptions (ETSI GS CIM 009, 5.2.12): reading and checking a client's subscription, and
 * compiling it into what the matcher needs (expanded names and a parameterised SQL condition).
 */

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const maxList = 100;
export const formats = ['normalized', 'keyValues', 'simplified', 'concise'] as const;
export const accepts = ['application/json', 'application/ld+json'] as const;

/** Members a client may send; the rest of the Subscription data type is set by the broker. */
const members = new Set([
  '@context',
  'id',
  'type',
  'subscriptionName',
  'description',
  'entities',
  'watchedAttributes',
  'notificationTrigger',
  'timeInterval',
  'q',
  'geoQ',
  'csf',
  'isActive',
  'notification',
  'expiresAt',
  'throttling',
  'temporalQ',
  'scopeQ',
  'lang',
  'jsonldContext',
  // Read-only members (ignored when sent back, e.g. a GET answer reused as a PATCH).
  'status',
  'createdAt',
  'modifiedAt',
]);
const notificationMembers = new Set([
  'attributes',
  'format',
  'endpoint',
  'sysAttrs',
  'showChanges',
  // Read-only.
  'status',
  'timesSent',
  'timesFailed',
  'lastNotification',
  'lastFailure',
  'lastSuccess',
]);
const endpointMembers = new Set(['uri', 'accept', 'timeout', 'cooldown', 'receiverInfo', 'notifierInfo']);
const readOnly = ['status', 'createdAt', 'modifiedAt'];
/** Notification triggers we honour; the spec's default is attributeCreated and attributeUpdated. */
const triggers = [
  'entityCreated',
  'entityUpdated',
  'entityDeleted',
  'attributeCreated',
  'attributeUpdated',
  'attributeDeleted',
];

export interface EntitySelector {
  id?: string;
  idPattern?: string;
  type: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** A subscription as stored: the client's members, compacted as sent, without read-only members. */
export interface SubscriptionBody {
  id: string;
  type: 'Subscription';
  subscriptionName?: string;
  description?: string;
  /** The @context notifications are compacted with and name (a URL), instead of the subscription's own. */
  jsonldContext?: string;
  entities?: EntitySelector[];
  watchedAttributes?: string[];
  notificationTrigger?: string[];
  q?: string;
  geoQ?: { geometry: string; coordinates: unknown; georel: string; geoproperty?: string };
  isActive?: boolean;
  expiresAt?: string;
  throttling?: number;
  timeInterval?: number;
  lang?: string;
  notification: {
    attributes?: string[];
    format?: (typeof formats)[number];
    sysAttrs?: boolean;
    showChanges?: boolean;
    endpoint: {
      uri: string;
      accept?: (typeof accepts)[number];
      timeout?: number;
      receiverInfo?: KeyValue[];
      notifierInfo?: KeyValue[];
    };
  };
}

/** Headers the broker sets on a notification itself; receiverInfo may not replace them. */
const reservedHeaders = [
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'host',
  'link',
  'ngsild-tenant',
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function names(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > maxList)
    throw badData(`${what} must be a list of 1 to ${maxList} names`);
  for (const n of value) {
    if (typeof n !== 'string') throw badData(`${what} must hold strings`);
    checkName(n);
  }
  return value as string[];
}

function keyValues(value: unknown, what: string): KeyValue[] {
  if (!Array.isArray(value) || value.length > 20) throw badData(`${what} must be a list of {key, value}`);
  return value.map((kv) => {
    if (
      !isObject(kv) ||
      typeof kv.key !== 'string' ||
      typeof kv.value !== 'string' ||
      !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(kv.key) ||
      kv.value.length > 1000 ||
      /[\r\n]/.test(kv.value)
    )
      throw badData(`${what} entries are {key, value} strings (a header name and a single-line value)`);
    return { key: kv.key, value: kv.value };
  });
}

function unsupported(what: string): never {
  throw new NgsiError('OperationNotSupported', `${what} is not supported by this broker`);
}

/** Checks an endpoint URI: http(s) or mqtt(s) with a topic. */
export function checkEndpointUri(uri: unknown): string {
  if (typeof uri !== 'string' || uri.length > 1000 || !isUri(uri))
    throw badData('notification.endpoint.uri must be a URI');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw badData('notification.endpoint.uri must be a URI');
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return uri;
  if (url.protocol === 'mqtt:' || url.protocol === 'mqtts:') {
    const topic = mqttTopic(url);
    if (!url.hostname || !topic || /[+#]/.test(topic))
      throw badData('an MQTT endpoint is mqtt://host[:port]/topic with a topic and no wildcards');
    return uri;
  }
  throw badData('notification.endpoint.uri must be http, https, mqtt or mqtts');
}

export function mqttTopic(url: URL): string {
  try {
    return decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    return '';
  }
}

/**
 * Reads and checks a subscription. `existing` is the stored subscription a PATCH is merged into;
 * `creating` refuses an expiresAt in the past.
 */
export function readSubscription(
  input: unknown,
  ctx: ActiveContext,
  opts: { existing?: SubscriptionBody; now: Date },
): SubscriptionBody {
  if (!isObject(input)) throw badData('a subscription must be a JSON object');
  for (const k of Object.keys(input))
    if (!members.has(k)) throw badData(`unknown subscription member: ${k.slice(0, 100)}`);
  if (opts.existing && input.id !== undefined && input.id !== opts.existing.id)
    throw badData('the id in the body differs from the id in the path');
  if (opts.existing && input.type !== undefined && input.type !== 'Subscription')
    throw badData('type must be Subscription');

  const raw: Record<string, unknown> = opts.existing
    ? (structuredClone(opts.existing) as unknown as Record<string, unknown>)
    : {};
  for (const [k, v] of Object.entries(input)) {
    if (k === '@context' || readOnly.includes(k)) continue;
    if (k === 'notification' && opts.existing && isObject(v)) {
      const merged = { ...(raw.notification as Record<string, unknown>), ...v };
      if (isObject(v.endpoint))
        merged.endpoint = { ...(raw.notification as { endpoint: object }).endpoint, ...v.endpoint };
      raw.notification = merged;
    } else if (v === null && opts.existing) delete raw[k];
    else raw[k] = v;
  }

  const out: Record<string, unknown> = {};
  if (raw.id === undefined) out.id = `urn:ngsi-ld:Subscription:${randomUUID()}`;
  else if (!isUri(raw.id)) throw badData('the subscription id must be a URI');
  else out.id = raw.id;
  if (raw.type !== 'Subscription') throw badData('type must be Subscription');
  out.type = 'Subscription';
  for (const k of ['subscriptionName', 'description', 'lang'] as const) {
    if (raw[k] === undefined) continue;
    if (typeof raw[k] !== 'string' || (raw[k] as string).length > 1000)
      throw badData(`${k} must be a string of at most 1000 characters`);
    out[k] = raw[k];
  }
  if (raw.jsonldContext !== undefined) {
    if (typeof raw.jsonldContext !== 'string' || !/^https?:\/\/\S{1,2040}$/.test(raw.jsonldContext))
      throw badData('jsonldContext must be the http(s) URL of a JSON-LD @context');
    out.jsonldContext = raw.jsonldContext;
  }
  for (const k of ['csf', 'temporalQ', 'scopeQ'] as const) if (raw[k] !== undefined) unsupported(k);
  if (raw.timeInterval !== undefined) {
    if (typeof raw.timeInterval !== 'number' || !(raw.timeInterval >= 1) || raw.timeInterval > 31_536_000)
      throw badData('timeInterval must be a number of seconds, at least 1');
    if (raw.watchedAttributes !== undefined)
      throw badData('timeInterval and watchedAttributes cannot be used together');
    if (raw.throttling !== undefined) throw badData('timeInterval and throttling cannot be used together');
    if (raw.notificationTrigger !== undefined)
      throw badData('timeInterval and notificationTrigger cannot be used together');
    out.timeInterval = raw.timeInterval;
  }
  if (raw.entities !== undefined) {
    const list = raw.entities;
    if (!Array.isArray(list) || list.length === 0 || list.length > maxList)
      throw badData(`entities must be a list of 1 to ${maxList} selectors`);
    out.entities = list.map((s) => {
      if (!isObject(s)) throw badData('an entities selector is an object with type, id or idPattern');
      for (const k of Object.keys(s))
        if (!['id', 'idPattern', 'type'].includes(k)) throw badData(`unknown entities member: ${k}`);
      if (typeof s.type !== 'string' || s.type.length === 0 || s.type.length > 1000)
        throw badData('an entities selector needs a type');
      asBadData(() => typeCondition(s.type as string, ctx));
      const sel: EntitySelector = { type: s.type };
      if (s.id !== undefined) {
        if (!isUri(s.id)) throw badData('an entities selector id must be a URI');
        sel.id = s.id;
      }
      if (s.idPattern !== undefined) {
        if (typeof s.idPattern !== 'string') throw badData('idPattern must be a string');
        checkPattern(s.idPattern);
        sel.idPattern = s.idPattern;
      }
      return sel;
    });
  }
  if (raw.watchedAttributes !== undefined)
    out.watchedAttributes = names(raw.watchedAttributes, 'watchedAttributes');
  if (out.entities === undefined && out.watchedAttributes === undefined)
    throw badData('a subscription needs entities or watchedAttributes');
  if (out.timeInterval !== undefined && out.entities === undefined)
    throw badData('a subscription with timeInterval needs entities');
  if (raw.notificationTrigger !== undefined) {
    const t = raw.notificationTrigger;
    if (!Array.isArray(t) || t.length === 0 || !t.every((x) => typeof x === 'string'))
      throw badData('notificationTrigger must be a list of triggers');
    for (const x of t as string[])
      if (!triggers.includes(x))
        throw new NgsiError(
          'OperationNotSupported',
          `notificationTrigger ${x.slice(0, 50)} is not supported`,
        );
    out.notificationTrigger = t;
  }
  if (raw.q !== undefined) {
    if (typeof raw.q !== 'string') throw badData('q must be a string');
    asBadData(() => parseQ(raw.q as string));
    out.q = raw.q;
  }
  if (raw.geoQ !== undefined) {
    const g = raw.geoQ;
    if (!isObject(g)) throw badData('geoQ must be an object with geometry, coordinates and georel');
    for (const k of Object.keys(g))
      if (!['geometry', 'coordinates', 'georel', 'geoproperty'].includes(k))
        throw badData(`unknown geoQ member: ${k}`);
    if (typeof g.geometry !== 'string' || typeof g.georel !== 'string' || g.coordinates === undefined)
      throw badData('geoQ needs geometry, coordinates and georel');
    if (g.geoproperty !== undefined && typeof g.geoproperty !== 'string')
      throw badData('geoQ.geoproperty must be a string');
    geoQuery(g as SubscriptionBody['geoQ']);
    out.geoQ = g;
  }
  if (raw.isActive !== undefined) {
    if (typeof raw.isActive !== 'boolean') throw badData('isActive must be true or false');
    out.isActive = raw.isActive;
  }
  if (raw.expiresAt !== undefined) {
    if (typeof raw.expiresAt !== 'string' || !isoDateTime.test(raw.expiresAt))
      throw badData('expiresAt must be an ISO 8601 date-time');
    const t = Date.parse(raw.expiresAt);
    if (Number.isNaN(t)) throw badData('expiresAt must be an ISO 8601 date-time');
    if (t <= opts.now.getTime() && input.expiresAt !== undefined)
      throw badData('expiresAt must be in the future');
    out.expiresAt = raw.expiresAt;
  }
  if (raw.throttling !== undefined) {
    if (typeof raw.throttling !== 'number' || !(raw.throttling > 0) || raw.throttling > 31_536_000)
      throw badData('throttling must be a positive number of seconds');
    out.throttling = raw.throttling;
  }
  out.notification = readNotification(raw.notification);
  return out as unknown as SubscriptionBody;
}

function asBadData<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NgsiError && e.problem === 'InvalidRequest') throw badData(e.message);
    throw e;
  }
}

function geoQuery(g: SubscriptionBody['geoQ']): GeoQuery {
  const q = parseGeoQuery({
    georel: g!.georel,
    geometry: g!.geometry,
    coordinates: typeof g!.coordinates === 'string' ? g!.coordinates : JSON.stringify(g!.coordinates),
    geoproperty: g!.geoproperty,
  });
  return q!;
}

function readNotification(n: unknown): SubscriptionBody['notification'] {
  if (!isObject(n)) throw badData('a subscription needs notification parameters');
  for (const k of Object.keys(n))
    if (!notificationMembers.has(k)) throw badData(`unknown notification member: ${k.slice(0, 100)}`);
  const out: Record<string, unknown> = {};
  if (n.attributes !== undefined) out.attributes = names(n.attributes, 'notification.attributes');
  if (n.format !== undefined) {
    if (!formats.includes(n.format as (typeof formats)[number]))
      throw badData(`notification.format must be one of ${formats.join(', ')}`);
    out.format = n.format;
  }
  if (n.sysAttrs !== undefined) {
    if (typeof n.sysAttrs !== 'boolean') throw badData('notification.sysAttrs must be true or false');
    out.sysAttrs = n.sysAttrs;
  }
  if (n.showChanges !== undefined) {
    if (typeof n.showChanges !== 'boolean') throw badData('notification.showChanges must be true or false');
    out.showChanges = n.showChanges;
  }
  const e = n.endpoint;
  if (!isObject(e)) throw badData('notification.endpoint is required');
  for (const k of Object.keys(e))
    if (!endpointMembers.has(k)) throw badData(`unknown endpoint member: ${k.slice(0, 100)}`);
  const endpoint: Record<string, unknown> = { uri: checkEndpointUri(e.uri) };
  if (e.accept !== undefined) {
    if (e.accept === 'application/geo+json') unsupported('application/geo+json notifications');
    if (!accepts.includes(e.accept as (typeof accepts)[number]))
      throw badData(`notification.endpoint.accept must be one of ${accepts.join(', ')}`);
    endpoint.accept = e.accept;
  }
  if (e.timeout !== undefined) {
    if (typeof e.timeout !== 'number' || !Number.isInteger(e.timeout) || e.timeout < 1 || e.timeout > 30_000)
      throw badData('notification.endpoint.timeout is 1 to 30000 milliseconds');
    endpoint.timeout = e.timeout;
  }
  if (e.cooldown !== undefined) unsupported('notification.endpoint.cooldown');
  if (e.receiverInfo !== undefined) {
    const info = keyValues(e.receiverInfo, 'receiverInfo');
    const taken = info.find((kv) => reservedHeaders.includes(kv.key.toLowerCase()));
    if (taken) throw badData(`receiverInfo may not set the ${taken.key} header`);
    endpoint.receiverInfo = info;
  }
  if (e.notifierInfo !== undefined) {
    const info = keyValues(e.notifierInfo, 'notifierInfo');
    for (const { key, value } of info) {
      if (key === 'MQTT-QoS' && !['0', '1', '2'].includes(value)) throw badData('MQTT-QoS is 0, 1 or 2');
      if (key === 'MQTT-Version' && !['mqtt3.1.1', 'mqtt5.0'].includes(value))
        throw badData('MQTT-Version is mqtt3.1.1 or mqtt5.0');
    }
    endpoint.notifierInfo = info;
  }
  out.endpoint = endpoint;
  return out as SubscriptionBody['notification'];
}

/** What the matcher needs of a subscription: expanded names and its SQL condition on ctx_entities. */
export interface CompiledSubscription {
  id: string;
  watched: Set<string> | null;
  /** Entity ids, idPattern, type, q and geoQ as one condition. */
  where: SQL;
  triggers: Set<string>;
  throttling: number | null;
  render: RenderOptions;
  /** The subscription's own context: its terms mean what this context says. */
  ctx: ActiveContext;
  /** The context notifications are compacted with and name: `jsonldContext`, else `ctx`. */
  notifyCtx: ActiveContext;
  accept: string;
  /** Updated attributes carry their previous value (notification.showChanges). */
  showChanges: boolean;
}

export function compileSubscription(body: SubscriptionBody, context: unknown): CompiledSubscription {
  const ctx = activeContext(context ?? undefined);
  const conds: SQL[] = [];
  if (body.entities) {
    const selectors = body.entities.map((s) => {
      const parts = [typeCondition(s.type, ctx)];
      if (s.id) parts.push(sql`id = ${s.id}`);
      if (s.idPattern) parts.push(sql`id ~ ${s.idPattern}`);
      return sql`(${sql.join(parts, sql` AND `)})`;
    });
    conds.push(sql`(${sql.join(selectors, sql` OR `)})`);
  }
  if (body.q) conds.push(qToSql(parseQ(body.q), ctx, false));
  if (body.geoQ) conds.push(geoToSql(geoQuery(body.geoQ), ctx));
  const n = body.notification;
  const pick = n.attributes?.map((a) => ctx.expand(a));
  return {
    id: body.id,
    watched: body.watchedAttributes ? new Set(body.watchedAttributes.map((a) => ctx.expand(a))) : null,
    where: conds.length ? sql.join(conds, sql` AND `) : sql`true`,
    triggers: new Set(body.notificationTrigger ?? ['attributeCreated', 'attributeUpdated']),
    throttling: body.throttling ?? null,
    ctx,
    notifyCtx: body.jsonldContext ? activeContext(body.jsonldContext) : ctx,
    accept: n.endpoint.accept ?? 'application/json',
    showChanges: n.showChanges ?? false,
    render: {
      format:
        n.format === 'simplified' || n.format === 'keyValues' ? 'keyValues' : (n.format ?? 'normalized'),
      sysAttrs: n.sysAttrs ?? false,
      pick: pick ? new Set(pick) : null,
      omit: new Set(),
      pickId: true,
      pickType: true,
      anonymous: false,
      lang: body.lang,
    },
  };
}
