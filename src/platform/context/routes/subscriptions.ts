import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../../core/audit/audit.ts';
import { coreContextUrl } from '../contexts/index.ts';
import { checkEndpointAllowed, type NotifyPolicy } from '../endpoint-policy.ts';
import { badData, NgsiError, notFound } from '../errors.ts';
import { intParam } from '../geo.ts';
import { activeContext } from '../jsonld.ts';
import { maxLimit } from '../query.ts';
import type { SubscriptionRow } from '../repository.ts';
import type { ContextService } from '../service.ts';
import type { StoredContexts } from '../stored-contexts.ts';
import { readSubscription } from '../subscriptions.ts';
import { contextOf, negotiate, sendData, tenantOf } from './http.ts';
import { publicOrigin } from './jsonld-contexts.ts';
import { IdParams, tags } from './schemas.ts';

const staff = { access: 'staff' as const };
const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ description: 'page size, default 20, at most 1000' })),
    offset: Type.Optional(Type.String({ description: 'page start' })),
    count: Type.Optional(Type.String({ description: 'true: the total in NGSILD-Results-Count' })),
    options: Type.Optional(Type.String({ description: 'sysAttrs: with createdAt and modifiedAt' })),
  },
  { additionalProperties: true },
);

/** A stored subscription as the Subscription data type, with the broker's status members. */
export function renderSubscription(row: SubscriptionRow, sysAttrs: boolean): Record<string, unknown> {
  const b = row.body;
  const failed = row.lastFailure !== null && (row.lastSuccess === null || row.lastFailure > row.lastSuccess);
  const n: Record<string, unknown> = {
    ...b.notification,
    status: failed ? 'failed' : 'ok',
    timesSent: row.timesSent,
    timesFailed: row.timesFailed,
  };
  if (row.lastNotification) n.lastNotification = row.lastNotification;
  if (row.lastSuccess) n.lastSuccess = row.lastSuccess;
  if (row.lastFailure) n.lastFailure = row.lastFailure;
  return {
    ...b,
    isActive: row.isActive,
    status: row.expired ? 'expired' : row.isActive ? 'active' : 'paused',
    notification: n,
    ...(sysAttrs ? { createdAt: row.createdAt, modifiedAt: row.modifiedAt } : {}),
  };
}

const sysAttrsOf = (options: string | undefined) => (options ?? '').split(',').includes('sysAttrs');

export async function subscriptionRoutes(
  app: FastifyInstance,
  opts: { service: ContextService; notifyPolicy: NotifyPolicy; contexts: StoredContexts },
) {
  const { service } = opts;
  const repo = service.repo;

  app.post(
    '/subscriptions',
    { config: staff, schema: { tags, summary: 'Create a subscription' } },
    async (request, reply) => {
      const ctx = contextOf(request, request.body);
      const tenant = tenantOf(request);
      const body = readSubscription(request.body, ctx, { now: new Date() });
      await checkEndpointAllowed(opts.notifyPolicy, body.notification.endpoint.uri);
      if (body.jsonldContext) {
        // Resolved now (fetched or found in the store), so a notification never waits on it.
        await opts.contexts.prepare([body.jsonldContext], tenant);
        activeContext(body.jsonldContext);
      }
      let context = ctx.source === coreContextUrl ? null : ctx.source;
      const inline = context !== null && typeof context === 'object' ? context : undefined;
      const implicit = await service.db.transaction(async (tx) => {
        const made = inline
          ? await opts.contexts.createImplicit(tx, tenant, inline, publicOrigin(request))
          : undefined;
        if (made) context = made.url;
        if (!(await repo.insertSubscription(tx, tenant, body, context ?? undefined)))
          throw new NgsiError('AlreadyExists', `subscription ${body.id} already exists`);
        await audit(tx, request.actor(), {
          action: 'ngsi-ld.subscription.create',
          resourceType: 'ngsi-ld.subscription',
          resourceId: body.id,
          detail: { endpoint: body.notification.endpoint.uri.slice(0, 300), ...(tenant ? { tenant } : {}) },
        });
        return made;
      });
      if (implicit) opts.contexts.hosted(implicit.id, tenant, inline);
      return reply
        .code(201)
        .header('location', `/ngsi-ld/v1/subscriptions/${encodeURIComponent(body.id)}`)
        .send();
    },
  );

  app.get(
    '/subscriptions',
    { config: staff, schema: { tags, summary: 'List subscriptions', querystring: ListQuery } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const rep = negotiate(request, false);
      const q = request.query as { limit?: string; offset?: string; count?: string; options?: string };
      const limit = intParam(q.limit, 'limit', 20);
      if (limit > maxLimit) throw new NgsiError('TooManyResults', `limit may be at most ${maxLimit}`);
      const offset = intParam(q.offset, 'offset', 0);
      if (q.count !== undefined && !['true', 'false'].includes(q.count))
        throw badData('count must be true or false');
      const tenant = tenantOf(request);
      const rows = await repo.subscriptions(tenant, limit, offset);
      if (q.count === 'true')
        reply.header('NGSILD-Results-Count', String(await repo.countSubscriptions(tenant)));
      const sys = sysAttrsOf(q.options);
      const list = rows.map((r) => {
        const s = renderSubscription(r, sys);
        return rep === 'ld' ? { ...s, '@context': r.context ?? coreContextUrl } : s;
      });
      if (rep === 'ld') return reply.type('application/ld+json').send(list);
      return sendData(reply, ctx, rep, list);
    },
  );

  app.get(
    '/subscriptions/:id',
    {
      config: staff,
      schema: { tags, summary: 'Retrieve a subscription', params: IdParams, querystring: ListQuery },
    },
    async (request, reply) => {
      const rep = negotiate(request, false);
      const { id } = request.params as { id: string };
      const row = await repo.subscription(service.db.orm, tenantOf(request), id);
      if (!row) throw notFound(`no subscription ${id}`);
      const options = (request.query as { options?: string }).options;
      return sendData(
        reply,
        activeContext(row.context ?? undefined),
        rep,
        renderSubscription(row, sysAttrsOf(options)),
      );
    },
  );

  app.patch(
    '/subscriptions/:id',
    { config: staff, schema: { tags, summary: 'Update a subscription', params: IdParams } },
    async (request, reply) => {
      contextOf(request, request.body);
      const { id } = request.params as { id: string };
      const tenant = tenantOf(request);
      const input = request.body;
      if (!input || typeof input !== 'object' || Array.isArray(input) || Object.keys(input).length === 0)
        throw badData('a subscription update is a non-empty JSON object');
      const jsonldContext = (input as { jsonldContext?: unknown }).jsonldContext;
      if (typeof jsonldContext === 'string' && /^https?:\/\/\S+$/.test(jsonldContext))
        await opts.contexts.prepare([jsonldContext], tenant); // before the transaction: it may write
      await service.db.transaction(async (tx) => {
        const row = await repo.subscription(tx, tenant, id, true);
        if (!row) throw notFound(`no subscription ${id}`);
        // Terms keep the meaning they had when the subscription was created (its own @context).
        const ctx = activeContext(row.context ?? undefined);
        const body = readSubscription(input, ctx, { existing: row.body, now: new Date() });
        if (body.jsonldContext) activeContext(body.jsonldContext);
        // Checked on every update, so a subscription made under a looser policy is brought under this one.
        await checkEndpointAllowed(opts.notifyPolicy, body.notification.endpoint.uri);
        await repo.updateSubscription(tx, tenant, body);
        await audit(tx, request.actor(), {
          action: 'ngsi-ld.subscription.update',
          resourceType: 'ngsi-ld.subscription',
          resourceId: id,
          detail: { members: Object.keys(input).slice(0, 30), ...(tenant ? { tenant } : {}) },
        });
      });
      return reply.code(204).send();
    },
  );

  app.delete(
    '/subscriptions/:id',
    { config: staff, schema: { tags, summary: 'Delete a subscription', params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const tenant = tenantOf(request);
      const dropped = await service.db.transaction(async (tx) => {
        const row = await repo.subscription(tx, tenant, id, true);
        if (!row || !(await repo.deleteSubscription(tx, tenant, id))) throw notFound(`no subscription ${id}`);
        await audit(tx, request.actor(), {
          action: 'ngsi-ld.subscription.delete',
          resourceType: 'ngsi-ld.subscription',
          resourceId: id,
          detail: tenant ? { tenant } : {},
        });
        return opts.contexts.dropImplicit(tx, tenant, row.context);
      });
      if (dropped) opts.contexts.deleted(tenant, dropped, null, false);
      return reply.code(204).send();
    },
  );
}
