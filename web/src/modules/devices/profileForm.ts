/** The profile form's values as typed, its checks (the API's patterns) and its body. */
export type DecoderKind = 'cayenne-lpp' | 'json' | 'bytes';
export interface JsonRow {
  field: string;
  path: string;
  unit: string;
}
export interface ByteRow {
  field: string;
  offset: string;
  length: string;
  signed: boolean;
  endianness: 'big' | 'little';
  scale: string;
  unit: string;
}
export interface QuantityRow {
  field: string;
  quantity: string;
  unit: string;
}
export interface ProfileFormValues {
  name: string;
  kind: DecoderKind;
  json: JsonRow[];
  bytes: ByteRow[];
  quantities: QuantityRow[];
  entityType: string;
}

export const emptyProfile: ProfileFormValues = {
  name: '',
  kind: 'cayenne-lpp',
  json: [],
  bytes: [],
  quantities: [],
  entityType: 'Device',
};
export const emptyByteRow: ByteRow = {
  field: '',
  offset: '0',
  length: '2',
  signed: false,
  endianness: 'big',
  scale: '',
  unit: '',
};

const fieldPattern = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;
const pathPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,9}$/;
const namePattern = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
const unitOk = (u: string) => u.trim().length <= 20;
const int = (s: string, min: number, max: number) => /^\d+$/.test(s.trim()) && +s >= min && +s <= max;

/** Errors by key: `name`, `entityType`, or `json.2.path`, `bytes.0.offset`, `quantities.1.quantity`. */
export function checkProfile(v: ProfileFormValues): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.name.trim()) e.name = 'devices.form.required';
  else if (v.name.trim().length > 200) e.name = 'devices.form.tooLong';
  if (!namePattern.test(v.entityType.trim())) e.entityType = 'devices.profileForm.nameInvalid';
  if (v.kind === 'json')
    v.json.forEach((r, i) => {
      if (!fieldPattern.test(r.field)) e[`json.${i}.field`] = 'devices.profileForm.fieldInvalid';
      if (!pathPattern.test(r.path)) e[`json.${i}.path`] = 'devices.profileForm.pathInvalid';
      if (!unitOk(r.unit)) e[`json.${i}.unit`] = 'devices.profileForm.unitInvalid';
    });
  if (v.kind === 'bytes') {
    if (!v.bytes.length) e.bytes = 'devices.profileForm.bytesRequired';
    v.bytes.forEach((r, i) => {
      if (!fieldPattern.test(r.field)) e[`bytes.${i}.field`] = 'devices.profileForm.fieldInvalid';
      if (!int(r.offset, 0, 255)) e[`bytes.${i}.offset`] = 'devices.profileForm.offsetInvalid';
      if (!int(r.length, 1, 4)) e[`bytes.${i}.length`] = 'devices.profileForm.lengthInvalid';
      if (r.scale.trim() && !Number.isFinite(Number(r.scale)))
        e[`bytes.${i}.scale`] = 'devices.profileForm.scaleInvalid';
      if (!unitOk(r.unit)) e[`bytes.${i}.unit`] = 'devices.profileForm.unitInvalid';
    });
  }
  v.quantities.forEach((r, i) => {
    if (!fieldPattern.test(r.field)) e[`quantities.${i}.field`] = 'devices.profileForm.fieldInvalid';
    if (!namePattern.test(r.quantity)) e[`quantities.${i}.quantity`] = 'devices.profileForm.nameInvalid';
    if (!unitOk(r.unit)) e[`quantities.${i}.unit`] = 'devices.profileForm.unitInvalid';
  });
  return e;
}

const withUnit = (u: string) => (u.trim() ? { unit: u.trim() } : {});

export function profileBody(v: ProfileFormValues) {
  const decoder =
    v.kind === 'json'
      ? {
          kind: 'json' as const,
          fields: v.json.map((r) => ({ field: r.field, path: r.path, ...withUnit(r.unit) })),
        }
      : v.kind === 'bytes'
        ? {
            kind: 'bytes' as const,
            fields: v.bytes.map((r) => ({
              field: r.field,
              offset: Number(r.offset),
              length: Number(r.length),
              signed: r.signed,
              endianness: r.endianness,
              ...(r.scale.trim() ? { scale: Number(r.scale) } : {}),
              ...withUnit(r.unit),
            })),
          }
        : { kind: 'cayenne-lpp' as const };
  return {
    name: v.name.trim(),
    decoder,
    quantities: v.quantities.map((q) => ({ field: q.field, quantity: q.quantity, ...withUnit(q.unit) })),
    entityType: v.entityType.trim(),
  };
}

interface ProfileLike {
  name: string;
  entityType: string;
  decoder: {
    kind: DecoderKind;
    fields?: {
      field: string;
      path?: string;
      offset?: number;
      length?: number;
      signed?: boolean;
      endianness?: 'big' | 'little';
      scale?: number;
      unit?: string;
    }[];
  };
  quantities: { field: string; quantity: string; unit?: string }[];
}

export function fromProfile(p: ProfileLike): ProfileFormValues {
  const fields = p.decoder.fields ?? [];
  return {
    name: p.name,
    kind: p.decoder.kind,
    entityType: p.entityType,
    json:
      p.decoder.kind === 'json'
        ? fields.map((f) => ({ field: f.field, path: f.path ?? '', unit: f.unit ?? '' }))
        : [],
    bytes:
      p.decoder.kind === 'bytes'
        ? fields.map((f) => ({
            field: f.field,
            offset: String(f.offset ?? 0),
            length: String(f.length ?? 1),
            signed: !!f.signed,
            endianness: f.endianness ?? 'big',
            scale: f.scale === undefined ? '' : String(f.scale),
            unit: f.unit ?? '',
          }))
        : [],
    quantities: p.quantities.map((q) => ({ field: q.field, quantity: q.quantity, unit: q.unit ?? '' })),
  };
}
