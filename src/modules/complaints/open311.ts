import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { isOpen } from './domain.ts';
import { maskPersonal } from './moderation.ts';
import { Open311Repository, type Open311Row } from './open311-repository.ts';
import type { RequestFilter } from './repository.ts';
import { ComplaintsService } from './service.ts';
import { el, record, xmlDocument } from './xml.ts';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2, and its discovery file.
 * Field names, W3C dates with a time zone, `open`/`closed` and the error list are the spec's; the
 * richer state is in `status_notes`; `page`/`page_size` are the common extension.
 */
type Format = 'json' | 'xml';
const tags = ['open311'];
const specification = 'http://wiki.open311.org/GeoReport_v2';
const changeset = '2026-11-25T00:00:00+07:00';

class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly description: string,
  ) {
    super(description);
  }
}

/** `KK-…` and a format, from the last path segment (`requests/KK-2569-000001.xml`). */
function split(file: string): { id: string; format: Format } {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  if (!m) throw new Open311Error(404, 'unknown format: use .json or .xml');
  return { id: m[1], format: m[2] as Format };
}

function formatOf(url: string): Format {
  return /\.xml(\?|$)/.test(url) ? 'xml' : 'json';
}

const dayMs = 86_400_000;
/** `YYYY-MM-DDT` of a Thai day number; a list page's dates share a few days, so they are kept. */
const dayPrefixes = new Map<number, string>();
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * W3C date-time in Thai time (UTC+7, no daylight saving), to the second: 2026-11-25T09:30:00+07:00.
 * Built from the day's cached prefix and the time of day (a list page formats up to 2,000 of them).
 */
export function w3c(at: string | number): string {
  const thai = (typeof at === 'number' ? at : new Date(at).getTime()) + 7 * 3600_000;
  const day = Math.floor(thai / dayMs);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    prefix = new Date(day * dayMs).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const seconds = Math.floor((thai - day * dayMs) / 1000);
  const hh = Math.floor(seconds / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  return `${prefix}${twoDigits[hh]}:${twoDigits[mm]}:${twoDigits[seconds % 60]}+07:00`;
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

const coordinate = Type.String({ pattern: '^-?[0-9]{1,3}(\\.[0-9]{1,15})?$' });
const PostBody = Type.Object(
  {
    api_key: Type.Optional(Type.String()),
    jurisdiction_id: Type.Optional(Type.String({ maxLength: 200 })),
    service_code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$' }),
    lat: coordinate,
    long: coordinate,
    address_string: Type.Optional(Type.String({ maxLength: 500 })),
    address_id: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    device_id: Type.Optional(Type.String({ maxLength: 200 })),
    account_id: Type.Optional(Type.String({ maxLength: 200 })),
    first_name: Type.Optional(Type.String({ maxLength: 100 })),
    last_name: Type.Optional(Type.String({ maxLength: 100 })),
    phone: Type.Optional(Type.String({ pattern: '^0[0-9]{8,9}$' })),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    media_url: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  // Service attributes arrive as attribute[code]=value; none is defined yet, so they are ignored.
  { additionalProperties: Type.String({ maxLength: 4000 }) },
);
type PostInput = {
  api_key?: string;
  service_code: string;
  lat: string;
  long: string;
  address_string?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description: string;
};

const list = (pattern: string) => Type.String({ pattern: `^(${pattern})(,(${pattern}))*$`, maxLength: 2000 });
const RequestsQuery = Type.Object(
  {
    jurisdiction_id: Type.Optional(Type.String({ maxLength: 200 })),
    service_request_id: Type.Optional(list('KK-[0-9]{4}-[0-9]{6,}')),
    service_code: Type.Optional(list('[a-z0-9][a-z0-9-]{1,63}')),
    start_date: Type.Optional(Type.String({ maxLength: 40 })),
    end_date: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(list('open|closed')),
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 1000, default: 1000 }),
  },
  { additionalProperties: true },
);
type RequestsInput = {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  page: number;
  page_size: number;
};

/** A W3C date-time with a time zone, or a 400 naming the parameter. */
function w3cParam(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(Date.parse(value))
  )
    throw new Open311Error(
      400,
      `${name} must be a W3C date-time with a time zone, e.g. 2026-11-01T00:00:00+07:00`,
    );
  return new Date(value).toISOString();
}

/**
 * One request as Open311 shows it, for XML and one request by id; a JSON list is built to the same
 * fields by PostgreSQL (open311-repository.ts `pageJson`), and open311-json.test.ts holds the two equal.
 */
export const requestFields = (locale: 'th' | 'en', r: Open311Row) => ({
  service_request_id: r.reference,
  status: isOpen(r.status) ? 'open' : 'closed',
  status_notes: r.status,
  service_name: locale === 'en' ? r.categoryNameEn : r.categoryNameTh,
  service_code: r.category,
  // Open311's GET is public: only the moderated text, and the address masked (moderation.ts).
  description: r.publicText ?? '',
  agency_responsible: locale === 'en' ? r.officeNameEn : r.officeNameTh,
  service_notice: '',
  requested_datetime: w3c(r.createdMs),
  updated_datetime: w3c(r.updatedMs),
  address: r.address ? maskPersonal(r.address) : '',
  lat: r.lat,
  long: r.lon,
  media_url: '',
});

/** Registered at the root by the module manifest; everything Open311 lives under /open311. */
export async function open311Root(app: FastifyInstance) {
  await app.register(open311Routes, { prefix: '/open311' });
}

async function open311Routes(app: FastifyInstance) {
  const service = new ComplaintsService(app.db);
  const reads = new Open311Repository(app.db);

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in fields)) fields[k] = v;
      done(null, fields);
    },
  );

  const send = (reply: FastifyReply, format: Format, status: number, json: unknown, xml: () => string) => {
    reply.code(status);
    if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(xml());
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(json));
  };

  const sendJson = (reply: FastifyReply, json: string) =>
    reply.code(200).type('application/json; charset=utf-8').send(json);

  const sendErrors = (request: FastifyRequest, reply: FastifyReply, status: number, description: string) => {
    const errors = [{ code: status, description }];
    return send(reply, formatOf(request.url), status, errors, () =>
      xmlDocument(
        el(
          'errors',
          errors.map((e) => record('error', e)),
        ),
      ),
    );
  };

  app.setErrorHandler((error: Error & { validation?: unknown; statusCode?: number }, request, reply) => {
    if (error instanceof Open311Error) return sendErrors(request, reply, error.status, error.description);
    if (error instanceof AppError) {
      const status = error.status === 403 || error.status === 404 ? error.status : 400;
      return sendErrors(request, reply, status, error.detailIn(localeOf(request)) ?? error.code);
    }
    if (error.validation) return sendErrors(request, reply, 400, error.message);
    if (error.statusCode && error.statusCode < 500) return sendErrors(request, reply, 400, error.message);
    request.log.error({ err: error }, 'open311 request failed');
    return sendErrors(request, reply, 500, 'internal error');
  });
  app.setNotFoundHandler({}, (request, reply) => sendErrors(request, reply, 404, 'no such resource'));
  // The web app's catch-all GET would otherwise answer unknown Open311 paths with its own problem.
  app.route({
    method: ['GET', 'POST'],
    url: '/*',
    config: { access: 'public' },
    schema: { hide: true },
    handler: (request, reply) => sendErrors(request, reply, 404, 'no such resource'),
  });

  const localName = (request: FastifyRequest, th: string, en: string) => (request.locale === 'en' ? en : th);
  const localeOf = (request: FastifyRequest) => (request.locale === 'en' ? 'en' : 'th');

  const sendRequests = (request: FastifyRequest, reply: FastifyReply, format: Format, rows: Open311Row[]) => {
    const items = rows.map((r) => requestFields(localeOf(request), r));
    return send(reply, format, 200, items, () =>
      xmlDocument(
        el(
          'service_requests',
          items.map((i) => record('request', i)),
        ),
      ),
    );
  };

  const serviceList = async (request: FastifyRequest, reply: FastifyReply, format: Format) => {
    const categories = await service.categories();
    const offices = new Map(
      (await service.offices()).map((o) => [o.code, localName(request, o.nameTh, o.nameEn)]),
    );
    const items = categories.map((c) => ({
      service_code: c.code,
      service_name: localName(request, c.nameTh, c.nameEn),
      description: localName(request, c.nameTh, c.nameEn),
      metadata: false,
      type: 'realtime',
      keywords: c.icon,
      group: offices.get(c.office) ?? c.office,
    }));
    return send(reply, format, 200, items, () =>
      xmlDocument(
        el(
          'services',
          items.map((i) => record('service', i)),
        ),
      ),
    );
  };

  const discovery = (request: FastifyRequest, reply: FastifyReply, format: Format) => {
    const base = app.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;
    const doc = {
      changeset,
      contact: 'Khon Kaen City Municipality (เทศบาลนครขอนแก่น)',
      key_service:
        'API keys are issued to integrators by the municipality’s staff (POST /api/complaints/integrators)',
      endpoints: [
        {
          specification,
          url: `${base}/open311/v2`,
          changeset,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
    return send(reply, format, 200, doc, () =>
      xmlDocument(
        el('discovery', [
          el('changeset', doc.changeset),
          el('contact', doc.contact),
          el('key_service', doc.key_service),
          el(
            'endpoints',
            doc.endpoints.map((e) =>
              el('endpoint', [
                el('specification', e.specification),
                el('url', e.url),
                el('changeset', e.changeset),
                el('type', e.type),
                el(
                  'formats',
                  e.formats.map((f) => el('format', f)),
                ),
              ]),
            ),
          ),
        ]),
      ),
    );
  };

  for (const format of ['json', 'xml'] as const) {
    app.get(
      `/discovery.${format}`,
      { config: { access: 'public' }, schema: { tags, summary: `Open311 service discovery (${format})` } },
      (request, reply) => discovery(request, reply, format),
    );
    app.get(
      `/v2/services.${format}`,
      { config: { access: 'public' }, schema: { tags, summary: `Open311: the service list (${format})` } },
      (request, reply) => serviceList(request, reply, format),
    );
    app.get(
      `/v2/requests.${format}`,
      {
        config: { access: 'public' },
        schema: { tags, summary: `Open311: service requests (${format})`, querystring: RequestsQuery },
      },
      async (request, reply) => {
        const q = request.query as RequestsInput;
        let filter: RequestFilter;
        if (q.service_request_id) {
          // The spec: with service_request_id, the other parameters are ignored.
          filter = { references: q.service_request_id.split(','), limit: 1000, offset: 0 };
        } else {
          let from = w3cParam('start_date', q.start_date);
          const to = w3cParam('end_date', q.end_date);
          // The spec's default span is the last 90 days.
          if (!from && !to) from = new Date(Date.now() - 90 * 86_400_000).toISOString();
          if (from && to && from > to) throw new Open311Error(400, 'start_date is after end_date');
          const wanted = q.status ? new Set(q.status.split(',')) : null;
          const statuses =
            wanted && wanted.size === 1
              ? wanted.has('open')
                ? (['received', 'accepted', 'in_progress', 'forwarded', 'on_hold'] as const)
                : (['resolved', 'rejected', 'closed'] as const)
              : undefined;
          filter = {
            categories: q.service_code?.split(','),
            statuses,
            from,
            to,
            limit: q.page_size,
            offset: (q.page - 1) * q.page_size,
          };
        }
        // JSON comes from PostgreSQL ready to send: a list page's rows are never built in Node.
        if (format === 'json') return sendJson(reply, await reads.pageJson(filter, localeOf(request)));
        return sendRequests(request, reply, format, await reads.page(filter));
      },
    );
    app.post(
      `/v2/requests.${format}`,
      {
        config: { access: 'api-key' },
        schema: {
          tags,
          summary: `Open311: file a service request, form-encoded, api_key required (${format})`,
          consumes: ['application/x-www-form-urlencoded'],
          body: PostBody,
        },
        // The key is checked before the body's schema, so a caller without one learns nothing more.
        preValidation: async (request) => {
          const key = (request.body as { api_key?: unknown } | undefined)?.api_key;
          if (typeof key !== 'string' || key === '') throw new Open311Error(403, 'api_key is required');
          const integrator = await service.integratorByKeyHash(hashKey(key));
          if (!integrator) throw new Open311Error(403, 'api_key is not valid');
          (request as FastifyRequest & { integrator?: { id: string; name: string } }).integrator = integrator;
        },
      },
      async (request, reply) => {
        const body = request.body as PostInput;
        const integrator = (request as FastifyRequest & { integrator: { id: string; name: string } })
          .integrator;
        const lat = Number(body.lat);
        const lon = Number(body.long);
        if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
          throw new Open311Error(400, 'lat and long must be WGS 84 degrees');
        const name = [body.first_name, body.last_name].filter(Boolean).join(' ') || undefined;
        // The service looks the category up anyway; its refusal is put in Open311's words here.
        const unknownService = (e: unknown) => {
          if (e instanceof AppError && e.code === 'complaints.category_unknown')
            throw new Open311Error(400, `service_code ${body.service_code} is not a service of this city`);
          throw e;
        };
        const created = await service
          .create(
            {
              category: body.service_code,
              description: body.description,
              lat,
              lon,
              address: body.address_string,
            },
            {
              userId: null,
              contact: { name, email: body.email, phone: body.phone },
              source: 'open311',
              integratorId: integrator.id,
            },
            { ...request.actor(), label: `open311:${integrator.name}` },
          )
          .catch(unknownService);
        const answer = [
          { service_request_id: created.reference, token: created.token, service_notice: '', account_id: '' },
        ];
        return send(reply, format, 201, answer, () =>
          xmlDocument(
            el(
              'service_requests',
              answer.map((a) => record('request', a)),
            ),
          ),
        );
      },
    );
  }

  app.get(
    '/v2/services/:file',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Open311: a service definition (services/{service_code}.json|xml)',
        params: Type.Object({ file: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      const { id, format } = split((request.params as { file: string }).file);
      const category = await service.repo.category(id);
      if (!category) throw new Open311Error(404, `no service ${id}`);
      const doc = { service_code: category.code, attributes: [] };
      return send(reply, format, 200, doc, () =>
        xmlDocument(el('service_definition', [el('service_code', doc.service_code), el('attributes')])),
      );
    },
  );

  app.get(
    '/v2/requests/:file',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Open311: one service request (requests/{service_request_id}.json|xml)',
        params: Type.Object({ file: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      const { id, format } = split((request.params as { file: string }).file);
      // One row is cheaper to render here than to aggregate in SQL (measured), so by id keeps this path.
      const row = /^KK-[0-9]{4}-[0-9]{6,}$/.test(id) ? await reads.byReference(id) : undefined;
      if (!row) throw new Open311Error(404, `no service request ${id}`);
      return sendRequests(request, reply, format, [row]);
    },
  );

  app.get(
    '/v2/tokens/:file',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Open311: the service request id for a token (tokens/{token}.json|xml)',
        params: Type.Object({ file: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      const { id, format } = split((request.params as { file: string }).file);
      const found = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
        ? await service.repo.byToken(id)
        : undefined;
      if (!found) throw new Open311Error(404, `no token ${id}`);
      const answer = [{ service_request_id: found.reference, token: id }];
      return send(reply, format, 200, answer, () =>
        xmlDocument(
          el(
            'service_requests',
            answer.map((a) => record('request', a)),
          ),
        ),
      );
    },
  );
}
