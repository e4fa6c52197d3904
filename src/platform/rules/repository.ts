import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { SubjectState } from './engine.ts';
import type { Rule, RuleInput, Scope } from './model.ts';

const columns = sql`id, json_build_object('th', name_th, 'en', name_en) AS name, office_id AS "officeId", enabled,
  CASE scope_kind WHEN 'device' THEN json_build_object('kind', 'device', 'deviceId', scope_ref)
    WHEN 'profile' THEN json_build_object('kind', 'profile', 'profileId', scope_ref)
    WHEN 'zone' THEN json_build_object('kind', 'zone', 'zoneCode', scope_ref)
    ELSE json_build_object('kind', 'city') END AS scope,
  quantity, params, category, urgency, severity, certainty, public,
  json_build_object('th', instruction_th, 'en', instruction_en) AS instruction, managed_by AS "managedBy", synthetic,
  to_json(created_at)#>>'{}' AS "createdAt", to_json(updated_at)#>>'{}' AS "updatedAt"`;

export const scopeRef = (s: Scope): string | null =>
  s.kind === 'device'
    ? s.deviceId
    : s.kind === 'profile'
      ? s.profileId
      : s.kind === 'zone'
        ? s.zoneCode
        : null;

/** What scoping needs of a device. */
export interface DeviceFacts {
  id: string;
  name: string;
  profileId: string;
  zoneCode: string | null;
}

export interface StoredState extends SubjectState {
  ruleId: string;
  subject: string;
  /** The rule's `updatedAt` this state was computed under; when given, a save for another is skipped. */
  version?: string;
}

/** The rows `saveStatesJson` takes, as one JSON string. */
export function stateJson(states: StoredState[]): string {
  return JSON.stringify(
    states.map((s) => ({
      ruleId: s.ruleId,
      subject: s.subject,
      firing: s.firing,
      lastAt: s.lastAt === null ? null : new Date(s.lastAt).toISOString(),
      state: { conditions: s.conditions },
      version: s.version ?? null,
    })),
  );
}

/** The only SQL of the rules engine; tables are prefixed `rule_`. */
export class RuleRepository {
  constructor(private readonly db: Db) {}

  list(officeId?: string, on?: Executor): Promise<Rule[]> {
    const where = officeId ? sql`office_id = ${officeId}` : sql`true`;
    return this.db.rows<Rule>(sql`SELECT ${columns} FROM rule_rules WHERE ${where} ORDER BY name_en, id`, on);
  }

  enabled(): Promise<Rule[]> {
    return this.db.rows<Rule>(sql`SELECT ${columns} FROM rule_rules WHERE enabled`);
  }

  async get(id: string, on?: Executor): Promise<Rule | undefined> {
    const [row] = await this.db.rows<Rule>(sql`SELECT ${columns} FROM rule_rules WHERE id = ${id}`, on);
    return row;
  }

  private values(r: RuleInput, officeId: string | null) {
    return {
      nameTh: r.name.th,
      nameEn: r.name.en,
      officeId,
      enabled: r.enabled ?? true,
      scopeKind: r.scope.kind,
      scopeRef: scopeRef(r.scope),
      params: JSON.stringify(r.params),
      public: r.public ?? false,
      instructionTh: r.instruction?.th ?? '',
      instructionEn: r.instruction?.en ?? '',
    };
  }

  async insert(
    on: Executor,
    r: RuleInput,
    officeId: string | null,
    synthetic = false,
    managedBy: string | null = null,
  ): Promise<Rule> {
    const v = this.values(r, officeId);
    const [row] = await this.db.rows<Rule>(
      sql`INSERT INTO rule_rules (name_th, name_en, office_id, enabled, scope_kind, scope_ref, quantity, kind, params,
          category, urgency, severity, certainty, synthetic, public, instruction_th, instruction_en, managed_by)
        VALUES (${v.nameTh}, ${v.nameEn}, ${v.officeId}, ${v.enabled}, ${v.scopeKind}, ${v.scopeRef}, ${r.quantity},
          ${r.params.kind}, ${v.params}::jsonb, ${r.category}, ${r.urgency}, ${r.severity}, ${r.certainty}, ${synthetic},
          ${v.public}, ${v.instructionTh}, ${v.instructionEn}, ${managedBy})
        RETURNING ${columns}`,
      on,
    );
    return row;
  }

  async update(on: Executor, id: string, r: RuleInput, officeId: string | null): Promise<Rule | undefined> {
    const v = this.values(r, officeId);
    const [row] = await this.db.rows<Rule>(
      sql`UPDATE rule_rules SET name_th = ${v.nameTh}, name_en = ${v.nameEn}, office_id = ${v.officeId},
          enabled = ${v.enabled}, scope_kind = ${v.scopeKind}, scope_ref = ${v.scopeRef}, quantity = ${r.quantity},
          kind = ${r.params.kind}, params = ${v.params}::jsonb, category = ${r.category}, urgency = ${r.urgency},
          severity = ${r.severity}, certainty = ${r.certainty}, public = ${v.public},
          instruction_th = ${v.instructionTh}, instruction_en = ${v.instructionEn}, updated_at = now()
        WHERE id = ${id} RETURNING ${columns}`,
      on,
    );
    return row;
  }

  /** The rules a module keeps under a key prefix (e.g. `flood:<station>:`). */
  managed(prefix: string, on?: Executor): Promise<Rule[]> {
    return this.db.rows<Rule>(
      sql`SELECT ${columns} FROM rule_rules WHERE left(managed_by, length(${prefix})) = ${prefix}
        ORDER BY managed_by`,
      on,
    );
  }

  /** Where public alerts of a device are drawn: its zone, else a point to draw around. */
  async place(deviceId: string, on?: Executor) {
    const [row] = await this.db.rows<{ zoneCode: string | null; lon: number; lat: number }>(
      sql`SELECT zone_code AS "zoneCode", ST_X(location) AS lon, ST_Y(location) AS lat FROM dev_devices
        WHERE id = ${deviceId}`,
      on,
    );
    return row ?? null;
  }

  async delete(on: Executor, id: string): Promise<boolean> {
    return (await this.db.rows(sql`DELETE FROM rule_rules WHERE id = ${id} RETURNING id`, on)).length > 0;
  }

  /** A rule's evaluation starts over when it changes: its old state described another condition. */
  async clearState(on: Executor, ruleId: string): Promise<void> {
    await on.execute(sql`DELETE FROM rule_state WHERE rule_id = ${ruleId}`);
  }

  async devices(ids: string[]): Promise<DeviceFacts[]> {
    if (!ids.length) return [];
    return this.db.rows<DeviceFacts>(
      sql`SELECT id, name, profile_id AS "profileId", zone_code AS "zoneCode" FROM dev_devices
        WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`,
    );
  }

  /** The devices a scope covers (no-data sweeps and backtests). */
  devicesIn(scope: Scope): Promise<DeviceFacts[]> {
    const where: SQL =
      scope.kind === 'device'
        ? sql`id = ${scope.deviceId}`
        : scope.kind === 'profile'
          ? sql`profile_id = ${scope.profileId}`
          : scope.kind === 'zone'
            ? sql`zone_code = ${scope.zoneCode}`
            : sql`true`;
    return this.db.rows<DeviceFacts>(
      sql`SELECT id, name, profile_id AS "profileId", zone_code AS "zoneCode" FROM dev_devices WHERE ${where}`,
    );
  }

  /**
   * The stored states of these pairs. Asked for by their rules and subjects (two short lists, not one
   * JSON row per pair: a cold batch asks for a hundred thousand pairs), the extra rows dropped here.
   */
  async states(pairs: { ruleId: string; subject: string }[], on?: Executor): Promise<StoredState[]> {
    if (!pairs.length) return [];
    const rules = JSON.stringify([...new Set(pairs.map((p) => p.ruleId))]);
    const subjects = JSON.stringify([...new Set(pairs.map((p) => p.subject))]);
    const rows = await this.db.rows<StoredState>(
      sql`SELECT s.rule_id AS "ruleId", s.subject, s.firing,
          (extract(epoch FROM s.last_at) * 1000)::float8 AS "lastAt", s.state -> 'conditions' AS conditions
        FROM rule_state s
        WHERE s.rule_id IN (SELECT jsonb_array_elements_text(${rules}::jsonb)::uuid)
          AND s.subject IN (SELECT jsonb_array_elements_text(${subjects}::jsonb))`,
      on,
    );
    const wanted = new Set(pairs.map((p) => `${p.ruleId}|${p.subject}`));
    return rows.filter((r) => wanted.has(`${r.ruleId}|${r.subject}`));
  }

  /**
   * Upserts states. `onlyNewer` (checkpoints, written apart from the evaluation) leaves a row alone
   * whose last reading is as recent or more, so an older snapshot never overwrites what an alert's
   * transaction wrote meanwhile.
   */
  async saveStates(on: Executor, states: StoredState[], onlyNewer = false): Promise<void> {
    if (!states.length) return;
    await this.saveStatesJson(on, stateJson(states), onlyNewer);
  }

  /** `saveStates` with the rows already serialised by `stateJson` (a snapshot of states that move on). */
  async saveStatesJson(on: Executor, json: string, onlyNewer = false): Promise<void> {
    await on.execute(
      sql`INSERT INTO rule_state (rule_id, subject, firing, last_at, state)
        SELECT x."ruleId", x.subject, x.firing, x."lastAt", x.state
        FROM jsonb_to_recordset(${json}::jsonb)
          AS x("ruleId" uuid, subject text, firing boolean, "lastAt" timestamptz, state jsonb, version timestamptz)
        WHERE EXISTS (SELECT 1 FROM rule_rules r WHERE r.id = x."ruleId"
          AND (x.version IS NULL OR r.updated_at = x.version))
        ON CONFLICT (rule_id, subject) DO UPDATE SET firing = EXCLUDED.firing, last_at = EXCLUDED.last_at,
          state = EXCLUDED.state, updated_at = now()
        ${onlyNewer ? sql`WHERE rule_state.last_at IS NULL OR rule_state.last_at < EXCLUDED.last_at` : sql``}`,
    );
  }

  /**
   * Records how far the readings of these (device, quantity) pairs have been evaluated (the observed
   * time of the latest, ms), in the transaction of the alerts they raised; never moves back.
   */
  async saveProgress(
    on: Executor,
    rows: { subject: string; quantity: string; lastAt: number }[],
  ): Promise<void> {
    if (!rows.length) return;
    const json = JSON.stringify(
      rows.map((r) => ({ s: r.subject, q: r.quantity, t: new Date(r.lastAt).toISOString() })),
    );
    await on.execute(
      sql`INSERT INTO rule_progress (subject, quantity, last_at)
        SELECT x.s, x.q, x.t FROM jsonb_to_recordset(${json}::jsonb) AS x(s text, q text, t timestamptz)
        ON CONFLICT (subject, quantity) DO UPDATE SET last_at = greatest(rule_progress.last_at, EXCLUDED.last_at),
          updated_at = now()`,
    );
  }

  /** `saveProgress`'s times (ms) of these (device, quantity) pairs, keyed `device|quantity`. */
  async progress(groups: { deviceId: string; quantity: string }[]): Promise<Map<string, number>> {
    if (!groups.length) return new Map();
    const json = JSON.stringify(groups.map((g) => ({ s: g.deviceId, q: g.quantity })));
    const rows = await this.db.rows<{ subject: string; quantity: string; t: number }>(
      sql`SELECT p.subject, p.quantity, (extract(epoch FROM p.last_at) * 1000)::float8 AS t
        FROM jsonb_to_recordset(${json}::jsonb) AS x(s text, q text)
        JOIN rule_progress p ON p.subject = x.s AND p.quantity = x.q`,
    );
    return new Map(rows.map((r) => [`${r.subject}|${r.quantity}`, r.t]));
  }

  /**
   * Stored readings of some (device, quantity) pairs in `[from, to)`, oldest first, at most `limit` (the
   * latest) per pair, with when each was received (state rebuilds, `StateCache.load`).
   */
  recent(groups: { deviceId: string; quantity: string; from: number; to: number }[], limit: number) {
    if (!groups.length) return Promise.resolve([]);
    const json = JSON.stringify(
      groups.map((g) => ({
        d: g.deviceId,
        q: g.quantity,
        f: new Date(g.from).toISOString(),
        t: new Date(g.to).toISOString(),
      })),
    );
    return this.db.rows<{ deviceId: string; quantity: string; t: number; v: number; receivedAt: number }>(
      sql`SELECT p.d AS "deviceId", p.q AS quantity, r.t, r.v, r."receivedAt"
        FROM jsonb_to_recordset(${json}::jsonb) AS p(d uuid, q text, f timestamptz, t timestamptz)
        CROSS JOIN LATERAL (
          SELECT (extract(epoch FROM observed_at) * 1000)::float8 AS t, value AS v,
            (extract(epoch FROM received_at) * 1000)::float8 AS "receivedAt"
          FROM dev_readings
          WHERE device_id = p.d AND quantity = p.q AND observed_at >= p.f AND observed_at < p.t
          ORDER BY observed_at DESC LIMIT ${limit}
        ) r
        ORDER BY 1, 2, r.t`,
    );
  }

  /** Readings of one quantity on some devices in a time range, oldest first per device (backtests). */
  readings(deviceIds: string[], quantity: string, from: string, to: string, limit: number) {
    return this.db.rows<{ deviceId: string; t: number; v: number }>(
      sql`SELECT device_id AS "deviceId", (extract(epoch FROM observed_at) * 1000)::float8 AS t, value AS v
        FROM dev_readings
        WHERE quantity = ${quantity} AND observed_at >= ${from} AND observed_at < ${to}
          AND device_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(deviceIds)}::jsonb)::uuid)
        ORDER BY device_id, observed_at LIMIT ${limit}`,
    );
  }
}
