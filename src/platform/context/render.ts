import type { ActiveContext } from './jsonld.ts';
import {
  type Attr,
  type AttrSlot,
  attributeMembers,
  type Entity,
  instances,
  locationIri,
  personalIri,
} from './model.ts';

export interface RenderOptions {
  format: 'normalized' | 'keyValues' | 'concise';
  sysAttrs: boolean;
  /** Expanded attribute names to keep (attrs/pick), or null for all. */
  pick: Set<string> | null;
  omit: Set<string>;
  pickId: boolean;
  pickType: boolean;
  anonymous: boolean;
  lang?: string;
}

export const defaultRender: RenderOptions = {
  format: 'normalized',
  sysAttrs: false,
  pick: null,
  omit: new Set(),
  pickId: true,
  pickType: true,
  anonymous: false,
};

function isPersonal(slot: AttrSlot): boolean {
  return instances(slot).some((a) => {
    const p = a[personalIri] as Attr | undefined;
    return p?.value === true;
  });
}

/** The value of an attribute in the simplified (keyValues) form. */
function simple(a: Attr, ctx: ActiveContext, lang?: string): unknown {
  switch (a.type) {
    case 'Relationship':
      return a.object;
    case 'LanguageProperty': {
      const map = a.languageMap as Record<string, unknown>;
      if (lang) return map[lang] ?? map.en ?? Object.values(map)[0];
      return { languageMap: map };
    }
    case 'VocabProperty':
      return Array.isArray(a.vocab)
        ? a.vocab.map((v) => ctx.compact(String(v)))
        : ctx.compact(String(a.vocab));
    case 'JsonProperty':
      return { json: a.json };
    case 'ListProperty':
      return a.valueList;
    case 'ListRelationship':
      return a.objectList;
    default:
      return a.value;
  }
}

/** Where each attribute type keeps its value, and where a notification's showChanges puts the previous one. */
export const valueKeys: Record<string, [string, string]> = {
  Property: ['value', 'previousValue'],
  GeoProperty: ['value', 'previousValue'],
  Relationship: ['object', 'previousObject'],
  LanguageProperty: ['languageMap', 'previousLanguageMap'],
  VocabProperty: ['vocab', 'previousVocab'],
  JsonProperty: ['json', 'previousJson'],
  ListProperty: ['valueList', 'previousValueList'],
  ListRelationship: ['objectList', 'previousObjectList'],
};
const previousMembers = new Set(Object.values(valueKeys).map(([, p]) => p));

function renderAttr(a: Attr, ctx: ActiveContext, o: RenderOptions): unknown {
  if (o.format === 'keyValues') return simple(a, ctx, o.lang);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(a)) {
    if ((key === 'createdAt' || key === 'modifiedAt') && !o.sysAttrs) continue;
    if (attributeMembers.has(key) || previousMembers.has(key)) out[key] = v;
    else out[ctx.compact(key)] = renderAttr(v as Attr, ctx, o);
  }
  if (a.type === 'LanguageProperty' && o.lang) {
    const map = a.languageMap as Record<string, unknown>;
    out.type = 'Property';
    out.value = map[o.lang] ?? map.en ?? Object.values(map)[0];
    out.lang = map[o.lang] !== undefined ? o.lang : 'en';
    delete out.languageMap;
  }
  if (o.format === 'concise') {
    const kind = out.type;
    delete out.type;
    if (
      kind === 'Property' &&
      Object.keys(out).length === 1 &&
      (typeof out.value !== 'object' || out.value === null)
    )
      return out.value;
  }
  return out;
}

/** An entity as the caller asked for it: compacted with their context, in their chosen form. */
export function renderEntity(e: Entity, ctx: ActiveContext, o: RenderOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.pickId) out.id = e.id;
  if (o.pickType)
    out.type = e.types.length === 1 ? ctx.compact(e.types[0]) : e.types.map((t) => ctx.compact(t));
  if (o.sysAttrs && o.format !== 'keyValues') {
    out.createdAt = e.createdAt;
    out.modifiedAt = e.modifiedAt;
  }
  for (const [name, slot] of Object.entries(e.attrs)) {
    if (o.pick && !o.pick.has(name)) continue;
    if (o.omit.has(name)) continue;
    if (o.anonymous && isPersonal(slot)) continue;
    const list = instances(slot).map((a) => renderAttr(a, ctx, o));
    out[ctx.compact(name)] = Array.isArray(slot) ? list : list[0];
  }
  return out;
}

/** A GeoJSON Feature (NGSI-LD 6.3.15): the geometry of `geoproperty`, the entity as properties. */
export function toFeature(e: Entity, ctx: ActiveContext, o: RenderOptions, geoproperty = locationIri) {
  const { id, ...properties } = renderEntity(e, ctx, { ...o, pickId: true, pickType: true });
  const geo = instances(e.attrs[geoproperty])[0];
  return { id, type: 'Feature', geometry: geo?.type === 'GeoProperty' ? geo.value : null, properties };
}
