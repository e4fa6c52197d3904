import { describe, expect, it } from 'vitest';
import { type DecoderConfig, decode, decodeCayenneLpp, decodeJson, decodeLayout } from './decoders.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const values = (r: ReturnType<typeof decode>) =>
  r.ok ? Object.fromEntries(r.readings.map((x) => [x.field, x.value])) : r.error;

describe('Cayenne LPP', () => {
  it('decodes the specification examples: two temperatures, accelerometer, GPS', () => {
    expect(values(decodeCayenneLpp(hex('03 67 01 10 05 67 00 FF')))).toEqual({
      temperature_3: 27.2,
      temperature_5: 25.5,
    });
    expect(values(decodeCayenneLpp(hex('06 71 04 D2 FB 2E 00 00')))).toEqual({
      accelerometer_6_x: 1.234,
      accelerometer_6_y: -1.234,
      accelerometer_6_z: 0,
    });
    expect(values(decodeCayenneLpp(hex('01 88 06 76 5F F2 96 0A 00 03 E8')))).toEqual({
      gps_1_latitude: 42.3519,
      gps_1_longitude: -87.9094,
      gps_1_altitude: 10,
    });
  });

  it('decodes every type of the specification in one multi-channel frame', () => {
    const frame = hex(
      [
        '01 00 01', // digital input 1
        '02 01 00', // digital output 0
        '03 02 FF 9C', // analog input -1.00
        '04 03 04 D2', // analog output 12.34
        '05 65 FF FF', // illuminance 65535 lux (unsigned)
        '06 66 01', // presence 1
        '07 67 FF 9C', // temperature -10.0
        '08 68 A1', // humidity 80.5 % (0.5 steps, unsigned)
        '09 71 FC 18 03 E8 00 01', // accelerometer -1, 1, 0.001 G
        '0A 73 27 7F', // barometer 1011.1 hPa
        '0B 86 FF 38 00 64 80 00', // gyrometer -2, 1, -327.68 °/s
        '0C 88 01 9B 5E 0F 95 54 FF FF 9C', // GPS 10.5310 N, 102.0 E (0x0F9554 = 1021268 → 102.1268), -1.00 m
      ].join(''),
    );
    const r = decodeCayenneLpp(frame);
    expect(values(r)).toEqual({
      digital_input_1: 1,
      digital_output_2: 0,
      analog_input_3: -1,
      analog_output_4: 12.34,
      illuminance_5: 65535,
      presence_6: 1,
      temperature_7: -10,
      humidity_8: 80.5,
      accelerometer_9_x: -1,
      accelerometer_9_y: 1,
      accelerometer_9_z: 0.001,
      barometer_10: 1011.1,
      gyrometer_11_x: -2,
      gyrometer_11_y: 1,
      gyrometer_11_z: -327.68,
      gps_12_latitude: 10.531,
      gps_12_longitude: 102.1268,
      gps_12_altitude: -1,
    });
    expect(r.ok && r.readings.find((x) => x.field === 'temperature_7')?.unit).toBe('CEL');
  });

  it('decodes a negative GPS position (southern and western hemispheres)', () => {
    // -33.8688 → -338688 → 0xFAD500; -151.2093 → -1512093 → 0xE8ED63 (24-bit two's complement)
    expect(values(decodeCayenneLpp(hex('01 88 FA D5 00 E8 ED 63 00 00 00')))).toEqual({
      gps_1_latitude: -33.8688,
      gps_1_longitude: -151.2093,
      gps_1_altitude: 0,
    });
  });

  it('refuses truncated frames, unknown types and empty payloads with a typed error', () => {
    expect(decodeCayenneLpp(hex('03 67 01'))).toMatchObject({ ok: false, error: { code: 'truncated' } });
    expect(decodeCayenneLpp(hex('03'))).toMatchObject({ ok: false, error: { code: 'truncated' } });
    expect(decodeCayenneLpp(hex('03 67 01 10 05'))).toMatchObject({
      ok: false,
      error: { code: 'truncated' },
    });
    expect(decodeCayenneLpp(hex('01 74 00 01'))).toMatchObject({
      ok: false,
      error: { code: 'unknown-type' },
    });
    expect(decodeCayenneLpp(new Uint8Array())).toMatchObject({ ok: false, error: { code: 'no-values' } });
  });
});

describe('byte layout', () => {
  const layout: DecoderConfig = {
    kind: 'bytes',
    fields: [
      { field: 'level', offset: 0, length: 2, signed: false, endianness: 'big', scale: 0.001, unit: 'MTR' },
      { field: 'temp', offset: 2, length: 2, signed: true, endianness: 'little', scale: 0.1, unit: 'CEL' },
      { field: 'battery', offset: 4, length: 1, signed: false, endianness: 'big' },
      { field: 'counter', offset: 5, length: 4, signed: false, endianness: 'little' },
      { field: 'delta', offset: 9, length: 3, signed: true, endianness: 'big' },
    ],
  };

  it('reads each field at its offset with its size, signedness, byte order and scale', () => {
    // level 0x0BB8 = 3000 → 3 m; temp 0xFF9C LE = -100 → -10 °C; battery 200; counter 0xFFFFFFFF; delta -2
    const r = decode(layout, hex('0B B8 9C FF C8 FF FF FF FF FF FF FE'));
    expect(values(r)).toEqual({ level: 3, temp: -10, battery: 200, counter: 4294967295, delta: -2 });
    expect(r.ok && r.readings[0].unit).toBe('MTR');
  });

  it('says which field runs past the end of a short payload', () => {
    const r = decode(layout, hex('0B B8 9C'));
    expect(r).toMatchObject({ ok: false, error: { code: 'truncated' } });
    expect(!r.ok && r.error.message).toContain('temp');
  });

  it('refuses a layout with a bad length, offset or scale instead of guessing', () => {
    const bad = (f: object) =>
      decodeLayout(hex('00 00 00 00 00 00 00 00'), [
        { field: 'x', offset: 0, length: 2, signed: false, endianness: 'big', ...f },
      ]);
    expect(bad({ length: 8 })).toMatchObject({ ok: false, error: { code: 'bad-config' } });
    expect(bad({ offset: -1 })).toMatchObject({ ok: false, error: { code: 'bad-config' } });
    expect(bad({ offset: 1.5 })).toMatchObject({ ok: false, error: { code: 'bad-config' } });
    expect(bad({ scale: Number.NaN })).toMatchObject({ ok: false, error: { code: 'bad-config' } });
    expect(decodeLayout(hex('00'), [])).toMatchObject({ ok: false, error: { code: 'bad-config' } });
  });
});

describe('JSON', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('takes every top-level number when no fields are named', () => {
    expect(
      values(decodeJson(enc('{"pm25": 38.5, "pm10": 61, "status": "ok", "ok": true, "n": null}'))),
    ).toEqual({
      pm25: 38.5,
      pm10: 61,
    });
  });

  it('follows dot paths, skips missing ones and never walks the prototype', () => {
    const fields = [
      { field: 'pm25', path: 'air.pm25', unit: 'GQ' },
      { field: 'first', path: 'values.0' },
      { field: 'count', path: 'values.length' },
      { field: 'missing', path: 'air.nothing' },
      { field: 'inherited', path: 'air.constructor.length' },
      { field: 'own', path: '__proto__.x' },
    ];
    // `__proto__` parsed from JSON is the document's own data, not the prototype: reading it is fine.
    const r = decodeJson(enc('{"air":{"pm25":12},"values":[7,8],"__proto__":{"x":1}}'), fields);
    expect(values(r)).toEqual({ pm25: 12, first: 7, own: 1 });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses non-UTF-8, non-JSON, and JSON without numbers', () => {
    expect(decodeJson(hex('FF FE 00'))).toMatchObject({ ok: false, error: { code: 'not-json' } });
    expect(decodeJson(enc('{"pm25": 3'))).toMatchObject({ ok: false, error: { code: 'not-json' } });
    expect(decodeJson(enc('[1, 2]'))).toMatchObject({ ok: false, error: { code: 'no-values' } });
    expect(decodeJson(enc('"1"'))).toMatchObject({ ok: false, error: { code: 'no-values' } });
    expect(decodeJson(enc('{"x": "1\'; DROP TABLE devices_device; --"}'))).toMatchObject({ ok: false });
  });
});

describe('decode', () => {
  it('refuses oversized payloads and unknown decoder kinds', () => {
    expect(decode({ kind: 'cayenne-lpp' }, new Uint8Array(70_000))).toMatchObject({
      ok: false,
      error: { code: 'too-large' },
    });
    expect(decode({ kind: 'javascript' } as unknown as DecoderConfig, hex('00'))).toMatchObject({
      ok: false,
      error: { code: 'bad-config' },
    });
  });

  it('turns a broken config into an error rather than a throw', () => {
    expect(decode({ kind: 'bytes', fields: null } as unknown as DecoderConfig, hex('00'))).toMatchObject({
      ok: false,
    });
    expect(
      decode(
        { kind: 'json', fields: [{ path: 5 }] } as unknown as DecoderConfig,
        new TextEncoder().encode('{}'),
      ),
    ).toMatchObject({ ok: false });
  });
});

/**
 * Randomised: fast-check is not a dependency (and none may be added), so a small seeded generator
 * feeds random payloads to every decoder. A failure prints the seed and the bytes to reproduce it.
 */
describe('random bytes', () => {
  function mulberry32(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const configs: DecoderConfig[] = [
    { kind: 'cayenne-lpp' },
    { kind: 'json' },
    { kind: 'json', fields: [{ field: 'a', path: 'a.b' }] },
    {
      kind: 'bytes',
      fields: [
        { field: 'a', offset: 0, length: 4, signed: true, endianness: 'little', scale: 0.5 },
        { field: 'b', offset: 3, length: 3, signed: false, endianness: 'big' },
      ],
    },
  ];

  it('gives readings of finite numbers or a typed error for 20,000 random payloads, never a throw', () => {
    const seed = 20261125;
    const rand = mulberry32(seed);
    const lppIds = [0, 1, 2, 3, 101, 102, 103, 104, 113, 115, 134, 136];
    let decodedSome = 0;
    for (let n = 0; n < 20_000; n++) {
      const length = Math.floor(rand() * 40);
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = Math.floor(rand() * 256);
      // Bias every other LPP frame toward valid type ids so the value paths are exercised, not only the errors.
      if (n % 2 && length > 1) bytes[1] = lppIds[Math.floor(rand() * lppIds.length)];
      for (const config of configs) {
        let r: ReturnType<typeof decode>;
        try {
          r = decode(config, bytes);
        } catch (e) {
          throw new Error(
            `seed ${seed} case ${n} ${config.kind} ${Buffer.from(bytes).toString('hex')}: threw ${e}`,
          );
        }
        if (r.ok) {
          decodedSome++;
          expect(r.readings.length).toBeGreaterThan(0);
          for (const x of r.readings) expect(Number.isFinite(x.value)).toBe(true);
        } else {
          expect(['truncated', 'unknown-type', 'not-json', 'no-values', 'bad-config', 'too-large']).toContain(
            r.error.code,
          );
        }
      }
    }
    expect(decodedSome).toBeGreaterThan(1000);
  });
});
