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

    // Callback-style hooks with a synchronous path for a remembered principal: most authenticated
    // requests then cost no promise at all (bench/http).
    app.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.authorization;
      if (header !== undefined) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) return done(AppError.unauthorized('auth.invalid_token'));
        const hit = service.cached('token', match[1]);
        if (hit) {
          request.principal = hit;
          return done();
        }
        service.fromToken(match[1]).then((p) => {
          request.principal = p;
          done(p ? undefined : AppError.unauthorized('auth.invalid_token'));
        }, done);
        return;
      }
      const cookie = request.cookies?.[sessionCookie];
      if (!cookie) return done();
      const hit = service.cached('session', cookie);
      if (hit) {
        request.principal = hit;
        return done();
      }
      service.fromSession(cookie).then((p) => {
        request.principal = p;
        done();
      }, done);
    });

    app.addHook('preValidation', (request, _reply, done) => {
      const config = request.routeOptions.config;
      const verdict = allows(config?.access ?? 'public', request.principal, config?.offices);
      if (verdict === 'unauthenticated') return done(AppError.unauthorized());
      if (verdict === 'forbidden') return done(AppError.forbidden());
      try {
        checkCsrf(request);
      } catch (e) {
        return done(e as Error);
      }
      done();
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
