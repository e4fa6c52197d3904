import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import fp from 'fastify-plugin';
import pino from 'pino';
import { alertsPlugin } from '../../platform/alerts/plugin.ts';
import { contextPlugin } from '../../platform/context/plugin.ts';
import { deviceRoutes } from '../../platform/devices/routes.ts';
import { rulesPlugin } from '../../platform/rules/plugin.ts';
import { auditRoutes } from '../audit/routes.ts';
import { authPlugin } from '../auth/plugin.ts';
import { authRoutes } from '../auth/routes.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Events } from '../events/outbox.ts';
import { pickLocale } from '../i18n.ts';
import { Mail } from '../mail.ts';
import type { ModuleManifest } from '../modules.ts';
import type { Broker } from '../mqtt/broker.ts';
import { orgRoutes } from '../org/routes.ts';
import { pushRoutes, WebPush } from '../push.ts';
import { healthRoutes } from './health.ts';
import { metaRoutes } from './meta.ts';
import { httpMetrics } from './metrics.ts';
import { registerProblemHandlers } from './problems.ts';
import { requestLogger } from './request-logger.ts';
import { securityHeadersPlugin } from './security-headers.ts';
import { webApp } from './static.ts';
import type { RouteInfo } from './types.ts';
import { validatorCompiler } from './validation.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  events: Events;
  broker?: Broker | null;
  modules: ModuleManifest[];
  logger?: boolean | object;
}

/**
 * One access line per request, written when it completes, where Fastify writes two. It goes through
 * the server's logger with the request id as a field (the line is the same as through the request's
 * child logger), so a request that logs nothing else never makes that child (request-logger.ts).
 */
class AccessLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const log = request.server.log;
    if (error)
      log.error(
        { reqId: request.id, req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
    else if ((log as Partial<pino.Logger>).isLevelEnabled?.('info') ?? true)
      log.info(
        { reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime },
        'request completed',
      );
  }
}

/**
 * Asynchronous stdout: under load the lines that arrive while a write is in flight go out together,
 * where the synchronous default costs a system call per line. Nothing waits for a buffer to fill,
 * and pino flushes what is pending when the process exits.
 */
function defaultLogger(config: Config): object {
  return { level: config.LOG_LEVEL, stream: pino.destination({ dest: 1, sync: false }) };
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: (deps.logger ?? defaultLogger(config)) as FastifyServerOptions['logger'],
    logController: new AccessLog(),
    childLoggerFactory: requestLogger,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.PUBLIC_URL ? 'loopback' : false,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  app.setValidatorCompiler(validatorCompiler);

  app.decorate('config', config);
  app.decorate('db', deps.db);
  app.decorate('events', deps.events);
  app.decorate('mail', new Mail(config.SMTP_URL, config.MAIL_FROM, config.PUBLIC_URL));
  app.decorate('push', new WebPush(config));
  app.decorate('routeTable', [] as RouteInfo[]);
  app.decorateRequest('locale', 'th');
  app.decorateRequest('actor', function (this: import('fastify').FastifyRequest) {
    const p = this.principal;
    return {
      id: p?.userId ?? null,
      label: p?.displayName ?? null,
      role: p?.role ?? null,
      officeId: p?.officeId ?? null,
      ip: this.ip ?? null,
      userAgent: (this.headers['user-agent'] as string | undefined) ?? null,
      requestId: this.id,
    };
  });

  // Every route states who may call it; a route without a statement is a programming error.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    const preflight = route.method === 'OPTIONS' || route.method === 'HEAD';
    if (url.startsWith('/api/docs') || (route.config?.access === undefined && preflight)) {
      route.config = { ...route.config, access: route.config?.access ?? 'public' };
    }
    if (route.config?.access === undefined)
      throw new Error(`Route ${route.method} ${url} declares no access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && method !== 'OPTIONS')
        app.routeTable.push({ method, url, access: route.config.access, offices: route.config.offices });
    }
  });

  app.addHook('onRequest', (request, reply, done) => {
    request.locale = pickLocale(request.headers['accept-language']);
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpMetrics.record(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  registerProblemHandlers(app);
  await app.register(fp(async () => {}, { name: 'http-core' }));
  await app.register(cookie);
  await app.register(securityHeadersPlugin, {
    helmet: {
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:', ...tileOrigin(config.MAP_TILE_URL)],
          'connect-src': ["'self'", ...tileOrigin(config.MAP_TILE_URL)],
          'worker-src': ["'self'", 'blob:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'script-src': ["'self'"],
          'upgrade-insecure-requests': config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: config.secureCookies,
    },
  });
  const origins = config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // No origins configured means same-origin only: no CORS headers, so no hook on every request either.
  if (origins.length) await app.register(cors, { origin: origins, credentials: true });
  await app.register(rateLimit, {
    global: false,
    max: config.RATE_LIMIT_ANON,
    timeWindow: '1 minute',
    hook: 'preHandler',
    // Signed-in callers are accountable through the audit log; the limit guards anonymous endpoints.
    allowList: (request) => request.principal !== null,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'request.rate_limited',
      message: `retry in ${context.after}`,
    }),
  });
  // The global limit, applied here rather than by the plugin on every route: the plugin's handler
  // works out the caller's key (an IPv6 test) and awaits the allow list before it can let a signed-in
  // caller through; this hook lets them through with no promise. Routes with a `rateLimit` of their
  // own (or `false`) keep the plugin's per-route hook.
  const anonymousLimit = app.rateLimit();
  app.addHook('preHandler', (request, reply, done) => {
    if (request.principal !== null || request.is404 || request.routeOptions.config.rateLimit != null)
      return done();
    anonymousLimit.call(app, request, reply).then(() => done(), done);
  });
  await app.register(authPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mueang (เมือง) city platform API',
        version: '0.1.0',
        description:
          'Open smart-city platform for Thai municipalities. Authenticate with `Authorization: Bearer <token>` (create one with POST /api/tokens) or the web session cookie. Errors are RFC 9457 problem details.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await app.register(healthRoutes, { broker: deps.broker ?? null });
  await app.register(metaRoutes, { modules: deps.modules });
  await app.register(authRoutes);
  await app.register(orgRoutes);
  await app.register(auditRoutes);
  await app.register(pushRoutes);
  await app.register(contextPlugin, { prefix: '/ngsi-ld/v1', broker: deps.broker ?? null });
  await app.register(deviceRoutes, { prefix: '/api' });
  await app.register(fp(alertsPlugin, { name: 'alerts' }));
  await app.register(fp(rulesPlugin, { name: 'rules', dependencies: ['alerts'] }));
  for (const m of deps.modules) {
    if (m.routes) await app.register(m.routes, { prefix: `/api/${m.id}` });
    if (m.rootRoutes) await app.register(m.rootRoutes);
  }
  await app.register(webApp);
  return app;
}

function tileOrigin(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url.replace(/\{[a-z]\}/g, '0')).origin];
  } catch {
    return [];
  }
}
