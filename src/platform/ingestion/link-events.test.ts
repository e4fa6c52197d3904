import { describe, expect, it } from 'vitest';
import { parseGeneric, parseLinkEvent, topicKind } from './link-events.ts';

const at = new Date('2026-11-25T05:00:00Z');
const eui = '70b3d57ed0000abc';
const topic = (kind: string) => `application/kkm-app/device/${eui}/event/${kind}`;
const info = { tenantId: 't1', applicationId: 'kkm-app', deviceName: 'pm-01', devEui: eui.toUpperCase() };
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('ChirpStack status and join events', () => {
  it('reads a status event as ChirpStack v4 publishes it', () => {
    const r = parseLinkEvent(
      topic('status'),
      buf({
        deduplicationId: 'a4b4c6f1-4e6b-4f1e-9a9b-0a3c1d2e3f40',
        time: '2026-11-25T04:59:58.123Z',
        deviceInfo: info,
        margin: 7,
        batteryLevel: 87.4,
      }),
      at,
    );
    expect(r).toEqual({
      ok: true,
      event: {
        kind: 'status',
        devEui: eui,
        time: '2026-11-25T04:59:58.123Z',
        margin: 7,
        externalPower: false,
        batteryLevel: 87.4,
      },
    });
  });

  it('takes left-out protobuf defaults as zero and false, and no battery on external power', () => {
    const r = parseLinkEvent(topic('status'), buf({ deviceInfo: info, externalPowerSource: true }), at);
    expect(r).toMatchObject({ ok: true, event: { margin: 0, externalPower: true, batteryLevel: null } });
    const u = parseLinkEvent(topic('status'), buf({ deviceInfo: info, batteryLevelUnavailable: true }), at);
    expect(u).toMatchObject({ ok: true, event: { batteryLevel: null, time: at.toISOString() } });
  });

  it('reads a join event with its device address', () => {
    const r = parseLinkEvent(
      topic('join'),
      buf({ time: '2026-11-25T04:00:00Z', deviceInfo: info, devAddr: '01A2B3C4' }),
      at,
    );
    expect(r).toEqual({
      ok: true,
      event: { kind: 'join', devEui: eui, time: '2026-11-25T04:00:00.000Z', devAddr: '01a2b3c4' },
    });
  });

  it.each([
    ['not JSON', 'status', '{"margin":', 'unparseable'],
    ['an array', 'status', [1, 2], 'unparseable'],
    ['margin as text', 'status', { deviceInfo: info, margin: '7' }, 'unparseable'],
    ['margin out of range', 'status', { deviceInfo: info, margin: 99 }, 'unparseable'],
    ['battery above 100', 'status', { deviceInfo: info, batteryLevel: 250 }, 'unparseable'],
    [
      'battery as text',
      'status',
      { deviceInfo: info, batteryLevel: '1; DROP TABLE dev_devices;--' },
      'unparseable',
    ],
    ['external power as number', 'status', { deviceInfo: info, externalPowerSource: 1 }, 'unparseable'],
    ['bad time', 'status', { deviceInfo: info, time: 'yesterday' }, 'unparseable'],
    ['another device', 'status', { deviceInfo: { devEui: '0000000000000001' } }, 'topic-mismatch'],
    ['bad devAddr', 'join', { deviceInfo: info, devAddr: 'zz' }, 'unparseable'],
  ])('rejects %s with a reason', (_label, kind, payload, reason) => {
    const r = parseLinkEvent(topic(kind), buf(payload), at);
    expect(r.ok).toBe(false);
    expect(r).toMatchObject({ reason });
    expect((r as { detail: string }).detail.length).toBeGreaterThan(0);
  });

  it('tells topics apart', () => {
    expect(topicKind(topic('up'))).toBe('up');
    expect(topicKind(topic('status'))).toBe('status');
    expect(topicKind(topic('join'))).toBe('join');
    expect(topicKind(`mueang/devices/${eui}/readings`)).toBe('generic');
    expect(topicKind(topic('ack'))).toBe('ack');
    expect(topicKind(topic('txack'))).toBe('txack');
    expect(topicKind(topic('log'))).toBe('other');
    expect(topicKind('mueang/devices/xyz/readings')).toBe('other');
  });
});

describe('generic JSON topic', () => {
  const gt = `mueang/devices/${eui}/readings`;
  it('reads values by quantity with an optional time', () => {
    const r = parseGeneric(
      gt,
      buf({ time: '2026-11-25T04:00:00+07:00', values: { pm25: 31.5, temperature: -2 } }),
      at,
    );
    expect(r).toMatchObject({
      ok: true,
      uplink: {
        devEui: eui,
        time: '2026-11-24T21:00:00.000Z',
        values: [
          { quantity: 'pm25', value: 31.5 },
          { quantity: 'temperature', value: -2 },
        ],
      },
    });
    expect(parseGeneric(gt, buf({ values: { pm25: 1 } }), at)).toMatchObject({
      uplink: { time: at.toISOString() },
    });
  });
  it.each([
    ['no values', {}],
    ['empty values', { values: {} }],
    ['a string value', { values: { pm25: '12' } }],
    ['a null value', { values: { pm25: null } }],
    ['an injection name', { values: { "pm25'; DROP TABLE dev_readings;--": 1 } }],
    ['too many values', { values: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`q${i}`, i])) }],
    ['another device', { devEui: '0000000000000001', values: { pm25: 1 } }],
  ])('rejects %s', (_label, body) => {
    expect(parseGeneric(gt, buf(body), at).ok).toBe(false);
  });
});
