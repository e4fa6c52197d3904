/**
 * Why a register row (or a bank statement row) was refused: a stable code with the values it names,
 * and the English sentence for integrators and logs. The web app says it in Thai or English from the
 * code.
 */
export interface RowReason {
  code: string;
  params?: Record<string, string | number>;
  error: string;
}

type Params = Record<string, string | number>;

const sentences = {
  owner_tax_id: () => 'ownerTaxId: check digit does not match',
  point_pair: () => 'lon, lat: give both or neither',
  main_home_use: () => 'mainHome: only for residential use',
  vacant_years_use: () => 'vacantYears: only for vacant land',
  appraisal_block_zone: () => 'appraisalBlock: needs appraisalZone',
  round_span: () => 'roundTo: a round runs from roundFrom for at most 8 more years',
  deed_pair: () => 'deedKind, deedNo: give both or neither',
  deed_and_zone: () => 'deedNo: a row is for one parcel or for a zone, not both',
  block_zone: () => 'block: needs zone',
  zone_or_deed: () => 'zone: give a zone or a deed',
  main_home_taken: (p) =>
    `mainHome: the owner already has a main home, deed ${p.deedKind} ${p.deedNo} (one per owner, s.41)`,
  deed_registered: (p) => `deed ${p.deedKind} ${p.deedNo} is already registered`,
  no_parcel: (p) => `deed ${p.deedKind} ${p.deedNo}: no such parcel in the register`,
  building_registered: (p) => `building ${p.buildingNo} on deed ${p.deedNo} is already registered`,
  sign_registered: () => 'the same sign (owner, size, type, text and place) is already registered',
  appraisal_repeated: () => 'the same parcel or zone appears earlier in this file for this round',
  depreciation_repeated: () => 'the same building type and age appear earlier in this file',
  code_taken: (p) => `code: ${p.code} is already "${p.holder}" in this round`,
  building_cost_repeated: () => 'the same building type appears earlier in this file for this round',
  boundary_unreadable: () =>
    'boundary: not GeoJSON (Polygon or MultiPolygon) nor WKT (POLYGON or MULTIPOLYGON)',
  boundary_shape: () => 'boundary: must be a Polygon or MultiPolygon whose positions are [lon, lat]',
  boundary_ring_short: () => 'boundary: each ring needs at least 4 positions (the last repeating the first)',
  boundary_ring_open: () => 'boundary: a ring is not closed (its last position must be its first)',
  boundary_outside: () => 'boundary: a position lies outside the Khon Kaen area',
  boundary_too_many_points: (p) => `boundary: too many positions (at most ${p.max})`,
  boundary_invalid: (p) => `boundary: not a valid shape (${p.reason})`,
  sign_language_required: () => 'textLanguage: give the text language or the type',
  sign_type_language: (p) =>
    `type: a sign whose text language is ${p.textLanguage} is type ${p.expected}, not type ${p.type}`,
  tax_id: () => 'taxId: check digit does not match',
  owner_registered: (p) => `taxId: ${p.taxId} is already an owner in the register`,
  use_or_uses: () =>
    'use, uses: give one use in use (with mainHome, vacantYears) or several in uses, not both',
  uses_unreadable: (p) =>
    `uses: "${p.part}" is not use:share[:status] (e.g. residential:60:land-and-building;other:40)`,
  uses_shares: (p) => `uses: the shares add up to ${p.share}%, not 100%`,
  uses_duplicate: (p) => `uses: ${p.use} is listed twice`,
  statement_columns: (p) => `expected ${p.expected} columns, got ${p.got}`,
} satisfies Record<string, (p: Params) => string>;

export type ReasonCode = keyof typeof sentences;
/** Every code a row can be refused with besides `required` and `invalid`: each needs its Thai words. */
export const reasonCodes = Object.keys(sentences) as ReasonCode[];

export function reason(code: ReasonCode, params?: Params): RowReason {
  const error = (sentences[code] as (p: Params) => string)(params ?? {});
  return params ? { code, params, error } : { code, error };
}

/** A schema check's first error (TypeBox), by column and rule; the English keeps TypeBox's words. */
export function schemaReason(e: {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}): RowReason {
  const column = e.instancePath.slice(1);
  const error = `${column || 'row'}: ${e.message}`;
  if (e.keyword === 'required') {
    const columns = ((e.params.requiredProperties as string[] | undefined) ?? []).join(', ');
    return { code: 'required', params: { columns }, error };
  }
  const params: Params = { column, rule: e.keyword };
  for (const k of ['limit', 'type', 'format'] as const) {
    const v = e.params[k];
    if (typeof v === 'string' || typeof v === 'number') params[k] = v;
  }
  return { code: 'invalid', params, error };
}
