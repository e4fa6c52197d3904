import type { FastifyInstance, FastifyReply } from 'fastify';
import { badData, notFound } from '../errors.ts';
import { intParam } from '../geo.ts';
import type { ActiveContext } from '../jsonld.ts';
import type { Attr, Entity } from '../model.ts';
import { personalTypes } from '../model.ts';
import { compileQuery } from '../query.ts';
import { defaultRender, renderEntity } from '../render.ts';
import type { ContextService } from '../service.ts';
import { historyPage, instanceUri } from '../temporal-store.ts';
import { createTemporal, patchInstance, removeInstance } from '../temporal-writes.ts';
import { isUri } from '../validate.ts';
import { contextOf, negotiate, sendData, tenantOf } from './http.ts';
import { AttrParams, EntityQuery, IdParams, InstanceParams, tags } from './schemas.ts';
import { aggregated } from './temporal-aggregate.ts';
import {
  aggregatedRequested,
  entityParams,
  type TQ,
  time,
  timeCondition,
  timePropertyOf,
} from './temporal-params.ts';

export { aggrMethods, periodInterval } from './temporal-aggregate.ts';

/** At most this many instances in one answer; more → 206 with a Content-Range (`maxInstances` option). */
const defaultMaxInstances = 10_000;

/** What one entity's history answer holds, and the time range of its instances when some were left out. */
interface Page {
  body: Record<string, unknown>;
  range: { start: string; end: string; size: string } | null;
}

/**
 * The spec's paging of temporal answers: `Content-Range: date-time <start>-<end>/<size>` and 206 when
 * instances were left out. Of several entities, the narrowest range is the one every entity is whole in.
 */
function sendPaged(reply: FastifyReply, ranges: Page['range'][], lastN: boolean) {
  const cut = ranges.filter((r): r is NonNullable<Page['range']> => r !== null);
  if (cut.length === 0) return;
  const end = cut.map((r) => r.end).reduce((a, b) => ((lastN ? a > b : a < b) ? a : b));
  reply.code(206).header('Content-Range', `date-time ${cut[0].start}-${end}/${cut[0].size}`);
}

export async function temporalRoutes(
  app: FastifyInstance,
  opts: { service: ContextService; maxInstances?: number },
) {
  const service = opts.service;
  const maxInstances = opts.maxInstances ?? defaultMaxInstances;

  /** An entity with each attribute as its instances over time (temporal representation). */
  async function temporal(
    tenant: string,
    e: Entity,
    query: TQ,
    ctx: ActiveContext,
    anonymous: boolean,
  ): Promise<Page> {
    const p = entityParams(query);
    const c = compileQuery(
      {
        ...p,
        id: undefined,
        type: undefined,
        q: undefined,
        georel: undefined,
        geometry: undefined,
        coordinates: undefined,
      },
      ctx,
      anonymous,
      { requireFilter: false },
    );
    const attrs = c.render.pick ? [...c.render.pick] : null;
    if (aggregatedRequested(query))
      return {
        body: await aggregated(service, tenant, e, query, ctx, anonymous, attrs, c.render.omit),
        range: null,
      };
    const lastN = p.lastN === undefined ? null : intParam(p.lastN, 'lastN', 1);
    const property = timePropertyOf(p);
    const page = await historyPage(service.db, {
      tenant,
      id: e.id,
      attrs,
      time: timeCondition(p),
      property,
      lastN,
      limit: maxInstances,
    });
    const values =
      (query.options ?? '').split(',').includes('temporalValues') || query.format === 'temporalValues';
    const out = renderEntity({ ...e, attrs: {} }, ctx, { ...defaultRender, pickId: true, pickType: true });
    const deletedAt = (e as { deletedAt?: string | null }).deletedAt;
    if (deletedAt) out.deletedAt = deletedAt;
    const byAttr = new Map<string, (Attr & { at: string })[]>();
    // Oldest first in the answer, whichever end the page was taken from.
    const rows = lastN === null ? page.rows : [...page.rows].reverse();
    for (const r of rows) {
      if (c.render.omit.has(r.attr)) continue;
      if (
        anonymous &&
        (r.instance['https://mueang.dev/ngsi-ld/personal'] as Attr | undefined)?.value === true
      )
        continue;
      // A deletion mark (value NGSI-LD Null, `deletedAt`) was not observed: it has no observedAt.
      const observed =
        r.instance.deletedAt === undefined ? { observedAt: r.instance.observedAt ?? r.observedAt } : {};
      const instance = {
        ...r.instance,
        ...observed,
        instanceId: instanceUri(r.instanceId),
        createdAt: r.createdAt,
        modifiedAt: r.modifiedAt,
        at: r.at,
      };
      byAttr.set(r.attr, [...(byAttr.get(r.attr) ?? []), instance]);
    }
    for (const [attr, list] of byAttr) {
      const rendered = list.map(
        ({ at: _, ...a }) =>
          renderEntity({ id: '', types: [], attrs: { x: a } }, ctx, {
            ...c.render,
            pick: null,
            omit: new Set(),
            format: 'normalized',
          }).x as Record<string, unknown>,
      );
      out[ctx.compact(attr)] = values
        ? { type: list[0].type, values: list.map((a) => [a.value ?? a.object, a.at]) }
        : rendered;
    }
    if (!page.truncated || page.rows.length === 0) return { body: out, range: null };
    const first = page.rows[0].at;
    const last = page.rows[page.rows.length - 1].at;
    // Oldest first: from timeAt (after, between) or the first instance to the last one given; with
    // lastN, newest first: from endTimeAt (between) or the newest instance back to the oldest given.
    const start =
      lastN === null
        ? p.timerel === 'after' || p.timerel === 'between'
          ? new Date(time(p.timeAt, 'timeAt')).toISOString()
          : first
        : p.timerel === 'between'
          ? new Date(time(p.endTimeAt, 'endTimeAt')).toISOString()
          : first;
    return { body: out, range: { start, end: last, size: lastN === null ? '*' : String(lastN) } };
  }

  app.get(
    '/temporal/entities/:id',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'The history of an entity', params: IdParams, querystring: EntityQuery },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const tenant = tenantOf(request);
      const { id } = request.params as { id: string };
      const anonymous = request.principal === null;
      // An entity deleted through the API still has its history: it is answered with `deletedAt`.
      const e = await service.get(tenant, id).catch(async (err) => {
        const deleted = await service.repo.loadDeleted(tenant, id);
        if (!deleted) throw err;
        return deleted;
      });
      if (anonymous && e.types.some((t) => personalTypes.includes(t))) throw notFound(`no entity ${id}`);
      const query = request.query as TQ;
      const page = await temporal(tenant, e, query, ctx, anonymous);
      sendPaged(reply, [page.range], query.lastN !== undefined);
      return sendData(reply, ctx, negotiate(request, false), page.body);
    },
  );

  app.get(
    '/temporal/entities',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Query entities with their history', querystring: EntityQuery },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const tenant = tenantOf(request);
      const p = request.query as TQ;
      const anonymous = request.principal === null;
      const c = compileQuery(entityParams(p), ctx, anonymous);
      if (c.limit > 100) throw badData('temporal queries return at most 100 entities a page');
      // Entities deleted through the API are found too when the query asks only about ids and types
      // (a deleted entity has no attributes or location to test).
      const withDeleted = !p.q && !p.attrs && !p.georel && !p.geometry && !p.coordinates;
      const rows = withDeleted
        ? ((await service.repo.queryWithDeleted(tenant, c.where, c)) as Entity[])
        : await service.repo.query(tenant, c.where, c);
      const pages: Page[] = [];
      for (const e of rows) pages.push(await temporal(tenant, e, p, ctx, anonymous));
      if (c.count)
        reply.header(
          'NGSILD-Results-Count',
          String(
            await (withDeleted
              ? service.repo.countWithDeleted(tenant, c.where)
              : service.repo.count(tenant, c.where)),
          ),
        );
      sendPaged(
        reply,
        pages.map((x) => x.range),
        p.lastN !== undefined,
      );
      return sendData(
        reply,
        ctx,
        negotiate(request, false),
        pages.map((x) => x.body),
      );
    },
  );

  const write = { access: 'staff' as const };

  app.post(
    '/temporal/entities/:id/attrs',
    {
      config: write,
      schema: { tags, summary: 'Add attribute instances to the history of an entity', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const ctx = contextOf(request, request.body);
      await service.addTemporal(tenantOf(request), ctx, id, request.body, request.actor());
      return reply.code(204).send();
    },
  );

  app.post(
    '/temporal/entities',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create an entity from its temporal representation, or add the instances to an existing one',
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request, request.body);
      const r = await createTemporal(service, tenantOf(request), ctx, request.body, request.actor());
      if (!r.created) return reply.code(204).send();
      return reply
        .code(201)
        .header('Location', `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(r.id)}`)
        .send();
    },
  );

  app.patch(
    '/temporal/entities/:id/attrs/:attrId/:instanceId',
    {
      config: write,
      schema: { tags, summary: 'Change one attribute instance in the history', params: InstanceParams },
    },
    async (request, reply) => {
      const { id, attrId, instanceId } = request.params as Record<string, string>;
      const ctx = contextOf(request, request.body);
      const k = { tenant: tenantOf(request), id, attr: ctx.expand(attrId), instanceId, name: attrId };
      await patchInstance(service, ctx, k, request.body, request.actor());
      return reply.code(204).send();
    },
  );

  app.delete(
    '/temporal/entities/:id/attrs/:attrId/:instanceId',
    {
      config: write,
      schema: { tags, summary: 'Delete one attribute instance from the history', params: InstanceParams },
    },
    async (request, reply) => {
      const { id, attrId, instanceId } = request.params as Record<string, string>;
      const ctx = contextOf(request);
      await removeInstance(
        service,
        { tenant: tenantOf(request), id, attr: ctx.expand(attrId), instanceId },
        request.actor(),
      );
      return reply.code(204).send();
    },
  );

  app.delete(
    '/temporal/entities/:id',
    { config: write, schema: { tags, summary: 'Delete the history of an entity', params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      contextOf(request);
      await service.deleteTemporal(tenantOf(request), id, request.actor());
      return reply.code(204).send();
    },
  );

  app.delete(
    '/temporal/entities/:id/attrs/:attrId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete the history of an attribute',
        params: AttrParams,
        querystring: EntityQuery,
      },
    },
    async (request, reply) => {
      const { id, attrId } = request.params as { id: string; attrId: string };
      const p = request.query as { datasetId?: string; deleteAll?: string };
      const ctx = contextOf(request);
      if (p.datasetId !== undefined && p.deleteAll === 'true')
        throw badData('datasetId and deleteAll=true exclude each other');
      if (p.datasetId !== undefined && !isUri(p.datasetId)) throw badData('datasetId must be a URI');
      // Without datasetId: the default instance's history only, unless deleteAll=true (as for /entities).
      const datasetId = p.deleteAll === 'true' ? null : (p.datasetId ?? '');
      await service.deleteTemporal(tenantOf(request), id, request.actor(), {
        attr: ctx.expand(attrId),
        datasetId,
      });
      return reply.code(204).send();
    },
  );
}
