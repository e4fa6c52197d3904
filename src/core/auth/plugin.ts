import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';
import { allows } from './roles.ts';
import { AuthService } from './service.ts';

export const sessionCookie = 'mueang_session';
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
  }
}

/**
 * Who is calling: a bearer token (integrators, devices) or the session cookie (the web app, which must
 * echo its CSRF token on every unsafe request). Then the route's declared access is enforced before
 * the body is validated, so an outsider learns nothing about the schema.
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    const service = new AuthService(app.db, app.events, app.config);
    app.decorate('auth', service);
    app.decorateRequest('principal', null);

    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (header !== undefined) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        request.principal = match ? await service.fromToken(match[1]) : null;
        if (!request.principal) throw AppError.unauthorized('auth.invalid_token');
        return;
      }
      const cookie = request.cookies?.[sessionCookie];
      if (cookie) request.principal = await service.fromSession(cookie);
    });

    app.addHook('preValidation', async (request) => {
      const config = request.routeOptions.config;
      const verdict = allows(config?.access ?? 'public', request.principal, config?.offices);
      if (verdict === 'unauthenticated') throw AppError.unauthorized();
      if (verdict === 'forbidden') throw AppError.forbidden();
      checkCsrf(request);
    });
  },
  { name: 'auth', dependencies: ['http-core'] },
);

function checkCsrf(request: FastifyRequest): void {
  const p = request.principal;
  if (p?.via !== 'session' || !unsafe.has(request.method)) return;
  if (request.routeOptions.config?.csrfExempt) return;
  if (request.headers['x-csrf-token'] !== p.csrfToken) throw AppError.forbidden('auth.csrf');
}
