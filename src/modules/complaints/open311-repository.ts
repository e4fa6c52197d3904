import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import { openStatuses, type Status } from './domain.ts';
import { maskPersonal } from './moderation.ts';
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

/** W3C date-time in Thai time to the second, as `w3c` in open311.ts (UTC+7, no daylight saving). */
const w3cText = (column: SQL) =>
  sql`to_char((${column} AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')`;
const open = sql.raw(`ARRAY[${openStatuses.map((s) => `'${s}'`).join(',')}]`);

/**
 * Whether masking could change an address: only with an `@` (email), `://` or `www.` (URL), or nine
 * digits (Arabic or Thai) each at most four of ` .()-` from the last (every phone number and national
 * ID maskPersonal matches has such a run). Anything else is the same masked or not, so PostgreSQL
 * puts it in the JSON as it is; the rest are masked in Node. Wider than the masks, never narrower
 * (open311-json.test.ts).
 */
export const maskable = (column: SQL) =>
  sql`(strpos(${column}, '@') > 0 OR strpos(${column}, '://') > 0 OR strpos(lower(${column}), 'www.') > 0
    OR ${column} ~ '[0-9๐-๙]([ .()-]{0,4}[0-9๐-๙]){8}')`;

/**
 * Each request as compact JSON text (`j`), the fields and order of `requestFields` (open311.ts), with
 * `"address":null` where the address has to be masked in Node; that raw address is `a`, never in `j`.
 * to_json escapes free text as JSON.stringify does; the reference, status and category code are held
 * to plain characters by their CHECKs and need none; the point's floats print by float8out, as the
 * rows node-postgres parsed did.
 * concat builds the text in one allocation.
 */
const jsonColumns = (locale: 'th' | 'en') => {
  const name = (t: string) => sql.raw(`${t}.name_${locale}`);
  return sql`concat('{"service_request_id":"', r.reference,
      '","status":"', CASE WHEN r.status = ANY(${open}) THEN 'open' ELSE 'closed' END,
      '","status_notes":"', r.status,
      '","service_name":', to_json(${name('c')}),
      ',"service_code":"', r.category_code,
      '","description":', to_json(coalesce(CASE WHEN r.moderation = 'approved' THEN r.public_description END, '')),
      ',"agency_responsible":', to_json(${name('o')}),
      ',"service_notice":""',
      ',"requested_datetime":"', ${w3cText(sql`r.created_at`)},
      '","updated_datetime":"', ${w3cText(sql`r.updated_at`)},
      '","address":', CASE WHEN r.address IS NULL THEN '""' WHEN ${maskable(sql`r.address`)} THEN 'null'
        ELSE to_json(r.address)::text END,
      ',"lat":', ST_Y(r.location), ',"long":', ST_X(r.location),
      ',"media_url":""}') AS j,
    CASE WHEN r.address IS NOT NULL AND ${maskable(sql`r.address`)} THEN r.address END AS a,
    r.created_at, r.reference`;
};

/**
 * The whole JSON array as one text (a list page is one string from PostgreSQL to the socket), and the
 * raw addresses to mask, in page order, or null when there are none.
 */
const jsonPage = (
  rows: SQL,
) => sql`SELECT '[' || coalesce(string_agg(p.j, ',' ORDER BY p.created_at DESC, p.reference DESC), '') || ']' AS page,
    (json_agg(p.a ORDER BY p.created_at DESC, p.reference DESC) FILTER (WHERE p.a IS NOT NULL))::text AS masks
  FROM (${rows}) p`;

/** A page's JSON as sent: PostgreSQL's text, or, when an address must be masked, that done here. */
function jsonArray(row: { page: string; masks: string | null } | undefined): string {
  if (!row) return '[]';
  if (row.masks === null) return row.page;
  const masks = JSON.parse(row.masks) as string[];
  const items = JSON.parse(row.page) as { address: string | null }[];
  let k = 0;
  for (const item of items) if (item.address === null) item.address = maskPersonal(masks[k++]);
  return JSON.stringify(items);
}

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

  /** `page` as the JSON array Open311 sends, in the caller's locale (XML still renders `page`). */
  async pageJson(f: RequestFilter, locale: 'th' | 'en'): Promise<string> {
    const [row] = await this.db.prepared<{ page: string; masks: string | null }>(
      jsonPage(sql`SELECT ${jsonColumns(locale)} ${from} WHERE ${requestWhere(f)}
        ORDER BY r.created_at DESC, r.reference DESC LIMIT ${f.limit} OFFSET ${f.offset}`),
    );
    return jsonArray(row);
  }
}
