import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import { sendProblem } from '../../../core/http/problems.ts';
import { coreContextUrl } from '../contexts/index.ts';
import { badData, invalid, NgsiError } from '../errors.ts';
import { type ActiveContext, activeContext, contextFromLink, linkHeader } from '../jsonld.ts';

const tenantPattern = /^[a-z0-9_-]{1,64}$/;

/** The tenant from `NGSILD-Tenant` ('' when absent): one per municipality. */
export function tenantOf(request: FastifyRequest): string {
  const h = request.headers['ngsild-tenant'];
  if (h === undefined || h === '') return '';
  if (typeof h !== 'string' || !tenantPattern.test(h))
    throw badData('NGSILD-Tenant must match ^[a-z0-9_-]{1,64}$');
  return h;
}

function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The request's @context: a Link header (JSON bodies and GETs) or the body's @context (JSON-LD bodies);
 * a body @context with application/json and a Link with application/ld+json are both refused.
 */
export function contextOf(request: FastifyRequest, body?: unknown): ActiveContext {
  const link = contextFromLink(request.headers.link);
  const type = mediaType(request);
  const bodies = body === undefined ? [] : Array.isArray(body) ? body : [body];
  const inBody = bodies.find((b) => b && typeof b === 'object' && '@context' in b) as
    | Record<string, unknown>
    | undefined;
  if (type === 'application/ld+json') {
    if (link !== undefined) throw badData('application/ld+json bodies carry their @context; no Link header');
    if (bodies.length && !inBody) throw badData('an application/ld+json body needs an @context');
    return activeContext(inBody?.['@context']);
  }
  if (inBody) throw badData('a body @context needs Content-Type application/ld+json');
  return activeContext(link);
}

/**
 * Whether a write's body is in the simplified representation: `options=keyValues` (or `simplified`), or
 * `format=keyValues|simplified`. Without it a body may be normalized or concise, attribute by attribute.
 */
export function simplifiedInput(request: FastifyRequest): boolean {
  const q = request.query as { options?: unknown; format?: unknown };
  const options = typeof q.options === 'string' ? q.options.split(',') : [];
  return (
    options.includes('keyValues') ||
    options.includes('simplified') ||
    q.format === 'keyValues' ||
    q.format === 'simplified'
  );
}

export type Representation = 'json' | 'ld' | 'geo';

/** What the caller accepts: application/json (default), application/ld+json or application/geo+json. */
export function negotiate(request: FastifyRequest, geo = true): Representation {
  const accept = (request.headers.accept ?? '*/*').toLowerCase();
  const ranked = accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { type: type.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { type } of ranked) {
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'json';
    if (type === 'application/ld+json') return 'ld';
    if (type === 'application/geo+json' && geo) return 'geo';
  }
  throw new NgsiError(
    'NotAcceptable',
    'answers are application/json, application/ld+json or application/geo+json',
  );
}

/** Sends entities (or other NGSI-LD bodies) with the @context as a Link header or in the body. */
export function sendData(
  reply: FastifyReply,
  ctx: ActiveContext,
  rep: Representation,
  body: unknown,
): FastifyReply {
  const source = ctx.source;
  const url = typeof source === 'string' ? source : coreContextUrl;
  if (rep === 'ld') {
    const withContext = (b: unknown) =>
      b && typeof b === 'object' && !Array.isArray(b) ? { ...(b as object), '@context': source } : b;
    return reply
      .type('application/ld+json')
      .send(Array.isArray(body) ? body.map(withContext) : withContext(body));
  }
  reply.header('link', linkHeader(url));
  return reply.type(rep === 'geo' ? 'application/geo+json' : 'application/json').send(body);
}

function postgresCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, d = 0;
    e && d < 3;
    e = e.cause as typeof e, d++
  )
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

function toNgsi(error: FastifyError): NgsiError | null {
  if (error instanceof NgsiError) return error;
  if (error.validation) {
    const detail = error.validation
      .map((v) => `${error.validationContext ?? ''}${v.instancePath} ${v.message}`)
      .join('; ');
    return error.validationContext === 'body' ? badData(detail) : invalid(detail);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalid(`the body is not valid JSON: ${error.message}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new NgsiError('UnsupportedMediaType', 'bodies are application/json or application/ld+json');
  }
  if (error instanceof SyntaxError) return invalid(`the body is not valid JSON: ${error.message}`);
  const pg = postgresCode(error);
  if (pg === '23505') return new NgsiError('AlreadyExists', 'the entity already exists');
  if (pg === '2201B') return badData('invalid regular expression');
  if (pg === '54001' || pg === '57014') return new NgsiError('TooComplexQuery', 'the query took too long');
  if (pg?.startsWith('22') || pg === 'XX000') return badData('the data could not be processed');
  return null;
}

/** NGSI-LD routes answer NGSI-LD ProblemDetails (application/json); the platform's own errors keep theirs. */
export function registerNgsiErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const ngsi = toNgsi(error);
    if (ngsi) {
      request.log.debug({ problem: ngsi.problem }, 'ngsi-ld request rejected');
      return reply.code(ngsi.status).type('application/json').send(ngsi.toProblem());
    }
    if (error instanceof AppError) return sendProblem(request, reply, error);
    if (error.statusCode === 413)
      return reply.code(413).type('application/json').send(invalid('the body is too large').toProblem());
    if (error.statusCode === 429)
      return sendProblem(request, reply, new AppError(429, 'request.rate_limited'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return reply.code(error.statusCode).type('application/json').send(invalid(error.message).toProblem());
    request.log.error({ err: error }, 'ngsi-ld request failed');
    return reply
      .code(500)
      .type('application/json')
      .send(new NgsiError('InternalError', 'the operation failed').toProblem());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json')
      .send(
        new NgsiError(
          'ResourceNotFound',
          `no NGSI-LD resource ${request.method} ${request.url.split('?')[0]}`,
        ).toProblem(),
      ),
  );
}
