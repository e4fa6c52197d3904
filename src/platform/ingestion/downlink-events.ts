/**
 * ChirpStack v4 downlink events and the downlink command: `event/txack` (a gateway took the downlink
 * for transmission), `event/ack` (a confirmed downlink was acknowledged by the device, or not, in
 * time), and the `command/down` message that enqueues one. protobuf-JSON; pure; never throws.
 */
import type { DownlinkEvent } from '../devices/downlinks.ts';
import type { Rejection } from './chirpstack.ts';
import { chirpEui, chirpTopic, envelope, topicKind } from './link-events.ts';

export const txackTopic = 'application/+/device/+/event/txack';
export const ackTopic = 'application/+/device/+/event/ack';

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const unparseable = (detail: string): Rejection => ({ ok: false, reason: 'unparseable', detail });

/** `application/{applicationId}/device/{devEui}/command/down`: where ChirpStack takes downlinks. */
export const downTopic = (applicationId: string, devEui: string) =>
  `application/${applicationId}/device/${devEui}/command/down`;

/**
 * The DownlinkCommand JSON. Its `id` becomes ChirpStack's queue item id, so txack and ack name our
 * downlink back, and a command published twice (after a crash) is refused by ChirpStack as a
 * duplicate id instead of being sent twice.
 */
export const downCommand = (d: {
  id: string;
  devEui: string;
  fPort: number;
  confirmed: boolean;
  payloadHex: string;
}) => ({
  id: d.id,
  devEui: d.devEui,
  confirmed: d.confirmed,
  fPort: d.fPort,
  data: Buffer.from(d.payloadHex, 'hex').toString('base64'),
});

/** protobuf-JSON leaves out a uint32 at 0; anything else must be one. */
function counter(v: unknown): { ok: true; value: number | null } | Rejection {
  if (v === undefined) return { ok: true, value: null };
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 0xffffffff)
    return unparseable('fCntDown is not a 32-bit counter');
  return { ok: true, value: v as number };
}

/** A txack or ack event; anything else becomes a rejection with its reason. */
export function parseDownlinkEvent(
  topic: string,
  payload: Buffer,
  receivedAt: Date,
): { ok: true; event: DownlinkEvent } | Rejection {
  const kind = topicKind(topic);
  if (kind !== 'ack' && kind !== 'txack') return unparseable('not an ack or txack topic');
  const env = envelope(topic, payload, receivedAt, chirpTopic, chirpEui);
  if (!env.ok) return env;
  const { doc, devEui, time } = env;
  const q = doc.queueItemId;
  if (typeof q !== 'string' || !uuidPattern.test(q)) return unparseable('queueItemId is not a UUID');
  const queueItemId = q.toLowerCase();
  const fCnt = counter(doc.fCntDown);
  if (!fCnt.ok) return fCnt;
  if (kind === 'ack') {
    const a = doc.acknowledged ?? false;
    if (typeof a !== 'boolean') return unparseable('acknowledged is not a boolean');
    return { ok: true, event: { kind, queueItemId, devEui, time, acknowledged: a, fCntDown: fCnt.value } };
  }
  const g = doc.gatewayId;
  if (g !== undefined && (typeof g !== 'string' || !/^[0-9a-fA-F]{16}$/.test(g)))
    return unparseable('gatewayId is not 16 hex digits');
  return {
    ok: true,
    event: {
      kind,
      queueItemId,
      devEui,
      time,
      fCntDown: fCnt.value,
      gatewayId: typeof g === 'string' ? g.toLowerCase() : null,
    },
  };
}
