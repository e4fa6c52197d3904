import { badData, NgsiError } from '../errors.ts';
import type { ActiveContext } from '../jsonld.ts';
import type { Entity } from '../model.ts';
import { defaultRender, renderEntity } from '../render.ts';
import type { ContextService } from '../service.ts';
import { timeColumn } from '../temporal-store.ts';
import { type TQ, time, timeCondition, timePropertyOf } from './temporal-params.ts';

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

/** The aggregated temporal representation: per attribute, `{type, <method>: [[value, start, end], …]}`. */
export async function aggregated(
  service: ContextService,
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
    column: timeColumn(timePropertyOf(p)),
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
