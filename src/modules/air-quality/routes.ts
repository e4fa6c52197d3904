import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import { airQualityIndex, BeyondTableError, pollutants } from './aqi.ts';
import {
  AqiQuery,
  AqiReply,
  HistoryQuery,
  HistoryReply,
  StationParams,
  StationsReply,
  SummaryQuery,
  SummaryReply,
} from './schemas.ts';
import { monthSummary, stationHistory, stationsNow } from './station-service.ts';

const tags = ['air-quality'];

registerMessages({
  'air_quality.give_one_of': { th: 'ระบุอย่างน้อยหนึ่งค่าจาก {names}', en: 'give one of {names}' },
  'air_quality.pollutant_required': {
    th: 'กรุณาระบุค่าความเข้มข้นของสารมลพิษอย่างน้อยหนึ่งชนิด',
    en: 'Give at least one pollutant concentration',
  },
  'air_quality.station_not_found': {
    th: 'ไม่พบสถานีตรวจวัดคุณภาพอากาศนี้',
    en: 'No such air-quality station',
  },
  'air_quality.beyond_table': {
    th: 'ค่าความเข้มข้นนี้อยู่นอกตารางของดัชนีที่เลือก',
    en: 'This concentration is outside the chosen index table',
  },
  'air_quality.no_station': { th: 'ไม่พบสถานีตรวจวัดคุณภาพอากาศ {id}', en: 'no station {id}' },
  'air_quality.us_o3_8h_beyond': {
    th: 'ตาราง EPA ของสหรัฐฯ ไม่มีค่า O3 เฉลี่ย 8 ชั่วโมงที่เกิน 200 ppb (ต้องใช้ค่า O3 เฉลี่ย 1 ชั่วโมง)',
    en: 'US 8-hour O3 above 200 ppb is not in the EPA table (1-hour O3 is needed)',
  },
  'air_quality.us_so2_1h_beyond': {
    th: 'ตาราง EPA ของสหรัฐฯ ไม่มีค่า SO2 เฉลี่ย 1 ชั่วโมงที่เกิน 304 ppb (ต้องใช้ค่า SO2 เฉลี่ย 24 ชั่วโมง)',
    en: 'US 1-hour SO2 above 304 ppb is not in the EPA table (24-hour SO2 is needed)',
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
          if (value === '')
            throw AppError.badRequest('request.invalid', msg('request.empty_value', { name: key }), [
              { path: `/querystring/${key}`, message: msg('request.empty_value', { name: key }) },
            ]);
      },
    },
    async (request) => {
      const query = request.query as AqiQuery;
      if (!pollutants.some((p) => query[p] !== undefined))
        throw AppError.badRequest(
          'air_quality.pollutant_required',
          msg('air_quality.give_one_of', { names: pollutants.join(', ') }),
        );
      try {
        return airQualityIndex(query.scale, query);
      } catch (e) {
        if (e instanceof BeyondTableError) throw AppError.badRequest('air_quality.beyond_table', e.why);
        throw e;
      }
    },
  );

  app.get(
    '/stations',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Air-quality stations now: averages, Thai and US indices, and the city’s (worst station)',
        description:
          'Each station is a device of the city sensor network that measures air pollutants. Averages are means of hourly means over each pollutant’s window (PM 24 h, O3/CO 8 h, NO2/SO2 1 h) and count only with 18 of 24 or 6 of 8 hours of data.',
        response: { 200: StationsReply },
      },
    },
    async () => stationsNow(app.db),
  );

  app.get(
    '/stations/:id/history',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One station’s hourly means and daily PM means with the Thai 24-hour standards',
        params: StationParams,
        querystring: HistoryQuery,
        response: { 200: HistoryReply },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { days } = request.query as { days: number };
      const history = await stationHistory(app.db, id, days);
      if (!history)
        throw AppError.notFound('air_quality.station_not_found', msg('air_quality.no_station', { id }));
      return history;
    },
  );

  app.get(
    '/summary',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A month’s daily PM means per station and the days over the Thai 24-hour standard',
        querystring: SummaryQuery,
        response: { 200: SummaryReply },
      },
    },
    async (request) => monthSummary(app.db, (request.query as SummaryQuery).month),
  );
}
