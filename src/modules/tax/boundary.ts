import { sql } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';

/**
 * A parcel's outline: a GeoJSON Polygon or MultiPolygon in WGS 84. The shape is checked here (closed
 * rings of at least four positions, every vertex inside the same Khon Kaen area a point must lie in,
 * a bounded number of vertices), its geometry by PostGIS (ST_IsValid: no self-intersection, holes
 * inside their shell, …). A refusal is 422 `tax.boundary_invalid`, saying what is wrong.
 */

/** The area a parcel's point must lie in (schemas.ts `Point`); an outline's every vertex likewise. */
export const area = { lon: [102.7, 102.95], lat: [16.3, 16.55] } as const;
/** Enough for a surveyed parcel (a deed's plan has tens of corners), few enough to keep a row small. */
export const maxPositions = 2000;

/** The API's outline. The schema checks little, so that a bad one is answered with what is wrong. */
export const BoundarySchema = Type.Object(
  {
    type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    coordinates: Type.Array(Type.Unknown(), { minItems: 1, maxItems: maxPositions }),
  },
  {
    additionalProperties: false,
    description: `GeoJSON Polygon or MultiPolygon, WGS 84 [lon, lat], at most ${maxPositions} positions, inside the Khon Kaen area`,
  },
);
export type BoundaryInput = Static<typeof BoundarySchema>;

export type Position = [number, number];
/** Polygons, each its rings (the first the shell), each ring its positions. */
export type Polygons = Position[][][];

export type BoundaryProblem =
  | 'unreadable'
  | 'shape'
  | 'ring_short'
  | 'ring_open'
  | 'outside'
  | 'too_many_points'
  | 'invalid';

registerMessages({
  'tax.boundary_invalid': { th: 'ขอบเขตแปลงที่ดินไม่ถูกต้อง', en: 'The parcel outline is not valid' },
  'tax.boundary.unreadable': {
    th: 'อ่านไม่ได้ ต้องเป็น GeoJSON (Polygon หรือ MultiPolygon) หรือ WKT (POLYGON หรือ MULTIPOLYGON)',
    en: 'unreadable: give GeoJSON (Polygon or MultiPolygon) or WKT (POLYGON or MULTIPOLYGON)',
  },
  'tax.boundary.shape': {
    th: 'ต้องเป็นรูปหลายเหลี่ยม (Polygon หรือ MultiPolygon) ที่แต่ละจุดเป็น [ลองจิจูด, ละติจูด]',
    en: 'must be a Polygon or MultiPolygon whose positions are [lon, lat]',
  },
  'tax.boundary.ring_short': {
    th: 'แต่ละวงต้องมีอย่างน้อย 4 จุด (จุดสุดท้ายซ้ำจุดแรก)',
    en: 'each ring needs at least 4 positions (the last repeating the first)',
  },
  'tax.boundary.ring_open': {
    th: 'วงไม่ปิด: จุดสุดท้ายต้องเป็นจุดเดียวกับจุดแรก',
    en: 'a ring is not closed: its last position must be its first',
  },
  'tax.boundary.outside': {
    th: 'มีจุดอยู่นอกพื้นที่ขอนแก่น (ลองจิจูด 102.7–102.95, ละติจูด 16.3–16.55)',
    en: 'a position lies outside the Khon Kaen area (lon 102.7–102.95, lat 16.3–16.55)',
  },
  'tax.boundary.too_many_points': {
    th: 'มีจุดมากเกินไป (ไม่เกิน {max} จุด)',
    en: 'too many positions (at most {max})',
  },
  'tax.boundary.invalid': {
    th: 'รูปร่างไม่ถูกต้อง (เช่น เส้นตัดกันเอง): {reason}',
    en: 'not a valid shape (e.g. its edges cross): {reason}',
  },
});

export class BoundaryError extends Error {
  constructor(
    readonly problem: BoundaryProblem,
    readonly params: Record<string, string | number> = {},
  ) {
    super(problem);
  }
}

/** The problem as the API answers it: 422 with the message beside `/boundary`. */
export function boundaryProblem(e: BoundaryError) {
  const text = msg(`tax.boundary.${e.problem}`, e.params);
  return new AppError(422, 'tax.boundary_invalid', text, [{ path: '/boundary', message: text }]);
}

const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number' && Number.isFinite(x));

/** The outline's polygons, checked for shape, closed rings, size and area; throws BoundaryError. */
export function checkBoundary(g: { type: string; coordinates: unknown }): Polygons {
  const raw = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : null;
  if (!Array.isArray(raw) || raw.length === 0) throw new BoundaryError('shape');
  let count = 0;
  for (const polygon of raw) {
    if (!Array.isArray(polygon) || polygon.length === 0) throw new BoundaryError('shape');
    for (const ring of polygon) {
      if (!Array.isArray(ring)) throw new BoundaryError('shape');
      count += ring.length;
      if (count > maxPositions) throw new BoundaryError('too_many_points', { max: maxPositions });
      if (!ring.every(isPosition)) throw new BoundaryError('shape');
    }
  }
  const polygons = raw as Polygons;
  for (const ring of polygons.flat()) {
    if (ring.length < 4) throw new BoundaryError('ring_short');
    const [first, last] = [ring[0], ring[ring.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) throw new BoundaryError('ring_open');
    for (const [lon, lat] of ring)
      if (lon < area.lon[0] || lon > area.lon[1] || lat < area.lat[0] || lat > area.lat[1])
        throw new BoundaryError('outside');
  }
  return polygons;
}

/** WKT `POLYGON ((…))` or `MULTIPOLYGON (((…)))` as GeoJSON, or undefined when it is neither. */
export function wktToGeoJson(text: string): { type: string; coordinates: unknown } | undefined {
  const m = /^\s*(MULTIPOLYGON|POLYGON)\s*(\(.*\))\s*$/is.exec(text);
  if (!m) return undefined;
  // Brackets and numbers only: "(1 2, 3 4)" becomes "[[1,2],[3,4]]" and is then read as JSON.
  const body = m[2];
  if (!/^[\s\d.eE+\-,()]*$/.test(body)) return undefined;
  const json = body
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/(-?[\d.]+(?:[eE][+-]?\d+)?)\s+(-?[\d.]+(?:[eE][+-]?\d+)?)/g, '[$1,$2]');
  try {
    return {
      type: m[1].toUpperCase() === 'POLYGON' ? 'Polygon' : 'MultiPolygon',
      coordinates: JSON.parse(json),
    };
  } catch {
    return undefined;
  }
}

/** An import cell: GeoJSON (a geometry, or a Feature holding one) or WKT. Throws BoundaryError. */
export function readBoundaryText(text: string): Polygons {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let g: unknown;
    try {
      g = JSON.parse(trimmed);
    } catch {
      throw new BoundaryError('unreadable');
    }
    const geometry =
      (g as { type?: string; geometry?: unknown }).type === 'Feature'
        ? (g as { geometry: unknown }).geometry
        : g;
    if (!geometry || typeof geometry !== 'object') throw new BoundaryError('shape');
    return checkBoundary(geometry as { type: string; coordinates: unknown });
  }
  const wkt = wktToGeoJson(trimmed);
  if (!wkt) throw new BoundaryError('unreadable');
  return checkBoundary(wkt);
}

export interface CheckedBoundary {
  /** As stored: a MultiPolygon, seven decimals (about 1 cm). */
  geojson: { type: 'MultiPolygon'; coordinates: Polygons };
  /** A point surely inside it, for a parcel that has no point of its own. */
  pointOnSurface: { lon: number; lat: number };
}

/** SQL for the outline as stored (MultiPolygon, SRID 4326). */
export const boundarySql = (polygons: Polygons) =>
  sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'MultiPolygon', coordinates: polygons })}), 4326))`;

/**
 * PostGIS's word on an outline whose shape passed `checkBoundary` (so it always parses, and the
 * query cannot fail inside the caller's transaction): valid, or BoundaryError `invalid` with why.
 */
export async function validBoundary(
  db: Db,
  on: Executor | undefined,
  polygons: Polygons,
): Promise<CheckedBoundary> {
  const [row] = await db.rows<{
    valid: boolean;
    reason: string;
    geojson: CheckedBoundary['geojson'];
    lon: number;
    lat: number;
  }>(
    sql`SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_AsGeoJSON(g, 7)::json AS geojson,
        ST_X(ST_PointOnSurface(g)) AS lon, ST_Y(ST_PointOnSurface(g)) AS lat
      FROM (SELECT ${boundarySql(polygons)} AS g) s`,
    on,
  );
  if (!row.valid) throw new BoundaryError('invalid', { reason: row.reason });
  return { geojson: row.geojson, pointOnSurface: { lon: row.lon, lat: row.lat } };
}

/** `checkBoundary` then `validBoundary`, answering the API's 422 problem when it is refused. */
export async function apiBoundary(
  db: Db,
  on: Executor | undefined,
  g: BoundaryInput,
): Promise<CheckedBoundary> {
  try {
    return await validBoundary(db, on, checkBoundary(g));
  } catch (e) {
    if (e instanceof BoundaryError) throw boundaryProblem(e);
    throw e;
  }
}
