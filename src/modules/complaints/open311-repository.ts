import { sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import type { Status } from './domain.ts';
import { type RequestFilter, requestWhere } from './repository.ts';

/**
 * What Open311's public GETs show of a request, and nothing more: no personal data, no staff
 * fields. A list page is up to 1,000 of these, so the row is kept narrow: no supporters count, no
 * merged-into lookup, no zone or community join, and the two dates as epoch milliseconds that
 * open311.ts formats (the full `requestColumns` formats seven dates in SQL per row).
 */
export interface Open311Row {
  reference: string;
  category: string;
  categoryNameTh: string;
  categoryNameEn: string;
  officeNameTh: string;
  officeNameEn: string;
  status: Status;
  lat: number;
  lon: number;
  address: string | null;
  /** The moderated description; null until approved, or hidden. */
  publicText: string | null;
  createdMs: number;
  updatedMs: number;
}

const columns = sql`r.reference, r.category_code AS category, c.name_th AS "categoryNameTh",
  c.name_en AS "categoryNameEn", o.name_th AS "officeNameTh", o.name_en AS "officeNameEn", r.status,
  ST_Y(r.location) AS lat, ST_X(r.location) AS lon, r.address,
  CASE WHEN r.moderation = 'approved' THEN r.public_description END AS "publicText",
  (extract(epoch FROM r.created_at) * 1000)::float8 AS "createdMs",
  (extract(epoch FROM r.updated_at) * 1000)::float8 AS "updatedMs"`;

const from = sql`FROM complaints_requests r
  JOIN core_offices o ON o.id = r.office_id
  JOIN complaints_categories c ON c.code = r.category_code`;

/** The SQL of Open311's public reads (open311.ts), prepared (db.prepared): they are the hot read path. */
export class Open311Repository {
  constructor(private readonly db: Db) {}

  /** One page, newest first, without a total (Open311 has none). */
  page(f: RequestFilter): Promise<Open311Row[]> {
    return this.db.prepared<Open311Row>(
      sql`SELECT ${columns} ${from} WHERE ${requestWhere(f)}
        ORDER BY r.created_at DESC, r.reference DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    );
  }

  async byReference(reference: string): Promise<Open311Row | undefined> {
    const [row] = await this.db.prepared<Open311Row>(
      sql`SELECT ${columns} ${from} WHERE r.reference = ${reference}`,
    );
    return row;
  }
}
