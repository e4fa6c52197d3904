import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { registerMessages } from '../../core/i18n.ts';
import { airQualityIndex, BeyondTableError, pollutants } from './aqi.ts';
import { AqiQuery, AqiReply } from './schemas.ts';

const tags = ['air-quality'];

registerMessages({
  'air_quality.pollutant_required': {
    th: 'กรุณาระบุค่าความเข้มข้นของสารมลพิษอย่างน้อยหนึ่งชนิด',
    en: 'Give at least one pollutant concentration',
  },
  'air_quality.beyond_table': {
    th: 'ค่าความเข้มข้นนี้อยู่นอกตารางของดัชนีที่เลือก',
    en: 'This concentration is outside the chosen index table',
  },
});

/** Thin: validate, call the pure calculator, shape the reply. */
export async function airQualityRoutes(app: FastifyInstance) {
  app.get(
    '/aqi',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Air quality index from pollutant concentrations (Thai PCD or US EPA)',
        description:
          'PM2.5 and PM10 as 24-hour averages in µg/m³, O3 (ppb) and CO (ppm) as 8-hour averages, NO2 and SO2 (ppb) as 1-hour averages. The index is the highest sub-index; `dominant` names its pollutant.',
        querystring: AqiQuery,
        response: { 200: AqiReply },
      },
      // Query conversion would read `pm25=` as 0; an empty value is a mistake, not clean air.
      preValidation: async (request) => {
        for (const [key, value] of Object.entries(request.query as Record<string, unknown>))
          if (value === '') throw AppError.badRequest('request.invalid', `${key} is empty`);
      },
    },
    async (request) => {
      const query = request.query as AqiQuery;
      if (!pollutants.some((p) => query[p] !== undefined))
        throw AppError.badRequest('air_quality.pollutant_required', `give one of ${pollutants.join(', ')}`);
      try {
        return airQualityIndex(query.scale, query);
      } catch (e) {
        if (e instanceof BeyondTableError) throw AppError.badRequest('air_quality.beyond_table', e.message);
        throw e;
      }
    },
  );
}
