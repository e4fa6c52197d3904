import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Uuid } from '../auth/schemas.ts';
import { type AuditQuery, type AuditRow, audit, auditActivity, iterateAudit, listAudit } from './audit.ts';

const tags = ['audit'];
const readers = ['admin', 'executive'] as ('admin' | 'executive')[];

const Filter = {
  actor: Type.Optional(Uuid),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  resourceType: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};
const ListQuery = Type.Object(
  {
    ...Filter,
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
const ExportQuery = Type.Object(Filter, { additionalProperties: false });

const Row = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  resourceType: Type.String(),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  officeId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Any(),
});

const csvColumns: (keyof AuditRow)[] = [
  'id',
  'at',
  'actorId',
  'actorLabel',
  'actorRole',
  'action',
  'resourceType',
  'resourceId',
  'officeId',
  'ip',
  'requestId',
  'detail',
];

/** RFC 4180 quoting; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function auditRoutes(app: FastifyInstance) {
  app.get(
    '/api/audit',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Browse the audit log',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Row), total: Type.Integer() }) },
      },
    },
    async (request) => {
      const q = request.query as AuditQuery;
      const result = await listAudit(app.db, q);
      await audit(app.db.orm, request.actor(), {
        action: 'audit.read',
        resourceType: 'audit',
        detail: { ...q },
      });
      return result;
    },
  );

  const ActivityQuery = Type.Object(
    { days: Type.Integer({ minimum: 1, maximum: 366, default: 14 }) },
    { additionalProperties: false },
  );
  app.get(
    '/api/audit/activity',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Audit entries per day (Bangkok time), for the activity chart',
        querystring: ActivityQuery,
        response: {
          200: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), count: Type.Integer() })),
        },
      },
    },
    async (request) => auditActivity(app.db, (request.query as { days: number }).days),
  );

  app.get(
    '/api/audit/export.csv',
    {
      config: { access: readers },
      schema: { tags, summary: 'Export the audit log as CSV (UTF-8 with BOM)', querystring: ExportQuery },
    },
    async (request, reply) => {
      const q = request.query as Omit<AuditQuery, 'limit' | 'offset'>;
      await audit(app.db.orm, request.actor(), {
        action: 'audit.export',
        resourceType: 'audit',
        detail: { ...q },
      });
      async function* lines() {
        yield `\uFEFF${csvColumns.join(',')}\r\n`;
        for await (const row of iterateAudit(app.db, q))
          yield `${csvColumns.map((c) => csvCell(row[c])).join(',')}\r\n`;
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-log.csv"')
        .send(Readable.from(lines()));
    },
  );
}
