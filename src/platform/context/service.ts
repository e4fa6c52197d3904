import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../core/audit/audit.ts';
import { audit, auditInsert } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { NgsiError, notFound, type ProblemDetails } from './errors.ts';
import type { ActiveContext } from './jsonld.ts';
import { activeContext } from './jsonld.ts';
import {
  canonical,
  deletionMarkers,
  keepUnchanged,
  type Plan,
  planAppend,
  planCreate,
  planMerge,
  planReplace,
} from './merge.ts';
import { type Attr, type Entity, entityMembers, type Fragment, instances } from './model.ts';
import { ContextRepository, type HistoryEntry, type Written } from './repository.ts';
import { checkEntityId, checkName, readFragment, readInstances } from './validate.ts';

/** One entity's change as it is committed: what was, what is, and which attribute instances were written. */
export interface Change {
  id: string;
  before: Entity | null;
  after: Entity | null;
  written: [string, Attr][];
}

/** What the write statement saw besides the changes. */
export interface CommitInfo {
  /** The version of the tenant's live subscriptions (`ContextRepository.liveSubscriptions`), if read. */
  subscriptions: string | null;
}

/**
 * Called inside the writing transaction for every committed batch of changes (subscriptions hook here).
 * `idle`, if given, tells before a change is written that the listener would do nothing for it: it
 * returns the condition (SQL) under which that holds when the change is written, or null when the
 * listener may act. A change every listener is idle for may be written without a transaction.
 */
export type ChangeListener = ((
  tx: Executor,
  tenant: string,
  changes: Change[],
  info: CommitInfo,
) => Promise<void> | void) & { idle?: (tenant: string, changes: Change[]) => SQL | null };

export type BatchOp = 'create' | 'upsert' | 'update' | 'delete' | 'merge';

export interface BatchResult {
  success: string[];
  errors: { entityId: string; error: ProblemDetails }[];
}

const now = () => new Date().toISOString();
const maxTemporalInstances = 10_000;

/** Whether a fragment would leave a stored entity as it is (same types, same attribute instances). */
function sameContent(e: Entity, f: Fragment): boolean {
  if (canonical(f.types ?? []) !== canonical(e.types)) return false;
  const names = Object.keys(f.attrs);
  if (names.length !== Object.keys(e.attrs).length) return false;
  return names.every(
    (n) => e.attrs[n] !== undefined && canonical(e.attrs[n], true) === canonical(f.attrs[n], true),
  );
}

function geometriesOf(f: Fragment): string[] {
  return Object.values(f.attrs)
    .flatMap((slot) => instances(slot))
    .filter((a) => a.type === 'GeoProperty' && (a.value as { type: string }).type !== 'Point')
    .map((a) => JSON.stringify(a.value));
}

/**
 * The broker's rules. Every change of every entity — from the API, a batch or a module — goes through
 * `commit`, which writes the entities, their history and tells the listeners, in the caller's transaction.
 */
export class ContextService {
  readonly repo: ContextRepository;
  private readonly listeners: ChangeListener[] = [];

  constructor(readonly db: Db) {
    this.repo = new ContextRepository(db);
  }

  /** Adds a listener; returns the function that removes it. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * The one write path. `insert` leaves existing ids alone; returns the ids actually written.
   * `opts.locked`: every `before` is the stored row, locked in this transaction, so a single change may
   * be written as an UPDATE of what differs. `opts.also`: statements (an audit row) run in the same
   * transaction, joined to the write statement when there is one.
   */
  async commit(
    tx: Executor,
    tenant: string,
    changes: Change[],
    mode: 'insert' | 'upsert',
    at: string,
    opts: { locked?: boolean; also?: SQL[] } = {},
  ) {
    const also = opts.also ?? [];
    const removed = changes.filter((c) => c.after === null).map((c) => c.id);
    const gone = removed.length ? await this.repo.remove(tx, tenant, removed, at) : new Set<string>();
    const entries = (list: Change[]): HistoryEntry[] => list.flatMap((c) => historyOf(c, at));
    const writes = changes.filter((c) => c.after !== null);
    // The entities, their history (only of the ids actually written) and `also` in one statement.
    const history = { entries: entries(writes), at };
    let written: Written = { ids: new Set<string>(), subscriptions: null };
    // Every stored row locked and loaded: only what differs is sent (a batch of devices' readings).
    if (writes.length && opts.locked && mode === 'upsert' && writes.every((c) => c.before))
      written = await this.repo.update(
        tx,
        tenant,
        writes.map((c) => ({ before: c.before!, after: c.after! })),
        history,
        also,
      );
    else if (writes.length)
      written = await this.repo.write(
        tx,
        tenant,
        writes.map((c) => c.after!),
        mode,
        history,
        also,
      );
    else for (const s of also) await tx.execute(s);
    const done = changes.filter((c) => (c.after === null ? gone.has(c.id) : written.ids.has(c.id)));
    const removedHistory = entries(done.filter((c) => c.after === null));
    if (removedHistory.length) await this.repo.appendHistory(tx, tenant, removedHistory, at);
    const info: CommitInfo = { subscriptions: written.subscriptions };
    for (const l of this.listeners) await l(tx, tenant, done, info);
    return new Set(done.map((c) => c.id));
  }

  /**
   * Publishes (creates or replaces) an entity from a module, inside the module's transaction. An entity
   * whose types and attributes are those already stored is left alone (no write, no history, no
   * listeners), so publishing the same state again is free. Returns whether anything was written.
   */
  async publish(
    tx: Executor,
    entity: Record<string, unknown>,
    opts: { tenant?: string; context?: unknown } = {},
  ): Promise<boolean> {
    return (await this.publishMany(tx, [entity], opts)).size > 0;
  }

  /**
   * `publish` for many entities at once: one load, one write and one round of listeners for all of them
   * (the ingest worker publishes a batch's devices this way). Of several with the same id the last wins.
   * A geometry PostGIS finds invalid fails the whole call. Returns the ids written.
   */
  async publishMany(
    tx: Executor,
    entities: Record<string, unknown>[],
    opts: { tenant?: string; context?: unknown } = {},
  ): Promise<Set<string>> {
    if (!entities.length) return new Set();
    const ctx = activeContext(opts.context);
    const tenant = opts.tenant ?? '';
    const byId = new Map<string, Fragment>();
    for (const entity of entities) {
      const f = readFragment(entity, ctx, { needId: true, needType: true });
      byId.delete(f.id);
      byId.set(f.id, f);
    }
    const stored = await this.repo.load(tx, tenant, [...byId.keys()], true);
    const fragments = [...byId.values()].filter((f) => {
      const before = stored.get(f.id);
      return !before || !sameContent(before, f);
    });
    if (!fragments.length) return new Set();
    await this.checkGeometries(tx, fragments);
    const at = now();
    const changes = fragments.map((f) => {
      const before = stored.get(f.id) ?? null;
      return {
        id: f.id,
        before,
        ...(before ? keepUnchanged(before, planReplace(before, f, at)) : planCreate(f, at)),
      };
    });
    return this.commit(tx, tenant, changes, 'upsert', at, { locked: true });
  }

  /**
   * `publish` for an entity the module has just created (its id is new, e.g. a fresh reference): written
   * as an insert without first loading and locking the stored one, which saves a round trip. Should
   * the id exist after all, it falls back to `publish`, so the outcome is the same either way.
   */
  async publishNew(
    tx: Executor,
    entity: Record<string, unknown>,
    opts: { tenant?: string; context?: unknown } = {},
  ): Promise<boolean> {
    const f = readFragment(entity, activeContext(opts.context), { needId: true, needType: true });
    await this.checkGeometries(tx, [f]);
    const at = now();
    const done = await this.commit(
      tx,
      opts.tenant ?? '',
      [{ id: f.id, before: null, ...planCreate(f, at) }],
      'insert',
      at,
    );
    return done.has(f.id) || this.publish(tx, entity, opts);
  }

  /** Removes an entity a module published; no error if it is not there. */
  async remove(tx: Executor, id: string, opts: { tenant?: string } = {}) {
    const before = (await this.repo.load(tx, opts.tenant ?? '', [id], true)).get(id) ?? null;
    if (before)
      await this.commit(tx, opts.tenant ?? '', [{ id, before, after: null, written: [] }], 'upsert', now());
  }

  async get(tenant: string, id: string): Promise<Entity> {
    checkEntityId(id);
    const e = (await this.repo.load(this.db.orm, tenant, [id], false)).get(id);
    if (!e) throw notFound(`no entity ${id}`);
    return e;
  }

  async checkGeometries(tx: Executor, fragments: Fragment[], single = true): Promise<Set<number>> {
    const owners: number[] = [];
    const all: string[] = [];
    fragments.forEach((f, i) => {
      for (const g of geometriesOf(f)) {
        owners.push(i);
        all.push(g);
      }
    });
    const bad = await this.repo.invalidGeometries(tx, all);
    const result = new Set([...bad].map((b) => owners[b]));
    if (single && result.size)
      throw new NgsiError('BadRequestData', 'the geometry is not valid (ST_IsValid)');
    return result;
  }

  /** POST /entities. */
  async create(
    tenant: string,
    ctx: ActiveContext,
    body: unknown,
    actor: Actor,
    simplified = false,
  ): Promise<string> {
    const f = readFragment(body, ctx, { needId: true, needType: true, simplified });
    return this.db.transaction(async (tx) => {
      await this.checkGeometries(tx, [f]);
      const at = now();
      const plan = planCreate(f, at);
      const done = await this.commit(tx, tenant, [{ id: f.id, before: null, ...plan }], 'insert', at);
      if (!done.has(f.id)) throw new NgsiError('AlreadyExists', `entity ${f.id} already exists`);
      await audit(tx, actor, {
        action: 'ngsi-ld.entity.create',
        resourceType: 'ngsi-ld.entity',
        resourceId: f.id,
        detail: tenant ? { tenant } : {},
      });
      return f.id;
    });
  }

  /**
   * Changes one existing entity: loads it locked, plans the change with `fn`, commits and audits.
   * `body` is validated as a fragment unless `fn` takes care of its own input.
   */
  async change(
    tenant: string,
    id: string,
    action: string,
    actor: Actor,
    fn: (before: Entity, at: string, tx: Executor) => Promise<Plan> | Plan,
  ): Promise<Plan> {
    checkEntityId(id);
    const quick = await this.changeUnlocked(tenant, id, action, actor, fn);
    if (quick) return quick;
    return this.db.transaction(async (tx) => {
      const before = (await this.repo.load(tx, tenant, [id], true)).get(id);
      if (!before) throw notFound(`no entity ${id}`);
      const at = now();
      const plan = await fn(before, at, tx);
      const row = auditInsert(actor, {
        action,
        resourceType: 'ngsi-ld.entity',
        resourceId: id,
        detail: tenant ? { tenant } : {},
      });
      await this.commit(tx, tenant, [{ id, before, ...plan }], 'upsert', at, { locked: true, also: [row] });
      return plan;
    });
  }

  /**
   * `change` in two statements and no transaction, when it can be: the entity is loaded unlocked with its
   * row version, and the change is written (with its history and audit row) by one statement that does
   * nothing unless the row is still that version and every listener's `idle` condition still holds.
   * Null when that was not possible (a removal, a listener that may act, a concurrent change): then
   * `change` does it the locked way, planning again. Errors of `fn` are the caller's, as in `change`.
   */
  private async changeUnlocked(
    tenant: string,
    id: string,
    action: string,
    actor: Actor,
    fn: (before: Entity, at: string, tx: Executor) => Promise<Plan> | Plan,
  ): Promise<Plan | null> {
    const loaded = await this.repo.loadVersioned(this.db.orm, tenant, id);
    if (!loaded) throw notFound(`no entity ${id}`);
    const before = loaded.entity;
    const at = now();
    const plan = await fn(before, at, this.db.orm);
    if (plan.after === null) return null;
    const change: Change = { id, before, ...plan };
    const guards: SQL[] = [];
    for (const l of this.listeners) {
      const guard = l.idle?.(tenant, [change]);
      if (!guard) return null;
      guards.push(guard);
    }
    const row = auditInsert(
      actor,
      { action, resourceType: 'ngsi-ld.entity', resourceId: id, detail: tenant ? { tenant } : {} },
      sql`EXISTS (SELECT 1 FROM w)`,
    );
    const history = { entries: historyOf(change, at), at };
    const written = await this.repo.update(
      this.db.orm,
      tenant,
      [{ before, after: plan.after }],
      history,
      [row],
      { version: loaded.version, guard: guards.length ? sql.join(guards, sql` AND `) : sql`true` },
    );
    return written.ids.has(id) ? plan : null;
  }

  /** Validates a fragment for `change`, including PostGIS validity of its geometries. */
  async fragment(
    tx: Executor,
    body: unknown,
    ctx: ActiveContext,
    id: string,
    needType = false,
    simplified = false,
  ): Promise<Fragment> {
    const f = readFragment(body, ctx, { needId: false, needType, id, simplified });
    await this.checkGeometries(tx, [f]);
    return f;
  }

  async delete(tenant: string, id: string, actor: Actor): Promise<void> {
    await this.change(tenant, id, 'ngsi-ld.entity.delete', actor, () => ({
      after: null,
      written: [],
      notUpdated: [],
    }));
  }

  /** POST /entityOperations/{op}: good entities are written, bad ones reported, never half an entity. */
  async batch(
    op: BatchOp,
    tenant: string,
    ctx: ActiveContext,
    bodies: unknown[],
    actor: Actor,
    opts: { noOverwrite?: boolean; upsertUpdate?: boolean; simplified?: boolean } = {},
  ): Promise<BatchResult> {
    const errors: BatchResult['errors'] = [];
    const fail = (entityId: unknown, e: unknown) => {
      if (!(e instanceof NgsiError)) throw e;
      errors.push({ entityId: typeof entityId === 'string' ? entityId : '', error: e.toProblem() });
    };
    const items: Fragment[] = [];
    for (const body of bodies) {
      try {
        if (op === 'delete') {
          items.push({ id: checkEntityId(body), types: null, attrs: {} });
        } else {
          items.push(
            readFragment(body, ctx, {
              needId: true,
              needType: op === 'create' || op === 'upsert',
              simplified: opts.simplified,
            }),
          );
        }
      } catch (e) {
        fail(op === 'delete' ? body : (body as { id?: unknown } | null)?.id, e);
      }
    }
    return this.db.transaction(async (tx) => {
      const badGeo = await this.checkGeometriesMany(tx, items);
      const good = items.filter((f, i) => {
        if (badGeo.has(i))
          fail(f.id, new NgsiError('BadRequestData', 'a geometry is not valid (ST_IsValid)'));
        return !badGeo.has(i);
      });
      const current = await this.repo.load(
        tx,
        tenant,
        good.map((f) => f.id),
        true,
      );
      const states = new Map<string, Change>();
      const at = now();
      for (const f of good) {
        try {
          const prior = states.get(f.id);
          const before = prior ? prior.after : (current.get(f.id) ?? null);
          const plan = this.planBatch(op, f, before, at, opts);
          states.set(f.id, {
            id: f.id,
            before: prior ? prior.before : before,
            after: plan.after,
            written: [...(prior?.written ?? []), ...plan.written],
          });
        } catch (e) {
          fail(f.id, e);
        }
      }
      const changes = [...states.values()];
      const done = await this.commit(tx, tenant, changes, 'upsert', at);
      const success = changes.filter((c) => done.has(c.id)).map((c) => c.id);
      if (success.length)
        await audit(tx, actor, {
          action: `ngsi-ld.batch.${op}`,
          resourceType: 'ngsi-ld.entity',
          resourceId: success.length === 1 ? success[0] : null,
          detail: { count: success.length, ids: success.slice(0, 100), ...(tenant ? { tenant } : {}) },
        });
      return { success, errors };
    });
  }

  /** POST /temporal/entities/{id}/attrs: instances added to the history; the current state is not changed. */
  async addTemporal(tenant: string, ctx: ActiveContext, id: string, body: unknown, actor: Actor) {
    checkEntityId(id);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new NgsiError('BadRequestData', 'the body must be a JSON object');
    const fields = body as Record<string, unknown>;
    if (fields.id !== undefined && fields.id !== id)
      throw new NgsiError('BadRequestData', 'the id in the body differs from the id in the path');
    const f: Fragment = { id, types: null, attrs: {} };
    const entries: HistoryEntry[] = [];
    for (const [name, raw] of Object.entries(fields)) {
      if (entityMembers.has(name)) continue;
      checkName(name);
      const list = readInstances(raw, name, ctx);
      const attr = ctx.expand(name);
      f.attrs[attr] = [...instances(f.attrs[attr]), ...list];
      for (const instance of list) entries.push({ id, attr, instance });
      if (entries.length > maxTemporalInstances)
        throw new NgsiError('BadRequestData', `at most ${maxTemporalInstances} instances a request`);
    }
    if (entries.length === 0) throw new NgsiError('BadRequestData', 'no attribute instances in the body');
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.load(tx, tenant, [id], false)).has(id)) throw notFound(`no entity ${id}`);
      await this.checkGeometries(tx, [f]);
      await this.repo.appendHistory(tx, tenant, entries, now());
      await audit(tx, actor, {
        action: 'ngsi-ld.temporal.append',
        resourceType: 'ngsi-ld.entity',
        resourceId: id,
        detail: { instances: entries.length, ...(tenant ? { tenant } : {}) },
      });
    });
  }

  /**
   * DELETE /temporal/entities/{id} (every attribute's history) or /attrs/{attr} (one attribute's, all
   * instances or one datasetId's). The entity's current state under /entities stays.
   */
  async deleteTemporal(
    tenant: string,
    id: string,
    actor: Actor,
    target: { attr: string; datasetId: string | null } | null = null,
  ): Promise<void> {
    checkEntityId(id);
    await this.db.transaction(async (tx) => {
      const n = await this.repo.deleteHistory(
        tx,
        tenant,
        id,
        target?.attr ?? null,
        target?.datasetId ?? null,
      );
      // The whole history gone: so is the record of the entity's deletion, if it was deleted.
      const forgotten = target ? false : await this.repo.forgetDeleted(tx, tenant, id);
      if (n === 0 && !forgotten) {
        if (target) throw notFound(`entity ${id} has no history of that attribute`);
        if (!(await this.repo.load(tx, tenant, [id], false)).has(id)) throw notFound(`no entity ${id}`);
      }
      await audit(tx, actor, {
        action: target ? 'ngsi-ld.temporal.attribute.delete' : 'ngsi-ld.temporal.delete',
        resourceType: 'ngsi-ld.entity',
        resourceId: id,
        detail: {
          instances: n,
          ...(target ? { attr: target.attr, datasetId: target.datasetId } : {}),
          ...(tenant ? { tenant } : {}),
        },
      });
    });
  }

  private async checkGeometriesMany(tx: Executor, items: Fragment[]): Promise<Set<number>> {
    return this.checkGeometries(tx, items, false);
  }

  private planBatch(
    op: BatchOp,
    f: Fragment,
    before: Entity | null,
    at: string,
    opts: { noOverwrite?: boolean; upsertUpdate?: boolean },
  ): Plan {
    switch (op) {
      case 'create':
        if (before) throw new NgsiError('AlreadyExists', `entity ${f.id} already exists`);
        return planCreate(f, at);
      case 'upsert':
        if (!before) return planCreate(f, at);
        return opts.upsertUpdate ? planAppend(before, f, at, false) : planReplace(before, f, at);
      case 'update':
        if (!before) throw notFound(`no entity ${f.id}`);
        return planAppend(before, f, at, opts.noOverwrite ?? false);
      case 'merge':
        if (!before) throw notFound(`no entity ${f.id}`);
        return planMerge(before, f, at);
      case 'delete':
        if (!before) throw notFound(`no entity ${f.id}`);
        return { after: null, written: [], notUpdated: [] };
    }
  }
}

/** What a change appends to the history: the instances written and the marks of those deleted. */
function historyOf(c: Change, at: string): HistoryEntry[] {
  return [...c.written, ...deletionMarkers(c.before, c.after, at)].map(([attr, instance]) => ({
    id: c.id,
    attr,
    instance,
  }));
}

const services = new WeakMap<Db, ContextService>();

/** The broker's service for a database: one per process, shared by the HTTP API and the modules. */
export function contextService(db: Db): ContextService {
  let s = services.get(db);
  if (!s) {
    s = new ContextService(db);
    services.set(db, s);
  }
  return s;
}
