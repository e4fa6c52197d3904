/**
 * The other messages the worker takes: ChirpStack v4 `status` and `join` events, and readings of
 * non-LoRa devices on the generic JSON topic. Pure; never throws.
 */
import type { Measured, Rejection, Uplink } from './chirpstack.ts';

export const statusTopic = 'application/+/device/+/event/status';
export const joinTopic = 'application/+/device/+/event/join';
/** Non-LoRa devices publish `{"time"?: RFC 3339, "values": {quantity: number}}` here. */
export const genericTopic = 'mueang/devices/+/readings';

export type TopicKind = 'up' | 'status' | 'join' | 'ack' | 'txack' | 'generic' | 'other';
export const chirpTopic =
  /^application\/[^/]+\/device\/([0-9A-Fa-f]{16})\/event\/(up|status|join|ack|txack)$/;
const genericPattern = /^mueang\/devices\/([0-9A-Fa-f]{16})\/readings$/;
export const quantityPattern = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
/** More values in one message than any sensor sends is an attack or a bug. */
export const maxValues = 100;

export function topicKind(topic: string): TopicKind {
  const c = chirpTopic.exec(topic);
  if (c) return c[2] as TopicKind;
  return genericPattern.test(topic) ? 'generic' : 'other';
}

export interface StatusEvent {
  kind: 'status';
  devEui: string;
  time: string;
  /** Link margin in dB (the demodulation floor margin the device reported). */
  margin: number;
  externalPower: boolean;
  /** Battery in percent; null when the device cannot measure it (or runs on external power). */
  batteryLevel: number | null;
}

export interface JoinEvent {
  kind: 'join';
  devEui: string;
  time: string;
  devAddr: string | null;
}

export type LinkEvent = StatusEvent | JoinEvent;

const unparseable = (detail: string): Rejection => ({ ok: false, reason: 'unparseable', detail });

/** The JSON object of a message, its DevEUI checked against the topic's, and its time. */
export function envelope(
  topic: string,
  payload: Buffer,
  receivedAt: Date,
  pattern: RegExp,
  euiOf: (doc: Record<string, unknown>) => unknown,
): { ok: true; doc: Record<string, unknown>; devEui: string; time: string } | Rejection {
  const fromTopic = pattern.exec(topic)?.[1]?.toLowerCase();
  if (!fromTopic) return unparseable(`unexpected topic: ${topic.slice(0, 200)}`);
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    return unparseable(`not JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return unparseable('the message is not a JSON object');
  const ev = doc as Record<string, unknown>;
  const given = euiOf(ev);
  let devEui = fromTopic;
  if (given !== undefined) {
    if (typeof given !== 'string' || !/^[0-9a-fA-F]{16}$/.test(given))
      return unparseable('devEui is not 16 hex digits');
    devEui = given.toLowerCase();
    if (devEui !== fromTopic)
      return { ok: false, reason: 'topic-mismatch', detail: `topic names ${fromTopic}, message ${devEui}` };
  }
  let time = receivedAt.toISOString();
  if (ev.time !== undefined) {
    const t = typeof ev.time === 'string' ? Date.parse(ev.time) : Number.NaN;
    if (!Number.isFinite(t)) return unparseable('time is not an RFC 3339 time');
    time = new Date(t).toISOString();
  }
  return { ok: true, doc: ev, devEui, time };
}

export const chirpEui = (ev: Record<string, unknown>) => {
  const info = ev.deviceInfo;
  if (info === null || typeof info !== 'object') return null;
  return (info as Record<string, unknown>).devEui ?? null;
};

/**
 * A ChirpStack status or join event. protobuf-JSON leaves out fields at their default, so an absent
 * margin is 0 and an absent externalPowerSource is false.
 */
export function parseLinkEvent(
  topic: string,
  payload: Buffer,
  receivedAt: Date,
): { ok: true; event: LinkEvent } | Rejection {
  const kind = topicKind(topic);
  if (kind !== 'status' && kind !== 'join') return unparseable(`not a status or join topic`);
  const env = envelope(topic, payload, receivedAt, chirpTopic, chirpEui);
  if (!env.ok) return env;
  const { doc, devEui, time } = env;
  if (kind === 'join') {
    const a = doc.devAddr;
    if (a !== undefined && (typeof a !== 'string' || !/^[0-9a-fA-F]{8}$/.test(a)))
      return unparseable('devAddr is not 8 hex digits');
    return {
      ok: true,
      event: { kind, devEui, time, devAddr: typeof a === 'string' ? a.toLowerCase() : null },
    };
  }
  const margin = doc.margin ?? 0;
  if (!Number.isInteger(margin) || (margin as number) < -32 || (margin as number) > 31)
    return unparseable('margin is not an integer in -32..31 dB');
  const ext = doc.externalPowerSource ?? false;
  if (typeof ext !== 'boolean') return unparseable('externalPowerSource is not a boolean');
  const unavailable = doc.batteryLevelUnavailable ?? false;
  if (typeof unavailable !== 'boolean') return unparseable('batteryLevelUnavailable is not a boolean');
  const level = doc.batteryLevel ?? 0;
  if (typeof level !== 'number' || !Number.isFinite(level) || level < 0 || level > 100)
    return unparseable('batteryLevel is not a percentage');
  return {
    ok: true,
    event: {
      kind,
      devEui,
      time,
      margin: margin as number,
      externalPower: ext,
      batteryLevel: unavailable || ext ? null : level,
    },
  };
}

/** Checks `{quantity: number}` values: names a quantity may have, finite numbers, not too many. */
export function checkValues(values: unknown): { ok: true; values: Measured[] } | Rejection {
  if (values === null || typeof values !== 'object' || Array.isArray(values))
    return unparseable('values is not an object of quantity: number');
  const entries = Object.entries(values as Record<string, unknown>);
  if (!entries.length) return unparseable('values is empty');
  if (entries.length > maxValues) return unparseable(`more than ${maxValues} values`);
  const out: Measured[] = [];
  for (const [quantity, value] of entries) {
    if (!quantityPattern.test(quantity))
      return unparseable(`"${quantity.slice(0, 50)}" is not a quantity name`);
    if (typeof value !== 'number' || !Number.isFinite(value))
      return unparseable(`${quantity} is not a finite number`);
    out.push({ quantity, value });
  }
  return { ok: true, values: out };
}

/**
 * A message of the generic JSON topic as an uplink whose values are already named: it then goes the
 * way of every uplink (the device's profile checks the quantities, duplicates are dropped by time).
 */
export function parseGeneric(
  topic: string,
  payload: Buffer,
  receivedAt: Date,
): { ok: true; uplink: Uplink } | Rejection {
  const env = envelope(topic, payload, receivedAt, genericPattern, (ev) => ev.devEui);
  if (!env.ok) return env;
  const checked = checkValues(env.doc.values);
  if (!checked.ok) return checked;
  return {
    ok: true,
    uplink: {
      devEui: env.devEui,
      fCnt: null,
      time: env.time,
      data: null,
      object: undefined,
      rssi: null,
      snr: null,
      gateways: [],
      values: checked.values,
    },
  };
}

/**
 * Keeps the values whose quantity the profile measures, with the profile's unit. A profile without
 * quantities takes any. A value of a quantity the profile does not know is refused, not dropped, so
 * that a sender learns of its mistake.
 */
export function knownValues(
  values: Measured[],
  quantities: { quantity: string; unit?: string }[],
): { ok: true; values: Measured[] } | Rejection {
  if (!quantities.length) return { ok: true, values };
  const units = new Map(quantities.map((q) => [q.quantity, q.unit]));
  const out: Measured[] = [];
  for (const v of values) {
    if (!units.has(v.quantity))
      return { ok: false, reason: 'unmapped', detail: `the profile measures no ${v.quantity}` };
    const unit = units.get(v.quantity);
    out.push({ ...v, ...(unit ? { unit } : {}) });
  }
  return { ok: true, values: out };
}
