/**
 * Finance staff correct a parcel, a building, a sign or an owner. The form holds text as typed; `editPatch`
 * checks it and builds the PATCH body with only the fields that changed (the server checks again).
 */
import { readCentimetres, type TextLanguage, textLanguages } from './declaration.ts';
import { checkThaiNationalId } from './thai-id.ts';

export type Values = Record<string, string>;
/** Field name → i18n key of the message. */
export type EditErrors = Record<string, string>;
export type EditResult = { patch: Record<string, unknown> } | { errors: EditErrors } | { unchanged: true };

export interface Use {
  use: string;
  sharePercent: number;
  mainHome?: string;
  vacantYears?: number;
}
export interface ParcelNow {
  ownerTaxId: string;
  areaM2: number;
  valuePerM2: number | null;
  appraisalZone: string | null;
  appraisalBlock: string | null;
  uses: Use[];
  /** The outline as stored (GeoJSON MultiPolygon), or none. */
  boundary?: Outline | null;
}
export interface Outline {
  type: string;
  coordinates: unknown;
}
export interface BuildingNow {
  buildingNo: string | null;
  kind: string;
  floorAreaM2: number;
  costPerM2Baht: number | null;
  ageYears: number;
  depreciationPercent: number | null;
}
export interface SignNow {
  ownerTaxId: string;
  widthCm: number;
  heightCm: number;
  type: number;
  textLanguage: string;
  moving: boolean;
  text: string | null;
}

export interface OwnerNow {
  kind: string;
  taxId: string;
  name: string;
  address: string | null;
}

export const uses = ['agriculture', 'residential', 'other', 'vacant'] as const;
/** A residential use's main-home status: '' is another home (no exemption). */
export const mainHomes = ['', 'land-and-building', 'building-only'] as const;
/** The fields of one use row, by prefix (`use0`, `share0`, …). */
const rowFields = ['use', 'share', 'home', 'vacant', 'from'];

/** m² → rai, ngan and square wa as on a deed (1 rai = 4 ngan = 400 wa² = 1,600 m²). */
export function raiNganWa(m2: number) {
  const rai = Math.floor(m2 / 1600);
  const ngan = Math.floor((m2 - rai * 1600) / 400);
  const wa = Math.round(((m2 - rai * 1600 - ngan * 400) / 4) * 100) / 100;
  return { rai, ngan, wa };
}

const text = (v: number | string | null) => (v === null ? '' : String(v));

export function parcelValues(p: ParcelNow): Values {
  const area = raiNganWa(p.areaM2);
  const values: Values = {
    ownerTaxId: p.ownerTaxId,
    rai: String(area.rai),
    ngan: String(area.ngan),
    wa: String(area.wa),
    valuePerM2Baht: text(p.valuePerM2),
    appraisalZone: text(p.appraisalZone),
    appraisalBlock: text(p.appraisalBlock),
    boundary: p.boundary ? JSON.stringify(p.boundary) : '',
  };
  p.uses.forEach((u, i) => {
    values[`use${i}`] = u.use;
    values[`share${i}`] = String(u.sharePercent);
    values[`home${i}`] = u.mainHome ?? '';
    values[`vacant${i}`] = u.vacantYears === undefined ? '' : String(u.vacantYears);
    values[`from${i}`] = String(i);
  });
  values.uses = String(p.uses.length);
  return values;
}

/** A parcel has one to four uses (the API's limit). */
export const maxUses = 4;

/** How many use rows the form holds. */
export const countUses = (v: Values) => Number(v.uses ?? 0);

/** A new, empty use row at the end (no main home, no years vacant until they are chosen). */
export function addUse(v: Values): Values {
  const n = countUses(v);
  if (n >= maxUses) return v;
  const row = Object.fromEntries(rowFields.map((f) => [`${f}${n}`, '']));
  return { ...v, ...row, uses: String(n + 1) };
}

/** The form without use row `i`, the rows after it moved up one; the last row cannot go. */
export function removeUse(v: Values, i: number): Values {
  const n = countUses(v);
  if (n <= 1 || i < 0 || i >= n) return v;
  const out: Values = { ...v, uses: String(n - 1) };
  for (let k = i; k < n - 1; k++) for (const f of rowFields) out[`${f}${k}`] = v[`${f}${k + 1}`] ?? '';
  for (const f of rowFields) delete out[`${f}${n - 1}`];
  return out;
}
export const buildingValues = (b: BuildingNow): Values => ({
  buildingNo: text(b.buildingNo),
  kind: b.kind,
  floorAreaM2: String(b.floorAreaM2),
  costPerM2Baht: text(b.costPerM2Baht),
  ageYears: String(b.ageYears),
  depreciationPercent: text(b.depreciationPercent),
});
export const signValues = (s: SignNow): Values => ({
  ownerTaxId: s.ownerTaxId,
  widthCm: String(s.widthCm),
  heightCm: String(s.heightCm),
  textLanguage: s.textLanguage,
  moving: String(s.moving),
  text: text(s.text),
});
export const ownerValues = (o: OwnerNow): Values => ({
  kind: o.kind,
  taxId: o.taxId,
  name: o.name,
  address: text(o.address),
});

/** Checks typed values; each reader answers the value, or records an error and answers undefined. */
function reader(v: Values, errors: EditErrors) {
  const number = (
    name: string,
    opts: { min?: number; above?: number; max: number; integer?: boolean; empty?: boolean },
  ) => {
    const raw = (v[name] ?? '').trim();
    if (!raw) {
      if (opts.empty) return null;
      errors[name] = 'form.errors.required';
      return undefined;
    }
    const n = readCentimetres(raw);
    if (
      n === null ||
      (opts.integer && !Number.isInteger(n)) ||
      (opts.min !== undefined && n < opts.min) ||
      (opts.above !== undefined && n <= opts.above) ||
      n > opts.max
    ) {
      errors[name] = 'tax.edit.errors.number';
      return undefined;
    }
    return n;
  };
  const label = (name: string, max: number, empty: boolean) => {
    const raw = (v[name] ?? '').trim();
    if (!raw) {
      if (empty) return null;
      errors[name] = 'form.errors.required';
      return undefined;
    }
    if (raw.length > max) {
      errors[name] = 'tax.edit.errors.long';
      return undefined;
    }
    return raw;
  };
  const taxId = (name: string) => {
    const check = checkThaiNationalId(v[name] ?? '');
    if (!check.ok) {
      errors[name] = `tax.edit.errors.taxId.${check.reason}`;
      return undefined;
    }
    return check.value;
  };
  return { number, label, taxId };
}

/** The changed fields of `next` over `now`, or unchanged. */
function diff(now: Record<string, unknown>, next: Record<string, unknown>, version: number): EditResult {
  const patch: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(next))
    if (JSON.stringify(value) !== JSON.stringify(now[k])) patch[k] = value;
  return Object.keys(patch).length ? { patch: { version, ...patch } } : { unchanged: true };
}

export function parcelPatch(now: ParcelNow, v: Values, version: number): EditResult {
  const errors: EditErrors = {};
  const r = reader(v, errors);
  const ownerTaxId = r.taxId('ownerTaxId');
  const rai = r.number('rai', { min: 0, max: 1_000_000, integer: true });
  const ngan = r.number('ngan', { min: 0, max: 3, integer: true });
  const wa = r.number('wa', { min: 0, max: 99.99 });
  const valuePerM2Baht = r.number('valuePerM2Baht', { min: 0, max: 10_000_000, empty: true });
  const appraisalZone = r.label('appraisalZone', 50, true);
  const appraisalBlock = r.label('appraisalBlock', 50, true);
  if (appraisalBlock && appraisalZone === null) errors.appraisalZone = 'tax.edit.errors.zoneForBlock';
  const count = v.uses === undefined ? now.uses.length : countUses(v);
  if (!Number.isInteger(count) || count < 1 || count > maxUses) errors.use0 = 'tax.edit.errors.useCount';
  const seen = new Set<string>();
  const nextUses = Array.from({ length: errors.use0 ? 0 : count }, (_, i) => {
    // The row's origin among the uses as read; a row added in the form has none.
    const from = v[`from${i}`] ?? String(i);
    const u: Use | undefined = from === '' ? undefined : now.uses[Number(from)];
    const use = v[`use${i}`] ?? u?.use ?? '';
    if (!(uses as readonly string[]).includes(use)) errors[`use${i}`] = 'tax.edit.errors.use';
    const share = r.number(`share${i}`, { above: 0, max: 100 }) ?? 0;
    const next: Use = { use, sharePercent: share };
    // The status belongs to its use: a main home only for residence, years vacant only for vacant
    // land (the fields are shown only then; a value left in a hidden field is not sent).
    if (use === 'residential') {
      const home = v[`home${i}`] ?? u?.mainHome ?? '';
      if (!(mainHomes as readonly string[]).includes(home)) errors[`home${i}`] = 'tax.edit.errors.mainHome';
      else if (home) next.mainHome = home;
    }
    if (use === 'vacant') {
      const typed = v[`vacant${i}`];
      const years =
        typed === undefined
          ? (u?.vacantYears ?? null)
          : r.number(`vacant${i}`, { min: 0, max: 100, integer: true, empty: true });
      if (years !== null && years !== undefined) next.vacantYears = years;
    }
    // The same use twice (a main home and another home are different uses) would be taxed twice over.
    const key = `${next.use}/${next.mainHome ?? ''}`;
    if (seen.has(key) && !errors[`use${i}`]) errors[`use${i}`] = 'tax.edit.errors.duplicateUse';
    seen.add(key);
    return next;
  });
  const total = nextUses.reduce((s, u) => s + u.sharePercent, 0);
  if (
    nextUses.length &&
    !Object.keys(errors).some((k) => k.startsWith('share')) &&
    Math.abs(total - 100) > 1e-9
  )
    errors.share0 = 'tax.edit.errors.shares';
  const areaM2 = (rai ?? 0) * 1600 + (ngan ?? 0) * 400 + (wa ?? 0) * 4;
  if (rai !== undefined && ngan !== undefined && wa !== undefined && areaM2 <= 0)
    errors.rai = 'tax.edit.errors.area';
  const boundary = readOutline(v.boundary, errors);
  if (Object.keys(errors).length) return { errors };
  const result = diff(
    { ...now, valuePerM2Baht: now.valuePerM2, boundary: now.boundary ?? null },
    {
      ownerTaxId,
      valuePerM2Baht,
      appraisalZone,
      appraisalBlock,
      uses: nextUses,
      // Untouched (or never shown), the outline is not sent.
      ...(boundary === undefined ? {} : { boundary }),
    },
    version,
  );
  if (Math.abs(areaM2 - now.areaM2) < 0.005) return result;
  const patch = 'patch' in result ? result.patch : { version };
  return { patch: { ...patch, area: { rai, ngan, wa } } };
}

export function buildingPatch(now: BuildingNow, v: Values, version: number): EditResult {
  const errors: EditErrors = {};
  const r = reader(v, errors);
  const next = {
    buildingNo: r.label('buildingNo', 50, true),
    kind: r.label('kind', 100, false),
    floorAreaM2: r.number('floorAreaM2', { above: 0, max: 1_000_000 }),
    costPerM2Baht: r.number('costPerM2Baht', { min: 0, max: 1_000_000, empty: true }),
    ageYears: r.number('ageYears', { min: 0, max: 500, integer: true }),
    depreciationPercent: r.number('depreciationPercent', { min: 0, max: 100, empty: true }),
  };
  if (Object.keys(errors).length) return { errors };
  return diff({ ...now }, next, version);
}

/**
 * A parcel's outline as typed: GeoJSON (a Polygon or MultiPolygon, or a Feature of one); empty removes
 * it; undefined when the field is not in the form. The server checks the rings, the area and validity.
 */
function readOutline(typed: string | undefined, errors: EditErrors): Outline | null | undefined {
  if (typed === undefined) return undefined;
  const raw = typed.trim();
  if (!raw) return null;
  let g: unknown;
  try {
    g = JSON.parse(raw);
  } catch {
    errors.boundary = 'tax.edit.errors.boundaryJson';
    return undefined;
  }
  const geometry =
    (g as { type?: string; geometry?: unknown })?.type === 'Feature'
      ? (g as { geometry: unknown }).geometry
      : g;
  const type = (geometry as { type?: unknown } | null)?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    errors.boundary = 'tax.edit.errors.boundaryType';
    return undefined;
  }
  const { coordinates } = geometry as Outline;
  return { type, coordinates };
}

export function signPatch(now: SignNow, v: Values, version: number): EditResult {
  const errors: EditErrors = {};
  const r = reader(v, errors);
  const textLanguage = v.textLanguage as TextLanguage;
  if (!textLanguages.includes(textLanguage)) errors.textLanguage = 'tax.declare.errors.language';
  if (v.moving !== 'true' && v.moving !== 'false') errors.moving = 'tax.declare.errors.moving';
  const next = {
    ownerTaxId: r.taxId('ownerTaxId'),
    widthCm: r.number('widthCm', { above: 0, max: 100_000 }),
    heightCm: r.number('heightCm', { above: 0, max: 100_000 }),
    // The type follows from the language on the server.
    textLanguage,
    moving: v.moving === 'true',
    text: r.label('text', 1000, true),
  };
  if (Object.keys(errors).length) return { errors };
  return diff({ ...now }, next, version);
}

/** An owner's typed fields: person or juristic person, a 13-digit ID with its check digit, a name, an address or none. */
function readOwner(v: Values) {
  const errors: EditErrors = {};
  const r = reader(v, errors);
  if (v.kind !== 'person' && v.kind !== 'juristic') errors.kind = 'tax.edit.errors.ownerKind';
  const owner = {
    kind: v.kind,
    taxId: r.taxId('taxId'),
    name: r.label('name', 300, false),
    address: r.label('address', 1000, true),
  };
  return { errors, owner };
}

/** A correction of an owner: the fields that changed. */
export function ownerPatch(now: OwnerNow, v: Values, version: number): EditResult {
  const { errors, owner } = readOwner(v);
  if (Object.keys(errors).length) return { errors };
  return diff({ ...now }, owner, version);
}

/** A new owner: the same checks as a correction; an empty address is left out. */
export function ownerNew(v: Values): EditResult {
  const { errors, owner } = readOwner(v);
  if (Object.keys(errors).length) return { errors };
  const { address, ...rest } = owner;
  return { patch: { ...rest, ...(address ? { address } : {}) } };
}

/** A server error's path (`/uses/0/sharePercent`, `/area`) → the form field to show it beside. */
export function fieldOf(bodyPath: string): string {
  // Schema errors name the field in the body (`/body/name`), the server's own checks the field (`/name`).
  const path = bodyPath.replace(/^\/body(?=\/)/, '');
  const use = /^\/uses\/(\d+)\/use$/.exec(path);
  if (use) return `use${use[1]}`;
  const status = /^\/uses\/(\d+)\/(mainHome|vacantYears)$/.exec(path);
  if (status) return `${status[2] === 'mainHome' ? 'home' : 'vacant'}${status[1]}`;
  if (path.startsWith('/uses')) return 'share0';
  if (path.startsWith('/area')) return 'rai';
  // The new-record forms type a point as longitude and latitude.
  const point = /^\/location(?:\/(lon|lat))?/.exec(path);
  if (point) return point[1] ?? 'lon';
  return path.replace(/^\//, '').split('/')[0];
}
