import { describe, expect, it } from 'vitest';
import { downCommand, downTopic, parseDownlinkEvent } from './downlink-events.ts';

const eui = '0102030405060708';
const id = '3f1c6a2e-8b7d-4c1e-9a0b-5d6e7f809102';
const at = new Date('2026-11-25T05:00:00Z');
const parse = (kind: string, body: unknown) =>
  parseDownlinkEvent(
    `application/app-1/device/${eui}/event/${kind}`,
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    at,
  );
const deviceInfo = { applicationId: 'app-1', devEui: eui };

describe('ChirpStack downlink command and events', () => {
  it('writes the DownlinkCommand of the MQTT integration, data in base64', () => {
    expect(downTopic('app-1', eui)).toBe(`application/app-1/device/${eui}/command/down`);
    expect(downCommand({ id, devEui: eui, fPort: 10, confirmed: true, payloadHex: '01000e10' })).toEqual({
      id,
      devEui: eui,
      confirmed: true,
      fPort: 10,
      data: 'AQAOEA==',
    });
  });

  it('reads txack and ack events as ChirpStack v4 publishes them, protobuf defaults filled in', () => {
    expect(
      parse('txack', {
        downlinkId: 1234,
        time: '2026-11-25T04:59:00Z',
        deviceInfo,
        queueItemId: id.toUpperCase(),
        fCntDown: 7,
        gatewayId: 'A84041FFFF000001',
        txInfo: { frequency: 923200000 },
      }),
    ).toEqual({
      ok: true,
      event: {
        kind: 'txack',
        queueItemId: id,
        devEui: eui,
        time: '2026-11-25T04:59:00.000Z',
        fCntDown: 7,
        gatewayId: 'a84041ffff000001',
      },
    });
    expect(parse('ack', { deduplicationId: id, deviceInfo, queueItemId: id })).toEqual({
      ok: true,
      event: {
        kind: 'ack',
        queueItemId: id,
        devEui: eui,
        time: at.toISOString(),
        acknowledged: false,
        fCntDown: null,
      },
    });
  });

  it.each([
    ['not JSON', 'ack', '{'],
    ['no queue item', 'ack', { deviceInfo, acknowledged: true }],
    ['queue item not a UUID', 'ack', { deviceInfo, queueItemId: "1' OR '1'='1" }],
    ['acknowledged as text', 'ack', { deviceInfo, queueItemId: id, acknowledged: 'true' }],
    ['negative fCntDown', 'txack', { deviceInfo, queueItemId: id, fCntDown: -1 }],
    ['bad gateway', 'txack', { deviceInfo, queueItemId: id, gatewayId: 'gw' }],
    ['another device', 'ack', { deviceInfo: { devEui: 'ffffffffffffffff' }, queueItemId: id }],
  ])('rejects %s with a reason', (_name, kind, body) => {
    const r = parse(kind, body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['unparseable', 'topic-mismatch']).toContain(r.reason);
  });

  it('refuses other topics', () => {
    expect(parseDownlinkEvent(`application/a/device/${eui}/event/up`, Buffer.from('{}'), at)).toMatchObject({
      ok: false,
    });
  });
});
