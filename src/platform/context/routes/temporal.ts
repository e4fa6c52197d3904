import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { badData, NgsiError, notFound } from '../errors.ts';
import { intParam } from '../geo.ts';
import type { ActiveContext } from '../jsonld.ts';
import type { Attr, Entity } from '../model.ts';
import { personalTypes } from '../model.ts';
import { compileQuery, type EntityQueryParams } from '../query.ts';
import { defaultRender, renderEntity } from '../render.ts';
import type { ContextService } from '../service.ts';
import { isUri } from '../validate.ts';
import { contextOf, negotiate, sendData, tenantOf } from './http.ts';
import { AttrParams, EntityQuery, IdParams, tags } from './schemas.ts';

type TQ = EntityQueryParams & {
  timerel?: string;
  timeAt?: string;
  endTimeAt?: string;
  lastN?: string;
  aggrMethods?: string;
  aggrPeriodDuration?: string;
};
const maxInstances = 10_000;
const maxPeriods = 10_000;
export const aggrMethods = [
  'totalCount',
  'distinctCount',
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'sumsq',
] as const;
type AggrMethod = (typeof aggrMethods)[number];

const durationPattern =
  /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6}(?:\.\d{1,6})?)S)?)?$/;

/**
 * An ISO 8601 duration (`P1D`, `PT15M`, `P1Y2M`, `P1W`) as a PostgreSQL interval text built from its
 * numbers, or null for a zero duration (the whole time range is one period).
 */
export function periodInterval(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const m = durationPattern.exec(value);
  if (!m || value === 'P' || value.endsWith('T'))
    throw badData('aggrPeriodDuration must be an ISO 8601 duration such as P1D or PT1H');
  const [y, mo, w, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0));
  if (y + mo + w + d + h + mi + sec === 0) return null;
  return `${y} years ${mo} months ${w * 7 + d} days ${h} hours ${mi} minutes ${sec} seconds`;
}

function methodsOf(value: string | undefined): AggrMethod[] {
  const list = (value ?? '').split(',').filter((m) => m !== '');
  if (list.length === 0) throw badData('aggregatedValues needs aggrMethods');
  for (const m of list)
    if (!(aggrMethods as readonly string[]).includes(m))
      throw badData(`unknown aggrMethods entry: ${m.slice(0, 50)} (${aggrMethods.join(', ')})`);
  return [...new Set(list)] as AggrMethod[];
}

/** Where the aggregation periods start and end for a timerel (null: the first/last instance). */
function aggregationBounds(p: TQ): { from: string | null; to: string | null } {
  switch (p.timerel) {
    case 'after':
      return { from: time(p.timeAt, 'timeAt'), to: null };
    case 'between':
      return { from: time(p.timeAt, 'timeAt'), to: time(p.endTimeAt, 'endTimeAt') };
    case 'before':
      return { from: null, to: time(p.timeAt, 'timeAt') };
    default:
      return { from: null, to: null };
  }
}

const aggregatedRequested = (p: TQ) =>
  (p.options ?? '').split(',').includes('aggregatedValues') || p.format === 'aggregatedValues';

/** The query without the temporal-only format and option, for the entity query compiler. */
function entityParams(p: TQ): TQ {
  const options = (p.options ?? '')
    .split(',')
    .filter((o) => o !== 'aggregatedValues' && o !== 'temporalValues')
    .join(',');
  return {
    ...p,
    options: options || undefined,
    format: p.format === 'aggregatedValues' || p.format === 'temporalValues' ? undefined : p.format,
  };
}

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
  async function temporal(tenant: string, e: Entity, query: TQ, ctx: ActiveContext, anonymous: boolean) {
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
    if (aggregatedRequested(query)) return aggregated(tenant, e, query, ctx, anonymous, attrs, c.render.omit);
    const lastN = p.lastN === undefined ? null : intParam(p.lastN, 'lastN', 1);
    const rows = await service.repo.history(tenant, e.id, attrs, timeCondition(p), lastN, maxInstances);
    const values =
      (query.options ?? '').split(',').includes('temporalValues') || query.format === 'temporalValues';
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

  /** The aggregated temporal representation: per attribute, `{type, <method>: [[value, start, end], …]}`. */
  async function aggregated(
    tenant: string,
    e: Entity,
    p: TQ,
    ctx: ActiveContext,
    anonymous: boolean,
    attrs: string[] | null,
    omit: Set<string>,
  ) {
    const methods = methodsOf(p.aggrMethods);
    const { rows, periods } = await service.repo.aggregate(tenant, e.id, {
      attrs,
      time: timeCondition(p),
      ...aggregationBounds(p),
      period: periodInterval(p.aggrPeriodDuration),
      anonymous,
      maxPeriods,
    });
    if (periods > maxPeriods)
      throw new NgsiError(
        'TooComplexQuery',
        `more than ${maxPeriods} aggregation periods: use a longer aggrPeriodDuration or a shorter time range`,
      );
    const out = renderEntity({ ...e, attrs: {} }, ctx, { ...defaultRender, pickId: true, pickType: true });
    const byAttr = new Map<string, Record<string, unknown>>();
    for (const r of rows) {
      if (omit.has(r.attr)) continue;
      let a = byAttr.get(r.attr);
      if (!a) {
        a = { type: r.attrType, ...Object.fromEntries(methods.map((m) => [m, []])) };
        byAttr.set(r.attr, a);
      }
      const value: Record<AggrMethod, unknown> = {
        totalCount: r.totalCount,
        distinctCount: r.distinctCount,
        sum: r.sum,
        avg: r.avg,
        stddev: r.stddev,
        sumsq: r.sumsq,
        min: r.minNumber ?? r.minText,
        max: r.maxNumber ?? r.maxText,
      };
      for (const m of methods) (a[m] as unknown[]).push([value[m], r.start, r.stop]);
    }
    for (const [attr, a] of byAttr) out[ctx.compact(attr)] = a;
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
      const c = compileQuery(entityParams(p), ctx, anonymous);
      if (c.limit > 100) throw badData('temporal queries return at most 100 entities a page');
      const rows = await service.repo.query(tenant, c.where, c);
      const out = [];
      for (const e of rows) out.push(await temporal(tenant, e, p, ctx, anonymous));
      if (c.count) reply.header('NGSILD-Results-Count', String(await service.repo.count(tenant, c.where)));
      return sendData(reply, ctx, negotiate(request, false), out);
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
