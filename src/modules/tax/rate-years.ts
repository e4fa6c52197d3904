import { type SQL, sql } from 'drizzle-orm';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import {
  assessmentRates,
  type LandBuildingLateRule,
  type RateYearInput,
  rateProblems,
  type SignLateRule,
} from './rate-rules.ts';
import { defaultRates } from './rates.ts';

/** A year's record as stored, with who changed it last and how many bills the year has. */
export interface RateYear extends RateYearInput {
  taxYear: number;
  updatedAt: string;
  updatedBy: string | null;
  /** Bills issued for the year; once there is one the record is frozen. */
  bills: number;
}

// Takes an executor only (not Db), so callers inside a transaction pass theirs (PGlite has one connection).
const rows = async <T>(on: Executor, query: SQL) =>
  ((await on.execute(query)) as unknown as { rows: T[] }).rows;

const record = sql`r.tax_year AS "taxYear", r.land_building AS "landBuilding", r.sign, r.late, r.instalments,
  r.reduction_percent::float8 AS "reductionPercent", r.source,
  to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt", r.updated_by_label AS "updatedBy",
  (SELECT count(*)::int FROM tax_bills b WHERE b.tax_year = r.tax_year) AS bills`;

/**
 * The year's record, or undefined. `lock`: `share` for a reader that must not see it change before
 * its transaction ends (the assessment run), `update` for the writer, so the two wait for each other.
 */
export async function rateYear(on: Executor, year: number, lock?: 'share' | 'update') {
  const [row] = await rows<RateYear>(
    on,
    sql`SELECT ${record} FROM tax_rate_years r WHERE r.tax_year = ${year}
      ${lock === 'share' ? sql`FOR SHARE` : lock === 'update' ? sql`FOR UPDATE` : sql``}`,
  );
  return row;
}

async function billsOf(on: Executor, year: number) {
  const [row] = await rows<{ n: number }>(
    on,
    sql`SELECT count(*)::int AS n FROM tax_bills WHERE tax_year = ${year}`,
  );
  return row.n;
}

/** The years that have rates, newest first, without their tables. */
export function rateYears(on: Executor) {
  return rows<Omit<RateYear, keyof RateYearInput> & { source: string }>(
    on,
    sql`SELECT r.tax_year AS "taxYear", r.source,
        to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt", r.updated_by_label AS "updatedBy",
        (SELECT count(*)::int FROM tax_bills b WHERE b.tax_year = r.tax_year) AS bills
      FROM tax_rate_years r ORDER BY r.tax_year DESC`,
  );
}

/** The assessment's tables for the year, held (FOR SHARE) until the caller's transaction ends. */
export async function ratesFor(on: Executor, year: number) {
  const r = await rateYear(on, year, 'share');
  if (!r) return undefined;
  // A record written by hand past the API is checked too: a rate above the ceiling never assesses.
  const problems = rateProblems(r);
  if (problems.length)
    throw new AppError(422, 'tax.rates_invalid', msg('tax.rates_stored_invalid', { year }), problems);
  return assessmentRates(year, r);
}

/** The late-payment and late-filing rules of the year (for arrears and bills), or undefined. */
export async function lateRulesFor(
  on: Executor,
  year: number,
): Promise<{ landBuilding: LandBuildingLateRule; sign: SignLateRule } | undefined> {
  const [row] = await rows<{ late: { landBuilding: LandBuildingLateRule; sign: SignLateRule } }>(
    on,
    sql`SELECT late FROM tax_rate_years WHERE tax_year = ${year}`,
  );
  return row?.late;
}

/**
 * The year's instalment rule of a tax (a bill of at least `minimumBaht` may be paid in `count`
 * parts), or undefined when the year has no record.
 */
export async function instalmentRuleFor(
  on: Executor,
  year: number,
  taxKind: 'land-building' | 'sign' = 'land-building',
): Promise<{ minimumBaht: number; count: number } | undefined> {
  const [row] = await rows<{ instalments: RateYearInput['instalments'] }>(
    on,
    sql`SELECT instalments FROM tax_rate_years WHERE tax_year = ${year}`,
  );
  if (!row) return undefined;
  const { minimumBaht, count, sign } = row.instalments;
  return taxKind === 'sign' ? sign : { minimumBaht, count };
}

/**
 * Writes the defaults of rates.ts as `year`'s rates unless the year has some (the demo seed, the
 * benchmark). Not a migration's row, since a restore needs every table empty (core/db/backup.ts).
 */
export async function seedDefaultRates(on: Executor, year = 2569) {
  const r = defaultRates();
  await on.execute(sql`
    INSERT INTO tax_rate_years (tax_year, land_building, sign, late, instalments, reduction_percent, source, updated_by_label)
    VALUES (${year}, ${JSON.stringify(r.landBuilding)}::jsonb, ${JSON.stringify(r.sign)}::jsonb, ${JSON.stringify(r.late)}::jsonb,
      ${JSON.stringify(r.instalments)}::jsonb, ${r.reductionPercent}, ${r.source}, 'defaults')
    ON CONFLICT (tax_year) DO NOTHING`);
}

const fields = (r: RateYearInput): RateYearInput => ({
  landBuilding: r.landBuilding,
  sign: r.sign,
  late: r.late,
  instalments: r.instalments,
  reductionPercent: r.reductionPercent,
  source: r.source,
});

/**
 * Creates or replaces a year's rates: refused (422) when they break the law, (409) once the year has
 * bills, since those bills' working quotes them. Audited with the parts changed, before and after.
 */
export async function putRateYear(db: Db, year: number, input: RateYearInput, actor: Actor) {
  const problems = rateProblems(input);
  if (problems.length) throw new AppError(422, 'tax.rates_invalid', undefined, problems);
  const next = fields({ ...input, source: input.source.trim() });
  return db.transaction(async (tx) => {
    const current = await rateYear(tx, year, 'update');
    const bills = current?.bills ?? (await billsOf(tx, year));
    if (bills > 0)
      throw AppError.conflict('tax.rates_frozen', msg('tax.rates_frozen_bills', { year, bills }));
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const was = current ? (fields(current) as unknown as Record<string, unknown>) : {};
    for (const [key, value] of Object.entries(next))
      if (JSON.stringify(was[key]) !== JSON.stringify(value)) {
        before[key] = was[key] ?? null;
        after[key] = value;
      }
    if (current && Object.keys(after).length === 0) return { created: false, changed: false };
    await tx.execute(sql`
      INSERT INTO tax_rate_years AS r (tax_year, land_building, sign, late, instalments, reduction_percent, source, updated_at, updated_by, updated_by_label)
      VALUES (${year}, ${JSON.stringify(next.landBuilding)}::jsonb, ${JSON.stringify(next.sign)}::jsonb,
        ${JSON.stringify(next.late)}::jsonb, ${JSON.stringify(next.instalments)}::jsonb, ${next.reductionPercent},
        ${next.source}, now(), ${actor.id}::uuid, ${actor.label})
      ON CONFLICT (tax_year) DO UPDATE SET land_building = excluded.land_building, sign = excluded.sign,
        late = excluded.late, instalments = excluded.instalments, reduction_percent = excluded.reduction_percent,
        source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
        updated_by_label = excluded.updated_by_label`);
    await audit(tx, actor, {
      action: current ? 'tax.rates.update' : 'tax.rates.create',
      resourceType: 'tax.rates',
      resourceId: String(year),
      detail: { before, after },
    });
    return { created: !current, changed: true };
  });
}
