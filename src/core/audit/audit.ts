import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/index.ts';

/** Who is acting and from where; built from the request by the HTTP layer. */
export interface Actor {
  id: string | null;
  label: string | null;
  role: string | null;
  officeId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const systemActor: Actor = {
  id: null,
  label: 'system',
  role: null,
  officeId: null,
  ip: null,
  userAgent: null,
  requestId: null,
};

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  detail?: Record<string, unknown>;
}

/** Writes one audit row; call it with the transaction of the change so both land or neither. */
export async function audit(on: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await on.execute(auditInsert(actor, entry));
}

/**
 * The INSERT of one audit row, for a caller that joins it to its own write statement (a data-modifying
 * `WITH`), which saves a round trip on hot write paths; the row lands in the same transaction either way.
 * `when`: a condition (e.g. that the statement's write touched a row) without which no row is written.
 */
export function auditInsert(actor: Actor, entry: AuditEntry, when?: SQL): SQL {
  return sql`
    INSERT INTO core_audit_log
      (actor_id, actor_label, actor_role, action, resource_type, resource_id, office_id, ip, user_agent, request_id, detail)
    SELECT ${actor.id}::uuid, ${actor.label}::text, ${actor.role}::text, ${entry.action}::text,
      ${entry.resourceType}::text, ${entry.resourceId ?? null}::text, ${actor.officeId}::uuid, ${actor.ip}::text,
      ${actor.userAgent?.slice(0, 500) ?? null}::text, ${actor.requestId}::text, ${JSON.stringify(entry.detail ?? {})}::jsonb
    ${when ? sql`WHERE ${when}` : sql``}`;
}

/**
 * Writes many audit rows by one actor in one statement (the rules engine's alerts, a batch at a time);
 * the same columns as `audit`.
 */
export async function auditMany(on: Executor, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((e) => ({
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId ?? null,
    detail: e.detail ?? {},
  }));
  await on.execute(sql`
    INSERT INTO core_audit_log
      (actor_id, actor_label, actor_role, action, resource_type, resource_id, office_id, ip, user_agent, request_id, detail)
    SELECT ${actor.id}::uuid, ${actor.label}, ${actor.role}, x.action, x."resourceType", x."resourceId",
      ${actor.officeId}::uuid, ${actor.ip}, ${actor.userAgent?.slice(0, 500) ?? null}, ${actor.requestId}, x.detail
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS x(action text, "resourceType" text, "resourceId" text, detail jsonb)`);
}

/**
 * One audit row per row of `source` (a CTE of the same statement), as the body of another CTE: a batch
 * of writes and their audit in one statement, the written rows never travelling to Node and back.
 * `resourceId` and `detail` are SQL over the source's columns.
 */
export function auditFrom(
  actor: Actor,
  source: SQL,
  row: { action: string; resourceType: string; resourceId: SQL; detail: SQL },
): SQL {
  return sql`INSERT INTO core_audit_log
      (actor_id, actor_label, actor_role, action, resource_type, resource_id, office_id, ip, user_agent, request_id, detail)
    SELECT ${actor.id}::uuid, ${actor.label}::text, ${actor.role}::text, ${row.action}::text, ${row.resourceType}::text,
      ${row.resourceId}, ${actor.officeId}::uuid, ${actor.ip}::text, ${actor.userAgent?.slice(0, 500) ?? null}::text,
      ${actor.requestId}::text, ${row.detail}
    FROM ${source}`;
}

export interface AuditRow {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  officeId: string | null;
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
}

export interface AuditQuery {
  limit: number;
  offset: number;
  actor?: string;
  action?: string;
  resourceType?: string;
  from?: string;
  to?: string;
}

function where(q: AuditQuery) {
  return sql`WHERE (${q.actor ?? null}::uuid IS NULL OR actor_id = ${q.actor ?? null}::uuid)
    AND (${q.action ?? null}::text IS NULL OR action = ${q.action ?? null})
    AND (${q.resourceType ?? null}::text IS NULL OR resource_type = ${q.resourceType ?? null})
    AND (${q.from ?? null}::timestamptz IS NULL OR at >= ${q.from ?? null}::timestamptz)
    AND (${q.to ?? null}::timestamptz IS NULL OR at < ${q.to ?? null}::timestamptz)`;
}

const columns = sql`id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  actor_id AS "actorId", actor_label AS "actorLabel", actor_role AS "actorRole", action,
  resource_type AS "resourceType", resource_id AS "resourceId", office_id AS "officeId", ip,
  request_id AS "requestId", detail`;

export async function listAudit(db: Db, q: AuditQuery): Promise<{ items: AuditRow[]; total: number }> {
  const [items, count] = await Promise.all([
    db.rows<AuditRow>(
      sql`SELECT ${columns} FROM core_audit_log ${where(q)} ORDER BY id DESC LIMIT ${q.limit} OFFSET ${q.offset}`,
    ),
    db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM core_audit_log ${where(q)}`),
  ]);
  return { items, total: count[0].n };
}

/** Pages through the whole selection, oldest first, for export. */
export async function* iterateAudit(
  db: Db,
  q: Omit<AuditQuery, 'limit' | 'offset'>,
): AsyncGenerator<AuditRow> {
  let after = 0n;
  for (;;) {
    const page = await db.rows<AuditRow>(
      sql`SELECT ${columns} FROM core_audit_log ${where({ ...q, limit: 0, offset: 0 })}
        AND id > ${after.toString()}::bigint ORDER BY id LIMIT 1000`,
    );
    if (page.length === 0) return;
    yield* page;
    after = BigInt(page[page.length - 1].id);
  }
}

/** Entries per day (Bangkok time) over the last `days` days, oldest first, days without entries as 0. */
export function auditActivity(db: Db, days: number): Promise<{ day: string; count: number }[]> {
  return db.rows<{ day: string; count: number }>(sql`
    WITH d AS (
      SELECT generate_series((now() AT TIME ZONE 'Asia/Bangkok')::date - (${days}::int - 1), (now() AT TIME ZONE 'Asia/Bangkok')::date, interval '1 day')::date AS day)
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, count(a.id)::int AS count
    FROM d LEFT JOIN core_audit_log a ON (a.at AT TIME ZONE 'Asia/Bangkok')::date = d.day
    GROUP BY d.day ORDER BY d.day`);
}
