import { badData, invalid } from './errors.ts';

export type Geometry = { type: string; coordinates?: unknown; geometries?: Geometry[] };

export type GeoRel =
  | { kind: 'near'; bound: 'maxDistance' | 'minDistance'; metres: number }
  | { kind: 'within' | 'contains' | 'intersects' | 'equals' | 'disjoint' | 'overlaps' };

export interface GeoQuery {
  rel: GeoRel;
  geometry: Geometry;
  /** The GeoProperty the query applies to, as given (expanded by the caller); default `location`. */
  geoproperty: string;
}

const relations = ['within', 'contains', 'intersects', 'equals', 'disjoint', 'overlaps'] as const;
const maxPositions = 10_000;

/** Parses the `georel`, `geometry`, `coordinates` and `geoproperty` query parameters. */
export function parseGeoQuery(params: {
  georel?: string;
  geometry?: string;
  coordinates?: string | unknown;
  geoproperty?: string;
}): GeoQuery | null {
  const { georel, geometry, coordinates } = params;
  if (georel === undefined && geometry === undefined && coordinates === undefined) return null;
  if (!georel || !geometry || coordinates === undefined)
    throw badData('a geo-query needs georel, geometry and coordinates together');
  let coords: unknown = coordinates;
  if (typeof coordinates === 'string') {
    try {
      coords = JSON.parse(coordinates.trim().startsWith('[') ? coordinates : `[${coordinates}]`);
    } catch {
      throw badData('coordinates must be a JSON array');
    }
  }
  const shape: Geometry = { type: geometry, coordinates: coords };
  checkGeometry(shape);
  return { rel: parseGeoRel(georel), geometry: shape, geoproperty: params.geoproperty || 'location' };
}

export function parseGeoRel(text: string): GeoRel {
  const [name, ...modifiers] = text.split(';');
  if (name === 'near') {
    if (modifiers.length !== 1) throw badData('near needs exactly one of maxDistance==N or minDistance==N');
    const m = /^(maxDistance|minDistance)==(\d+(?:\.\d+)?)$/.exec(modifiers[0]);
    if (!m) throw badData(`invalid near modifier: ${modifiers[0]}`);
    return { kind: 'near', bound: m[1] as 'maxDistance' | 'minDistance', metres: Number(m[2]) };
  }
  if ((relations as readonly string[]).includes(name) && modifiers.length === 0)
    return { kind: name as (typeof relations)[number] };
  throw badData(`invalid georel: ${text.slice(0, 100)}`);
}

/** Checks a GeoJSON geometry's structure (RFC 7946); PostGIS then checks its validity (ST_IsValid). */
export function checkGeometry(g: unknown): asserts g is Geometry {
  let positions = 0;
  const position = (p: unknown) => {
    if (++positions > maxPositions) throw badData(`a geometry may have at most ${maxPositions} positions`);
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      p.length > 3 ||
      !p.every((n) => typeof n === 'number' && Number.isFinite(n))
    )
      throw badData('a GeoJSON position is an array of 2 or 3 numbers');
    if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90)
      throw badData('GeoJSON positions are [longitude, latitude] within -180..180 and -90..90');
  };
  const list = (c: unknown, min: number, what: string) => {
    if (!Array.isArray(c) || c.length < min) throw badData(`${what} needs at least ${min} positions`);
    c.forEach(position);
    return c as number[][];
  };
  const ring = (c: unknown) => {
    const r = list(c, 4, 'a polygon ring');
    const [a, b] = [r[0], r[r.length - 1]];
    if (a[0] !== b[0] || a[1] !== b[1]) throw badData('a polygon ring must be closed');
  };
  const many = (c: unknown, each: (x: unknown) => void) => {
    if (!Array.isArray(c) || c.length === 0) throw badData('GeoJSON coordinates must be a non-empty array');
    c.forEach(each);
  };
  if (!g || typeof g !== 'object' || Array.isArray(g))
    throw badData('a GeoProperty value must be a GeoJSON geometry');
  const { type, coordinates } = g as Geometry;
  switch (type) {
    case 'Point':
      return position(coordinates);
    case 'MultiPoint':
      return void list(coordinates, 1, 'a MultiPoint');
    case 'LineString':
      return void list(coordinates, 2, 'a LineString');
    case 'MultiLineString':
      return many(coordinates, (l) => list(l, 2, 'a LineString'));
    case 'Polygon':
      return many(coordinates, ring);
    case 'MultiPolygon':
      return many(coordinates, (p) => many(p, ring));
    default:
      throw badData(`unsupported GeoJSON geometry type: ${String(type).slice(0, 40)}`);
  }
}

/** Parses a JSON query parameter's numbers, e.g. `limit`, refusing anything but a plain integer. */
export function intParam(value: string | number | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`${name} must be a non-negative integer`);
  return n;
}
