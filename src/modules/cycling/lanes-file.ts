import { type Message, msg } from '../../core/i18n.ts';
import type { NewLane } from './repository.ts';
import { type LaneImport, laneKinds } from './schemas.ts';

export interface FeatureError {
  /** JSON Pointer into the uploaded collection. */
  path: string;
  /** A message put in the reader's language when the problem is written. */
  message: Message;
}

/** More positions than any city's lane network needs; a bound on the work one upload can cause. */
export const maxPositions = 200_000;

/** C0 controls other than tab, newline and carriage return, and DEL: they have no place in a name. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}
const wgs84 = ['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::4326', 'EPSG:4326'];

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  return s.length >= 1 && s.length <= 200 && !hasControl(s) ? s : null;
}

/**
 * Reads lanes from an uploaded GeoJSON collection: names from `name_th`/`nameTh`, `name_en`/`nameEn`
 * or `name` (one name serves both languages), `kind` one of the lane kinds (`painted` when absent),
 * positions in WGS 84 range (an altitude is dropped). Every problem is reported with its feature's
 * path, so staff can fix the file in one go.
 */
export function readLanes(file: LaneImport): { lanes: NewLane[]; errors: FeatureError[] } {
  const errors: FeatureError[] = [];
  const crs = file.crs as { properties?: { name?: unknown } } | undefined;
  if (crs !== undefined && !wgs84.includes(String(crs?.properties?.name)))
    errors.push({ path: '/crs', message: msg('cycling.crs_wgs84') });
  let positions = 0;
  const lanes: NewLane[] = [];
  file.features.forEach((f, i) => {
    const at = `/features/${i}`;
    const p = f.properties ?? {};
    const nameTh = text(p.name_th ?? p.nameTh ?? p.name);
    const nameEn = text(p.name_en ?? p.nameEn ?? p.name) ?? nameTh;
    if (!nameTh || !nameEn)
      errors.push({
        path: `${at}/properties`,
        message: msg('cycling.name_needed'),
      });
    const kind = p.kind ?? 'painted';
    if (typeof kind !== 'string' || !(laneKinds as readonly string[]).includes(kind))
      errors.push({
        path: `${at}/properties/kind`,
        message: msg('cycling.kind_one_of', { kinds: laneKinds.join(', ') }),
      });
    const lines = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const flat: number[][][] = [];
    let bad = false;
    for (const line of lines) {
      positions += line.length;
      flat.push(
        line.map(([lon, lat]) => {
          if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) bad = true;
          return [lon, lat];
        }),
      );
    }
    if (bad) errors.push({ path: `${at}/geometry`, message: msg('cycling.positions_range') });
    if (nameTh && nameEn && !bad && typeof kind === 'string')
      lanes.push({ nameTh, nameEn, kind, geometry: { type: 'MultiLineString', coordinates: flat } });
  });
  if (positions > maxPositions)
    errors.push({ path: '/features', message: msg('cycling.too_many_positions', { max: maxPositions }) });
  return { lanes, errors };
}
