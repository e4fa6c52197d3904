import type { Actor } from '../../core/audit/audit.ts';
import { audit } from '../../core/audit/audit.ts';
import { NgsiError, notFound } from './errors.ts';
import type { ActiveContext } from './jsonld.ts';
import { planCreate } from './merge.ts';
import { type Attr, entityMembers } from './model.ts';
import type { HistoryEntry } from './repository.ts';
import type { ContextService } from './service.ts';
import { deleteInstance, instanceUuid, loadInstance, replaceInstance } from './temporal-store.ts';
import { checkEntityId, checkName, isObject, isUri, readFragment, readInstances } from './validate.ts';

const maxInstances = 10_000;
const now = () => new Date().toISOString();

/** The index of the newest instance of each datasetId (no observedAt: observed now, so newest). */
function newestByDataset(list: Attr[]): Set<number> {
  const best = new Map<string, number>();
  const time = (a: Attr) => (typeof a.observedAt === 'string' ? Date.parse(a.observedAt) : Infinity);
  list.forEach((a, i) => {
    const key = String(a.datasetId ?? '');
    const j = best.get(key);
    if (j === undefined || time(a) >= time(list[j])) best.set(key, i);
  });
  return new Set(best.values());
}

/**
 * POST /temporal/entities: an entity in the temporal representation. A new entity is created from the
 * newest instance of each attribute (its current state, as if it had been written last), and every
 * other instance goes into its history; for an existing entity every instance is added to the history
 * and its current state is left alone. Returns whether the entity was created.
 */
export async function createTemporal(
  service: ContextService,
  tenant: string,
  ctx: ActiveContext,
  body: unknown,
  actor: Actor,
): Promise<{ id: string; created: boolean }> {
  if (!isObject(body)) throw new NgsiError('BadRequestData', 'the body must be a JSON object');
  const id = checkEntityId(body.id);
  const current: Record<string, unknown> = {};
  const older: HistoryEntry[] = [];
  const all: HistoryEntry[] = [];
  for (const [name, raw] of Object.entries(body)) {
    if (entityMembers.has(name)) {
      current[name] = raw;
      continue;
    }
    checkName(name);
    const list = readInstances(raw, name, ctx);
    const rawList = Array.isArray(raw) ? raw : [raw];
    const newest = newestByDataset(list);
    const attr = ctx.expand(name);
    const kept = rawList.filter((_, i) => newest.has(i));
    current[name] = kept.length === 1 ? kept[0] : kept;
    list.forEach((instance, i) => {
      all.push({ id, attr, instance });
      if (!newest.has(i)) older.push({ id, attr, instance });
    });
    if (all.length > maxInstances)
      throw new NgsiError('BadRequestData', `at most ${maxInstances} instances a request`);
  }
  const fragment = readFragment(current, ctx, { needId: true, needType: false });
  return service.db.transaction(async (tx) => {
    const at = now();
    const exists = (await service.repo.load(tx, tenant, [id], false)).has(id);
    await service.checkGeometries(tx, [fragment]);
    if (!exists) {
      if (!fragment.types) throw new NgsiError('BadRequestData', 'a new entity needs a type');
      const plan = planCreate(fragment, at);
      await service.commit(tx, tenant, [{ id, before: null, ...plan }], 'insert', at);
      if (older.length) await service.repo.appendHistory(tx, tenant, older, at);
    } else {
      if (all.length === 0) throw new NgsiError('BadRequestData', 'no attribute instances in the body');
      await service.repo.appendHistory(tx, tenant, all, at);
    }
    await audit(tx, actor, {
      action: exists ? 'ngsi-ld.temporal.append' : 'ngsi-ld.temporal.create',
      resourceType: 'ngsi-ld.entity',
      resourceId: id,
      detail: { instances: all.length, ...(tenant ? { tenant } : {}) },
    });
    return { id, created: !exists };
  });
}

interface InstanceKey {
  tenant: string;
  id: string;
  attr: string;
  instanceId: string;
}

function keyOf(k: InstanceKey) {
  checkEntityId(k.id);
  if (!isUri(k.instanceId)) throw new NgsiError('BadRequestData', 'the instanceId must be a URI');
  const uuid = instanceUuid(k.instanceId);
  if (!uuid) throw notFound(`no instance ${k.instanceId.slice(0, 200)}`);
  return { tenant: k.tenant, id: k.id, attr: k.attr, uuid };
}

/**
 * PATCH …/attrs/{attrId}/{instanceId}: the members given replace the instance's (its type stays; the
 * result is checked as a whole instance). The current state under /entities is not changed.
 */
export async function patchInstance(
  service: ContextService,
  ctx: ActiveContext,
  k: InstanceKey & { name: string },
  body: unknown,
  actor: Actor,
): Promise<void> {
  const key = keyOf(k);
  if (!isObject(body) || Object.keys(body).length === 0)
    throw new NgsiError('BadRequestData', 'the body must be a JSON object with the members to change');
  const { instanceId: _i, createdAt: _c, modifiedAt: _m, ...members } = body;
  await service.db.transaction(async (tx) => {
    const stored = await loadInstance(tx, service.db, key);
    if (!stored) throw notFound(`no instance ${k.instanceId.slice(0, 200)} of ${k.name} in ${k.id}`);
    if (members.type !== undefined && members.type !== stored.instance.type)
      throw new NgsiError(
        'BadRequestData',
        `the instance is a ${stored.instance.type}; its type cannot change`,
      );
    const [instance] = readInstances({ ...stored.instance, ...members }, k.name, ctx);
    await replaceInstance(tx, key, instance, now());
    await audit(tx, actor, {
      action: 'ngsi-ld.temporal.instance.update',
      resourceType: 'ngsi-ld.entity',
      resourceId: k.id,
      detail: { attr: k.attr, instanceId: k.instanceId, ...(k.tenant ? { tenant: k.tenant } : {}) },
    });
  });
}

/** DELETE …/attrs/{attrId}/{instanceId}: one instance out of the history. */
export async function removeInstance(service: ContextService, k: InstanceKey, actor: Actor): Promise<void> {
  const key = keyOf(k);
  await service.db.transaction(async (tx) => {
    if (!(await deleteInstance(tx, service.db, key)))
      throw notFound(`no instance ${k.instanceId.slice(0, 200)} of ${k.attr} in ${k.id}`);
    await audit(tx, actor, {
      action: 'ngsi-ld.temporal.instance.delete',
      resourceType: 'ngsi-ld.entity',
      resourceId: k.id,
      detail: { attr: k.attr, instanceId: k.instanceId, ...(k.tenant ? { tenant: k.tenant } : {}) },
    });
  });
}
