import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { AppError } from '../../core/errors.ts';
import { ComplaintsModeration, type Moderation, type ModerationDecision } from './moderation.ts';
import { StatusSchema } from './schemas.ts';
import { complaintStats } from './stats.ts';

const tags = ['complaints'];
const iso = (column: SQL) =>
  sql`CASE WHEN ${column} IS NULL THEN NULL ELSE to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;

/** At most this many points go to the public map; the list pages through the rest. */
export const mapLimit = 2000;

const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'Thai month, YYYY-MM' });
const Day = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });
const Filters = {
  category: Type.Optional(Code),
  status: Type.Optional(StatusSchema),
  zone: Type.Optional(Code),
  month: Type.Optional(Month),
};
type FilterInput = { category?: string; status?: string; zone?: string; month?: string };

/** Only these fields are public: no reporter, contact, address, internal note or photo. */
export const PublicItemSchema = Type.Object(
  {
    reference: Type.String(),
    category: Type.String(),
    status: StatusSchema,
    zone: Type.String(),
    lat: Type.Number(),
    lon: Type.Number(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    resolvedAt: Type.Union([Type.String(), Type.Null()]),
    closedAt: Type.Union([Type.String(), Type.Null()]),
    /** The moderated description; null until staff approved it, or when hidden. */
    text: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
const MapPoint = Type.Object(
  {
    reference: Type.String(),
    category: Type.String(),
    status: StatusSchema,
    lat: Type.Number(),
    lon: Type.Number(),
  },
  { additionalProperties: false },
);
const CountList = Type.Array(Type.Object({ key: Type.String(), count: Type.Integer() }));
const StatsSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  total: Type.Integer(),
  resolved: Type.Integer(),
  byCategory: CountList,
  byOffice: CountList,
  byZone: CountList,
  byMonth: Type.Array(Type.Object({ month: Type.String(), count: Type.Integer(), resolved: Type.Integer() })),
  medianHoursToResolve: Type.Union([Type.Number(), Type.Null()]),
  withinSla: Type.Object({
    share: Type.Union([Type.Number(), Type.Null()]),
    onTime: Type.Integer(),
    measured: Type.Integer(),
  }),
  satisfaction: Type.Object({ average: Type.Union([Type.Number(), Type.Null()]), ratings: Type.Integer() }),
});

function where(f: FilterInput): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.category) parts.push(sql`r.category_code = ${f.category}`);
  if (f.status) parts.push(sql`r.status = ${f.status}`);
  if (f.zone) parts.push(sql`z.code = ${f.zone}`);
  if (f.month) {
    const start = new Date(`${f.month}-01T00:00:00+07:00`);
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + 1);
    parts.push(
      sql`r.created_at >= ${start.toISOString()}::timestamptz AND r.created_at < ${end.toISOString()}::timestamptz`,
    );
  }
  return sql.join(parts, sql` AND `);
}

const thaiToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** The public map, list and statistics, and the staff moderation queue behind the public text. */
export async function publicRoutes(app: FastifyInstance) {
  const moderation = new ComplaintsModeration(app.db);

  app.get(
    '/public/requests',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The public list of complaints, newest first: no personal data, moderated text only',
        querystring: Type.Object(
          {
            ...Filters,
            page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(PublicItemSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query as FilterInput & { page: number; pageSize: number };
      const rows = await app.db.rows<Record<string, unknown> & { total: number }>(
        sql`SELECT r.reference, r.category_code AS category, r.status, z.code AS zone,
            ST_Y(r.location) AS lat, ST_X(r.location) AS lon,
            ${iso(sql`r.created_at`)} AS "createdAt", ${iso(sql`r.updated_at`)} AS "updatedAt",
            ${iso(sql`r.resolved_at`)} AS "resolvedAt", ${iso(sql`r.closed_at`)} AS "closedAt",
            CASE WHEN r.moderation = 'approved' THEN r.public_description END AS text,
            count(*) OVER ()::int AS total
          FROM complaints_requests r JOIN core_zones z ON z.id = r.zone_id
          WHERE ${where(q)} ORDER BY r.created_at DESC, r.reference DESC
          LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
      );
      return {
        items: rows.map(({ total: _t, ...r }) => r),
        total: rows[0]?.total ?? 0,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );

  app.get(
    '/public/map',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: `Points of the newest complaints for the public map (at most ${mapLimit})`,
        querystring: Type.Object(Filters, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(MapPoint), truncated: Type.Boolean() }) },
      },
    },
    async (request) => {
      const rows = await app.db.rows<Record<string, unknown>>(
        sql`SELECT r.reference, r.category_code AS category, r.status, ST_Y(r.location) AS lat, ST_X(r.location) AS lon
          FROM complaints_requests r JOIN core_zones z ON z.id = r.zone_id
          WHERE ${where(request.query as FilterInput)} ORDER BY r.created_at DESC LIMIT ${mapLimit + 1}`,
      );
      return { items: rows.slice(0, mapLimit), truncated: rows.length > mapLimit };
    },
  );

  app.get(
    '/stats',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Public statistics of complaints filed between two Thai dates (default: the last 365 days): counts, median calendar hours to resolve, share within SLA, satisfaction',
        querystring: Type.Object(
          { from: Type.Optional(Day), to: Type.Optional(Day) },
          { additionalProperties: false },
        ),
        response: { 200: StatsSchema },
      },
    },
    async (request) => {
      const q = request.query as { from?: string; to?: string };
      const to = q.to ?? thaiToday();
      const from =
        q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
      const span = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
      if (Number.isNaN(span) || span < 0) throw AppError.badRequest('complaints.bad_period');
      if (span > 10 * 366 * 86_400_000) throw AppError.badRequest('complaints.bad_period');
      return complaintStats(app.db, from, to);
    },
  );

  app.get(
    '/moderation',
    {
      config: { access: ['admin', 'office_manager', 'officer'] },
      schema: {
        tags,
        summary:
          'Complaints whose public text waits for moderation, oldest first, or (state) whose text was approved or hidden, latest decision first (office staff: their office); the read is audited',
        querystring: Type.Object(
          {
            state: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('hidden')], {
              default: 'pending',
            }),
            page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const p = request.principal!;
      const q = request.query as { state: Moderation; page: number; pageSize: number };
      const list = await moderation.queue(
        p.role === 'admin' ? null : (p.officeId ?? null),
        q.page,
        q.pageSize,
        q.state,
      );
      // The citizens' own words may hold personal data: one audit row names every request read.
      if (list.items.length)
        await audit(app.db.orm, request.actor(), {
          action: 'complaints.moderation.read',
          resourceType: 'complaints.request',
          detail: { state: q.state, references: list.items.map((i) => i.reference) },
        });
      return list;
    },
  );

  app.post(
    '/moderation/:reference',
    {
      config: { access: ['admin', 'office_manager', 'officer'] },
      schema: {
        tags,
        summary:
          'Approve (masked, or edited) or hide the public text of a complaint, or put it back in the queue (requeue: undo); audited',
        params: Type.Object({ reference: Type.String({ pattern: '^KK-[0-9]{4}-[0-9]{6,}$' }) }),
        body: Type.Object(
          {
            action: Type.Union([Type.Literal('approve'), Type.Literal('hide'), Type.Literal('requeue')]),
            text: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    (request) => {
      const p = request.principal!;
      return moderation.decide(
        (request.params as { reference: string }).reference,
        request.body as ModerationDecision,
        p.role === 'admin' ? null : (p.officeId ?? '00000000-0000-0000-0000-000000000000'),
        p.userId,
        request.actor(),
      );
    },
  );
}
