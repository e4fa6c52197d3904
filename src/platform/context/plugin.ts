import type { FastifyInstance } from 'fastify';
import type { Broker } from '../../core/mqtt/broker.ts';
import { shippedContext } from './contexts/index.ts';
import { NotificationDispatcher, registerDispatcher } from './dispatch.ts';
import { parseNotifyAllow } from './endpoint-policy.ts';
import { notFound } from './errors.ts';
import { contextFromLink } from './jsonld.ts';
import { JsonldContextStore } from './jsonld-store.ts';
import { matcher, Notifier, Periodic, SubscriptionCompiler } from './notify.ts';
import { contextUrls } from './remote-contexts.ts';
import { batchRoutes } from './routes/batch.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { entityRoutes } from './routes/entities.ts';
import { registerNgsiErrors, tenantOf } from './routes/http.ts';
import { jsonldContextRoutes } from './routes/jsonld-contexts.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { temporalRoutes } from './routes/temporal.ts';
import { contextService } from './service.ts';
import { StoredContexts } from './stored-contexts.ts';

/** The NGSI-LD context broker, mounted at /ngsi-ld/v1 (ETSI GS CIM 009). */
export async function contextPlugin(
  app: FastifyInstance,
  opts: { broker?: Broker | null } = {},
): Promise<void> {
  const service = contextService(app.db);
  await service.repo.ensurePartitions();
  // Subscriptions: matched in every write's transaction, notifications queued in ctx_notifications and
  // sent by a dispatcher of their own (per subscription in order, subscriptions in parallel, retried with
  // back-off, kept across restarts). The process that serves the API starts it (server.ts).
  const compiler = new SubscriptionCompiler(service.repo, app.log);
  const notifyPolicy = parseNotifyAllow(app.config.NGSI_LD_NOTIFY_ALLOW);
  const notifier = new Notifier(service.repo, app.log, opts.broker ?? null, compiler, notifyPolicy);
  const dispatcher = new NotificationDispatcher(app.db, (n) => notifier.deliver(n), app.log, {
    concurrency: app.config.NGSI_LD_NOTIFY_CONCURRENCY,
  });
  registerDispatcher(app.db, dispatcher);
  const kick = () => dispatcher.kick();
  const stopMatching = service.onChange(matcher(service.repo, compiler, kick));
  const periodic = new Periodic(app.db, service.repo, app.log, compiler, kick);
  app.addHook('onReady', async () => periodic.start());
  app.addHook('onClose', async () => {
    await periodic.stop();
    stopMatching();
    await dispatcher.stop();
    await notifier.close();
  });
  registerNgsiErrors(app);
  const json = (_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    try {
      done(null, body.length === 0 ? undefined : JSON.parse(body.toString()));
    } catch (e) {
      done(e as Error);
    }
  };
  app.addContentTypeParser(
    ['application/ld+json', 'application/merge-patch+json'],
    { parseAs: 'string' },
    json,
  );
  // Remote @context URLs are fetched before the handler, so the handlers' context stays synchronous,
  // and kept in the database (ctx_jsonld_contexts, with the hosted ones): a subscription made with
  // one must still render after a restart.
  const policy = app.config.NGSI_LD_CONTEXT_FETCH;
  const contexts = new StoredContexts(new JsonldContextStore(app.db), policy);
  await contexts.load();
  app.addHook('preHandler', (request, _reply, done) => {
    const urls = contextUrls(contextFromLink(request.headers.link));
    const bodies: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
    const withContext = bodies.find((b) => b && typeof b === 'object' && '@context' in b);
    if (withContext) contextUrls((withContext as { '@context': unknown })['@context'], urls);
    if (urls.every((u) => shippedContext(u) !== undefined)) return done();
    let tenant: string;
    try {
      tenant = tenantOf(request);
    } catch (e) {
      return done(e as Error);
    }
    contexts.prepare(urls, tenant).then(() => done(), done);
  });
  await app.register(entityRoutes, { service });
  await app.register(batchRoutes, { service });
  await app.register(discoveryRoutes, { service });
  await app.register(temporalRoutes, { service });
  await app.register(subscriptionRoutes, { service, notifyPolicy, contexts });
  await app.register(jsonldContextRoutes, { contexts, policy });
  // Unknown paths under the prefix answer ResourceNotFound (the web app's catch-all would take them otherwise).
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/*',
    config: { access: 'public' },
    schema: { hide: true },
    handler: async (request) => {
      throw notFound(`no NGSI-LD resource ${request.method} ${request.url.split('?')[0]}`);
    },
  });
}
