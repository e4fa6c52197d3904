import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import { type Area, locateQuery } from '../../core/org/repository.ts';
import { type RequestRow, requestColumns, requestJoins } from './repository.ts';
import type { Category } from './schemas.ts';

export interface NewRequestRow {
  reference: string;
  category: string;
  officeId: string;
  description: string;
  lat: number;
  lon: number;
  address: string | null;
  zoneId: string;
  communityId: string | null;
  reporterId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  source: 'web' | 'open311';
  integratorId: string | null;
  synthetic: boolean;
  createdAt: string;
  lang?: 'th' | 'en';
  /** When the SLA clock runs out (sla.ts, from the category's hours and the holidays). */
  dueAt: string;
}

export interface FilingStart {
  /** The filing time (the row's created_at), as PostgreSQL's text. */
  now: string;
  category: (Category & { officeId: string }) | null;
  place: { zone: Area; community: Area | null } | null;
  /** The next reference number; null unless asked for and both the category and the place exist. */
  n: number | null;
  holidays: Set<string>;
}

/**
 * The SQL of filing a request (ComplaintsService.create), in two statements: one before the
 * transaction for everything filing looks up, one inside it for everything filing writes.
 */
export class FilingRepository {
  constructor(private readonly db: Db) {}

  /**
   * The time, the category, the zone and community of the point, the holidays the SLA clock skips,
   * and the next reference number, in one round trip. The number is drawn only when `number` is asked
   * for and the category and the place exist, so a refused filing does not use one up (a rolled-back
   * one still does, as before: sequences are not transactional).
   */
  async start(category: string, lon: number, lat: number, number: boolean): Promise<FilingStart> {
    const [row] = await this.db.prepared<{
      now: string;
      category: FilingStart['category'];
      place: FilingStart['place'];
      n: string | null;
      holidays: string[];
    }>(
      sql`WITH cat AS (
          SELECT c.code, c.name_th AS "nameTh", c.name_en AS "nameEn", c.icon, o.code AS office,
            c.sla_hours AS "slaHours", c.synthetic, c.office_id AS "officeId"
          FROM complaints_categories c JOIN core_offices o ON o.id = c.office_id
          WHERE c.code = ${category} AND c.active),
        place AS (${locateQuery(lon, lat)})
        SELECT now()::text AS now,
          (SELECT row_to_json(cat) FROM cat) AS category,
          (SELECT row_to_json(place) FROM place) AS place,
          CASE WHEN ${number}::boolean AND EXISTS (SELECT 1 FROM cat) AND EXISTS (SELECT 1 FROM place)
            THEN nextval('complaints_reference_seq')::text END AS n,
          ARRAY(SELECT to_char(day, 'YYYY-MM-DD') FROM complaints_holidays) AS holidays`,
    );
    return {
      now: row.now,
      category: row.category,
      place: row.place,
      n: row.n === null ? null : Number(row.n),
      holidays: new Set(row.holidays),
    };
  }

  /**
   * Inserts a request, its 'created' event and the audit row in one statement, and returns the request
   * as `byReference` would (joined from the inserted row: no supporters, not merged) with the event's id.
   */
  async insert(
    on: Executor,
    r: NewRequestRow,
    created: { actorId: string | null; at: string | null; audit: SQL },
  ): Promise<RequestRow & { eventId: string }> {
    const [row] = await this.db.prepared<RequestRow & { eventId: string }>(
      sql`WITH r AS (
          INSERT INTO complaints_requests (reference, category_code, office_id, description, location, zone_id, community_id,
            address, reporter_id, contact_name, contact_email, contact_phone, source, integrator_id, synthetic, created_at,
            updated_at, reporter_lang, due_at)
          VALUES (${r.reference}, ${r.category}, ${r.officeId}, ${r.description},
            ST_SetSRID(ST_MakePoint(${r.lon}, ${r.lat}), 4326), ${r.zoneId}, ${r.communityId}, ${r.address},
            ${r.reporterId}, ${r.contactName}, ${r.contactEmail}, ${r.contactPhone}, ${r.source}, ${r.integratorId},
            ${r.synthetic}, ${r.createdAt}::timestamptz, ${r.createdAt}::timestamptz, ${r.lang ?? 'th'},
            ${r.dueAt}::timestamptz)
          RETURNING *),
        e AS (
          INSERT INTO complaints_events (request_id, kind, to_status, public, actor_id, at)
          SELECT id, 'created', 'received', true, ${created.actorId}::uuid,
            COALESCE(${created.at}::timestamptz, now()) FROM r
          RETURNING id),
        a AS (${created.audit})
        SELECT ${requestColumns}, e.id::text AS "eventId" FROM r ${requestJoins}, e`,
      on,
    );
    return row;
  }
}
