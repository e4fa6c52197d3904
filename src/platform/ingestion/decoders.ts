/**
 * Payload decoders for city sensors: Cayenne LPP, JSON, and a declarative byte layout. They are pure
 * data-driven functions — a device profile describes the payload, no user code is ever run — and they
 * never throw: every input gives either a list of readings or a typed error.
 */

/** One decoded value, named by the decoder (`temperature_3`, `pm25`, `gps_1_latitude`). */
export interface DecodedReading {
  field: string;
  value: number;
  /** The unit the decoder knows (UN/CEFACT common code where one exists), if any. */
  unit?: string;
}

export type DecodeErrorCode =
  | 'truncated'
  | 'unknown-type'
  | 'not-json'
  | 'no-values'
  | 'bad-config'
  | 'too-large';

export interface DecodeError {
  code: DecodeErrorCode;
  message: string;
}

export type DecodeResult = { ok: true; readings: DecodedReading[] } | { ok: false; error: DecodeError };

export interface LayoutField {
  field: string;
  offset: number;
  /** 1, 2, 3 or 4 bytes. */
  length: number;
  signed: boolean;
  endianness: 'big' | 'little';
  /** Multiplies the raw integer; 1 when absent. */
  scale?: number;
  unit?: string;
}

export interface JsonField {
  field: string;
  /** Dot path into the JSON document, e.g. `air.pm25`; array indexes as numbers (`values.0`). */
  path: string;
  unit?: string;
}

export type DecoderConfig =
  | { kind: 'cayenne-lpp' }
  | { kind: 'json'; fields?: JsonField[] }
  | { kind: 'bytes'; fields: LayoutField[] };

/** LoRaWAN payloads are at most 242 bytes; JSON from non-LoRa devices may be larger but not unbounded. */
export const maxPayloadBytes = 64 * 1024;

const fail = (code: DecodeErrorCode, message: string): DecodeResult => ({
  ok: false,
  error: { code, message },
});

/** Reads an integer of 1–4 bytes; undefined past the end of the buffer. */
function readInt(bytes: Uint8Array, offset: number, length: number, signed: boolean, little: boolean) {
  if (offset < 0 || offset + length > bytes.length) return undefined;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const b = bytes[offset + (little ? length - 1 - i : i)];
    n = n * 256 + b;
  }
  if (signed && n >= 2 ** (8 * length - 1)) n -= 2 ** (8 * length);
  return n;
}

/** Rounds away binary noise introduced by scaling (0.1 * 3 → 0.3). */
const tidy = (n: number) => Number.parseFloat(n.toPrecision(12));

interface LppType {
  name: string;
  size: number;
  /** How the `size` bytes split into values: [suffix, bytes, signed, resolution]. */
  parts: [string, number, boolean, number][];
  unit?: string;
}

/**
 * The types of the Cayenne LPP specification (myDevices, IPSO object id − 3200). Values are
 * big-endian. Extended types of third-party libraries are not part of the spec and are refused.
 */
const lppTypes = new Map<number, LppType>([
  [0, { name: 'digital_input', size: 1, parts: [['', 1, false, 1]] }],
  [1, { name: 'digital_output', size: 1, parts: [['', 1, false, 1]] }],
  [2, { name: 'analog_input', size: 2, parts: [['', 2, true, 0.01]] }],
  [3, { name: 'analog_output', size: 2, parts: [['', 2, true, 0.01]] }],
  [101, { name: 'illuminance', size: 2, parts: [['', 2, false, 1]], unit: 'LUX' }],
  [102, { name: 'presence', size: 1, parts: [['', 1, false, 1]] }],
  [103, { name: 'temperature', size: 2, parts: [['', 2, true, 0.1]], unit: 'CEL' }],
  [104, { name: 'humidity', size: 1, parts: [['', 1, false, 0.5]], unit: 'P1' }],
  [
    113,
    {
      name: 'accelerometer',
      size: 6,
      parts: [
        ['_x', 2, true, 0.001],
        ['_y', 2, true, 0.001],
        ['_z', 2, true, 0.001],
      ],
      unit: 'G',
    },
  ],
  [115, { name: 'barometer', size: 2, parts: [['', 2, false, 0.1]], unit: 'A97' }],
  [
    134,
    {
      name: 'gyrometer',
      size: 6,
      parts: [
        ['_x', 2, true, 0.01],
        ['_y', 2, true, 0.01],
        ['_z', 2, true, 0.01],
      ],
      unit: 'E96',
    },
  ],
  [
    136,
    {
      name: 'gps',
      size: 9,
      parts: [
        ['_latitude', 3, true, 0.0001],
        ['_longitude', 3, true, 0.0001],
        ['_altitude', 3, true, 0.01],
      ],
    },
  ],
]);

const gpsUnits: Record<string, string> = { _latitude: 'DD', _longitude: 'DD', _altitude: 'MTR' };

/** Cayenne LPP: a sequence of [channel, type, value…]; several channels and types in one frame. */
export function decodeCayenneLpp(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return fail('no-values', 'empty payload');
  const readings: DecodedReading[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (i + 2 > bytes.length) return fail('truncated', `frame ends inside the header at byte ${i}`);
    const channel = bytes[i];
    const typeId = bytes[i + 1];
    const type = lppTypes.get(typeId);
    if (!type) return fail('unknown-type', `unknown Cayenne LPP type ${typeId} at byte ${i + 1}`);
    if (i + 2 + type.size > bytes.length)
      return fail(
        'truncated',
        `${type.name} on channel ${channel} needs ${type.size} bytes at byte ${i + 2}`,
      );
    let at = i + 2;
    for (const [suffix, size, signed, resolution] of type.parts) {
      const raw = readInt(bytes, at, size, signed, false)!;
      const unit = type.name === 'gps' ? gpsUnits[suffix] : type.unit;
      readings.push({
        field: `${type.name}_${channel}${suffix}`,
        value: tidy(raw * resolution),
        ...(unit ? { unit } : {}),
      });
      at += size;
    }
    i = at;
  }
  return { ok: true, readings };
}

/** A byte layout: each field at a fixed offset, 1–4 bytes, signed or not, either byte order, scaled. */
export function decodeLayout(bytes: Uint8Array, fields: LayoutField[]): DecodeResult {
  if (!Array.isArray(fields) || fields.length === 0) return fail('bad-config', 'the layout names no fields');
  const readings: DecodedReading[] = [];
  for (const f of fields) {
    if (!Number.isInteger(f.offset) || f.offset < 0 || ![1, 2, 3, 4].includes(f.length))
      return fail('bad-config', `field ${f.field}: offset must be ≥ 0 and length 1–4`);
    const raw = readInt(bytes, f.offset, f.length, f.signed, f.endianness === 'little');
    if (raw === undefined)
      return fail(
        'truncated',
        `field ${f.field} needs bytes ${f.offset}–${f.offset + f.length - 1}, payload has ${bytes.length}`,
      );
    const scale = f.scale ?? 1;
    if (!Number.isFinite(scale)) return fail('bad-config', `field ${f.field}: scale must be a finite number`);
    readings.push({ field: f.field, value: tidy(raw * scale), ...(f.unit ? { unit: f.unit } : {}) });
  }
  return { ok: true, readings };
}

function pick(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    // Own properties only: `__proto__` or `constructor` in a path finds nothing.
    if (!Object.hasOwn(at, key) || (Array.isArray(at) && !/^\d+$/.test(key))) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * JSON: with `fields`, each one's path is looked up and must hold a finite number (missing ones are
 * skipped; none found is an error); without, every top-level finite number becomes a reading.
 */
export function decodeJson(bytes: Uint8Array, fields?: JsonField[]): DecodeResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('not-json', 'the payload is not UTF-8');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail('not-json', `the payload is not JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  return decodeJsonValue(doc, fields);
}

/** As `decodeJson`, for a document already parsed (ChirpStack's decoded `object`). */
export function decodeJsonValue(doc: unknown, fields?: JsonField[]): DecodeResult {
  const readings: DecodedReading[] = [];
  if (fields?.length) {
    for (const f of fields) {
      const v = pick(doc, f.path);
      if (typeof v === 'number' && Number.isFinite(v))
        readings.push({ field: f.field, value: v, ...(f.unit ? { unit: f.unit } : {}) });
    }
  } else if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const [k, v] of Object.entries(doc)) {
      if (typeof v === 'number' && Number.isFinite(v)) readings.push({ field: k, value: v });
    }
  }
  if (!readings.length) return fail('no-values', 'no numeric values found in the JSON payload');
  return { ok: true, readings };
}

/** Decodes with a profile's decoder. Never throws: anything unexpected becomes a `bad-config` error. */
export function decode(config: DecoderConfig, bytes: Uint8Array): DecodeResult {
  try {
    if (bytes.length > maxPayloadBytes) return fail('too-large', `payload of ${bytes.length} bytes`);
    switch (config.kind) {
      case 'cayenne-lpp':
        return decodeCayenneLpp(bytes);
      case 'json':
        return decodeJson(bytes, config.fields);
      case 'bytes':
        return decodeLayout(bytes, config.fields);
      default:
        return fail('bad-config', `unknown decoder ${(config as { kind?: unknown }).kind}`);
    }
  } catch (e) {
    return fail('bad-config', `decoder failed: ${(e as Error)?.message ?? String(e)}`);
  }
}
