/**
 * ChirpStack v4 MQTT integration events (`application/{applicationId}/device/{devEui}/event/up`,
 * protobuf-JSON): parsing and turning one uplink into readings with a device's profile. Pure; never throws.
 */
import { type DecodedReading, type DecoderConfig, decode, decodeJsonValue } from './decoders.ts';
import { knownValues } from './link-events.ts';

export interface Uplink {
  devEui: string;
  /** Absent when the frame counter is 0 (protobuf-JSON leaves default values out) or unknown. */
  fCnt: number | null;
  /** When the network server received the frame; the message's arrival time if the event has none. */
  time: string;
  /** The FRMPayload; null when the frame carried none. */
  data: Uint8Array | null;
  /** What ChirpStack's own codec decoded, if it ran. */
  object: unknown;
  /** The best gateway's signal. */
  rssi: number | null;
  snr: number | null;
  /** Every gateway that heard the frame (ids as ChirpStack writes them, lower-cased). */
  gateways?: { gatewayId: string; rssi: number | null; snr: number | null }[];
  /** Values already named by quantity (the generic JSON topic, the HTTP bulk endpoint): not decoded again. */
  values?: Measured[];
  /** The ChirpStack application (deviceInfo.applicationId, else the topic's): where downlinks go. */
  applicationId?: string | null;
}

export type Rejection = {
  ok: false;
  reason: 'unparseable' | 'topic-mismatch' | 'undecodable' | 'unmapped';
  detail: string;
};

const topicPattern = /^application\/[^/]+\/device\/([0-9A-Fa-f]{16})\/event\/up$/;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads an uplink event; anything that is not one becomes a rejection with its reason. */
export function parseUplink(
  topic: string,
  payload: Buffer,
  receivedAt: Date,
): { ok: true; uplink: Uplink } | Rejection {
  const unparseable = (detail: string): Rejection => ({ ok: false, reason: 'unparseable', detail });
  const fromTopic = topicPattern.exec(topic)?.[1]?.toLowerCase();
  if (!fromTopic) return unparseable(`not an uplink topic: ${topic.slice(0, 200)}`);
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    return unparseable(`not JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return unparseable('the event is not a JSON object');
  const ev = doc as Record<string, unknown>;
  const info = ev.deviceInfo as Record<string, unknown> | undefined;
  const devEui = typeof info?.devEui === 'string' ? info.devEui.toLowerCase() : null;
  if (!devEui || !/^[0-9a-f]{16}$/.test(devEui))
    return unparseable('deviceInfo.devEui is missing or not 16 hex digits');
  if (devEui !== fromTopic)
    return { ok: false, reason: 'topic-mismatch', detail: `topic names ${fromTopic}, event ${devEui}` };

  let fCnt: number | null = null;
  if (ev.fCnt !== undefined) {
    if (!Number.isInteger(ev.fCnt) || (ev.fCnt as number) < 0 || (ev.fCnt as number) > 0xffffffff)
      return unparseable('fCnt is not a 32-bit counter');
    fCnt = ev.fCnt as number;
  }
  let time = receivedAt.toISOString();
  if (ev.time !== undefined) {
    const t = typeof ev.time === 'string' ? Date.parse(ev.time) : Number.NaN;
    if (!Number.isFinite(t)) return unparseable('time is not an RFC 3339 time');
    time = new Date(t).toISOString();
  }
  let data: Uint8Array | null = null;
  if (ev.data !== undefined && ev.data !== '') {
    if (typeof ev.data !== 'string' || ev.data.length % 4 !== 0 || !base64Pattern.test(ev.data))
      return unparseable('data is not base64');
    data = Uint8Array.from(Buffer.from(ev.data, 'base64'));
  }
  let rssi: number | null = null;
  let snr: number | null = null;
  const gateways: NonNullable<Uplink['gateways']> = [];
  if (Array.isArray(ev.rxInfo)) {
    for (const rx of ev.rxInfo as Record<string, unknown>[]) {
      const r = num(rx?.rssi);
      if (typeof rx?.gatewayId === 'string' && /^[0-9a-fA-F]{16}$/.test(rx.gatewayId))
        gateways.push({ gatewayId: rx.gatewayId.toLowerCase(), rssi: r, snr: num(rx.snr) });
      if (r !== null && (rssi === null || r > rssi)) {
        rssi = r;
        snr = num(rx?.snr);
      }
    }
  }
  const app = typeof info?.applicationId === 'string' ? info.applicationId : topic.split('/')[1];
  const applicationId = /^[A-Za-z0-9_.:-]{1,100}$/.test(app) ? app : null;
  return {
    ok: true,
    uplink: { devEui, fCnt, time, data, object: ev.object, rssi, snr, gateways, applicationId },
  };
}

export interface ProfileView {
  decoder: DecoderConfig;
  quantities: { field: string; quantity: string; unit?: string }[];
}

export interface Measured {
  quantity: string;
  value: number;
  unit?: string;
}

/**
 * Decodes an uplink with the device's profile and names its values as the profile's quantities.
 * A JSON profile uses ChirpStack's decoded `object` when there is one.
 */
export function measure(uplink: Uplink, profile: ProfileView): { ok: true; values: Measured[] } | Rejection {
  if (uplink.values) return knownValues(uplink.values, profile.quantities);
  let decoded: ReturnType<typeof decode>;
  if (profile.decoder.kind === 'json' && uplink.object !== undefined && uplink.object !== null)
    decoded = decodeJsonValue(uplink.object, profile.decoder.fields);
  else if (uplink.data) decoded = decode(profile.decoder, uplink.data);
  else return { ok: false, reason: 'undecodable', detail: 'the uplink carries no payload' };
  if (!decoded.ok)
    return { ok: false, reason: 'undecodable', detail: `${decoded.error.code}: ${decoded.error.message}` };
  const values = name(decoded.readings, profile.quantities);
  if (!values.length)
    return {
      ok: false,
      reason: 'unmapped',
      detail: `decoded ${decoded.readings.map((r) => r.field).join(', ')}; the profile maps none of them`,
    };
  return { ok: true, values };
}

function name(readings: DecodedReading[], quantities: ProfileView['quantities']): Measured[] {
  if (!quantities.length)
    return readings.map((r) => ({ quantity: r.field, value: r.value, ...(r.unit ? { unit: r.unit } : {}) }));
  const byField = new Map(quantities.map((q) => [q.field, q]));
  const out: Measured[] = [];
  for (const r of readings) {
    const q = byField.get(r.field);
    if (!q) continue;
    const unit = q.unit ?? r.unit;
    out.push({ quantity: q.quantity, value: r.value, ...(unit ? { unit } : {}) });
  }
  return out;
}
