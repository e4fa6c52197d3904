import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { readers, tags } from './access.ts';
import { RateYearBody, type RateYearInput } from './rate-rules.ts';
import { putRateYear, rateYear, rateYears } from './rate-years.ts';
import { defaultRates } from './rates.ts';
import { YearParam } from './schemas.ts';

/**
 * The rates of each tax year (issue 7): finance staff and executives read them; only an admin or the
 * finance office's manager sets them, since they decide every bill of the year.
 */
export async function rateRoutes(app: FastifyInstance) {
  app.get(
    '/rates',
    { config: readers, schema: { tags, summary: 'The tax years that have rates, newest first' } },
    async () => rateYears(app.db.orm),
  );

  app.get(
    '/rates/defaults',
    {
      config: readers,
      schema: {
        tags,
        summary:
          "Rates to start a year from: the Royal Decree's land and building bands and the Ministerial Regulation B.E. 2563's sign rates",
      },
    },
    async () => defaultRates(),
  );

  app.get(
    '/rates/:year',
    {
      config: readers,
      schema: {
        tags,
        summary: "A tax year's rates: land and building bands, sign rates, late rules, instalments",
        params: YearParam,
      },
    },
    async (request) => {
      const found = await rateYear(app.db.orm, (request.params as { year: number }).year);
      if (!found) throw AppError.notFound('tax.rates_missing');
      return found;
    },
  );

  app.put(
    '/rates/:year',
    {
      config: { access: ['admin', 'office_manager'], offices: ['finance'] },
      schema: {
        tags,
        summary:
          "Set a tax year's rates (422 above the statutory ceilings or out of range; 409 once the year has bills)",
        params: YearParam,
        body: RateYearBody,
      },
    },
    async (request, reply) => {
      const year = (request.params as { year: number }).year;
      const result = await putRateYear(app.db, year, request.body as RateYearInput, request.actor());
      return reply.code(result.created ? 201 : 200).send(await rateYear(app.db.orm, year));
    },
  );
}
