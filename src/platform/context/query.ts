import { type SQL, sql } from 'drizzle-orm';
import { badData, invalid, NgsiError } from './errors.ts';
import { intParam, parseGeoQuery } from './geo.ts';
import type { ActiveContext } from './jsonld.ts';
import { personalTypes } from './model.ts';
import { checkPattern, parseQ } from './q.ts';
import { geoToSql, nearDistance, qToSql, textArray } from './qsql.ts';
import type { RenderOptions } from './render.ts';
import { checkEntityId } from './validate.ts';

/** The query parameters of GET /entities (and of the batch query and temporal queries). */
export interface EntityQueryParams {
  id?: string;
  type?: string;
  idPattern?: string;
  attrs?: string;
  pick?: string;
  omit?: string;
  q?: string;
  georel?: string;
  geometry?: string;
  coordinates?: string;
  geoproperty?: string;
  limit?: string | number;
  offset?: string | number;
  count?: string | boolean;
  options?: string;
  format?: string;
  orderBy?: string;
  lang?: string;
}

export const maxLimit = 1000;

export interface CompiledQuery {
  where: SQL;
  limit: number;
  offset: number;
  count: boolean;
  orderBy: SQL;
  render: RenderOptions;
  geoproperty: string;
}

const list = (v: string | undefined) =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** `type` with `,`/`|` (or) and `;` (and) and parentheses, as a condition on the types column. */
export function typeCondition(text: string, ctx: ActiveContext): SQL {
  let i = 0;
  let terms = 0;
  const or = (depth: number): SQL => {
    if (depth > 5) throw new NgsiError('TooComplexQuery', 'the type expression nests too deeply');
    const items = [and(depth)];
    while (text[i] === ',' || text[i] === '|') {
      i++;
      items.push(and(depth));
    }
    return items.length === 1 ? items[0] : sql`(${sql.join(items, sql` OR `)})`;
  };
  const and = (depth: number): SQL => {
    const items = [atom(depth)];
    while (text[i] === ';') {
      i++;
      items.push(atom(depth));
    }
    return items.length === 1 ? items[0] : sql`(${sql.join(items, sql` AND `)})`;
  };
  const atom = (depth: number): SQL => {
    if (text[i] === '(') {
      i++;
      const inner = or(depth + 1);
      if (text[i] !== ')') throw invalid('type: missing )');
      i++;
      return inner;
    }
    const m = /^[^,|;()\s]+/.exec(text.slice(i));
    if (!m) throw invalid(`type: expected a type name at position ${i + 1}`);
    if (++terms > 50) throw new NgsiError('TooComplexQuery', 'too many types');
    i += m[0].length;
    // Containment rather than `= ANY(types)`: the GIN index on types and its element statistics apply.
    return sql`types @> ARRAY[${ctx.expand(m[0])}]::text[]`;
  };
  const cond = or(0);
  if (i !== text.length) throw invalid(`type: unexpected character at position ${i + 1}`);
  return cond;
}

/**
 * The same condition, which the planner estimates as one boolean (matching half the rows) instead of
 * multiplying its guesses for every JSONB path comparison: with no statistics on those expressions it
 * guessed 1 row for `no2>100;airQualityLevel=="good"` where 16,500 of 100,000 matched, so it read every
 * row and sorted them; estimated at half, it walks the primary key in `id` order and stops after `limit`.
 * A NULL condition is false either way, so the rows are the same.
 */
function opaque(cond: SQL): SQL {
  return sql`CASE WHEN ${cond} THEN true ELSE false END`;
}

function options(value: string | undefined): Set<string> {
  return new Set(list(value));
}

/** Per active context (a new one whenever a stored @context changes), compiled queries by their parameters. */
const compiled = new WeakMap<ActiveContext, Map<string, CompiledQuery>>();
const maxCompiled = 1000;

/**
 * Compiles GET /entities parameters into a parameterised WHERE, paging and rendering choices. The result
 * depends on nothing else, so it is kept per context and reused for the same parameters (dashboards
 * repeat the same queries); callers must not change it.
 */
export function compileQuery(
  p: EntityQueryParams,
  ctx: ActiveContext,
  anonymous: boolean,
  opts: { requireFilter: boolean } = { requireFilter: true },
): CompiledQuery {
  let kept = compiled.get(ctx);
  if (!kept) {
    kept = new Map();
    compiled.set(ctx, kept);
  }
  const key = `${anonymous ? 'a' : 's'}${opts.requireFilter ? 'r' : 'o'}${JSON.stringify(p)}`;
  const hit = kept.get(key);
  if (hit) return hit;
  const c = compile(p, ctx, anonymous, opts);
  if (kept.size >= maxCompiled) kept.clear();
  kept.set(key, c);
  return c;
}

function compile(
  p: EntityQueryParams,
  ctx: ActiveContext,
  anonymous: boolean,
  opts: { requireFilter: boolean },
): CompiledQuery {
  const conds: SQL[] = [];
  const ids = list(p.id);
  if (ids.length) {
    ids.forEach(checkEntityId);
    conds.push(sql`id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`);
  }
  if (p.type) conds.push(typeCondition(p.type, ctx));
  if (p.idPattern) conds.push(sql`id ~ ${checkPattern(p.idPattern)}`);
  const attrs = list(p.attrs).map((a) => ctx.expand(a));
  // The indexed column of the attribute names (migration 0009); the same as `attrs ?| …`.
  if (attrs.length) conds.push(sql`attr_names && ${textArray(attrs)}`);
  if (p.q) conds.push(opaque(qToSql(parseQ(p.q), ctx, anonymous)));
  const geo = parseGeoQuery(p);
  if (geo) conds.push(geoToSql(geo, ctx));
  if (opts.requireFilter && conds.length === 0)
    throw badData('give at least one of id, type, idPattern, attrs, q or a geo-query');
  if (anonymous) conds.push(sql`NOT (types && ${textArray(personalTypes)})`);

  const limit = intParam(p.limit, 'limit', 20);
  if (limit > maxLimit) throw new NgsiError('TooManyResults', `limit may be at most ${maxLimit}`);
  const offset = intParam(p.offset, 'offset', 0);
  const count = p.count === true || p.count === 'true';
  if (p.count !== undefined && typeof p.count === 'string' && !['true', 'false'].includes(p.count))
    throw invalid('count must be true or false');

  const o = options(p.options);
  for (const k of o)
    if (!['keyValues', 'concise', 'normalized', 'sysAttrs', 'temporalValues', 'noOverwrite'].includes(k))
      throw invalid(`unknown option: ${k}`);
  const format = p.format ?? (o.has('keyValues') ? 'keyValues' : o.has('concise') ? 'concise' : 'normalized');
  if (!['keyValues', 'concise', 'normalized', 'simplified'].includes(format))
    throw invalid(`unknown format: ${format}`);

  const pickList = list(p.pick);
  const pickAttrs = [
    ...attrs,
    ...pickList.filter((a) => a !== 'id' && a !== 'type').map((a) => ctx.expand(a)),
  ];
  const omit = list(p.omit);
  const render: RenderOptions = {
    format: format === 'simplified' ? 'keyValues' : (format as RenderOptions['format']),
    sysAttrs: o.has('sysAttrs'),
    pick: pickAttrs.length || pickList.length ? new Set(pickAttrs) : null,
    omit: new Set(omit.filter((a) => a !== 'id' && a !== 'type').map((a) => ctx.expand(a))),
    pickId: (pickList.length === 0 || pickList.includes('id')) && !omit.includes('id'),
    pickType: (pickList.length === 0 || pickList.includes('type')) && !omit.includes('type'),
    anonymous,
    lang: p.lang,
  };
  return {
    where: conds.length ? sql.join(conds, sql` AND `) : sql`true`,
    limit,
    offset,
    count,
    orderBy: orderBy(p.orderBy, ctx, geo ? nearDistance(geo, ctx) : null),
    render,
    geoproperty: ctx.expand(p.geoproperty || 'location'),
  };
}

/**
 * `orderBy=attr1,-attr2` (a Mueang extension): attribute values, `-` for descending, then id. Without
 * it, by id; a `near` query nearest first instead, by distance alone (no id after it: the GiST index
 * gives that order and a second key would need every match read and sorted), so entities at exactly
 * the same distance come in no defined order.
 */
function orderBy(text: string | undefined, ctx: ActiveContext, distance: SQL | null): SQL {
  const keys = list(text);
  if (keys.length === 0 && distance) return distance;
  if (keys.length > 5) throw new NgsiError('TooComplexQuery', 'orderBy takes at most 5 attributes');
  const parts = keys.map((k) => {
    const desc = k.startsWith('-');
    const name = desc ? k.slice(1) : k;
    const dir = sql.raw(desc ? 'DESC NULLS LAST' : 'ASC NULLS LAST');
    if (name === 'id') return sql`id ${dir}`;
    if (name === 'modifiedAt' || name === 'createdAt')
      return sql`${sql.identifier(name === 'modifiedAt' ? 'modified_at' : 'created_at')} ${dir}`;
    return sql`ctx_value(attrs -> ${ctx.expand(name)}) ${dir}`;
  });
  return sql.join([...parts, sql`id`], sql`, `);
}
