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
  opts: { needId: boolean; needType: boolean; id?: string },
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
    attrs[ctx.expand(name)] = readSlot(raw, name, ctx);
  }
  return { id, types, attrs };
}

/** One attribute from a request: an instance or an array of instances with distinct datasetIds. */
export function readSlot(raw: unknown, name: string, ctx: ActiveContext): AttrSlot {
  if (Array.isArray(raw)) {
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
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw badData(`attribute ${name} is an empty array`);
  return list.map((a) => readAttr(a, name, ctx, 0));
}

function readAttr(raw: unknown, name: string, ctx: ActiveContext, depth: number): Attr {
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
