/**
 * Finance staff register a new parcel or sign, or add a building to a parcel, on the register screen.
 * The typed values are checked like a correction's (register-edit.ts: same readers, same messages),
 * compared with an empty record so every field given is sent; the server checks again.
 */
import {
  buildingPatch,
  type EditErrors,
  type EditResult,
  parcelPatch,
  signPatch,
  type Values,
} from './register-edit.ts';

export const deedKinds = ['chanote', 'ns3k', 'ns3', 'other'] as const;

/** The point as typed: both empty for none; else longitude and latitude inside the Khon Kaen area. */
function readPoint(v: Values, errors: EditErrors) {
  const lon = (v.lon ?? '').trim();
  const lat = (v.lat ?? '').trim();
  if (!lon && !lat) return undefined;
  const point = { lon: Number(lon), lat: Number(lat) };
  if (!lon || !Number.isFinite(point.lon) || point.lon < 102.7 || point.lon > 102.95)
    errors.lon = 'tax.newRecord.errors.lon';
  if (!lat || !Number.isFinite(point.lat) || point.lat < 16.3 || point.lat > 16.55)
    errors.lat = 'tax.newRecord.errors.lat';
  return point;
}

const withoutVersion = (
  result: EditResult,
  extra: Record<string, unknown>,
  errors: EditErrors,
): EditResult => {
  const all = { ...('errors' in result ? result.errors : {}), ...errors };
  if (Object.keys(all).length) return { errors: all };
  const { version: _, ...body } = 'patch' in result ? result.patch : {};
  return { patch: { ...body, ...extra } };
};

export function parcelNew(v: Values): EditResult {
  const errors: EditErrors = {};
  if (!(deedKinds as readonly string[]).includes(v.deedKind ?? ''))
    errors.deedKind = 'tax.newRecord.errors.deedKind';
  const deedNo = (v.deedNo ?? '').trim();
  if (!deedNo) errors.deedNo = 'form.errors.required';
  else if (deedNo.length > 50) errors.deedNo = 'tax.edit.errors.long';
  const location = readPoint(v, errors);
  const empty = {
    ownerTaxId: '',
    areaM2: 0,
    valuePerM2: null,
    appraisalZone: null,
    appraisalBlock: null,
    uses: [],
  };
  return withoutVersion(
    parcelPatch(empty, v, 0),
    { deedKind: v.deedKind, deedNo, ...(location ? { location } : {}) },
    errors,
  );
}

export function signNew(v: Values): EditResult {
  const errors: EditErrors = {};
  const location = readPoint(v, errors);
  const empty = {
    ownerTaxId: '',
    widthCm: 0,
    heightCm: 0,
    type: 0,
    textLanguage: '',
    moving: false,
    text: null,
  };
  // `moving: false` equals the empty record's, so it is put back.
  return withoutVersion(
    signPatch(empty, v, 0),
    { moving: v.moving === 'true', ...(location ? { location } : {}) },
    errors,
  );
}

/** A building added to a parcel: its body names the parcel's version as read. */
export function buildingNew(v: Values, parcelVersion: number): EditResult {
  const empty = {
    buildingNo: null,
    kind: '',
    floorAreaM2: 0,
    costPerM2Baht: null,
    ageYears: -1,
    depreciationPercent: null,
  };
  const result = buildingPatch(empty, v, parcelVersion);
  if (!('patch' in result)) return result;
  return { patch: { ...result.patch, version: parcelVersion } };
}
