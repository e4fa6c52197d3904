import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import {
  type Alert,
  type AlertStatus,
  alertStatuses,
  type NewAlertRow,
  type UpdateWarning,
} from './model.ts';

interface Row {
  id: string;
  source: 'rule' | 'manual';
  ruleId: string | null;
  subject: string;
  officeId: string | null;
  public: boolean;
  category: Alert['category'];
  urgency: Alert['urgency'];
  severity: Alert['severity'];
  certainty: Alert['certainty'];
  eventTh: string;
  eventEn: string;
  headlineTh: string;
  headlineEn: string;
  descriptionTh: string;
  descriptionEn: string;
  instructionTh: string;
  instructionEn: string;
  areaDescTh: string;
  areaDescEn: string;
  area: string | null;
  zoneId: string | null;
  zoneCode: string | null;
  status: AlertStatus;
  raisedAt: string;
  raisedBy: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string;
  escalatedAt: string | null;
  expiresAt: string | null;
  capVersion: number;
  capSent: string;
  capRefs: string[] | string;
  /** The polygon(s) to publish: the alert's own area, else its zone's geometry (GeoJSON text). */
  capGeometry: string | null;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

const columns = sql`a.id, a.source, a.rule_id AS "ruleId", a.subject, a.office_id AS "officeId", a.public,
  a.category, a.urgency, a.severity, a.certainty, a.event_th AS "eventTh", a.event_en AS "eventEn",
  a.headline_th AS "headlineTh", a.headline_en AS "headlineEn", a.description_th AS "descriptionTh",
  a.description_en AS "descriptionEn", a.instruction_th AS "instructionTh", a.instruction_en AS "instructionEn",
  a.area_desc_th AS "areaDescTh", a.area_desc_en AS "areaDescEn", ST_AsGeoJSON(a.area, 7) AS area,
  a.zone_id AS "zoneId", z.code AS "zoneCode", a.status, a.raised_at AS "raisedAt", a.raised_by AS "raisedBy",
  a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy", a.resolved_at AS "resolvedAt",
  a.resolved_by AS "resolvedBy", a.resolution_note AS "resolutionNote",
  a.escalated_at AS "escalatedAt", a.expires_at AS "expiresAt",
  a.cap_version AS "capVersion", a.cap_sent AS "capSent", a.cap_refs AS "capRefs",
  ST_AsGeoJSON(coalesce(a.area, z.geom), 6) AS "capGeometry"`;
const from = sql`alert_alerts a LEFT JOIN core_zones z ON z.id = a.zone_id`;

function toAlert(r: Row): Alert & { capGeometry: unknown } {
  const refs = typeof r.capRefs === 'string' ? (JSON.parse(r.capRefs) as string[]) : r.capRefs;
  return {
    id: r.id,
    source: r.source,
    ruleId: r.ruleId,
    subject: r.subject,
    officeId: r.officeId,
    public: r.public,
    category: r.category,
    urgency: r.urgency,
    severity: r.severity,
    certainty: r.certainty,
    event: { th: r.eventTh, en: r.eventEn },
    headline: { th: r.headlineTh, en: r.headlineEn },
    description: { th: r.descriptionTh, en: r.descriptionEn },
    instruction: { th: r.instructionTh, en: r.instructionEn },
    areaDesc: { th: r.areaDescTh, en: r.areaDescEn },
    area: r.area ? JSON.parse(r.area) : null,
    zoneCode: r.zoneCode,
    status: r.status,
    raisedAt: iso(r.raisedAt)!,
    raisedBy: r.raisedBy,
    acknowledgedAt: iso(r.acknowledgedAt),
    acknowledgedBy: r.acknowledgedBy,
    resolvedAt: iso(r.resolvedAt),
    resolvedBy: r.resolvedBy,
    resolutionNote: r.resolutionNote,
    escalatedAt: iso(r.escalatedAt),
    expiresAt: iso(r.expiresAt),
    capVersion: r.capVersion,
    capSent: iso(r.capSent)!,
    capRefs: refs,
    capGeometry: r.capGeometry ? JSON.parse(r.capGeometry) : null,
  };
}

export type StoredAlert = ReturnType<typeof toAlert>;

/** What an alert's event says of it (`AlertEvent` in the service), read without the CAP columns. */
export interface BriefAlert {
  id: string;
  source: 'rule' | 'manual';
  ruleId: string | null;
  subject: string;
  officeId: string | null;
  severity: Alert['severity'];
  public: boolean;
  status: AlertStatus;
}
const brief = sql.raw(
  `id, source, rule_id AS "ruleId", subject, office_id AS "officeId", severity, public, status`,
);

/** Writes run in the statement that changes alerts, over its changed rows (`source`): one CTE each. */
export type Also = (source: SQL) => SQL[];
const withAlso = (parts: SQL[]) =>
  sql.join(
    parts.map((p, i) => sql`${sql.raw(`also${i}`)} AS (${p})`),
    sql`, `,
  );

/** The only place with SQL for alerts; the table is `alert_alerts`. */
export class AlertRepository {
  constructor(private readonly db: Db) {}

  async zoneId(code: string, on?: Executor): Promise<string | null> {
    const [row] = await this.db.rows<{ id: string }>(sql`SELECT id FROM core_zones WHERE code = ${code}`, on);
    return row?.id ?? null;
  }

  /**
   * Inserts an alert. For a rule's alert, an open alert of the same rule and subject wins: nothing is
   * inserted and `null` is returned (the unique partial index decides, also under concurrency).
   */
  async insert(on: Executor, a: NewAlertRow): Promise<string | null> {
    const area = a.area ? sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(a.area)}), 4326)` : sql`NULL`;
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO alert_alerts (source, rule_id, subject, office_id, public, category, urgency, severity,
          certainty, event_th, event_en, headline_th, headline_en, description_th, description_en,
          instruction_th, instruction_en, area_desc_th, area_desc_en, area, zone_id, raised_by, expires_at)
        VALUES (${a.source}, ${a.ruleId}, ${a.subject}, ${a.officeId}, ${a.public}, ${a.category}, ${a.urgency},
          ${a.severity}, ${a.certainty}, ${a.event.th}, ${a.event.en}, ${a.headline.th}, ${a.headline.en},
          ${a.description.th}, ${a.description.en}, ${a.instruction.th}, ${a.instruction.en},
          ${a.areaDesc.th}, ${a.areaDesc.en}, ${area}, ${a.zoneId}, ${a.raisedBy}, ${a.expiresAt})
        ON CONFLICT (rule_id, subject) WHERE rule_id IS NOT NULL AND status <> 'resolved' DO NOTHING
        RETURNING id`,
      on,
    );
    return row?.id ?? null;
  }

  /**
   * Inserts many rules' alerts in one statement; as with `insert`, an open alert of the same rule and
   * subject wins (that row is skipped). Returns what the events need of the inserted ones.
   */
  /**
   * Inserts alerts (an open one per rule and subject: a duplicate is skipped); `also` gives further
   * writes over the inserted rows (`changed`, in brief), run in the same statement (audit, events).
   */
  async insertMany(on: Executor, alerts: NewAlertRow[], also?: Also): Promise<BriefAlert[]> {
    if (!alerts.length) return [];
    const rows = alerts.map((a) => ({ ...a, area: a.area ? JSON.stringify(a.area) : null }));
    const insert = sql`INSERT INTO alert_alerts (source, rule_id, subject, office_id, public, category, urgency, severity,
          certainty, event_th, event_en, headline_th, headline_en, description_th, description_en,
          instruction_th, instruction_en, area_desc_th, area_desc_en, area, zone_id, raised_by, expires_at)
        SELECT x.source, x."ruleId", x.subject, x."officeId", x.public, x.category, x.urgency, x.severity,
          x.certainty, x.event->>'th', x.event->>'en', x.headline->>'th', x.headline->>'en',
          x.description->>'th', x.description->>'en', x.instruction->>'th', x.instruction->>'en',
          x."areaDesc"->>'th', x."areaDesc"->>'en',
          CASE WHEN x.area IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(x.area), 4326) END,
          x."zoneId", x."raisedBy", x."expiresAt"
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(source text, "ruleId" text,
          subject text, "officeId" uuid, public boolean, category text, urgency text, severity text,
          certainty text, event jsonb, headline jsonb, description jsonb, instruction jsonb, "areaDesc" jsonb,
          area text, "zoneId" uuid, "raisedBy" uuid, "expiresAt" timestamptz)
        ON CONFLICT (rule_id, subject) WHERE rule_id IS NOT NULL AND status <> 'resolved' DO NOTHING
        RETURNING ${brief}`;
    if (!also) return this.db.rows<BriefAlert>(insert, on);
    return this.db.rows<BriefAlert>(
      sql`WITH changed AS (${insert}), ${withAlso(also(sql`changed`))} SELECT * FROM changed`,
      on,
    );
  }

  /**
   * Alerts raised and resolved by the system in the same transaction (a rule's condition held and
   * cleared within one evaluation): each is inserted already resolved, raised and resolved at the
   * transaction's time as an insert followed by a resolve in it would leave it, at the cost of one row
   * write instead of two. A (rule, subject) with an open alert gets no new row: that alert is resolved
   * instead (as a raise skipped for it and the clear would have done). `also` gives further writes over
   * the inserted rows and over the open ones resolved (both in brief). Returns both, and the public open
   * ones left open (each needs its own CAP Cancel).
   */
  async insertResolvedMany(
    on: Executor,
    alerts: NewAlertRow[],
    note: string,
    also: (inserted: SQL, resolved: SQL) => SQL[],
  ): Promise<BriefAlert[]> {
    if (!alerts.length) return [];
    const rows = alerts.map((a) => ({ ...a, area: a.area ? JSON.stringify(a.area) : null }));
    const parts = also(sql`inserted`, sql`resolved`);
    return this.db.rows<BriefAlert>(
      sql`WITH x AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(source text, "ruleId" text,
            subject text, "officeId" uuid, public boolean, category text, urgency text, severity text,
            certainty text, event jsonb, headline jsonb, description jsonb, instruction jsonb, "areaDesc" jsonb,
            area text, "zoneId" uuid, "raisedBy" uuid, "expiresAt" timestamptz)
        ), open AS (
          SELECT a.id, a.public, a.rule_id, a.subject FROM alert_alerts a
          JOIN x ON a.rule_id = x."ruleId" AND a.subject = x.subject
          WHERE a.status <> 'resolved'
        ), inserted AS (
          INSERT INTO alert_alerts (source, rule_id, subject, office_id, public, category, urgency, severity,
            certainty, event_th, event_en, headline_th, headline_en, description_th, description_en,
            instruction_th, instruction_en, area_desc_th, area_desc_en, area, zone_id, raised_by, expires_at,
            status, resolved_at, resolved_by, resolution_note)
          SELECT x.source, x."ruleId", x.subject, x."officeId", x.public, x.category, x.urgency, x.severity,
            x.certainty, x.event->>'th', x.event->>'en', x.headline->>'th', x.headline->>'en',
            x.description->>'th', x.description->>'en', x.instruction->>'th', x.instruction->>'en',
            x."areaDesc"->>'th', x."areaDesc"->>'en',
            CASE WHEN x.area IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(x.area), 4326) END,
            x."zoneId", x."raisedBy", x."expiresAt", 'resolved', now(), NULL, ${note}
          FROM x WHERE NOT EXISTS (SELECT 1 FROM open o WHERE o.rule_id = x."ruleId" AND o.subject = x.subject)
          RETURNING ${brief}
        ), resolved AS (
          UPDATE alert_alerts SET status = 'resolved', resolved_at = now(), resolved_by = NULL,
            resolution_note = ${note}
          WHERE id IN (SELECT id FROM open WHERE NOT public) AND status IN ('raised', 'acknowledged') AND NOT public
          RETURNING ${brief}
        ), ${withAlso(parts)}
        SELECT * FROM inserted UNION ALL SELECT * FROM resolved
        UNION ALL SELECT ${brief} FROM alert_alerts WHERE id IN (SELECT id FROM open WHERE public)`,
      on,
    );
  }

  /**
   * Resolves by the system the open alerts of some (rule, subject) pairs that carry no CAP message (not
   * public), in one statement with `also`'s writes over the resolved rows (`changed`, in brief).
   * Returns those and the public ones left open (each needs its own CAP Cancel).
   */
  resolveManyForRules(
    on: Executor,
    pairs: { ruleId: string; subject: string }[],
    note: string,
    also: Also,
  ): Promise<BriefAlert[]> {
    if (!pairs.length) return Promise.resolve([]);
    const json = JSON.stringify(pairs.map((p) => ({ r: p.ruleId, s: p.subject })));
    return this.db.rows<BriefAlert>(
      sql`WITH open AS (
          SELECT a.id, a.public FROM alert_alerts a
          JOIN jsonb_to_recordset(${json}::jsonb) AS p(r text, s text) ON a.rule_id = p.r AND a.subject = p.s
          WHERE a.status <> 'resolved'
        ), changed AS (
          UPDATE alert_alerts SET status = 'resolved', resolved_at = now(), resolved_by = NULL,
            resolution_note = ${note}
          WHERE id IN (SELECT id FROM open WHERE NOT public) AND status IN ('raised', 'acknowledged') AND NOT public
          RETURNING ${brief}
        ), ${withAlso(also(sql`changed`))}
        SELECT * FROM changed
        UNION ALL SELECT ${brief} FROM alert_alerts WHERE id IN (SELECT id FROM open WHERE public)`,
      on,
    );
  }

  async openForRule(ruleId: string, subject: string, on?: Executor): Promise<StoredAlert | null> {
    return this.one(sql`a.rule_id = ${ruleId} AND a.subject = ${subject} AND a.status <> 'resolved'`, on);
  }

  get(id: string, on?: Executor): Promise<StoredAlert | null> {
    return this.one(sql`a.id = ${id}`, on);
  }

  private async one(where: SQL, on?: Executor): Promise<StoredAlert | null> {
    const [row] = await this.db.rows<Row>(sql`SELECT ${columns} FROM ${from} WHERE ${where}`, on);
    return row ? toAlert(row) : null;
  }

  async list(q: {
    status?: AlertStatus;
    officeId?: string;
    limit: number;
    offset: number;
  }): Promise<StoredAlert[]> {
    const where = [sql`true`];
    if (q.status) where.push(sql`a.status = ${q.status}`);
    if (q.officeId) where.push(sql`a.office_id = ${q.officeId}`);
    if (!q.status && !q.officeId) {
      // Every alert, newest first: no index orders the whole table by raised_at (one would cost every
      // alert write an entry), so the page is taken from each status's newest through the status index
      // (status, raised_at), at most limit + offset of each, and merged.
      const n = q.limit + q.offset;
      const newest = (status: AlertStatus) =>
        sql`(SELECT id, raised_at FROM alert_alerts WHERE status = ${status} ORDER BY raised_at DESC, id LIMIT ${n})`;
      const rows = await this.db.rows<Row>(
        sql`WITH page AS (
            SELECT id FROM (${sql.join(alertStatuses.map(newest), sql` UNION ALL `)}) x
            ORDER BY raised_at DESC, id LIMIT ${q.limit} OFFSET ${q.offset})
          SELECT ${columns} FROM ${from} WHERE a.id IN (SELECT id FROM page)
          ORDER BY a.raised_at DESC, a.id`,
      );
      return rows.map(toAlert);
    }
    const rows = await this.db.rows<Row>(
      sql`SELECT ${columns} FROM ${from} WHERE ${sql.join(where, sql` AND `)}
        ORDER BY a.raised_at DESC, a.id LIMIT ${q.limit} OFFSET ${q.offset}`,
    );
    return rows.map(toAlert);
  }

  /** Public warnings for the feed: open ones and those cancelled within `keepDays`. */
  async publicFeed(limit: number, keepDays: number): Promise<StoredAlert[]> {
    const rows = await this.db.rows<Row>(
      sql`SELECT ${columns} FROM ${from}
        WHERE a.public AND (a.status <> 'resolved' OR a.resolved_at > now() - make_interval(days => ${keepDays}))
        ORDER BY a.cap_sent DESC, a.id LIMIT ${limit}`,
    );
    return rows.map(toAlert);
  }

  /**
   * Moves an alert from one of `from` to `to`, stamping who and when; a public alert's next CAP
   * message (with `ref` naming the one it replaces) is recorded in the same statement. Returns false
   * when the alert is not in one of the `from` states (someone else moved it first).
   */
  async transition(
    on: Executor,
    id: string,
    change: { from: AlertStatus[]; to: AlertStatus; by: string | null; note?: string; capRef?: string },
  ): Promise<boolean> {
    const stamp =
      change.to === 'acknowledged'
        ? sql`acknowledged_at = now(), acknowledged_by = ${change.by}`
        : sql`resolved_at = now(), resolved_by = ${change.by}, resolution_note = ${change.note ?? ''}`;
    const cap = change.capRef
      ? sql`, cap_version = cap_version + 1, cap_sent = now(), cap_refs = cap_refs || ${JSON.stringify([change.capRef])}::jsonb`
      : sql``;
    const rows = await this.db.rows<{ id: string }>(
      sql`UPDATE alert_alerts SET status = ${change.to}, ${stamp} ${cap}
        WHERE id = ${id} AND status IN (${sql.join(
          change.from.map((s) => sql`${s}`),
          sql`, `,
        )}) RETURNING id`,
      on,
    );
    return rows.length === 1;
  }

  /** Changes an open public warning and records its next CAP message (an Update). */
  async updateWarning(on: Executor, id: string, u: UpdateWarning, capRef: string): Promise<boolean> {
    const sets = [
      sql`cap_version = cap_version + 1`,
      sql`cap_sent = now()`,
      sql`cap_refs = cap_refs || ${JSON.stringify([capRef])}::jsonb`,
    ];
    if (u.urgency) sets.push(sql`urgency = ${u.urgency}`);
    if (u.severity) sets.push(sql`severity = ${u.severity}`);
    if (u.certainty) sets.push(sql`certainty = ${u.certainty}`);
    if (u.headline) sets.push(sql`headline_th = ${u.headline.th}, headline_en = ${u.headline.en}`);
    if (u.description)
      sets.push(sql`description_th = ${u.description.th}, description_en = ${u.description.en}`);
    if (u.instruction)
      sets.push(sql`instruction_th = ${u.instruction.th}, instruction_en = ${u.instruction.en}`);
    if (u.expiresAt) sets.push(sql`expires_at = ${u.expiresAt}`);
    const rows = await this.db.rows<{ id: string }>(
      sql`UPDATE alert_alerts SET ${sql.join(sets, sql`, `)}
        WHERE id = ${id} AND public AND status <> 'resolved' RETURNING id`,
      on,
    );
    return rows.length === 1;
  }
}
