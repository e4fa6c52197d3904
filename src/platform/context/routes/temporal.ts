import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { badData, notFound } from '../errors.ts';
import { intParam } from '../geo.ts';
import type { ActiveContext } from '../jsonld.ts';
import type { Attr, Entity } from '../model.ts';
import { personalTypes } from '../model.ts';
import { compileQuery, type EntityQueryParams } from '../query.ts';
import { defaultRender, renderEntity } from '../render.ts';
import type { ContextService } from '../service.ts';
import { contextOf, negotiate, sendData, tenantOf } from './http.ts';
import { EntityQuery, IdParams, tags } from './schemas.ts';

type TQ = EntityQueryParams & { timerel?: string; timeAt?: string; endTimeAt?: string; lastN?: string };
const maxInstances = 10_000;

function time(value: string | undefined, name: string): string {
  if (!value || Number.isNaN(Date.parse(value))) throw badData(`${name} must be an ISO 8601 date-time`);
  return value;
}

/** `timerel` with `timeAt`/`endTimeAt` as a condition on observed_at. */
function timeCondition(p: TQ): SQL {
  if (!p.timerel) return sql`true`;
  const at = time(p.timeAt, 'timeAt');
  switch (p.timerel) {
    case 'before':
      return sql`observed_at < ${at}::timestamptz`;
    case 'after':
      return sql`observed_at >= ${at}::timestamptz`;
    case 'between':
      return sql`observed_at >= ${at}::timestamptz AND observed_at < ${time(p.endTimeAt, 'endTimeAt')}::timestamptz`;
    default:
      throw badData('timerel is before, after or between');
  }
}

export async function temporalRoutes(app: FastifyInstance, opts: { service: ContextService }) {
  const service = opts.service;

  /** An entity with each attribute as its instances over time (temporal representation). */
  async function temporal(tenant: string, e: Entity, p: TQ, ctx: ActiveContext, anonymous: boolean) {
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
    const lastN = p.lastN === undefined ? null : intParam(p.lastN, 'lastN', 1);
    const rows = await service.repo.history(tenant, e.id, attrs, timeCondition(p), lastN, maxInstances);
    const values = (p.options ?? '').split(',').includes('temporalValues');
    const out = renderEntity({ ...e, attrs: {} }, ctx, { ...defaultRender, pickId: true, pickType: true });
    const byAttr = new Map<string, Attr[]>();
    for (const r of rows) {
      if (c.render.omit.has(r.attr)) continue;
      if (
        anonymous &&
        (r.instance['https://mueang.dev/ngsi-ld/personal'] as Attr | undefined)?.value === true
      )
        continue;
      byAttr.set(r.attr, [
        ...(byAttr.get(r.attr) ?? []),
        { ...r.instance, observedAt: r.instance.observedAt ?? r.observedAt },
      ]);
    }
    for (const [attr, list] of byAttr) {
      const rendered = list.map(
        (a) =>
          renderEntity({ id: '', types: [], attrs: { x: a } }, ctx, {
            ...c.render,
            pick: null,
            omit: new Set(),
            format: 'normalized',
          }).x as Record<string, unknown>,
      );
      out[ctx.compact(attr)] = values
        ? { type: list[0].type, values: list.map((a) => [a.value ?? a.object, a.observedAt]) }
        : rendered;
    }
    return out;
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
      const e = await service.get(tenant, id);
      if (anonymous && e.types.some((t) => personalTypes.includes(t))) throw notFound(`no entity ${id}`);
      return sendData(
        reply,
        ctx,
        negotiate(request, false),
        await temporal(tenant, e, request.query as TQ, ctx, anonymous),
      );
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
      const c = compileQuery(p, ctx, anonymous);
      if (c.limit > 100) throw badData('temporal queries return at most 100 entities a page');
      const rows = await service.repo.query(tenant, c.where, c);
      const out = [];
      for (const e of rows) out.push(await temporal(tenant, e, p, ctx, anonymous));
      if (c.count) reply.header('NGSILD-Results-Count', String(await service.repo.count(tenant, c.where)));
      return sendData(reply, ctx, negotiate(request, false), out);
    },
  );
}
