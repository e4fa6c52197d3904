import { badData, notFound } from './errors.ts';
import { type Attr, type AttrSlot, type Entity, type Fragment, instances, personalIri } from './model.ts';

/**
 * How each NGSI-LD operation changes an entity, as pure functions: the service loads the entity,
 * plans the change here, and hands the result to the one write path.
 */
export interface Plan {
  after: Entity | null;
  /** Attribute instances written, for the history. */
  written: [string, Attr][];
  notUpdated: { attributeName: string; reason: string }[];
}

export const nullValue = 'urn:ngsi-ld:null';

/** The NGSI-LD Null in the member that carries each attribute type's value. */
const nullMembers: Record<string, Record<string, unknown>> = {
  Property: { value: nullValue },
  GeoProperty: { value: nullValue },
  Relationship: { object: nullValue },
  LanguageProperty: { languageMap: { '@none': nullValue } },
  VocabProperty: { vocab: nullValue },
  JsonProperty: { json: nullValue },
  ListProperty: { valueList: [nullValue] },
  ListRelationship: { objectList: [nullValue] },
};

/**
 * The history's mark of a deleted attribute instance: its type and datasetId, the NGSI-LD Null as its
 * value and `deletedAt`. The `personal` flag is kept, so anonymous callers do not see that a personal
 * attribute existed.
 */
export function deletionMarker(old: Attr, at: string): Attr {
  const mark: Attr = { type: old.type, ...(nullMembers[old.type] ?? { value: nullValue }), deletedAt: at };
  if (old.datasetId !== undefined) mark.datasetId = old.datasetId;
  if (old[personalIri] !== undefined) mark[personalIri] = old[personalIri];
  return mark;
}

/**
 * The deletion marks of a change that keeps the entity: every attribute instance (attribute and
 * datasetId) the entity had before and has no longer. An entity deleted as a whole is marked once, as
 * an entity (ctx_deleted_entities), not attribute by attribute.
 */
export function deletionMarkers(before: Entity | null, after: Entity | null, at: string): [string, Attr][] {
  if (!before || !after) return [];
  const out: [string, Attr][] = [];
  for (const [name, slot] of Object.entries(before.attrs)) {
    const now = after.attrs[name];
    if (now === slot) continue;
    const left = new Set(instances(now).map((a) => a.datasetId ?? ''));
    for (const a of instances(slot))
      if (!left.has(a.datasetId ?? '')) out.push([name, deletionMarker(a, at)]);
  }
  return out;
}

function stamp(slot: AttrSlot, previous: AttrSlot | undefined, now: string): AttrSlot {
  const old = instances(previous);
  const mark = (a: Attr): Attr => {
    const before = old.find((o) => (o.datasetId ?? '') === (a.datasetId ?? ''));
    return { ...a, createdAt: before?.createdAt ?? now, modifiedAt: now };
  };
  return Array.isArray(slot) ? slot.map(mark) : mark(slot);
}

function record(written: [string, Attr][], name: string, slot: AttrSlot): void {
  for (const a of instances(slot)) written.push([name, a]);
}

function unionTypes(a: string[], b: string[] | null): string[] {
  return b ? [...new Set([...a, ...b])] : a;
}

/** JSON with object keys sorted (JSONB does not keep key order) and attribute timestamps left out. */
export function canonical(v: unknown, top = false): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, top)).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .filter(([k]) => !(top && (k === 'createdAt' || k === 'modifiedAt')))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * A published replace keeps each attribute instance whose content (value, unitCode, observedAt, every
 * sub-attribute; not its timestamps) equals the stored one as it is stored, and leaves it out of what
 * was written, so it is not appended to the history again. A reading with the same value and a new
 * observedAt differs, so it is a new instance; a name or location published again unchanged is not.
 */
export function keepUnchanged(before: Entity, plan: Plan): Plan {
  const after = plan.after!;
  const kept = new Set<Attr>();
  for (const [name, slot] of Object.entries(after.attrs)) {
    const old = instances(before.attrs[name]);
    if (!old.length) continue;
    const same = (a: Attr) => {
      const o = old.find((x) => (x.datasetId ?? '') === (a.datasetId ?? ''));
      if (o && canonical(o, true) === canonical(a, true)) {
        kept.add(o);
        return o;
      }
      return a;
    };
    if (!Array.isArray(slot)) after.attrs[name] = same(slot);
    else if (Array.isArray(before.attrs[name]) && slot.length === old.length) {
      const next = slot.map(same);
      // The whole slot unchanged: the stored array itself, so the write skips it.
      after.attrs[name] = next.every((a, i) => a === old[i]) ? before.attrs[name] : next;
    } else after.attrs[name] = slot.map(same);
  }
  const written: [string, Attr][] = [];
  for (const [name, slot] of Object.entries(after.attrs))
    for (const a of instances(slot)) if (!kept.has(a)) written.push([name, a]);
  return { ...plan, written };
}

export function planCreate(f: Fragment, now: string): Plan {
  if (!f.types) throw badData('an entity needs a type');
  const written: [string, Attr][] = [];
  const attrs: Record<string, AttrSlot> = {};
  for (const [name, slot] of Object.entries(f.attrs)) {
    attrs[name] = stamp(slot, undefined, now);
    record(written, name, attrs[name]);
  }
  return {
    after: { id: f.id, types: f.types, attrs, createdAt: now, modifiedAt: now },
    written,
    notUpdated: [],
  };
}

/** PUT /entities/{id}: everything but the id and creation time is replaced. */
export function planReplace(before: Entity, f: Fragment, now: string): Plan {
  const plan = planCreate({ ...f, types: f.types ?? before.types }, now);
  plan.after!.createdAt = before.createdAt;
  return plan;
}

/** POST /entities/{id}/attrs (append), with or without overwriting existing attributes. */
export function planAppend(before: Entity, f: Fragment, now: string, noOverwrite: boolean): Plan {
  const attrs = { ...before.attrs };
  const written: [string, Attr][] = [];
  const notUpdated: Plan['notUpdated'] = [];
  for (const [name, slot] of Object.entries(f.attrs)) {
    if (noOverwrite && attrs[name] !== undefined) {
      notUpdated.push({ attributeName: name, reason: 'the attribute exists and noOverwrite was given' });
      continue;
    }
    attrs[name] = stamp(slot, attrs[name], now);
    record(written, name, attrs[name]);
  }
  const types = unionTypes(before.types, f.types);
  return { after: { ...before, types, attrs, modifiedAt: now }, written, notUpdated };
}

/** PATCH /entities/{id}/attrs and batch update: only attributes that exist are changed. */
export function planUpdate(before: Entity, f: Fragment, now: string): Plan {
  const attrs = { ...before.attrs };
  const written: [string, Attr][] = [];
  const notUpdated: Plan['notUpdated'] = [];
  for (const [name, slot] of Object.entries(f.attrs)) {
    if (attrs[name] === undefined) {
      notUpdated.push({ attributeName: name, reason: 'the attribute does not exist' });
      continue;
    }
    attrs[name] = stamp(slot, attrs[name], now);
    record(written, name, attrs[name]);
  }
  return {
    after: { ...before, types: unionTypes(before.types, f.types), attrs, modifiedAt: now },
    written,
    notUpdated,
  };
}

function mergeAttr(old: Attr, patch: Attr): Attr {
  const out: Attr = { ...old };
  for (const [key, v] of Object.entries(patch)) {
    const prev = old[key];
    if (v === nullValue) delete out[key];
    else if (
      typeof v === 'object' &&
      v &&
      !Array.isArray(v) &&
      'type' in v &&
      typeof prev === 'object' &&
      prev &&
      'type' in prev
    )
      out[key] = mergeAttr(prev as Attr, v as Attr);
    else out[key] = v;
  }
  if (patch.type !== old.type) return patch;
  return out;
}

/** PATCH /entities/{id} (merge) and batch merge: attributes are merged, `urn:ngsi-ld:null` deletes. */
export function planMerge(before: Entity, f: Fragment, now: string): Plan {
  const attrs = { ...before.attrs };
  const written: [string, Attr][] = [];
  for (const [name, slot] of Object.entries(f.attrs)) {
    const patch = Array.isArray(slot) ? null : slot;
    if (patch && (patch.value === nullValue || patch.object === nullValue)) {
      delete attrs[name];
      continue;
    }
    const old = attrs[name];
    const merged = patch && old && !Array.isArray(old) ? mergeAttr(old, patch) : slot;
    attrs[name] = stamp(merged, old, now);
    record(written, name, attrs[name]);
  }
  return {
    after: { ...before, types: unionTypes(before.types, f.types), attrs, modifiedAt: now },
    written,
    notUpdated: [],
  };
}

/** PATCH /entities/{id}/attrs/{attrId}: a partial update of one existing attribute. */
export function planPatchAttr(before: Entity, name: string, patch: Attr, now: string): Plan {
  const old = before.attrs[name];
  if (old === undefined) throw notFound(`the entity has no attribute ${name}`);
  const target = instances(old).find((a) => (a.datasetId ?? '') === (patch.datasetId ?? ''));
  if (!target) throw notFound(`the attribute ${name} has no instance with that datasetId`);
  const merged = mergeAttr(target, patch);
  const slot = Array.isArray(old) ? old.map((a) => (a === target ? merged : a)) : merged;
  const attrs = { ...before.attrs, [name]: stamp(slot, old, now) };
  const written: [string, Attr][] = [];
  record(written, name, stamp(merged, old, now));
  return { after: { ...before, attrs, modifiedAt: now }, written, notUpdated: [] };
}

/** DELETE /entities/{id}/attrs/{attrId}, optionally one datasetId or all of them. */
export function planDeleteAttr(
  before: Entity,
  name: string,
  now: string,
  datasetId?: string,
  all = false,
): Plan {
  const old = before.attrs[name];
  if (old === undefined) throw notFound(`the entity has no attribute ${name}`);
  const attrs = { ...before.attrs };
  if (all || (!Array.isArray(old) && (old.datasetId ?? '') === (datasetId ?? ''))) delete attrs[name];
  else {
    const rest = instances(old).filter((a) => (a.datasetId ?? '') !== (datasetId ?? ''));
    if (rest.length === instances(old).length) throw notFound(`the attribute ${name} has no such datasetId`);
    if (rest.length === 0) delete attrs[name];
    else attrs[name] = rest.length === 1 ? rest[0] : rest;
  }
  return { after: { ...before, attrs, modifiedAt: now }, written: [], notUpdated: [] };
}
