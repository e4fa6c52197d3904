import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Priority, Status } from './domain.ts';
import type { Category, PublicRequest, RequestEvent } from './schemas.ts';

const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const categoryColumns = sql`c.code, c.name_th AS "nameTh", c.name_en AS "nameEn", c.icon, o.code AS office,
  c.sla_hours AS "slaHours", c.synthetic`;

/** A request row with everything, personal data included; the service decides what each caller sees. */
export interface RequestRow extends PublicRequest {
  id: string;
  token: string;
  officeId: string;
  officeNameTh: string;
  officeNameEn: string;
  categoryNameTh: string;
  categoryNameEn: string;
  reporterId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  source: 'web' | 'open311';
  holdStartedAt: string | null;
  ratingComment: string | null;
  reopenedCount: number;
  /** The moderated description (moderation.ts); null until approved, or hidden. */
  publicText?: string | null;
}

export const requestColumns = sql`r.id, r.reference, r.token, r.category_code AS category, o.code AS office, r.office_id AS "officeId",
  o.name_th AS "officeNameTh", o.name_en AS "officeNameEn", c.name_th AS "categoryNameTh", c.name_en AS "categoryNameEn",
  r.description, ST_Y(r.location) AS lat, ST_X(r.location) AS lon, r.address, z.code AS zone, cm.code AS community,
  r.status, r.priority, (SELECT count(*)::int FROM complaints_supporters s WHERE s.request_id = r.id) AS supporters,
  ${iso(sql`r.created_at`)} AS "createdAt", ${iso(sql`r.updated_at`)} AS "updatedAt",
  CASE WHEN r.closed_at IS NULL THEN NULL ELSE ${iso(sql`r.closed_at`)} END AS "closedAt",
  r.reporter_id AS "reporterId", r.contact_name AS "contactName", r.contact_email AS "contactEmail",
  r.contact_phone AS "contactPhone", r.source,
  CASE WHEN r.due_at IS NULL THEN NULL ELSE ${iso(sql`r.due_at`)} END AS "dueAt",
  CASE WHEN r.escalated_at IS NULL THEN NULL ELSE ${iso(sql`r.escalated_at`)} END AS "escalatedAt",
  CASE WHEN r.resolved_at IS NULL THEN NULL ELSE ${iso(sql`r.resolved_at`)} END AS "resolvedAt",
  CASE WHEN r.hold_started_at IS NULL THEN NULL ELSE ${iso(sql`r.hold_started_at`)} END AS "holdStartedAt",
  r.rating, r.rating_comment AS "ratingComment", r.reopened_count AS "reopenedCount",
  (SELECT m.reference FROM complaints_requests m WHERE m.id = r.merged_into) AS "mergedInto",
  r.forwarded_to AS "forwardedTo",
  CASE WHEN r.moderation = 'approved' THEN r.public_description END AS "publicText"`;

/** The joins `requestColumns` needs after `FROM <a request row> r`. */
export const requestJoins = sql`JOIN core_offices o ON o.id = r.office_id
  JOIN complaints_categories c ON c.code = r.category_code
  JOIN core_zones z ON z.id = r.zone_id
  LEFT JOIN core_communities cm ON cm.id = r.community_id`;

const requestFrom = sql`FROM complaints_requests r ${requestJoins}`;

export interface RequestFilter {
  officeId?: string | null;
  reporterId?: string;
  status?: Status;
  statuses?: readonly Status[];
  categories?: string[];
  references?: string[];
  priority?: Priority;
  overdue?: boolean;
  escalated?: boolean;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** The only place with SQL for this module; its tables are prefixed `complaints_`. */
export class ComplaintsRepository {
  constructor(private readonly db: Db) {}

  categories(on?: Executor): Promise<Category[]> {
    return this.db.rows<Category>(
      sql`SELECT ${categoryColumns} FROM complaints_categories c JOIN core_offices o ON o.id = c.office_id
        WHERE c.active ORDER BY c.code`,
      on,
    );
  }

  async category(
    code: string,
    on?: Executor,
  ): Promise<
    (Category & { officeId: string; descriptionTh: string | null; descriptionEn: string | null }) | undefined
  > {
    const [row] = await this.db.rows<
      Category & { officeId: string; descriptionTh: string | null; descriptionEn: string | null }
    >(
      sql`SELECT ${categoryColumns}, c.office_id AS "officeId", c.description_th AS "descriptionTh",
          c.description_en AS "descriptionEn"
        FROM complaints_categories c JOIN core_offices o ON o.id = c.office_id WHERE c.code = ${code} AND c.active`,
      on,
    );
    return row;
  }

  async upsertCategory(
    on: Executor,
    c: Omit<Category, 'office'> & { officeId: string; descriptionTh?: string; descriptionEn?: string },
  ): Promise<void> {
    await this.db.rows(
      sql`INSERT INTO complaints_categories (code, name_th, name_en, description_th, description_en, icon, office_id, sla_hours, synthetic)
        VALUES (${c.code}, ${c.nameTh}, ${c.nameEn}, ${c.descriptionTh ?? null}, ${c.descriptionEn ?? null}, ${c.icon},
          ${c.officeId}, ${c.slaHours}, ${c.synthetic})
        ON CONFLICT (code) DO NOTHING`,
      on,
    );
  }

  async byReference(reference: string, on?: Executor, lock = false): Promise<RequestRow | undefined> {
    const [row] = await this.db.rows<RequestRow>(
      sql`SELECT ${requestColumns} ${requestFrom} WHERE r.reference = ${reference} ${lock ? sql`FOR UPDATE OF r` : sql``}`,
      on,
    );
    return row;
  }

  async byToken(token: string): Promise<{ reference: string } | undefined> {
    const [row] = await this.db.rows<{ reference: string }>(
      sql`SELECT reference FROM complaints_requests WHERE token = ${token}::uuid`,
    );
    return row;
  }

  /** One page, newest first, without the total (Open311 has no use for it, and counting costs a scan). */
  page(f: RequestFilter): Promise<RequestRow[]> {
    return this.db.rows<RequestRow>(
      sql`SELECT ${requestColumns} ${requestFrom} WHERE ${requestWhere(f)}
        ORDER BY r.created_at DESC, r.reference DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    );
  }

  async list(f: RequestFilter): Promise<{ items: RequestRow[]; total: number }> {
    const items = await this.page(f);
    const [count] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM complaints_requests r WHERE ${requestWhere(f)}`,
    );
    return { items, total: count.n };
  }

  /** Open requests of a category within `metres` of a point, filed since `since`, nearest first. */
  nearby(
    category: string,
    lon: number,
    lat: number,
    metres: number,
    since: string,
  ): Promise<(RequestRow & { distance: number })[]> {
    // A degree is at least 107 km here, so the box prefilter (which can use the index) never cuts off 250 m.
    const degrees = (metres / 100_000) * 1.2;
    return this.db.rows<RequestRow & { distance: number }>(
      sql`WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g)
        SELECT ${requestColumns}, round(ST_Distance(r.location::geography, p.g::geography))::int AS distance
        ${requestFrom}, p
        WHERE r.category_code = ${category}
          AND r.status IN ('received', 'accepted', 'in_progress', 'forwarded', 'on_hold')
          AND r.created_at >= ${since}::timestamptz
          AND ST_DWithin(r.location, p.g, ${degrees})
          AND ST_DWithin(r.location::geography, p.g::geography, ${metres})
        ORDER BY distance, r.created_at DESC LIMIT 20`,
    );
  }

  events(requestId: string, includeInternal: boolean, on?: Executor): Promise<RequestEvent[]> {
    return this.db.rows<RequestEvent>(
      sql`SELECT kind, from_status AS "fromStatus", to_status AS "toStatus", note, public, actor_label AS actor,
          ${iso(sql`at`)} AS at
        FROM complaints_events WHERE request_id = ${requestId} AND (public OR ${includeInternal})
        ORDER BY id`,
      on,
    );
  }

  async addEvent(
    on: Executor,
    e: {
      requestId: string;
      kind:
        | 'created'
        | 'status'
        | 'note'
        | 'reassigned'
        | 'priority'
        | 'escalated'
        | 'rated'
        | 'reopened'
        | 'merged'
        | 'forwarded';
      fromStatus?: Status | null;
      toStatus?: Status | null;
      note?: string | null;
      public: boolean;
      detail?: Record<string, unknown>;
      actorId: string | null;
      actorLabel: string | null;
    },
  ): Promise<string> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO complaints_events (request_id, kind, from_status, to_status, note, public, detail, actor_id, actor_label)
        VALUES (${e.requestId}, ${e.kind}, ${e.fromStatus ?? null}, ${e.toStatus ?? null}, ${e.note ?? null}, ${e.public},
          ${JSON.stringify(e.detail ?? {})}::jsonb, ${e.actorId}, ${e.actorLabel})
        RETURNING id::text`,
      on,
    );
    return row.id;
  }

  async setStatus(on: Executor, id: string, status: Status): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET status = ${status}, updated_at = now(),
          closed_at = CASE WHEN ${status} = 'closed' THEN now() ELSE closed_at END
        WHERE id = ${id}`,
      on,
    );
  }

  async setOffice(on: Executor, id: string, officeId: string): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET office_id = ${officeId}, updated_at = now() WHERE id = ${id}`,
      on,
    );
  }

  async setPriority(on: Executor, id: string, priority: Priority): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET priority = ${priority}, updated_at = now() WHERE id = ${id}`,
      on,
    );
  }

  async touch(on: Executor, id: string): Promise<void> {
    await this.db.rows(sql`UPDATE complaints_requests SET updated_at = now() WHERE id = ${id}`, on);
  }

  /** True when this person had not supported the request yet. */
  async support(on: Executor, requestId: string, userId: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`INSERT INTO complaints_supporters (request_id, user_id) VALUES (${requestId}, ${userId})
        ON CONFLICT DO NOTHING RETURNING 1`,
      on,
    );
    return rows.length > 0;
  }

  async integratorByKeyHash(keyHash: string): Promise<{ id: string; name: string } | undefined> {
    // Every Open311 POST asks: kept prepared (db.prepared).
    const [row] = await this.db.prepared<{ id: string; name: string }>(
      sql`SELECT id, name FROM complaints_integrators WHERE key_hash = ${keyHash} AND active`,
    );
    return row;
  }

  async insertIntegrator(
    on: Executor,
    i: { name: string; keyHash: string; synthetic: boolean },
  ): Promise<{ id: string; name: string }> {
    const [row] = await this.db.rows<{ id: string; name: string }>(
      sql`INSERT INTO complaints_integrators (name, key_hash, synthetic) VALUES (${i.name}, ${i.keyHash}, ${i.synthetic})
        ON CONFLICT (key_hash) DO UPDATE SET name = complaints_integrators.name RETURNING id, name`,
      on,
    );
    return row;
  }

  async count(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_requests`);
    return row.n;
  }
}

/** The WHERE of a request filter, over `complaints_requests r`. */
export function requestWhere(f: Omit<RequestFilter, 'limit' | 'offset'>): SQL {
  const parts: SQL[] = [sql`TRUE`];
  if (f.officeId) parts.push(sql`r.office_id = ${f.officeId}`);
  if (f.reporterId) parts.push(sql`r.reporter_id = ${f.reporterId}`);
  if (f.status) parts.push(sql`r.status = ${f.status}`);
  if (f.statuses) parts.push(sql`r.status = ANY(${`{${f.statuses.join(',')}}`}::text[])`);
  // One category as `=`: a prepared statement's generic plan then walks (category, created_at) in
  // order; with `= ANY(…)` it guessed the created_at index and filtered a whole day's rows.
  if (f.categories?.length === 1) parts.push(sql`r.category_code = ${f.categories[0]}`);
  else if (f.categories)
    parts.push(sql`r.category_code = ANY(${`{${f.categories.map(quote).join(',')}}`}::text[])`);
  if (f.references) parts.push(sql`r.reference = ANY(${`{${f.references.map(quote).join(',')}}`}::text[])`);
  if (f.priority) parts.push(sql`r.priority = ${f.priority}`);
  if (f.overdue !== undefined)
    parts.push(
      f.overdue
        ? sql`(r.status IN ('received', 'accepted', 'in_progress', 'forwarded') AND r.due_at < now())`
        : sql`NOT (r.status IN ('received', 'accepted', 'in_progress', 'forwarded') AND r.due_at < now())`,
    );
  if (f.escalated !== undefined)
    parts.push(f.escalated ? sql`r.escalated_at IS NOT NULL` : sql`r.escalated_at IS NULL`);
  if (f.from) parts.push(sql`r.created_at >= ${f.from}::timestamptz`);
  if (f.to) parts.push(sql`r.created_at <= ${f.to}::timestamptz`);
  return sql.join(parts, sql` AND `);
}

/** An element of a PostgreSQL array literal, quoted so commas, quotes and braces stay data. */
function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
