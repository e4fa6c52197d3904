import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Polygon } from '../alerts/model.ts';
import type { AlertService } from '../alerts/service.ts';
import type { ReadingRow } from '../devices/repository.ts';
import { evaluate, initialState, type SubjectState, silent, type Transition } from './engine.ts';
import type { Rule, Scope } from './model.ts';
import { type DeviceFacts, RuleRepository, type StoredState } from './repository.ts';

const deviceTtlMs = 60_000;

export const inScope = (scope: Scope, d: DeviceFacts): boolean =>
  scope.kind === 'city' ||
  (scope.kind === 'device' && d.id === scope.deviceId) ||
  (scope.kind === 'profile' && d.profileId === scope.profileId) ||
  (scope.kind === 'zone' && d.zoneCode === scope.zoneCode);

/** A closed octagon of about `metres` radius around a point, as a GeoJSON polygon. */
export function around(lon: number, lat: number, metres: number): Polygon {
  const dLat = metres / 111_320;
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
  const ring: [number, number][] = [];
  for (let i = 0; i < 8; i++) {
    const a = (i * Math.PI) / 4;
    ring.push([+(lon + dLon * Math.cos(a)).toFixed(6), +(lat + dLat * Math.sin(a)).toFixed(6)]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

const key = (ruleId: string, subject: string) => `${ruleId}|${subject}`;
const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

interface Change {
  rule: Rule;
  device: DeviceFacts;
  transition: Exclude<Transition, null>;
  value: number | null;
}

/**
 * Runs the enabled rules on readings as they are committed, and the no-data rules on a timer. Rules
 * are indexed in memory by quantity (refreshed whenever a rule changes); each (rule, subject) state
 * lives in `rule_state`, read and written once per batch, so the work per reading is constant and a
 * restart resumes where it stood. A subject is a device; scope says which devices a rule watches.
 */
export class RuleEvaluator {
  readonly repo: RuleRepository;
  private byQuantity = new Map<string, Rule[]>();
  private noData: Rule[] = [];
  private devices = new Map<string, { facts: DeviceFacts; at: number }>();
  /** Readings and sweeps run one at a time, so two never read and write the same state at once. */
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertService,
    private readonly log: FastifyBaseLogger,
  ) {
    this.repo = new RuleRepository(db);
  }

  /** Reloads the in-memory index; call after any rule change. */
  refresh(): Promise<void> {
    this.loaded = (async () => {
      const rules = await this.repo.enabled();
      const index = new Map<string, Rule[]>();
      for (const r of rules) {
        if (r.params.kind === 'noData') continue;
        index.set(r.quantity, [...(index.get(r.quantity) ?? []), r]);
      }
      this.byQuantity = index;
      this.noData = rules.filter((r) => r.params.kind === 'noData');
    })();
    return this.loaded;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async facts(ids: string[]): Promise<Map<string, DeviceFacts>> {
    const now = Date.now();
    const missing = ids.filter((id) => (this.devices.get(id)?.at ?? 0) < now - deviceTtlMs);
    for (const d of await this.repo.devices(missing)) this.devices.set(d.id, { facts: d, at: now });
    return new Map(ids.flatMap((id) => (this.devices.has(id) ? [[id, this.devices.get(id)!.facts]] : [])));
  }

  /** Evaluates freshly committed readings (the ingestion worker's afterCommit). */
  onReadings(rows: ReadingRow[]): Promise<number> {
    return this.serial(async () => {
      await (this.loaded ?? this.refresh());
      const relevant = rows.filter((r) => this.byQuantity.has(r.quantity) || this.noData.length);
      if (!relevant.length) return 0;
      const facts = await this.facts([...new Set(relevant.map((r) => r.deviceId))]);
      // (rule, device) → its readings in time order
      const work = new Map<string, { rule: Rule; device: DeviceFacts; points: { t: number; v: number }[] }>();
      const add = (rule: Rule, device: DeviceFacts, t: number, v: number) => {
        const k = key(rule.id, device.id);
        const w = work.get(k) ?? { rule, device, points: [] };
        w.points.push({ t, v });
        work.set(k, w);
      };
      for (const r of relevant) {
        const device = facts.get(r.deviceId);
        if (!device) continue;
        const t = Date.parse(r.observedAt);
        for (const rule of this.byQuantity.get(r.quantity) ?? [])
          if (inScope(rule.scope, device)) add(rule, device, t, r.value);
        for (const rule of this.noData)
          if (rule.quantity === r.quantity && inScope(rule.scope, device)) add(rule, device, t, r.value);
      }
      if (!work.size) return 0;
      const items = [...work.values()];
      const prior = new Map(
        (await this.repo.states(items.map((w) => ({ ruleId: w.rule.id, subject: w.device.id })))).map((s) => [
          key(s.ruleId, s.subject),
          s,
        ]),
      );
      const next: StoredState[] = [];
      const changes: Change[] = [];
      for (const w of items) {
        let state: SubjectState = prior.get(key(w.rule.id, w.device.id)) ?? initialState();
        w.points.sort((a, b) => a.t - b.t);
        for (const p of w.points) {
          const r = evaluate(w.rule.params, state, p.t, p.v);
          state = r.state;
          if (r.transition)
            changes.push({ rule: w.rule, device: w.device, transition: r.transition, value: p.v });
        }
        next.push({ ruleId: w.rule.id, subject: w.device.id, ...state });
      }
      await this.commit(next, changes);
      return changes.length;
    });
  }

  /** Raises no-data alerts for subjects silent too long; the timer calls it, tests call it with `now`. */
  sweep(now = Date.now()): Promise<number> {
    return this.serial(async () => {
      await (this.loaded ?? this.refresh());
      const next: StoredState[] = [];
      const changes: Change[] = [];
      for (const rule of this.noData) {
        if (rule.params.kind !== 'noData') continue;
        const devices = await this.repo.devicesIn(rule.scope);
        const states = new Map(
          (await this.repo.states(devices.map((d) => ({ ruleId: rule.id, subject: d.id })))).map((s) => [
            s.subject,
            s,
          ]),
        );
        const since = Date.parse(rule.updatedAt);
        for (const d of devices) {
          const s = states.get(d.id) ?? initialState();
          if (s.firing || !silent(rule.params.minutes, s.lastAt, since, now)) continue;
          next.push({ ruleId: rule.id, subject: d.id, ...s, firing: true });
          changes.push({ rule, device: d, transition: 'fire', value: null });
        }
      }
      await this.commit(next, changes);
      return changes.length;
    });
  }

  private async commit(states: StoredState[], changes: Change[]): Promise<void> {
    if (!states.length) return;
    await this.db.transaction(async (tx) => {
      await this.repo.saveStates(tx, states);
      for (const c of changes) await this.apply(tx, c);
    });
  }

  /**
   * A changed or deleted rule starts over: its open alerts are resolved, since no later clear of the
   * old condition will come to resolve them.
   */
  async resolveOpen(tx: Executor, ruleId: string): Promise<void> {
    const open = await this.db.rows<{ subject: string }>(
      sql`SELECT subject FROM alert_alerts WHERE rule_id = ${ruleId} AND status <> 'resolved'`,
      tx,
    );
    for (const { subject } of open) await this.alerts.resolveFromRule(ruleId, subject, tx);
  }

  private async apply(tx: Executor, c: Change): Promise<void> {
    if (c.transition === 'clear') {
      await this.alerts.resolveFromRule(c.rule.id, c.device.id, tx);
      return;
    }
    const shown = c.value === null ? '' : ` = ${c.value}`;
    const where = c.rule.public ? await this.publicArea(tx, c.device) : null;
    await this.alerts.raiseFromRule(
      {
        ruleId: c.rule.id,
        subject: c.device.id,
        officeId: c.rule.officeId,
        category: c.rule.category,
        urgency: c.rule.urgency,
        severity: c.rule.severity,
        certainty: c.rule.certainty,
        event: c.rule.name,
        headline: {
          th: clip(`${c.rule.name.th} · ${c.device.name}`),
          en: clip(`${c.rule.name.en} · ${c.device.name}`),
        },
        description: {
          th: clip(`${c.rule.quantity}${shown} (${c.device.name})`),
          en: clip(`${c.rule.quantity}${shown} (${c.device.name})`),
        },
        ...(where && {
          public: true,
          instruction: c.rule.instruction,
          areaDesc: where.areaDesc,
          area: where.area,
          zoneId: where.zoneId,
        }),
      },
      tx,
    );
  }

  /**
   * Where a public rule alert applies: the device's zone when it has one, else about a kilometre
   * around it (CAP needs an area, and the device's own point says too little to residents).
   */
  private async publicArea(tx: Executor, device: DeviceFacts) {
    const place = await this.repo.place(device.id, tx);
    if (!place) return null;
    const zoneId = place.zoneCode ? await this.alerts.repo.zoneId(place.zoneCode, tx) : null;
    const near = { th: `บริเวณ ${device.name}`, en: `Around ${device.name}` };
    if (zoneId) return { zoneId, area: null, areaDesc: near };
    return { zoneId: null, area: around(place.lon, place.lat, 1000), areaDesc: near };
  }

  /**
   * Sweeps every `everyMs` until stopped; a failed sweep is logged and the next one tries again. Each
   * tick reloads the rules too, so a change made through another platform process arrives here.
   */
  start(everyMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.refresh()
        .then(() => this.sweep())
        .catch((err) => this.log.error({ err }, 'rules: no-data sweep failed'));
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }
}
