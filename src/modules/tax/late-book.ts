import type { Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { billDue, type Part, type Reminder, type YearLateRule } from './late.ts';
import { instalmentRuleFor, lateRulesFor } from './rate-years.ts';
import type { BillRow } from './repository.ts';

/**
 * The late rules of the tax years a request or transaction meets, read once per year from the
 * year's record (`tax_rate_years.late`) and kept for that call only, so an arrears list of many bills
 * of one year reads its record once. `on` is the caller's executor (a transaction's, inside one).
 */
export function lateBook(on: Executor) {
  const years = new Map<number, Promise<{ landBuilding: YearLateRule; sign: YearLateRule }>>();
  const year = (taxYear: number) => {
    let rules = years.get(taxYear);
    if (!rules) {
      rules = lateRulesFor(on, taxYear).then((r) => {
        if (!r) throw AppError.notFound('tax.rates_missing', msg('tax.no_rates_for_year', { year: taxYear }));
        return r;
      });
      years.set(taxYear, rules);
    }
    return rules;
  };
  const instalmentRules = new Map<string, Promise<{ minimumBaht: number; count: number } | undefined>>();
  return {
    /** The year's instalment rule of a bill's tax (undefined when the year has no record), read once. */
    instalmentRule(bill: { taxYear: number; taxKind: 'land-building' | 'sign' }) {
      const key = `${bill.taxYear}:${bill.taxKind}`;
      let rule = instalmentRules.get(key);
      if (!rule) {
        rule = instalmentRuleFor(on, bill.taxYear, bill.taxKind);
        instalmentRules.set(key, rule);
      }
      return rule;
    },
    /** The rule of a bill's tax and year. */
    async rule(bill: { taxYear: number; taxKind: 'land-building' | 'sign' }): Promise<YearLateRule> {
      const r = await year(bill.taxYear);
      return bill.taxKind === 'sign' ? r.sign : r.landBuilding;
    },
  };
}
export type LateBook = ReturnType<typeof lateBook>;

/** The reminder sent for a bill, if one was. */
export const reminderOf = (bill: Pick<BillRow, 'reminderSentOn' | 'reminderDeadline'>): Reminder | null =>
  bill.reminderSentOn && bill.reminderDeadline
    ? { sentOn: bill.reminderSentOn, deadline: bill.reminderDeadline }
    : null;

/**
 * What an open bill (or, given `plan`, its open instalments) asks on a day, by its year's late rules
 * (late.ts, late-book.ts). The year's record is read only when something is past due, so a bill on
 * time never needs it.
 */
export async function dueOn(
  book: LateBook,
  bill: Pick<
    BillRow,
    'taxYear' | 'taxKind' | 'amountSatang' | 'dueDate' | 'reminderSentOn' | 'reminderDeadline'
  >,
  plan: Part[],
  asOf: string,
) {
  const late = (plan.length ? plan.filter((i) => i.status !== 'paid') : [bill]).some((p) => p.dueDate < asOf);
  const rule = late ? await book.rule(bill) : { surchargePercentPerMonth: 0, penaltyPercent: 0 };
  return { rule, due: billDue(bill, plan, asOf, rule, reminderOf(bill)) };
}
