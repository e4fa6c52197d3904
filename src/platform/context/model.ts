/** An attribute in normalized form, names expanded. Sub-attributes are further keys. */
export interface Attr {
  type: string;
  value?: unknown;
  object?: unknown;
  observedAt?: string;
  datasetId?: string;
  createdAt?: string;
  modifiedAt?: string;
  [key: string]: unknown;
}

/** What an attribute key holds: one instance, or several told apart by datasetId. */
export type AttrSlot = Attr | Attr[];

/** An entity as stored: expanded types and attribute names. */
export interface Entity {
  id: string;
  types: string[];
  attrs: Record<string, AttrSlot>;
  createdAt?: string;
  modifiedAt?: string;
}

/** A fragment of an entity from a request, validated and expanded; `types` may be absent in updates. */
export interface Fragment {
  id: string;
  types: string[] | null;
  attrs: Record<string, AttrSlot>;
}

export const attributeTypes = [
  'Property',
  'Relationship',
  'GeoProperty',
  'LanguageProperty',
  'VocabProperty',
  'JsonProperty',
  'ListProperty',
  'ListRelationship',
] as const;

/** Keys of an attribute that are NGSI-LD members, not sub-attributes; they are never expanded. */
export const attributeMembers = new Set([
  'type',
  'value',
  'object',
  'objectType',
  'languageMap',
  'vocab',
  'json',
  'valueList',
  'objectList',
  'observedAt',
  'unitCode',
  'datasetId',
  'instanceId',
  'createdAt',
  'modifiedAt',
  'deletedAt',
  'lang',
]);

/** Entity keys that are not attributes. */
export const entityMembers = new Set([
  'id',
  'type',
  '@context',
  'scope',
  'createdAt',
  'modifiedAt',
  'deletedAt',
]);

export const locationIri = 'https://uri.etsi.org/ngsi-ld/location';
export const personalIri = 'https://mueang.dev/ngsi-ld/personal';
/** Entity types never shown to anonymous callers. */
export const personalTypes = [
  'https://schema.org/Person',
  'https://uri.etsi.org/ngsi-ld/default-context/Person',
];

export function instances(slot: AttrSlot | undefined): Attr[] {
  return slot === undefined ? [] : Array.isArray(slot) ? slot : [slot];
}
