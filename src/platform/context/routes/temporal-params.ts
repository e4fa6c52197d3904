import { type SQL, sql } from 'drizzle-orm';
import { badData } from '../errors.ts';
import type { EntityQueryParams } from '../query.ts';
import { type TimeProperty, timeColumn, timeProperties } from '../temporal-store.ts';

/** The query parameters of the temporal API, besides those of /entities. */
export type TQ = EntityQueryParams & {
  timerel?: string;
  timeAt?: string;
  endTimeAt?: string;
  timeproperty?: string;
  lastN?: string;
  aggrMethods?: string;
  aggrPeriodDuration?: string;
};

/** The query without the temporal-only format and option, for the entity query compiler. */
export function entityParams(p: TQ): TQ {
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

export const aggregatedRequested = (p: TQ) =>
  (p.options ?? '').split(',').includes('aggregatedValues') || p.format === 'aggregatedValues';

export function time(value: string | undefined, name: string): string {
  if (!value || Number.isNaN(Date.parse(value))) throw badData(`${name} must be an ISO 8601 date-time`);
  return value;
}

/** `timeproperty`: observedAt (the default), createdAt or modifiedAt. */
export function timePropertyOf(p: TQ): TimeProperty {
  const v = p.timeproperty ?? 'observedAt';
  if (!(timeProperties as readonly string[]).includes(v))
    throw badData(`timeproperty is one of ${timeProperties.join(', ')}`);
  return v as TimeProperty;
}

/** `timerel` with `timeAt`/`endTimeAt` as a condition on the column of the time property. */
export function timeCondition(p: TQ): SQL {
  if (!p.timerel) return sql`true`;
  const col = timeColumn(timePropertyOf(p));
  const at = time(p.timeAt, 'timeAt');
  switch (p.timerel) {
    case 'before':
      return sql`${col} < ${at}::timestamptz`;
    case 'after':
      return sql`${col} >= ${at}::timestamptz`;
    case 'between':
      return sql`${col} >= ${at}::timestamptz AND ${col} < ${time(p.endTimeAt, 'endTimeAt')}::timestamptz`;
    default:
      throw badData('timerel is before, after or between');
  }
}
