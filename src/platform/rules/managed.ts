import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Rule, RuleInput } from './model.ts';
import { RuleRepository, scopeRef } from './repository.ts';

/** A rule a module wants to exist, under a key it owns (e.g. `flood:<station>:warning`). */
export interface ManagedRule {
  key: string;
  input: RuleInput;
}

export interface SyncResult {
  created: string[];
  updated: string[];
  deleted: string[];
}

/** JSON with keys sorted, so a rule read back from jsonb compares equal to the one asked for. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

const shape = (r: RuleInput | Rule, officeId: string | null) =>
  canonical({
    name: r.name,
    enabled: r.enabled ?? true,
    scope: [r.scope.kind, scopeRef(r.scope)],
    quantity: r.quantity,
    params: r.params,
    cap: [r.category, r.urgency, r.severity, r.certainty],
    public: r.public ?? false,
    instruction: r.instruction ?? { th: '', en: '' },
    officeId,
  });

/**
 * Makes the rules under `prefix` exactly `desired`: creates the missing, replaces the changed (their
 * evaluation starts over and their open alerts are resolved by `resolveOpen`), deletes the rest. An
 * unchanged rule is left alone, so running it again changes nothing and keeps a running evaluation.
 * Runs inside the caller's transaction and audits each change as `actor`; the caller refreshes the
 * evaluator after commit.
 */
export async function syncManagedRules(
  db: Db,
  tx: Executor,
  prefix: string,
  desired: ManagedRule[],
  officeId: string | null,
  actor: Actor,
  resolveOpen?: (tx: Executor, ruleId: string) => Promise<void>,
): Promise<SyncResult> {
  const repo = new RuleRepository(db);
  const existing = new Map((await repo.managed(prefix, tx)).map((r) => [r.managedBy!, r]));
  const result: SyncResult = { created: [], updated: [], deleted: [] };
  const detail = (k: string, r: RuleInput) => ({ managedBy: k, kind: r.params.kind, quantity: r.quantity });
  for (const { key, input } of desired) {
    if (!key.startsWith(prefix)) throw new Error(`managed rule key ${key} is outside ${prefix}`);
    const found = existing.get(key);
    existing.delete(key);
    if (!found) {
      const created = await repo.insert(tx, input, officeId, false, key);
      await audit(tx, actor, {
        action: 'rules.create',
        resourceType: 'rule',
        resourceId: created.id,
        detail: detail(key, input),
      });
      result.created.push(created.id);
      continue;
    }
    if (shape(found, found.officeId) === shape(input, officeId)) continue;
    await repo.update(tx, found.id, input, officeId);
    await repo.clearState(tx, found.id);
    await resolveOpen?.(tx, found.id);
    await audit(tx, actor, {
      action: 'rules.update',
      resourceType: 'rule',
      resourceId: found.id,
      detail: detail(key, input),
    });
    result.updated.push(found.id);
  }
  for (const [key, stale] of existing) {
    await resolveOpen?.(tx, stale.id);
    await repo.delete(tx, stale.id);
    await audit(tx, actor, {
      action: 'rules.delete',
      resourceType: 'rule',
      resourceId: stale.id,
      detail: { managedBy: key },
    });
    result.deleted.push(stale.id);
  }
  return result;
}
