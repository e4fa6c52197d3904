import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';
import { msg } from '../i18n.ts';

export const webRoot = join(import.meta.dirname, '../../../dist/web');
const apiPrefixes = ['/api/', '/ngsi-ld/', '/open311/', '/healthz', '/readyz', '/metrics', '/alerts/'];

/** Serves the built web app; any other GET that wants HTML gets index.html so client routes deep-link. */
export const webApp = fp(async (app: FastifyInstance) => {
  if (!existsSync(join(webRoot, 'index.html'))) {
    app.log.warn(`web app not built (${webRoot}); run "npm run build"`);
    return;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    serve: false,
    maxAge: '1h',
    setHeaders: (reply, path) => {
      if (path.includes('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
      // A new service worker must reach browsers on their next visit, not an hour later.
      if (path.endsWith('/sw.js')) reply.header('cache-control', 'no-cache');
    },
  });
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0];
    if (apiPrefixes.some((p) => path.startsWith(p))) throw AppError.notFound('route.not_found');
    let file: string;
    try {
      file = join(webRoot, decodeURIComponent(path));
    } catch {
      throw AppError.badRequest('request.malformed', msg('request.malformed_path'));
    }
    if (path !== '/' && file.startsWith(`${webRoot}/`) && existsSync(file) && !path.endsWith('/')) {
      return reply.sendFile(path.slice(1));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
});
