import { badData } from './errors.ts';
import { checkGeometry } from './geo.ts';
import type { ActiveContext } from './jsonld.ts';
import {
  type Attr,
  type AttrSlot,
  attributeMembers,
  attributeTypes,
  entityMembers,
  type Fragment,
} from './model.ts';

const uri = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const forbiddenName = /[\s<>"'=;()[\]]/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const maxAttributes = 1000;
const maxDepth = 4;

export function isUri(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 512 && uri.test(value);
}

export function checkEntityId(id: unknown): string {
  if (!isUri(id)) throw badData(`the entity id must be a URI: ${String(id).slice(0, 200)}`);
  return id;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkName(name: string, what = 'attribute'): void {
  if (!name || name.length > 256 || forbiddenName.test(name))
    throw badData(`invalid ${what} name: ${name.slice(0, 100)}`);
}

/** Entity type(s) as expanded IRIs. */
export function expandTypes(value: unknown, ctx: ActiveContext): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > 20) throw badData('an entity needs one to twenty types');
  return list.map((t) => {
    if (typeof t !== 'string') throw badData('an entity type must be a string');
    checkName(t, 'type');
    return ctx.expand(t);
  });
}

/**
 * Validates a request's entity (or fragment of one) in normalized form and expands its names.
 * `needType`: creation needs a type; `needId`: whole entities carry their id.
 */
export function readFragment(
  body: unknown,
  ctx: ActiveContext,
  opts: { needId: boolean; needType: boolean; id?: string; simplified?: boolean },
): Fragment {
  if (!isObject(body)) throw badData('the body must be a JSON object');
  const id = opts.needId ? checkEntityId(body.id) : opts.id!;
  if (!opts.needId && body.id !== undefined && body.id !== opts.id)
    throw badData('the id in the body differs from the id in the path');
  let types: string[] | null = null;
  if (body.type !== undefined) types = expandTypes(body.type, ctx);
  else if (opts.needType) throw badData('an entity needs a type');
  const attrs: Record<string, AttrSlot> = {};
  let count = 0;
  for (const [name, raw] of Object.entries(body)) {
    if (entityMembers.has(name)) continue;
    if (++count > maxAttributes) throw badData(`an entity may have at most ${maxAttributes} attributes`);
    checkName(name);
    attrs[ctx.expand(name)] = opts.simplified ? readSimplified(raw, name, ctx) : readSlot(raw, name, ctx);
  }
  return { id, types, attrs };
}

/** The members that tell a concise attribute's type, each with the type it tells. */
const typeKeys: [string, string][] = [
  ['value', 'Property'],
  ['object', 'Relationship'],
  ['languageMap', 'LanguageProperty'],
  ['vocab', 'VocabProperty'],
  ['json', 'JsonProperty'],
  ['valueList', 'ListProperty'],
  ['objectList', 'ListRelationship'],
];
const geometryTypes = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

/** A JSON object whose `type` is a GeoJSON geometry type: a GeoProperty's value (checked later). */
function looksLikeGeometry(v: unknown): boolean {
  return isObject(v) && typeof v.type === 'string' && geometryTypes.has(v.type);
}

/** An attribute in the normalized form already: its `type` is one of the attribute types. */
function isNormalized(v: Record<string, unknown>): boolean {
  return typeof v.type === 'string' && (attributeTypes as readonly string[]).includes(v.type);
}

/** An array element that is an attribute instance (concise or normalized), not a plain value. */
function isInstanceForm(v: unknown): boolean {
  return isObject(v) && (isNormalized(v) || typeKeys.some(([k]) => k in v));
}

/** Whether an attribute's array holds instances (all elements attribute objects) or is a value (none). */
function arrayOfInstances(list: unknown[], name: string): boolean {
  const n = list.filter(isInstanceForm).length;
  if (n > 0 && n < list.length)
    throw badData(`attribute ${name} mixes attribute instances and plain values in one array`);
  return n > 0;
}

/**
 * The concise representation of one attribute (instance) turned normalized: the `type` is inferred
 * from the member that carries the value (`value` → Property, or GeoProperty when it is a GeoJSON
 * geometry; `object` → Relationship; `languageMap`, `vocab`, `json`, `valueList`, `objectList` → their
 * types). A GeoJSON geometry alone is a GeoProperty; any other JSON value alone (string, number, boolean,
 * array, an object without NGSI-LD members) is a Property with that value. Sub-attributes stay concise;
 * `readAttr` infers them in turn. Anything else is refused: JSON null, two value members at once, a
 * `type` that is neither an attribute type nor a geometry type, members without a value.
 */
function inferConcise(raw: unknown, name: string): unknown {
  if (raw === null || raw === undefined)
    throw badData(`attribute ${name} is null (the NGSI-LD Null is "urn:ngsi-ld:null", and only in a merge)`);
  if (!isObject(raw)) return { type: 'Property', value: raw };
  if (isNormalized(raw)) return raw;
  if (looksLikeGeometry(raw)) return { type: 'GeoProperty', value: raw };
  if (raw.type !== undefined)
    throw badData(
      `attribute ${name} has type ${JSON.stringify(raw.type).slice(0, 60)}: not an attribute type`,
    );
  const present = typeKeys.filter(([k]) => k in raw);
  if (present.length > 1)
    throw badData(`attribute ${name} has ${present.map(([k]) => k).join(' and ')}: only one may be given`);
  if (present.length === 1) {
    const [key, type] = present[0];
    return { type: key === 'value' && looksLikeGeometry(raw.value) ? 'GeoProperty' : type, ...raw };
  }
  if (Object.keys(raw).some((k) => attributeMembers.has(k)))
    throw badData(`attribute ${name} has NGSI-LD members but no value, object, languageMap, vocab or json`);
  return { type: 'Property', value: raw };
}

/**
 * One attribute in the simplified (keyValues) representation: only its value, so only the value's shape
 * tells the type. A GeoJSON geometry is a GeoProperty; `{languageMap}`, `{vocab}` and `{json}` (as the
 * simplified form renders those types) are a LanguageProperty, VocabProperty and JsonProperty; any other
 * value, arrays and objects included, is a Property with that value. A Relationship cannot be told from a
 * string here (use the concise or normalized form). JSON null is refused.
 */
export function readSimplified(raw: unknown, name: string, ctx: ActiveContext): Attr {
  if (raw === null || raw === undefined) throw badData(`attribute ${name} is null`);
  let attr: Record<string, unknown> = { type: 'Property', value: raw };
  if (looksLikeGeometry(raw)) attr = { type: 'GeoProperty', value: raw };
  else if (isObject(raw) && Object.keys(raw).length === 1) {
    const [key] = Object.keys(raw);
    const type = { languageMap: 'LanguageProperty', vocab: 'VocabProperty', json: 'JsonProperty' }[key];
    if (type) attr = { type, [key]: raw[key] };
  }
  return readAttr(attr, name, ctx, 0, false);
}

/** One attribute from a request: an instance or an array of instances with distinct datasetIds. */
export function readSlot(raw: unknown, name: string, ctx: ActiveContext): AttrSlot {
  // An array is several instances when its elements are attribute objects; otherwise (concise) the
  // value of one Property. Half and half cannot be told apart.
  if (Array.isArray(raw) && (raw.length === 0 || arrayOfInstances(raw, name))) {
    if (raw.length === 0) throw badData(`attribute ${name} is an empty array`);
    const list = raw.map((a) => readAttr(a, name, ctx, 0));
    const ids = new Set(list.map((a) => a.datasetId ?? ''));
    if (ids.size !== list.length) throw badData(`attribute ${name} repeats a datasetId`);
    return list.length === 1 ? list[0] : list;
  }
  return readAttr(raw, name, ctx, 0);
}

/**
 * Attribute instances for the history (POST /temporal/entities/{id}/attrs): one instance or an array
 * of them; unlike an entity's attribute, instances may repeat a datasetId (they differ in time).
 */
export function readInstances(raw: unknown, name: string, ctx: ActiveContext): Attr[] {
  const list = Array.isArray(raw) && (raw.length === 0 || arrayOfInstances(raw, name)) ? raw : [raw];
  if (list.length === 0) throw badData(`attribute ${name} is an empty array`);
  return list.map((a) => readAttr(a, name, ctx, 0));
}

function readAttr(raw: unknown, name: string, ctx: ActiveContext, depth: number, concise = true): Attr {
  if (concise) raw = inferConcise(raw, name);
  if (!isObject(raw)) throw badData(`attribute ${name} must be an object with a type (normalized form)`);
  const type = raw.type;
  if (typeof type !== 'string' || !(attributeTypes as readonly string[]).includes(type))
    throw badData(`attribute ${name} needs a type: one of ${attributeTypes.join(', ')}`);
  const out: Attr = { type };
  const need = (key: string, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(raw[key])) throw badData(`${type} ${name} needs ${key}: ${what}`);
    out[key] = raw[key];
  };
  switch (type) {
    case 'Property':
      need('value', (v) => v !== undefined && v !== null, 'a value');
      break;
    case 'Relationship':
      need('object', (v) => isUri(v) || (Array.isArray(v) && v.length > 0 && v.every(isUri)), 'a URI');
      break;
    case 'GeoProperty':
      checkGeometry(raw.value);
      out.value = raw.value;
      break;
    case 'LanguageProperty':
      need(
        'languageMap',
        (v) => isObject(v) && Object.values(v).every((s) => typeof s === 'string' || Array.isArray(s)),
        'an object of language tags to strings',
      );
      break;
    case 'VocabProperty':
      need(
        'vocab',
        (v) => typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string')),
        'a term',
      );
      break;
    case 'JsonProperty':
      need('json', (v) => v !== undefined && v !== null, 'a JSON value');
      break;
    case 'ListProperty':
      need('valueList', Array.isArray, 'an array');
      break;
    case 'ListRelationship':
      need(
        'objectList',
        (v) => Array.isArray(v) && v.every((o) => isUri(o) || (isObject(o) && isUri(o.object))),
        'an array of URIs',
      );
      break;
  }
  for (const [key, v] of Object.entries(raw)) {
    if (key === 'type' || key in out || key === 'createdAt' || key === 'modifiedAt' || key === 'instanceId')
      continue;
    if (key === 'observedAt') {
      if (typeof v !== 'string' || !isoDateTime.test(v) || Number.isNaN(Date.parse(v)))
        throw badData(`observedAt of ${name} must be an ISO 8601 date-time`);
      out.observedAt = v;
    } else if (key === 'datasetId') {
      if (!isUri(v)) throw badData(`datasetId of ${name} must be a URI`);
      out.datasetId = v;
    } else if (key === 'unitCode' || key === 'objectType' || key === 'lang') {
      if (typeof v !== 'string') throw badData(`${key} of ${name} must be a string`);
      out[key] = v;
    } else if (attributeMembers.has(key)) {
      throw badData(`${key} is not allowed in a ${type}`);
    } else {
      if (depth + 1 >= maxDepth) throw badData(`sub-attributes of ${name} nest too deeply`);
      checkName(key);
      out[ctx.expand(key)] = readAttr(v, `${name}.${key}`, ctx, depth + 1);
    }
  }
  return out;
}
