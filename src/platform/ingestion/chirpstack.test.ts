import { describe, expect, it } from 'vitest';
import { measure, parseUplink } from './chirpstack.ts';

const at = new Date('2026-11-25T05:00:00Z');
const topic = 'application/7d5f/device/0102030405060708/event/up';
const event = (over: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      time: '2026-11-25T04:59:59.5Z',
      deviceInfo: { devEui: '0102030405060708' },
      fCnt: 42,
      data: Buffer.from([0x01, 0x67, 0x01, 0x10]).toString('base64'),
      rxInfo: [
        { gatewayId: 'A84041FFFF000001', rssi: -110, snr: -5 },
        { gatewayId: 'a84041ffff000002', rssi: -80, snr: 7 },
        { gatewayId: "x'; DROP TABLE dev_gateways;--", rssi: 'x' },
      ],
      ...over,
    }),
  );

describe('ChirpStack uplink events', () => {
  it('reads DevEUI, frame counter, time, payload and the best gateway’s signal', () => {
    const r = parseUplink(topic, event(), at);
    expect(r).toEqual({
      ok: true,
      uplink: {
        devEui: '0102030405060708',
        fCnt: 42,
        time: '2026-11-25T04:59:59.500Z',
        data: Uint8Array.from([0x01, 0x67, 0x01, 0x10]),
        object: undefined,
        rssi: -80,
        snr: 7,
        // Every gateway with a well-formed id, lower-cased; the rest are left out.
        gateways: [
          { gatewayId: 'a84041ffff000001', rssi: -110, snr: -5 },
          { gatewayId: 'a84041ffff000002', rssi: -80, snr: 7 },
        ],
        // No deviceInfo.applicationId: the topic's.
        applicationId: '7d5f',
      },
    });
  });

  it('takes the ChirpStack application from deviceInfo, and refuses one unfit for a topic', () => {
    const app = (info: Record<string, unknown>) => {
      const r = parseUplink(topic, event({ deviceInfo: { devEui: '0102030405060708', ...info } }), at);
      return r.ok ? r.uplink.applicationId : 'rejected';
    };
    expect(app({ applicationId: 'b1e0c0de-0000-4000-8000-000000000001' })).toBe(
      'b1e0c0de-0000-4000-8000-000000000001',
    );
    expect(app({ applicationId: 'a/b/#' })).toBeNull();
  });

  it('fills what protobuf-JSON leaves out: fCnt 0 is absent, no time means the arrival time, no data', () => {
    const r = parseUplink(
      topic,
      event({ fCnt: undefined, time: undefined, data: undefined, rxInfo: undefined }),
      at,
    );
    expect(r).toMatchObject({
      ok: true,
      uplink: { fCnt: null, time: at.toISOString(), data: null, rssi: null },
    });
  });

  it.each([
    ['a status topic', 'application/1/device/0102030405060708/event/status', event()],
    ['a topic injection', 'application/1/device/../../x/event/up', event()],
    ['not JSON', topic, Buffer.from('{"deviceInfo":')],
    ['JSON null', topic, Buffer.from('null')],
    ['no devEui', topic, event({ deviceInfo: {} })],
    ['devEui not hex', topic, event({ deviceInfo: { devEui: '01020304050607zz' } })],
    ['fCnt a string', topic, event({ fCnt: '42' })],
    ['fCnt too big', topic, event({ fCnt: 2 ** 40 })],
    ['a bad time', topic, event({ time: '25/11/2026' })],
    ['data not base64', topic, event({ data: 'AQ=\u0000' })],
    ['data a number', topic, event({ data: 5 })],
  ])('rejects %s as unparseable', (_label, t, payload) => {
    expect(parseUplink(t, payload, at)).toMatchObject({ ok: false, reason: 'unparseable' });
  });

  it('rejects an event whose DevEUI is not the topic’s', () => {
    expect(parseUplink(topic, event({ deviceInfo: { devEui: '0000000000000001' } }), at)).toMatchObject({
      ok: false,
      reason: 'topic-mismatch',
    });
  });

  it('measures with the profile, naming fields as quantities and preferring ChirpStack’s object for JSON profiles', () => {
    const r = parseUplink(topic, event({ object: { pm25: 12.5, nested: { v: 3 } } }), at);
    if (!r.ok) throw new Error('parse');
    expect(
      measure(r.uplink, {
        decoder: { kind: 'cayenne-lpp' },
        quantities: [{ field: 'temperature_1', quantity: 'temperature', unit: 'CEL' }],
      }),
    ).toEqual({ ok: true, values: [{ quantity: 'temperature', value: 27.2, unit: 'CEL' }] });
    expect(measure(r.uplink, { decoder: { kind: 'json' }, quantities: [] })).toEqual({
      ok: true,
      values: [{ quantity: 'pm25', value: 12.5 }],
    });
    expect(
      measure(r.uplink, {
        decoder: { kind: 'json', fields: [{ field: 'v', path: 'nested.v' }] },
        quantities: [{ field: 'v', quantity: 'waterLevel' }],
      }),
    ).toEqual({ ok: true, values: [{ quantity: 'waterLevel', value: 3 }] });
    expect(
      measure(r.uplink, { decoder: { kind: 'cayenne-lpp' }, quantities: [{ field: 'x', quantity: 'x' }] }),
    ).toMatchObject({
      ok: false,
      reason: 'unmapped',
    });
  });
});
